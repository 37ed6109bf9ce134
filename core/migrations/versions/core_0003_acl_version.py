"""role permission version for the per-process role cache

xf_acl_version holds one row whose version triggers bump on every change to xf_role and
xf_role_permission (core/role_cache.py), so each worker can cache role permissions and
still see a change on the next request. The DDL is written out here (not imported) so this
revision stays what it was when later code changes.

Revision ID: core_0003
Revises: core_0002
"""
from alembic import op
import sqlalchemy as sa

revision = 'core_0003'
down_revision = 'core_0002'
branch_labels = None
depends_on = None

TABLES = ("xf_role", "xf_role_permission")
EVENTS = ("insert", "update", "delete")
BUMP = "UPDATE xf_acl_version SET version = version + 1 WHERE id = 1"


def upgrade() -> None:
    op.create_table('xf_acl_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.execute("INSERT INTO xf_acl_version (id, version) VALUES (1, 0)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE OR REPLACE FUNCTION xf_acl_bump() RETURNS trigger LANGUAGE plpgsql AS "
                   f"$$ BEGIN {BUMP}; RETURN NULL; END $$")
        for table in TABLES:
            op.execute(f"CREATE TRIGGER {table}_acl_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION xf_acl_bump()")
    else:
        for table in TABLES:
            for event in EVENTS:
                op.execute(f"CREATE TRIGGER IF NOT EXISTS {table}_acl_{event} AFTER {event.upper()} ON {table} "
                           f"BEGIN {BUMP}; END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_acl_bump ON {table}")
        op.execute("DROP FUNCTION IF EXISTS xf_acl_bump()")
    else:
        for table in TABLES:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_acl_{event}")
    op.drop_table('xf_acl_version')
