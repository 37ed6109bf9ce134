"""Evaluation tables: years holding semesters (periods), imported rows, generated results.

Results are stored per period so report pages and MP details read a few indexed rows instead
of ranking 10,000 people on every request. Metric values and ranks are plain numeric columns
(slot ``n`` of metric key ``m<n>``: ``v<n>`` value, ``c<n>`` college rank, ``b<n>`` branch rank),
not JSON, so 10,000-row imports and reports are bulk inserts and SQL reads without per-row decoding.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.sdk import utcnow

MAX_METRICS = 12  # metric keys are m1..m12; each has a column slot in ev_record and ev_result


def _slots(namespace: dict, prefix: str, kind: type) -> None:
    """Declare ``<prefix>1`` .. ``<prefix>12`` nullable columns in a class body."""
    for n in range(1, MAX_METRICS + 1):
        namespace["__annotations__"][f"{prefix}{n}"] = Optional[kind]
        namespace[f"{prefix}{n}"] = None


# SQLite reuses the largest rowid after it is deleted; AUTOINCREMENT never hands out an id again,
# so a link or bookmark to a deleted period (or year) cannot open the next one. PostgreSQL
# sequences never reuse ids anyway.
NO_ID_REUSE = {"sqlite_autoincrement": True}


class EvalYear(SQLModel, table=True):
    __tablename__ = "ev_year"
    __table_args__ = (NO_ID_REUSE,)

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=40, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow)


class EvalPeriod(SQLModel, table=True):
    """A semester (评价学期) inside a year: its metrics, data and report state."""

    __tablename__ = "ev_period"
    __table_args__ = (UniqueConstraint("year_id", "name"), NO_ID_REUSE)

    id: Optional[int] = Field(default=None, primary_key=True)
    year_id: int = Field(foreign_key="ev_year.id", index=True)
    name: str = Field(max_length=40)
    sort: int = Field(default=0)
    # [{"key": "m1", "name": "学习成绩", "weight": 0.3, "higher_better": true, "min": 0, "max": 100}, ...]
    metrics: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list))
    record_count: int = Field(default=0)
    # Bumped by every import and edit; a report older than the data is stale (remind to regenerate).
    data_version: int = Field(default=0)
    report_version: Optional[int] = None
    generated_at: Optional[datetime] = None
    published: bool = Field(default=False, index=True)
    published_at: Optional[datetime] = None
    withdrawn_at: Optional[datetime] = None
    summary: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict))
    created_at: datetime = Field(default_factory=utcnow)


class EvalRecord(SQLModel, table=True):
    """One imported row (EV-2/EV-3)."""

    __tablename__ = "ev_record"
    # The unique (period_id, user_id) index serves every query (they all filter by period); no other
    # index, so a 10,000-row import maintains one B-tree besides the table.
    __table_args__ = (UniqueConstraint("period_id", "user_id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    period_id: int = Field(foreign_key="ev_period.id")
    user_id: int
    name: str = Field(max_length=64)
    student_no: str = Field(max_length=32)
    branch_id: int
    training_type: str = Field(default="", max_length=4)
    updated_at: datetime = Field(default_factory=utcnow)
    _slots(locals(), "v", float)  # v1..v12: metric values


class EvalResult(SQLModel, table=True):
    """One person's generated report row: composite and per-metric ranks in college and branch."""

    __tablename__ = "ev_result"
    __table_args__ = (
        UniqueConstraint("period_id", "user_id"),
        Index("ix_ev_result_period_branch", "period_id", "branch_id"),
        Index("ix_ev_result_user", "user_id", "period_id"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    period_id: int = Field(foreign_key="ev_period.id")
    user_id: int
    branch_id: int
    training_type: str = Field(default="", max_length=4)
    name: str = Field(max_length=64)
    student_no: str = Field(max_length=32)
    score: float = 0.0
    college_rank: int = 0
    branch_rank: int = 0
    prev_college_rank: Optional[int] = None
    prev_branch_rank: Optional[int] = None
    _slots(locals(), "v", float)  # metric value
    _slots(locals(), "c", int)  # metric rank in the college
    _slots(locals(), "b", int)  # metric rank in the branch


class EvalBranchResult(SQLModel, table=True):
    """One branch's generated figures at the default threshold (other thresholds are computed on request)."""

    __tablename__ = "ev_branch_result"
    __table_args__ = (UniqueConstraint("period_id", "branch_id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    period_id: int = Field(foreign_key="ev_period.id", index=True)
    branch_id: int = Field(index=True)
    name: str = Field(max_length=64)
    training_type: str = Field(default="", max_length=4)
    member_count: int = 0
    top_count: int = 0
    rank: int = 0
    prev_rank: Optional[int] = None
    # {"composite": {"top": 5, "rank": 1, "avg": 80.2}, "m1": {...}}
    metrics: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict))
