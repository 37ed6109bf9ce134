"""The cohort base (engine v2): a batch of people going through something together —
publicity, filing / pre-review / approval, meetings, symposium, political review, training.

A cohort (``dev_batch``) has an owner (a party branch, or the committee when ``branch_id``
is None), a state and per-person entries (``dev_batch_entry``: outcome, opinion, brief,
contact and phone, document, removal with a reason). People are chosen among those active
at the step, in the actor's scope and the owner's branch, and not in another open cohort
of the same kind. Completion resolves each entry's outcome through the engine in one call;
an entry taken off before completion (异议) stays at the step and may join a later cohort.

Components subclass ``Cohort`` and add their states and fields (``publicity.py``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, exists, false, insert, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Actor, scope_condition
from core.workflow.components.base import Component
from core.errors import fail
from core.models import User, utcnow
from core.workflow import tasks as task_store
from core.workflow.models import Batch, BatchEntry, DevelopmentRecord, Task
from core.workflow.transitions import Resolution
from core.workflow.writes import mirror

COMPLETED = "completed"


@dataclass
class Cohort(Component):
    kind: str  # unique per use, e.g. applicant_publicity
    title: str  # e.g. 入党申请人公示
    stage: str = ""
    step: str = ""
    people_label: str = ""
    noun: str = "批次"  # what one cohort is called in messages (公示, 备案, 会议...)
    # Task mode: the cohort completes this task of the step (a symposium inside 流转座谈会及谈话,
    # the political review inside 培育考察) instead of resolving the step; only people with
    # that task open may join.
    task: str = ""

    @property
    def key(self) -> str:
        return self.kind

    # --- rights -----------------------------------------------------------------------

    def owner_branch(self, actor: Actor, branch_id: int | None) -> int | None:
        """The branch an actor works for: a branch admin its own; the committee any (None: college-wide)."""
        if actor.scope == "all":
            return branch_id
        if actor.scope != "branch":
            raise fail(403, "没有权限执行此操作")
        if actor.branch_id is None:
            raise fail(422, f"您的账号未关联党支部，不能管理{self.noun}")
        if branch_id is not None and branch_id != actor.branch_id:
            raise fail(404, "党支部不存在或无权查看")
        return actor.branch_id

    def scope(self, actor: Actor):
        if actor.scope == "all":
            return true()
        if actor.scope == "branch" and actor.branch_id is not None:
            return Batch.branch_id == actor.branch_id
        return false()

    async def get(self, session: AsyncSession, actor: Actor, batch_id: int) -> Batch:
        """The cohort if the actor reaches it; 404 otherwise (another branch's is not found)."""
        b = await session.get(Batch, batch_id)
        if b is None or b.kind != self.kind or not (
                actor.scope == "all" or (actor.scope == "branch" and b.branch_id is not None and b.branch_id == actor.branch_id)):
            raise fail(404, f"{self.noun}不存在或无权查看")
        return b

    # --- life cycle -------------------------------------------------------------------

    async def create(self, session: AsyncSession, actor: Actor, *, branch_id: int | None = None, title: str = "",
                     data: dict | None = None, signature_date: date | None = None) -> Batch:
        branch_id = self.owner_branch(actor, branch_id)
        b = Batch(kind=self.kind, stage=self.stage, step=self.step, branch_id=branch_id, title=title or self.title,
                  state="draft", data=data or {}, signature_date=signature_date, created_by=actor.id)
        session.add(b)
        await session.flush()
        return b

    async def delete(self, session: AsyncSession, actor: Actor, b: Batch, refusal: str = "") -> None:
        """Delete a cohort still in draft; once it has gone further, 409 with ``refusal`` (what
        the component calls that point) or the general message."""
        if b.state != "draft":
            raise fail(409, refusal or f"{self.noun}已开始，不能删除")
        await session.execute(delete(BatchEntry).where(BatchEntry.batch_id == b.id))
        await session.delete(b)
        await session.flush()

    async def set_state(self, session: AsyncSession, b: Batch, expected: str, state: str, **values) -> None:
        """Move the cohort from ``expected`` to ``state`` (a concurrent change answers 409)."""
        now = utcnow()
        result = await session.execute(
            update(Batch).where(Batch.id == b.id, Batch.state == expected)
            .values(state=state, updated_at=now, **values).execution_options(synchronize_session=False))
        if result.rowcount != 1:
            raise fail(409, f"{self.noun}已被他人处理，请刷新后重试")
        mirror(b, state=state, updated_at=now, **values)

    # --- people -----------------------------------------------------------------------

    def people_query(self, actor: Actor, b: Batch | None):
        """Active records at this step, in the actor's scope and the cohort's branch (any branch
        in scope when there is no cohort yet); in task mode only those with the task open."""
        q = (select(DevelopmentRecord, User).join(User, User.id == DevelopmentRecord.user_id)
             .where(DevelopmentRecord.stage == self.stage, DevelopmentRecord.step == self.step,
                    DevelopmentRecord.status == "active", User.deleted_at.is_(None), scope_condition(actor)))
        if b is not None and b.branch_id is not None:
            q = q.where(User.party_branch_id == b.branch_id)
        if self.task:
            q = q.where(self.task_open())
        return q

    def task_open(self):
        """SQL: the record has this cohort's task open at the step (task mode)."""
        return exists().where(Task.record_id == DevelopmentRecord.id, Task.stage == self.stage, Task.step == self.step,
                              Task.key == self.task, Task.status == "open")

    async def check_task(self, session: AsyncSession, records: list[DevelopmentRecord], users: dict[int, User]) -> None:
        """Task mode: refuse (409) people whose task is not open, naming them."""
        if not self.task:
            return
        found = await task_store.first_open(session, records, self.task)
        missing = [users[r.user_id].name for r in records if r.id not in found]
        if missing:
            title = next((t.title for t in self.step_def.tasks if t.key == self.task), self.title) if self.bound else self.title
            raise fail(409, f"以下人员没有待完成的“{title}”：{'、'.join(missing)}")

    async def busy(self, session: AsyncSession, b: Batch | None, record_ids: list[int]) -> dict[int, str]:
        """Records already in another open cohort of the same kind (not taken off): {record id: its title}."""
        if not record_ids:
            return {}
        q = (select(BatchEntry.record_id, Batch.title).join(Batch, Batch.id == BatchEntry.batch_id)
             .where(BatchEntry.record_id.in_(record_ids), Batch.kind == self.kind, Batch.state != COMPLETED,
                    BatchEntry.removed_at.is_(None)))
        if b is not None:
            q = q.where(Batch.id != b.id)
        return {rid: title for rid, title in (await session.execute(q)).all()}

    async def candidates(self, session: AsyncSession, actor: Actor, b: Batch) -> list[tuple[DevelopmentRecord, User, bool]]:
        """People who may be chosen, with whether they are chosen already."""
        rows = (await session.execute(self.people_query(actor, b).order_by(User.party_branch_id, User.student_no, User.id))).all()
        busy = await self.busy(session, b, [r.id for r, _ in rows])
        chosen = set((await session.execute(select(BatchEntry.record_id).where(
            BatchEntry.batch_id == b.id, BatchEntry.removed_at.is_(None)))).scalars())
        return [(r, u, r.id in chosen) for r, u in rows if r.id not in busy]

    async def choosable(self, session: AsyncSession, actor: Actor, branch_id: int | None = None) -> list[tuple[DevelopmentRecord, User]]:
        """People who may join a new cohort of this kind: at the step (task open in task mode),
        in the actor's scope (and ``branch_id``), not in an open cohort of the same kind."""
        q = self.people_query(actor, None)
        if branch_id is not None:
            q = q.where(User.party_branch_id == branch_id)
        rows = (await session.execute(q.order_by(User.party_branch_id, User.student_no, User.id))).all()
        busy = await self.busy(session, None, [r.id for r, _ in rows])
        return [(r, u) for r, u in rows if r.id not in busy]

    async def entries(self, session: AsyncSession, b: Batch, *, removed: bool | None = False) -> list[tuple[BatchEntry, User]]:
        """Entries with their people; ``removed``: False only kept ones, True only removed, None all."""
        q = (select(BatchEntry, User).join(User, User.id == BatchEntry.user_id).where(BatchEntry.batch_id == b.id)
             .order_by(BatchEntry.sort, BatchEntry.id))
        if removed is not None:
            q = q.where(BatchEntry.removed_at.is_not(None) if removed else BatchEntry.removed_at.is_(None))
        return list((await session.execute(q)).all())

    async def set_people(self, session: AsyncSession, engine, actor: Actor, b: Batch, people: list[dict], *,
                         fields: tuple[str, ...] = ("brief", "contact", "phone", "opinion", "outcome")) -> list[DevelopmentRecord]:
        """Replace the cohort's people: ``[{"record_id", "brief"?, "contact"?, ...}]``. Values left out
        keep what the entry had (e.g. a per-branch batch fill). All-or-nothing; names who is refused."""
        chosen: dict[int, dict] = {}
        for item in people or []:
            rid = item.get("record_id")
            if not isinstance(rid, int):
                raise fail(422, f"{self.noun}名单格式不正确")
            chosen.setdefault(rid, item)
        if not chosen:
            raise fail(422, f"请勾选{self.people_label}")
        records, users = await engine.load(session, actor, list(chosen))
        if b.branch_id is not None:
            outside = [r for r in records if users[r.user_id].party_branch_id != b.branch_id]
            if outside:
                raise fail(422, f"以下人员不属于本{self.noun}的党支部：{'、'.join(users[r.user_id].name for r in outside)}")
        engine.check_position(records, users, self.stage, self.step)
        await self.check_task(session, records, users)
        busy = await self.busy(session, b, [r.id for r in records])
        if busy:
            raise fail(409, f"以下人员已在其他未完成的{self.noun}中：" + "、".join(
                f"{users[r.user_id].name}（{busy[r.id]}）" for r in records if r.id in busy))
        before = {e.record_id: e for e, _ in await self.entries(session, b, removed=None)}
        rows = []
        for i, r in enumerate(records):
            item, old = chosen[r.id], before.get(r.id)
            row = {"batch_id": b.id, "record_id": r.id, "user_id": r.user_id, "branch_id": users[r.user_id].party_branch_id,
                   "sort": i, "removed_at": None, "removed_reason": "", "removed_by": None,
                   "document_token": old.document_token if old else None, "data": old.data if old else {}}
            for f in ("brief", "contact", "phone", "opinion", "outcome"):
                given = item.get(f) if f in fields else None
                row[f] = str(given).strip() if given is not None else (getattr(old, f) if old else "")
            rows.append(row)
        await session.execute(delete(BatchEntry).where(BatchEntry.batch_id == b.id))
        await session.execute(insert(BatchEntry), rows)
        return records

    async def remove(self, session: AsyncSession, engine, actor: Actor, b: Batch, record_id: int, reason: str) -> User:
        """Take a person off before completion (异议) with a reason: they stay at the step."""
        reason = (reason or "").strip()
        if not reason:
            raise fail(422, "请填写原因", field="reason", label="原因")
        if b.state == COMPLETED:
            raise fail(409, f"{self.noun}已完成，不能再移出人员")
        records, users = await engine.load(session, actor, [record_id])
        now = utcnow()
        result = await session.execute(
            update(BatchEntry).where(BatchEntry.batch_id == b.id, BatchEntry.record_id == record_id,
                                     BatchEntry.removed_at.is_(None))
            .values(removed_at=now, removed_reason=reason[:500], removed_by=actor.id)
            .execution_options(synchronize_session=False))
        if result.rowcount != 1:
            raise fail(404, f"该人员不在本{self.noun}名单中")
        await engine.note(session, actor, records, action="batch_removed", title=f"{b.title}：移出名单", note=reason)
        return users[records[0].user_id]

    async def complete(self, session: AsyncSession, engine, actor: Actor, b: Batch, *, expected_state: str,
                       default_outcome: str = "advance", milestones=None, title="", notes=None, note: str = "") -> Resolution:
        """Resolve every kept entry's outcome (its own, or ``default_outcome``) in one engine call,
        then mark the cohort completed."""
        kept = await self.entries(session, b)
        if not kept:
            raise fail(409, f"{self.noun}名单为空，不能完成")
        outcomes = {e.record_id: e.outcome or default_outcome for e, _ in kept}
        notes = notes if notes is not None else {e.record_id: e.opinion for e, _ in kept if e.opinion}
        res = await engine.resolve(session, actor, self.stage, self.step, outcomes, milestones=milestones, title=title,
                                   notes=notes, note=note)
        now = utcnow()
        await self.set_state(session, b, expected_state, COMPLETED, completed_at=now, completed_by=actor.id)
        return res
