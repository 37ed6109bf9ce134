"""The notebook test plugin's table.

Revision ID: notebook_0001
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = "notebook_0001"
down_revision = None
branch_labels = ("notebook",)
depends_on = None


def upgrade() -> None:
    op.create_table("tp_note",
                    sa.Column("id", sa.Integer(), nullable=False),
                    sa.Column("text", sa.String(length=200), nullable=False),
                    sa.PrimaryKeyConstraint("id"))


def downgrade() -> None:
    op.drop_table("tp_note")
