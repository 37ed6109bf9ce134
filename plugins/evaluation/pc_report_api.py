"""PC (admin UI) API of 评价结果 (EV-5, EV-6): reports by level with rights, PDFs, the top-p % list
and its Excel export, chart figures. Every answer is ``Envelope[...]`` of a model in report_schemas.py
(or a file)."""
from __future__ import annotations

from typing import Annotated, Optional

from fastapi import APIRouter, Query
from pydantic import BeforeValidator
from fastapi.responses import Response

from core.sdk import (ERROR_RESPONSES, Envelope, Option, Page, PagingDep, Requires, SessionDep, SettingsDep, fail, ok,
                      xlsx_bytes)
from plugins.evaluation import charts, pdfs
from plugins.evaluation.access import (metric_key, require_branch, require_college, threshold_of, visible_period,
                                       visible_periods)
from plugins.evaluation.branch_report import branch_detail, branch_list, branch_members
from plugins.evaluation.college_report import branch_names, college_detail, college_top, top_page
from plugins.evaluation.member_report import individual_detail, member_list
from plugins.evaluation.metrics import default_threshold
from plugins.evaluation.pc_data_api import PDF, XLSX, binary, download
from plugins.evaluation.periods import period_out
from plugins.evaluation.ranking import cutoff
from plugins.evaluation.report_schemas import (BranchMemberPage, BranchPage, BranchReport, ChartData, ChartKind,
                                               CollegeReport, IndividualReport, MemberListItem, ReportPeriodList, TopPage)

# amis sends "period_id=" when the page was opened without one.
BlankAsNone = BeforeValidator(lambda v: None if v == "" else v)

router = APIRouter(prefix="/api/pc/v1/evaluation", tags=["管理端-党员评价"], responses=ERROR_RESPONSES)
Metric = Query(None, max_length=40, title="评价指标", description="composite（综合，默认）、指标编号 m1..m12 或指标名称")
Threshold = Query(None, title="排名阈值", description="百分比，0~100，默认取设置 [evaluation] top_threshold")


@router.get("/reports", response_model=Envelope[ReportPeriodList], summary="评价报告列表（可查看的评价时段）")
async def report_periods(session: SessionDep, actor: Requires("eval.report.view"),
                         period_id: Annotated[Optional[int], BlankAsNone, Query(
                             title="评价时段", description="打开时选中的评价时段（生成评价报告后跳转）；空或不可查看时为最新一期")] = None):
    items = [period_out(p, y) for p, y in await visible_periods(session, actor, mp=False)]
    items.reverse()
    chosen = period_id if any(i.id == period_id for i in items) else (items[0].id if items else None)
    return ok(ReportPeriodList(items=items, total=len(items), options=[Option(label=i.label, value=i.id) for i in items],
                               period_id=chosen, can_college=actor.scope == "all",
                               can_publish=actor.can("eval.report.publish") and actor.scope == "all"))


@router.get("/reports/{period_id}/college", response_model=Envelope[CollegeReport], summary="学院党委评价报告")
async def college_report(period_id: int, session: SessionDep, settings: SettingsDep, actor: Requires("eval.report.view"),
                         metric: Optional[str] = Metric, threshold: Optional[float] = Threshold):
    require_college(actor)
    p, y = await visible_period(session, actor, period_id, mp=False)
    return ok(await college_detail(session, p, f"{y} {p.name}", settings.college_name, metric, threshold, default_threshold(settings)))


@router.get("/reports/{period_id}/college/top", response_model=Envelope[TopPage], summary="学院内排名前 p% 的党员（分页）")
async def college_top_list(period_id: int, session: SessionDep, settings: SettingsDep, actor: Requires("eval.report.view"),
                           paging: PagingDep, metric: Optional[str] = Metric, threshold: Optional[float] = Threshold):
    require_college(actor)
    p, _ = await visible_period(session, actor, period_id, mp=False)
    return ok(await top_page(session, p, metric, threshold, default_threshold(settings), paging))


@router.get("/reports/{period_id}/college/pdf", response_class=Response, responses=binary(PDF, "学院党委评价报告（PDF）"),
            summary="导出学院党委评价报告（PDF）")
