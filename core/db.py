"""Async database engine and the session dependency shared by every plugin."""
from __future__ import annotations

from typing import Annotated, AsyncIterator

from fastapi import Depends, Request
from sqlalchemy import event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from core.settings import Settings


# (pool_size, max_overflow) per web process. SQLite: every connection is a thread of its own
# (aiosqlite), and more threads than the work needs only contend for the GIL; one writer at a
# time anyway. PostgreSQL: a server process per connection, shared by every worker.
SQLITE_POOL = (8, 8)
PG_POOL = (10, 20)


class Database:
    """One engine per app; SQLite gets WAL and foreign keys so it behaves like PostgreSQL."""

    def __init__(self, settings: Settings):
        self.settings = settings
        kwargs: dict = {"echo": settings.sql_echo}
        size, overflow = SQLITE_POOL if settings.is_sqlite else PG_POOL
        if make_url(settings.database_url).database not in (None, "", ":memory:"):  # memory: one shared connection
            kwargs.update(pool_size=settings.db_pool_size or size,
                          max_overflow=overflow if settings.db_max_overflow < 0 else settings.db_max_overflow)
        if settings.is_sqlite:
            from core import sqlite_driver

            kwargs["connect_args"] = {"timeout": 30, "async_creator_fn": sqlite_driver.connect}
        elif make_url(settings.database_url).get_driver_name() == "asyncpg":
            from core import pg_driver

            kwargs["module"] = pg_driver.dbapi
        self.engine: AsyncEngine = create_async_engine(settings.database_url, **kwargs)
        if settings.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(self.engine.sync_engine, "checkout", _replace_closed)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False, class_=AsyncSession)

    async def upgrade(self, plugins) -> bool:
        """Bring the schema to the head of every loaded branch (core/migrate.py); a cheap,
        read-only check when it is already there, so every process calls it at start."""
        from core import db_triggers, migrate

        changed = await migrate.upgrade(self.engine, plugins)
        await db_triggers.ensure(self.engine)
        return changed

    async def state(self) -> dict:
        from sqlalchemy import text

        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return {"ok": True, "dialect": self.engine.dialect.name}
        except Exception as exc:  # the health check must answer, whatever the failure
            return {"ok": False, "dialect": self.engine.dialect.name, "error": str(exc)[:200]}

    async def dispose(self) -> None:
        await self.engine.dispose()


def _replace_closed(dbapi_conn, _record, _proxy) -> None:
    """A pooled connection the database closed behind the pool's back (PostgreSQL restarted,
    an idle connection killed by an administrator) is swapped for a new one at checkout.
    asyncpg notices a closed socket by itself, so this costs no round trip, unlike SQLAlchemy's
    ``pool_pre_ping``, which spends three (BEGIN, a ping, ROLLBACK) on every request."""
    driver = dbapi_conn.driver_connection
    closed = driver.is_closed() if hasattr(driver, "is_closed") else getattr(driver, "_connection", None) is None
    if closed:
        raise exc.DisconnectionError("connection closed by the database")


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode")
    if str(cur.fetchone()[0]).lower() != "wal":
        _switch_to_wal(cur)
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _switch_to_wal(cur, attempts: int = 100) -> None:
    """Switching a new database file to WAL needs it to itself, and SQLite answers "locked" at
    once (no busy wait) when another process or engine is opening it too, as several workers
    do on a first start: retry for a few seconds. Once in WAL the mode sticks to the file."""
    import sqlite3
    import time

    for attempt in range(attempts):
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.db.sessionmaker() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]
