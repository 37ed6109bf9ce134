"""Talk (DEV-6): the branch assigns a talker (a formal party member of its scope) with a
deadline; the talker schedules place and time (shown to the student), fills and submits
the record; the branch may fill it as proxy and confirm; the branch reviews."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Optional

from sqlalchemy import Index, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel

from core import clock, outbox
from core.auth import Actor, user_in_scope
from core.errors import fail
from core.models import StudentProfile, User, utcnow
from core.workflow.components.decision import pending_decision
from core.workflow.engine import Engine
from core.workflow.models import DevelopmentRecord
from core.workflow.people import APPLICANTS_PAGE, branch_admin_ids

FORMAL_MEMBER = "中共党员"


class Talk(SQLModel, table=True):
    __tablename__ = "dev_talk"
    __table_args__ = (Index("ix_dev_talk_record_kind", "record_id", "kind"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="dev_record.id")
    user_id: int = Field(foreign_key="xf_user.id", index=True)
    kind: str = Field(max_length=40)
    talker_id: int = Field(foreign_key="xf_user.id", index=True)
    deadline: datetime
    place: str = Field(default="", max_length=200)
    scheduled_at: Optional[datetime] = None
    talk_date: Optional[date] = None
    content: str = Field(default="", max_length=5000)
    # assigned | scheduled | proxy_draft | submitted | approved | rejected | replaced
    status: str = Field(default="assigned", max_length=12)
    by_proxy: bool = False
    reason: str = Field(default="", max_length=500)
    assigned_by: Optional[int] = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


STATUS_LABELS = {"assigned": "待安排", "scheduled": "已安排", "proxy_draft": "待确认", "submitted": "待审核",
                 "approved": "审核通过", "rejected": "审核不通过"}


def talk_json(t: Talk, names: dict[int, str] | None = None, settings=None) -> dict:
    """A talk as clients see it; times in the college's local time when ``settings`` is given."""
    names = names or {}
    return {"id": t.id, "record_id": t.record_id, "user_id": t.user_id, "user_name": names.get(t.user_id),
            "kind": t.kind, "talker_id": t.talker_id, "talker_name": names.get(t.talker_id),
            "deadline": clock.iso(t.deadline), "place": t.place,
            "scheduled_at": clock.iso(t.scheduled_at),
            "talk_date": t.talk_date.isoformat() if t.talk_date else None, "content": t.content, "status": t.status,
            "status_label": STATUS_LABELS.get(t.status, t.status), "by_proxy": t.by_proxy, "reason": t.reason,
            "overdue": t.status in ("assigned", "scheduled") and utcnow() > t.deadline}


async def is_formal_member(session: AsyncSession, user_id: int) -> bool:
    return (await session.execute(select(StudentProfile.user_id).where(
        StudentProfile.user_id == user_id, StudentProfile.political_status == FORMAL_MEMBER))).first() is not None


