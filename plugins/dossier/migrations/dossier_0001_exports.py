"""The dossier plugin's table: batch exports of 一人一档 with their progress and file.

Revision ID: dossier_0001
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = 'dossier_0001'
down_revision = None
branch_labels = ('dossier',)
depends_on = None


def upgrade() -> None:
    op.create_table('dossier_export',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=True),
    sa.Column('stage', sa.String(length=40), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('file', sa.String(length=80), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('error', sa.String(length=500), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_dossier_export_branch', 'dossier_export', ['branch_id', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_dossier_export_branch', table_name='dossier_export')
    op.drop_table('dossier_export')
