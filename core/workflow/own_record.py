"""The asking person's own development record, read once per to-do list (issue 11).

Some fifty components of the configured stages each bring to-dos, and most of them start
with "is the person's own record at my step?". Asked separately, that was one statement per
component on every ``GET /api/mp/v1/todos``, for an answer that is "no" for almost all of
them. ``Kit.todo_items`` opens a ``reading`` for the length of one to-do list: the first
component to ask reads where the record is (one light Core row, ``dev_record.user_id`` is
unique) and every other component gets it from there, loading the whole record (through the
session's identity map) only at its own step. Outside a reading each call reads afresh, so
a component asked on its own behaves as before.
"""
from __future__ import annotations

from contextlib import asynccontextmanager

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.workflow.models import DevelopmentRecord

_KEY = "xf_own_record"
_OWN = (select(DevelopmentRecord.id, DevelopmentRecord.stage, DevelopmentRecord.step, DevelopmentRecord.status)
        .where(DevelopmentRecord.user_id == bindparam("user_id")))


@asynccontextmanager
async def reading(session: AsyncSession):
    """Within the block, the first read of each person's record is kept for the others."""
    outer = session.info.get(_KEY)
    session.info[_KEY] = {} if outer is None else outer
    try:
        yield
    finally:
        if outer is None:
            session.info.pop(_KEY, None)


async def own_place(session: AsyncSession, user_id: int):
    """(id, stage, step, status) of the person's record, or None when they have none."""
    kept = session.info.get(_KEY)
    if kept is not None and user_id in kept:
        return kept[user_id]
    row = (await (await session.connection()).execute(_OWN, {"user_id": user_id})).first()
    if kept is not None:
        kept[user_id] = row
    return row


async def own_record_at(session: AsyncSession, user_id: int, stage: str, step: str,
                        status: str | None = "active") -> DevelopmentRecord | None:
    """The person's record when it stands at ``stage``/``step`` (and has ``status``; any with
    None), else None."""
    row = await own_place(session, user_id)
    if row is None or row.stage != stage or row.step != step or (status is not None and row.status != status):
        return None
    return await session.get(DevelopmentRecord, row.id)


async def own_at(session: AsyncSession, user_id: int, stage: str, step: str, status: str | None = "active") -> bool:
    """Whether the person's record stands at ``stage``/``step`` (with ``status``), without loading it."""
    row = await own_place(session, user_id)
    return row is not None and row.stage == stage and row.step == step and (status is None or row.status == status)
