"""meeting attendance and form numbers

Revision ID: core_0007
Revises: core_0006
Create Date: 2026-11-28 12:59:58.208744
"""
from alembic import op
import sqlalchemy as sa

revision = 'core_0007'
down_revision = 'core_0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dev_form_range',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('first', sa.BigInteger(), nullable=False),
    sa.Column('last', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dev_form_range', schema=None) as batch_op:
        batch_op.create_index('ix_dev_form_range_year', ['year'], unique=False)

    op.create_table('dev_meeting_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('voter', sa.Boolean(), nullable=False),
    sa.Column('subject', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('signed_in_at', sa.DateTime(), nullable=True),
    sa.Column('signed_out_at', sa.DateTime(), nullable=True),
    sa.Column('supplemented', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['dev_batch.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['xf_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('batch_id', 'user_id', name='uq_dev_meeting_attendance')
    )
    with op.batch_alter_table('dev_meeting_attendance', schema=None) as batch_op:
        batch_op.create_index('ix_dev_meeting_attendance_user', ['user_id'], unique=False)

    op.create_table('dev_form_number',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.BigInteger(), nullable=False),
    sa.Column('range_id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('assigned_by', sa.Integer(), nullable=True),
    sa.Column('assigned_at', sa.DateTime(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=True),
    sa.Column('submitted_on', sa.Date(), nullable=True),
    sa.Column('confirmed_by', sa.Integer(), nullable=True),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['range_id'], ['dev_form_range.id'], ),
    sa.ForeignKeyConstraint(['record_id'], ['dev_record.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['xf_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number', name='uq_dev_form_number_number')
    )
    with op.batch_alter_table('dev_form_number', schema=None) as batch_op:
        batch_op.create_index('ix_dev_form_number_record', ['record_id', 'status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('dev_form_number', schema=None) as batch_op:
        batch_op.drop_index('ix_dev_form_number_record')

    op.drop_table('dev_form_number')
    with op.batch_alter_table('dev_meeting_attendance', schema=None) as batch_op:
        batch_op.drop_index('ix_dev_meeting_attendance_user')

    op.drop_table('dev_meeting_attendance')
    with op.batch_alter_table('dev_form_range', schema=None) as batch_op:
        batch_op.drop_index('ix_dev_form_range_year')

    op.drop_table('dev_form_range')
