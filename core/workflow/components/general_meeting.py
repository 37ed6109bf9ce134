"""General meeting and organisation life (组织生活, 党员大会; DEV-10 part 2, manual 6.4/6.5
支部大会讨论).

A branch's organisation life is one kind of object whatever it is for: a 党员大会 that
votes on the people of a step (接收预备党员, 预备党员转正), or a 支部委员会, 党小组会,
党课, 主题党日, 组织生活会 without a vote. Each meeting is a cohort (``dev_batch`` of kind
``general_meeting``): owned by a branch, with a type, a time window, a place, a publish
scope deciding who attends (支部内均可参加: the voters, activists, 发展对象, 预备党员 and 党员
of the branch; 仅党员: the voters, 预备党员 and 党员), and, when it votes, its vote content,
its voters (导入人员: formal members of the branch) and the people voted on (entries).

Life of a meeting: 设置基本信息 → 导入人员 / 表决对象 → 生成表决票 → 保存并发布 (attendees are
fixed and told) → during the meeting phones scan the 签到码 / 签退码 (general_meeting_codes)
→ after it 补录 / 请假, 确认参会名单 (the rest are 缺席) → 组织生活记录 (minutes; with a vote,
each person's result and counts, which must follow the majority rule) → the people voted on
are resolved through ``engine.resolve`` with the step's outcomes, in one call.

``GeneralMeeting`` is the component a stage declares on each vote step (its ``vote`` code and
label name the vote content and bind it to that step). Every use shares one 组织生活 page,
one set of routes (``/api/pc/v1/development/org-life``, MP ``/api/mp/v1/development/org-life``)
and the attendees' to-dos; meetings without a vote need no step. The modules:
``general_meeting_life`` (set-up and publishing), ``general_meeting_attendance`` (scans,
补录/请假, confirmation), ``general_meeting_record`` (the record and the vote),
``general_meeting_api`` / ``_mp`` / ``_page`` / ``_pdf`` (what is mounted and printed).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar, Optional

from pydantic import BaseModel, Field as PField
from sqlalchemy import Index, UniqueConstraint, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel

from core import clock
from core.clock import LocalDateTime
from core.models import utcnow
from core.workflow.cohort import COMPLETED, Cohort
from core.workflow.components.base import ListColumn
from core.workflow.models import Batch, BatchEntry
from core.workflow.outcomes import Outcome
from core.workflow.people import BranchNames

KIND = "general_meeting"
TYPES = {"general": "党员大会", "committee": "支部委员会", "group": "党小组会", "lecture": "党课",
         "theme_day": "主题党日", "life_meeting": "组织生活会"}
SCOPES = {"branch": "支部内均可参加", "members": "仅党员（预备党员、党员参加）"}
STATE_LABELS = {"draft": "未发布", "published": "已发布", "confirmed": "已确认参会名单", COMPLETED: "已完成"}
PHASES = {"draft": "未发布", "upcoming": "未开始", "running": "进行中", "ended": "已结束，待确认参会名单",
          "confirmed": "待填写组织生活记录", "completed": "已完成"}
ATTENDANCE = {"pending": "未签到", "signed_in": "已签到", "signed_out": "已签退", "supplemented": "补录",
              "leave": "请假", "absent": "缺席"}
FORMAL, PROBATIONARY = "中共党员", "中共预备党员"
# Records of these stages attend a meeting open to the whole branch (积极分子, 发展对象).
BRANCH_STAGES = ("activist", "candidate", "reception")


class MeetingAttendance(SQLModel, table=True):
    """One attendee of a published meeting (and, before publishing, one imported voter)."""

    __tablename__ = "dev_meeting_attendance"
    __table_args__ = (UniqueConstraint("batch_id", "user_id", name="uq_dev_meeting_attendance"),
                      Index("ix_dev_meeting_attendance_user", "user_id"))

    id: Optional[int] = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="dev_batch.id")
    user_id: int = Field(foreign_key="xf_user.id")
    voter: bool = False  # entitled to vote (导入人员)
    subject: bool = False  # voted on at this meeting
    status: str = Field(default="pending", max_length=10)  # pending | present | leave | absent
    signed_in_at: Optional[datetime] = None
    signed_out_at: Optional[datetime] = None
    supplemented: bool = False  # 补录: marked present by the branch after the meeting
    note: str = Field(default="", max_length=200)  # 请假 reason
    updated_by: Optional[int] = None
    updated_at: Optional[datetime] = None


MODELS = [MeetingAttendance]


def attendance_code(status: str, signed_in_at, signed_out_at, supplemented: bool) -> str:
    """pending | signed_in | signed_out | supplemented | leave | absent (labels: ``ATTENDANCE``)."""
    if status == "present":
        return "supplemented" if supplemented else ("signed_out" if signed_out_at else "signed_in")
    return status if status in ATTENDANCE else "pending"


def meeting_phase(b: Batch, now: datetime | None = None) -> str:
    """draft | upcoming | running | ended | confirmed | completed, from the state and the times
    (computed when read: a late timer never shows a wrong phase)."""
    if b.state != "published":
        return b.state if b.state in PHASES else "draft"
    now = now or utcnow()
    if b.start_at and now < b.start_at:
        return "upcoming"
    if b.end_at and now < b.end_at:
        return "running"
    return "ended"


def meeting_day(b: Batch) -> date | None:
    return clock.local_date(b.start_at) if b.start_at else None


class GeneralMeetingResult(BaseModel):
    """A person's latest general meeting: where they are listed, or how the vote went."""

    meeting_id: int
    title: str
    start_at: Optional[LocalDateTime] = None
    phase: str = PField(description="draft | upcoming | running | ended | confirmed | completed")
    phase_label: str
    outcome: str = PField(description="表决结果代码（环节声明的结果），未表决为空")
    outcome_label: str
    yes: Optional[int] = None
    no: Optional[int] = None
    abstain: Optional[int] = None


