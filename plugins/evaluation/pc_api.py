"""PC (admin UI) API of 党员评价: 数据管理 (EV-1..4, EV-7) and 评价结果 (EV-5, EV-6) with charts."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Body, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import select, update

from core.auth import Actor, Requires
from core.db import SessionDep
from core.deps import SettingsDep
from core.documents import xlsx_bytes
from core.errors import fail
from core.files import check_content, read_upload
from core.models import utcnow
from core.responses import PagingDep, ok, count_of
from plugins.evaluation import charts, importer, pdfs, reports
from plugins.evaluation.bulk import gc_paused
from plugins.evaluation.generate import generate
from plugins.evaluation.metrics import default_metrics, default_threshold, normalise, slot
from plugins.evaluation.models import EvalPeriod, EvalRecord, EvalYear
from plugins.evaluation.periods import (check_name_free, delete_period, drop_empty_years, load_period, next_sort,
                                        ordered_periods, period_json, year_by_name)
from plugins.org_mgmt.models import Organisation

router = APIRouter(prefix="/api/pc/v1/evaluation", tags=["管理端-党员评价"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(data: bytes, media: str, filename: str) -> Response:
    from urllib.parse import quote

    return Response(data, media_type=media, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})


# --- periods (EV-1) --------------------------------------------------------------------

class PeriodIn(BaseModel):
    year: str = Field(min_length=1, max_length=40, title="评价年份")
    name: str = Field(min_length=1, max_length=40, title="评价学期")


class PeriodUpdate(BaseModel):
    name: Optional[str] = Field(None, min_length=1, max_length=40, title="评价学期")
    year_id: Optional[int] = Field(None, title="评价年份")


@router.get("/periods", summary="评价时段（年份与学期）")
async def list_periods(session: SessionDep, actor: Requires("eval.data.view")):
    years: dict[int, dict] = {}
    items = []
    for p, y in await ordered_periods(session):
        j = period_json(p, y)
        items.append(j)
        years.setdefault(p.year_id, {"id": p.year_id, "name": y, "periods": []})["periods"].append(j)
    return ok({"years": list(years.values()), "items": items, "total": len(items),
               "options": [{"label": i["label"], "value": i["id"]} for i in items]})


@router.post("/periods", summary="添加评价学期（评价年份不存在时一并添加）")
async def create_period(body: PeriodIn, session: SessionDep, settings: SettingsDep, actor: Requires("eval.data.edit")):
    year = await year_by_name(session, body.year)
    name = body.name.strip()
    await check_name_free(session, year.id, name)
    p = EvalPeriod(year_id=year.id, name=name, sort=await next_sort(session, year.id), metrics=default_metrics(settings))
    session.add(p)
    await session.commit()
    return ok(period_json(p, year.name), "添加成功")


@router.get("/periods/{period_id}", summary="评价时段详情")
async def get_period(period_id: int, session: SessionDep, actor: Requires("eval.data.view")):
    p, y = await load_period(session, period_id)
    return ok(period_json(p, y))


@router.put("/periods/{period_id}", summary="重命名评价学期 / 移动到其他评价年份")
async def update_period(period_id: int, body: PeriodUpdate, session: SessionDep, actor: Requires("eval.data.edit")):
    p, _ = await load_period(session, period_id)
    target = p.year_id
    if body.year_id is not None and body.year_id != p.year_id:
        if await session.get(EvalYear, body.year_id) is None:
            raise fail(404, "评价年份不存在")
        target = body.year_id
    name = body.name.strip() if body.name else p.name
    await check_name_free(session, target, name, except_id=p.id)
    if target != p.year_id:
        p.sort = await next_sort(session, target)
    p.year_id, p.name = target, name
    session.add(p)
    await session.flush()
    await drop_empty_years(session)
    await session.commit()
    p, y = await load_period(session, period_id)
    return ok(period_json(p, y), "保存成功")


@router.delete("/periods/{period_id}", summary="删除评价学期（其数据与报告一并删除）")
async def remove_period(period_id: int, session: SessionDep, actor: Requires("eval.data.edit")):
    p, _ = await load_period(session, period_id)
    await delete_period(session, p)
    await session.commit()
    return ok(msg="删除成功")


@router.get("/years", summary="评价年份")
async def list_years(session: SessionDep, actor: Requires("eval.data.view")):
    rows = (await session.execute(select(EvalYear).order_by(EvalYear.name))).scalars().all()
    return ok({"items": [{"id": y.id, "name": y.name} for y in rows], "options": [{"label": y.name, "value": y.id} for y in rows]})


@router.put("/periods/{period_id}/metrics", summary="设置评价指标（首次生成报告前）")
async def set_metrics(period_id: int, session: SessionDep, actor: Requires("eval.data.edit"), metrics: list = Body(..., embed=True)):
    p, y = await load_period(session, period_id)
    if p.generated_at is not None:
        raise fail(409, "该评价时段已生成过评价报告，评价指标不能再修改")
    new = normalise(metrics)
    old_keys, new_keys = {m["key"] for m in p.metrics}, {m["key"] for m in new}
    sent = {str(m.get("key")) for m in metrics if isinstance(m, dict) and m.get("key")}
    # A metric is new when the client did not send an existing key for it; it may reuse a dropped
    # metric's slot, so that slot's values are cleared, as are the slots of dropped metrics.
    added = {k for k in new_keys if k not in sent or k not in old_keys}
    dropped = old_keys - new_keys
    if (dropped or added) and p.record_count:
        await session.execute(update(EvalRecord).where(EvalRecord.period_id == p.id)
                              .values({f"v{slot(k)}": None for k in dropped | added}))
    if p.record_count and new != p.metrics:
        p.data_version += 1
    p.metrics = new
    session.add(p)
    await session.commit()
    again = p.record_count and (dropped or added)
    return ok(period_json(p, y), "保存成功" + ("。评价指标有增删，请下载新的导入模板重新导入数据" if again else ""))


# --- import, data, generate (EV-2..4) ------------------------------------------------------

@router.get("/periods/{period_id}/template", summary="下载导入模板")
async def template(period_id: int, session: SessionDep, actor: Requires("eval.data.view")):
    p, y = await load_period(session, period_id)
    return _download(importer.template_bytes(p, f"{y} {p.name}"), XLSX, f"党员评价导入模板-{y}{p.name}.xlsx")


@router.post("/periods/{period_id}/import", summary="批量导入（全部导入 / 局部导入）")
async def import_data(
    period_id: int, request: Request, session: SessionDep, settings: SettingsDep, actor: Requires("eval.data.edit"),
    file: UploadFile = File(..., description="xlsx 文件"), mode: str = Form("full", description="full 全部导入 / partial 局部导入"),
    training_type: Optional[str] = Form(None, description="培养类型（局部导入必选）"),
):
    p, _ = await load_period(session, period_id)
    data = await read_upload(file, settings)
    check_content(data, settings, ["xlsx"])
    result = await importer.import_file(session, p, data, mode, training_type)
    return ok(result, f"导入成功，共 {result['imported']} 条数据。请重新点击“生成评价报告”更新报告")


@router.get("/periods/{period_id}/records", summary="评价数据列表")
async def list_records(period_id: int, session: SessionDep, actor: Requires("eval.data.view"), paging: PagingDep,
                       name: str = Query("", title="姓名或学号"), branch_id: Optional[int] = Query(None, title="党支部")):
    p, _ = await load_period(session, period_id)
    q = select(EvalRecord).where(EvalRecord.period_id == p.id)
    if name:
        q = q.where(EvalRecord.name.contains(name.strip()) | EvalRecord.student_no.contains(name.strip()))
    if branch_id:
        q = q.where(EvalRecord.branch_id == branch_id)
    total = await count_of(session, q)
    rows = (await session.execute(q.order_by(EvalRecord.branch_id, EvalRecord.student_no).offset(paging.offset).limit(paging.per_page))).scalars()
    rows = list(rows)
    bnames = dict((await session.execute(select(Organisation.id, Organisation.name).where(
        Organisation.id.in_({r.branch_id for r in rows})))).all()) if rows else {}
    items = [{"id": r.id, "user_id": r.user_id, "name": r.name, "student_no": r.student_no, "branch_id": r.branch_id,
              "branch_name": bnames.get(r.branch_id, ""), "training_type": r.training_type, **{m["key"]: getattr(r, f"v{slot(m['key'])}") for m in p.metrics}} for r in rows]
    return ok({"items": items, "total": total, "metrics": p.metrics})


@router.get("/periods/{period_id}/records/schema", summary="数据编辑页面（amis，列与输入框按本时段的评价指标）")
async def records_page_schema(period_id: int, session: SessionDep, actor: Requires("eval.data.view")):
    from plugins.evaluation.admin import records_schema

    p, y = await load_period(session, period_id)
    return ok(records_schema(period_json(p, y)))


@router.put("/records/{record_id}", summary="编辑评价数据")
async def update_record(record_id: int, session: SessionDep, actor: Requires("eval.data.edit"), data: dict = Body(...)):
    r = await session.get(EvalRecord, record_id)
    if r is None:
        raise fail(404, "评价数据不存在")
    p, _ = await load_period(session, r.period_id)
    values, errors = {}, []
    for m in p.metrics:
        if m["key"] in data:
            v = importer._number(data[m["key"]])
            if v is None:
                errors.append({"field": m["key"], "label": m["name"], "msg": f"{m['name']}应为数字"})
            else:
                values[m["key"]] = v
    if errors:
        raise fail(422, "；".join(e["msg"] for e in errors), errors=errors)
    for key, v in values.items():
        setattr(r, f"v{slot(key)}", v)
    r.updated_at = utcnow()
    p.data_version += 1
    session.add_all([r, p])
    await session.commit()
    return ok({"id": r.id, **{m["key"]: getattr(r, f"v{slot(m['key'])}") for m in p.metrics}},
              "保存成功。编辑数据后，请再次点击“生成评价报告”更新报告")


@router.post("/periods/{period_id}/generate", summary="生成评价报告")
async def generate_report(period_id: int, session: SessionDep, settings: SettingsDep, actor: Requires("eval.data.edit")):
    p, _ = await load_period(session, period_id)
    with gc_paused():  # 10,000 rows of tuples: see bulk.gc_paused
        result = await generate(session, p, default_threshold(settings))
    return ok(result, "评价报告已生成")


# --- publish / withdraw (EV-7) --------------------------------------------------------------

def _committee_only(actor: Actor) -> None:
    if actor.scope != "all":
        raise fail(403, "发布和撤回报告仅开放给学院党委账号")


@router.post("/periods/{period_id}/publish", summary="发布评价报告")
async def publish(period_id: int, session: SessionDep, actor: Requires("eval.report.publish")):
    _committee_only(actor)
    p, _ = await load_period(session, period_id)
    if p.generated_at is None:
        raise fail(409, "请先生成评价报告")
    p.published, p.published_at = True, utcnow()
    session.add(p)
    await session.commit()
    return ok(msg="报告已发布")


@router.post("/periods/{period_id}/withdraw", summary="撤回评价报告")
async def withdraw(period_id: int, session: SessionDep, actor: Requires("eval.report.publish")):
    _committee_only(actor)
    p, _ = await load_period(session, period_id)
    if not p.published:
        raise fail(409, "该报告尚未发布")
    p.published, p.withdrawn_at = False, utcnow()
    session.add(p)
    await session.commit()
    return ok(msg="报告已撤回，党支部和学生将无法查看")


# --- reports (EV-5, EV-6) ---------------------------------------------------------------

@router.get("/reports", summary="评价报告列表（可查看的评价时段）")
async def report_periods(session: SessionDep, actor: Requires("eval.report.view")):
    items = [period_json(p, y) for p, y in await reports.visible_periods(session, actor, mp=False)]
    items.reverse()
    return ok({"items": items, "total": len(items), "options": [{"label": i["label"], "value": i["id"]} for i in items],
               "period_id": items[0]["id"] if items else None,
               "can_college": actor.scope == "all", "can_publish": actor.can("eval.report.publish") and actor.scope == "all"})


@router.get("/reports/{period_id}/college", summary="学院党委评价报告")
async def college_report(period_id: int, session: SessionDep, settings: SettingsDep, actor: Requires("eval.report.view"),
                         metric: Optional[str] = None, threshold: Optional[float] = None):
    reports.require_college(actor)
    p, y = await reports.visible_period(session, actor, period_id, mp=False)
    return ok(await reports.college_detail(session, p, f"{y} {p.name}", settings.college_name, metric, threshold, default_threshold(settings)))


@router.get("/reports/{period_id}/branches", summary="党支部评价报告列表")
async def branch_reports(period_id: int, session: SessionDep, actor: Requires("eval.report.view")):
    p, _ = await reports.visible_period(session, actor, period_id, mp=False)
    items = await reports.branch_list(session, actor, p)
    return ok({"items": items, "total": len(items), "options": [{"label": b["name"], "value": b["branch_id"]} for b in items],
               "branch_id": items[0]["branch_id"] if items else None})


@router.get("/reports/{period_id}/branches/{branch_id}", summary="党支部评价报告")
async def branch_report(period_id: int, branch_id: int, session: SessionDep, settings: SettingsDep, actor: Requires("eval.report.view"),
                        metric: Optional[str] = None, threshold: Optional[float] = None):
    reports.require_branch(actor, branch_id)
    p, y = await reports.visible_period(session, actor, period_id, mp=False)
    return ok(await reports.branch_detail(session, actor, p, f"{y} {p.name}", branch_id, metric, threshold,
                                          default_threshold(settings), mp=False))


@router.get("/reports/{period_id}/members", summary="党员个人评价报告列表")
async def member_reports(period_id: int, session: SessionDep, actor: Requires("eval.report.view"), paging: PagingDep,
                         name: str = Query(""), branch_id: Optional[int] = Query(None)):
    p, _ = await reports.visible_period(session, actor, period_id, mp=False)
    items, total = await reports.member_list(session, actor, p, name, branch_id, paging.offset, paging.per_page)
    return ok({"items": items, "total": total})


@router.get("/reports/{period_id}/members/{user_id}", summary="党员个人评价报告")
async def member_report(period_id: int, user_id: int, session: SessionDep, actor: Requires("eval.report.view")):
    p, y = await reports.visible_period(session, actor, period_id, mp=False)
    return ok(await reports.individual_detail(session, actor, p, f"{y} {p.name}", user_id, mp=False))


@router.get("/reports/{period_id}/college/pdf", summary="导出学院党委评价报告（PDF）")
async def college_pdf(period_id: int, session: SessionDep, settings: SettingsDep, actor: Requires("eval.report.export"),
                      metric: Optional[str] = None, threshold: Optional[float] = None):
    reports.require_college(actor)
    p, y = await reports.visible_period(session, actor, period_id, mp=False)
    d = await reports.college_detail(session, p, f"{y} {p.name}", settings.college_name, metric, threshold, default_threshold(settings))
    return _download(pdfs.college_pdf(d, settings), "application/pdf", f"学院党委评价报告-{y}{p.name}.pdf")


@router.get("/reports/{period_id}/college/top", summary="学院内排名前 p% 的党员（分页）")
async def college_top(period_id: int, session: SessionDep, settings: SettingsDep, actor: Requires("eval.report.view"),
                      paging: PagingDep, metric: Optional[str] = None, threshold: Optional[float] = None):
    reports.require_college(actor)
    p, _ = await reports.visible_period(session, actor, period_id, mp=False)
    return ok(await reports.college_top_page(session, p, metric, threshold, default_threshold(settings), paging.offset, paging.per_page))


@router.get("/reports/{period_id}/college/top.xlsx", summary="导出学院前 p% 党员名单（Excel，完整名单）")
async def college_top_xlsx(period_id: int, session: SessionDep, settings: SettingsDep, actor: Requires("eval.report.export"),
                           metric: Optional[str] = None, threshold: Optional[float] = None):
    reports.require_college(actor)
    p, y = await reports.visible_period(session, actor, period_id, mp=False)
    d = await reports.college_detail(session, p, f"{y} {p.name}", settings.college_name, metric, threshold, default_threshold(settings))
    metric_name = next(m["name"] for m in d["metrics"] if m["key"] == d["metric"])
    data = xlsx_bytes(["排名", "姓名", "学号", "党支部", "得分"],
                      ([x["rank"], x["name"], x["student_no"], x["branch_name"], x["value"]] for x in d["top"]["items"]),
                      sheet_title="前列名单", note=f"{y} {p.name}：学院内{metric_name}排名前 {d['threshold']:g}% 的党员，共 {d['top']['count']} 人",
                      widths={"学号": 16, "党支部": 24})
    return _download(data, XLSX, f"学院前{d['threshold']:g}%名单-{metric_name}-{y}{p.name}.xlsx")


@router.get("/reports/{period_id}/branches/{branch_id}/pdf", summary="导出党支部评价报告（PDF）")
async def branch_pdf(period_id: int, branch_id: int, session: SessionDep, settings: SettingsDep, actor: Requires("eval.report.export"),
                     metric: Optional[str] = None, threshold: Optional[float] = None):
    reports.require_branch(actor, branch_id)
    p, y = await reports.visible_period(session, actor, period_id, mp=False)
    d = await reports.branch_detail(session, actor, p, f"{y} {p.name}", branch_id, metric, threshold, default_threshold(settings), mp=False)
    return _download(pdfs.branch_pdf(d, settings), "application/pdf", f"{d['overview']['name']}评价报告-{y}{p.name}.pdf")


@router.get("/reports/{period_id}/members/{user_id}/pdf", summary="导出党员个人评价报告（PDF）")
async def member_pdf(period_id: int, user_id: int, session: SessionDep, settings: SettingsDep, actor: Requires("eval.report.export")):
    p, y = await reports.visible_period(session, actor, period_id, mp=False)
    d = await reports.individual_detail(session, actor, p, f"{y} {p.name}", user_id, mp=False)
    return _download(pdfs.individual_pdf(d, settings), "application/pdf", f"党员个人评价报告-{d['basic']['name']}-{y}{p.name}.pdf")


@router.get("/reports/{period_id}/chart", summary="评价报告图表（amis chart 配置）")
async def chart(period_id: int, session: SessionDep, settings: SettingsDep, actor: Requires("eval.report.view"),
                kind: str = Query(..., description="branch_top | branch_history | branch_top_history | member_trend"),
                branch_id: Optional[int] = None, user_id: Optional[int] = None,
                metric: Optional[str] = None, threshold: Optional[float] = None):
    p, y = await reports.visible_period(session, actor, period_id, mp=False)
    label, t = f"{y} {p.name}", default_threshold(settings)
    if kind == "branch_top":
        reports.require_college(actor)
        d = await reports.college_detail(session, p, label, settings.college_name, metric, threshold, t, lists=False)
        return ok(charts.bars(f"各支部学院前 {d['threshold']:g}% 党员人数", [b["name"] for b in d["branch_ranking"]],
                              [b["top_count"] for b in d["branch_ranking"]], "人数"))
    if kind in ("branch_history", "branch_top_history"):
        if branch_id is None:
            raise fail(422, "请选择党支部")
        d = await reports.branch_detail(session, actor, p, label, branch_id, metric, threshold, t, mp=False)
        if kind == "branch_history":
            return ok(charts.rank_lines("支部历史排名变化", [h["label"] for h in d["history"]], {"综合排名": [h["rank"] for h in d["history"]]}))
        return ok(charts.bars(f"学院内前 {d['threshold']:g}% 的党员人数", [h["label"] for h in d["top_history"]],
                              [h["top_count"] for h in d["top_history"]], "人数"))
    if kind == "member_trend":
        if user_id is None:
            raise fail(422, "请选择党员")
        d = await reports.individual_detail(session, actor, p, label, user_id, mp=False)
        names = list(dict.fromkeys(n for x in d["trend"] for n in x["ranks"]))
        return ok(charts.rank_lines("排名变化趋势（学院内）", [x["label"] for x in d["trend"]],
                                    {n: [x["ranks"].get(n, {}).get("college") for x in d["trend"]] for n in names}))
    raise fail(422, "图表类型不存在")
