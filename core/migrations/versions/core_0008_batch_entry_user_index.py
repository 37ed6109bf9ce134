"""batch entry user index

Every student's to-do list asks whether the person stands in any cohort
(core/workflow/own_record.py, issue 11): an index on dev_batch_entry.user_id answers it
without scanning every cohort entry of the college. Existing rows are indexed as created.

Revision ID: core_0008
Revises: core_0007
Create Date: 2026-11-28 17:30:39.390726
"""
from alembic import op

revision = 'core_0008'
down_revision = 'core_0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('dev_batch_entry', schema=None) as batch_op:
        batch_op.create_index('ix_dev_batch_entry_user', ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('dev_batch_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_dev_batch_entry_user')
