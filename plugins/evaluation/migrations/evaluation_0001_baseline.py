"""Baseline of the evaluation plugin: its tables as release 0.1.0 (commit 7ed1f47) created them.

A database made by that release's create_all already has these tables: the upgrade stamps
this revision instead of running it (ADOPT_TABLES, core/migrate.py).

Revision ID: evaluation_0001
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = 'evaluation_0001'
down_revision = None
branch_labels = ('evaluation',)
depends_on = None

ADOPT_TABLES = (
    'ev_branch_result',
    'ev_period',
    'ev_record',
    'ev_result',
    'ev_year',
)


def upgrade() -> None:
    op.create_table('ev_year',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_ev_year_name'), 'ev_year', ['name'], unique=True)
    op.create_table('ev_period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('sort', sa.Integer(), nullable=False),
    sa.Column('metrics', sa.JSON(), nullable=False),
    sa.Column('record_count', sa.Integer(), nullable=False),
    sa.Column('data_version', sa.Integer(), nullable=False),
    sa.Column('report_version', sa.Integer(), nullable=True),
    sa.Column('generated_at', sa.DateTime(), nullable=True),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['year_id'], ['ev_year.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('year_id', 'name')
    )
    op.create_index(op.f('ix_ev_period_published'), 'ev_period', ['published'], unique=False)
    op.create_index(op.f('ix_ev_period_year_id'), 'ev_period', ['year_id'], unique=False)
    op.create_table('ev_branch_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('training_type', sa.String(length=4), nullable=False),
    sa.Column('member_count', sa.Integer(), nullable=False),
    sa.Column('top_count', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('prev_rank', sa.Integer(), nullable=True),
    sa.Column('metrics', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['period_id'], ['ev_period.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('period_id', 'branch_id')
    )
    op.create_index(op.f('ix_ev_branch_result_branch_id'), 'ev_branch_result', ['branch_id'], unique=False)
    op.create_index(op.f('ix_ev_branch_result_period_id'), 'ev_branch_result', ['period_id'], unique=False)
    op.create_table('ev_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('student_no', sa.String(length=32), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('training_type', sa.String(length=4), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('v1', sa.Float(), nullable=True),
    sa.Column('v2', sa.Float(), nullable=True),
    sa.Column('v3', sa.Float(), nullable=True),
    sa.Column('v4', sa.Float(), nullable=True),
    sa.Column('v5', sa.Float(), nullable=True),
    sa.Column('v6', sa.Float(), nullable=True),
    sa.Column('v7', sa.Float(), nullable=True),
    sa.Column('v8', sa.Float(), nullable=True),
    sa.Column('v9', sa.Float(), nullable=True),
    sa.Column('v10', sa.Float(), nullable=True),
    sa.Column('v11', sa.Float(), nullable=True),
    sa.Column('v12', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['period_id'], ['ev_period.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('period_id', 'user_id')
    )
    op.create_table('ev_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('training_type', sa.String(length=4), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('student_no', sa.String(length=32), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('college_rank', sa.Integer(), nullable=False),
    sa.Column('branch_rank', sa.Integer(), nullable=False),
    sa.Column('prev_college_rank', sa.Integer(), nullable=True),
    sa.Column('prev_branch_rank', sa.Integer(), nullable=True),
    sa.Column('v1', sa.Float(), nullable=True),
    sa.Column('v2', sa.Float(), nullable=True),
    sa.Column('v3', sa.Float(), nullable=True),
    sa.Column('v4', sa.Float(), nullable=True),
    sa.Column('v5', sa.Float(), nullable=True),
    sa.Column('v6', sa.Float(), nullable=True),
    sa.Column('v7', sa.Float(), nullable=True),
    sa.Column('v8', sa.Float(), nullable=True),
    sa.Column('v9', sa.Float(), nullable=True),
    sa.Column('v10', sa.Float(), nullable=True),
    sa.Column('v11', sa.Float(), nullable=True),
    sa.Column('v12', sa.Float(), nullable=True),
    sa.Column('c1', sa.Integer(), nullable=True),
    sa.Column('c2', sa.Integer(), nullable=True),
    sa.Column('c3', sa.Integer(), nullable=True),
    sa.Column('c4', sa.Integer(), nullable=True),
    sa.Column('c5', sa.Integer(), nullable=True),
    sa.Column('c6', sa.Integer(), nullable=True),
    sa.Column('c7', sa.Integer(), nullable=True),
    sa.Column('c8', sa.Integer(), nullable=True),
    sa.Column('c9', sa.Integer(), nullable=True),
    sa.Column('c10', sa.Integer(), nullable=True),
    sa.Column('c11', sa.Integer(), nullable=True),
    sa.Column('c12', sa.Integer(), nullable=True),
    sa.Column('b1', sa.Integer(), nullable=True),
    sa.Column('b2', sa.Integer(), nullable=True),
    sa.Column('b3', sa.Integer(), nullable=True),
    sa.Column('b4', sa.Integer(), nullable=True),
    sa.Column('b5', sa.Integer(), nullable=True),
    sa.Column('b6', sa.Integer(), nullable=True),
    sa.Column('b7', sa.Integer(), nullable=True),
    sa.Column('b8', sa.Integer(), nullable=True),
    sa.Column('b9', sa.Integer(), nullable=True),
    sa.Column('b10', sa.Integer(), nullable=True),
    sa.Column('b11', sa.Integer(), nullable=True),
    sa.Column('b12', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['period_id'], ['ev_period.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('period_id', 'user_id')
    )
    op.create_index('ix_ev_result_period_branch', 'ev_result', ['period_id', 'branch_id'], unique=False)
    op.create_index('ix_ev_result_user', 'ev_result', ['user_id', 'period_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_ev_result_user', table_name='ev_result')
    op.drop_index('ix_ev_result_period_branch', table_name='ev_result')
    op.drop_table('ev_result')
    op.drop_table('ev_record')
    op.drop_index(op.f('ix_ev_branch_result_period_id'), table_name='ev_branch_result')
    op.drop_index(op.f('ix_ev_branch_result_branch_id'), table_name='ev_branch_result')
    op.drop_table('ev_branch_result')
    op.drop_index(op.f('ix_ev_period_year_id'), table_name='ev_period')
    op.drop_index(op.f('ix_ev_period_published'), table_name='ev_period')
    op.drop_table('ev_period')
    op.drop_index(op.f('ix_ev_year_name'), table_name='ev_year')
    op.drop_table('ev_year')
