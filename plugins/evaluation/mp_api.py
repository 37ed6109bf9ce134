"""Mini-program API of 考核评价报告 (EV-8..EV-11): published reports only; the answers are the data
themselves (models of report_schemas.py), lists paged with ``page``/``per_page``/``total``."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Path, Query
from sqlalchemy import select

from core.sdk import ERROR_RESPONSES, Page, PagingDep, Requires, SessionDep, SettingsDep, fail
from plugins.evaluation.access import NOT_FOUND, require_branch, require_college, visible_period, visible_periods
from plugins.evaluation.branch_report import branch_detail, branch_list, branch_members
from plugins.evaluation.college_report import college_detail, top_page
from plugins.evaluation.member_report import individual_detail, member_list
from plugins.evaluation.metrics import default_threshold
from plugins.evaluation.models import EvalBranchResult, EvalResult
from plugins.evaluation.pc_report_api import Metric, Threshold
from plugins.evaluation.report_schemas import (ORDER_LABELS, BranchListItem, BranchMemberPage, BranchReport, CollegeReport,
                                               IndividualReport, MemberListItem, ReportLevels, ReportList, ReportListItem,
                                               ReportOrder, TopPage)

router = APIRouter(prefix="/api/mp/v1/evaluation", tags=["小程序-考核评价报告"], responses=ERROR_RESPONSES)


@router.get("/reports", response_model=ReportList, summary="考核评价报告列表")
async def report_list(
    session: SessionDep, actor: Requires("mp.eval"), paging: PagingDep,
    year: Optional[str] = Query(None, max_length=40, title="评价年份", description="默认全部"),
    order: ReportOrder = Query("latest", title="排序方式", description="latest 时间最晚（默认）/ earliest 时间最早 / "
                                                                 "best 名次最前 / worst 名次最后"),
):
    periods = await visible_periods(session, actor, mp=True)
    years = list(dict.fromkeys(y for _, y in periods))
    if year:
        periods = [(p, y) for p, y in periods if y == year]
    ids = [p.id for p, _ in periods]
    mine: dict[int, int] = {}
    if ids and actor.scope == "self":
        mine = dict((await session.execute(select(EvalResult.period_id, EvalResult.college_rank).where(
            EvalResult.user_id == actor.id, EvalResult.period_id.in_(ids)))).all())
    elif ids and actor.scope == "branch" and actor.branch_id:
        mine = dict((await session.execute(select(EvalBranchResult.period_id, EvalBranchResult.rank).where(
            EvalBranchResult.branch_id == actor.branch_id, EvalBranchResult.period_id.in_(ids)))).all())
    # Time order is the list order; "best"/"worst" put periods without a rank of one's own last, latest first.
    positions = {p.id: i for i, (p, _) in enumerate(periods)}
    items = [ReportListItem(id=p.id, year=y, name=p.name, label=f"{y} {p.name}", student_count=p.summary.get("total", 0),
                            my_rank=mine.get(p.id), published_at=p.published_at) for p, y in periods]
    if order == "latest":
        items.reverse()
    elif order in ("best", "worst"):
        sign = 1 if order == "best" else -1
        ranked = sorted((x for x in items if x.my_rank is not None), key=lambda x: (sign * x.my_rank, -positions[x.id]))
        rest = sorted((x for x in items if x.my_rank is None), key=lambda x: -positions[x.id])
        items = ranked + rest
    page = items[paging.offset:paging.offset + paging.per_page]
    return ReportList(items=page, total=len(items), page=paging.page, per_page=paging.per_page, years=years, year=year,
                      order=order, order_label=ORDER_LABELS[order],
                      levels=ReportLevels(college=actor.can("mp.eval.college") and actor.scope == "all",
                                          branch=actor.can("mp.eval.branch") and actor.scope in ("all", "branch"),
                                          individual=actor.can("mp.eval.individual")))


@router.get("/reports/{period_id}/college", response_model=CollegeReport, summary="评价报告明细-学院党委")
async def college(period_id: int, session: SessionDep, settings: SettingsDep, actor: Requires("mp.eval.college"),
                  metric: Optional[str] = Metric, threshold: Optional[float] = Threshold):
    require_college(actor)
    p, y = await visible_period(session, actor, period_id, mp=True)
    return await college_detail(session, p, f"{y} {p.name}", settings.college_name, metric, threshold, default_threshold(settings))


@router.get("/reports/{period_id}/college/top", response_model=TopPage, summary="学院内排名前 p% 的党员（分页）")
async def college_top(period_id: int, session: SessionDep, settings: SettingsDep, actor: Requires("mp.eval.college"),
                      paging: PagingDep, metric: Optional[str] = Metric, threshold: Optional[float] = Threshold):
    require_college(actor)
    p, _ = await visible_period(session, actor, period_id, mp=True)
    return await top_page(session, p, metric, threshold, default_threshold(settings), paging)


@router.get("/reports/{period_id}/branches", response_model=Page[BranchListItem], summary="可查看的党支部")
async def branches(period_id: int, session: SessionDep, actor: Requires("mp.eval.branch"), paging: PagingDep):
    p, _ = await visible_period(session, actor, period_id, mp=True)
    items, total = await branch_list(session, actor, p, paging)
    return Page[BranchListItem](items=items, total=total, page=paging.page, per_page=paging.per_page)


@router.get("/reports/{period_id}/branches/{branch_id}", response_model=BranchReport, summary="评价报告明细-二级支部")
async def branch(period_id: int, branch_id: int, session: SessionDep, settings: SettingsDep, actor: Requires("mp.eval.branch"),
                 metric: Optional[str] = Metric, threshold: Optional[float] = Threshold):
    require_branch(actor, branch_id)
    p, y = await visible_period(session, actor, period_id, mp=True)
    return await branch_detail(session, actor, p, f"{y} {p.name}", branch_id, metric, threshold, default_threshold(settings), mp=True)


@router.get("/reports/{period_id}/branches/{branch_id}/members", response_model=BranchMemberPage, summary="支部内党员排名（分页）")
async def branch_member_list(period_id: int, branch_id: int, session: SessionDep, settings: SettingsDep,
                             actor: Requires("mp.eval.branch"), paging: PagingDep, metric: Optional[str] = Metric):
    require_branch(actor, branch_id)
    p, _ = await visible_period(session, actor, period_id, mp=True)
    return await branch_members(session, actor, p, branch_id, metric, None, default_threshold(settings), paging)


@router.get("/reports/{period_id}/members", response_model=Page[MemberListItem], summary="党员个人列表（点击姓名查看报告）")
async def members(period_id: int, session: SessionDep, actor: Requires("mp.eval.individual"), paging: PagingDep,
                  name: str = Query("", max_length=64, title="姓名或学号"),
                  branch_id: Optional[int] = Query(None, ge=1, lt=2**63, title="党支部")):
    p, _ = await visible_period(session, actor, period_id, mp=True)
    items, total = await member_list(session, actor, p, name, branch_id, paging.offset, paging.per_page)
    return Page[MemberListItem](items=items, total=total, page=paging.page, per_page=paging.per_page)


@router.get("/reports/{period_id}/members/{user_id}", response_model=IndividualReport,
            summary="评价报告明细-党员个人（学生用 me 查看本人）")
async def member(period_id: int, session: SessionDep, actor: Requires("mp.eval.individual"),
                 user_id: str = Path(max_length=20, title="党员", description="用户编号，或 me（本人）")):
    if user_id == "me":
        uid = actor.id
    elif user_id.isascii() and user_id.isdigit() and int(user_id) < 2**63:
        uid = int(user_id)
    else:
        raise fail(404, NOT_FOUND)
    p, y = await visible_period(session, actor, period_id, mp=True)
    return await individual_detail(session, actor, p, f"{y} {p.name}", uid, mp=True)
