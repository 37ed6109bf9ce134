"""dev_talk_todo: each talk once per current assignee, kept by triggers (issue 11)

A talker's to-do list (open talks at their step, soonest deadline first, and how many) read
through dev_talk, dev_assignment and dev_record costs a join per talk the talker has. This
table, filled and kept by triggers on those three tables whoever writes them, answers it from
one index (core/workflow/components/talk.py TalkTodo, core/db_triggers.py). The DDL is
written out here so this revision stays what it was when later code changes.

On PostgreSQL each trigger first takes a transaction-scoped advisory lock on the record, so
two transactions changing the same record's talks, assignments or step one after the other
see each other's rows (READ COMMITTED would otherwise let both miss the other's).

Revision ID: core_0005
Revises: core_0004
"""
from alembic import op
import sqlalchemy as sa

revision = 'core_0005'
down_revision = 'core_0004'
branch_labels = None
depends_on = None

COLUMNS = "talk_id, user_id, record_id, role, kind, record_stage, record_step, status, deadline"
SELECT = ("SELECT t.id, a.user_id, t.record_id, t.role, t.kind, r.stage, r.step, t.status, t.deadline FROM dev_talk t "
          "JOIN dev_assignment a ON a.record_id = t.record_id AND a.role = t.role AND a.until IS NULL AND a.user_id IS NOT NULL "
          "JOIN dev_record r ON r.id = t.record_id WHERE {where}")
SQLITE_FILL = f"INSERT OR IGNORE INTO dev_talk_todo ({COLUMNS}) {SELECT}"
PG_FILL = f"INSERT INTO dev_talk_todo ({COLUMNS}) {SELECT} ON CONFLICT DO NOTHING"
CLEAR = "DELETE FROM dev_talk_todo WHERE {where}"
LOCK_KEY = 73021150  # any fixed 32-bit number: the advisory lock space of these triggers


def _sqlite_of_record(row: str) -> str:
    return (f"{CLEAR.format(where=f'record_id = {row}.record_id AND role = {row}.role')}; "
            f"{SQLITE_FILL.format(where=f't.record_id = {row}.record_id AND t.role = {row}.role')};")


SQLITE_TRIGGERS = {
    "dev_talk_todo_talk_insert": f"AFTER INSERT ON dev_talk BEGIN {SQLITE_FILL.format(where='t.id = NEW.id')}; END",
    "dev_talk_todo_talk_update": "AFTER UPDATE OF record_id, role, kind, status, deadline ON dev_talk BEGIN "
                                 f"{CLEAR.format(where='talk_id = OLD.id')}; {SQLITE_FILL.format(where='t.id = NEW.id')}; END",
    "dev_talk_todo_talk_delete": f"AFTER DELETE ON dev_talk BEGIN {CLEAR.format(where='talk_id = OLD.id')}; END",
    "dev_talk_todo_assignment_insert": f"AFTER INSERT ON dev_assignment BEGIN {_sqlite_of_record('NEW')} END",
    "dev_talk_todo_assignment_update": f"AFTER UPDATE ON dev_assignment BEGIN {_sqlite_of_record('OLD')} "
                                       f"{_sqlite_of_record('NEW')} END",
    "dev_talk_todo_assignment_delete": f"AFTER DELETE ON dev_assignment BEGIN {_sqlite_of_record('OLD')} END",
    "dev_talk_todo_record_step": "AFTER UPDATE OF stage, step ON dev_record BEGIN UPDATE dev_talk_todo "
                                 "SET record_stage = NEW.stage, record_step = NEW.step WHERE record_id = NEW.id; END",
}


def _pg_of_record(row: str) -> str:
    return (f"PERFORM pg_advisory_xact_lock({LOCK_KEY}, {row}.record_id); "
            f"{CLEAR.format(where=f'record_id = {row}.record_id AND role = {row}.role')}; "
            f"{PG_FILL.format(where=f't.record_id = {row}.record_id AND t.role = {row}.role')};")


PG_FUNCTIONS = {
    "xf_talk_todo_on_talk": f"""
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM pg_advisory_xact_lock({LOCK_KEY}, OLD.record_id);
    {CLEAR.format(where='talk_id = OLD.id')};
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM pg_advisory_xact_lock({LOCK_KEY}, NEW.record_id);
    {PG_FILL.format(where='t.id = NEW.id')};
  END IF;
  RETURN NULL;
END""",
    "xf_talk_todo_on_assignment": f"""
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN {_pg_of_record('OLD')} END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN {_pg_of_record('NEW')} END IF;
  RETURN NULL;
END""",
    "xf_talk_todo_on_record": f"""
BEGIN
  PERFORM pg_advisory_xact_lock({LOCK_KEY}, NEW.id);
  UPDATE dev_talk_todo SET record_stage = NEW.stage, record_step = NEW.step WHERE record_id = NEW.id;
  RETURN NULL;
END""",
}
PG_TRIGGERS = {
    "dev_talk_todo_talk": ("AFTER INSERT OR UPDATE OF record_id, role, kind, status, deadline OR DELETE ON dev_talk",
                           "xf_talk_todo_on_talk"),
    "dev_talk_todo_assignment": ("AFTER INSERT OR UPDATE OR DELETE ON dev_assignment", "xf_talk_todo_on_assignment"),
    "dev_talk_todo_record_step": ("AFTER UPDATE OF stage, step ON dev_record", "xf_talk_todo_on_record"),
}


def upgrade() -> None:
    op.create_table('dev_talk_todo',
    sa.Column('talk_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('record_stage', sa.String(length=40), nullable=False),
    sa.Column('record_step', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('deadline', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('talk_id', 'user_id')
    )
    with op.batch_alter_table('dev_talk_todo', schema=None) as batch_op:
        batch_op.create_index('ix_dev_talk_todo_record', ['record_id', 'role'], unique=False)
        batch_op.create_index('ix_dev_talk_todo_user', ['user_id', 'kind', 'record_stage', 'record_step', 'deadline', 'talk_id',
                                                        'status'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FILL.format(where="TRUE"))
        for name, body in PG_FUNCTIONS.items():
            op.execute(f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $${body}$$")
        for name, (when, function) in PG_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {when} FOR EACH ROW EXECUTE FUNCTION {function}()")
    else:
        op.execute(SQLITE_FILL.format(where="1 = 1"))
        for name, body in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, (when, _) in PG_TRIGGERS.items():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {when.rsplit(' ON ', 1)[1]}")
        for name in PG_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table('dev_talk_todo', schema=None) as batch_op:
        batch_op.drop_index('ix_dev_talk_todo_user')
        batch_op.drop_index('ix_dev_talk_todo_record')
    op.drop_table('dev_talk_todo')
