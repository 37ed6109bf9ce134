"""The built-in in-app channel: one ``xf_message`` row per outbox row, written in bulk.
Unique (recipient, dedupe_key) makes a second delivery of the same message a no-op."""
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from core.sdk import OutboxItem
from plugins.messaging.models import Message


def _insert(session: AsyncSession):
    if session.bind.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(Message.__table__).on_conflict_do_nothing(index_elements=["recipient_id", "dedupe_key"])


def _row(m: OutboxItem) -> dict:
    return {"recipient_id": m.recipient_id, "sender_id": m.sender_id, "title": m.title, "body": m.body, "kind": m.kind,
            "link": m.link, "object_type": m.object_type, "object_id": m.object_id, "dedupe_key": m.key,
            "outbox_id": m.id, "created_at": m.created_at}


class InAppChannel:
    name = "inapp"

    async def deliver(self, message: OutboxItem, session: AsyncSession) -> None:
        await session.execute(_insert(session), [_row(message)])

    async def deliver_many(self, messages: list[OutboxItem], session: AsyncSession) -> None:
        await session.execute(_insert(session), [_row(m) for m in messages])
