"""Engine v2 (issue 9): tasks, documents, assignments and cohorts; final failures; talks read
their talker from the assignments; publicities become cohorts.

Data carried over from release 0.1.0: each talk's talker becomes a 谈话人 assignment (ended
when the talk was replaced) and the talker of a submitted talk its ``talked_by``;
publicities and their entries move to ``dev_batch``/``dev_batch_entry`` under the same ids
(links to /publicity/<id> keep working; their header goes to ``data``); approved letters,
approved talk records and the notices and reports of completed publicities become
documents of their records. The old publicity tables are dropped.

Revision ID: core_0003
Revises: core_0002
"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

revision = "core_0003"
down_revision = "core_0002"
branch_labels = None
depends_on = None

# What release 0.1.0 knew: the application letter and the first talk of the applicant stage.
SUBMISSION_KINDS = {"application_letter": ("applicant", "application", "入党申请书")}
TALK_KINDS = {"first_talk": ("applicant", "talk", "《入党申请人谈话记录表》")}
HEADER = ("intro", "organiser", "contact", "phone", "objection", "working_days", "report_note")

record = sa.table("dev_record", sa.column("id"), sa.column("stage"), sa.column("step"))
talk = sa.table("dev_talk", sa.column("id"), sa.column("record_id"), sa.column("user_id"), sa.column("kind"),
                sa.column("talker_id"), sa.column("status"), sa.column("assigned_by"), sa.column("created_at"),
                sa.column("updated_at"), sa.column("talk_date"), sa.column("talked_by"))
submission = sa.table("dev_submission", sa.column("id"), sa.column("record_id"), sa.column("user_id"), sa.column("kind"),
                      sa.column("files", sa.JSON), sa.column("signed_date"), sa.column("status"),
                      sa.column("reviewed_by"), sa.column("reviewed_at"), sa.column("created_at"))
assignment = sa.table("dev_assignment", sa.column("record_id"), sa.column("role"), sa.column("user_id"),
                      sa.column("group_id"), sa.column("since"), sa.column("until"), sa.column("assigned_by"))
document = sa.table("dev_document", sa.column("record_id"), sa.column("user_id"), sa.column("stage"), sa.column("step"),
                    sa.column("kind"), sa.column("title"), sa.column("files", sa.JSON), sa.column("signed_date"),
                    sa.column("source_type"), sa.column("source_id"), sa.column("created_by"), sa.column("created_at"))
BATCH_COLUMNS = ("id", "kind", "stage", "step", "branch_id", "state", "title", "signature_date", "start_at", "end_at",
                 "document_token", "report_token", "created_by", "created_at", "updated_at", "completed_by", "completed_at")
batch = sa.table("dev_batch", *(sa.column(c) for c in BATCH_COLUMNS), sa.column("data", sa.JSON))
ENTRY_COLUMNS = ("id", "batch_id", "record_id", "user_id", "branch_id", "outcome", "opinion", "brief", "contact", "phone",
                 "document_token", "sort", "removed_at", "removed_reason", "removed_by")
entry = sa.table("dev_batch_entry", *(sa.column(c) for c in ENTRY_COLUMNS), sa.column("data", sa.JSON))
PUBLICITY_COLUMNS = ("id", "kind", "stage", "step", "branch_id", "title", *HEADER, "signature_date", "start_at", "end_at",
                     "status", "document_token", "report_token", "created_by", "created_at", "updated_at", "published_at",
                     "report_at", "completed_by", "completed_at")
publicity = sa.table("dev_publicity", *(sa.column(c) for c in PUBLICITY_COLUMNS))
publicity_entry = sa.table("dev_publicity_entry", sa.column("id"), sa.column("publicity_id"), sa.column("record_id"),
                           sa.column("user_id"), sa.column("branch_id"), sa.column("brief"), sa.column("contact"),
                           sa.column("phone"), sa.column("sort"))


def _iso(value):
    """A stored naive-UTC time as ISO with its offset (how the app writes times into JSON)."""
    if value is None:
        return None
    if isinstance(value, str):  # SQLite hands DATETIME back as text through a lightweight table
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=timezone.utc).isoformat(timespec="seconds")


def _file(token, name):
    return [{"token": token, "name": name, "url": f"/api/files/{token}", "type": "pdf"}] if token else []


def create_tables() -> None:
    op.create_table(
        "dev_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=False),
        sa.Column("step", sa.String(length=40), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("signature_date", sa.Date(), nullable=True),
        sa.Column("start_at", sa.DateTime(), nullable=True),
        sa.Column("end_at", sa.DateTime(), nullable=True),
        sa.Column("document_token", sa.String(length=40), nullable=True),
        sa.Column("report_token", sa.String(length=40), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("completed_by", sa.Integer(), nullable=True),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_dev_batch_kind_owner", "dev_batch", ["kind", "branch_id", "state"], unique=False)
    op.create_table(
        "dev_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("since", sa.DateTime(), nullable=False),
        sa.Column("until", sa.DateTime(), nullable=True),
        sa.Column("assigned_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["record_id"], ["dev_record.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["xf_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_dev_assignment_record", "dev_assignment", ["record_id", "role"], unique=False)
    op.create_index("ix_dev_assignment_user", "dev_assignment", ["user_id", "role"], unique=False)
    op.create_table(
        "dev_batch_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=40), nullable=False),
        sa.Column("opinion", sa.String(length=1000), nullable=False),
        sa.Column("brief", sa.String(length=1000), nullable=False),
        sa.Column("contact", sa.String(length=64), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("document_token", sa.String(length=40), nullable=True),
        sa.Column("sort", sa.Integer(), nullable=False),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.Column("removed_reason", sa.String(length=500), nullable=False),
        sa.Column("removed_by", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["dev_batch.id"]),
        sa.ForeignKeyConstraint(["record_id"], ["dev_record.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["xf_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("batch_id", "record_id", name="uq_dev_batch_entry"),
    )
    op.create_index(op.f("ix_dev_batch_entry_batch_id"), "dev_batch_entry", ["batch_id"], unique=False)
    op.create_index(op.f("ix_dev_batch_entry_record_id"), "dev_batch_entry", ["record_id"], unique=False)
    op.create_table(
        "dev_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=False),
        sa.Column("step", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("signed_date", sa.Date(), nullable=True),
        sa.Column("source_type", sa.String(length=40), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["dev_record.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["xf_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_dev_document_record_kind", "dev_document", ["record_id", "kind"], unique=False)
    op.create_table(
        "dev_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=False),
        sa.Column("step", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=True),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("done_by", sa.Integer(), nullable=True),
        sa.Column("source_type", sa.String(length=40), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["dev_record.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("record_id", "stage", "step", "key", "period", name="uq_dev_task"),
    )
    op.create_index("ix_dev_task_step", "dev_task", ["stage", "step", "key", "status"], unique=False)


def carry_talks(bind) -> None:
    rows = bind.execute(sa.select(talk.c.record_id, talk.c.talker_id, talk.c.status, talk.c.assigned_by,
                                  talk.c.created_at, talk.c.updated_at).order_by(talk.c.id)).all()
    if rows:
        bind.execute(assignment.insert(), [
            {"record_id": rid, "role": "talker", "user_id": talker, "group_id": None, "since": created,
             "until": updated if status == "replaced" else None, "assigned_by": by}
            for rid, talker, status, by, created, updated in rows])
    bind.execute(talk.update().where(talk.c.status.in_(("submitted", "approved"))).values(talked_by=talk.c.talker_id))


def carry_publicities(bind) -> None:
    rows = bind.execute(sa.select(publicity).order_by(publicity.c.id)).mappings().all()
    if rows:
        bind.execute(batch.insert(), [
            {**{c: p[c] for c in BATCH_COLUMNS if c in p}, "state": p["status"],
             "data": {**{k: p[k] for k in HEADER}, "published_at": _iso(p["published_at"]), "report_at": _iso(p["report_at"])}}
            for p in rows])
    entries = bind.execute(sa.select(publicity_entry).order_by(publicity_entry.c.id)).mappings().all()
    if entries:
        bind.execute(entry.insert(), [
            {"id": e["id"], "batch_id": e["publicity_id"], "record_id": e["record_id"], "user_id": e["user_id"],
             "branch_id": e["branch_id"], "outcome": "", "opinion": "", "brief": e["brief"], "contact": e["contact"],
             "phone": e["phone"], "document_token": None, "sort": e["sort"], "removed_at": None, "removed_reason": "",
             "removed_by": None, "data": {}} for e in entries])
    if bind.dialect.name == "postgresql":  # rows kept their ids: move the sequences past them
        for table in ("dev_batch", "dev_batch_entry"):
            bind.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                 f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"))
    done = {p["id"]: p for p in rows if p["status"] == "completed"}
    papers = []
    for e in entries:
        p = done.get(e["publicity_id"])
        if p is not None:
            base = {"record_id": e["record_id"], "user_id": e["user_id"], "stage": p["stage"], "step": p["step"],
                    "source_type": "batch", "source_id": p["id"], "created_by": p["completed_by"],
                    "created_at": p["completed_at"] or p["updated_at"]}
            papers.append({**base, "kind": "publicity", "title": p["title"], "files": _file(p["document_token"], p["title"]),
                           "signed_date": p["signature_date"]})
            papers.append({**base, "kind": "publicity_report", "title": f"{p['title']}报告",
                           "files": _file(p["report_token"], f"{p['title']}报告"), "signed_date": None})
    if papers:
        bind.execute(document.insert(), papers)


def carry_documents(bind) -> None:
    stages = dict(bind.execute(sa.select(record.c.id, record.c.stage)).all())
    letters = bind.execute(sa.select(submission).where(submission.c.status == "approved").order_by(submission.c.id)).mappings().all()
    talks = bind.execute(sa.select(talk).where(talk.c.status == "approved").order_by(talk.c.id)).mappings().all()
    papers = []
    for s in letters:
        stage, step, title = SUBMISSION_KINDS.get(s["kind"], (stages.get(s["record_id"], ""), "", s["kind"]))
        papers.append({"record_id": s["record_id"], "user_id": s["user_id"], "stage": stage, "step": step, "kind": s["kind"],
                       "title": title, "files": s["files"] or [], "signed_date": s["signed_date"], "source_type": "submission",
                       "source_id": s["id"], "created_by": s["reviewed_by"], "created_at": s["reviewed_at"] or s["created_at"]})
    for t in talks:
        stage, step, title = TALK_KINDS.get(t["kind"], (stages.get(t["record_id"], ""), "", t["kind"]))
        papers.append({"record_id": t["record_id"], "user_id": t["user_id"], "stage": stage, "step": step,
                       "kind": "talk_record", "title": title, "files": [], "signed_date": t["talk_date"],
                       "source_type": "talk", "source_id": t["id"], "created_by": None, "created_at": t["updated_at"]})
    if papers:
        bind.execute(document.insert(), papers)


def upgrade() -> None:
    bind = op.get_bind()
    create_tables()
    # Plain ADD COLUMN (no table copy): other tables refer to dev_record, and SQLite refuses to
    # drop a referenced table while foreign keys are on.
    op.add_column("dev_record", sa.Column("failure_final", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("dev_talk", sa.Column("role", sa.String(length=20), server_default="talker", nullable=False))
    op.add_column("dev_talk", sa.Column("period", sa.Integer(), server_default="0", nullable=False))
    op.add_column("dev_talk", sa.Column("talked_by", sa.Integer(), nullable=True))
    carry_talks(bind)
    carry_publicities(bind)
    carry_documents(bind)
    with op.batch_alter_table("dev_talk") as b:
        b.drop_index("ix_dev_talk_talker_id")
        if bind.dialect.name == "postgresql":
            b.drop_constraint("dev_talk_talker_id_fkey", type_="foreignkey")
        b.drop_column("talker_id")
    op.drop_index(op.f("ix_dev_publicity_entry_record_id"), table_name="dev_publicity_entry")
    op.drop_index(op.f("ix_dev_publicity_entry_publicity_id"), table_name="dev_publicity_entry")
    op.drop_table("dev_publicity_entry")
    op.drop_index("ix_dev_publicity_kind_branch", table_name="dev_publicity")
    op.drop_table("dev_publicity")


def downgrade() -> None:
    """Publicities and talkers live in new tables now; going back means restoring the backup
    taken before the upgrade (docs/operations.md)."""
    raise RuntimeError("引擎 v2 已把公示和谈话人迁移到新表，不能降级；请恢复升级前的数据库备份")
