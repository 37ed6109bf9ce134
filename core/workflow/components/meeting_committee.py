"""The branch committee meeting (支委会议, DEV-10 part 1) on the meeting base, in two forms.

- Vote form (``vote=True``, the candidate stage's 支委会议): 导出表决票 for the ticked people
  before the meeting; afterwards time, place, attendance (应到/实到 counts, and the names of
  those present and absent as written) and the result per person. Each result is an outcome
  the step declares (通过 → advance with the milestone, e.g. ``candidate_at``; 不通过 → the
  step's failure code, e.g. ``支委会议-不通过``, which the branch may re-develop).
- Time-only form (``vote=False``, the activist stage's 填报支委会议时间 and the reception
  stage's 支委会议): the meeting's time (and optionally its place) for the ticked people;
  everyone advances and the milestone is the meeting's date.

Both keep the meeting as a cohort with its minutes (and ballot) recorded as each person's
documents; the list of held meetings and their papers are read back from the same routes.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from core.auth import Requires
from core.clock import LocalDateTime
from core.db import SessionDep
from core.responses import Envelope, Page, PagingDep, ids_param, ok
from core.workflow.components.downloads import PDF, attachment, stored
from core.workflow.components.meeting import MAX_COPIES, Attendance, MeetingBase
from core.workflow.deps import EngineDep
from core.workflow.models import Batch, BatchEntry
from core.workflow.schemas import MovedOut, moved_out


class ResultIn(BaseModel):
    record_id: int = Field(title="发展记录")
    outcome: str = Field(min_length=1, max_length=40, title="表决结果")
    note: str = Field("", max_length=500, title="说明")


class VoteIn(BaseModel):
    held_at: datetime = Field(title="会议时间")
    place: str = Field(min_length=1, max_length=100, title="会议地点")
    expected: int = Field(ge=1, le=1000, title="应到人数")
    present: int = Field(ge=1, le=1000, title="实到人数")
    attendees: str = Field("", max_length=500, title="出席人员")
    absentees: str = Field("", max_length=500, title="缺席人员及原因")
    note: str = Field("", max_length=1000, title="其他记录")
    items: list[ResultIn] = Field(min_length=1, max_length=2000, title="表决结果")


class TimeIn(BaseModel):
    record_ids: list[int] = Field(min_length=1, max_length=2000, title="人员")
    held_at: datetime = Field(title="支委会议时间")
    place: str = Field("", max_length=100, title="会议地点")


class MeetingOut(BaseModel):
    id: int
    kind: str
    title: str
    branch_id: Optional[int] = None
    branch_name: str
    held_at: Optional[LocalDateTime] = None
    place: str
    expected: Optional[int] = None
    present: Optional[int] = None
    people_count: int
    created_at: LocalDateTime
    minutes_url: Optional[str] = Field(None, description="会议记录 PDF")
    ballot_url: Optional[str] = Field(None, description="表决票 PDF（表决形式）")


class MeetingEntryOut(BaseModel):
    record_id: int
    user_id: int
    name: str
    student_no: str
    outcome: str
    outcome_label: str
    note: str


class MeetingDetail(MeetingOut):
    attendees: str
    absentees: str
    note: str
    entries: list[MeetingEntryOut]


class HeldOut(MovedOut):
    id: int


class OptionOut(BaseModel):
    value: str = Field(description="表决结果代码（提交时的 outcome）")
    label: str


@dataclass
class CommitteeMeeting(MeetingBase):
    self_todos = "none"  # to-dos for administrators only (Component.self_todos)
    vote: bool = True  # False: the time-only form (填报支委会议时间)
    path: str = "committee-meeting"
    meeting_title: str = "支部委员会会议"
    document_kind: str = "committee_meeting_record"
    noun: str = "支委会议"

    def has_ballot(self) -> bool:
        return self.vote

    async def record_vote(self, session, engine, actor, body: VoteIn):
        return await self.hold(session, engine, actor, outcomes={i.record_id: i.outcome for i in body.items},
                               held_at=body.held_at, place=body.place,
                               attendance=Attendance(body.expected, body.present, body.attendees, body.absentees),
                               notes={i.record_id: i.note for i in body.items}, note=body.note)

    async def record_time(self, session, engine, actor, body: TimeIn):
        key = next(k for k, o in self.step_def.allowed().items() if o.kind == "advance")
        return await self.hold(session, engine, actor, outcomes={rid: key for rid in body.record_ids},
                               held_at=body.held_at, place=body.place, attendance=Attendance(),
                               place_required=False, attendance_required=False)

    # --- the kit ------------------------------------------------------------------------

    def pc_routes(self, router: APIRouter) -> None:
        c, base = self, f"/{self.path}"
        actor_ = Requires(self.permission)
        prefix = f"{router.prefix}{base}"

        def out(b: Batch, branch_name: str, count: int) -> dict:
            d = b.data or {}
            return {"id": b.id, "kind": b.kind, "title": b.title, "branch_id": b.branch_id, "branch_name": branch_name,
                    "held_at": b.start_at, "place": d.get("place", ""), "expected": d.get("expected"),
                    "present": d.get("present"), "people_count": count, "created_at": b.created_at,
                    "minutes_url": f"{prefix}/{b.id}/minutes" if b.document_token else None,
                    "ballot_url": f"{prefix}/{b.id}/ballot" if b.report_token else None}

        if self.vote:
            @router.get(f"{base}/options", response_model=Envelope[list[OptionOut]], summary=f"{c.title}：可选的表决结果")
            async def options(actor: actor_):
                return ok([{"value": k, "label": v} for k, v in c.options().items()])

            @router.get(f"{base}/ballot", response_class=Response, responses=PDF, summary="导出表决票（勾选人员）")
            async def ballot(session: SessionDep, engine: EngineDep, actor: actor_,
                             record_ids: str = Query(..., max_length=5000, title="勾选的人员（逗号分隔）"),
                             copies: int = Query(1, ge=1, le=MAX_COPIES, title="份数（每位表决人一份）")):
                data, name = await c.ballot(session, engine, actor, ids_param(record_ids), copies=copies)
                return attachment(data, name)

            @router.post(base, response_model=Envelope[HeldOut],
                         summary=f"填报{c.title}：会议时间、地点、参会情况和每人的表决结果")
            async def record(body: VoteIn, session: SessionDep, engine: EngineDep, actor: actor_):
                b, res = await c.record_vote(session, engine, actor, body)
                await session.commit()
                return ok({"id": b.id, **moved_out(res)}, f"{c.title}已记录")
        else:
            @router.post(base, response_model=Envelope[HeldOut], summary=f"{c.title}：填写会议时间，所选人员进入下一环节")
            async def record_time(body: TimeIn, session: SessionDep, engine: EngineDep, actor: actor_):
                b, res = await c.record_time(session, engine, actor, body)
                await session.commit()
                return ok({"id": b.id, **moved_out(res)}, f"{c.title}已记录")

        @router.get(base, response_model=Envelope[Page[MeetingOut]], summary=f"{c.title}：已召开的会议")
        async def list_meetings(session: SessionDep, actor: actor_, paging: PagingDep):
            cond = [Batch.kind == c.kind, c.scope(actor)]
            total = (await session.execute(select(func.count()).select_from(Batch).where(*cond))).scalar_one()
            items = list((await session.execute(select(Batch).where(*cond).order_by(Batch.start_at.desc(), Batch.id.desc())
                                                .offset(paging.offset).limit(paging.per_page))).scalars())
            counts = dict((await session.execute(
                select(BatchEntry.batch_id, func.count()).where(BatchEntry.batch_id.in_([b.id for b in items]))
                .group_by(BatchEntry.batch_id))).all()) if items else {}
            names = await c.names(session, [b.branch_id for b in items])
            return ok(paging.page_of([out(b, names.get(b.branch_id, ""), counts.get(b.id, 0)) for b in items], total))

        @router.get(f"{base}/{{meeting_id:int}}", response_model=Envelope[MeetingDetail], summary=f"{c.title}：详情")
        async def detail(meeting_id: int, session: SessionDep, actor: actor_):
            b = await c.get(session, actor, meeting_id)
            kept = await c.entries(session, b)
            names = await c.names(session, [b.branch_id])
            labels = c.options()
            d = b.data or {}
            return ok({**out(b, names.get(b.branch_id, ""), len(kept)), "attendees": d.get("attendees", ""),
                       "absentees": d.get("absentees", ""), "note": d.get("note", ""),
                       "entries": [{"record_id": e.record_id, "user_id": e.user_id, "name": u.name,
                                    "student_no": u.student_no or "", "outcome": e.outcome,
                                    "outcome_label": labels.get(e.outcome, e.outcome), "note": e.opinion}
                                   for e, u in kept]})

        @router.get(f"{base}/{{meeting_id:int}}/minutes", response_class=FileResponse, responses=PDF, summary="下载会议记录")
        async def minutes(meeting_id: int, request: Request, session: SessionDep, actor: actor_):
            return await stored(session, request, (await c.get(session, actor, meeting_id)).document_token, "会议记录")

        @router.get(f"{base}/{{meeting_id:int}}/ballot", response_class=FileResponse, responses=PDF, summary="下载本次会议的表决票")
        async def held_ballot(meeting_id: int, request: Request, session: SessionDep, actor: actor_):
            return await stored(session, request, (await c.get(session, actor, meeting_id)).report_token, "表决票")

    def pages(self):
        from core.workflow.components import meeting_page

        return meeting_page.pages(self)

    def row_actions(self):
        from core.workflow.components import meeting_page

        return meeting_page.row_actions(self)

    def bulk_actions(self):
        from core.workflow.components import meeting_page

        return meeting_page.bulk_actions(self)

    async def todo_items(self, session, actor):
        from core.workflow.components import meeting_page

        return await meeting_page.todo_items(self, session, actor)
