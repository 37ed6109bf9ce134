"""Never reuse the id of a deleted evaluation year or period (issue 8).

SQLite hands out the highest id + 1, so deleting the newest period let the next one take its
id (and any link or bookmark to the old period showed the new one). AUTOINCREMENT makes SQLite
remember the highest id ever used. PostgreSQL sequences never reuse ids: nothing to do there.
The tables are recreated with their rows and ids (core/migrate.py turns foreign keys off for
the duration and checks them before committing).

Revision ID: evaluation_0002
Revises: evaluation_0001
"""
from alembic import op

revision = "evaluation_0002"
down_revision = "evaluation_0001"
branch_labels = None
depends_on = None

TABLES = ("ev_year", "ev_period")


def _recreate(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}):
            pass


def upgrade() -> None:
    _recreate(True)


def downgrade() -> None:
    _recreate(False)
