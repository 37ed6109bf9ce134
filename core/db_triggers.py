"""Database triggers that keep derived values exact whoever writes (admin pages, seeds, the
CLI, plain SQL), in the writing transaction, on SQLite and PostgreSQL:

- ``xf_acl_version.version`` moves on every change to ``xf_role`` or ``xf_role_permission``:
  each process's role cache (core/role_cache.py) reloads when it sees a new value.
- ``xf_row_count['live_users']`` follows the number of users not deleted: the admin user
  list's unfiltered total (plugins/user_mgmt/users.py) without counting the table.
- ``dev_talk_todo`` holds every talk once per current assignee of its role, with its record's
  stage and step: a talker's to-do list in deadline order from one index
  (core/workflow/components/talk.py ``TalkTodo``).

The migrations that created them (core_0004, core_0005) hold a frozen copy of this DDL. On
SQLite a batch migration that copies one of these tables drops its triggers, so ``ensure``
recreates missing ones at every start and recomputes what they maintain. PostgreSQL keeps
triggers through ALTER TABLE.
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

# dev_talk_todo: the rows of the talks matching ``where`` (t: dev_talk), one per current assignee.
TALK_TODO_FILL = ("INSERT OR IGNORE INTO dev_talk_todo (talk_id, user_id, record_id, role, kind, record_stage, record_step, "
                  "status, deadline) SELECT t.id, a.user_id, t.record_id, t.role, t.kind, r.stage, r.step, t.status, t.deadline "
                  "FROM dev_talk t JOIN dev_assignment a ON a.record_id = t.record_id AND a.role = t.role "
                  "AND a.until IS NULL AND a.user_id IS NOT NULL JOIN dev_record r ON r.id = t.record_id WHERE {where}")
TALK_TODO_CLEAR = "DELETE FROM dev_talk_todo WHERE {where}"


def _of_record(row: str) -> str:
    """Statements redoing the rows of one record's talks of one role (``row``: NEW or OLD)."""
    where = f"record_id = {row}.record_id AND role = {row}.role"
    return (f"{TALK_TODO_CLEAR.format(where=where)}; "
            f"{TALK_TODO_FILL.format(where=f't.record_id = {row}.record_id AND t.role = {row}.role')};")


TALK_TODO_TRIGGERS = {
    "dev_talk_todo_talk_insert": "AFTER INSERT ON dev_talk BEGIN "
                                 f"{TALK_TODO_FILL.format(where='t.id = NEW.id')}; END",
    "dev_talk_todo_talk_update": "AFTER UPDATE OF record_id, role, kind, status, deadline ON dev_talk BEGIN "
                                 f"{TALK_TODO_CLEAR.format(where='talk_id = OLD.id')}; "
                                 f"{TALK_TODO_FILL.format(where='t.id = NEW.id')}; END",
    "dev_talk_todo_talk_delete": f"AFTER DELETE ON dev_talk BEGIN {TALK_TODO_CLEAR.format(where='talk_id = OLD.id')}; END",
    "dev_talk_todo_assignment_insert": f"AFTER INSERT ON dev_assignment BEGIN {_of_record('NEW')} END",
    "dev_talk_todo_assignment_update": f"AFTER UPDATE ON dev_assignment BEGIN {_of_record('OLD')} {_of_record('NEW')} END",
    "dev_talk_todo_assignment_delete": f"AFTER DELETE ON dev_assignment BEGIN {_of_record('OLD')} END",
    "dev_talk_todo_record_step": "AFTER UPDATE OF stage, step ON dev_record BEGIN UPDATE dev_talk_todo "
                                 "SET record_stage = NEW.stage, record_step = NEW.step WHERE record_id = NEW.id; END",
}
SQLITE.update({name: f"CREATE TRIGGER IF NOT EXISTS {name} {body}" for name, body in TALK_TODO_TRIGGERS.items()})
REBUILD_TALK_TODO = (TALK_TODO_CLEAR.format(where="1 = 1"), TALK_TODO_FILL.format(where="1 = 1"))


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
        for statement in REBUILD_TALK_TODO:
            await conn.execute(text(statement))
