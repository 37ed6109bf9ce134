"""Talk (DEV-6): the branch assigns a talker (a formal party member of its scope) with a
deadline; the talker schedules place and time (shown to the student), fills and submits
the record; the branch may fill it as proxy and confirm; the branch reviews.

The talker is not a column of the talk: it is the record's current assignment of the
component's ``role`` (``dev_assignment``: 谈话人, 培养联系人, 入党介绍人), so an open talk
follows a re-assignment and the two introducers both see their talks. In task mode
(``task=``) approval completes a task of the step (a quarter's talk) instead of advancing,
and the talker opens the talk for the next open period without a branch assignment.
Routes, columns, actions and to-dos are in ``talk_kit.py``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar, Optional

from pydantic import BaseModel, Field as PField
from sqlalchemy import Index, and_, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel

from core import clock, outbox
from core.auth import Actor, user_in_scope
from core.clock import LocalDateTime
from core.errors import fail
from core.models import StudentProfile, User, utcnow
from core.workflow import assignments, tasks as task_store
from core.workflow.components.base import Component
from core.workflow.components.decision import pending_decision
from core.workflow.documents import Paper, record_documents
from core.workflow.engine import Engine
from core.workflow.models import Assignment, DevelopmentRecord
from core.workflow.people import branch_admin_ids

FORMAL_MEMBER = "中共党员"
OPEN = ("assigned", "scheduled", "proxy_draft", "rejected", "submitted")


class Talk(SQLModel, table=True):
    __tablename__ = "dev_talk"
    __table_args__ = (Index("ix_dev_talk_record_kind", "record_id", "kind"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="dev_record.id")
    user_id: int = Field(foreign_key="xf_user.id", index=True)
    kind: str = Field(max_length=40)
    role: str = Field(default="talker", max_length=20)  # the assignment role that supplies the talker
    period: int = Field(default=0)  # task mode: the task period this talk is for
    deadline: datetime
    place: str = Field(default="", max_length=200)
    scheduled_at: Optional[datetime] = None
    talk_date: Optional[date] = None
    content: str = Field(default="", max_length=5000)
    # assigned | scheduled | proxy_draft | submitted | approved | rejected
    status: str = Field(default="assigned", max_length=12)
    by_proxy: bool = False
    reason: str = Field(default="", max_length=500)
    assigned_by: Optional[int] = None
    talked_by: Optional[int] = None  # who submitted the record (the talker of that day)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class TalkTodo(SQLModel, table=True):
    """One talk as a to-do of one of its current assignees, kept by database triggers
    (core/db_triggers.py) from dev_talk, dev_assignment and dev_record, whoever writes them.

    A talker's to-do list is "my open talks at their step, soonest deadline first, and how
    many". Read through the three tables, that costs a join per talk the talker has (2,067 at
    50,000 students); from here it is one index range read in deadline order that stops at the
    page's end, and a count over the same index (issue 11). Never written by the app."""

    __tablename__ = "dev_talk_todo"
    __table_args__ = (Index("ix_dev_talk_todo_user", "user_id", "kind", "record_stage", "record_step", "deadline", "talk_id",
                            "status"),
                      Index("ix_dev_talk_todo_record", "record_id", "role"))

    talk_id: int = Field(primary_key=True)
    user_id: int = Field(primary_key=True)
    record_id: int
    role: str = Field(max_length=20)
    kind: str = Field(max_length=40)
    record_stage: str = Field(max_length=40)  # the record's stage and step now
    record_step: str = Field(max_length=40)
    status: str = Field(max_length=12)
    deadline: datetime


STATUS_LABELS = {"assigned": "待安排", "scheduled": "已安排", "proxy_draft": "待确认", "submitted": "待审核",
                 "approved": "审核通过", "rejected": "审核不通过"}


class TalkOut(BaseModel):
    id: int
    record_id: int
    user_id: int
    user_name: Optional[str] = None
    kind: str
    title: str = PField(description="谈话名称，如 入党申请人谈话")
    talker_id: Optional[int] = None
    talker_name: Optional[str] = None
    deadline: LocalDateTime
    place: str
    scheduled_at: Optional[LocalDateTime] = None
    talk_date: Optional[date] = None
    content: str
    status: str = PField(description="assigned | scheduled | proxy_draft | submitted | approved | rejected；"
                                      "上级党委派人谈话：assigned 待流转 | flowed 待填写谈话时间 | scheduled 待确认谈话 | approved 已确认谈话")
    status_label: str
    by_proxy: bool
    reason: str
    overdue: bool


class TalkSummary(BaseModel):
    """The student's view of their talk: who, where, when."""

    talker: Optional[str] = None
    place: str
    scheduled_at: Optional[LocalDateTime] = None
    status: str
    status_label: str


async def is_formal_member(session: AsyncSession, user_id: int) -> bool:
    return (await session.execute(select(StudentProfile.user_id).where(
        StudentProfile.user_id == user_id, StudentProfile.political_status == FORMAL_MEMBER))).first() is not None


@dataclass
class TalkComponent(Component):
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