@dataclass
class TalkComponent:
    kind: str  # e.g. first_talk
    title: str  # e.g. 入党申请人谈话
    record_title: str  # e.g. 《入党申请人谈话记录表》
    stage: str
    step: str
    milestone: str = ""  # set from the talk date when approved (e.g. talked_at)
    admin_link: str = APPLICANTS_PAGE

    async def current(self, session: AsyncSession, record_ids: list[int]) -> dict[int, Talk]:
        newest = (select(Talk.record_id, func.max(Talk.id).label("tid"))
                  .where(Talk.record_id.in_(record_ids), Talk.kind == self.kind, Talk.status != "replaced")
                  .group_by(Talk.record_id).subquery())
        rows = (await session.execute(select(Talk).join(newest, newest.c.tid == Talk.id))).scalars().all()
        return {t.record_id: t for t in rows}

    async def assign(self, session: AsyncSession, engine: Engine, actor: Actor, record_ids: list[int], *,
                     talker_id: int, deadline: datetime) -> list[Talk]:
        """``deadline`` as the user entered it (local time); stored as UTC."""
        deadline = clock.to_utc(deadline)
        local_deadline = clock.to_local(deadline)
        records, users = await engine.load(session, actor, record_ids)
        engine.check_position(records, users, self.stage, self.step)
        talker = await session.get(User, talker_id)
        if talker is None or talker.deleted_at is not None or not user_in_scope(actor, talker):
            raise fail(422, "谈话人不存在或不在本支部")
        if not await is_formal_member(session, talker_id):
            raise fail(422, f"{talker.name}不是正式党员，不能担任谈话人")
        if talker_id in users:
            raise fail(422, "谈话人不能是申请人本人")
        if deadline <= utcnow():
            raise fail(422, "谈话记录截止提交时间应晚于当前时间")
        current = await self.current(session, [r.id for r in records])
        done = [r for r in records if r.id in current and current[r.id].status in ("submitted", "approved")]
        if done:
            raise fail(409, f"{'、'.join(users[r.user_id].name for r in done)}的谈话记录已提交，不能重新指派")
        if current:
            await session.execute(update(Talk).where(Talk.id.in_([t.id for t in current.values()]))
                                  .values(status="replaced").execution_options(synchronize_session=False))
        now = utcnow()
        await session.execute(insert(Talk), [
            {"record_id": r.id, "user_id": r.user_id, "kind": self.kind, "talker_id": talker_id, "deadline": deadline,
             "status": "assigned", "assigned_by": actor.id, "created_at": now, "updated_at": now, "place": "",
             "content": "", "reason": "", "by_proxy": False} for r in records])
        await engine.note(session, actor, records, action="talk_assigned", title=f"指派谈话人：{talker.name}",
                          note=f"谈话记录截止提交时间：{local_deadline:%Y-%m-%d %H:%M}")
        await outbox.notify(session, [talker_id], f"请安排谈话：{'、'.join(u.name for u in users.values())}",
                            f"您被指派为{self.title}的谈话人，请在{local_deadline:%Y-%m-%d %H:%M}前安排谈话并提交{self.record_title}。",
                            kind="todo", link="/mp/talks", object_type="talk")
        await outbox.notify(session, list(users), "党组织已为您指派谈话人",
                            f"谈话人：{talker.name}。谈话时间和地点确定后会通知您。", kind="notice", link="/mp/development")
        return list((await self.current(session, [r.id for r in records])).values())

    async def _own(self, session: AsyncSession, actor: Actor, talk_id: int) -> Talk:
        talk = await session.get(Talk, talk_id)
        if talk is None or talk.kind != self.kind or talk.talker_id != actor.id or talk.status == "replaced":
            raise fail(404, "谈话不存在或不是指派给您的")
        return talk

    async def schedule(self, session: AsyncSession, engine: Engine, actor: Actor, talk_id: int, *, place: str,
                       when: datetime) -> Talk:
        talk = await self._own(session, actor, talk_id)
        if talk.status not in ("assigned", "scheduled"):
            raise fail(409, "谈话记录已提交，不能再修改谈话日程")
        if not place.strip():
            raise fail(422, "请填写谈话地点")
        shown = clock.to_local(clock.to_utc(when))
        talk.place, talk.scheduled_at, talk.status, talk.updated_at = place.strip(), clock.to_utc(when), "scheduled", utcnow()
        record = await session.get(DevelopmentRecord, talk.record_id)
        await engine.note(session, actor, [record], action="talk_scheduled", title="安排谈话日程",
                          note=f"{shown:%Y-%m-%d %H:%M}，{talk.place}")
        await outbox.notify(session, [talk.user_id], "谈话日程已安排",
                            f"谈话时间：{shown:%Y-%m-%d %H:%M}；地点：{talk.place}。请按时参加。", kind="notice",
                            link="/mp/development")
        return talk

    async def submit_record(self, session: AsyncSession, engine: Engine, actor: Actor, talk_id: int, *, content: str,
                            talk_date: date) -> Talk:
        talk = await self._own(session, actor, talk_id)
        if talk.status not in ("scheduled", "rejected"):
            raise fail(409, "请先安排谈话日程" if talk.status == "assigned" else "谈话记录已提交")
        self._check_record(engine, content, talk_date)
        talk.content, talk.talk_date, talk.status, talk.reason, talk.updated_at = content.strip(), talk_date, "submitted", "", utcnow()
        record = await session.get(DevelopmentRecord, talk.record_id)
        await engine.note(session, actor, [record], action="talk_submitted", title=f"提交{self.record_title}")
        subject = await session.get(User, talk.user_id)
        await outbox.notify(session, await branch_admin_ids(session, [subject.party_branch_id]),
                            f"{subject.name}的{self.record_title}已提交", "请审核谈话记录。", kind="review",
                            link=self.admin_link, object_type="dev_record", object_id=record.id)
        return talk

    async def proxy_fill(self, session: AsyncSession, engine: Engine, actor: Actor, record_id: int, *, place: str,
                         when: datetime, content: str, talk_date: date) -> Talk:
        """上传谈话: the branch fills the record for the talker; it counts once confirmed."""
        records, users = await engine.load(session, actor, [record_id])
        engine.check_position(records, users, self.stage, self.step)
        talk = (await self.current(session, [record_id])).get(record_id)
        if talk is None:
            raise fail(409, "请先指派谈话人")
        if talk.status in ("submitted", "approved"):
            raise fail(409, "谈话记录已提交")
        self._check_record(engine, content, talk_date)
        talk.place, talk.scheduled_at, talk.content, talk.talk_date = place.strip(), clock.to_utc(when), content.strip(), talk_date
        talk.status, talk.by_proxy, talk.updated_at = "proxy_draft", True, utcnow()
        await engine.note(session, actor, records, action="talk_proxy", title=f"代理上传{self.record_title}")
        return talk

    async def confirm_proxy(self, session: AsyncSession, engine: Engine, actor: Actor, record_id: int) -> Talk:
        """确认谈话: the proxy record becomes a submitted record waiting for review."""
        records, users = await engine.load(session, actor, [record_id])
        talk = (await self.current(session, [record_id])).get(record_id)
        if talk is None or talk.status != "proxy_draft":
            raise fail(409, "没有待确认的代理谈话记录")
        talk.status, talk.updated_at = "submitted", utcnow()
        await engine.note(session, actor, records, action="talk_confirmed", title="确认谈话")
        return talk

    def _check_record(self, engine: Engine, content: str, talk_date: date | None) -> None:
        if not (content or "").strip():
            raise fail(422, "请填写谈话记录")
        if talk_date is None:
            raise fail(422, "请填写谈话日期")
        if talk_date > engine.settings.local_today():
            raise fail(422, "谈话日期不能晚于今天")

    async def review(self, session: AsyncSession, engine: Engine, actor: Actor, record_ids: list[int], *,
                     approve: bool, reason: str = "", permission: str = "") -> None:
        records, users, current, reason = await pending_decision(
            session, engine, actor, record_ids, stage=self.stage, step=self.step, approve=approve, reason=reason,
            permission=permission, what="谈话记录", find_pending=self.current)
        ids = [current[r.id].id for r in records]
        result = await session.execute(
            update(Talk).where(Talk.id.in_(ids), Talk.status == "submitted")
            .values(status="approved" if approve else "rejected", reason="" if approve else reason, updated_at=utcnow())
            .execution_options(synchronize_session=False))
        if result.rowcount != len(ids):
            raise fail(409, "谈话记录已被他人审核，请刷新后重试")
        if approve:
            milestones = {r.user_id: {self.milestone: current[r.id].talk_date} for r in records} if self.milestone else None
            await engine.advance(session, actor, [r.id for r in records], stage=self.stage, step=self.step,
                                 milestones=milestones, title=f"{self.record_title}审核通过")
        else:
            await engine.note(session, actor, records, action="talk_rejected", title=f"{self.record_title}审核不通过", note=reason)
            talkers = {current[r.id].talker_id for r in records}
            await outbox.notify(session, talkers, f"{self.record_title}审核不通过", f"退回原因：{reason}。请修改后重新提交。",
                                kind="todo", link="/mp/talks", object_type="talk")

    async def for_talker(self, session: AsyncSession, talker_id: int) -> list[Talk]:
        return list((await session.execute(select(Talk).where(
            Talk.talker_id == talker_id, Talk.kind == self.kind, Talk.status.in_(("assigned", "scheduled", "rejected", "submitted")))
            .order_by(Talk.deadline))).scalars())