async def college_pdf(period_id: int, session: SessionDep, settings: SettingsDep, actor: Requires("eval.report.export"),
                      metric: Optional[str] = Metric, threshold: Optional[float] = Threshold):
    require_college(actor)
    p, y = await visible_period(session, actor, period_id, mp=False)
    d = await college_detail(session, p, f"{y} {p.name}", settings.college_name, metric, threshold, default_threshold(settings))
    top, _ = await college_top(session, p, d.metric, d.top.cutoff, await branch_names(session, p), 0, pdfs.TOP_ROWS + 1)
    return download(pdfs.college_pdf(d, top, settings), PDF, f"学院党委评价报告-{y}{p.name}.pdf")


@router.get("/reports/{period_id}/college/top.xlsx", response_class=Response, responses=binary(XLSX, "前 p% 党员名单（xlsx）"),
            summary="导出学院前 p% 党员名单（Excel，完整名单）")
async def college_top_xlsx(period_id: int, session: SessionDep, settings: SettingsDep, actor: Requires("eval.report.export"),
                           metric: Optional[str] = Metric, threshold: Optional[float] = Threshold):
    require_college(actor)
    p, y = await visible_period(session, actor, period_id, mp=False)
    key, t = metric_key(p, metric), threshold_of(threshold, default_threshold(settings))
    items, count = await college_top(session, p, key, cutoff(p.summary.get("total", 0), t), await branch_names(session, p))
    metric_name = next((m["name"] for m in p.metrics if m["key"] == key), "综合")
    data = xlsx_bytes(["排名", "姓名", "学号", "党支部", "得分"],
                      ([x.rank, x.name, x.student_no, x.branch_name, x.value] for x in items),
                      sheet_title="前列名单", note=f"{y} {p.name}：学院内{metric_name}排名前 {t:g}% 的党员（并列者均列入），共 {count} 人",
                      widths={"学号": 16, "党支部": 24})
    return download(data, XLSX, f"学院前{t:g}%名单-{metric_name}-{y}{p.name}.xlsx")


@router.get("/reports/{period_id}/branches", response_model=Envelope[BranchPage], summary="党支部评价报告列表")
async def branch_reports(period_id: int, session: SessionDep, actor: Requires("eval.report.view"), paging: PagingDep):
    p, _ = await visible_period(session, actor, period_id, mp=False)
    items, total = await branch_list(session, actor, p, paging)
    return ok(BranchPage(items=items, total=total, page=paging.page, per_page=paging.per_page,
                         options=[Option(label=b.name, value=b.branch_id) for b in items],
                         branch_id=items[0].branch_id if items else None))


@router.get("/reports/{period_id}/branches/{branch_id}", response_model=Envelope[BranchReport], summary="党支部评价报告")
async def branch_report(period_id: int, branch_id: int, session: SessionDep, settings: SettingsDep,
                        actor: Requires("eval.report.view"), metric: Optional[str] = Metric,
                        threshold: Optional[float] = Threshold):
    require_branch(actor, branch_id)
    p, y = await visible_period(session, actor, period_id, mp=False)
    return ok(await branch_detail(session, actor, p, f"{y} {p.name}", branch_id, metric, threshold,
                                  default_threshold(settings), mp=False))


@router.get("/reports/{period_id}/branches/{branch_id}/members", response_model=Envelope[BranchMemberPage],
            summary="支部内党员排名（分页）")
async def branch_member_list(period_id: int, branch_id: int, session: SessionDep, settings: SettingsDep,
                             actor: Requires("eval.report.view"), paging: PagingDep, metric: Optional[str] = Metric):
    require_branch(actor, branch_id)
    p, _ = await visible_period(session, actor, period_id, mp=False)
    return ok(await branch_members(session, actor, p, branch_id, metric, None, default_threshold(settings), paging))


@router.get("/reports/{period_id}/branches/{branch_id}/pdf", response_class=Response,
            responses=binary(PDF, "党支部评价报告（PDF）"), summary="导出党支部评价报告（PDF）")
