"""SQLite through aiosqlite in one thread hop per statement instead of four.

aiosqlite runs every call on the connection's own thread, and SQLAlchemy's adapter makes four
calls per statement (cursor, execute, fetchall, close). Each hop queues work for that thread,
waits for it to take the GIL and wakes the event loop through its self-pipe: under load the
hops, not SQLite, were half the event loop's time (issue 11). This connection runs the whole
statement (execute, read every row, close) as ONE call on the thread and answers the adapter's
other calls from that buffer. Nothing runs on the event loop that did not before: a statement
that waits for a lock waits on its own thread, exactly as with plain aiosqlite.

``Database`` uses it through SQLAlchemy's ``async_creator_fn`` connect argument, so the URL,
the dialect and everything above the DB-API stay the standard ``sqlite+aiosqlite``.
"""
from __future__ import annotations

import sqlite3
from collections import deque
from functools import partial
from typing import Any

import aiosqlite


def _run(conn: "OneHopConnection", sql: str, parameters: Any, many: bool) -> tuple:
    """On the connection's thread: run the statement and read everything it returns."""
    cursor = conn._conn.cursor()
    try:
        if many:
            cursor.executemany(sql, parameters)
        else:
            cursor.execute(sql, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class BufferedCursor:
    """What SQLAlchemy's aiosqlite adapter expects of an aiosqlite cursor, filled by one hop."""

    __slots__ = ("_connection", "_rows", "description", "rowcount", "lastrowid", "arraysize")

    def __init__(self, connection: "OneHopConnection"):
        self._connection = connection
        self._rows: deque = deque()
        self.description = None
        self.rowcount = -1
        self.lastrowid = None
        self.arraysize = 1

    async def _hop(self, sql: str, parameters: Any, many: bool) -> "BufferedCursor":
        self.description, rows, self.rowcount, self.lastrowid = await self._connection._execute(
            _run, self._connection, sql, parameters, many)
        self._rows = deque(rows)
        return self

    async def execute(self, sql: str, parameters: Any = ()) -> "BufferedCursor":
        return await self._hop(sql, parameters, False)

    async def executemany(self, sql: str, parameters: Any) -> "BufferedCursor":
        return await self._hop(sql, parameters, True)

    async def fetchone(self):
        return self._rows.popleft() if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list:
        n = min(size or self.arraysize, len(self._rows))
        return [self._rows.popleft() for _ in range(n)]

    async def fetchall(self) -> list:
        rows = list(self._rows)
        self._rows.clear()
        return rows

    async def close(self) -> None:
        self._rows.clear()


class OneHopConnection(aiosqlite.Connection):
    # Whether SQLite had a transaction open after the last call on the thread. Only calls on
    # that thread change it, and each is awaited before the next, so reading it between calls
    # is exact.
    _in_transaction = False

    def _tracked(self, function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        finally:
            try:
                self._in_transaction = self._connection is not None and self._connection.in_transaction
            except sqlite3.ProgrammingError:  # closed
                self._in_transaction = False

    async def _execute(self, fn, *args, **kwargs):
        return await super()._execute(self._tracked, fn, *args, **kwargs)

    async def cursor(self) -> BufferedCursor:  # type: ignore[override]
        """No hop: the cursor lives only in the buffer until ``execute``."""
        return BufferedCursor(self)

    async def commit(self) -> None:
        """sqlite3 does nothing outside a transaction, so neither do we: no hop. Reads run
        without one (pysqlite begins only before writes), so a read-only request that SQLAlchemy
        ends with a rollback costs no hop for it."""
        if self._in_transaction:
            await super().commit()

    async def rollback(self) -> None:
        if self._in_transaction:
            await super().rollback()


def connect(database: str, iter_chunk_size: int = 64, **kwargs: Any) -> OneHopConnection:
    """``aiosqlite.connect`` with the one-hop connection (SQLAlchemy's ``async_creator_fn``)."""
    connection = OneHopConnection(partial(sqlite3.connect, str(database), **kwargs), iter_chunk_size)
    connection._thread.daemon = True  # as SQLAlchemy does for its own aiosqlite connections
    return connection
