"""The only code that moves a development record (DEV-1, DEV-3, DEV-4).

Every move checks order (the record is at the step the caller names), scope (the actor
reaches the person), permission (the step's key), guards (``xf_guard``) and staleness (the
UPDATE only matches records still at that step; a concurrent winner leaves the loser a
409). Batches run in the caller's transaction with a constant number of SQL statements.
After a move the engine fires ``xf_step_completed`` / ``xf_step_entered`` /
``xf_step_failed`` / ``xf_redeveloped`` so other plugins (messaging, to-do lists, third
parties) react without the stage plugins knowing them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from core.auth import Actor, user_in_scope
from core.errors import fail
from core.models import User, utcnow
from core.workflow.models import DevelopmentEvent, DevelopmentRecord
from core.workflow.stages import STAGE_TITLES, StageRegistry

ROLE_LABELS = {"admin": "系统管理员", "committee": "学院党委", "branch_admin": "党支部管理员", "student": "学生"}
# Failures after which the person cannot be re-developed (PRO-8: 不同意转正).
FINAL_FAILURES = {"支部大会-不同意转正"}


@dataclass
class GuardResult:
    user_id: int
    level: str  # refuse | warn
    rule: str
    message: str


@dataclass
class Transition:
    """What is happening, handed to guards and to the after-move hooks."""

    action: str  # start | advance | fail | redevelop
    stage: str
    step: str
    to_stage: str
    to_step: str
    records: list[DevelopmentRecord]
    users: dict[int, User]
    actor: Actor
    now: datetime
    note: str = ""
    failure_code: str = ""
    # Milestone dates this move sets, per user id: {"applied_at": date, ...}
    milestones: dict[int, dict[str, date]] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    warnings: list[GuardResult] = field(default_factory=list)
    settings: Any = None


def actor_role(actor: Actor) -> str:
    for key in ("admin", "committee", "branch_admin", "student"):
        if key in actor.role_keys:
            return ROLE_LABELS[key]
    return next(iter(actor.role_keys), "")


def _names(users: dict[int, User], ids) -> str:
    return "、".join(users[i].name or users[i].username for i in ids if i in users)


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

    async def _guard(self, session: AsyncSession, t: Transition) -> None:
        t.settings = self.settings
        results: list[GuardResult] = []
        for coro in self.plugins.hook.xf_guard(session=session, transition=t):
            results.extend(await coro or [])
        refusals = [r for r in results if r.level == "refuse"]
        if refusals:
            text = "；".join(f"{t.users[r.user_id].name}：{r.message}" if r.user_id in t.users else r.message for r in refusals)
            raise fail(409, text, refusals=[r.__dict__ for r in refusals])
        t.warnings = [r for r in results if r.level == "warn"]

    # --- moves ------------------------------------------------------------------------

    async def start(self, session: AsyncSession, actor: Actor, users: list[User], *, stage: str = "applicant",
                    note: str = "", milestones: dict[int, dict[str, date]] | None = None, title: str = "") -> list[DevelopmentRecord]:
        """Open a development record at the stage's first step for each user."""
        existing = (await session.execute(
            select(DevelopmentRecord.user_id).where(DevelopmentRecord.user_id.in_([u.id for u in users])))).scalars().all()
        if existing:
            by = {u.id: u for u in users}
            raise fail(409, f"{_names(by, existing)}已提交过入党申请，不能重复申请")
        now = utcnow()
        first = self.registry.first_step(stage)
        records = [DevelopmentRecord(user_id=u.id, stage=stage, step=first, step_entered_at=now) for u in users]
        t = Transition("start", stage, "", stage, first, records, {u.id: u for u in users}, actor, now, note,
                       milestones=milestones or {})
        await self._guard(session, t)
        for r in records:
            r.milestones = _iso(t.milestones.get(r.user_id, {}))
            r.warnings = [w.message for w in t.warnings if w.user_id == r.user_id]
        session.add_all(records)
        await session.flush()
        await self._events(session, t, "started", title or f"进入{STAGE_TITLES[stage]}阶段")
        await self.plugins.run("xf_step_entered", session=session, transition=t)
        return records

    async def advance(self, session: AsyncSession, actor: Actor, record_ids: list[int], *, stage: str, step: str,
                      note: str = "", milestones: dict[int, dict[str, date]] | None = None, data: dict | None = None,
                      title: str = "") -> Transition:
        """Complete ``step`` for every record and move each to the next step (or stage)."""
        records, users = await self.load(session, actor, record_ids)
        self.check_position(records, users, stage, step)
        step_def = self.registry.step(stage, step)
        if step_def is None:
            raise fail(409, f"环节“{step}”不存在")
        if step_def.permission and not actor.can(step_def.permission):
            raise fail(403, "没有权限执行此操作")
        to_stage, to_step = self.registry.next_of(stage, step)
        now = utcnow()
        t = Transition("advance", stage, step, to_stage, to_step, records, users, actor, now, note,
                       milestones=milestones or {}, data=data or {})
        await self._guard(session, t)
        result = await session.execute(
            update(DevelopmentRecord)
            .where(DevelopmentRecord.id.in_([r.id for r in records]), DevelopmentRecord.stage == stage,
                   DevelopmentRecord.step == step, DevelopmentRecord.status == "active")
            .values(stage=to_stage, step=to_step, version=DevelopmentRecord.version + 1, step_entered_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != len(records):
            raise fail(409, "记录已被他人处理或状态已变化，请刷新后重试")
        await self._store_milestones(session, t)
        for r in records:
            _mirror(r, stage=to_stage, step=to_step, version=r.version + 1, step_entered_at=now)
        await self._events(session, t, "completed", title or f"完成“{step_def.title}”")
        await self.plugins.run("xf_step_completed", session=session, transition=t)
        await self.plugins.run("xf_step_entered", session=session, transition=t)
        return t

    async def fail(self, session: AsyncSession, actor: Actor, record_ids: list[int], *, stage: str, step: str,
                   code: str = "", note: str = "") -> Transition:
        """Mark the records failed at ``step`` with the manual's status (e.g. 发展条件-不通过)."""
        records, users = await self.load(session, actor, record_ids)
        self.check_position(records, users, stage, step)
        step_def = self.registry.step(stage, step)
        if step_def and step_def.permission and not actor.can(step_def.permission):
            raise fail(403, "没有权限执行此操作")
        code = code or (step_def.failure_code if step_def else "") or f"{step_def.title if step_def else step}-不通过"
        now = utcnow()
        t = Transition("fail", stage, step, stage, step, records, users, actor, now, note, failure_code=code)
        result = await session.execute(
            update(DevelopmentRecord)
            .where(DevelopmentRecord.id.in_([r.id for r in records]), DevelopmentRecord.stage == stage,
                   DevelopmentRecord.step == step, DevelopmentRecord.status == "active")
            .values(status="failed", failure_code=code, version=DevelopmentRecord.version + 1, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != len(records):
            raise fail(409, "记录已被他人处理或状态已变化，请刷新后重试")
        for r in records:
            _mirror(r, status="failed", failure_code=code, version=r.version + 1)
        await self._events(session, t, "failed", code)
        await self.plugins.run("xf_step_failed", session=session, transition=t)
        return t

    async def redevelop(self, session: AsyncSession, actor: Actor, record_ids: list[int], *, permission: str = "") -> Transition:
        """重新发展: back to the first step of the record's stage, history kept (DEV-3)."""
        records, users = await self.load(session, actor, record_ids)
        if permission and not actor.can(permission):
            raise fail(403, "没有权限执行此操作")
        not_failed = [r.user_id for r in records if r.status != "failed"]
        if not_failed:
            raise fail(409, f"{_names(users, not_failed)}当前不是不通过状态，无需重新发展")
        final = [r.user_id for r in records if r.failure_code in FINAL_FAILURES]
        if final:
            raise fail(409, f"{_names(users, final)}的结果为最终结果，不能重新发展")
        stages = {r.stage for r in records}
        if len(stages) != 1:
            raise fail(409, "请选择处于同一阶段的人员重新发展")
        stage = stages.pop()
        first = self.registry.first_step(stage)
        now = utcnow()
        t = Transition("redevelop", stage, "", stage, first, records, users, actor, now)
        result = await session.execute(
            update(DevelopmentRecord)
            .where(DevelopmentRecord.id.in_([r.id for r in records]), DevelopmentRecord.status == "failed")
            .values(step=first, status="active", failure_code="", version=DevelopmentRecord.version + 1,
                    step_entered_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != len(records):
            raise fail(409, "记录已被他人处理或状态已变化，请刷新后重试")
        for r in records:
            _mirror(r, step=first, status="active", failure_code="", version=r.version + 1)
        await self._events(session, t, "redeveloped", f"重新发展，回到{STAGE_TITLES[stage]}阶段初始环节")
        await self.plugins.run("xf_redeveloped", session=session, transition=t)
        await self.plugins.run("xf_step_entered", session=session, transition=t)
        return t

    async def note(self, session: AsyncSession, actor: Actor, records: list[DevelopmentRecord], *, action: str,
                   title: str, note: str = "") -> None:
        """Append a timeline line without moving (a submission, a withdrawal, a schedule...)."""
        now = utcnow()
        await session.execute(insert(DevelopmentEvent), [
            {"record_id": r.id, "actor_id": actor.id, "actor_name": actor.user.name or actor.user.username,
             "actor_role": actor_role(actor), "stage": r.stage, "step": r.step, "action": action, "title": title,
             "note": note[:1000], "created_at": now} for r in records])

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

    async def _store_milestones(self, session: AsyncSession, t: Transition) -> None:
        if not t.milestones:
            return
        params = []
        for r in t.records:
            new = t.milestones.get(r.user_id)
            if new:
                params.append({"rid": r.id, "ms": {**(r.milestones or {}), **_iso(new)},
                               "w": (r.warnings or []) + [w.message for w in t.warnings if w.user_id == r.user_id]})
        if params:
            table = DevelopmentRecord.__table__
            await session.execute(
                table.update().where(table.c.id == bindparam("rid")).values(milestones=bindparam("ms"), warnings=bindparam("w")),
                params,
            )
            by_id = {p["rid"]: p for p in params}
            for r in t.records:
                if r.id in by_id:
                    _mirror(r, milestones=by_id[r.id]["ms"], warnings=by_id[r.id]["w"])

    async def _events(self, session: AsyncSession, t: Transition, action: str, title: str) -> None:
        role = actor_role(t.actor)
        name = t.actor.user.name or t.actor.user.username
        warn = {w.user_id: "；".join(x.message for x in t.warnings if x.user_id == w.user_id) for w in t.warnings}
        rows = [{"record_id": r.id, "actor_id": t.actor.id, "actor_name": name, "actor_role": role,
                 "stage": t.stage, "step": t.step, "action": action, "title": title,
                 "note": "；".join(x for x in (t.note, warn.get(r.user_id, "")) if x)[:1000], "created_at": t.now}
                for r in t.records]
        if t.action == "advance" and t.to_stage != t.stage:
            rows += [{**row, "stage": t.to_stage, "step": t.to_step, "action": "stage_entered",
                      "title": f"进入{STAGE_TITLES[t.to_stage]}阶段", "note": ""} for row in rows]
        await session.execute(insert(DevelopmentEvent), rows)


def _mirror(record: DevelopmentRecord, **values) -> None:
    """Show on the loaded object what a bulk UPDATE already wrote, without marking it dirty
    (otherwise the commit would flush every row a second time)."""
    for key, value in values.items():
        set_committed_value(record, key, value)


def _iso(values: dict[str, date]) -> dict[str, str]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else str(v)) for k, v in values.items()}
