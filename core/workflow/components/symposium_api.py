"""The PC routes of one symposium use, mounted by the kit under ``<stage prefix>/<path>``:
list, who may take part, arrange (time, place, people), detail, edit, delete, export of the
pre-filled forms (merged PDF or zip), batch and single upload of the scans, completion."""

from datetime import datetime
from typing import Literal, Optional

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from core.auth import Requires
from core.clock import LocalDateTime
from core.db import SessionDep
from core.errors import fail
from core.files import check_name
from core.responses import Empty, Envelope, Page, PagingDep, ids_param, ok
from core.workflow.cohort import COMPLETED
from core.workflow.components.downloads import PDF_OR_ZIP, attachment
from core.workflow.components.symposium import STATES, SymposiumComponent
from core.workflow.components.symposium_upload import ZIP_FACTOR, is_zip
from core.workflow.deps import EngineDep
from core.workflow.models import Batch, BatchEntry
from core.workflow.schemas import MovedOut, moved_out


class ArrangeIn(BaseModel):
    record_ids: list[int] = Field(min_length=1, max_length=2000, title="参加人员")
    held_at: datetime = Field(title="座谈会时间")
    place: str = Field(min_length=1, max_length=100, title="座谈会地点")


class EditIn(BaseModel):
    held_at: datetime = Field(title="座谈会时间")
    place: str = Field(min_length=1, max_length=100, title="座谈会地点")
    record_ids: Optional[list[int]] = Field(None, max_length=2000, title="参加人员（不填则不变）")


class ScanOut(BaseModel):
    token: str
    name: str
    url: str
    type: str
    original_name: str = Field(description="上传时的文件名")
    uploaded_at: Optional[str] = Field(None, description="上传时间（带时区）")


class SymposiumOut(BaseModel):
    id: int
    kind: str
    title: str
    branch_id: Optional[int] = None
    branch_name: str
    state: str = Field(description="draft 待完成 | completed 已完成")
    state_label: str
    held_at: Optional[LocalDateTime] = None
    place: str
    people_count: int
    scanned_count: int = Field(description="已上传记录表的人数")
    created_at: LocalDateTime
    completed_at: Optional[LocalDateTime] = None


class EntryOut(BaseModel):
    record_id: int
    user_id: int
    name: str
    student_no: str
    branch_name: str
    scan: Optional[ScanOut] = None


class Can(BaseModel):
    edit: bool
    upload: bool
    complete: bool
    delete: bool


class SymposiumDetail(SymposiumOut):
    form_title: str
    people_label: str
    entries: list[EntryOut]
    can: Can


class CandidateOut(BaseModel):
    record_id: int
    user_id: int
    name: str
    student_no: str
    branch_name: str


class MatchedOut(BaseModel):
    file: str
    record_id: int
    name: str
    student_no: str


class UploadedOut(BaseModel):
    count: int
    files: list[MatchedOut]


class CompleteOut(MovedOut):
    id: int
    state: str
    tasks_done: int = Field(0, description="任务模式下完成“座谈会”任务的人数")


def symposium_out(b: Batch, branch_name: str, count: int, scanned: int) -> dict:
    return {"id": b.id, "kind": b.kind, "title": b.title, "branch_id": b.branch_id, "branch_name": branch_name,
            "state": b.state, "state_label": STATES.get(b.state, b.state), "held_at": b.start_at,
            "place": b.data.get("place", ""), "people_count": count, "scanned_count": scanned,
            "created_at": b.created_at, "completed_at": b.completed_at}


async def detail_of(c: SymposiumComponent, session, b: Batch) -> dict:
    kept = await c.entries(session, b)
    names = await c.names(session, [b.branch_id] + [e.branch_id for e, _ in kept])
    data = symposium_out(b, names.get(b.branch_id, ""), len(kept), sum(1 for e, _ in kept if e.document_token))
    open_ = b.state != COMPLETED
    data.update(form_title=c.form.title, people_label=c.people_label, entries=[
        {"record_id": e.record_id, "user_id": e.user_id, "name": u.name, "student_no": u.student_no or "",
         "branch_name": names.get(e.branch_id, ""), "scan": (e.data or {}).get("scan") if e.document_token else None}
        for e, u in kept], can={"edit": open_, "upload": open_, "complete": open_ and bool(kept) and all(
            e.document_token for e, _ in kept), "delete": open_})
    return data


