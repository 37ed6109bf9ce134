"""The PC routes of one political review use, mounted by the kit under ``<stage prefix>/<path>``:
the committee's list, create, people, 确定政审名单, 确认信息填报, 生成函调信 and its exports,
流转支部, 党委审议 results with scans, 完成政审, taking a person off; a branch's view of its
people, its opinions and 流转党委审议."""

from datetime import date
from typing import Literal, Optional

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from core.auth import Requires
from core.clock import LocalDateTime
from core.db import SessionDep
from core.errors import fail
from core.responses import Empty, Envelope, Page, PagingDep, ok
from core.workflow.cohort import COMPLETED
from core.workflow.components import political_review_letters as letters
from core.workflow.components.downloads import PDF, PDF_OR_ZIP, attachment, stored
from core.workflow.components.political_review import RESULTS, STATES, PoliticalReview
from core.workflow.deps import EngineDep
from core.workflow.models import Batch, BatchEntry
from core.workflow.schemas import RecordRef


class CreateIn(BaseModel):
    title: Optional[str] = Field(None, max_length=200, title="政审名称")


class PeopleIn(BaseModel):
    record_ids: list[int] = Field(min_length=1, max_length=2000, title="政审名单")


class RecipientIn(BaseModel):
    recipient: str = Field(min_length=1, max_length=32, title="党支部收件人")
    phone: str = Field(min_length=1, max_length=20, title="收件人电话")
    address: str = Field(min_length=1, max_length=200, title="收件地址")


class BranchRecipientIn(RecipientIn):
    branch_id: int = Field(title="党支部")


class LettersIn(RecipientIn):
    signature_date: date = Field(title="落款时间")
    branches: list[BranchRecipientIn] = Field(default_factory=list, max_length=200, title="各党支部收件信息（不填则用上面的）")


class OpinionIn(BaseModel):
    record_id: int = Field(title="发展记录")
    opinion: str = Field(min_length=1, max_length=1000, title="政审意见")


class OpinionsIn(BaseModel):
    items: list[OpinionIn] = Field(min_length=1, max_length=2000, title="政审意见")


class SubmitIn(BaseModel):
    branch_id: Optional[int] = Field(None, title="党支部（学院党委代为流转时填写）")


class ResultIn(BaseModel):
    record_id: int = Field(title="发展记录")
    outcome: Literal["pass", "fail"] = Field(title="审议结果")
    note: str = Field("", max_length=500, title="说明")


class ResultsIn(BaseModel):
    items: list[ResultIn] = Field(min_length=1, max_length=2000, title="审议结果")
    files: list[str] = Field(min_length=1, max_length=9, title="审议结果扫描件")


class RemoveIn(RecordRef):
    reason: str = Field(min_length=1, max_length=500, title="移出原因")


class RelativeOut(BaseModel):
    name: str
    relation: str
    work_unit: str
    political_status: str
    phone: str


class FileOut(BaseModel):
    token: str
    name: str
    url: str
    type: str


class ReviewOut(BaseModel):
    id: int
    title: str
    state: str = Field(description="draft | filling | letters | opinion | review | completed")
    state_label: str
    people_count: int
    created_at: LocalDateTime
    completed_at: Optional[LocalDateTime] = None
    signature_date: Optional[date] = Field(None, description="函调信落款时间")


class EntryOut(BaseModel):
    record_id: int
    user_id: int
    name: str
    student_no: str
    branch_id: Optional[int] = None
    branch_name: str
    relatives: list[RelativeOut]
    filled_at: Optional[str] = Field(None, description="填写时间（带时区）")
    letters_url: Optional[str] = Field(None, description="本人的函调信（PDF，每名亲属一页）")
    opinion: str
    opinion_submitted: bool
    outcome: str = Field(description="pass | fail | 空（未审议）")
    outcome_label: str
    result_note: str
    result_files: list[FileOut]


class BranchPartOut(BaseModel):
    branch_id: Optional[int] = None
    branch_name: str
    people: int
    submitted: bool = Field(description="已流转党委审议")


class RemovedOut(BaseModel):
    record_id: int
    name: str
    student_no: str
    reason: str


class RecipientOut(BaseModel):
    recipient: str
    phone: str
    address: str


class Can(BaseModel):
    choose: bool
    confirm_list: bool
    confirm_info: bool
    letters: bool
    to_branches: bool
    opinions: bool
    results: bool
    complete: bool
    remove: bool
    delete: bool


