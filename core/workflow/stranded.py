"""Nothing stranded: records placed on a valid step at start-up (engine v2).

Two ways a record can stand where no step is: it entered a stage before the stage's plugin
was enabled (it waits at step ``""``), or it stands at a step whose plugin was disabled
later. At start-up each such active record goes to the first step of its stage that it has
not completed since it entered the stage (read from its timeline, so re-enabling a plugin
does not make people redo what they finished), or to ``""`` while the stage has no steps;
a timeline line says what happened.
"""
from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import User, utcnow
from core.workflow import tasks as task_store
from core.workflow.models import DevelopmentEvent, DevelopmentRecord
from core.workflow.stages import STAGE_ORDER
from core.workflow.transitions import Transition
from core.workflow.writes import event_row, guarded_update, insert_events

RESTART = ("started", "stage_entered", "redeveloped")


async def place_stranded(engine, session: AsyncSession) -> int:
    """Place every stranded active record; returns how many moved."""
    from core.workflow.engine import system_actor

    registry = engine.registry
    conds = []
    for key in STAGE_ORDER:
        keys = [s.key for s in registry.stage(key).steps]
        conds.append(and_(DevelopmentRecord.stage == key,
                          DevelopmentRecord.step.notin_(keys) if keys else DevelopmentRecord.step != ""))
    records = list((await session.execute(select(DevelopmentRecord).where(
        DevelopmentRecord.status == "active", or_(*conds)))).scalars())
    if not records:
        return 0
    done: dict[int, set[str]] = {r.id: set() for r in records}
    stage_of = {r.id: r.stage for r in records}
    for rid, stage, step, action in (await session.execute(
            select(DevelopmentEvent.record_id, DevelopmentEvent.stage, DevelopmentEvent.step, DevelopmentEvent.action)
            .where(DevelopmentEvent.record_id.in_(list(done))).order_by(DevelopmentEvent.id))).all():
        if stage != stage_of[rid]:
            continue
        if action in RESTART:
            done[rid] = set()
        elif action == "completed":
            done[rid].add(step)
    users = {u.id: u for u in (await session.execute(
        select(User).where(User.id.in_([r.user_id for r in records])))).scalars()}
    groups: dict[tuple[str, str, str], list[DevelopmentRecord]] = {}
    for r in records:
        keys = [s.key for s in registry.stage(r.stage).steps]
        target = next((k for k in keys if k not in done[r.id]), keys[-1] if keys else "")
        groups.setdefault((r.stage, r.step, target), []).append(r)
    actor, now = system_actor(), utcnow()
    rows = []
    for (stage, old, target), group in groups.items():
        await guarded_update(session, group, users, step=target, step_entered_at=now, updated_at=now)
        await task_store.create_for(session, group, stage, registry.step(stage, target), now)
        if target:
            title = f"环节调整：原环节“{old or '待开始'}”已停用或新启用，进入“{registry.step_title(stage, target)}”"
        else:
            title = f"环节调整：原环节“{old}”已停用，等待本阶段启用后继续"
        rows += [event_row(actor, r, stage=stage, step=target, action="placed", title=title, note="", now=now) for r in group]
        t = Transition("place", stage, old, stage, target, group, {r.user_id: users[r.user_id] for r in group}, actor, now)
        if target:
            await engine.plugins.run("xf_step_entered", session=session, transition=t)
    await insert_events(session, rows)
    return len(records)
