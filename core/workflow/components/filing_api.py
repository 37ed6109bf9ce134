"""The PC routes of one filing use (备案 / 预审 / 审批), mounted by the kit under
``<stage prefix>/<path>``: list (the committee every branch's, a branch its own), create,
detail, delete, candidates, 确认并生成 (content + form), 提交, the committee's decision (or
the branch's confirmation for ``branch_confirmed``) and the form's download."""

from datetime import date
from typing import Optional

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from core.auth import Requires
from core.clock import LocalDateTime
from core.db import SessionDep
from core.errors import fail
from core.files import file_path
from core.models import StoredFile
from core.responses import Empty, Envelope, Page, PagingDep, ok
from core.workflow.cohort import COMPLETED
from core.workflow.components.filing import RESULTS, Filing
from core.workflow.deps import EngineDep
from core.workflow.models import Batch, BatchEntry, milestone_date
from core.workflow.schemas import MovedOut, moved_out

PDF = {200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}, "description": "PDF 文件"}}
STATES = ("draft", "submitted", COMPLETED)


class CreateIn(BaseModel):
    branch_id: Optional[int] = Field(None, title="党支部（学院党委选择）")
    filing_date: Optional[date] = Field(None, title="填表时间")
    record_ids: list[int] = Field(default_factory=list, title="人员")


class PersonIn(BaseModel):
    record_id: int = Field(title="发展记录")
    result: str = Field("", max_length=10, title="党支部结果（预审：pass 通过 / fail 不通过）")
    opinion: str = Field("", max_length=1000, title="意见")


class GenerateIn(BaseModel):
    filing_date: Optional[date] = Field(None, title="填表时间")
    people: list[PersonIn] = Field(default_factory=list, title="名单")
    opinion: str = Field("", max_length=1000, title="党支部意见")


class DecideItem(BaseModel):
    record_id: int = Field(title="发展记录")
    result: str = Field(max_length=10, title="结果（pass 通过 / fail 不通过）")
    opinion: str = Field("", max_length=1000, title="意见")


class DecideIn(BaseModel):
    decided_on: Optional[date] = Field(None, title="备案/预审/审批时间")
    opinion: str = Field("", max_length=1000, title="意见")
    items: list[DecideItem] = Field(default_factory=list, title="每人结果")


class ConfirmIn(BaseModel):
    decided_on: Optional[date] = Field(None, title="备案时间")
    opinion: str = Field("", max_length=1000, title="说明")


class FilingOut(BaseModel):
    id: int
    title: str
    word: str = Field(description="备案 / 预审 / 审批")
    variant: str = Field(description="filing | pre_review | approval | branch_confirmed")
    branch_id: Optional[int] = None
    branch_name: str
    state: str = Field(description="draft 待提交 | submitted 备案中 | completed 已完成")
    state_label: str
    filing_date: Optional[date] = Field(None, description="填表时间")
    decided_on: Optional[date] = Field(None, description="备案/预审/审批时间")
    people_count: int
    passed: int
    failed: int
    document_url: Optional[str] = None
    created_at: LocalDateTime


class EntryOut(BaseModel):
    record_id: int
    user_id: int
    name: str
    student_no: str
    branch_id: Optional[int] = None
    branch_name: str
    dates: dict[str, str] = Field(description="表中的时间节点（YYYY-MM-DD），按节点代码")
    result: str = Field(description="pass | fail | 空（未确定）")
    result_label: str
    opinion: str


class FilingCan(BaseModel):
    generate: bool
    submit: bool
    decide: bool
    confirm: bool
    delete: bool


class FilingDetail(FilingOut):
    branch_opinion: str
    decision_opinion: str
    date_labels: dict[str, str] = Field(description="时间节点代码 → 名称")
    with_result: bool = Field(description="党支部须填写每人结果（预审）")
    entries: list[EntryOut]
    can: FilingCan


class CandidateOut(BaseModel):
    record_id: int
    user_id: int
    name: str
    student_no: str
    branch_name: str
    chosen: bool


class DecidedOut(MovedOut):
    id: int


def filing_out(c: Filing, b: Batch, branch_name: str, counts: dict, prefix: str) -> dict:
    decided = b.data.get("decided_on")
    return {"id": b.id, "title": b.title, "word": c.word, "variant": c.variant, "branch_id": b.branch_id,
            "branch_name": branch_name, "state": b.state, "state_label": c.state_label(b), "filing_date": b.signature_date,
            "decided_on": date.fromisoformat(decided) if decided else None, "people_count": counts.get("all", 0),
            "passed": counts.get(c.pass_outcome, 0) if b.state == COMPLETED else 0,
            "failed": counts.get(c.fail_outcome, 0) if b.state == COMPLETED else 0,
            "document_url": f"{prefix}/{b.id}/form" if b.document_token else None, "created_at": b.created_at}


