"""core/sqlite_driver.py: one thread hop per statement must not change what SQLite does.

Writes roll back and commit as before (the skipped no-op commit/rollback never skips a real
one), errors keep their SQLAlchemy types, many-row inserts and reads of every row work, and
a statement takes exactly one call on the connection's thread.
"""
import asyncio

import pytest
from sqlalchemy import exc, insert, select, text

from core.db import Database
from core.models import LoginAttempt
from core.settings import Settings


@pytest.fixture
def db(tmp_path):
    database = Database(Settings(env="test", data_dir=tmp_path, secret_key="driver-" + "x" * 32,
                                 database_url=f"sqlite+aiosqlite:///{tmp_path / 'driver.db'}"))

    async def schema():
        async with database.engine.begin() as conn:
            await conn.run_sync(LoginAttempt.__table__.create)

    asyncio.run(schema())
    yield database
    asyncio.run(database.dispose())


def run(coro):
    return asyncio.run(coro)


def test_rollback_discards_and_commit_keeps(db):
    async def scenario():
        async with db.sessionmaker() as s:
            await s.execute(insert(LoginAttempt).values(username="gone", failures=1))
            await s.rollback()
            await s.execute(insert(LoginAttempt).values(username="kept", failures=2))
            await s.commit()
        async with db.sessionmaker() as s:
            return dict((await s.execute(select(LoginAttempt.username, LoginAttempt.failures))).all())

    assert run(scenario()) == {"kept": 2}


def test_many_rows_in_and_out_and_errors_keep_their_type(db):
    async def scenario():
        async with db.sessionmaker() as s:
            await s.execute(insert(LoginAttempt), [{"username": f"u{i:04d}", "failures": i} for i in range(1500)])
            await s.commit()
            rows = (await s.execute(select(LoginAttempt.username).order_by(LoginAttempt.username))).scalars().all()
            with pytest.raises(exc.IntegrityError):
                await s.execute(insert(LoginAttempt).values(username="u0001", failures=0))
            await s.rollback()
            with pytest.raises(exc.OperationalError):
                await s.execute(text("SELECT no_such_column FROM xf_login_attempt"))
            return rows

    rows = run(scenario())
    assert len(rows) == 1500 and rows[0] == "u0000" and rows[-1] == "u1499"


def test_one_thread_call_per_statement_and_none_to_end_a_read(db):
    async def scenario():
        async with db.engine.connect() as conn:
            raw = (await conn.get_raw_connection()).driver_connection
            calls: list[str] = []
            original = raw._execute

            async def counting(fn, *args, **kwargs):
                calls.append(getattr(fn, "__name__", repr(fn)))
                return await original(fn, *args, **kwargs)

            raw._execute = counting
            try:
                await conn.execute(select(LoginAttempt.username))
                reads = list(calls)
                await conn.rollback()  # nothing was written: no transaction to end
                after_read = list(calls)
                await conn.execute(insert(LoginAttempt).values(username="w", failures=1))
                await conn.rollback()
                after_write = list(calls)
            finally:
                raw._execute = original
            return reads, after_read, after_write

    reads, after_read, after_write = run(scenario())
    assert reads == ["_run"]
    assert after_read == reads
    assert after_write == ["_run", "_run", "rollback"]
