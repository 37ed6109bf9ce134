"""Assignments per record (engine v2): people assigned to a record for a role, with dates —
谈话人 (talker), 培养联系人 (contact), two 入党介绍人 (introducer), a 党小组 (party_group).
Components ask "the record's introducer" here instead of keeping their own column, so a
re-assignment is seen everywhere at once (an open talk follows its new talker)."""
from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import utcnow
from core.workflow.models import Assignment

ROLE_LABELS = {"talker": "谈话人", "contact": "培养联系人", "introducer": "入党介绍人", "party_group": "党小组",
               "committee_talker": "谈话人"}


async def assign(session: AsyncSession, record_ids: list[int], role: str, *, user_ids: list[int] | None = None,
                 group_id: int | None = None, assigned_by: int | None = None) -> None:
    """Replace the current assignment(s) of ``role`` on each record (two statements for any batch):
    the previous ones end now, the new ones start now. ``user_ids`` may hold several people
    (the two introducers); ``group_id`` is for a 党小组."""
    if not record_ids:
        return
    now = utcnow()
    await session.execute(update(Assignment).where(Assignment.record_id.in_(record_ids), Assignment.role == role,
                                                   Assignment.until.is_(None))
                          .values(until=now).execution_options(synchronize_session=False))
    people = list(user_ids or []) or [None]
    await session.execute(insert(Assignment), [
        {"record_id": rid, "role": role, "user_id": uid, "group_id": group_id, "since": now, "until": None,
         "assigned_by": assigned_by} for rid in record_ids for uid in people])


async def current(session: AsyncSession, record_ids: list[int], role: str) -> dict[int, list[Assignment]]:
    """The current assignments of ``role`` per record (one statement)."""
    if not record_ids:
        return {}
    out: dict[int, list[Assignment]] = {}
    for a in (await session.execute(select(Assignment).where(
            Assignment.record_id.in_(record_ids), Assignment.role == role, Assignment.until.is_(None))
            .order_by(Assignment.record_id, Assignment.id))).scalars():
        out.setdefault(a.record_id, []).append(a)
    return out


def assigned_records(user_id: int, role: str):
    """SQL: the record ids ``user_id`` currently holds ``role`` for (to filter a talker's list)."""
    return select(Assignment.record_id).where(Assignment.user_id == user_id, Assignment.role == role,
                                              Assignment.until.is_(None))
