"""The meeting base (DEV-10) on the cohort base: what every meeting that decides about people
shares — the branch committee meeting (支委会议, ``meeting_committee.py``) and the general
meeting (党员大会, issue 15) build on it.

A held meeting is a ``dev_batch`` of its kind: ``start_at`` the meeting's time (UTC),
``signature_date`` its local day, ``data`` the place and attendance; one entry per person
with the outcome the meeting gave (a key the step declares). Here: the outcomes a meeting
may give and their labels, the checks of time and attendance, the ballot (表决票) listing
the people, holding the meeting (entries, one engine resolution for everyone, the minutes
and ballot stored and recorded as each person's documents, messages), and the majority
rule a vote uses.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Optional

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from core import clock, outbox
from core.auth import Actor
from core.errors import fail
from core.files import store_bytes
from core.models import User, utcnow
from core.workflow.cohort import Cohort
from core.workflow.components.meeting_pdf import Ballot, BallotPerson, Minutes, MinutesRow, ballot_pdf, minutes_pdf
from core.workflow.components.sheet_pdf import cn_date
from core.workflow.documents import Paper, record_documents
from core.workflow.models import Batch, DevelopmentRecord
from core.workflow.people import BranchNames
from core.workflow.transitions import Resolution

MAX_COPIES = 100


def passes_majority(yes: int, entitled: int) -> bool:
    """The regulation's vote rule: more than half of those entitled to vote said yes."""
    return entitled > 0 and yes * 2 > entitled


@dataclass
class Attendance:
    """应到 / 实到 and who attended or was absent (names as written, or counts only)."""

    expected: int | None = None
    present: int | None = None
    attendees: str = ""
    absentees: str = ""

    def check(self, required: bool) -> "Attendance":
        if required and (self.expected is None or self.present is None):
            raise fail(422, "请填写应到人数和实到人数", field="expected" if self.expected is None else "present",
                       label="应到人数" if self.expected is None else "实到人数")
        if self.expected is not None and self.expected < 1:
            raise fail(422, "应到人数至少为1人", field="expected", label="应到人数")
        if self.present is not None and self.present < 1:
            raise fail(422, "实到人数至少为1人", field="present", label="实到人数")
        if self.expected is not None and self.present is not None and self.present > self.expected:
            raise fail(422, "实到人数不能多于应到人数", field="present", label="实到人数")
        self.attendees, self.absentees = (self.attendees or "").strip(), (self.absentees or "").strip()
        for name, label, value in (("attendees", "出席人员", self.attendees), ("absentees", "缺席人员及原因", self.absentees)):
            if len(value) > 500:
                raise fail(422, f"{label}不能超过500个字", field=name, label=label)
        return self

    def data(self) -> dict:
        return {"expected": self.expected, "present": self.present, "attendees": self.attendees, "absentees": self.absentees}


