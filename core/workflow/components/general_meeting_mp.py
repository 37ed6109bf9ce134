"""The attendees' MP routes of the organisation life (``/api/mp/v1/development/org-life``): my
meetings, one meeting with my attendance (and, for a person voted on, the result), and the
scan of a 签到码 / 签退码 — the QR codes open the mobile screen that posts the code here."""

from typing import Optional

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlalchemy import and_, func, select

from core import clock
from core.auth import Requires
from core.clock import LocalDateTime
from core.db import SessionDep
from core.errors import fail
from core.responses import Page, PagingDep, raw_json
from core.text import PlainText
from core.workflow.components import general_meeting_attendance as attendance
from core.workflow.components.general_meeting import (ATTENDANCE, KIND, PHASES, SCOPES, TYPES, MeetingAttendance,
                                                      attendance_code, meeting_phase)
from core.workflow.components.general_meeting_codes import KINDS
from core.workflow.components.general_meeting_life import OrgLife
from core.workflow.models import Batch, BatchEntry


class CodeIn(BaseModel):
    code: PlainText = Field(min_length=1, max_length=120, title="签到码")


class MyAttendance(BaseModel):
    status: str = Field(description="pending 未签到 | signed_in 已签到 | signed_out 已签退 | supplemented 补录 | leave 请假 | absent 缺席")
    status_label: str
    signed_in_at: Optional[LocalDateTime] = None
    signed_out_at: Optional[LocalDateTime] = None
    voter: bool = Field(description="有表决权")
    note: str


class MyMeeting(BaseModel):
    id: int
    title: str
    type: str
    type_label: str
    branch_name: str
    place: str
    start_at: Optional[LocalDateTime] = None
    end_at: Optional[LocalDateTime] = None
    phase: str = Field(description="upcoming 未开始 | running 进行中 | ended 已结束 | confirmed | completed")
    phase_label: str
    attendance: MyAttendance


class MyResult(BaseModel):
    """How the meeting voted on me (after the record)."""

    vote_label: str
    outcome_label: str
    yes: int
    no: int
    abstain: int


class MyMeetingDetail(MyMeeting):
    host: str
    recorder: str
    scope_label: str
    content: str
    vote_label: str = Field(description="表决内容，不含表决为空")
    attendees: int
    present: Optional[int] = Field(None, description="确认参会名单后：实际参会人数")
    result: Optional[MyResult] = None


class Signed(BaseModel):
    msg: str
    attendance: MyAttendance


def mine(a: MeetingAttendance) -> dict:
    code = attendance_code(a.status, a.signed_in_at, a.signed_out_at, a.supplemented)
    return {"status": code, "status_label": ATTENDANCE[code], "signed_in_at": a.signed_in_at,
            "signed_out_at": a.signed_out_at, "voter": a.voter, "note": a.note}


def mp_routes(router: APIRouter, instances: list) -> None:
    life = OrgLife(instances)
    attendee = Requires("mp.dev.org_life")

    def summary(b: Batch, a: MeetingAttendance, branch: str) -> dict:
        phase = meeting_phase(b)
        d = b.data or {}
        return {"id": b.id, "title": b.title, "type": d.get("type", ""), "type_label": TYPES.get(d.get("type"), ""),
                "branch_name": branch, "place": d.get("place", ""), "start_at": b.start_at, "end_at": b.end_at,
                "phase": phase, "phase_label": PHASES[phase], "attendance": mine(a)}

    @router.get("/org-life", response_model=Page[MyMeeting], summary="我的组织生活（参会的会议）")
    async def my_meetings(session: SessionDep, actor: attendee, paging: PagingDep):
        q = (select(Batch, MeetingAttendance).join(MeetingAttendance, and_(MeetingAttendance.batch_id == Batch.id,
                                                                          MeetingAttendance.user_id == actor.id))
             .where(Batch.kind == KIND, Batch.state != "draft"))
        total = (await session.execute(select(func.count()).select_from(q.subquery()))).scalar_one()
        rows = (await session.execute(q.order_by(Batch.start_at.desc(), Batch.id.desc()).offset(paging.offset)
                                      .limit(paging.per_page))).all()
        names = await life.names(session, [b.branch_id for b, _ in rows])
        return paging.page_of([summary(b, a, names.get(b.branch_id, "")) for b, a in rows], total)

    @router.get("/org-life/{meeting_id:int}", response_model=MyMeetingDetail, summary="组织生活详情与我的参会情况")
    async def my_meeting(meeting_id: int, session: SessionDep, actor: attendee):
        row = (await session.execute(select(Batch, MeetingAttendance).join(MeetingAttendance, and_(
            MeetingAttendance.batch_id == Batch.id, MeetingAttendance.user_id == actor.id))
            .where(Batch.id == meeting_id, Batch.kind == KIND, Batch.state != "draft"))).first()
        if row is None:
            raise fail(404, "会议不存在或您不是参会人员")
        b, a = row
        names = await life.names(session, [b.branch_id])
        counts = (await life.counts(session, [b.id])).get(b.id, {})
        use = life.use_of(b)
        result = None
        if use is not None and b.state == "completed" and a.subject:
            e = (await session.execute(select(BatchEntry).where(BatchEntry.batch_id == b.id, BatchEntry.user_id == actor.id,
                                                                BatchEntry.removed_at.is_(None)))).scalar_one_or_none()
            o = use.choices().get(e.outcome) if e else None
            if o is not None:
                c = e.data or {}
                result = {"vote_label": use.vote_label, "outcome_label": o.label or e.outcome, "yes": c.get("yes", 0),
                          "no": c.get("no", 0), "abstain": c.get("abstain", 0)}
        d = b.data or {}
        return {**summary(b, a, names.get(b.branch_id, "")), "host": d.get("host", ""), "recorder": d.get("recorder", ""),
                "scope_label": SCOPES.get(d.get("scope"), ""), "content": d.get("content", ""),
                "vote_label": use.vote_label if use else "", "attendees": counts.get("attendees", 0),
                "present": counts.get("present") if b.state in ("confirmed", "completed") else None, "result": result}

    for kind in KINDS:
        _sign_route(router, kind, attendee)


def _sign_route(router: APIRouter, kind: str, attendee) -> None:
    label = KINDS[kind][1]

    @router.post(f"/org-life/{{meeting_id:int}}/{kind}", response_model=Signed, summary=f"扫码{label}")
    async def sign(meeting_id: int, body: CodeIn, request: Request, session: SessionDep, actor: attendee):
        # The settings straight from the app (a plain-function dependency would cost a thread hop on this hot path).
        a, fresh = await attendance.sign(session, request.app.state.settings, actor, meeting_id, kind, body.code)
        out = mine(a)
        await session.commit()
        out.update(signed_in_at=clock.iso(a.signed_in_at), signed_out_at=clock.iso(a.signed_out_at))
        # A hot path (a meeting's first minutes): the answer is JSON-ready, times with their offset.
        return raw_json({"msg": f"{label}成功" if fresh else f"您已{label}，无需重复{label}", "attendance": out})
