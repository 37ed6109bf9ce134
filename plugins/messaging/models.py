"""The message a user reads (written by the in-app channel from the core outbox)."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

from core.outbox import MessageContent
from core.sdk import utcnow

# Every kind any plugin sends (outbox.notify / outbox.urge ``kind=``) has its Chinese label here;
# tests/test_message_kinds.py finds the kinds in the source. A kind not listed reads 通知.
KIND_LABELS = {"notice": "通知", "urge": "催交提醒", "todo": "待办", "review": "审核", "progress": "发展进度",
               "approval": "审批", "system": "系统", "overdue": "逾期提醒"}
DEFAULT_KIND_LABEL = "通知"


def kind_label(kind: str) -> str:
    """The Chinese label people see for a message kind; never the raw code."""
    return KIND_LABELS.get(kind, DEFAULT_KIND_LABEL)


class Message(MessageContent, table=True):
    __tablename__ = "xf_message"
    __table_args__ = (UniqueConstraint("recipient_id", "dedupe_key", name="uq_xf_message_recipient_key"),
                      Index("ix_xf_message_inbox", "recipient_id", "read_at", "id"))

    id: Optional[int] = Field(default=None, primary_key=True)
    recipient_id: int
    dedupe_key: str = Field(max_length=200)
    outbox_id: Optional[int] = None
    created_at: datetime = Field(default_factory=utcnow)
    read_at: Optional[datetime] = None
    # Dwell tracking on the linked page (MSG-2): read after one minute there.
    seen_from: Optional[datetime] = None
    seen_last: Optional[datetime] = None
