"""Baseline of the messaging plugin: its tables as release 0.1.0 (commit 7ed1f47) created them.

A database made by that release's create_all already has these tables: the upgrade stamps
this revision instead of running it (ADOPT_TABLES, core/migrate.py).

Revision ID: messaging_0001
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = 'messaging_0001'
down_revision = None
branch_labels = ('messaging',)
depends_on = None

ADOPT_TABLES = (
    'xf_message',
)


def upgrade() -> None:
    op.create_table('xf_message',
    sa.Column('sender_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.String(length=4000), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('seen_from', sa.DateTime(), nullable=True),
    sa.Column('seen_last', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('recipient_id', 'dedupe_key', name='uq_xf_message_recipient_key')
    )
    op.create_index('ix_xf_message_inbox', 'xf_message', ['recipient_id', 'read_at', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_xf_message_inbox', table_name='xf_message')
    op.drop_table('xf_message')
