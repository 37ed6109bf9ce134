"""The talk's tables and answers (DEV-6): ``dev_talk`` (one talk of one record, its schedule,
record and review state), ``dev_talk_todo`` (the talkers' to-dos, kept by triggers), and
what the routes answer. ``talk.py`` (the component) re-exports them."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from pydantic import BaseModel, Field as PField
from sqlalchemy import Index, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel

from core.clock import LocalDateTime
from core.models import StudentProfile, utcnow

FORMAL_MEMBER = "中共党员"
OPEN = ("assigned", "scheduled", "proxy_draft", "rejected", "submitted")


class Talk(SQLModel, table=True):
    __tablename__ = "dev_talk"
    __table_args__ = (Index("ix_dev_talk_record_kind", "record_id", "kind"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="dev_record.id")
    user_id: int = Field(foreign_key="xf_user.id", index=True)
    kind: str = Field(max_length=40)
    role: str = Field(default="talker", max_length=20)  # the assignment role that supplies the talker
    period: int = Field(default=0)  # task mode: the task period this talk is for
    deadline: datetime
    place: str = Field(default="", max_length=200)
    scheduled_at: Optional[datetime] = None
    talk_date: Optional[date] = None
    content: str = Field(default="", max_length=5000)
    # assigned | scheduled | proxy_draft | submitted | approved | rejected
    status: str = Field(default="assigned", max_length=12)
    by_proxy: bool = False
    reason: str = Field(default="", max_length=500)
    assigned_by: Optional[int] = None
    talked_by: Optional[int] = None  # who submitted the record (the talker of that day)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class TalkTodo(SQLModel, table=True):
    """One talk as a to-do of one of its current assignees, kept by database triggers
    (core/db_triggers.py) from dev_talk, dev_assignment and dev_record, whoever writes them.

    A talker's to-do list is "my open talks at their step, soonest deadline first, and how
    many". Read through the three tables, that costs a join per talk the talker has (2,067 at
    50,000 students); from here it is one index range read in deadline order that stops at the
    page's end, and a count over the same index (issue 11). Never written by the app."""

    __tablename__ = "dev_talk_todo"
    __table_args__ = (Index("ix_dev_talk_todo_user", "user_id", "kind", "record_stage", "record_step", "deadline", "talk_id",
                            "status"),
                      Index("ix_dev_talk_todo_record", "record_id", "role"))

    talk_id: int = Field(primary_key=True)
    user_id: int = Field(primary_key=True)
    record_id: int
    role: str = Field(max_length=20)
    kind: str = Field(max_length=40)
    record_stage: str = Field(max_length=40)  # the record's stage and step now
    record_step: str = Field(max_length=40)
    status: str = Field(max_length=12)
    deadline: datetime


STATUS_LABELS = {"assigned": "待安排", "scheduled": "已安排", "proxy_draft": "待确认", "submitted": "待审核",
                 "approved": "审核通过", "rejected": "审核不通过"}


class TalkOut(BaseModel):
    id: int
    record_id: int
    user_id: int
    user_name: Optional[str] = None
    kind: str
    title: str = PField(description="谈话名称，如 入党申请人谈话")
    talker_id: Optional[int] = None
    talker_name: Optional[str] = None
    deadline: LocalDateTime
    place: str
    scheduled_at: Optional[LocalDateTime] = None
    talk_date: Optional[date] = None
    content: str
    status: str = PField(description="assigned | scheduled | proxy_draft | submitted | approved | rejected；"
                                      "上级党委派人谈话：assigned 待流转 | flowed 待填写谈话时间 | scheduled 待确认谈话 | approved 已确认谈话")
    status_label: str
    by_proxy: bool
    reason: str
    overdue: bool


class TalkSummary(BaseModel):
    """The student's view of their talk: who, where, when."""

    talker: Optional[str] = None
    place: str
    scheduled_at: Optional[LocalDateTime] = None
    status: str
    status_label: str


async def is_formal_member(session: AsyncSession, user_id: int) -> bool:
    return (await session.execute(select(StudentProfile.user_id).where(
        StudentProfile.user_id == user_id, StudentProfile.political_status == FORMAL_MEMBER))).first() is not None
