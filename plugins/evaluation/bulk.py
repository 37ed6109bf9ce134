"""Bulk insert of thousands of rows: one DBAPI ``executemany`` with plain tuples.

SQLAlchemy's ORM (and, to a lesser degree, Core ``insert()``) processes every row and every bound
value in Python; for 10,000 imported rows or report rows that is most of the request time. Here
the statement is written once in the dialect's own parameter style and the rows go to the driver
as they are, so values must already be what the driver takes (str, int, float, None; datetimes
through :func:`bind_value`).
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Any, Iterator, Sequence

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession


def _param_marks(paramstyle: str, n: int) -> str:
    if paramstyle == "qmark":
        return ", ".join("?" * n)
    if paramstyle in ("numeric_dollar",):
        return ", ".join(f"${i}" for i in range(1, n + 1))
    if paramstyle == "numeric":
        return ", ".join(f":{i}" for i in range(1, n + 1))
    if paramstyle == "format":
        return ", ".join(["%s"] * n)
    raise ValueError(f"parameter style {paramstyle} is not supported by bulk insert")


async def insert_rows(session: AsyncSession, table: Table, columns: Sequence[str], rows: list[tuple]) -> None:
    """``INSERT INTO table (columns) VALUES (...)`` for every tuple of ``rows``, in the session's transaction."""
    if not rows:
        return
    conn = await session.connection()

    def work(sync_conn) -> None:
        dialect = sync_conn.dialect
        if dialect.paramstyle == "pyformat":  # e.g. psycopg: fall back to Core, still one executemany
            sync_conn.execute(table.insert(), [dict(zip(columns, r)) for r in rows])
            return
        quote = dialect.identifier_preparer.quote
        sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
               f"VALUES ({_param_marks(dialect.paramstyle, len(columns))})")
        sync_conn.exec_driver_sql(sql, rows)

    await conn.run_sync(work)


async def bind_value(session: AsyncSession, table: Table, column: str, value: Any) -> Any:
    """``value`` as the driver receives it for ``table.column`` (e.g. a datetime as SQLite text)."""
    conn = await session.connection()
    process = table.c[column].type.bind_processor(conn.dialect)
    return process(value) if process else value


_gc_depth = 0
_gc_was_enabled = True


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector around a burst of allocations (10,000 spreadsheet rows,
    result tuples): with a large application heap, the full collections these bursts trigger cost
    more than the work itself. Reference counting still frees everything; collection resumes after.
    Nested or concurrent uses re-enable the collector only when the outermost one ends."""
    global _gc_depth, _gc_was_enabled
    if _gc_depth == 0:
        _gc_was_enabled = gc.isenabled()
    _gc_depth += 1
    gc.disable()
    try:
        yield
    finally:
        _gc_depth -= 1
        if _gc_depth == 0 and _gc_was_enabled:
            gc.enable()
