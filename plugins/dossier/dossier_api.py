"""Routes of 一人一档: one person's dossier (the committee, the person's branch admin, the person
on the MP) and batch exports run by the worker (create, progress, list, download)."""
from __future__ import annotations

from typing import Literal, Optional
from urllib.parse import quote

import anyio
from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from core.sdk import (ERROR_RESPONSES, Batch, CurrentActor, DevelopmentRecord, EngineDep, Envelope, LocalDateTime,
                      Option, Options, Page, PagingDep, Requires, SessionDep, SettingsDep, User, branch_in_scope, clock,
                      count_of, fail, ok, scope_condition)
from core.workflow.stages import STAGE_TITLES
from plugins.dossier import dossier_export as exports
from plugins.dossier.dossier_pdf import build_pdf
from plugins.dossier.dossier_sources import STATUS_LABELS, load_dossiers
from plugins.dossier.models import STATE_LABELS, DossierExport

pc = APIRouter(prefix="/api/pc/v1/development/dossiers", tags=["管理端-一人一档"], responses=ERROR_RESPONSES)
mp = APIRouter(prefix="/api/mp/v1/development", tags=["小程序-入党管理"], responses=ERROR_RESPONSES)
PDF_ANSWER = {200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}, "description": "PDF"}}
ZIP_ANSWER = {200: {"content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}, "description": "zip"}}


def _attachment(data: bytes, media: str, name: str) -> Response:
    return Response(data, media_type=media, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


async def _pdf(session, settings, registry, record, user) -> tuple[bytes, str]:
    dossier = (await load_dossiers(session, settings, registry, [record], {user.id: user}))[0]
    data = await anyio.to_thread.run_sync(build_pdf, dossier, settings.font_path, clock.local_today().isoformat())
    return data, dossier.file_name


@pc.get("/records/{record_id}", response_class=Response, responses=PDF_ANSWER, summary="下载一人一档（PDF）")
async def record_dossier(record_id: int, session: SessionDep, settings: SettingsDep, engine: EngineDep,
                         actor: Requires("dev.dossier")):
    records, users = await engine.load(session, actor, [record_id])
    data, name = await _pdf(session, settings, engine.registry, records[0], users[records[0].user_id])
    return _attachment(data, "application/pdf", name)


@mp.get("/dossier", response_class=Response, responses=PDF_ANSWER, summary="下载我的入党档案（PDF）")
async def own_dossier(session: SessionDep, settings: SettingsDep, engine: EngineDep, actor: CurrentActor):
    if not actor.can("mp.dev.dossier"):
        raise fail(403, "没有权限执行此操作")
    record = await engine.record_of(session, actor.id)
    if record is None:
        raise fail(404, "您还没有发展记录")
    data, name = await _pdf(session, settings, engine.registry, record, actor.user)
    return _attachment(data, "application/pdf", name)


class PersonOut(BaseModel):
    record_id: int
    name: str
    student_no: str
    stage_title: str
    step_title: str
    status: str
    download_url: str


@pc.get("/people", response_model=Envelope[Page[PersonOut]], summary="可下载档案的人员（按姓名、学号查找）")
async def people(session: SessionDep, engine: EngineDep, paging: PagingDep, actor: Requires("dev.dossier"),
                 name: str = Query("", max_length=64, title="姓名"), student_no: str = Query("", max_length=32, title="学号")):
    q = (select(DevelopmentRecord.id, User.name, User.student_no, DevelopmentRecord.stage, DevelopmentRecord.step,
                DevelopmentRecord.status)
         .join(User, User.id == DevelopmentRecord.user_id).where(User.deleted_at.is_(None), scope_condition(actor)))
    if name.strip():
        q = q.where(User.name.contains(name.strip()))
    if student_no.strip():
        q = q.where(User.student_no == student_no.strip())
    total = await count_of(session, q)
    rows = (await session.execute(q.order_by(DevelopmentRecord.id.desc()).offset(paging.offset).limit(paging.per_page))).all()
    reg = engine.registry
    return ok(paging.page_of([{"record_id": rid, "name": n, "student_no": sno or "", "stage_title": STAGE_TITLES[stage],
                               "step_title": reg.step_title(stage, step), "status": STATUS_LABELS.get(status, status),
                               "download_url": f"{pc.prefix}/records/{rid}"}
                              for rid, n, sno, stage, step, status in rows], total))


# --- batch exports ------------------------------------------------------------------------

class ExportIn(BaseModel):
    branch_id: Optional[int] = Field(None, title="党支部", description="学院党委可不填（全院）；党支部管理员只能导出本支部")
    stage: Literal["", "applicant", "activist", "candidate", "reception", "conversion"] = Field("", title="发展阶段")
    batch_id: Optional[int] = Field(None, title="批次", description="一个批次（公示、备案、会议、座谈会等）的人员")


class ExportOut(BaseModel):
    id: int
    title: str
    state: str = Field(description="queued | running | done | failed")
    state_label: str
    total: int
    done: int
    percent: int = Field(description="进度（0–100）")
    size: int
    error: str
    download_url: Optional[str] = Field(None, description="完成后的下载地址")
    created_at: LocalDateTime
    finished_at: Optional[LocalDateTime] = None


def export_out(e: DossierExport) -> dict:
    percent = 100 if e.state == "done" else (int(e.done * 100 / e.total) if e.total else 0)
    return {"id": e.id, "title": e.title, "state": e.state, "state_label": STATE_LABELS.get(e.state, e.state),
            "total": e.total, "done": e.done, "percent": percent, "size": e.size, "error": "导出失败，请重新导出" if e.error else "",
            "download_url": f"{pc.prefix}/exports/{e.id}/download" if e.state == "done" else None,
            "created_at": e.created_at, "finished_at": e.finished_at}


def _visible(actor):
    q = select(DossierExport)
    if actor.scope != "all":
        q = q.where(DossierExport.branch_id == actor.branch_id, DossierExport.branch_id.is_not(None))
    return q


async def _export(session, actor, export_id: int) -> DossierExport:
    e = await session.get(DossierExport, export_id)
    if e is None or not (actor.scope == "all" or (e.branch_id is not None and branch_in_scope(actor, e.branch_id))):
        raise fail(404, "导出任务不存在或无权查看")
    return e


async def _branch_name(session, branch_id: int | None) -> str:
    from plugins.org_mgmt.models import Organisation

    if branch_id is None:
        return "全院"
    name = (await session.execute(select(Organisation.name).where(Organisation.id == branch_id,
                                                                   Organisation.kind == "party"))).scalar_one_or_none()
    if name is None:
        raise fail(422, "党支部不存在", field="branch_id", label="党支部")
    return name


@pc.post("/exports", response_model=Envelope[ExportOut], summary="批量导出一人一档（后台生成）")
async def create_export(body: ExportIn, request: Request, session: SessionDep, settings: SettingsDep,
                        actor: Requires("dev.dossier")):
    branch_id = body.branch_id
    if actor.scope != "all":
        if branch_id is not None and branch_id != actor.branch_id:
            raise fail(404, "党支部不存在或无权操作", field="branch_id", label="党支部")
        branch_id = actor.branch_id
        if branch_id is None:
            raise fail(403, "没有权限执行此操作")
    parts = [await _branch_name(session, branch_id)]
    if body.batch_id is not None:
        batch = await session.get(Batch, body.batch_id)
        if batch is None or (actor.scope != "all" and batch.branch_id not in (None, actor.branch_id)):
            raise fail(404, "批次不存在或无权查看", field="batch_id", label="批次")
        parts.append(batch.title or batch.kind)
    if body.stage:
        parts.append(STAGE_TITLES[body.stage])
    e = DossierExport(title="一人一档：" + " · ".join(parts), branch_id=branch_id, stage=body.stage, batch_id=body.batch_id,
                      created_by=actor.id)
    total = await count_of(session, exports.people_query(e))
    if total == 0:
        raise fail(422, "没有符合条件的人员", field="branch_id", label="导出范围")
    if total > exports.MAX_PEOPLE:
        raise fail(422, f"一次最多导出{exports.MAX_PEOPLE}人（当前{total}人），请按党支部或阶段分批导出",
                   field="stage", label="发展阶段")
    e.total = total
    session.add(e)
    await session.flush()
    await exports.schedule(session, e)
    await session.commit()
    await exports.kick(None if settings.env == "test" else settings.redis_url, e.id)
    return ok(export_out(e), f"已开始导出（{total}人），完成后可下载")


@pc.get("/exports", response_model=Envelope[Page[ExportOut]], summary="批量导出任务")
async def list_exports(session: SessionDep, paging: PagingDep, actor: Requires("dev.dossier")):
    q = _visible(actor)
    total = await count_of(session, q)
    rows = (await session.execute(q.order_by(DossierExport.id.desc()).offset(paging.offset).limit(paging.per_page))).scalars()
    return ok(paging.page_of([export_out(e) for e in rows], total))


@pc.get("/exports/options", response_model=Envelope[Options], summary="可导出的批次")
async def cohort_options(session: SessionDep, actor: Requires("dev.dossier")):
    return ok({"options": [Option(label=label, value=i) for i, label in await exports.cohort_options(session, actor)]})


@pc.get("/exports/{export_id}", response_model=Envelope[ExportOut], summary="导出进度")
async def get_export(export_id: int, session: SessionDep, actor: Requires("dev.dossier")):
    return ok(export_out(await _export(session, actor, export_id)))


@pc.get("/exports/{export_id}/download", response_class=FileResponse, responses=ZIP_ANSWER, summary="下载导出的档案（zip）")
async def download_export(export_id: int, session: SessionDep, settings: SettingsDep, actor: Requires("dev.dossier")):
    e = await _export(session, actor, export_id)
    path = exports.export_path(settings, e) if e.state == "done" else None
    if path is None:
        raise fail(409, "导出尚未完成")
    return FileResponse(path, media_type="application/zip", filename=f"{e.title.replace('：', '-').replace(' · ', '-')}.zip")
