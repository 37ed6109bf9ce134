"""The only code that moves a development record (DEV-1, DEV-3, DEV-4, engine v2).

``resolve`` is the one move: a batch of records at one step, an outcome per person
(advance, fail with the step's code, reflow to an earlier step, finish, stay). Before
anything is written it checks order (every record is active at that step), scope (the
actor reaches each person), permission (the step's key), the leave-step task guard and the
guards of ``xf_guard``. Then it writes one guarded UPDATE per distinct outcome (stale moves
answer 409), one executemany for milestones and one for the timeline, and fires the
after-move hooks per outcome, all in the caller's transaction: a batch costs the same
number of statements for 100 and 1,000 people. ``advance``/``fail`` are thin wrappers.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Actor, user_in_scope
from core.errors import fail
from core.models import User, utcnow
from core.workflow import tasks as task_store
from core.workflow.models import DevelopmentRecord, Task
from core.workflow.moves import plan_groups, write_groups
from core.workflow.outcomes import Outcome, advance as advance_outcome, fail as failure_outcome
from core.workflow.stages import STAGE_TITLES, StageRegistry
from core.workflow.transitions import GuardResult, Resolution, Transition
from core.workflow.writes import event_row, guarded_update, insert_events, iso_dates, names

__all__ = ["Engine", "GuardResult", "Transition", "Resolution", "system_actor"]


def system_actor() -> Actor:
    """The actor of moves nobody asked for (records placed on a valid step at start-up)."""
    return Actor(user=User(username="system", name="系统"), role_keys={"system"}, scope="all")


class Engine:
    def __init__(self, registry: StageRegistry, plugins: Any, settings: Any):
        self.registry, self.plugins, self.settings = registry, plugins, settings

    # --- loading ----------------------------------------------------------------------

    async def load(self, session: AsyncSession, actor: Actor, record_ids: list[int]) -> tuple[list[DevelopmentRecord], dict[int, User]]:
        """Records with their people, in the actor's scope; any missing id refuses all (404)."""
        ids = list(dict.fromkeys(record_ids))
        if not ids:
            raise fail(422, "请至少选择一条记录")
        # Two primary-key lookups and the scope check in Python: a joined query filtered by branch
        # lets SQLite drive from the branch index and probe every id per person (slow for 1,000).
        found = {r.id: r for r in (await session.execute(
            select(DevelopmentRecord).where(DevelopmentRecord.id.in_(ids)))).scalars()}
        user_ids = {r.user_id for r in found.values()}
        users = {u.id: u for u in (await session.execute(
            select(User).where(User.id.in_(user_ids), User.deleted_at.is_(None)))).scalars()} if user_ids else {}
        visible = [i for i in ids if i in found and found[i].user_id in users and user_in_scope(actor, users[found[i].user_id])]
        if len(visible) != len(ids):
            raise fail(404, "部分记录不存在或无权操作")
        return [found[i] for i in ids], {found[i].user_id: users[found[i].user_id] for i in ids}

    async def record_of(self, session: AsyncSession, user_id: int) -> DevelopmentRecord | None:
        return (await session.execute(select(DevelopmentRecord).where(DevelopmentRecord.user_id == user_id))).scalar_one_or_none()

    # --- guards -----------------------------------------------------------------------

    async def guard(self, session: AsyncSession, t: Transition) -> None:
        t.settings = self.settings
        results: list[GuardResult] = []
        for coro in self.plugins.hook.xf_guard(session=session, transition=t):
            results.extend(await coro or [])
        refusals = [r for r in results if r.level == "refuse"]
        if refusals:
            text = "；".join(f"{t.users[r.user_id].name}：{r.message}" if r.user_id in t.users else r.message for r in refusals)
            raise fail(409, text, refusals=[r.__dict__ for r in refusals])
        t.warnings = [r for r in results if r.level == "warn"]

    async def start_problems(self, session: AsyncSession, actor: Actor, users: list[User], *,
                             stage: str = "applicant") -> dict[int, list[str]]:
        """Why each user could not start the stage now (the start guards, nothing written)."""
        if not users:
            return {}
        first = self.registry.first_step(stage)
        records = [DevelopmentRecord(user_id=u.id, stage=stage, step=first) for u in users]
        t = Transition("start", stage, "", stage, first, records, {u.id: u for u in users}, actor, utcnow(),
                       settings=self.settings)
        refused: dict[int, list[str]] = {}
        for coro in self.plugins.hook.xf_guard(session=session, transition=t):
            for r in await coro or []:
                if r.level == "refuse":
                    refused.setdefault(r.user_id, []).append(r.message)
        return refused

    # --- moves ------------------------------------------------------------------------

    async def start(self, session: AsyncSession, actor: Actor, users: list[User], *, stage: str = "applicant",
                    note: str = "", milestones: dict[int, dict[str, date]] | None = None, title: str = "") -> list[DevelopmentRecord]:
        """Open a development record at the stage's first step for each user."""
        existing = (await session.execute(
            select(DevelopmentRecord.user_id).where(DevelopmentRecord.user_id.in_([u.id for u in users])))).scalars().all()
        if existing:
            raise fail(409, f"{names({u.id: u for u in users}, existing)}已有发展记录，不能重复开始")
        now = utcnow()
        first = self.registry.first_step(stage)
        records = [DevelopmentRecord(user_id=u.id, stage=stage, step=first, step_entered_at=now) for u in users]
        t = Transition("start", stage, "", stage, first, records, {u.id: u for u in users}, actor, now, note,
                       milestones=milestones or {})
        await self.guard(session, t)
        for r in records:
            r.milestones = iso_dates(t.milestones.get(r.user_id, {}))
            r.warnings = [w.message for w in t.warnings if w.user_id == r.user_id]
        session.add_all(records)
        await session.flush()
        await task_store.create_for(session, records, stage, self.registry.step(stage, first), now)
        await insert_events(session, [event_row(actor, r, stage=stage, step="", action="started",
                                                title=title or f"进入{STAGE_TITLES[stage]}阶段", note=note, now=now)
                                      for r in records])
        await self.plugins.run("xf_step_entered", session=session, transition=t)
        return records

    async def resolve(self, session: AsyncSession, actor: Actor, stage: str, step: str,
                      outcomes: Mapping[int, str | Outcome], *, milestones: dict[int, dict[str, date]] | None = None,
                      note: str = "", notes: Mapping[int, str] | None = None, title: str | Mapping[str, str] = "",
                      data: dict | None = None, permission: bool = True) -> Resolution:
        """Resolve ``step`` for a batch with one outcome per record id (a key the step declares,
        or an ``Outcome``). ``milestones`` are keyed by user id; ``notes`` by record id;
        ``title`` is the timeline title (one for all, or per outcome key)."""
        records, users = await self.load(session, actor, list(outcomes))
        self.check_position(records, users, stage, step)
        step_def = self.registry.step(stage, step)
        if step_def is None:
            raise fail(409, f"环节“{step}”不存在")
        if permission and step_def.permission and not actor.can(step_def.permission):
            raise fail(403, "没有权限执行此操作")
        now = utcnow()
        groups = plan_groups(self, step_def, stage, records, users, outcomes, actor, now, note=note,
                             milestones=milestones or {}, data=data or {})
        leaving = [r for t in groups if t.action in ("advance", "finish") for r in t.records]
        if leaving and step_def.tasks:
            missing = await task_store.open_required(session, [r.id for r in leaving], stage, step)
            if missing:
                who = "；".join(f"{users[r.user_id].name}：{'、'.join(missing[r.id])}" for r in leaving if r.id in missing)
                raise fail(409, f"以下人员还有未完成的任务，不能离开“{step_def.title}”：{who}")
        for t in groups:
            await self.guard(session, t)
        await write_groups(self, session, step_def, groups, notes=notes or {}, title=title)
        return Resolution(groups)

    async def advance(self, session: AsyncSession, actor: Actor, record_ids: list[int], *, stage: str, step: str,
                      note: str = "", milestones: dict[int, dict[str, date]] | None = None, data: dict | None = None,
                      title: str = "") -> Transition:
        """Complete ``step`` for every record and move each to the next step (or stage): the step's
        ``advance`` outcome, or the first outcome of that kind it declares."""
        step_def = self.registry.step(stage, step)
        allowed = step_def.allowed() if step_def else {}
        key = "advance" if "advance" in allowed else next((k for k, o in allowed.items() if o.kind == "advance"), None)
        res = await self.resolve(session, actor, stage, step, {rid: key or advance_outcome() for rid in record_ids},
                                 milestones=milestones, note=note, data=data, title=title)
        return res.transitions[0]

    async def fail(self, session: AsyncSession, actor: Actor, record_ids: list[int], *, stage: str, step: str,
                   code: str = "", note: str = "", final: bool = False) -> Transition:
        """Mark the records failed at ``step`` with the manual's status (e.g. 发展条件-不通过)."""
        step_def = self.registry.step(stage, step)
        declared = step_def.failure(code) if step_def else None
        if declared is None:
            declared = failure_outcome(code or f"{step_def.title if step_def else step}-不通过", final=final)
        res = await self.resolve(session, actor, stage, step, {rid: declared for rid in record_ids}, note=note)
        return res.transitions[0]

    async def redevelop(self, session: AsyncSession, actor: Actor, record_ids: list[int], *, permission: str = "") -> Transition:
        """重新发展: back to the first step of the record's stage, history kept (DEV-3)."""
        records, users = await self.load(session, actor, record_ids)
        if permission and not actor.can(permission):
            raise fail(403, "没有权限执行此操作")
        not_failed = [r.user_id for r in records if r.status != "failed"]
        if not_failed:
            raise fail(409, f"{names(users, not_failed)}当前不是不通过状态，无需重新发展")
        final = [r.user_id for r in records if r.failure_final]
        if final:
            raise fail(409, f"{names(users, final)}的“{records[0].failure_code}”为最终结果，不能重新发展")
        stages = {r.stage for r in records}
        if len(stages) != 1:
            raise fail(409, "请选择处于同一阶段的人员重新发展")
        stage = stages.pop()
        first = self.registry.first_step(stage)
        return await self._return_failed(session, actor, records, users, stage, first, "redevelop", "redeveloped",
                                         f"重新发展，回到{STAGE_TITLES[stage]}阶段初始环节", "xf_redeveloped")

    async def revote(self, session: AsyncSession, actor: Actor, record_ids: list[int], *, permission: str = "") -> Transition:
        """重新流转表决: a non-final failure whose outcome declares ``revote_to`` goes back to that step."""
        records, users = await self.load(session, actor, record_ids)
        if permission and not actor.can(permission):
            raise fail(403, "没有权限执行此操作")
        targets = set()
        for r in records:
            step_def = self.registry.step(r.stage, r.step) if r.status == "failed" and not r.failure_final else None
            to_step = step_def.revote_target(r.failure_code) if step_def else ""
            if not to_step:
                raise fail(409, f"{users[r.user_id].name}当前的状态不能重新流转表决")
            targets.add((r.stage, to_step))
        if len(targets) != 1:
            raise fail(409, "请选择处于同一环节的人员重新流转表决")
        stage, to_step = targets.pop()
        return await self._return_failed(session, actor, records, users, stage, to_step, "reflow", "reflowed",
                                         f"重新流转表决，回到“{self.registry.step_title(stage, to_step)}”", "xf_reflowed")

    async def _return_failed(self, session, actor, records, users, stage, to_step, action, event, title, hook) -> Transition:
        now = utcnow()
        t = Transition(action, stage, records[0].step, stage, to_step, records, users, actor, now)
        from_steps = {r.id: r.step for r in records}
        await guarded_update(session, records, users, where_status="failed", step=to_step, status="active",
                             failure_code="", failure_final=False, step_entered_at=now, updated_at=now)
        await task_store.create_for(session, records, stage, self.registry.step(stage, to_step), now)
        await insert_events(session, [event_row(actor, r, stage=stage, step=from_steps[r.id], action=event, title=title,
                                                note="", now=now) for r in records])
        await self.plugins.run(hook, session=session, transition=t)
        await self.plugins.run("xf_step_entered", session=session, transition=t)
        return t

    async def note(self, session: AsyncSession, actor: Actor, records: list[DevelopmentRecord], *, action: str,
                   title: str, note: str = "", role: str = "") -> None:
        """Append a timeline line without moving (a submission, a withdrawal, a schedule...).
        ``role``: the capacity the actor acts in when their roles do not say it (谈话人)."""
        now = utcnow()
        await insert_events(session, [event_row(actor, r, stage=r.stage, step=r.step, action=action, title=title,
                                                note=note, now=now, role=role) for r in records])

    # --- tasks ------------------------------------------------------------------------

    async def complete_tasks(self, session: AsyncSession, actor: Actor, records: list[DevelopmentRecord], *, key: str,
                             period: int | None = None, source: tuple[str, Mapping[int, int] | int | None] = ("", None),
                             users: dict[int, User] | None = None) -> dict[int, Task]:
        """Mark each record's earliest open ``key`` task at its current step done (one UPDATE);
        records of an ``auto_advance`` step whose last required task this was move on."""
        found = await task_store.first_open(session, records, key, period)
        users = users or {}
        missing = [r for r in records if r.id not in found]
        if missing:
            who = "、".join(users[r.user_id].name if r.user_id in users else str(r.id) for r in missing)
            raise fail(409, f"以下人员没有待完成的该项任务：{who}")
        kind, ids = source
        now = utcnow()
        from sqlalchemy import bindparam

        table = Task.__table__
        await session.execute(
            table.update().where(table.c.id == bindparam("tid"), table.c.status == "open")
            .values(status="done", done_at=now, done_by=actor.id, source_type=kind, source_id=bindparam("sid")),
            [{"tid": t.id, "sid": ids.get(rid) if isinstance(ids, Mapping) else ids} for rid, t in found.items()])
        await self._auto_advance(session, actor, records)
        return found

    async def _auto_advance(self, session: AsyncSession, actor: Actor, records: list[DevelopmentRecord]) -> None:
        by_step: dict[tuple[str, str], list[DevelopmentRecord]] = {}
        for r in records:
            step_def = self.registry.step(r.stage, r.step)
            if step_def is not None and step_def.auto_advance and r.status == "active":
                by_step.setdefault((r.stage, r.step), []).append(r)
        for (stage, step), group in by_step.items():
            still = await task_store.open_required(session, [r.id for r in group], stage, step)
            ready = [r.id for r in group if r.id not in still]
            if ready:
                await self.resolve(session, actor, stage, step, {rid: "advance" for rid in ready}, permission=False,
                                   title="任务已全部完成，自动进入下一环节")

    # --- helpers ----------------------------------------------------------------------

    def check_position(self, records, users, stage: str, step: str) -> None:
        """Refuse (409) when any record is not active at ``stage``/``step``, naming where each one is."""
        wrong = [r for r in records if r.stage != stage or r.step != step or r.status != "active"]
        if wrong:
            parts = []
            for r in wrong:
                where = f"{STAGE_TITLES.get(r.stage, r.stage)}-{self.registry.step_title(r.stage, r.step)}"
                if r.status == "failed":
                    where = r.failure_code
                elif r.status == "done":
                    where = "已完成发展"
                parts.append(f"{users[r.user_id].name}（当前：{where}）")
            wanted = self.registry.step_title(stage, step)
            raise fail(409, f"以下人员不在“{wanted}”环节，不能执行此操作：{'、'.join(parts)}")
