"""The training class's own tables (培训班, DEV-9) and its state computed from times.

A class is a committee-owned object outside any step: its publish scope and per-branch
quotas (``dev_training_quota``), and the signups of people whose current step has an open
``training`` task of the class's type (``dev_training_signup``). The stored ``state`` holds
what people did (draft, published, screening, ready, training, ended, finished); what the
clock decides (待开始 / 报名中 / 报名已截止 before screening, 已结束 once the training window
is over) is computed when read, so a late timer never shows a wrong state.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.models import utcnow


class TrainingClass(SQLModel, table=True):
    __tablename__ = "dev_training_class"
    __table_args__ = (Index("ix_dev_training_class_type_state", "class_type", "state"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    class_type: str = Field(max_length=20)  # a TrainingComponent's class_type: activist | candidate | ...
    title: str = Field(max_length=200)
    intro: str = Field(default="", max_length=2000)
    place: str = Field(default="", max_length=200)
    signup_start: datetime  # UTC; the windows are chosen in local time
    signup_end: datetime
    train_start: datetime
    train_end: datetime
    # draft | published | screening | ready | training | ended | finished (what people did)
    state: str = Field(default="draft", max_length=12)
    published_at: Optional[datetime] = None
    ended_at: Optional[datetime] = None  # 结束培训 before the training window's end
    results_at: Optional[datetime] = None
    created_by: Optional[int] = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class TrainingQuota(SQLModel, table=True):
    """A branch in the class's publish scope with its quota (支部名额) and its screening submission."""

    __tablename__ = "dev_training_quota"
    __table_args__ = (UniqueConstraint("class_id", "branch_id", name="uq_dev_training_quota"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    class_id: int = Field(foreign_key="dev_training_class.id", index=True)
    branch_id: int
    quota: int = Field(default=1)
    submitted_at: Optional[datetime] = None  # 提交党委 of the branch's screened list
    submitted_by: Optional[int] = None


class TrainingSignup(SQLModel, table=True):
    """One person's signup: the branch's order (上移/下移), selection and the result (结业/未结业)."""

    __tablename__ = "dev_training_signup"
    __table_args__ = (Index("ix_dev_training_signup_class", "class_id", "branch_id", "status"),
                      Index("ix_dev_training_signup_record", "record_id", "status"))

    id: Optional[int] = Field(default=None, primary_key=True)
    class_id: int = Field(foreign_key="dev_training_class.id")
    record_id: int = Field(foreign_key="dev_record.id")
    user_id: int = Field(foreign_key="xf_user.id")
    branch_id: Optional[int] = None
    stage: str = Field(max_length=40)  # where the person's training task is
    step: str = Field(max_length=40)
    status: str = Field(default="signed_up", max_length=12)  # signed_up | cancelled | selected | not_selected
    sort: int = 0
    result: str = Field(default="", max_length=10)  # "" | passed (结业) | failed (未结业)
    result_date: Optional[date] = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


MODELS = [TrainingClass, TrainingQuota, TrainingSignup]

STATE_LABELS = {"draft": "未发布", "pending": "待开始", "signup": "报名中", "signup_closed": "报名已截止",
                "screening": "支部筛选中", "ready": "待培训", "training": "培训中", "ended": "已结束", "finished": "已完成"}
SIGNUP_LABELS = {"signed_up": "已报名", "cancelled": "已取消", "selected": "已入选", "not_selected": "未入选"}
RESULT_LABELS = {"passed": "结业", "failed": "未结业"}
OPEN_SIGNUP = ("signed_up", "selected")


def class_state(c: TrainingClass, now: datetime | None = None) -> str:
    """The state code from what people did and the clock (never from a timer)."""
    now = now or utcnow()
    if c.state == "published":
        if now < c.signup_start:
            return "pending"
        return "signup" if now < c.signup_end else "signup_closed"
    if c.state == "training" and now >= c.train_end:
        return "ended"
    return c.state


def signup_label(s: TrainingSignup) -> str:
    if s.result:
        return RESULT_LABELS.get(s.result, s.result)
    return SIGNUP_LABELS.get(s.status, s.status)


def first_semester_end(enrolled: date) -> date:
    """The day after a first-year's first semester (大一/研一第一学期): an autumn enrolment
    (August–December) ends it on February 1 of the next year, a spring one on August 1."""
    return date(enrolled.year + 1, 2, 1) if enrolled.month >= 8 else date(enrolled.year, 8, 1)


def enrolled_on(enrollment_date: date | None, grade: str | None) -> date | None:
    """The enrolment date of the profile, else its grade (``2025级`` → 2025-09-01)."""
    if enrollment_date is not None:
        return enrollment_date
    digits = "".join(ch for ch in (grade or "") if ch.isdigit())
    return date(int(digits[:4]), 9, 1) if len(digits) >= 4 else None
