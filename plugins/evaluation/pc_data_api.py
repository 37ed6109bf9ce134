"""PC (admin UI) API of 数据管理: periods (EV-1), metrics, import (EV-2), data edit (EV-3), generate
(EV-4), publish and withdraw (EV-7). Every answer is ``Envelope[...]`` of a model in schemas.py."""
from __future__ import annotations

from typing import Optional
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import Response
from sqlalchemy import select, update

from core.errors import field_error
from core.sdk import (ERROR_RESPONSES, Actor, Empty, Envelope, Option, PagingDep, Requires, SessionDep, SettingsDep,
                      count_of, fail, ok, read_upload, utcnow)
from plugins.evaluation import importer
from plugins.evaluation.bulk import gc_paused
from plugins.evaluation.generate import generate
from plugins.evaluation.metrics import default_metrics, default_threshold, normalise, out_of_range, slot, with_range
from plugins.evaluation.models import EvalPeriod, EvalRecord, EvalYear
from plugins.evaluation.periods import (check_name_free, delete_period, drop_empty_years, load_period, next_sort,
                                        ordered_periods, period_out, year_by_name)
from plugins.evaluation.previous import relink
from plugins.evaluation.schemas import (GenerateResult, ImportResult, MetricsIn, PeriodIn, PeriodList, PeriodOut,
                                        PeriodUpdate, RecordOut, RecordPage, RecordSaved, RecordUpdate, YearList, YearOut,
                                        YearWithPeriods)
from plugins.org_mgmt.models import Organisation

router = APIRouter(prefix="/api/pc/v1/evaluation", tags=["管理端-党员评价"], responses=ERROR_RESPONSES)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def binary(media: str, what: str) -> dict:
    """The OpenAPI answer of a file download: its content type, as binary."""
    return {200: {"content": {media: {"schema": {"type": "string", "format": "binary"}}}, "description": what}}


def download(data: bytes, media: str, filename: str) -> Response:
    return Response(data, media_type=media, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})


# --- periods (EV-1) --------------------------------------------------------------------

@router.get("/periods", response_model=Envelope[PeriodList], summary="评价时段（年份与学期）")
async def list_periods(session: SessionDep, actor: Requires("eval.data.view")):
    years: dict[int, YearWithPeriods] = {}
    items = []
    for p, y in await ordered_periods(session):
        out = period_out(p, y)
        items.append(out)
        years.setdefault(p.year_id, YearWithPeriods(id=p.year_id, name=y, periods=[])).periods.append(out)
    return ok(PeriodList(years=list(years.values()), items=items, total=len(items),
                         options=[Option(label=i.label, value=i.id) for i in items]))


@router.post("/periods", response_model=Envelope[PeriodOut], summary="添加评价学期（评价年份不存在时一并添加）")
async def create_period(body: PeriodIn, session: SessionDep, settings: SettingsDep, actor: Requires("eval.data.edit")):
    year = await year_by_name(session, body.year)
    name = body.name.strip()
    if not name:
        raise fail(422, "评价学期不能为空", field="name", label="评价学期")
    await check_name_free(session, year.id, name)
    p = EvalPeriod(year_id=year.id, name=name, sort=await next_sort(session, year.id), metrics=default_metrics(settings))
    session.add(p)
    await session.commit()
    return ok(period_out(p, year.name), "添加成功")


@router.get("/periods/{period_id}", response_model=Envelope[PeriodOut], summary="评价时段详情")
async def get_period(period_id: int, session: SessionDep, actor: Requires("eval.data.view")):
    p, y = await load_period(session, period_id)
    return ok(period_out(p, y))


@router.put("/periods/{period_id}", response_model=Envelope[PeriodOut], summary="重命名评价学期 / 移动到其他评价年份")
async def update_period(period_id: int, body: PeriodUpdate, session: SessionDep, actor: Requires("eval.data.edit")):
    p, _ = await load_period(session, period_id)
    target = p.year_id
    if body.year_id is not None and body.year_id != p.year_id:
        if await session.get(EvalYear, body.year_id) is None:
            raise fail(404, "评价年份不存在")
        target = body.year_id
    name = body.name.strip() if body.name else p.name
    if not name:
        raise fail(422, "评价学期不能为空", field="name", label="评价学期")
    await check_name_free(session, target, name, except_id=p.id)
    moved = target != p.year_id
    if moved:
        p.sort = await next_sort(session, target)
    p.year_id, p.name = target, name
    session.add(p)
    await session.flush()
    await drop_empty_years(session)
    refreshed = await relink(session) if moved else []  # the order changed: 较上期 may now compare with another period
    await session.commit()
    p, y = await load_period(session, period_id)
    note = f"。已同步更新 {len(refreshed)} 个评价时段的“较上期”数据" if refreshed else ""
    return ok(period_out(p, y), "保存成功" + note)