class ReviewDetail(ReviewOut):
    filled_count: int
    recipient: Optional[RecipientOut] = None
    letter_count: int
    letters_url: Optional[str] = Field(None, description="导出函调信（合并 PDF）")
    entries: list[EntryOut]
    branches: list[BranchPartOut]
    removed: list[RemovedOut]
    can: Can


class CandidateOut(BaseModel):
    record_id: int
    user_id: int
    name: str
    student_no: str
    branch_name: str


class FinishOut(BaseModel):
    id: int
    state: str
    passed: int
    failed: int


def review_out(b: Batch, count: int) -> dict:
    return {"id": b.id, "title": b.title, "state": b.state, "state_label": STATES.get(b.state, b.state),
            "people_count": count, "created_at": b.created_at, "completed_at": b.completed_at,
            "signature_date": b.signature_date}


async def detail_of(c: PoliticalReview, session, actor, b: Batch, prefix: str) -> dict:
    kept = await c.part(session, actor, b)
    removed = await c.part(session, actor, b, removed=True)
    names = await c.names(session, [e.branch_id for e, _ in kept])
    committee, s = actor.scope == "all", b.state
    parts: dict = {}
    for e, _ in kept:
        p = parts.setdefault(e.branch_id, {"branch_id": e.branch_id, "branch_name": names.get(e.branch_id, ""), "people": 0,
                                           "submitted": True})
        p["people"] += 1
        p["submitted"] = p["submitted"] and bool((e.data or {}).get("opinion_submitted_at"))
    entries = []
    for e, u in kept:
        d = e.data or {}
        entries.append({"record_id": e.record_id, "user_id": e.user_id, "name": u.name, "student_no": u.student_no or "",
                        "branch_id": e.branch_id, "branch_name": names.get(e.branch_id, ""),
                        "relatives": d.get("relatives", []), "filled_at": d.get("filled_at"),
                        "letters_url": f"{prefix}/{b.id}/letters/{e.record_id}" if b.document_token else None,
                        "opinion": e.opinion, "opinion_submitted": bool(d.get("opinion_submitted_at")),
                        "outcome": e.outcome if e.outcome in RESULTS else "", "outcome_label": RESULTS.get(e.outcome, "未审议"),
                        "result_note": d.get("result_note", ""), "result_files": d.get("result_files", [])})
    mine_open = any(not x["opinion_submitted"] for x in entries)
    return {**review_out(b, len(kept)), "filled_count": sum(1 for x in entries if x["relatives"]),
            "recipient": b.data.get("recipient"), "letter_count": b.data.get("letter_count", 0),
            "letters_url": f"{prefix}/{b.id}/letters" if b.document_token and committee else None,
            "entries": entries, "branches": list(parts.values()),
            "removed": [{"record_id": e.record_id, "name": u.name, "student_no": u.student_no or "", "reason": e.removed_reason}
                        for e, u in removed],
            "can": {"choose": committee and s == "draft", "confirm_list": committee and s == "draft" and bool(kept),
                    "confirm_info": committee and s == "filling", "letters": committee and s == "letters",
                    "to_branches": committee and s == "letters" and bool(b.document_token),
                    "opinions": s == "opinion" and mine_open, "results": committee and s == "review",
                    "complete": committee and s == "review", "remove": committee and s != COMPLETED,
                    "delete": committee and s == "draft"}}


