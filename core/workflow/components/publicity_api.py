"""The PC routes of one publicity use, mounted by the kit under ``<stage prefix>/<path>``:
settings, list (state computed by time), create, detail, delete, candidates, content,
per-branch batch fill, generate, objection (异议), report, complete, document downloads."""

from datetime import date, datetime
from typing import Optional

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from core.auth import Requires
from core.clock import LocalDateTime
from core.db import SessionDep
from core.models import utcnow
from core.responses import Empty, Envelope, Page, PagingDep, ok
from core.workflow.components.downloads import PDF, stored
from core.workflow.components.publicity import STATUS_LABELS, PublicityComponent, period_dates, publicity_state, state_condition
from core.workflow.deps import EngineDep
from core.workflow.models import Batch, BatchEntry
from core.workflow.schemas import MovedOut, RecordRef, moved_out



class SettingsIn(BaseModel):
    branch_id: Optional[int] = Field(None, title="党支部（学院党委可选）")
    title: str = Field(min_length=1, max_length=200, title="公示标题")
    intro: str = Field("", max_length=2000, title="公示说明")
    organiser: str = Field("", max_length=100, title="发布单位")
    contact: str = Field("", max_length=64, title="联系人")
    phone: str = Field("", max_length=32, title="联系电话")
    objection: str = Field("", max_length=200, title="异议反映邮箱/地址")
    working_days: Optional[int] = Field(None, ge=1, le=30, title="公示期（工作日）")


class SettingsOut(BaseModel):
    kind: str
    branch_id: Optional[int] = None
    saved: bool
    with_contact: bool
    people_label: str
    title: str
    intro: str
    organiser: str
    contact: str
    phone: str
    objection: str
    working_days: int


class CreateIn(BaseModel):
    branch_id: Optional[int] = Field(None, title="党支部（学院党委可选，不选为全院公示）")
    title: Optional[str] = Field(None, max_length=200, title="公示标题")


class PersonIn(BaseModel):
    record_id: int = Field(title="发展记录")
    brief: str = Field("", max_length=1000, title="简要表现情况")
    contact: Optional[str] = Field(None, max_length=64, title="联系人")
    phone: Optional[str] = Field(None, max_length=32, title="联系电话")


class BranchContactIn(BaseModel):
    branch_id: Optional[int] = Field(None, title="党支部")
    contact: str = Field("", max_length=64, title="联系人")
    phone: str = Field("", max_length=32, title="联系电话")


class ContentIn(BaseModel):
    signature_date: date = Field(title="落款日期")
    start_date: date = Field(title="公示开始日期")
    end_date: Optional[date] = Field(None, title="公示结束日期（不填按公示期工作日计算）")
    people: list[PersonIn] = Field(default_factory=list, title="公示名单")
    title: Optional[str] = Field(None, max_length=200, title="公示标题")
    intro: Optional[str] = Field(None, max_length=2000, title="公示说明")
    organiser: Optional[str] = Field(None, max_length=100, title="发布单位")
    contact: Optional[str] = Field(None, max_length=64, title="联系人")
    phone: Optional[str] = Field(None, max_length=32, title="联系电话")
    objection: Optional[str] = Field(None, max_length=200, title="异议反映邮箱/地址")
    branch_contacts: list[BranchContactIn] = Field(
        default_factory=list, title="批量填写支部联系人信息",
        description="每个党支部一行：联系人和联系电话填入名单中该支部的所有人员（空行忽略）")


class BatchFillIn(BaseModel):
    branch_id: Optional[int] = Field(None, title="党支部")
    contact: str = Field(min_length=1, max_length=64, title="联系人")
    phone: str = Field(min_length=1, max_length=32, title="联系电话")


class ReportIn(BaseModel):
    note: str = Field("", max_length=1000, title="报告补充说明")


class ObjectionIn(RecordRef):
    reason: str = Field(min_length=1, max_length=500, title="异议情况")


class PublicityOut(BaseModel):
    id: int
    kind: str
    title: str
    branch_id: Optional[int] = None
    branch_name: str
    status: str = Field(description="draft | published | completed")
    status_label: str
    state: str = Field(description="按时间计算的公示状态：draft 待生成 | scheduled 待公示 | running 公示中 | ended 公示期结束 | completed 已完成")
    state_label: str = Field(description="状态的中文（待公示、公示中时含倒计时）")
    remaining_seconds: int = Field(description="距下一次状态变化的秒数（待公示：距开始；公示中：距结束）")
    start_at: Optional[LocalDateTime] = None
    end_at: Optional[LocalDateTime] = Field(None, description="公示期结束时刻（不含）")
    signature_date: Optional[date] = None
    start_date: Optional[date] = None
    end_date: Optional[date] = None
    working_days: int
    people_count: int
    objection_count: int
    has_report: bool
    created_at: LocalDateTime
    completed_at: Optional[LocalDateTime] = None
    document_file_url: Optional[str] = None
    report_file_url: Optional[str] = None
    document_url: Optional[str] = None
    report_url: Optional[str] = None