async def branch_pdf(period_id: int, branch_id: int, session: SessionDep, settings: SettingsDep,
                     actor: Requires("eval.report.export"), metric: Optional[str] = Metric,
                     threshold: Optional[float] = Threshold):
    require_branch(actor, branch_id)
    p, y = await visible_period(session, actor, period_id, mp=False)
    d = await branch_detail(session, actor, p, f"{y} {p.name}", branch_id, metric, threshold, default_threshold(settings), mp=False)
    members = await branch_members(session, actor, p, branch_id, metric, threshold, default_threshold(settings), None)
    return download(pdfs.branch_pdf(d, members, settings), PDF, f"{d.overview.name}评价报告-{y}{p.name}.pdf")


@router.get("/reports/{period_id}/members", response_model=Envelope[Page[MemberListItem]], summary="党员个人评价报告列表")
async def member_reports(period_id: int, session: SessionDep, actor: Requires("eval.report.view"), paging: PagingDep,
                         name: str = Query("", max_length=64, title="姓名或学号"),
                         branch_id: Optional[int] = Query(None, ge=1, lt=2**63, title="党支部")):
    p, _ = await visible_period(session, actor, period_id, mp=False)
    items, total = await member_list(session, actor, p, name, branch_id, paging.offset, paging.per_page)
    return ok(Page[MemberListItem](items=items, total=total, page=paging.page, per_page=paging.per_page))


@router.get("/reports/{period_id}/members/{user_id}", response_model=Envelope[IndividualReport], summary="党员个人评价报告")
async def member_report(period_id: int, user_id: int, session: SessionDep, actor: Requires("eval.report.view")):
    p, y = await visible_period(session, actor, period_id, mp=False)
    return ok(await individual_detail(session, actor, p, f"{y} {p.name}", user_id, mp=False))


@router.get("/reports/{period_id}/members/{user_id}/pdf", response_class=Response,
            responses=binary(PDF, "党员个人评价报告（PDF）"), summary="导出党员个人评价报告（PDF）")
async def member_pdf(period_id: int, user_id: int, session: SessionDep, settings: SettingsDep,
                     actor: Requires("eval.report.export")):
    p, y = await visible_period(session, actor, period_id, mp=False)
    d = await individual_detail(session, actor, p, f"{y} {p.name}", user_id, mp=False)
    return download(pdfs.individual_pdf(d, settings), PDF, f"党员个人评价报告-{d.basic.name}-{y}{p.name}.pdf")


@router.get("/reports/{period_id}/chart", response_model=Envelope[ChartData], summary="评价报告图表数据")
async def chart(period_id: int, session: SessionDep, settings: SettingsDep, actor: Requires("eval.report.view"),
                kind: ChartKind = Query(title="图表", description="branch_top 各支部前列人数 | branch_history 支部历史排名 | "
                                                              "branch_top_history 支部各时段前列人数 | member_trend 个人排名趋势"),
                branch_id: Optional[int] = Query(None, ge=1, lt=2**63, title="党支部"),
                user_id: Optional[int] = Query(None, ge=1, lt=2**63, title="党员"),
                metric: Optional[str] = Metric, threshold: Optional[float] = Threshold):
    p, y = await visible_period(session, actor, period_id, mp=False)
    label, t = f"{y} {p.name}", default_threshold(settings)
    if kind == "branch_top":
        require_college(actor)
        d = await college_detail(session, p, label, settings.college_name, metric, threshold, t, with_top10=False)
        return ok(charts.branch_top(d))
    if kind in ("branch_history", "branch_top_history"):
        if branch_id is None:
            raise fail(422, "请选择党支部", field="branch_id", label="党支部")
        d = await branch_detail(session, actor, p, label, branch_id, metric, threshold, t, mp=False)
        return ok(charts.branch_history(d) if kind == "branch_history" else charts.branch_top_history(d))
    if user_id is None:
        raise fail(422, "请选择党员", field="user_id", label="党员")
    return ok(charts.member_trend(await individual_detail(session, actor, p, label, user_id, mp=False)))
