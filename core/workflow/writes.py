"""The engine's bulk writes: one guarded UPDATE per group of records, one executemany for
milestones and one for timeline events, whatever the number of people.

The guard of every move is in the UPDATE itself: it only matches records still at the
position and version the caller loaded (``(id, version) IN (...)``) and answers the ids it
changed (RETURNING), so a concurrent winner leaves the loser a 409 that names exactly the
people somebody else moved.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, insert, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from core.errors import fail
from core.models import StudentProfile, User
from core.workflow.models import DevelopmentEvent, DevelopmentRecord

ROLE_LABELS = {"admin": "系统管理员", "committee": "学院党委", "branch_admin": "党支部管理员", "student": "学生",
               "system": "系统"}


def actor_role(actor) -> str:
    for key in ROLE_LABELS:
        if key in actor.role_keys:
            return ROLE_LABELS[key]
    return next(iter(actor.role_keys), "")


def names(users: dict[int, User], user_ids) -> str:
    return "、".join(users[i].name or users[i].username for i in user_ids if i in users)


async def guarded_update(session: AsyncSession, records: list[DevelopmentRecord], users: dict[int, User], *,
                         where_status: str = "active", **values: Any) -> None:
    """UPDATE the records still at the version, stage and step they were loaded with; 409
    naming the ones that changed meanwhile. Mirrors the new values on the loaded objects."""
    if not records:
        return
    stmt = (update(DevelopmentRecord)
            .where(tuple_(DevelopmentRecord.id, DevelopmentRecord.version).in_([(r.id, r.version) for r in records]),
                   DevelopmentRecord.status == where_status)
            .values(version=DevelopmentRecord.version + 1, **values)
            .returning(DevelopmentRecord.id)
            .execution_options(synchronize_session=False))
    done = set((await session.execute(stmt)).scalars())
    stale = [r.user_id for r in records if r.id not in done]
    if stale:
        raise fail(409, f"以下人员的记录已被他人处理或状态已变化，请刷新后重试：{names(users, stale)}")
    for r in records:
        mirror(r, version=r.version + 1, **values)


async def store_milestones(session: AsyncSession, changes: dict[int, tuple[dict, list]],
                           records: dict[int, DevelopmentRecord]) -> None:
    """One executemany: ``changes`` is {record id: (milestones, warnings)} as they should be."""
    if not changes:
        return
    table = DevelopmentRecord.__table__
    await session.execute(
        table.update().where(table.c.id == bindparam("rid")).values(milestones=bindparam("ms"), warnings=bindparam("w")),
        [{"rid": rid, "ms": ms, "w": w} for rid, (ms, w) in changes.items()])
    for rid, (ms, w) in changes.items():
        mirror(records[rid], milestones=ms, warnings=w)


async def set_political_status(session: AsyncSession, user_ids: list[int], status: str) -> None:
    if user_ids:
        await session.execute(update(StudentProfile).where(StudentProfile.user_id.in_(user_ids))
                              .values(political_status=status).execution_options(synchronize_session=False))


def event_row(actor, record: DevelopmentRecord, *, stage: str, step: str, action: str, title: str, note: str,
              now: datetime, role: str = "") -> dict:
    return {"record_id": record.id, "actor_id": actor.id, "actor_name": actor.user.name or actor.user.username,
            "actor_role": role or actor_role(actor), "stage": stage, "step": step, "action": action, "title": title[:200],
            "note": note[:1000], "created_at": now}


async def insert_events(session: AsyncSession, rows: list[dict]) -> None:
    if rows:
        await session.execute(insert(DevelopmentEvent), rows)


def mirror(record: DevelopmentRecord, **values) -> None:
    """Show on the loaded object what a bulk UPDATE already wrote, without marking it dirty
    (otherwise the commit would flush every row a second time)."""
    for key, value in values.items():
        set_committed_value(record, key, value)


def iso_dates(values: dict[str, date]) -> dict[str, str]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else str(v)) for k, v in values.items()}