class EntryOut(BaseModel):
    record_id: int
    user_id: int
    name: str
    student_no: str
    branch_id: Optional[int] = None
    branch_name: str
    brief: str
    contact: str
    phone: str
    assigned: str = Field("", description="名单列出的指派人员（如 培养联系人）")


class WithdrawnOut(BaseModel):
    record_id: int
    name: str
    student_no: str
    reason: str
    removed_at: LocalDateTime


class Can(BaseModel):
    edit: bool
    generate: bool
    report: bool
    complete: bool
    delete: bool
    object: bool


class BranchContactOut(BaseModel):
    branch_id: Optional[int] = None
    branch_name: str
    contact: str = Field(description="该支部人员共同的联系人（不一致时为空）")
    phone: str = Field(description="该支部人员共同的联系电话（不一致时为空）")


class PublicityDetail(PublicityOut):
    intro: str
    organiser: str
    contact: str
    phone: str
    objection: str
    report_note: str
    people_label: str
    with_contact: bool
    role_label: str = Field("", description="名单中指派人员一栏的名称（如 培养联系人）；空为无")
    published_at: Optional[str] = None
    report_at: Optional[str] = None
    entries: list[EntryOut]
    branches: list[BranchContactOut] = Field(default_factory=list, description="名单中的党支部（按支部批量填写联系人）")
    withdrawn: list[WithdrawnOut]
    can: Can


class CandidateOut(BaseModel):
    record_id: int
    user_id: int
    name: str
    student_no: str
    branch_id: Optional[int] = None
    branch_name: str
    chosen: bool


class CompleteOut(MovedOut):
    id: int
    status: str


def publicity_out(c: PublicityComponent, p: Batch, branch_name: str, count: int, objections: int, now: datetime,
                  prefix: str) -> dict:
    st = publicity_state(p, now)
    start, end = period_dates(p)
    return {
        "id": p.id, "kind": p.kind, "title": p.title, "branch_id": p.branch_id, "branch_name": branch_name,
        "status": p.state, "status_label": STATUS_LABELS.get(p.state, p.state), "state": st["code"],
        "state_label": st["label"], "remaining_seconds": st["remaining_seconds"], "start_at": p.start_at, "end_at": p.end_at, "signature_date": p.signature_date,
        "start_date": start, "end_date": end, "working_days": p.data.get("working_days", 5), "people_count": count,
        "objection_count": objections, "has_report": bool(p.report_token), "created_at": p.created_at,
        "completed_at": p.completed_at,
        "document_file_url": f"/api/files/{p.document_token}" if p.document_token else None,
        "report_file_url": f"/api/files/{p.report_token}" if p.report_token else None,
        "document_url": f"{prefix}/{p.id}/document" if p.document_token else None,
        "report_url": f"{prefix}/{p.id}/report" if p.report_token else None,
    }


def branch_contacts(kept, names: dict) -> list[dict]:
    """One row per branch of the list, with the contact and phone its people share (else empty)."""
    found: dict = {}
    for e, _ in kept:
        found.setdefault(e.branch_id, set()).add((e.contact or "", e.phone or ""))
    return [{"branch_id": b, "branch_name": names.get(b, ""), "contact": next(iter(v))[0] if len(v) == 1 else "",
             "phone": next(iter(v))[1] if len(v) == 1 else ""} for b, v in found.items()]


async def detail_of(c: PublicityComponent, session, p: Batch, prefix: str) -> dict:
    kept = await c.entries(session, p)
    removed = await c.entries(session, p, removed=True)
    names = await c.names(session, [p.branch_id] + [e.branch_id for e, _ in kept])
    assigned = await c.assigned_names(session, [e.record_id for e, _ in kept])
    data = publicity_out(c, p, names.get(p.branch_id, ""), len(kept), len(removed), utcnow(), prefix)
    code, d = data["state"], p.data
    data.update({
        **{k: d.get(k, "") for k in ("intro", "organiser", "contact", "phone", "objection", "report_note")},
        "people_label": c.people_label, "with_contact": c.with_contact, "role_label": c.role_label,
        "published_at": d.get("published_at"),
        "report_at": d.get("report_at"),
        "entries": [{"record_id": e.record_id, "user_id": e.user_id, "name": u.name, "student_no": u.student_no or "",
                     "branch_id": e.branch_id, "branch_name": names.get(e.branch_id, ""), "brief": e.brief,
                     "contact": e.contact, "phone": e.phone, "assigned": assigned.get(e.record_id, "")} for e, u in kept],
        "branches": branch_contacts(kept, names),
        "withdrawn": [{"record_id": e.record_id, "name": u.name, "student_no": u.student_no or "", "reason": e.removed_reason,
                       "removed_at": e.removed_at} for e, u in removed],
        "can": {"edit": p.state == "draft", "generate": p.state == "draft" and bool(kept),
                "report": code == "ended", "complete": code == "ended" and bool(p.report_token),
                "delete": p.state == "draft", "object": p.state == "published" and bool(kept)},
    })
    return data