async def detail_of(c: Filing, session, actor, b: Batch, prefix: str) -> dict:
    kept = await c.entries(session, b)
    records = await c.records_of(session, [e.record_id for e, _ in kept])
    names = await c.names(session, [b.branch_id, *[e.branch_id for e, _ in kept]])
    counts = {"all": len(kept)}
    for e, _ in kept:
        counts[e.outcome] = counts.get(e.outcome, 0) + 1
    entries = []
    for e, u in kept:
        r = records.get(e.record_id)
        dates = {k: d.isoformat() for k, _ in c.form_milestones if r is not None and (d := milestone_date(r, k))}
        result = c.result_of(e.outcome)
        entries.append({"record_id": e.record_id, "user_id": u.id, "name": u.name, "student_no": u.student_no or "",
                        "branch_id": e.branch_id, "branch_name": names.get(e.branch_id, ""), "dates": dates,
                        "result": result, "result_label": RESULTS.get(result, "未确定"), "opinion": e.opinion})
    committee = actor.scope == "all" and actor.can(c.decide_permission)
    return {**filing_out(c, b, names.get(b.branch_id, ""), counts, prefix),
            "branch_opinion": b.data.get("branch_opinion", ""), "decision_opinion": b.data.get("decision_opinion", ""),
            "date_labels": dict(c.form_milestones), "with_result": c.variant == "pre_review", "entries": entries,
            "can": {"generate": b.state == "draft", "submit": b.state == "draft" and bool(b.document_token) and bool(kept),
                    "decide": b.state == "submitted" and c.committee_decides and committee,
                    "confirm": b.state == "submitted" and not c.committee_decides, "delete": b.state == "draft"}}


