"""Baseline of the org_mgmt plugin: its tables as release 0.1.0 (commit 7ed1f47) created them.

A database made by that release's create_all already has these tables: the upgrade stamps
this revision instead of running it (ADOPT_TABLES, core/migrate.py).

Revision ID: org_mgmt_0001
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = 'org_mgmt_0001'
down_revision = None
branch_labels = ('org_mgmt',)
depends_on = ('user_mgmt_0001',)

ADOPT_TABLES = (
    'org_institution_link',
    'org_organisation',
    'org_party_group',
)


def upgrade() -> None:
    op.create_table('org_organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('training_type', sa.String(length=4), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('builtin', sa.Boolean(), nullable=False),
    sa.Column('secretary', sa.String(length=64), nullable=False),
    sa.Column('description', sa.String(length=400), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['org_organisation.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_org_organisation_kind'), 'org_organisation', ['kind'], unique=False)
    op.create_index(op.f('ix_org_organisation_name'), 'org_organisation', ['name'], unique=True)
    op.create_table('org_institution_link',
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['um_institution.id'], ),
    sa.ForeignKeyConstraint(['org_id'], ['org_organisation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'institution_id')
    )
    op.create_index(op.f('ix_org_institution_link_institution_id'), 'org_institution_link', ['institution_id'], unique=False)
    op.create_table('org_party_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('leader', sa.String(length=64), nullable=False),
    sa.Column('description', sa.String(length=400), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['org_organisation.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('branch_id', 'name')
    )
    op.create_index(op.f('ix_org_party_group_branch_id'), 'org_party_group', ['branch_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_org_party_group_branch_id'), table_name='org_party_group')
    op.drop_table('org_party_group')
    op.drop_index(op.f('ix_org_institution_link_institution_id'), table_name='org_institution_link')
    op.drop_table('org_institution_link')
    op.drop_index(op.f('ix_org_organisation_name'), table_name='org_organisation')
    op.drop_index(op.f('ix_org_organisation_kind'), table_name='org_organisation')
    op.drop_table('org_organisation')
