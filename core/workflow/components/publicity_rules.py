"""The rules of a publicity (公示, DEV-7) that need no component: its saved settings
(``dev_publicity_setting``, the defaults of the next publicity), its period in working days,
its state computed from the stored times (待公示 / 公示中 / 公示期结束, never from a timer) and
the SQL condition of each state, file names and the length of its texts. ``publicity.py``
re-exports them."""
import re
from datetime import date, datetime, timedelta
from typing import Optional

from sqlalchemy import Index, false
from sqlmodel import Field, SQLModel

from core import clock
from core.errors import fail
from core.models import utcnow
from core.workdays import period_end as _workday_period_end
from core.workflow.cohort import COMPLETED
from core.workflow.models import Batch

BRIEF_MAX = 500
STATUS_LABELS = {"draft": "草稿", "published": "已发布", "completed": "已完成"}
STATES = {"draft": "待生成", "scheduled": "待公示", "running": "公示中", "ended": "公示期结束", "completed": "已完成"}
HEADER = ("intro", "organiser", "contact", "phone", "objection")


class PublicitySetting(SQLModel, table=True):
    """公示设置 of one branch (``branch_id`` None: the committee's college-wide publicities)."""

    __tablename__ = "dev_publicity_setting"
    __table_args__ = (Index("ix_dev_publicity_setting_owner", "kind", "branch_id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    branch_id: Optional[int] = None
    title: str = Field(default="", max_length=200)
    intro: str = Field(default="", max_length=2000)
    organiser: str = Field(default="", max_length=100)  # 发布单位
    contact: str = Field(default="", max_length=64)
    phone: str = Field(default="", max_length=32)
    objection: str = Field(default="", max_length=200)  # mailbox / address objections are sent to
    working_days: int = Field(default=5)
    updated_by: Optional[int] = None
    updated_at: datetime = Field(default_factory=utcnow)


MODELS = [PublicitySetting]


def period_end(start: date, working_days: int) -> date:
    """Last day of a period of ``working_days`` working days counting the start day (national
    holidays and 调休 included, core/workdays.py)."""
    return _workday_period_end(start, working_days)


def period_dates(p: Batch) -> tuple[date | None, date | None]:
    if p.start_at is None or p.end_at is None:
        return None, None
    return clock.local_date(p.start_at), clock.local_date(p.end_at - timedelta(seconds=1))


def _countdown(seconds: int) -> str:
    days, rest = divmod(max(seconds, 0), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    return "".join(x for x in (f"{days}天" if days else "", f"{hours}小时" if hours or days else "", f"{minutes}分钟"))


def publicity_state(p: Batch, now: datetime | None = None) -> dict:
    """State computed from the stored times (never from a timer): ``draft`` 待生成, ``scheduled``
    待公示, ``running`` 公示中 with the countdown to its end, ``ended`` 公示期结束, ``completed``
    已完成. ``remaining_seconds`` counts down to the next change (start when scheduled, end when
    running)."""
    now = now or utcnow()
    if p.state == COMPLETED:
        return {"code": "completed", "label": "已完成", "remaining_seconds": 0}
    if p.state != "published" or p.start_at is None or p.end_at is None:
        return {"code": "draft", "label": "待生成公示文件", "remaining_seconds": 0}
    if now < p.start_at:
        left = int((p.start_at - now).total_seconds())
        return {"code": "scheduled", "label": f"待公示（距公示开始{_countdown(left)}）", "remaining_seconds": left}
    if now < p.end_at:
        left = int((p.end_at - now).total_seconds())
        return {"code": "running", "label": f"公示中（距公示期结束{_countdown(left)}）", "remaining_seconds": left}
    return {"code": "ended", "label": "公示期结束", "remaining_seconds": 0}


def state_condition(code: str, now: datetime):
    published = Batch.state == "published"
    return {
        "draft": Batch.state == "draft",
        "scheduled": published & (Batch.start_at > now),
        "running": published & (Batch.start_at <= now) & (Batch.end_at > now),
        "ended": published & (Batch.end_at <= now),
        "completed": Batch.state == COMPLETED,
    }.get(code, false())


def file_name(title: str, suffix: str = "") -> str:
    return (re.sub(r'[\\/:*?"<>|\x00]+|\.\.+', "_", title).strip() or "公示")[:150] + suffix + ".pdf"


def clean(value: str | None, label: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise fail(422, f"{label}不能超过{limit}个字")
    return value