def pc_routes(c: SymposiumComponent, router: APIRouter) -> None:
    base = f"/{c.path}"
    Actor_ = Requires(c.permission)

    @router.get(base, response_model=Envelope[Page[SymposiumOut]], summary=f"{c.title}：列表")
    async def list_symposiums(session: SessionDep, actor: Actor_, paging: PagingDep,
                              state: Optional[Literal["draft", "completed"]] = Query(None, title="状态")):
        cond = [Batch.kind == c.kind, c.scope(actor)] + ([Batch.state == state] if state else [])
        total = (await session.execute(select(func.count()).select_from(Batch).where(*cond))).scalar_one()
        items = list((await session.execute(select(Batch).where(*cond).order_by(Batch.id.desc())
                                            .offset(paging.offset).limit(paging.per_page))).scalars())
        counts: dict[int, tuple[int, int]] = {}
        if items:
            rows = await session.execute(
                select(BatchEntry.batch_id, func.count(), func.count(BatchEntry.document_token))
                .where(BatchEntry.batch_id.in_([b.id for b in items]), BatchEntry.removed_at.is_(None))
                .group_by(BatchEntry.batch_id))
            counts = {bid: (n, scanned) for bid, n, scanned in rows}
        names = await c.names(session, [b.branch_id for b in items])
        return ok(paging.page_of([symposium_out(b, names.get(b.branch_id, ""), *counts.get(b.id, (0, 0))) for b in items],
                                 total))

    @router.get(f"{base}/candidates", response_model=Envelope[Page[CandidateOut]],
                summary=f"可安排{c.title}的人员（处于本环节、未在其他未完成的座谈会中）")
    async def candidates(session: SessionDep, actor: Actor_):
        rows = await c.choosable(session, actor)
        names = await c.names(session, [u.party_branch_id for _, u in rows])
        items = [{"record_id": r.id, "user_id": u.id, "name": u.name, "student_no": u.student_no or "",
                  "branch_name": names.get(u.party_branch_id, "")} for r, u in rows]
        return ok({"items": items, "total": len(items), "page": 1, "per_page": max(len(items), 1)})

    @router.post(base, response_model=Envelope[SymposiumDetail], summary=f"安排{c.title}：填写时间、地点（勾选人员）")
    async def arrange(body: ArrangeIn, session: SessionDep, engine: EngineDep, actor: Actor_):
        b = await c.arrange(session, engine, actor, record_ids=body.record_ids, held_at=body.held_at, place=body.place)
        await session.commit()
        return ok(await detail_of(c, session, b), "已安排座谈会")

    @router.get(f"{base}/{{symposium_id:int}}", response_model=Envelope[SymposiumDetail], summary=f"{c.title}：详情")
    async def get_one(symposium_id: int, session: SessionDep, actor: Actor_):
        return ok(await detail_of(c, session, await c.get(session, actor, symposium_id)))

    @router.put(f"{base}/{{symposium_id:int}}", response_model=Envelope[SymposiumDetail], summary="修改座谈会时间、地点或人员")
    async def edit(symposium_id: int, body: EditIn, session: SessionDep, engine: EngineDep, actor: Actor_):
        b = await c.get(session, actor, symposium_id)
        await c.edit(session, engine, actor, b, held_at=body.held_at, place=body.place, record_ids=body.record_ids)
        await session.commit()
        return ok(await detail_of(c, session, b), "保存成功")

    @router.delete(f"{base}/{{symposium_id:int}}", response_model=Envelope[Empty], summary="删除未完成的座谈会")
    async def delete_one(symposium_id: int, session: SessionDep, actor: Actor_):
        b = await c.get(session, actor, symposium_id)
        c.must_be_open(b)
        await c.delete(session, actor, b)
        await session.commit()
        return ok(None, "删除成功")

    @router.get(f"{base}/{{symposium_id:int}}/forms", response_class=Response, responses=PDF_OR_ZIP,
                summary=f"批量导出{c.form.title}（勾选人员；合并为一个 PDF，或每人一个 PDF 的压缩包）")
    async def export(symposium_id: int, session: SessionDep, engine: EngineDep, actor: Actor_,
                     record_ids: str = Query(..., max_length=5000, title="勾选的人员（逗号分隔）"),
                     format: Literal["pdf", "zip"] = Query("pdf", title="导出格式：pdf 合并文件 | zip 每人一个文件")):
        b = await c.get(session, actor, symposium_id)
        data, name = await c.export(session, engine, b, ids_param(record_ids), as_zip=format == "zip")
        return attachment(data, name)

    @router.post(f"{base}/{{symposium_id:int}}/scans", response_model=Envelope[UploadedOut],
                 summary="批量上传记录表扫描件（按文件名“姓名+学号”识别；可上传 zip；有无法识别的文件时不保存任何文件）")
    async def upload(symposium_id: int, session: SessionDep, engine: EngineDep, actor: Actor_,
                     files: Optional[list[UploadFile]] = File(None, title="记录表扫描件",
                                                               description="图片、PDF 或 zip，文件名为“姓名+学号”"),
                     bracketed: Optional[list[UploadFile]] = File(None, alias="files[]", title="记录表扫描件",
                                                                   description="同 files（管理端表单以 files[] 提交多个文件）"),
                     record_ids: str = Form(..., max_length=20000, title="勾选的人员（逗号分隔）")):
        b = await c.get(session, actor, symposium_id)
        limit = engine.settings.upload_max_bytes
        read, total = [], 0
        for f in (files or []) + (bracketed or []):  # one file over its limit is reported by name; the whole batch is bounded too
            read.append((check_name(f.filename), await f.read((limit * ZIP_FACTOR if is_zip(f.filename or "") else limit) + 1)))
            total += len(read[-1][1])
            if total > limit * ZIP_FACTOR * 2:
                raise fail(413, f"本次上传的文件合计超过{limit * ZIP_FACTOR * 2 // 1024 // 1024} MB，请分批上传")
        matched = await c.upload(session, engine, actor, b, read, ids_param(record_ids))
        await session.commit()
        return ok({"count": len(matched), "files": [{"file": name, "record_id": p.record_id, "name": p.name,
                                                     "student_no": p.student_no} for name, p in matched]},
                  f"已上传{len(matched)}份记录表")

    @router.post(f"{base}/{{symposium_id:int}}/scans/{{record_id:int}}", response_model=Envelope[UploadedOut],
                 summary="单个上传记录表扫描件")
    async def upload_one(symposium_id: int, record_id: int, session: SessionDep, engine: EngineDep, actor: Actor_,
                         file: UploadFile = File(..., title="记录表扫描件", description="图片或 PDF")):
        b = await c.get(session, actor, symposium_id)
        name = check_name(file.filename)
        user = await c.upload_one(session, engine, actor, b, record_id, name,
                                  await file.read(engine.settings.upload_max_bytes + 1))
        await session.commit()
        return ok({"count": 1, "files": [{"file": name, "record_id": record_id, "name": user.name,
                                          "student_no": user.student_no or ""}]}, f"已上传{user.name}的记录表")

    @router.post(f"{base}/{{symposium_id:int}}/complete", response_model=Envelope[CompleteOut],
                 summary=f"完成{c.title}（每人都已上传记录表）")
    async def complete(symposium_id: int, session: SessionDep, engine: EngineDep, actor: Actor_):
        b = await c.get(session, actor, symposium_id)
        res = await c.complete_symposium(session, engine, actor, b)
        count = len(await c.entries(session, b))
        await session.commit()
        moved = moved_out(res) if res is not None else {}
        return ok({"id": b.id, "state": b.state, **moved, "tasks_done": count if res is None else 0}, f"{c.title}已完成")

