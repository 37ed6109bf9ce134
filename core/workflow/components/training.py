"""The training class (培训班, DEV-9): the committee creates and publishes a class (signup and
training windows, the branches it is open to with their quotas); students sign up and cancel
on the MP until screening; the committee hands the signups to the branches (流转支部筛选);
each branch orders its signups (上移/下移) and submits (提交党委), the first ``quota`` being
selected; once every branch with signups has submitted the committee confirms the list
(确认入选名单 → 待培训), starts the training (开始培训), may end it early (结束培训), and records
结业 (with its date) or 未结业 per person (确认培训结果). 结业 completes the ``training`` task of
the person's current step; 未结业 leaves it open and the person may sign up for a later class.

A ``TrainingComponent`` on a step declares the class type that step needs (积极分子培训班 on
the activist cultivation, 发展对象培训班 on the candidate one) and the task a 结业 completes.
The classes themselves belong to no step: ``TrainingService`` works over every declared type
and its routes and 培训管理 page are mounted once for all (``training_api.py``,
``training_page.py``). Signing up needs: the class open to the person's branch and in its
signup window, the person active at a step with an open training task of the class's type,
no other open signup, and not the first semester of a first year (``first_semester_end``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar, Optional

from pydantic import BaseModel
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core import clock
from core.auth import Actor
from core.errors import fail
from core.models import StudentProfile, User, utcnow
from core.workflow import tasks as task_store
from core.workflow.components.base import Component
from core.workflow.components.publicity import BranchNames
from core.workflow.components.training_models import (OPEN_SIGNUP, RESULT_LABELS, TrainingClass, TrainingQuota, TrainingSignup,
                                                      class_state, enrolled_on, first_semester_end, signup_label)
from core.workflow.models import DevelopmentRecord


class TrainingSummary(BaseModel):
    """A person's training as their cultivation page shows it (the 培训班参与 card)."""

    class_title: Optional[str] = None
    class_id: Optional[int] = None
    status: str  # none | signed_up | selected | not_selected | passed | failed
    status_label: str
    result_date: Optional[date] = None
    done: bool


@dataclass
class TrainingComponent(Component):
    self_todos = "own_step"  # a student's to-dos here need their own record at this step (Component.self_todos)
    class_type: str  # e.g. activist
    title: str  # e.g. 积极分子培训班
    task: str = "training"  # the task of the step a 结业 completes
    stage: str = ""
    step: str = ""
    key: str = "training"
    branch_names: Optional[BranchNames] = None

    summary_model: ClassVar = TrainingSummary

    async def summary(self, session: AsyncSession, record: DevelopmentRecord, done: bool | None = None) -> TrainingSummary:
        """``done``: whether the step's training task is done, when the caller knows it already."""
        row = (await session.execute(
            select(TrainingSignup, TrainingClass).join(TrainingClass, TrainingClass.id == TrainingSignup.class_id)
            .where(TrainingSignup.record_id == record.id, TrainingClass.class_type == self.class_type,
                   TrainingSignup.status != "cancelled").order_by(TrainingSignup.id.desc()).limit(1))).first()
        if done is None:
            done = not (await task_store.first_open(session, [record], self.task)) if record.step == self.step else True
        if row is None:
            return TrainingSummary(status="none", status_label="未报名", done=done)
        s, c = row
        return TrainingSummary(class_title=c.title, class_id=c.id, status=s.result or s.status, status_label=signup_label(s),
                               result_date=s.result_date, done=done)

    mp_summary = summary

    # --- the kit ------------------------------------------------------------------------

    @classmethod
    def shared_pc_routers(cls, instances):
        from core.workflow.components import training_api

        return [training_api.pc_router(TrainingService(instances))]

    @classmethod
    def shared_mp_routes(cls, router, instances):
        from core.workflow.components import training_api

        training_api.mp_routes(router, TrainingService(instances))

    @classmethod
    def shared_pages(cls, instances):
        from core.workflow.components import training_page

        return training_page.pages(TrainingService(instances))

    def columns(self):
        from core.workflow.components import training_page

        return training_page.columns(self)

    async def column_values(self, session, records):
        here = [r for r in records if r.stage == self.stage]
        if not here:
            return {}
        rows = (await session.execute(
            select(TrainingSignup.record_id, TrainingSignup.status, TrainingSignup.result, TrainingClass.title)
            .join(TrainingClass, TrainingClass.id == TrainingSignup.class_id)
            .where(TrainingSignup.record_id.in_([r.id for r in here]), TrainingClass.class_type == self.class_type,
                   TrainingSignup.status != "cancelled").order_by(TrainingSignup.id))).all()
        out = {}
        for rid, status, result, title in rows:
            out[rid] = {f"{self.key}_label": f"{RESULT_LABELS.get(result) or signup_label(TrainingSignup(status=status))}（{title}）"}
        return out

    async def todo_items(self, session, actor):
        from core.workflow.components import training_page

        return await training_page.todo_items(self, session, actor)


