"""Baseline of the user_mgmt plugin: its tables as release 0.1.0 (commit 7ed1f47) created them.

A database made by that release's create_all already has these tables: the upgrade stamps
this revision instead of running it (ADOPT_TABLES, core/migrate.py).

Revision ID: user_mgmt_0001
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = 'user_mgmt_0001'
down_revision = None
branch_labels = ('user_mgmt',)
depends_on = None

ADOPT_TABLES = (
    'um_institution',
)


def upgrade() -> None:
    op.create_table('um_institution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('type', sa.String(length=10), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('training_type', sa.String(length=4), nullable=True),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('is_college', sa.Boolean(), nullable=False),
    sa.Column('sort', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['um_institution.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_um_institution_name'), 'um_institution', ['name'], unique=True)
    op.create_index(op.f('ix_um_institution_parent_id'), 'um_institution', ['parent_id'], unique=False)
    op.create_index(op.f('ix_um_institution_type'), 'um_institution', ['type'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_um_institution_type'), table_name='um_institution')
    op.drop_index(op.f('ix_um_institution_parent_id'), table_name='um_institution')
    op.drop_index(op.f('ix_um_institution_name'), table_name='um_institution')
    op.drop_table('um_institution')
