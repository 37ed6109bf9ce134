"""The message a user reads (written by the in-app channel from the core outbox)."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

from core.models import utcnow
from core.outbox import MessageContent

KIND_LABELS = {"notice": "通知", "urge": "催交提醒", "todo": "待办", "approval": "审批", "system": "系统"}


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
