"""The asking person's own development record, read once per to-do list (issue 11).

Some fifty components of the configured stages each bring to-dos, and most of them start
with "is the person's own record at my step?" or "has this person any row in my table?".
Asked separately, that was one statement per component on every ``GET /api/mp/v1/todos``,
for an answer that is "no" for almost all of them. ``Kit.todo_items`` opens a ``reading``
for the length of one to-do list: the first component to ask reads, in ONE statement, where
the record is (``dev_record.user_id`` is unique) and whether the person has a row in each
table a component registered with ``probe`` (an indexed EXISTS each); every other component
gets its answer from there, loading the whole record (through the session's identity map)
only at its own step, and skipping its own query when the probe says there is nothing.
Outside a reading each call reads afresh and ``may_have`` says yes, so a component asked
on its own behaves as before.
"""
from __future__ import annotations

from contextlib import asynccontextmanager
from typing import Callable

from sqlalchemy import bindparam, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from core.workflow.models import DevelopmentRecord

_KEY = "xf_own_record"
# name -> a function building an EXISTS over the rows of the person ``bindparam("user_id")``.
_PROBES: dict[str, Callable[[], ColumnElement]] = {}
_BUILT: list = [(), None]


def probe(name: str, exists: Callable[[], ColumnElement]) -> None:
    """Register ``exists`` (called once, returning an indexed EXISTS over the rows of the
    person ``bindparam("user_id")``) to be read with the person's record; ``may_have(name)``
    answers it. Called at import of the module that needs it."""
    _PROBES.setdefault(name, exists)


def _statement():
    """(id, stage, step, status) of the record (NULLs when there is none) and each probe, as one row."""
    if _BUILT[0] != tuple(_PROBES):
        one = select(literal(1).label("one")).subquery()
        _BUILT[:] = [tuple(_PROBES), (
            select(DevelopmentRecord.id, DevelopmentRecord.stage, DevelopmentRecord.step, DevelopmentRecord.status,
                   *[build().label(f"has_{name}") for name, build in _PROBES.items()])
            .select_from(one).outerjoin(DevelopmentRecord, DevelopmentRecord.user_id == bindparam("user_id")))]
    return _BUILT[1]


async def _row(session: AsyncSession, user_id: int):
    kept = session.info.get(_KEY)
    if kept is not None and user_id in kept:
        return kept[user_id]
    row = (await (await session.connection()).execute(_statement(), {"user_id": user_id})).one()
    if kept is not None:
        kept[user_id] = row
    return row


async def may_have(session: AsyncSession, user_id: int, name: str) -> bool:
    """Whether the person may have rows of probe ``name``: its answer within a reading, else yes."""
    if session.info.get(_KEY) is None or name not in _PROBES:
        return True
    return bool(getattr(await _row(session, user_id), f"has_{name}"))


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
    row = await _row(session, user_id)
    return None if row.id is None else row


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
