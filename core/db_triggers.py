"""Database triggers that keep derived values exact whoever writes (admin pages, seeds, the
CLI, plain SQL), in the writing transaction, on SQLite and PostgreSQL:

- ``xf_acl_version.version`` moves on every change to ``xf_role`` or ``xf_role_permission``:
  each process's role cache (core/role_cache.py) reloads when it sees a new value.
- ``xf_row_count['live_users']`` follows the number of users not deleted: the admin user
  list's unfiltered total (plugins/user_mgmt/users.py) without counting the table.

The migration that created them (core_0004) holds a frozen copy of this DDL. On SQLite a batch
migration that copies ``xf_user``, ``xf_role`` or ``xf_role_permission`` drops its triggers,
so ``ensure`` recreates missing ones at every start and recounts what they maintain.
PostgreSQL keeps triggers through ALTER TABLE.
"""
from __future__ import annotations

from sqlalchemy import text

ACL_TABLES = ("xf_role", "xf_role_permission")
ACL_BUMP = "UPDATE xf_acl_version SET version = version + 1 WHERE id = 1"
LIVE_USERS = "UPDATE xf_row_count SET n = n {} 1 WHERE name = 'live_users'"
RECOUNT_LIVE_USERS = ("UPDATE xf_row_count SET n = (SELECT count(*) FROM xf_user WHERE deleted_at IS NULL) "
                      "WHERE name = 'live_users'")

SQLITE = {
    **{f"{table}_acl_{event}": f"CREATE TRIGGER IF NOT EXISTS {table}_acl_{event} AFTER {event.upper()} ON {table} "
                               f"BEGIN {ACL_BUMP}; END"
       for table in ACL_TABLES for event in ("insert", "update", "delete")},
    "xf_user_count_insert": "CREATE TRIGGER IF NOT EXISTS xf_user_count_insert AFTER INSERT ON xf_user "
                            f"WHEN NEW.deleted_at IS NULL BEGIN {LIVE_USERS.format('+')}; END",
    "xf_user_count_delete": "CREATE TRIGGER IF NOT EXISTS xf_user_count_delete AFTER DELETE ON xf_user "
                            f"WHEN OLD.deleted_at IS NULL BEGIN {LIVE_USERS.format('-')}; END",
    "xf_user_count_deleted": "CREATE TRIGGER IF NOT EXISTS xf_user_count_deleted AFTER UPDATE OF deleted_at ON xf_user "
                             f"WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL BEGIN {LIVE_USERS.format('-')}; END",
    "xf_user_count_restored": "CREATE TRIGGER IF NOT EXISTS xf_user_count_restored AFTER UPDATE OF deleted_at ON xf_user "
                              f"WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL BEGIN {LIVE_USERS.format('+')}; END",
}


async def ensure(engine) -> None:
    """Recreate missing SQLite triggers (a single read when they are all there)."""
    if engine.dialect.name != "sqlite":
        return
    async with engine.connect() as conn:
        names = set((await conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))).scalars())
    missing = [name for name in SQLITE if name not in names]
    if not missing:
        return
    async with engine.begin() as conn:
        for name in missing:
            await conn.execute(text(SQLITE[name]))
        await conn.execute(text(RECOUNT_LIVE_USERS))
        await conn.execute(text(ACL_BUMP))
