"""Setting up a branch's organisation life (组织生活): base information, the voters (导入人员),
the people voted on, the ballot (生成表决票) and publishing (保存并发布), which fixes the
attendees by the publish scope and tells them. One ``OrgLife`` serves every use of
``GeneralMeeting``; a meeting that votes is bound to its use's stage and step."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial

import anyio
from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import clock, outbox
from core.auth import Actor
from core.errors import fail
from core.files import store_bytes
from core.models import StudentProfile, User, utcnow
from core.workflow.components.general_meeting import (BRANCH_STAGES, FORMAL, KIND, PROBATIONARY, SCOPES, TYPES,
                                                      GeneralMeeting, MeetingAttendance, meeting_day)
from core.workflow.components.general_meeting_pdf import BallotDoc, ballot_pdf, pdf_name
from core.workflow.models import Batch, BatchEntry, DevelopmentRecord

@dataclass
class MeetingValues:
    """The base information of a meeting (设置基本信息), times as the user entered them."""

    type: str
    title: str
    start_at: datetime
    end_at: datetime
    place: str
    host: str = ""
    recorder: str = ""
    scope: str = "branch"
    has_vote: bool = False
    vote: str = ""
    content: str = ""


class OrgLife:
    """Every meeting of the branches, whichever vote use (if any) it serves."""

    def __init__(self, instances: list[GeneralMeeting]):
        self.uses = {c.vote: c for c in instances}
        if len(self.uses) != len(instances):
            raise ValueError("two GeneralMeeting uses share a vote code")
        self.first = instances[0]

    def use_of(self, b: Batch) -> GeneralMeeting | None:
        return self.uses.get((b.data or {}).get("vote", "")) if (b.data or {}).get("vote") else None

    async def names(self, session: AsyncSession, ids) -> dict[int, str]:
        for c in self.uses.values():
            if c.branch_names is not None:
                return await c.names(session, ids)
        return {}

    # --- rights -----------------------------------------------------------------------------

    def owner(self, actor: Actor, branch_id: int | None) -> int:
        """The branch a meeting belongs to: a branch admin's own; the committee names one."""
        branch = self.first.owner_branch(actor, branch_id)
        if branch is None:
            raise fail(422, "请选择召开会议的党支部", field="branch_id", label="党支部")
        return branch

    async def get(self, session: AsyncSession, actor: Actor, meeting_id: int) -> Batch:
        return await self.first.get(session, actor, meeting_id)

    # --- 设置基本信息 ------------------------------------------------------------------------

    def check(self, v: MeetingValues) -> tuple[datetime, datetime]:
        if v.type not in TYPES:
            raise fail(422, "请选择会议类型", field="type", label="类型")
        if v.scope not in SCOPES:
            raise fail(422, "请选择发布范围", field="scope", label="发布范围")
        if not v.title.strip():
            raise fail(422, "请填写会议名称", field="title", label="会议名称")
        if not v.place.strip():
            raise fail(422, "请填写会议地点", field="place", label="会议地点")
        start, end = clock.to_utc(v.start_at), clock.to_utc(v.end_at)
        if end <= start:
            raise fail(422, "结束时间应晚于开始时间", field="end_at", label="结束时间")
        if v.has_vote:
            if v.type != "general":
                raise fail(422, "只有党员大会可以投票表决，请将类型选择为“党员大会”", field="type", label="类型")
            if v.vote not in self.uses:
                raise fail(422, "请选择表决内容", field="vote", label="表决内容")
        return start, end

    def _data(self, v: MeetingValues) -> dict:
        return {"type": v.type, "place": v.place.strip(), "host": v.host.strip(), "recorder": v.recorder.strip(),
                "scope": v.scope, "content": v.content.strip(), "vote": v.vote if v.has_vote else ""}

    async def create(self, session: AsyncSession, actor: Actor, v: MeetingValues, *, branch_id: int | None) -> Batch:
        branch = self.owner(actor, branch_id)
        start, end = self.check(v)
        use = self.uses.get(v.vote) if v.has_vote else None
        b = Batch(kind=KIND, stage=use.stage if use else "", step=use.step if use else "", branch_id=branch, state="draft",
                  title=v.title.strip(), start_at=start, end_at=end, signature_date=clock.local_date(start),
                  data=self._data(v), created_by=actor.id)
        session.add(b)
        await session.flush()
        return b

    async def update(self, session: AsyncSession, actor: Actor, b: Batch, v: MeetingValues) -> Batch:
        if b.state != "draft":
            raise fail(409, "会议已发布，不能再修改基本信息")
        start, end = self.check(v)
        data = self._data(v)
        if data["vote"] != (b.data or {}).get("vote", ""):  # another vote content: its people are chosen again
            await session.execute(delete(BatchEntry).where(BatchEntry.batch_id == b.id))
            b.document_token = None
            if not data["vote"]:
                await session.execute(delete(MeetingAttendance).where(MeetingAttendance.batch_id == b.id))
        use = self.uses.get(data["vote"])
        b.stage, b.step = (use.stage, use.step) if use else ("", "")
        b.title, b.start_at, b.end_at, b.signature_date = v.title.strip(), start, end, clock.local_date(start)
        b.data, b.updated_at = {**(b.data or {}), **data}, utcnow()
        await session.flush()
        return b

    async def delete(self, session: AsyncSession, actor: Actor, b: Batch) -> None:
        if b.state != "draft":
            raise fail(409, "会议已发布，不能删除")
        await session.execute(delete(MeetingAttendance).where(MeetingAttendance.batch_id == b.id))
        await self.first.delete(session, actor, b)

    # --- 导入人员 / 表决对象 -------------------------------------------------------------------

    def _voting(self, b: Batch) -> GeneralMeeting:
        use = self.use_of(b)
        if use is None:
            raise fail(409, "该会议不含投票表决")
        if b.state != "draft":
            raise fail(409, "会议已发布，不能再修改表决人员和表决对象")
        return use

    def formal_members(self, branch_id: int):
        """SQL: the formal members (中共党员) of a branch, the people entitled to vote."""
        return (select(User).join(StudentProfile, StudentProfile.user_id == User.id)
                .where(User.party_branch_id == branch_id, User.deleted_at.is_(None), StudentProfile.political_status == FORMAL))

    async def set_voters(self, session: AsyncSession, actor: Actor, b: Batch, user_ids: list[int]) -> int:
        """导入人员: the formal members of the meeting's branch entitled to vote (the list is replaced)."""
        self._voting(b)
        chosen = list(dict.fromkeys(user_ids))
        if not chosen:
            raise fail(422, "请选择表决人员", field="user_ids", label="表决人员")
        found = set((await session.execute(self.formal_members(b.branch_id).where(User.id.in_(chosen))
                                           .with_only_columns(User.id))).scalars())
        wrong = [u for u in chosen if u not in found]
        if wrong:
            names = dict((await session.execute(select(User.id, User.name).where(User.id.in_(wrong)))).all())
            who = "、".join(names.get(u, str(u)) for u in wrong)
            raise fail(422, f"以下人员不是本支部的正式党员，不能参与表决：{who}", field="user_ids", label="表决人员")
        await session.execute(delete(MeetingAttendance).where(MeetingAttendance.batch_id == b.id))
        await session.execute(insert(MeetingAttendance), [{"batch_id": b.id, "user_id": u, "voter": True, "subject": False,
                                                            "status": "pending", "supplemented": False, "note": ""}
                                                           for u in chosen])
        return len(chosen)

    async def set_people(self, session: AsyncSession, engine, actor: Actor, b: Batch, record_ids: list[int]) -> int:
        """The people voted on: at the vote's step, of the meeting's branch, in no other open meeting."""
        use = self._voting(b)
        await use.set_people(session, engine, actor, b, [{"record_id": rid} for rid in record_ids], fields=())
        b.document_token = None  # the ballot lists them: generated again
        return len(record_ids)

    async def voters(self, session: AsyncSession, b: Batch) -> list[User]:
        return list((await session.execute(select(User).join(MeetingAttendance, MeetingAttendance.user_id == User.id)
                                           .where(MeetingAttendance.batch_id == b.id, MeetingAttendance.voter.is_(True))
                                           .order_by(User.student_no, User.id))).scalars())

    # --- 生成表决票 ---------------------------------------------------------------------------

    async def ballot(self, session: AsyncSession, engine, actor: Actor, b: Batch) -> str:
        """The ballot (表决票) listing the people voted on, stored as a PDF; fixed once published."""
        use = self.use_of(b)
        if use is None:
            raise fail(409, "该会议不含投票表决，无需表决票")
        if b.state != "draft" and b.document_token:
            return b.document_token
        entries = await use.entries(session, b)
        if not entries:
            raise fail(422, "请先选择表决对象")
        names = await self.names(session, [b.branch_id])
        doc = BallotDoc(title=b.title, branch=names.get(b.branch_id, ""), vote_label=use.vote_label, day=meeting_day(b),
                        people=[(u.name, u.student_no or "") for _, u in entries], college=engine.settings.college_name)
        pdf = await anyio.to_thread.run_sync(partial(ballot_pdf, engine.settings.font_path, doc))
        stored = await store_bytes(session, engine.settings, pdf, name=pdf_name(b.title, "表决票"), owner_id=actor.id,
                                   purpose="meeting_ballot", allowed=["pdf"])
        b.document_token, b.updated_at = stored.token, utcnow()
        await session.flush()
        return stored.token

    # --- 保存并发布 ---------------------------------------------------------------------------

    async def attendees(self, session: AsyncSession, b: Batch) -> set[int]:
        """Who attends, by the publish scope: the branch's 党员 and 预备党员 (and with 支部内均可参加
        also its 积极分子 and 发展对象), the voters, and the people voted on."""
        members = (select(User.id).join(StudentProfile, StudentProfile.user_id == User.id)
                   .where(User.party_branch_id == b.branch_id, User.deleted_at.is_(None),
                          StudentProfile.political_status.in_((FORMAL, PROBATIONARY))))
        found = set((await session.execute(members)).scalars())
        if b.data.get("scope") == "branch":
            found |= set((await session.execute(
                select(User.id).join(DevelopmentRecord, DevelopmentRecord.user_id == User.id)
                .where(User.party_branch_id == b.branch_id, User.deleted_at.is_(None), DevelopmentRecord.status == "active",
                       DevelopmentRecord.stage.in_(BRANCH_STAGES)))).scalars())
        return found

    async def publish(self, session: AsyncSession, engine, actor: Actor, b: Batch) -> int:
        """保存并发布: checks what the vote needs, fixes the attendees, tells them. Answers their number."""
        if b.state != "draft":
            raise fail(409, "会议已发布，请勿重复发布")
        use = self.use_of(b)
        subjects: list[int] = []
        records = []
        if use is not None:
            if not await self.voters(session, b):
                raise fail(422, "请先导入表决人员")
            entries = await use.entries(session, b)
            if not entries:
                raise fail(422, "请先选择表决对象")
            records, users = await engine.load(session, actor, [e.record_id for e, _ in entries])
            engine.check_position(records, users, use.stage, use.step)
            subjects = [r.user_id for r in records]
            await self.ballot(session, engine, actor, b)
        existing = {u: subject for u, subject in (await session.execute(
            select(MeetingAttendance.user_id, MeetingAttendance.subject).where(MeetingAttendance.batch_id == b.id))).all()}
        everyone = (await self.attendees(session, b)) | set(subjects) | set(existing)
        fresh = [u for u in sorted(everyone) if u not in existing]
        if fresh:
            await session.execute(insert(MeetingAttendance), [
                {"batch_id": b.id, "user_id": u, "voter": False, "subject": u in subjects, "status": "pending",
                 "supplemented": False, "note": ""} for u in fresh])
        now = utcnow()
        await self.first.set_state(session, b, "draft", "published", data={**b.data, "published_at": clock.iso(now)})
        when = f"{clock.fmt(b.start_at)}至{clock.fmt(b.end_at, '%H:%M')}"
        await outbox.notify(session, sorted(everyone), f"组织生活通知：{b.title}",
                            f"{TYPES[b.data['type']]}“{b.title}”将于{when}在{b.data['place']}召开，请准时参加并在会议现场扫码签到、签退。",
                            kind="notice", link=f"/mp/org-life/{b.id}", object_type="meeting", object_id=b.id,
                            sender_id=actor.id)
        if records:
            await engine.note(session, actor, records, action="meeting_published", title=f"列入{b.title}",
                              note=f"会议时间：{when}；表决内容：{use.vote_label}")
        return len(everyone)

    # --- reading ------------------------------------------------------------------------------

    async def counts(self, session: AsyncSession, batch_ids: list[int]) -> dict[int, dict[str, int]]:
        """Per meeting: attendees, voters, present (and present voters), leave, absent (one statement)."""
        from sqlalchemy import case, func

        if not batch_ids:
            return {}
        a = MeetingAttendance
        present = a.status == "present"
        rows = (await session.execute(
            select(a.batch_id, func.count(), func.sum(case((a.voter, 1), else_=0)), func.sum(case((present, 1), else_=0)),
                   func.sum(case((present & a.voter, 1), else_=0)), func.sum(case((a.status == "leave", 1), else_=0)),
                   func.sum(case((a.status == "absent", 1), else_=0)))
            .where(a.batch_id.in_(batch_ids)).group_by(a.batch_id))).all()
        return {bid: {"attendees": n, "voters": int(v or 0), "present": int(p or 0), "present_voters": int(pv or 0),
                      "leave": int(lv or 0), "absent": int(ab or 0)} for bid, n, v, p, pv, lv, ab in rows}

    def scope_filter(self, actor: Actor):
        return self.first.scope(actor)
