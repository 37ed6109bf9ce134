"""Guestbook entries (version 1 of the plugin). It references xf_user, so it depends on the
core baseline.

Revision ID: guestbook_0001
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = "guestbook_0001"
down_revision = None
branch_labels = ("guestbook",)
depends_on = ("core_0001",)


def upgrade() -> None:
    op.create_table("tp_guestbook_entry",
                    sa.Column("id", sa.Integer(), nullable=False),
                    sa.Column("user_id", sa.Integer(), nullable=False),
                    sa.Column("text", sa.String(length=200), nullable=False),
                    sa.Column("created_at", sa.DateTime(), nullable=True),
                    sa.ForeignKeyConstraint(["user_id"], ["xf_user.id"]),
                    sa.PrimaryKeyConstraint("id"))
    op.create_index(op.f("ix_tp_guestbook_entry_user_id"), "tp_guestbook_entry", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_tp_guestbook_entry_user_id"), table_name="tp_guestbook_entry")
    op.drop_table("tp_guestbook_entry")