@dataclass
class MeetingBase(Cohort):
    path: str = "meeting"
    milestone: str = ""  # set to the meeting's date for those who advance (candidate_at, activist_at...)
    meeting_title: str = "会议"  # what the minutes call the meeting
    ballot_title: str = ""  # default: <title>表决票
    vote_content: str = ""  # the question the ballot asks
    choices: dict[str, str] = field(default_factory=dict)  # outcome key → label (default: the step's declared outcomes)
    ballot_choices: tuple[str, ...] = ("同意", "不同意", "弃权")  # the columns a voter ticks
    branch_names: Optional[BranchNames] = None
    document_kind: str = "meeting_record"
    permission_key: str = ""
    noun: str = "会议"

    async def names(self, session: AsyncSession, ids) -> dict[int, str]:
        ids = sorted({i for i in ids if i is not None})
        if not ids or self.branch_names is None:
            return {}
        return await self.branch_names(session, ids)

    def options(self) -> dict[str, str]:
        """Outcome key → label the meeting may give (the step's declared outcomes without ``stay``)."""
        if self.choices:
            return dict(self.choices)
        declared = self.step_def.outcomes if self.step_def.outcomes is not None else {
            k: o for k, o in self.step_def.allowed().items() if k != "stay"}
        return {k: (o.label or k) for k, o in declared.items()}

    def check_time(self, held_at: datetime | None) -> datetime:
        """The meeting's time, converted to UTC; a meeting is recorded after it was held."""
        if held_at is None:
            raise fail(422, "请填写会议时间", field="held_at", label="会议时间")
        when = clock.to_utc(held_at)
        if when > utcnow():
            raise fail(422, "会议时间不能晚于当前时间（会议结束后再填报）", field="held_at", label="会议时间")
        return when

    @staticmethod
    def check_place(place: str | None, required: bool) -> str:
        place = (place or "").strip()
        if required and not place:
            raise fail(422, "请填写会议地点", field="place", label="会议地点")
        if len(place) > 100:
            raise fail(422, "会议地点不能超过100个字", field="place", label="会议地点")
        return place

    async def people(self, session: AsyncSession, engine, actor: Actor, record_ids: list[int]):
        """The records, in the actor's scope and all at this step (409 naming those elsewhere)."""
        if not record_ids:
            raise fail(422, f"请勾选{self.people_label}", field="record_ids", label=self.people_label)
        records, users = await engine.load(session, actor, record_ids)
        engine.check_position(records, users, self.stage, self.step)
        await self.check_task(session, records, users)
        return records, users

    def owner(self, actor: Actor, users: dict[int, User]) -> int | None:
        """The branch a meeting belongs to: the branch admin's own; for the committee the
        people's branch when they share one, else college-wide."""
        if actor.scope != "all":
            return actor.branch_id
        branches = {u.party_branch_id for u in users.values()}
        return branches.pop() if len(branches) == 1 else None

    # --- 表决票 -------------------------------------------------------------------------

    async def ballot(self, session: AsyncSession, engine, actor: Actor, record_ids: list[int], *,
                     copies: int = 1) -> tuple[bytes, str]:
        """导出表决票: the ballot listing the ticked people, ``copies`` times (one per voter)."""
        if not 1 <= copies <= MAX_COPIES:
            raise fail(422, f"份数应为1至{MAX_COPIES}", field="copies", label="份数")
        records, users = await self.people(session, engine, actor, record_ids)
        doc = await self.ballot_doc(session, records, users, copies)
        pdf = await anyio.to_thread.run_sync(partial(ballot_pdf, engine.settings.font_path, doc))
        return pdf, f"{doc.title}（{len(records)}人）.pdf"

    async def ballot_doc(self, session: AsyncSession, records: list[DevelopmentRecord], users: dict[int, User],
                         copies: int = 1) -> Ballot:
        people = [users[r.user_id] for r in records]
        names = await self.names(session, [u.party_branch_id for u in people])
        organiser = names.get(next(iter({u.party_branch_id for u in people})), "") if len(
            {u.party_branch_id for u in people}) == 1 else ""
        return Ballot(title=self.ballot_title or f"{self.title}表决票",
                      vote_content=self.vote_content or f"关于以下{self.people_label}的表决",
                      organiser=organiser, choices=self.ballot_choices, copies=copies,
                      people=[BallotPerson(u.name, u.student_no or "", names.get(u.party_branch_id, "")) for u in people])

    # --- 召开会议并记录结果 -------------------------------------------------------------

    async def hold(self, session: AsyncSession, engine, actor: Actor, *, outcomes: dict[int, str], held_at: datetime | None,
                   place: str | None, attendance: Attendance, notes: dict[int, str] | None = None, note: str = "",
                   place_required: bool = True, attendance_required: bool = True) -> tuple[Batch, Resolution]:
        """Record a meeting that was held and what it decided for each person: one cohort, one
        engine resolution (a milestone for those who advance), the minutes and ballot stored
        and recorded against each person, a message to each person."""
        allowed = self.options()
        wrong = sorted({v for v in outcomes.values() if v not in allowed})
        if wrong:
            raise fail(422, f"“{self.step_def.title}”没有这些表决结果：{'、'.join(wrong)}", field="outcome", label="表决结果")
        when = self.check_time(held_at)
        place = self.check_place(place, place_required)
        attendance.check(attendance_required)
        note = (note or "").strip()
        if len(note) > 1000:
            raise fail(422, "会议其他记录不能超过1000个字", field="note", label="其他记录")
        records, users = await self.people(session, engine, actor, list(outcomes))
        day = clock.local_date(when)
        b = await self.create(session, actor, branch_id=self.owner(actor, users), title=f"{self.title}（{clock.fmt(when)}）",
                              data={"place": place, **attendance.data(), "note": note})
        b.start_at, b.signature_date = when, day
        notes = {rid: (text or "").strip()[:500] for rid, text in (notes or {}).items() if (text or "").strip()}
        await self.set_people(session, engine, actor, b, [{"record_id": r.id, "outcome": outcomes[r.id],
                                                           "opinion": notes.get(r.id, "")} for r in records],
                              fields=("outcome", "opinion"))
        advancing = {rid for rid, key in outcomes.items() if self.step_def.outcome(key).kind == "advance"}
        milestones = {r.user_id: {self.milestone: day} for r in records if r.id in advancing} if self.milestone else None
        res = await self.complete(session, engine, actor, b, expected_state="draft", milestones=milestones,
                                  title={k: f"{self.title}：{label}" for k, label in allowed.items()}, notes=notes)
        await self.store_papers(session, engine, actor, b, records, users, outcomes, attendance, place, note)
        await self.tell(session, actor, b, records, outcomes, day)
        return b, res

    async def store_papers(self, session: AsyncSession, engine, actor: Actor, b: Batch, records, users, outcomes,
                           attendance: Attendance, place: str, note: str) -> None:
        """The minutes (and, for a vote, the ballot) as stored PDFs recorded against each person."""
        labels = self.options()
        names = await self.names(session, [b.branch_id])
        minutes = Minutes(title=f"{self.meeting_title}记录", topic=self.vote_content or self.title,
                          organiser=names.get(b.branch_id, ""), held_at=clock.fmt(b.start_at), place=place,
                          expected=attendance.expected, present=attendance.present, attendees=attendance.attendees,
                          absentees=attendance.absentees, note=note, college_name=engine.settings.college_name,
                          rows=[MinutesRow(users[r.user_id].name, users[r.user_id].student_no or "",
                                           labels.get(outcomes[r.id], outcomes[r.id])) for r in records])
        font = engine.settings.font_path
        pdf = await anyio.to_thread.run_sync(partial(minutes_pdf, font, minutes))
        kept = await store_bytes(session, engine.settings, pdf, name=f"{minutes.title}{b.signature_date}.pdf",
                                 owner_id=actor.id, purpose=self.document_kind, allowed=["pdf"])
        papers = [Paper(r, self.document_kind, minutes.title, [_file(kept.token, kept.original_name)], b.signature_date,
                        "batch", b.id) for r in records]
        b.document_token = kept.token
        if self.has_ballot():
            doc = await self.ballot_doc(session, records, users)
            ballot = await store_bytes(session, engine.settings,
                                       await anyio.to_thread.run_sync(partial(ballot_pdf, font, doc)),
                                       name=f"{doc.title}{b.signature_date}.pdf", owner_id=actor.id, purpose="ballot",
                                       allowed=["pdf"])
            b.report_token = ballot.token
            papers += [Paper(r, "ballot", doc.title, [_file(ballot.token, ballot.original_name)], b.signature_date,
                             "batch", b.id) for r in records]
        await record_documents(session, papers, created_by=actor.id)
        await session.flush()

    def has_ballot(self) -> bool:
        """Whether the meeting votes on a printed ballot (kept as each person's document)."""
        return True

    async def tell(self, session: AsyncSession, actor: Actor, b: Batch, records, outcomes, day) -> None:
        """Each person learns the meeting's result for them (one message per distinct result)."""
        labels = self.options()
        by_result: dict[str, list[int]] = {}
        for r in records:
            by_result.setdefault(outcomes[r.id], []).append(r.user_id)
        for key, user_ids in by_result.items():
            o = self.step_def.outcome(key)
            then = f"您的状态为“{o.code}”。" if o.kind == "fail" else ""
            await outbox.notify(session, user_ids, f"{self.title}结果：{labels[key]}",
                                f"{cn_date(day)}召开的{self.title}对您的表决结果为“{labels[key]}”。{then}", kind="progress",
                                link="/mp/development", object_type="dev_record", sender_id=actor.id)


def _file(token: str, name: str) -> dict:
    return {"token": token, "name": name, "url": f"/api/files/{token}", "type": "pdf"}