def pc_routes(c: PublicityComponent, router: APIRouter) -> None:
    base = f"/{c.path}"
    prefix = f"{router.prefix}{base}"
    Actor_ = Requires(c.permission)

    async def detail(session, p) -> dict:
        return await detail_of(c, session, p, prefix)

    @router.get(f"{base}/settings", response_model=Envelope[SettingsOut], summary=f"{c.title}：公示设置")
    async def get_settings(session: SessionDep, engine: EngineDep, actor: Actor_,
                           branch_id: Optional[int] = Query(None, title="党支部")):
        return ok(await c.get_settings(session, engine, actor, branch_id))

    @router.put(f"{base}/settings", response_model=Envelope[SettingsOut], summary=f"{c.title}：保存公示设置（新增公示时自动填入）")
    async def put_settings(body: SettingsIn, session: SessionDep, engine: EngineDep, actor: Actor_):
        s = await c.save_settings(session, engine, actor, **body.model_dump())
        branch_id = s.branch_id
        await session.commit()
        return ok(await c.get_settings(session, engine, actor, branch_id), "保存成功")

    @router.get(base, response_model=Envelope[Page[PublicityOut]], summary=f"{c.title}：公示列表（含按时间计算的公示状态）")
    async def list_publicities(session: SessionDep, actor: Actor_, paging: PagingDep,
                               branch_id: Optional[int] = Query(None, title="党支部"),
                               state: Optional[str] = Query(None, max_length=10, title="公示状态：draft | scheduled | running | ended | completed")):
        now = utcnow()
        cond = [Batch.kind == c.kind, c.scope(actor)]
        if branch_id is not None:
            cond.append(Batch.branch_id == branch_id)
        if state:
            cond.append(state_condition(state, now))
        total = (await session.execute(select(func.count()).select_from(Batch).where(*cond))).scalar_one()
        items = list((await session.execute(select(Batch).where(*cond).order_by(Batch.id.desc())
                                            .offset(paging.offset).limit(paging.per_page))).scalars())
        counts: dict[tuple[int, bool], int] = {}
        if items:
            rows = await session.execute(
                select(BatchEntry.batch_id, BatchEntry.removed_at.is_not(None), func.count())
                .where(BatchEntry.batch_id.in_([p.id for p in items]))
                .group_by(BatchEntry.batch_id, BatchEntry.removed_at.is_not(None)))
            counts = {(bid, bool(removed)): n for bid, removed, n in rows}
        names = await c.names(session, [p.branch_id for p in items])
        return ok(paging.page_of([publicity_out(c, p, names.get(p.branch_id, ""), counts.get((p.id, False), 0),
                                                counts.get((p.id, True), 0), now, prefix) for p in items], total))

    @router.post(base, response_model=Envelope[PublicityDetail], summary=f"新增{c.title}")
    async def create(body: CreateIn, session: SessionDep, engine: EngineDep, actor: Actor_):
        p = await c.create_publicity(session, engine, actor, branch_id=body.branch_id, title=body.title)
        await session.commit()
        return ok(await detail(session, p), "新增成功")

    @router.get(f"{base}/{{publicity_id:int}}", response_model=Envelope[PublicityDetail], summary="公示详情")
    async def get_one(publicity_id: int, session: SessionDep, actor: Actor_):
        return ok(await detail(session, await c.get(session, actor, publicity_id)))

    @router.delete(f"{base}/{{publicity_id:int}}", response_model=Envelope[Empty], summary="删除公示（仅未生成公示文件时）")
    async def delete_one(publicity_id: int, session: SessionDep, actor: Actor_):
        await c.delete(session, actor, await c.get(session, actor, publicity_id), refusal="公示文件已生成，不能删除该公示")
        await session.commit()
        return ok(None, "删除成功")

    @router.get(f"{base}/{{publicity_id:int}}/candidates", response_model=Envelope[Page[CandidateOut]],
                summary="可选公示名单（处于本环节、本支部、未在其他公示中的人员）")
    async def candidates(publicity_id: int, session: SessionDep, actor: Actor_):
        rows = await c.candidates(session, actor, await c.get(session, actor, publicity_id))
        names = await c.names(session, [u.party_branch_id for _, u, _ in rows])
        items = [{"record_id": r.id, "user_id": u.id, "name": u.name, "student_no": u.student_no or "",
                  "branch_id": u.party_branch_id, "branch_name": names.get(u.party_branch_id, ""), "chosen": chosen}
                 for r, u, chosen in rows]
        return ok({"items": items, "total": len(items), "page": 1, "per_page": max(len(items), 1)})

    @router.put(f"{base}/{{publicity_id:int}}/content", response_model=Envelope[PublicityDetail],
                summary="设置公示内容：落款日期、公示时间、公示名单及简要表现情况")
    async def put_content(publicity_id: int, body: ContentIn, session: SessionDep, engine: EngineDep, actor: Actor_):
        p = await c.get(session, actor, publicity_id)
        await c.set_content(session, engine, actor, p, **body.model_dump(exclude={"branch_contacts"}))
        for row in body.branch_contacts:
            if c.with_contact and (row.contact.strip() or row.phone.strip()):
                await c.batch_fill(session, engine, actor, p, branch_id=row.branch_id, contact=row.contact, phone=row.phone)
        await session.commit()
        return ok(await detail(session, p), "保存成功")

    @router.put(f"{base}/{{publicity_id:int}}/batch-fill", response_model=Envelope[PublicityDetail],
                summary="按支部批量填写联系人和联系电话")
    async def batch_fill(publicity_id: int, body: BatchFillIn, session: SessionDep, engine: EngineDep, actor: Actor_):
        p = await c.get(session, actor, publicity_id)
        n = await c.batch_fill(session, engine, actor, p, **body.model_dump())
        await session.commit()
        return ok(await detail(session, p), f"已填写{n}人")

    @router.post(f"{base}/{{publicity_id:int}}/generate", response_model=Envelope[PublicityDetail], summary="确认并生成公示")
    async def generate(publicity_id: int, session: SessionDep, engine: EngineDep, actor: Actor_):
        p = await c.generate(session, engine, actor, await c.get(session, actor, publicity_id))
        await session.commit()
        return ok(await detail(session, p), "公示文件已生成")

    @router.post(f"{base}/{{publicity_id:int}}/objection", response_model=Envelope[PublicityDetail],
                 summary="登记异议：将人员移出本次公示（仍留在本环节，可参加之后的公示）")
    async def objection(publicity_id: int, body: ObjectionIn, session: SessionDep, engine: EngineDep, actor: Actor_):
        p = await c.get(session, actor, publicity_id)
        user = await c.object(session, engine, actor, p, body.record_id, body.reason)
        await session.commit()
        return ok(await detail(session, p), f"已将{user.name}移出本次公示")

    @router.post(f"{base}/{{publicity_id:int}}/report", response_model=Envelope[PublicityDetail], summary="生成公示报告（公示期结束后）")
    async def report(publicity_id: int, session: SessionDep, engine: EngineDep, actor: Actor_,
                     body: Optional[ReportIn] = None):
        p = await c.get(session, actor, publicity_id)
        await c.generate_report(session, engine, actor, p, note=body.note if body else "")
        await session.commit()
        return ok(await detail(session, p), "公示报告已生成")

    @router.post(f"{base}/{{publicity_id:int}}/complete", response_model=Envelope[CompleteOut],
                 summary="完成公示：人员进入下一环节并收到公示结果")
    async def complete(publicity_id: int, session: SessionDep, engine: EngineDep, actor: Actor_):
        p = await c.get(session, actor, publicity_id)
        res = await c.complete_publicity(session, engine, actor, p)
        await session.commit()
        return ok({"id": p.id, "status": p.state, **moved_out(res)}, "公示已完成")

    @router.get(f"{base}/{{publicity_id:int}}/document", response_class=FileResponse, responses=PDF, summary="导出公示文件")
    async def export_document(publicity_id: int, request: Request, session: SessionDep, actor: Actor_):
        p = await c.get(session, actor, publicity_id)
        return await stored(session, request, p.document_token, "公示文件")

    @router.get(f"{base}/{{publicity_id:int}}/report", response_class=FileResponse, responses=PDF, summary="导出公示报告")
    async def export_report(publicity_id: int, request: Request, session: SessionDep, actor: Actor_):
        p = await c.get(session, actor, publicity_id)
        return await stored(session, request, p.report_token, "公示报告")
