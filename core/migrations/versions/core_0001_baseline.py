"""Baseline of the core: its tables as release 0.1.0 (commit 7ed1f47) created them.

A database made by that release's create_all already has these tables: the upgrade stamps
this revision instead of running it (ADOPT_TABLES, core/migrate.py).

Revision ID: core_0001
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = 'core_0001'
down_revision = None
branch_labels = ('core',)
depends_on = None

ADOPT_TABLES = (
    'dev_event',
    'dev_publicity',
    'dev_publicity_entry',
    'dev_publicity_setting',
    'dev_record',
    'dev_submission',
    'dev_talk',
    'xf_file',
    'xf_login_attempt',
    'xf_outbox',
    'xf_outbox_attempt',
    'xf_permission_seen',
    'xf_role',
    'xf_role_permission',
    'xf_student_profile',
    'xf_timer',
    'xf_urge_log',
    'xf_user',
    'xf_user_role',
)


def upgrade() -> None:
    op.create_table('dev_publicity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('stage', sa.String(length=40), nullable=False),
    sa.Column('step', sa.String(length=40), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('intro', sa.String(length=2000), nullable=False),
    sa.Column('organiser', sa.String(length=100), nullable=False),
    sa.Column('contact', sa.String(length=64), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('objection', sa.String(length=200), nullable=False),
    sa.Column('working_days', sa.Integer(), nullable=False),
    sa.Column('signature_date', sa.Date(), nullable=True),
    sa.Column('start_at', sa.DateTime(), nullable=True),
    sa.Column('end_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('document_token', sa.String(length=40), nullable=True),
    sa.Column('report_token', sa.String(length=40), nullable=True),
    sa.Column('report_note', sa.String(length=1000), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('report_at', sa.DateTime(), nullable=True),
    sa.Column('completed_by', sa.Integer(), nullable=True),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_dev_publicity_kind_branch', 'dev_publicity', ['kind', 'branch_id', 'status'], unique=False)
    op.create_table('dev_publicity_setting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('intro', sa.String(length=2000), nullable=False),
    sa.Column('organiser', sa.String(length=100), nullable=False),
    sa.Column('contact', sa.String(length=64), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('objection', sa.String(length=200), nullable=False),
    sa.Column('working_days', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_dev_publicity_setting_owner', 'dev_publicity_setting', ['kind', 'branch_id'], unique=False)
    op.create_table('xf_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=40), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('subject_user_id', sa.Integer(), nullable=True),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=80), nullable=False),
    sa.Column('ext', sa.String(length=10), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_xf_file_owner_id'), 'xf_file', ['owner_id'], unique=False)
    op.create_index(op.f('ix_xf_file_subject_user_id'), 'xf_file', ['subject_user_id'], unique=False)
    op.create_index(op.f('ix_xf_file_token'), 'xf_file', ['token'], unique=True)
    op.create_table('xf_login_attempt',
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('first_failure_at', sa.DateTime(), nullable=True),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('username')
    )
    op.create_table('xf_outbox',
    sa.Column('sender_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.String(length=4000), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('channels_done', sa.String(length=200), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('claim', sa.String(length=32), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_xf_outbox_due', 'xf_outbox', ['status', 'next_attempt_at'], unique=False)
    op.create_index(op.f('ix_xf_outbox_recipient_id'), 'xf_outbox', ['recipient_id'], unique=False)
    op.create_table('xf_outbox_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=40), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.Column('error', sa.String(length=500), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_xf_outbox_attempt_outbox_id'), 'xf_outbox_attempt', ['outbox_id'], unique=False)
    op.create_table('xf_permission_seen',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('xf_role',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('description', sa.String(length=400), nullable=False),
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('builtin', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_xf_role_key'), 'xf_role', ['key'], unique=True)
    op.create_table('xf_timer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job', sa.String(length=80), nullable=False),
    sa.Column('object_ref', sa.String(length=120), nullable=False),
    sa.Column('run_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('claim', sa.String(length=32), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.Column('fired_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_xf_timer_due', 'xf_timer', ['status', 'next_attempt_at'], unique=False)
    op.create_index('ix_xf_timer_job_object', 'xf_timer', ['job', 'object_ref'], unique=False)
    op.create_table('xf_urge_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_key', sa.String(length=200), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_xf_urge_item_recipient', 'xf_urge_log', ['item_key', 'recipient_id', 'sent_at'], unique=False)
    op.create_table('xf_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('password_hash', sa.String(length=128), nullable=False),
    sa.Column('token_version', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('student_no', sa.String(length=32), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('email', sa.String(length=128), nullable=False),
    sa.Column('avatar', sa.String(length=255), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=True),
    sa.Column('party_branch_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_xf_user_institution_id'), 'xf_user', ['institution_id'], unique=False)
    op.create_index(op.f('ix_xf_user_name'), 'xf_user', ['name'], unique=False)
    op.create_index(op.f('ix_xf_user_org_id'), 'xf_user', ['org_id'], unique=False)
    op.create_index(op.f('ix_xf_user_party_branch_id'), 'xf_user', ['party_branch_id'], unique=False)
    op.create_index(op.f('ix_xf_user_student_no'), 'xf_user', ['student_no'], unique=False)
    op.create_index(op.f('ix_xf_user_username'), 'xf_user', ['username'], unique=True)
    op.create_table('dev_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=40), nullable=False),
    sa.Column('step', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('failure_code', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('step_entered_at', sa.DateTime(), nullable=False),
    sa.Column('milestones', sa.JSON(), nullable=False),
    sa.Column('warnings', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['xf_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_dev_record_stage_step', 'dev_record', ['stage', 'step', 'status'], unique=False)
    op.create_index(op.f('ix_dev_record_user_id'), 'dev_record', ['user_id'], unique=True)
    op.create_table('xf_role_permission',
    sa.Column('role_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['role_id'], ['xf_role.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('role_id', 'key')
    )
    op.create_table('xf_student_profile',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('gender', sa.String(length=4), nullable=True),
    sa.Column('ethnicity', sa.String(length=20), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('id_card', sa.String(length=18), nullable=True),
    sa.Column('native_place', sa.String(length=64), nullable=True),
    sa.Column('grade', sa.String(length=10), nullable=True),
    sa.Column('enrollment_date', sa.Date(), nullable=True),
    sa.Column('political_status', sa.String(length=20), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('complete', sa.Boolean(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('deferred_at', sa.DateTime(), nullable=True),
    sa.Column('draft', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['xf_user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id')
    )
    op.create_index(op.f('ix_xf_student_profile_complete'), 'xf_student_profile', ['complete'], unique=False)
    op.create_table('xf_user_role',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['role_id'], ['xf_role.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['xf_user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'role_id')
    )
    op.create_index(op.f('ix_xf_user_role_role_id'), 'xf_user_role', ['role_id'], unique=False)
    op.create_table('dev_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=64), nullable=False),
    sa.Column('actor_role', sa.String(length=40), nullable=False),
    sa.Column('stage', sa.String(length=40), nullable=False),
    sa.Column('step', sa.String(length=40), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['dev_record.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_dev_event_created_at'), 'dev_event', ['created_at'], unique=False)
    op.create_index(op.f('ix_dev_event_record_id'), 'dev_event', ['record_id'], unique=False)
    op.create_table('dev_publicity_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('publicity_id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=True),
    sa.Column('brief', sa.String(length=1000), nullable=False),
    sa.Column('contact', sa.String(length=64), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('sort', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['publicity_id'], ['dev_publicity.id'], ),
    sa.ForeignKeyConstraint(['record_id'], ['dev_record.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['xf_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('publicity_id', 'record_id', name='uq_dev_publicity_entry')
    )
    op.create_index(op.f('ix_dev_publicity_entry_publicity_id'), 'dev_publicity_entry', ['publicity_id'], unique=False)
    op.create_index(op.f('ix_dev_publicity_entry_record_id'), 'dev_publicity_entry', ['record_id'], unique=False)
    op.create_table('dev_submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('files', sa.JSON(), nullable=False),
    sa.Column('signed_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('submitted_by', sa.Integer(), nullable=True),
    sa.Column('by_proxy', sa.Boolean(), nullable=False),
    sa.Column('reviewed_by', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['dev_record.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['xf_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_dev_submission_record_kind', 'dev_submission', ['record_id', 'kind', 'status'], unique=False)
    op.create_index(op.f('ix_dev_submission_user_id'), 'dev_submission', ['user_id'], unique=False)
    op.create_table('dev_talk',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('talker_id', sa.Integer(), nullable=False),
    sa.Column('deadline', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('scheduled_at', sa.DateTime(), nullable=True),
    sa.Column('talk_date', sa.Date(), nullable=True),
    sa.Column('content', sa.String(length=5000), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('by_proxy', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('assigned_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['dev_record.id'], ),
    sa.ForeignKeyConstraint(['talker_id'], ['xf_user.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['xf_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_dev_talk_record_kind', 'dev_talk', ['record_id', 'kind'], unique=False)
    op.create_index(op.f('ix_dev_talk_talker_id'), 'dev_talk', ['talker_id'], unique=False)
    op.create_index(op.f('ix_dev_talk_user_id'), 'dev_talk', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_dev_talk_user_id'), table_name='dev_talk')
    op.drop_index(op.f('ix_dev_talk_talker_id'), table_name='dev_talk')
    op.drop_index('ix_dev_talk_record_kind', table_name='dev_talk')
    op.drop_table('dev_talk')
    op.drop_index(op.f('ix_dev_submission_user_id'), table_name='dev_submission')
    op.drop_index('ix_dev_submission_record_kind', table_name='dev_submission')
    op.drop_table('dev_submission')
    op.drop_index(op.f('ix_dev_publicity_entry_record_id'), table_name='dev_publicity_entry')
    op.drop_index(op.f('ix_dev_publicity_entry_publicity_id'), table_name='dev_publicity_entry')
    op.drop_table('dev_publicity_entry')
    op.drop_index(op.f('ix_dev_event_record_id'), table_name='dev_event')
    op.drop_index(op.f('ix_dev_event_created_at'), table_name='dev_event')
    op.drop_table('dev_event')
    op.drop_index(op.f('ix_xf_user_role_role_id'), table_name='xf_user_role')
    op.drop_table('xf_user_role')
    op.drop_index(op.f('ix_xf_student_profile_complete'), table_name='xf_student_profile')
    op.drop_table('xf_student_profile')
    op.drop_table('xf_role_permission')
    op.drop_index(op.f('ix_dev_record_user_id'), table_name='dev_record')
    op.drop_index('ix_dev_record_stage_step', table_name='dev_record')
    op.drop_table('dev_record')
    op.drop_index(op.f('ix_xf_user_username'), table_name='xf_user')
    op.drop_index(op.f('ix_xf_user_student_no'), table_name='xf_user')
    op.drop_index(op.f('ix_xf_user_party_branch_id'), table_name='xf_user')
    op.drop_index(op.f('ix_xf_user_org_id'), table_name='xf_user')
    op.drop_index(op.f('ix_xf_user_name'), table_name='xf_user')
    op.drop_index(op.f('ix_xf_user_institution_id'), table_name='xf_user')
    op.drop_table('xf_user')
    op.drop_index('ix_xf_urge_item_recipient', table_name='xf_urge_log')
    op.drop_table('xf_urge_log')
    op.drop_index('ix_xf_timer_job_object', table_name='xf_timer')
    op.drop_index('ix_xf_timer_due', table_name='xf_timer')
    op.drop_table('xf_timer')
    op.drop_index(op.f('ix_xf_role_key'), table_name='xf_role')
    op.drop_table('xf_role')
    op.drop_table('xf_permission_seen')
    op.drop_index(op.f('ix_xf_outbox_attempt_outbox_id'), table_name='xf_outbox_attempt')
    op.drop_table('xf_outbox_attempt')
    op.drop_index(op.f('ix_xf_outbox_recipient_id'), table_name='xf_outbox')
    op.drop_index('ix_xf_outbox_due', table_name='xf_outbox')
    op.drop_table('xf_outbox')
    op.drop_table('xf_login_attempt')
    op.drop_index(op.f('ix_xf_file_token'), table_name='xf_file')
    op.drop_index(op.f('ix_xf_file_subject_user_id'), table_name='xf_file')
    op.drop_index(op.f('ix_xf_file_owner_id'), table_name='xf_file')
    op.drop_table('xf_file')
    op.drop_index('ix_dev_publicity_setting_owner', table_name='dev_publicity_setting')
    op.drop_table('dev_publicity_setting')
    op.drop_index('ix_dev_publicity_kind_branch', table_name='dev_publicity')
    op.drop_table('dev_publicity')
