"""role permission version and maintained row counts (issue 11)

xf_acl_version: one row whose version triggers bump on every change to xf_role and
xf_role_permission, so each worker caches role permissions and still sees a change on the
next request (core/role_cache.py). xf_row_count['live_users']: the number of users not
deleted, kept by triggers on xf_user, so the admin user list's unfiltered total is one row
read (plugins/user_mgmt/users.py). core/db_triggers.py describes them; the DDL is written
out here so this revision stays what it was when later code changes.

Revision ID: core_0004
Revises: core_0003
"""
from alembic import op
import sqlalchemy as sa

revision = 'core_0004'
down_revision = 'core_0003'
branch_labels = None
depends_on = None

ACL_TABLES = ("xf_role", "xf_role_permission")
ACL_BUMP = "UPDATE xf_acl_version SET version = version + 1 WHERE id = 1"
LIVE = "UPDATE xf_row_count SET n = n {} {} WHERE name = 'live_users'"
SQLITE_USER_TRIGGERS = {
    "xf_user_count_insert": f"AFTER INSERT ON xf_user WHEN NEW.deleted_at IS NULL BEGIN {LIVE.format('+', 1)}; END",
    "xf_user_count_delete": f"AFTER DELETE ON xf_user WHEN OLD.deleted_at IS NULL BEGIN {LIVE.format('-', 1)}; END",
    "xf_user_count_deleted": "AFTER UPDATE OF deleted_at ON xf_user WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL "
                             f"BEGIN {LIVE.format('-', 1)}; END",
    "xf_user_count_restored": "AFTER UPDATE OF deleted_at ON xf_user WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL "
                              f"BEGIN {LIVE.format('+', 1)}; END",
}
PG_USER_COUNT = f"""
CREATE OR REPLACE FUNCTION xf_user_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {LIVE.format('+', '(SELECT count(*) FROM new_rows WHERE deleted_at IS NULL)')};
  ELSIF TG_OP = 'DELETE' THEN
    {LIVE.format('-', '(SELECT count(*) FROM old_rows WHERE deleted_at IS NULL)')};
  ELSE
    {LIVE.format('+', '(SELECT count(*) FROM new_rows WHERE deleted_at IS NULL) - (SELECT count(*) FROM old_rows WHERE deleted_at IS NULL)')};
  END IF;
  RETURN NULL;
END $$"""
PG_USER_TRIGGERS = {
    "xf_user_count_insert": "AFTER INSERT ON xf_user REFERENCING NEW TABLE AS new_rows",
    "xf_user_count_delete": "AFTER DELETE ON xf_user REFERENCING OLD TABLE AS old_rows",
    "xf_user_count_update": "AFTER UPDATE ON xf_user REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
}


def upgrade() -> None:
    op.create_table('xf_acl_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('xf_row_count',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.execute("INSERT INTO xf_acl_version (id, version) VALUES (1, 0)")
    op.execute("INSERT INTO xf_row_count (name, n) SELECT 'live_users', count(*) FROM xf_user WHERE deleted_at IS NULL")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE OR REPLACE FUNCTION xf_acl_bump() RETURNS trigger LANGUAGE plpgsql AS "
                   f"$$ BEGIN {ACL_BUMP}; RETURN NULL; END $$")
        for table in ACL_TABLES:
            op.execute(f"CREATE TRIGGER {table}_acl_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION xf_acl_bump()")
        op.execute(PG_USER_COUNT)
        for name, when in PG_USER_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {when} FOR EACH STATEMENT EXECUTE FUNCTION xf_user_count()")
    else:
        for table in ACL_TABLES:
            for event in ("insert", "update", "delete"):
                op.execute(f"CREATE TRIGGER IF NOT EXISTS {table}_acl_{event} AFTER {event.upper()} ON {table} "
                           f"BEGIN {ACL_BUMP}; END")
        for name, body in SQLITE_USER_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ACL_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_acl_bump ON {table}")
        for name in PG_USER_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON xf_user")
        op.execute("DROP FUNCTION IF EXISTS xf_acl_bump()")
        op.execute("DROP FUNCTION IF EXISTS xf_user_count()")
    else:
        for table in ACL_TABLES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_acl_{event}")
        for name in SQLITE_USER_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table('xf_row_count')
    op.drop_table('xf_acl_version')
