"""Issue 11: reads run without a transaction around them (no BEGIN/ROLLBACK round trips on
PostgreSQL, as pysqlite always did on SQLite); anything that needs a transaction gets one.

Observed from another connection on the suite's database: a session that has only read holds
nothing open; once it writes, its transaction stays open (and its rows invisible to others)
until COMMIT. On PostgreSQL the session's backend is 'idle' versus 'idle in transaction'; on
SQLite a full WAL checkpoint can run versus is blocked by the open write.
"""
import contextlib
import sqlite3

from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from core.models import LoginAttempt
from core.pg_driver import plain_read
from tests.conftest import unique


async def _open_elsewhere(db, pid) -> bool:
    """Whether the session (PostgreSQL backend ``pid``) has a transaction open, seen by another
    connection."""
    if db.engine.dialect.name == "postgresql":
        async with db.engine.connect() as other:
            state = (await other.execute(text("SELECT state FROM pg_stat_activity WHERE pid = :p"), {"p": pid})).scalar_one()
            return state == "idle in transaction"
    # SQLite: a full checkpoint waits for every reader and writer; a connection of its own with
    # a short busy timeout says at once whether one is there.
    with contextlib.closing(sqlite3.connect(make_url(db.settings.database_url).database, timeout=0.1)) as other:
        busy, _, _ = other.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return bool(busy)


def test_reads_hold_no_transaction_and_writes_hold_theirs_until_commit(client):
    db = client.app.state.db
    name = unique("tx")

    async def scenario():
        async with db.sessionmaker() as s:
            pg = db.engine.dialect.name == "postgresql"
            pid = (await s.execute(text("SELECT pg_backend_pid()"))).scalar_one() if pg else None
            await s.execute(select(LoginAttempt.username).limit(5))
            after_read = await _open_elsewhere(db, pid)
            s.add(LoginAttempt(username=name, failures=1))
            await s.flush()
            after_write = await _open_elsewhere(db, pid)
            async with db.sessionmaker() as other:
                seen_before_commit = (await other.execute(select(LoginAttempt).where(LoginAttempt.username == name))).first()
            await s.commit()
            after_commit = await _open_elsewhere(db, pid)
            async with db.sessionmaker() as other:
                seen_after_commit = (await other.execute(select(LoginAttempt).where(LoginAttempt.username == name))).first()
                await other.execute(LoginAttempt.__table__.delete().where(LoginAttempt.username == name))
                await other.commit()
            return after_read, after_write, seen_before_commit, after_commit, seen_after_commit

    after_read, after_write, seen_before_commit, after_commit, seen_after_commit = client.portal.call(scenario)
    assert not after_read, "a read left a transaction open"
    assert after_write and seen_before_commit is None, "a write ran outside its transaction"
    assert not after_commit and seen_after_commit is not None


def test_what_needs_a_transaction_is_never_a_plain_read():
    assert plain_read("SELECT xf_user.id FROM xf_user WHERE xf_user.id = $1")
    assert plain_read("  select 1")
    for sql in ("SELECT id FROM dev_record WHERE id = $1 FOR UPDATE", "SELECT id FROM t FOR NO KEY UPDATE SKIP LOCKED",
                "select id from t for share", "SELECT id FROM t FOR KEY SHARE", "SELECT pg_advisory_xact_lock($1)",
                "SELECT set_config('app.x', 'y', true)", "SELECT nextval('xf_user_id_seq')", "SELECT txid_current()",
                "INSERT INTO t VALUES (1) RETURNING id", "WITH x AS (DELETE FROM t RETURNING id) SELECT * FROM x",
                "UPDATE t SET a = 1", "SAVEPOINT sa_savepoint_1", "SET LOCAL lock_timeout = '1s'"):
        assert not plain_read(sql), sql