@router.delete("/periods/{period_id}", response_model=Envelope[Empty], summary="删除评价学期（其数据与报告一并删除）")
async def remove_period(period_id: int, session: SessionDep, actor: Requires("eval.data.edit")):
    p, _ = await load_period(session, period_id)
    await delete_period(session, p)
    refreshed = await relink(session)  # later reports that compared with this one
    await session.commit()
    note = f"。已同步更新 {len(refreshed)} 个评价时段的“较上期”数据" if refreshed else ""
    return ok(Empty(), "删除成功" + note)


@router.get("/years", response_model=Envelope[YearList], summary="评价年份")
async def list_years(session: SessionDep, actor: Requires("eval.data.view")):
    rows = (await session.execute(select(EvalYear).order_by(EvalYear.name))).scalars().all()
    return ok(YearList(items=[YearOut(id=y.id, name=y.name) for y in rows], total=len(rows),
                       options=[Option(label=y.name, value=y.id) for y in rows]))


@router.put("/periods/{period_id}/metrics", response_model=Envelope[PeriodOut], summary="设置评价指标（首次生成报告前）")
async def set_metrics(period_id: int, body: MetricsIn, session: SessionDep, actor: Requires("eval.data.edit")):
    p, y = await load_period(session, period_id)
    if p.generated_at is not None:
        raise fail(409, "该评价时段已生成过评价报告，评价指标不能再修改")
    sent_raw = [m.model_dump() for m in body.metrics]
    new = normalise(sent_raw)
    old_keys, new_keys = {m["key"] for m in p.metrics}, {m["key"] for m in new}
    sent = {str(m["key"]) for m in sent_raw if m.get("key")}
    # A metric is new when the client did not send an existing key for it; it may reuse a dropped
    # metric's slot, so that slot's values are cleared, as are the slots of dropped metrics.
    added = {k for k in new_keys if k not in sent or k not in old_keys}
    dropped = old_keys - new_keys
    if (dropped or added) and p.record_count:
        await session.execute(update(EvalRecord).where(EvalRecord.period_id == p.id)
                              .values({f"v{slot(k)}": None for k in dropped | added}))
    if p.record_count and new != with_range(p.metrics):
        p.data_version += 1
    p.metrics = new
    session.add(p)
    await session.commit()
    again = p.record_count and (dropped or added)
    return ok(period_out(p, y), "保存成功" + ("。评价指标有增删，请下载新的导入模板重新导入数据" if again else ""))


# --- import, data, generate (EV-2..4) ------------------------------------------------------

@router.get("/periods/{period_id}/template", response_class=Response, responses=binary(XLSX, "导入模板（xlsx）"),
            summary="下载导入模板")
async def template(period_id: int, session: SessionDep, actor: Requires("eval.data.view")):
    p, y = await load_period(session, period_id)
    return download(importer.template_bytes(p, f"{y} {p.name}"), XLSX, f"党员评价导入模板-{y}{p.name}.xlsx")


@router.post("/periods/{period_id}/import", response_model=Envelope[ImportResult], summary="批量导入（全部导入 / 局部导入）")
async def import_data(
    period_id: int, session: SessionDep, settings: SettingsDep, actor: Requires("eval.data.edit"),
    file: UploadFile = File(..., title="数据文件", description="Excel 工作簿（.xlsx），按内容识别类型"),
    mode: str = Form("full", title="导入方式", description="full 全部导入 / partial 局部导入"),
    training_type: Optional[str] = Form(None, title="培养类型", description="局部导入必选：研究生 / 本科生"),
):
    p, _ = await load_period(session, period_id)
    data = await read_upload(file, settings)
    result = await importer.import_file(session, p, data, mode, training_type)
    return ok(result, f"导入成功，共 {result.imported} 条数据。请重新点击“生成评价报告”更新报告")


def _record_out(r: EvalRecord, metrics: list[dict], branch_name: str) -> RecordOut:
    return RecordOut(id=r.id, user_id=r.user_id, name=r.name, student_no=r.student_no, branch_id=r.branch_id,
                     branch_name=branch_name, training_type=r.training_type,
                     **{m["key"]: getattr(r, f"v{slot(m['key'])}") for m in metrics})


