"""Development records (one per student) and their append-only timeline (DEV-1, DEV-2)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import JSON, Column, Index
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


def milestone_date(record: DevelopmentRecord, key: str) -> date | None:
    value = (record.milestones or {}).get(key)
    return date.fromisoformat(value[:10]) if value else None
