"""The development tables owned by the core (DEV-1, DEV-2 and engine v2): records, their
append-only timeline, tasks inside a step, documents and assignments per record, and the
cohorts (batches of people going through something together) with their entries."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.models import utcnow


class DevelopmentRecord(SQLModel, table=True):
    __tablename__ = "dev_record"
    __table_args__ = (Index("ix_dev_record_stage_step", "stage", "step", "status"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="xf_user.id", unique=True, index=True)
    stage: str = Field(max_length=40)
    step: str = Field(default="", max_length=40)
    status: str = Field(default="active", max_length=10)  # active | failed | done
    failure_code: str = Field(default="", max_length=40)  # e.g. 发展条件-不通过
    # A final failure cannot be re-developed (conversion 不同意转正), whatever its words say.
    failure_final: bool = Field(default=False)
    version: int = Field(default=1)
    step_entered_at: datetime = Field(default_factory=utcnow)
    # Milestone dates by key (applied_at, talked_at, activist_at, ...), ISO strings.
    milestones: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict))
    warnings: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class DevelopmentEvent(SQLModel, table=True):
    """One line of the timeline: who (and in which role) did what to which record, when."""

    __tablename__ = "dev_event"

    id: Optional[int] = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="dev_record.id", index=True)
    actor_id: Optional[int] = None
    actor_name: str = Field(default="", max_length=64)
    actor_role: str = Field(default="", max_length=40)
    stage: str = Field(max_length=40)
    step: str = Field(default="", max_length=40)
    action: str = Field(max_length=40)  # started | submitted | approved | rejected | advanced | failed | redeveloped | ...
    title: str = Field(default="", max_length=200)
    note: str = Field(default="", max_length=1000)
    created_at: datetime = Field(default_factory=utcnow, index=True)


class Task(SQLModel, table=True):
    """A unit of work inside a step (a quarter's thought report, a talk, a training result)."""

    __tablename__ = "dev_task"
    __table_args__ = (UniqueConstraint("record_id", "stage", "step", "key", "period", name="uq_dev_task"),
                      Index("ix_dev_task_step", "stage", "step", "key", "status"))

    id: Optional[int] = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="dev_record.id")
    stage: str = Field(max_length=40)
    step: str = Field(max_length=40)
    key: str = Field(max_length=40)
    period: int = Field(default=0)  # 1..count for periodic tasks, 0 for a one-off task
    title: str = Field(default="", max_length=100)
    status: str = Field(default="open", max_length=10)  # open | done
    required: bool = Field(default=True)
    starts_at: Optional[datetime] = None  # the period's start (UTC)
    due_at: Optional[datetime] = None  # the period's end (UTC)
    done_at: Optional[datetime] = None
    done_by: Optional[int] = None
    source_type: str = Field(default="", max_length=40)  # what completed it: submission, talk, batch...
    source_id: Optional[int] = None
    created_at: datetime = Field(default_factory=utcnow)


class Document(SQLModel, table=True):
    """A paper of the process recorded against a person's record: uploaded letter, scan,
    generated form, talk record, ballot, publicity extract. The completeness check and the
    dossier read them from here."""

    __tablename__ = "dev_document"
    __table_args__ = (Index("ix_dev_document_record_kind", "record_id", "kind"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="dev_record.id")
    user_id: int = Field(foreign_key="xf_user.id")
    stage: str = Field(max_length=40)
    step: str = Field(default="", max_length=40)
    kind: str = Field(max_length=40)
    title: str = Field(default="", max_length=200)
    files: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list))
    signed_date: Optional[date] = None
    source_type: str = Field(default="", max_length=40)
    source_id: Optional[int] = None
    created_by: Optional[int] = None
    created_at: datetime = Field(default_factory=utcnow)


class Assignment(SQLModel, table=True):
    """A person (or a 党小组) assigned to a record for a role, with dates: 谈话人, 培养联系人,
    入党介绍人 (two), 党小组. Components ask "the record's introducer" from here."""

    __tablename__ = "dev_assignment"
    __table_args__ = (Index("ix_dev_assignment_record", "record_id", "role"),
                      Index("ix_dev_assignment_user", "user_id", "role"))

    id: Optional[int] = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="dev_record.id")
    role: str = Field(max_length=20)  # talker | contact | introducer | party_group
    user_id: Optional[int] = Field(default=None, foreign_key="xf_user.id")
    group_id: Optional[int] = None  # a 党小组 (org_mgmt) for role party_group
    since: datetime = Field(default_factory=utcnow)
    until: Optional[datetime] = None  # None: current
    assigned_by: Optional[int] = None


class Batch(SQLModel, table=True):
    """A cohort: people going through something together (publicity, filing, meeting,
    symposium, political review, training class), owned by a branch or the committee."""

    __tablename__ = "dev_batch"
    __table_args__ = (Index("ix_dev_batch_kind_owner", "kind", "branch_id", "state"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    stage: str = Field(max_length=40)
    step: str = Field(max_length=40)
    branch_id: Optional[int] = None  # the owning party branch; None: the committee (college-wide)
    state: str = Field(default="draft", max_length=20)  # component states; "completed" when resolved
    title: str = Field(default="", max_length=200)
    signature_date: Optional[date] = None  # 落款日期 / 填表时间 / meeting date
    start_at: Optional[datetime] = None  # UTC; time-computed states read these
    end_at: Optional[datetime] = None  # UTC, exclusive
    document_token: Optional[str] = Field(default=None, max_length=40)
    report_token: Optional[str] = Field(default=None, max_length=40)
    data: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict))
    created_by: Optional[int] = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    completed_by: Optional[int] = None
    completed_at: Optional[datetime] = None


class BatchEntry(SQLModel, table=True):
    """One person in a cohort, with their own outcome, opinion, brief, contact and papers.
    ``removed_at``/``removed_reason``: taken off before completion (异议); they stay at the step."""

    __tablename__ = "dev_batch_entry"
    # ix_dev_batch_entry_user: "is this person in a cohort?" is asked by every student's to-do list.
    __table_args__ = (UniqueConstraint("batch_id", "record_id", name="uq_dev_batch_entry"),
                      Index("ix_dev_batch_entry_user", "user_id"))

    id: Optional[int] = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="dev_batch.id", index=True)
    record_id: int = Field(foreign_key="dev_record.id", index=True)
    user_id: int = Field(foreign_key="xf_user.id")
    branch_id: Optional[int] = None  # the person's branch (per-branch batch fill)
    outcome: str = Field(default="", max_length=40)  # an outcome key of the step; "" until decided
    opinion: str = Field(default="", max_length=1000)
    brief: str = Field(default="", max_length=1000)
    contact: str = Field(default="", max_length=64)
    phone: str = Field(default="", max_length=32)
    document_token: Optional[str] = Field(default=None, max_length=40)
    sort: int = 0
    removed_at: Optional[datetime] = None
    removed_reason: str = Field(default="", max_length=500)
    removed_by: Optional[int] = None
    data: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict))


def milestone_date(record: DevelopmentRecord, key: str) -> date | None:
    value = (record.milestones or {}).get(key)
    return date.fromisoformat(value[:10]) if value else None
