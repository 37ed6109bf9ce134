"""Entries get a mood (version 2 of the plugin); existing rows take the default.

Revision ID: guestbook_0002
Revises: guestbook_0001
"""
from alembic import op
import sqlalchemy as sa

revision = "guestbook_0002"
down_revision = "guestbook_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tp_guestbook_entry") as batch:
        batch.add_column(sa.Column("mood", sa.String(length=10), server_default="平静", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("tp_guestbook_entry") as batch:
        batch.drop_column("mood")