@dataclass
class GeneralMeeting(Cohort):
    """The general meeting of one vote step (接收预备党员 on reception's, 预备党员转正 on
    conversion's). Its outcomes are the step's (advance, fail with ``revote_to`` or final,
    reflow with probation months); ``milestone`` takes the meeting day for those who pass."""

    kind: str = KIND
    title: str = "支部大会讨论"
    vote: str = ""  # the vote content's code, unique among the uses (reception, conversion...)
    vote_label: str = ""  # 表决内容, e.g. 接收预备党员
    milestone: str = ""  # e.g. received_at: the meeting day, for the passing outcomes
    branch_names: Optional[BranchNames] = None
    noun: str = "会议"
    permission_key: str = ""

    detail_model: ClassVar = GeneralMeetingResult

    def __post_init__(self):
        if not self.vote or not self.vote_label:
            raise ValueError("GeneralMeeting needs its vote content: vote (a code) and vote_label (e.g. 接收预备党员)")

    # --- the vote -------------------------------------------------------------------------

    def choices(self) -> dict[str, Outcome]:
        """The results a vote may record: the step's outcomes except ``stay`` (a meeting decides)."""
        return {k: o for k, o in self.step_def.allowed().items() if k != "stay"}

    @staticmethod
    def passes(o: Outcome) -> bool:
        """A result carried by the vote (同意, 延迟预备期): it needs more yes votes than half of
        those entitled; a failing result (不同意) needs at most half."""
        return o.kind in ("advance", "reflow", "finish")

    async def names(self, session: AsyncSession, ids) -> dict[int, str]:
        ids = sorted({i for i in ids if i is not None})
        if not ids or self.branch_names is None:
            return {}
        return await self.branch_names(session, ids)

    # --- the stage's list -------------------------------------------------------------------

    async def latest(self, session: AsyncSession, record_ids: list[int]) -> dict[int, tuple[BatchEntry, Batch]]:
        """Each record's newest meeting entry at this step (one statement)."""
        if not record_ids:
            return {}
        newest = (select(BatchEntry.record_id, func.max(BatchEntry.id).label("eid")).join(Batch, Batch.id == BatchEntry.batch_id)
                  .where(BatchEntry.record_id.in_(record_ids), Batch.kind == self.kind, Batch.stage == self.stage,
                         Batch.step == self.step, BatchEntry.removed_at.is_(None))
                  .group_by(BatchEntry.record_id).subquery())
        rows = (await session.execute(select(BatchEntry, Batch).join(newest, newest.c.eid == BatchEntry.id)
                                      .join(Batch, Batch.id == BatchEntry.batch_id))).all()
        return {e.record_id: (e, b) for e, b in rows}

    def result_of(self, e: BatchEntry, b: Batch) -> GeneralMeetingResult:
        phase = meeting_phase(b)
        o = self.step_def.outcome(e.outcome) if e.outcome and b.state == COMPLETED else None
        counts = e.data or {}
        return GeneralMeetingResult(meeting_id=b.id, title=b.title, start_at=b.start_at, phase=phase,
                                    phase_label=PHASES[phase], outcome=e.outcome if o else "",
                                    outcome_label=(o.label or e.outcome) if o else "", yes=counts.get("yes"),
                                    no=counts.get("no"), abstain=counts.get("abstain"))

    def columns(self) -> list[ListColumn]:
        return [ListColumn(f"{self.key}_label", "支部大会", amis={"type": "tpl", "tpl": f"${{{self.key}_label || '-'}}"})]

    async def column_values(self, session, records) -> dict[int, dict]:
        found = await self.latest(session, [r.id for r in records])
        out = {}
        for rid, (e, b) in found.items():
            res = self.result_of(e, b)
            out[rid] = {f"{self.key}_label": f"{b.title}（{res.outcome_label or res.phase_label}）"}
        return out

    async def detail(self, session, record):
        found = (await self.latest(session, [record.id])).get(record.id)
        return self.result_of(*found) if found else None

    def detail_panels(self) -> list[dict]:
        k = self.key
        return [{"type": "panel", "title": "支部大会", "visibleOn": f"this.{k}", "body": {"type": "property", "column": 2, "items": [
            {"label": "会议", "content": f"${{{k}.title}}"}, {"label": "状态", "content": f"${{{k}.phase_label}}"},
            {"label": "表决结果", "content": f"${{{k}.outcome_label}}"},
            {"label": "赞成/反对/弃权", "content": f"${{{k}.yes}} / ${{{k}.no}} / ${{{k}.abstain}}"}]}}]

    def row_actions(self) -> list[dict]:
        from core.workflow.components.general_meeting_page import PAGE_URL

        return [{"type": "button", "label": "支部大会管理", "level": "link", "actionType": "link",
                 "link": f"{PAGE_URL}?vote={self.vote}",
                 "visibleOn": f"this.step === '{self.step}' && this.status === 'active'"}]

    def header_actions(self) -> list[dict]:
        from core.workflow.components.general_meeting_page import PAGE_URL

        return [{"type": "button", "label": "组织生活", "level": "default", "icon": "fa fa-users", "actionType": "link",
                 "link": PAGE_URL}] if self is self._first_of_stage() else []

    def _first_of_stage(self):
        return next(c for s in self.stage_def.steps for c in s.components if isinstance(c, GeneralMeeting))

    # --- shared by every use (the kit asks the class once) ----------------------------------

    @classmethod
    def shared_pc_routes(cls, router, instances):
        from core.workflow.components import general_meeting_api

        general_meeting_api.pc_routes(router, instances)

    @classmethod
    def shared_mp_routes(cls, router, instances):
        from core.workflow.components import general_meeting_mp

        general_meeting_mp.mp_routes(router, instances)

    @classmethod
    def shared_pages(cls, instances):
        from core.workflow.components import general_meeting_page

        return general_meeting_page.pages(instances)

    @classmethod
    async def shared_todo_items(cls, session, actor, instances):
        from core.workflow.components import general_meeting_attendance

        return await general_meeting_attendance.todo_items(session, actor)

    @classmethod
    def shared_mobile_screens(cls, instances):
        from core.mobile.screens import MobileEntry, MobileScreen

        return [MobileScreen("/org-life", "screens/development/meetings.js", "组织生活", "mp.dev.org_life",
                             entry=MobileEntry("组织生活", "people", 45)),
                MobileScreen("/org-life/:id", "screens/development/meeting.js", "组织生活", "mp.dev.org_life"),
                MobileScreen("/org-life/:id/sign-in", "screens/development/meeting_sign.js", "会议签到", "mp.dev.org_life",
                             options={"kind": "sign-in"}),
                MobileScreen("/org-life/:id/sign-out", "screens/development/meeting_sign.js", "会议签退", "mp.dev.org_life",
                             options={"kind": "sign-out"})]