@router.get("/periods/{period_id}/records", response_model=Envelope[RecordPage], summary="评价数据列表")
async def list_records(period_id: int, session: SessionDep, actor: Requires("eval.data.view"), paging: PagingDep,
                       name: str = Query("", max_length=64, title="姓名或学号"),
                       branch_id: Optional[int] = Query(None, ge=1, lt=2**63, title="党支部")):
    p, _ = await load_period(session, period_id)
    q = select(EvalRecord).where(EvalRecord.period_id == p.id)
    needle = name.strip()
    if needle:
        q = q.where(EvalRecord.name.contains(needle) | EvalRecord.student_no.contains(needle))
    if branch_id:
        q = q.where(EvalRecord.branch_id == branch_id)
    total = await count_of(session, q)
    rows = list((await session.execute(q.order_by(EvalRecord.branch_id, EvalRecord.student_no)
                                       .offset(paging.offset).limit(paging.per_page))).scalars())
    bnames = dict((await session.execute(select(Organisation.id, Organisation.name).where(
        Organisation.id.in_({r.branch_id for r in rows})))).all()) if rows else {}
    metrics = with_range(p.metrics)
    return ok(RecordPage(items=[_record_out(r, metrics, bnames.get(r.branch_id, "")) for r in rows], total=total,
                         page=paging.page, per_page=paging.per_page, metrics=metrics))


@router.put("/records/{record_id}", response_model=Envelope[RecordSaved], summary="编辑评价数据")
async def update_record(record_id: int, body: RecordUpdate, session: SessionDep, actor: Requires("eval.data.edit")):
    r = await session.get(EvalRecord, record_id)
    if r is None:
        raise fail(404, "评价数据不存在")
    p, _ = await load_period(session, r.period_id)
    metrics = {m["key"]: m for m in with_range(p.metrics)}
    sent = body.model_dump(exclude_none=True)
    errors = [field_error(k, f"指标 {k}", f"该评价时段没有指标 {k}") for k in sent if k not in metrics]
    for key, v in sent.items():
        why = out_of_range(metrics[key], v) if key in metrics else None
        if why:
            errors.append(field_error(key, metrics[key]["name"], why))
    if errors:
        raise fail(422, "；".join(e["msg"] for e in errors), errors=errors)
    for key, v in sent.items():
        setattr(r, f"v{slot(key)}", v)
    r.updated_at = utcnow()
    p.data_version += 1
    session.add_all([r, p])
    await session.commit()
    return ok(RecordSaved(id=r.id, **{k: getattr(r, f"v{slot(k)}") for k in metrics}),
              "保存成功。编辑数据后，请再次点击“生成评价报告”更新报告")


@router.post("/periods/{period_id}/generate", response_model=Envelope[GenerateResult], summary="生成评价报告")
async def generate_report(period_id: int, session: SessionDep, settings: SettingsDep, actor: Requires("eval.data.edit")):
    p, _ = await load_period(session, period_id)
    with gc_paused():  # 10,000 rows of tuples: see bulk.gc_paused
        result = await generate(session, p, default_threshold(settings))
    note = f"；已同步更新 {len(result.refreshed)} 个后续评价时段的“较上期”数据" if result.refreshed else ""
    return ok(result, "评价报告已生成" + note)


# --- publish / withdraw (EV-7) --------------------------------------------------------------

def _committee_only(actor: Actor) -> None:
    if actor.scope != "all":
        raise fail(403, "发布和撤回报告仅开放给学院党委账号")


@router.post("/periods/{period_id}/publish", response_model=Envelope[PeriodOut], summary="发布评价报告")
async def publish(period_id: int, session: SessionDep, actor: Requires("eval.report.publish")):
    _committee_only(actor)
    p, y = await load_period(session, period_id)
    if p.generated_at is None:
        raise fail(409, "请先生成评价报告")
    p.published, p.published_at = True, utcnow()
    session.add(p)
    await session.commit()
    return ok(period_out(p, y), "报告已发布")


@router.post("/periods/{period_id}/withdraw", response_model=Envelope[PeriodOut], summary="撤回评价报告")
async def withdraw(period_id: int, session: SessionDep, actor: Requires("eval.report.publish")):
    _committee_only(actor)
    p, y = await load_period(session, period_id)
    if not p.published:
        raise fail(409, "该报告尚未发布")
    p.published, p.withdrawn_at = False, utcnow()
    session.add(p)
    await session.commit()
    return ok(period_out(p, y), "报告已撤回，党支部和学生将无法查看")
