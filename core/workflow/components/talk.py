"""Talk (DEV-6): the branch assigns a talker (a formal party member of its scope) with a
deadline; the talker schedules place and time (shown to the student), fills and submits
the record; the branch may fill it as proxy and confirm; the branch reviews.

The talker is not a column of the talk: it is the record's current assignment of the
component's ``role`` (``dev_assignment``: 谈话人, 培养联系人, 入党介绍人), so an open talk
follows a re-assignment and the two introducers both see their talks. In task mode
(``task=``) approval completes a task of the step (a quarter's talk) instead of advancing,
and the talker opens the talk for the next open period without a branch assignment.

Here: the configuration, reading and assigning, and the kit's dispatch between the two modes.
The tables and answers are in ``talk_models.py`` (re-exported here), the talker mode's
operations in ``talk_talker.py``, the committee mode (上级党委派人谈话) in ``talk_committee.py``;
routes, columns, actions and to-dos of the talker mode in ``talk_kit.py``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core import clock, outbox
from core.auth import Actor, user_in_scope
from core.errors import fail
from core.models import User, utcnow
from core.workflow import assignments
from core.workflow.components.base import Component
from core.workflow.components.talk_models import (FORMAL_MEMBER, OPEN, STATUS_LABELS, Talk, TalkOut, TalkSummary,  # noqa: F401
                                                  TalkTodo, is_formal_member)
from core.workflow.components.talk_talker import TalkerMode
from core.workflow.engine import Engine
from core.workflow.models import DevelopmentRecord


@dataclass
class TalkComponent(TalkerMode, Component):
    kind: str  # e.g. first_talk
    title: str  # e.g. 入党申请人谈话
    record_title: str  # e.g. 《入党申请人谈话记录表》
    stage: str = ""
    step: str = ""
    milestone: str = ""  # set from the talk date when approved (e.g. talked_at)
    key: str = ""  # names its list columns and detail block (default: kind)
    role: str = "talker"  # assignment role of the talker: talker | contact | introducer
    path: str = "talk"  # PC routes at <stage prefix>/<path>/assign...
    task: str = ""  # task mode: approval completes this task; the talker opens each period's talk
    permission_key: str = ""
    batch_page: bool = False  # a 批量审核谈话记录 page (list left, detail right)
    # "committee": 上级党委派人谈话 (talk_committee.py) — the committee assigns and flows the talk,
    # the student submits the talk time on the MP, the committee confirms it (may edit) → advance.
    mode: str = "talker"
    guide: str = ""  # committee mode: 谈话意见参考 shown to the student
    mp_path: str = "committee-talk"  # committee mode: the student's MP route
    mp_permission: str = "mp.dev"

    detail_model: ClassVar = TalkOut
    summary_model: ClassVar = TalkSummary

    def __post_init__(self):
        self.key = self.key or self.kind
        if self.mode not in ("talker", "committee"):
            raise ValueError(f"TalkComponent {self.kind!r}: mode must be 'talker' or 'committee'")
        if self.mode == "committee" and self.role == "talker":
            self.role = "committee_talker"  # its own assignment: the applicant talk's talker stays on record
        if self.mode == "committee" and self.task:
            raise ValueError(f"TalkComponent {self.kind!r}: the committee talk has no task mode")

    @property
    def labels(self) -> dict[str, str]:
        if self.mode == "committee":
            from core.workflow.components.talk_committee import STATUS_LABELS as COMMITTEE

            return COMMITTEE
        return STATUS_LABELS

    @property
    def role_label(self) -> str:
        """How the timeline names the talker (谈话人, 培养联系人, 入党介绍人), whatever their roles."""
        return assignments.ROLE_LABELS.get(self.role, "谈话人")

    # --- reading ----------------------------------------------------------------------

    async def current(self, session: AsyncSession, record_ids: list[int]) -> dict[int, Talk]:
        """The newest talk per record (one statement)."""
        if not record_ids:
            return {}
        newest = (select(Talk.record_id, func.max(Talk.id).label("tid"))
                  .where(Talk.record_id.in_(record_ids), Talk.kind == self.kind, Talk.status != "replaced")
                  .group_by(Talk.record_id).subquery())
        rows = (await session.execute(select(Talk).join(newest, newest.c.tid == Talk.id))).scalars().all()
        return {t.record_id: t for t in rows}

    async def talkers(self, session: AsyncSession, record_ids: list[int]) -> dict[int, list[int]]:
        """The current talker(s) per record, from the assignments."""
        found = await assignments.current(session, record_ids, self.role)
        return {rid: [a.user_id for a in items if a.user_id] for rid, items in found.items()}

    async def out(self, session: AsyncSession, talks: list[Talk]) -> list[TalkOut]:
        talkers = await self.talkers(session, [t.record_id for t in talks])
        ids = {t.user_id for t in talks} | {u for v in talkers.values() for u in v}
        names = dict((await session.execute(select(User.id, User.name).where(User.id.in_(ids)))).all()) if ids else {}
        now = utcnow()
        result = []
        for t in talks:
            who = talkers.get(t.record_id) or []
            talker = t.talked_by if t.status in ("submitted", "approved") and t.talked_by else (who[0] if who else None)
            result.append(TalkOut(
                id=t.id, record_id=t.record_id, user_id=t.user_id, user_name=names.get(t.user_id), kind=t.kind,
                title=self.title, talker_id=talker, talker_name="、".join(names.get(u, "") for u in who) or names.get(talker),
                deadline=t.deadline, place=t.place, scheduled_at=t.scheduled_at, talk_date=t.talk_date, content=t.content,
                status=t.status, status_label=self.labels.get(t.status, t.status), by_proxy=t.by_proxy, reason=t.reason,
                overdue=t.status in ("assigned", "scheduled") and now > t.deadline))
        return result

    # --- assigning --------------------------------------------------------------------

    async def assign(self, session: AsyncSession, engine: Engine, actor: Actor, record_ids: list[int], *,
                     talker_id: int, deadline: datetime) -> list[Talk]:
        """``deadline`` as the user entered it (local time); stored as UTC. A talk already open
        keeps its schedule and follows the new talker."""
        deadline = clock.to_utc(deadline)
        records, users = await engine.load(session, actor, record_ids)
        engine.check_position(records, users, self.stage, self.step)
        talker = await session.get(User, talker_id)
        if talker is None or talker.deleted_at is not None or not user_in_scope(actor, talker):
            raise fail(422, "谈话人不存在或不在本支部", field="talker_id", label="谈话人")
        if not await is_formal_member(session, talker_id):
            raise fail(422, f"{talker.name}不是正式党员，不能担任谈话人", field="talker_id", label="谈话人")
        if talker_id in users:
            raise fail(422, "谈话人不能是谈话对象本人", field="talker_id", label="谈话人")
        if deadline <= utcnow():
            raise fail(422, "谈话记录截止提交时间应晚于当前时间", field="deadline", label="谈话记录截止提交时间")
        current = await self.current(session, [r.id for r in records])
        done = [r for r in records if r.id in current and current[r.id].status in ("submitted", "approved")]
        if done:
            raise fail(409, f"{'、'.join(users[r.user_id].name for r in done)}的谈话记录已提交，不能重新指派")
        await assignments.assign(session, [r.id for r in records], self.role, user_ids=[talker_id], assigned_by=actor.id)
        now = utcnow()
        if current:
            await session.execute(update(Talk).where(Talk.id.in_([t.id for t in current.values()]))
                                  .values(deadline=deadline, updated_at=now).execution_options(synchronize_session=False))
        fresh = [r for r in records if r.id not in current]
        if fresh:
            await session.execute(insert(Talk), [self._row(r, deadline, actor.id, now) for r in fresh])
        await engine.note(session, actor, records, action="talk_assigned", title=f"指派谈话人：{talker.name}",
                          note=f"谈话记录截止提交时间：{clock.fmt(deadline)}")
        if self.mode == "committee":  # the committee flows the talk to the student itself (talk_committee.flow)
            return list((await self.current(session, [r.id for r in records])).values())
        await outbox.notify(session, [talker_id], f"请安排谈话：{'、'.join(u.name for u in users.values())}",
                            f"您被指派为{self.title}的谈话人，请在{clock.fmt(deadline)}前安排谈话并提交{self.record_title}。",
                            kind="todo", link="/mp/talks", object_type="talk")
        await outbox.notify(session, list(users), "党组织已为您指派谈话人",
                            f"谈话人：{talker.name}。谈话时间和地点确定后会通知您。", kind="notice", link="/mp/development")
        return list((await self.current(session, [r.id for r in records])).values())

    def _row(self, r: DevelopmentRecord, deadline: datetime, by: int | None, now: datetime, period: int = 0) -> dict:
        return {"record_id": r.id, "user_id": r.user_id, "kind": self.kind, "role": self.role, "period": period,
                "deadline": deadline, "status": "assigned", "assigned_by": by, "created_at": now, "updated_at": now,
                "place": "", "content": "", "reason": "", "by_proxy": False}


    # --- the kit ------------------------------------------------------------------------

    def pc_routes(self, router):
        from core.workflow.components import talk_committee, talk_kit

        (talk_committee.pc_routes if self.mode == "committee" else talk_kit.pc_routes)(self, router)

    def mp_routes(self, router):
        if self.mode == "committee":
            from core.workflow.components import talk_committee

            talk_committee.mp_routes(self, router)

    @classmethod
    def shared_mp_routes(cls, router, instances):
        from core.workflow.components import talk_kit

        talk_kit.shared_mp_routes(router, instances)

    def pages(self):
        from core.workflow.components import talk_kit

        return talk_kit.pages(self)

    def columns(self):
        from core.workflow.components import talk_committee, talk_kit

        return (talk_committee.columns if self.mode == "committee" else talk_kit.columns)(self)

    async def column_values(self, session, records):
        current = await self.current(session, [r.id for r in records])
        outs = {o.record_id: o for o in await self.out(session, list(current.values()))}
        return {rid: {f"{self.key}_status": o.status, f"{self.key}_status_label": o.status_label,
                      f"{self.key}_talker": o.talker_name, f"{self.key}_reason": o.reason,
                      **({f"{self.key}_scheduled_at": clock.iso(current[rid].scheduled_at)} if self.mode == "committee" else {})}
                for rid, o in outs.items()}

    def row_actions(self):
        from core.workflow.components import talk_committee, talk_kit

        return (talk_committee.row_actions if self.mode == "committee" else talk_kit.row_actions)(self)

    def bulk_actions(self):
        from core.workflow.components import talk_committee, talk_kit

        return (talk_committee.bulk_actions if self.mode == "committee" else talk_kit.bulk_actions)(self)

    def detail_panels(self):
        from core.workflow.components import talk_kit

        return talk_kit.detail_panels(self)

    async def detail(self, session, record):
        talk = (await self.current(session, [record.id])).get(record.id)
        return (await self.out(session, [talk]))[0] if talk else None

    async def mp_summary(self, session, record):
        talk = (await self.current(session, [record.id])).get(record.id)
        if talk is None:
            return None
        out = (await self.out(session, [talk]))[0]
        return TalkSummary(talker=out.talker_name, place=talk.place, scheduled_at=talk.scheduled_at, status=talk.status,
                           status_label=out.status_label)

    async def todo_items(self, session, actor):
        from core.workflow.components import talk_committee, talk_kit

        return await (talk_committee.todo_items if self.mode == "committee" else talk_kit.todo_items)(self, session, actor)

    async def todo_page(self, session, actor, limit):
        """A talker has a to-do per talk assigned: read only the ``limit`` soonest."""
        from core.todos import TodoItems
        from core.workflow.components import talk_committee, talk_kit

        if self.mode == "committee":
            return TodoItems(await talk_committee.todo_items(self, session, actor))
        return await talk_kit.todo_items(self, session, actor, limit)

    @classmethod
    async def todo_pages(cls, session, actor, instances, limit):
        """Every talker-mode use's talks in one read (talk_kit.todo_pages), the others one by one."""
        from core.workflow.components import talk_kit

        talkers = [c for c in instances if c.mode != "committee"]
        read = iter(await talk_kit.todo_pages(talkers, session, actor, limit) if talkers else [])
        return [await c.todo_page(session, actor, limit) if c.mode == "committee" else next(read) for c in instances]

    def mobile_screens(self):
        if self.mode != "committee":
            return []
        from core.mobile.screens import MobileScreen

        return [MobileScreen(f"/development/{self.mp_path}", "screens/development/committee_talk.js", self.title,
                             self.mp_permission, options={"api": self.mp_path, "title": self.title})]