class TrainingService:
    """Every operation on classes, over all declared class types."""

    def __init__(self, instances: list[TrainingComponent]):
        self.types: dict[str, TrainingComponent] = {}
        for c in instances:
            self.types.setdefault(c.class_type, c)
        self.instances = instances

    def type_title(self, class_type: str) -> str:
        c = self.types.get(class_type)
        return c.title if c else class_type

    async def branch_names(self, session: AsyncSession, ids) -> dict[int, str]:
        ids = sorted({i for i in ids if i is not None})
        names = next((c.branch_names for c in self.instances if c.branch_names), None)
        return await names(session, ids) if ids and names else {}

    # --- reading ----------------------------------------------------------------------

    async def get(self, session: AsyncSession, actor: Actor, class_id: int) -> TrainingClass:
        """The class if the actor reaches it: the committee every class, a branch the published
        classes open to it (404 otherwise)."""
        c = await session.get(TrainingClass, class_id)
        if c is None or c.class_type not in self.types or not await self.visible(session, actor, c):
            raise fail(404, "培训班不存在或无权查看")
        return c

    async def visible(self, session: AsyncSession, actor: Actor, c: TrainingClass) -> bool:
        if actor.scope == "all":
            return True
        if c.state == "draft":
            return False
        branch = actor.branch_id if actor.scope == "branch" else actor.user.party_branch_id
        return branch is not None and await self.quota_of(session, c.id, branch) is not None

    async def quota_of(self, session: AsyncSession, class_id: int, branch_id: int | None) -> TrainingQuota | None:
        if branch_id is None:
            return None
        return (await session.execute(select(TrainingQuota).where(
            TrainingQuota.class_id == class_id, TrainingQuota.branch_id == branch_id))).scalar_one_or_none()

    async def quotas(self, session: AsyncSession, class_ids: list[int]) -> dict[int, list[TrainingQuota]]:
        out: dict[int, list[TrainingQuota]] = {i: [] for i in class_ids}
        if class_ids:
            for q in (await session.execute(select(TrainingQuota).where(TrainingQuota.class_id.in_(class_ids))
                                            .order_by(TrainingQuota.id))).scalars():
                out[q.class_id].append(q)
        return out

    async def signups(self, session: AsyncSession, class_id: int, branch_id: int | None = None,
                      statuses: tuple[str, ...] = ("signed_up", "selected", "not_selected")) -> list[tuple[TrainingSignup, User]]:
        q = (select(TrainingSignup, User).join(User, User.id == TrainingSignup.user_id)
             .where(TrainingSignup.class_id == class_id, TrainingSignup.status.in_(statuses)))
        if branch_id is not None:
            q = q.where(TrainingSignup.branch_id == branch_id)
        return list((await session.execute(q.order_by(TrainingSignup.branch_id, TrainingSignup.sort, TrainingSignup.id))).all())

    # --- 创建并发布 -----------------------------------------------------------------------

    def require_committee(self, actor: Actor) -> None:
        if actor.scope != "all" or not actor.can("dev.training.manage"):
            raise fail(403, "只有学院党委可以管理培训班")

    async def save(self, session: AsyncSession, actor: Actor, c: TrainingClass | None, *, class_type: str, title: str,
                   intro: str, place: str, signup_start: datetime, signup_end: datetime, train_start: datetime,
                   train_end: datetime, quotas: list[dict], publish: bool) -> TrainingClass:
        """Create (``c`` None) or edit a class before its signup starts; ``publish`` publishes it."""
        self.require_committee(actor)
        if class_type not in self.types:
            raise fail(422, "培训班类型不正确", field="class_type", label="培训班类型")
        if c is not None and class_state(c) not in ("draft", "pending"):
            raise fail(409, "培训班已开始报名，不能再修改")
        title = (title or "").strip()
        if not title:
            raise fail(422, "请填写培训班名称", field="title", label="培训班名称")
        times = [clock.to_utc(t) for t in (signup_start, signup_end, train_start, train_end)]
        if not times[0] < times[1]:
            raise fail(422, "报名截止时间应晚于报名开始时间", field="signup_end", label="报名截止时间")
        if not times[1] <= times[2]:
            raise fail(422, "培训开始时间不能早于报名截止时间", field="train_start", label="培训开始时间")
        if not times[2] < times[3]:
            raise fail(422, "培训结束时间应晚于培训开始时间", field="train_end", label="培训结束时间")
        if c is None and times[1] <= utcnow():
            raise fail(422, "报名截止时间应晚于当前时间", field="signup_end", label="报名截止时间")
        chosen: dict[int, int] = {}
        for item in quotas or []:
            bid, n = item.get("branch_id"), item.get("quota")
            if not isinstance(bid, int) or not isinstance(n, int) or n < 1:
                raise fail(422, "每个党支部的名额应为正整数", field="quotas", label="支部名额")
            if bid in chosen:
                raise fail(422, "同一党支部只能分配一次名额", field="quotas", label="支部名额")
            chosen[bid] = n
        if not chosen:
            raise fail(422, "请选择发布范围并分配支部名额", field="quotas", label="支部名额")
        known = await self.branch_names(session, list(chosen))
        if self.instances and any(c_.branch_names for c_ in self.instances) and set(known) != set(chosen):
            raise fail(422, "发布范围中有不存在的党支部", field="quotas", label="发布范围")
        now = utcnow()
        if c is None:
            c = TrainingClass(class_type=class_type, title=title, signup_start=times[0], signup_end=times[1],
                              train_start=times[2], train_end=times[3], created_by=actor.id)
            session.add(c)
        c.class_type, c.title, c.intro, c.place = class_type, title[:200], (intro or "").strip()[:2000], (place or "").strip()[:200]
        c.signup_start, c.signup_end, c.train_start, c.train_end, c.updated_at = *times, now
        if publish and c.state == "draft":
            c.state, c.published_at = "published", now
        await session.flush()
        old = {q.branch_id: q for q in (await self.quotas(session, [c.id]))[c.id]}
        for bid, n in chosen.items():
            if bid in old:
                old[bid].quota = n
            else:
                session.add(TrainingQuota(class_id=c.id, branch_id=bid, quota=n))
        for bid, q in old.items():
            if bid not in chosen:
                await session.delete(q)
        await session.flush()
        return c

    async def set_state(self, session: AsyncSession, c: TrainingClass, expected: tuple[str, ...], state: str, **values) -> None:
        """Move the stored state (a concurrent change answers 409)."""
        result = await session.execute(update(TrainingClass).where(TrainingClass.id == c.id, TrainingClass.state.in_(expected))
                                       .values(state=state, updated_at=utcnow(), **values)
                                       .execution_options(synchronize_session=False))
        if result.rowcount != 1:
            raise fail(409, "培训班状态已变化，请刷新后重试")
        c.state = state
        for k, v in values.items():
            setattr(c, k, v)

    # --- the student ------------------------------------------------------------------

    async def my_component(self, session: AsyncSession, record: DevelopmentRecord | None,
                           class_type: str | None = None) -> TrainingComponent | None:
        """The training component of the person's current step with an open training task."""
        if record is None or record.status != "active":
            return None
        for c in self.instances:
            if c.stage == record.stage and c.step == record.step and (class_type is None or c.class_type == class_type):
                if await task_store.first_open(session, [record], c.task):
                    return c
        return None

    async def problems(self, session: AsyncSession, actor: Actor, record: DevelopmentRecord | None,
                       c: TrainingClass | None = None) -> list[str]:
        """Why the person cannot sign up (for ``c``, or for any class when None)."""
        user = actor.user
        mine = await self.my_component(session, record, c.class_type if c else None)
        if mine is None:
            title = self.type_title(c.class_type) if c else "培训班"
            return [f"您当前不需要参加{title}"]
        if c is not None:
            if class_state(c) != "signup":
                return ["该培训班不在报名时间内"]
            if await self.quota_of(session, c.id, user.party_branch_id) is None:
                return ["该培训班未向您所在的党支部开放"]
        busy = (await session.execute(
            select(TrainingClass.title).join(TrainingSignup, TrainingSignup.class_id == TrainingClass.id)
            .where(TrainingSignup.record_id == record.id, TrainingSignup.status.in_(OPEN_SIGNUP),
                   TrainingSignup.result == "", TrainingClass.state != "finished").limit(1))).scalar_one_or_none()
        if busy:
            return [f"您已报名“{busy}”，一次只能报名一个培训班"]
        profile = await session.get(StudentProfile, user.id)
        enrolled = enrolled_on(profile.enrollment_date, profile.grade) if profile else None
        if enrolled is None:
            return ["请先在个人信息中填写入学时间"]
        if clock.local_today() < first_semester_end(enrolled):
            return ["大一/研一第一学期的学生不能报名培训班"]
        return []

    async def sign_up(self, session: AsyncSession, engine, actor: Actor, c: TrainingClass) -> TrainingSignup:
        record = await engine.record_of(session, actor.id)
        problems = await self.problems(session, actor, record, c)
        if problems:
            raise fail(409, problems[0])
        now = utcnow()
        order = (await session.execute(select(func.count()).select_from(TrainingSignup).where(
            TrainingSignup.class_id == c.id, TrainingSignup.branch_id == actor.user.party_branch_id))).scalar_one()
        s = TrainingSignup(class_id=c.id, record_id=record.id, user_id=actor.id, branch_id=actor.user.party_branch_id,
                           stage=record.stage, step=record.step, sort=order, created_at=now, updated_at=now)
        session.add(s)
        await session.flush()
        await engine.note(session, actor, [record], action="training_signup", title=f"报名{c.title}")
        return s

    async def cancel(self, session: AsyncSession, engine, actor: Actor, c: TrainingClass) -> TrainingSignup:
        s = (await session.execute(select(TrainingSignup).where(
            TrainingSignup.class_id == c.id, TrainingSignup.user_id == actor.id, TrainingSignup.status == "signed_up")
        )).scalar_one_or_none()
        if s is None:
            raise fail(409, "您没有报名该培训班")
        if c.state != "published":
            raise fail(409, "党委已流转支部筛选，不能再取消报名")
        s.status, s.updated_at = "cancelled", utcnow()
        record = await session.get(DevelopmentRecord, s.record_id)
        await engine.note(session, actor, [record], action="training_cancelled", title=f"取消报名{c.title}")
        return s

    async def mine(self, session: AsyncSession, user_id: int) -> list[tuple[TrainingSignup, TrainingClass]]:
        return list((await session.execute(
            select(TrainingSignup, TrainingClass).join(TrainingClass, TrainingClass.id == TrainingSignup.class_id)
            .where(TrainingSignup.user_id == user_id, TrainingSignup.status != "cancelled")
            .order_by(TrainingSignup.id.desc()))).all())