def pc_routes(c: Filing, router: APIRouter) -> None:
    base = f"/{c.path}"
    prefix = f"{router.prefix}{base}"
    Actor_ = Requires(c.permission)

    @router.get(base, response_model=Envelope[Page[FilingOut]], summary=f"{c.page_title}：列表（学院党委可看全部党支部）")
    async def list_filings(session: SessionDep, actor: Actor_, paging: PagingDep,
                           branch_id: Optional[int] = Query(None, title="党支部"),
                           state: Optional[str] = Query(None, max_length=10, title="状态：draft | submitted | completed")):
        cond = [Batch.kind == c.kind, c.scope(actor)]
        if branch_id is not None:
            cond.append(Batch.branch_id == branch_id)
        if state:
            if state not in STATES:
                raise fail(422, "状态不正确", field="state", label="状态")
            cond.append(Batch.state == state)
        total = (await session.execute(select(func.count()).select_from(Batch).where(*cond))).scalar_one()
        items = list((await session.execute(select(Batch).where(*cond).order_by(Batch.id.desc())
                                            .offset(paging.offset).limit(paging.per_page))).scalars())
        counts: dict[int, dict] = {b.id: {"all": 0} for b in items}
        if items:
            for bid, outcome, n in (await session.execute(
                    select(BatchEntry.batch_id, BatchEntry.outcome, func.count()).where(
                        BatchEntry.batch_id.in_(list(counts)), BatchEntry.removed_at.is_(None))
                    .group_by(BatchEntry.batch_id, BatchEntry.outcome))).all():
                counts[bid][outcome] = n
                counts[bid]["all"] += n
        names = await c.names(session, [b.branch_id for b in items])
        return ok(paging.page_of([filing_out(c, b, names.get(b.branch_id, ""), counts[b.id], prefix) for b in items], total))

    @router.post(base, response_model=Envelope[FilingDetail], summary=f"新增{c.word}（可带上所选人员）")
    async def create(body: CreateIn, session: SessionDep, engine: EngineDep, actor: Actor_):
        b = await c.create_filing(session, engine, actor, branch_id=body.branch_id, filing_date=body.filing_date,
                                  record_ids=body.record_ids)
        await session.commit()
        return ok(await detail_of(c, session, actor, b, prefix), f"已新增{c.word}，请确认名单并生成{c.form_title}")

    @router.get(f"{base}/{{filing_id:int}}", response_model=Envelope[FilingDetail], summary=f"{c.word}详情")
    async def get_one(filing_id: int, session: SessionDep, actor: Actor_):
        return ok(await detail_of(c, session, actor, await c.get(session, actor, filing_id), prefix))

    @router.delete(f"{base}/{{filing_id:int}}", response_model=Envelope[Empty], summary=f"删除{c.word}（仅待提交）")
    async def delete_one(filing_id: int, session: SessionDep, actor: Actor_):
        await c.delete(session, actor, await c.get(session, actor, filing_id), refusal=f"{c.word}已提交，不能删除")
        await session.commit()
        return ok(None, "删除成功")

    @router.get(f"{base}/{{filing_id:int}}/candidates", response_model=Envelope[Page[CandidateOut]],
                summary=f"可选{c.word}名单（处于本环节、本支部、未在其他未完成的{c.word}中）")
    async def candidates(filing_id: int, session: SessionDep, actor: Actor_):
        rows = await c.candidates(session, actor, await c.get(session, actor, filing_id))
        names = await c.names(session, [u.party_branch_id for _, u, _ in rows])
        items = [{"record_id": r.id, "user_id": u.id, "name": u.name, "student_no": u.student_no or "",
                  "branch_name": names.get(u.party_branch_id, ""), "chosen": chosen} for r, u, chosen in rows]
        return ok({"items": items, "total": len(items), "page": 1, "per_page": max(len(items), 1)})

    @router.post(f"{base}/{{filing_id:int}}/generate", response_model=Envelope[FilingDetail],
                 summary=f"确认并生成{c.form_title}（填表时间、名单、党支部意见）")
    async def generate(filing_id: int, body: GenerateIn, session: SessionDep, engine: EngineDep, actor: Actor_):
        b = await c.get(session, actor, filing_id)
        await c.generate(session, engine, actor, b, filing_date=body.filing_date,
                         people=[p.model_dump() for p in body.people], opinion=body.opinion)
        await session.commit()
        return ok(await detail_of(c, session, actor, b, prefix), f"{c.form_title}已生成，请检查无误后提交{c.word}")

    @router.post(f"{base}/{{filing_id:int}}/submit", response_model=Envelope[FilingDetail], summary=f"提交{c.word}")
    async def submit(filing_id: int, session: SessionDep, engine: EngineDep, actor: Actor_):
        b = await c.submit(session, engine, actor, await c.get(session, actor, filing_id))
        await session.commit()
        to = f"，等待{c.authority}确认{c.word}结果" if c.committee_decides else f"，请在{c.word}完成后填写{c.word}结果"
        return ok(await detail_of(c, session, actor, b, prefix), f"已提交{c.word}{to}")

    if c.committee_decides:
        @router.post(f"{base}/{{filing_id:int}}/decide", response_model=Envelope[DecidedOut],
                     summary=f"确认{c.word}结果（{c.authority}：时间、意见、每人结果）")
        async def decide(filing_id: int, body: DecideIn, session: SessionDep, engine: EngineDep, actor: Actor_):
            b = await c.get(session, actor, filing_id)
            res = await c.decide(session, engine, actor, b, decided_on=body.decided_on, opinion=body.opinion,
                                 items=[i.model_dump() for i in body.items])
            await session.commit()
            return ok({"id": b.id, **moved_out(res)}, f"{c.word}结果已确认")
    else:
        @router.post(f"{base}/{{filing_id:int}}/confirm", response_model=Envelope[DecidedOut],
                     summary=f"填写{c.word}结果（党支部：{c.word}时间、说明）")
        async def confirm(filing_id: int, body: ConfirmIn, session: SessionDep, engine: EngineDep, actor: Actor_):
            b = await c.get(session, actor, filing_id)
            res = await c.confirm(session, engine, actor, b, decided_on=body.decided_on, opinion=body.opinion)
            await session.commit()
            return ok({"id": b.id, **moved_out(res)}, f"{c.word}结果已填写")

    @router.get(f"{base}/{{filing_id:int}}/form", response_class=FileResponse, responses=PDF, summary=f"下载{c.form_title}")
    async def form(filing_id: int, request: Request, session: SessionDep, actor: Actor_):
        b = await c.get(session, actor, filing_id)
        stored = (await session.execute(select(StoredFile).where(StoredFile.token == b.document_token))).scalar_one_or_none() \
            if b.document_token else None
        if stored is None:
            raise fail(404, f"尚未生成{c.form_title}")
        return FileResponse(file_path(request.app.state.settings, stored), media_type=stored.content_type,
                            filename=stored.original_name)