def pc_routes(c: PoliticalReview, router: APIRouter) -> None:
    base = f"/{c.path}"
    prefix = f"{router.prefix}{base}"
    Actor_ = Requires(c.permission)

    async def answer(session, actor, b: Batch, msg: str):
        await session.commit()
        return ok(await detail_of(c, session, actor, b, prefix), msg)

    @router.get(base, response_model=Envelope[Page[ReviewOut]], summary=f"{c.title}：政审列表（党支部只见含本支部人员的）")
    async def list_reviews(session: SessionDep, actor: Actor_, paging: PagingDep,
                           state: Optional[Literal["draft", "filling", "letters", "opinion", "review", "completed"]] = Query(
                               None, title="状态")):
        cond = [Batch.kind == c.kind, c.scope(actor)] + ([Batch.state == state] if state else [])
        total = (await session.execute(select(func.count()).select_from(Batch).where(*cond))).scalar_one()
        items = list((await session.execute(select(Batch).where(*cond).order_by(Batch.id.desc())
                                            .offset(paging.offset).limit(paging.per_page))).scalars())
        q = select(BatchEntry.batch_id, func.count()).where(BatchEntry.batch_id.in_([b.id for b in items]),
                                                           BatchEntry.removed_at.is_(None))
        if actor.scope != "all":
            q = q.where(BatchEntry.branch_id == actor.branch_id)
        counts = dict((await session.execute(q.group_by(BatchEntry.batch_id))).all()) if items else {}
        return ok(paging.page_of([review_out(b, counts.get(b.id, 0)) for b in items], total))

    @router.post(base, response_model=Envelope[ReviewDetail], summary="新增政审（学院党委）")
    async def create(body: CreateIn, session: SessionDep, actor: Actor_):
        b = await c.open(session, actor, body.title)
        return await answer(session, actor, b, "新增成功")

    @router.get(f"{base}/{{review_id:int}}", response_model=Envelope[ReviewDetail], summary="政审详情")
    async def get_one(review_id: int, session: SessionDep, actor: Actor_):
        return ok(await detail_of(c, session, actor, await c.get(session, actor, review_id), prefix))

    @router.delete(f"{base}/{{review_id:int}}", response_model=Envelope[Empty], summary="删除未确定名单的政审")
    async def delete_one(review_id: int, session: SessionDep, actor: Actor_):
        b = await c.get(session, actor, review_id)
        c.committee_only(actor)
        await c.delete(session, actor, b, refusal="政审名单已确定，不能删除")
        await session.commit()
        return ok(None, "删除成功")

    @router.get(f"{base}/{{review_id:int}}/candidates", response_model=Envelope[Page[CandidateOut]],
                summary="可进入政审的人员（待完成政治审查、未在其他政审中）")
    async def candidates(review_id: int, session: SessionDep, actor: Actor_):
        await c.get(session, actor, review_id)
        c.committee_only(actor)
        rows = await c.choosable(session, actor)
        names = await c.names(session, [u.party_branch_id for _, u in rows])
        items = [{"record_id": r.id, "user_id": u.id, "name": u.name, "student_no": u.student_no or "",
                  "branch_name": names.get(u.party_branch_id, "")} for r, u in rows]
        return ok({"items": items, "total": len(items), "page": 1, "per_page": max(len(items), 1)})

    @router.put(f"{base}/{{review_id:int}}/people", response_model=Envelope[ReviewDetail], summary="勾选政审名单")
    async def people(review_id: int, body: PeopleIn, session: SessionDep, engine: EngineDep, actor: Actor_):
        b = await c.get(session, actor, review_id)
        await c.choose(session, engine, actor, b, body.record_ids)
        return await answer(session, actor, b, "已保存政审名单")

    @router.post(f"{base}/{{review_id:int}}/confirm-list", response_model=Envelope[ReviewDetail],
                 summary="确定政审名单（通知名单中的人员填写政审信息）")
    async def confirm_list(review_id: int, session: SessionDep, engine: EngineDep, actor: Actor_):
        b = await c.get(session, actor, review_id)
        await c.confirm_list(session, engine, actor, b)
        return await answer(session, actor, b, "已确定政审名单，已通知填写政审信息")

    @router.post(f"{base}/{{review_id:int}}/confirm-info", response_model=Envelope[ReviewDetail], summary="确认信息填报")
    async def confirm_info(review_id: int, session: SessionDep, engine: EngineDep, actor: Actor_):
        b = await c.get(session, actor, review_id)
        await c.confirm_info(session, engine, actor, b)
        return await answer(session, actor, b, "已确认信息填报")

    @router.post(f"{base}/{{review_id:int}}/letters", response_model=Envelope[ReviewDetail],
                 summary="生成函调信：党支部收件人、电话、地址和落款时间（每名亲属一封）")
    async def make_letters(review_id: int, body: LettersIn, session: SessionDep, engine: EngineDep, actor: Actor_):
        b = await c.get(session, actor, review_id)
        n = await letters.generate(c, session, engine, actor, b, signature_date=body.signature_date,
                                   default=letters.Recipient(body.recipient, body.phone, body.address),
                                   branches={x.branch_id: letters.Recipient(x.recipient, x.phone, x.address)
                                             for x in body.branches})
        return await answer(session, actor, b, f"已生成{n}封函调信")

    @router.get(f"{base}/{{review_id:int}}/letters", response_class=Response, responses=PDF_OR_ZIP,
                summary="导出函调信（合并 PDF，或每人一个 PDF 的压缩包）")
    async def export_letters(review_id: int, request: Request, session: SessionDep, actor: Actor_,
                             format: Literal["pdf", "zip"] = Query("pdf", title="导出格式：pdf 合并文件 | zip 每人一个文件")):
        b = await c.get(session, actor, review_id)
        c.committee_only(actor)
        if format == "zip":
            data = await letters.zip_of_letters(c, session, request.app.state.settings, b, await c.entries(session, b))
            return attachment(data, f"{b.title}函调信.zip")
        return await stored(session, request, b.document_token, "函调信")

    @router.get(f"{base}/{{review_id:int}}/letters/{{record_id:int}}", response_class=Response, responses=PDF,
                summary="查看一人的函调信（党支部可看本支部人员的）")
    async def person_letters(review_id: int, record_id: int, request: Request, session: SessionDep, actor: Actor_):
        b = await c.get(session, actor, review_id)
        part = [(e, u) for e, u in await c.part(session, actor, b) if e.record_id == record_id]
        if not part:
            raise fail(404, "该人员不在本次政审中或不属于本支部")
        ((_, user, pdf),) = await letters.person_pdfs(c, session, request.app.state.settings, b, part)
        return attachment(pdf, letters.file_name(user))

    @router.post(f"{base}/{{review_id:int}}/to-branches", response_model=Envelope[ReviewDetail], summary="流转支部填写政审意见")
    async def to_branches(review_id: int, session: SessionDep, engine: EngineDep, actor: Actor_):
        b = await c.get(session, actor, review_id)
        await c.to_branches(session, engine, actor, b)
        return await answer(session, actor, b, "已流转党支部填写政审意见")

    @router.put(f"{base}/{{review_id:int}}/opinions", response_model=Envelope[ReviewDetail], summary="填写政审意见（本支部人员）")
    async def opinions(review_id: int, body: OpinionsIn, session: SessionDep, actor: Actor_):
        b = await c.get(session, actor, review_id)
        n = await c.write_opinions(session, actor, b, {i.record_id: i.opinion for i in body.items})
        return await answer(session, actor, b, f"已保存{n}人的政审意见")

    @router.post(f"{base}/{{review_id:int}}/submit-opinions", response_model=Envelope[ReviewDetail], summary="流转党委审议")
    async def submit_opinions(review_id: int, session: SessionDep, engine: EngineDep, actor: Actor_,
                              body: Optional[SubmitIn] = None):
        b = await c.get(session, actor, review_id)
        last = await c.submit_opinions(session, engine, actor, b, body.branch_id if body else None)
        return await answer(session, actor, b, "已流转党委审议" + ("，进入党委审议" if last else "，等待其他党支部"))

    @router.put(f"{base}/{{review_id:int}}/results", response_model=Envelope[ReviewDetail],
                summary="党委审议：选择审议结果并上传扫描件")
    async def results(review_id: int, body: ResultsIn, session: SessionDep, actor: Actor_):
        b = await c.get(session, actor, review_id)
        n = await c.set_results(session, actor, b, {i.record_id: i.outcome for i in body.items},
                                {i.record_id: i.note for i in body.items}, body.files)
        return await answer(session, actor, b, f"已记录{n}人的审议结果")

    @router.post(f"{base}/{{review_id:int}}/complete", response_model=Envelope[FinishOut], summary="完成政审")
    async def complete(review_id: int, session: SessionDep, engine: EngineDep, actor: Actor_):
        b = await c.get(session, actor, review_id)
        counts = await c.finish(session, engine, actor, b)
        await session.commit()
        return ok({"id": b.id, "state": b.state, **counts}, f"政审已完成：通过{counts['passed']}人，不通过{counts['failed']}人")

    @router.post(f"{base}/{{review_id:int}}/remove", response_model=Envelope[ReviewDetail],
                 summary="移出政审名单（仍待完成政治审查，可进入之后的政审）")
    async def remove(review_id: int, body: RemoveIn, session: SessionDep, engine: EngineDep, actor: Actor_):
        b = await c.get(session, actor, review_id)
        c.committee_only(actor)
        user = await c.remove(session, engine, actor, b, body.record_id, body.reason)
        return await answer(session, actor, b, f"已将{user.name}移出政审名单")

