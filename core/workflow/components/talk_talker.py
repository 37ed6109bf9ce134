"""The talker mode of ``TalkComponent`` (DEV-6), a mixin of its operations after the
assignment: the talker schedules place and time, fills and submits the record, may withdraw
it before review; in task mode the talker opens each period's talk (安排季度谈话); the branch
may fill the record as proxy and confirm it, and reviews (approval advances, or completes the
task). The committee mode (上级党委派人谈话) is ``talk_committee.py``."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core import clock, outbox
from core.auth import Actor
from core.errors import fail
from core.models import User, utcnow
from core.workflow import tasks as task_store
from core.workflow.components.decision import pending_decision
from core.workflow.components.talk_models import OPEN, Talk
from core.workflow.documents import Paper, record_documents
from core.workflow.engine import Engine
from core.workflow.models import Assignment, DevelopmentRecord
from core.workflow.people import branch_admin_ids


class TalkerMode:
    """What the talker and the branch do with an assigned talk (``TalkComponent`` holds the
    configuration, ``current``, ``talkers`` and ``assign``)."""

    async def open_for_task(self, session: AsyncSession, engine: Engine, actor: Actor, record_id: int) -> Talk:
        """Task mode: the talker opens the talk of the record's next open period (安排季度谈话)."""
        record = await session.get(DevelopmentRecord, record_id)
        if record is None or not self.task or (await self.talkers(session, [record_id])).get(record_id, []).count(actor.id) == 0:
            raise fail(404, "谈话不存在或不是指派给您的")
        if record.stage != self.stage or record.step != self.step or record.status != "active":
            raise fail(409, f"当前环节不能开展{self.title}")
        if (open_talk := (await self.current(session, [record_id])).get(record_id)) and open_talk.status in OPEN:
            return open_talk
        task = (await task_store.first_open(session, [record], self.task)).get(record_id)
        if task is None:
            raise fail(409, f"{self.title}已全部完成")
        from core.workflow.components.review_result import not_started

        if waiting := not_started(task, self.title):
            raise fail(409, waiting)
        now = utcnow()
        talk = Talk(**self._row(record, task.due_at or now, actor.id, now, task.period))
        session.add(talk)
        await session.flush()
        return talk

    # --- the talker -------------------------------------------------------------------

    async def own(self, session: AsyncSession, actor: Actor, talk_id: int) -> Talk:
        talk = await session.get(Talk, talk_id)
        if talk is None or talk.kind != self.kind or talk.status == "replaced" or \
                actor.id not in (await self.talkers(session, [talk.record_id])).get(talk.record_id, []):
            raise fail(404, "谈话不存在或不是指派给您的")
        return talk

    async def schedule(self, session: AsyncSession, engine: Engine, actor: Actor, talk_id: int, *, place: str,
                       when: datetime) -> Talk:
        talk = await self.own(session, actor, talk_id)
        if talk.status not in ("assigned", "scheduled"):
            raise fail(409, "谈话记录已提交，不能再修改谈话日程")
        if not place.strip():
            raise fail(422, "请填写谈话地点", field="place", label="谈话地点")
        talk.place, talk.scheduled_at, talk.status, talk.updated_at = place.strip(), clock.to_utc(when), "scheduled", utcnow()
        record = await session.get(DevelopmentRecord, talk.record_id)
        await engine.note(session, actor, [record], action="talk_scheduled", title="安排谈话日程",
                          note=f"{clock.fmt(talk.scheduled_at)}，{talk.place}", role=self.role_label)
        await outbox.notify(session, [talk.user_id], "谈话日程已安排",
                            f"谈话时间：{clock.fmt(talk.scheduled_at)}；地点：{talk.place}。请按时参加。", kind="notice",
                            link="/mp/development")
        return talk

    async def submit_record(self, session: AsyncSession, engine: Engine, actor: Actor, talk_id: int, *, content: str,
                            talk_date: date) -> Talk:
        talk = await self.own(session, actor, talk_id)
        if talk.status not in ("scheduled", "rejected"):
            raise fail(409, "请先安排谈话日程" if talk.status == "assigned" else "谈话记录已提交")
        self._check_record(engine, content, talk_date)
        talk.content, talk.talk_date, talk.status, talk.reason = content.strip(), talk_date, "submitted", ""
        talk.talked_by, talk.updated_at = actor.id, utcnow()
        record = await session.get(DevelopmentRecord, talk.record_id)
        await engine.note(session, actor, [record], action="talk_submitted", title=f"提交{self.record_title}",
                          role=self.role_label)
        subject = await session.get(User, talk.user_id)
        await outbox.notify(session, await branch_admin_ids(session, [subject.party_branch_id]),
                            f"{subject.name}的{self.record_title}已提交", "请审核谈话记录。", kind="review",
                            link=self.page_url, object_type="dev_record", object_id=record.id)
        return talk

    async def withdraw(self, session: AsyncSession, engine: Engine, actor: Actor, talk_id: int) -> Talk:
        """The talker takes back a submitted record before the branch reviews it."""
        talk = await self.own(session, actor, talk_id)
        if talk.status != "submitted" or talk.by_proxy or talk.talked_by != actor.id:
            raise fail(409, "谈话记录已审核或不是您提交的，不能撤回")
        result = await session.execute(update(Talk).where(Talk.id == talk.id, Talk.status == "submitted")
                                       .values(status="scheduled", updated_at=utcnow()).execution_options(synchronize_session=False))
        if result.rowcount != 1:
            raise fail(409, "谈话记录已审核，不能撤回")
        talk.status = "scheduled"
        record = await session.get(DevelopmentRecord, talk.record_id)
        await engine.note(session, actor, [record], action="talk_withdrawn", title=f"撤回{self.record_title}", role=self.role_label)
        return talk

    async def history(self, session: AsyncSession, record_id: int) -> list[Talk]:
        """Every talk of this kind for the record, by period (季度谈话 records)."""
        return list((await session.execute(select(Talk).where(Talk.record_id == record_id, Talk.kind == self.kind,
                                                              Talk.status != "replaced")
                                           .order_by(Talk.period, Talk.id))).scalars())

    # --- the branch -------------------------------------------------------------------

    async def proxy_fill(self, session: AsyncSession, engine: Engine, actor: Actor, record_id: int, *, place: str,
                         when: datetime, content: str, talk_date: date) -> Talk:
        """上传谈话: the branch fills the record for the talker; it counts once confirmed."""
        records, users = await engine.load(session, actor, [record_id])
        engine.check_position(records, users, self.stage, self.step)
        talk = (await self.current(session, [record_id])).get(record_id)
        if talk is None or talk.status == "approved":
            raise fail(409, "请先指派谈话人")
        if talk.status == "submitted":
            raise fail(409, "谈话记录已提交")
        self._check_record(engine, content, talk_date)
        talk.place, talk.scheduled_at, talk.content, talk.talk_date = place.strip(), clock.to_utc(when), content.strip(), talk_date
        talk.status, talk.by_proxy, talk.updated_at = "proxy_draft", True, utcnow()
        await engine.note(session, actor, records, action="talk_proxy", title=f"代理上传{self.record_title}")
        return talk

    async def confirm_proxy(self, session: AsyncSession, engine: Engine, actor: Actor, record_id: int) -> Talk:
        """确认谈话: the proxy record becomes a submitted record waiting for review."""
        records, _ = await engine.load(session, actor, [record_id])
        talk = (await self.current(session, [record_id])).get(record_id)
        if talk is None or talk.status != "proxy_draft":
            raise fail(409, "没有待确认的代理谈话记录")
        talkers = (await self.talkers(session, [record_id])).get(record_id) or [None]
        talk.status, talk.talked_by, talk.updated_at = "submitted", talkers[0], utcnow()
        await engine.note(session, actor, records, action="talk_confirmed", title="确认谈话")
        return talk

    def _check_record(self, engine: Engine, content: str, talk_date: date | None) -> None:
        if not (content or "").strip():
            raise fail(422, "请填写谈话记录", field="content", label="谈话记录")
        if talk_date is None:
            raise fail(422, "请填写谈话日期", field="talk_date", label="谈话日期")
        if talk_date > engine.settings.local_today():
            raise fail(422, "谈话日期不能晚于今天", field="talk_date", label="谈话日期")

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
        if not approve:
            await engine.note(session, actor, records, action="talk_rejected", title=f"{self.record_title}审核不通过", note=reason)
            talkers = await self.talkers(session, [r.id for r in records])
            await outbox.notify(session, {u for r in records for u in talkers.get(r.id, [])}, f"{self.record_title}审核不通过",
                                f"退回原因：{reason}。请修改后重新提交。", kind="todo", link="/mp/talks", object_type="talk")
            return
        await record_documents(session, [Paper(r, "talk_record", self.record_title, [], current[r.id].talk_date, "talk",
                                               current[r.id].id) for r in records], created_by=actor.id)
        if self.task:
            await engine.note(session, actor, records, action="talk_approved", title=f"{self.record_title}审核通过")
            await engine.complete_tasks(session, actor, records, key=self.task, users=users,
                                        source=("talk", {r.id: current[r.id].id for r in records}))
        else:
            milestones = {r.user_id: {self.milestone: current[r.id].talk_date} for r in records} if self.milestone else None
            await engine.advance(session, actor, [r.id for r in records], stage=self.stage, step=self.step,
                                 milestones=milestones, title=f"{self.record_title}审核通过")

    async def for_talker(self, session: AsyncSession, talker_id: int) -> list[Talk]:
        return list((await session.execute(select(Talk).join(Assignment, and_(
            Assignment.record_id == Talk.record_id, Assignment.role == Talk.role, Assignment.until.is_(None)))
            .where(Assignment.user_id == talker_id, Talk.kind == self.kind, Talk.status.in_(OPEN))
            .order_by(Talk.deadline))).scalars())
