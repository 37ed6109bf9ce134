"""The outbox: how any plugin sends a message without waiting for it to be delivered.

A workflow action calls :func:`notify` (or :func:`urge`) with its own session: that only
inserts ``xf_outbox`` rows, in the action's transaction, so the message exists exactly when
the action does. Nothing here talks to Redis during the action. After the session commits,
a best-effort "kick" enqueues the delivery job on arq (ignored if Redis is down); the
worker's sweep (at start-up and every few seconds) picks up whatever is pending anyway.

Delivery (:func:`deliver_pending`, run by the worker) hands each pending row to every
channel of the ``xf_channels`` hook. A channel that raises is retried later with back-off;
it never blocks the other channels. Every attempt is recorded in ``xf_outbox_attempt``.
The in-app channel (plugins/messaging) writes the message row with a unique
(recipient, dedupe_key), so a row delivered twice shows once.
"""
from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable, Iterable, Optional, Protocol

from sqlalchemy import Index, bindparam, event, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlmodel import Field, SQLModel

from core.models import utcnow

log = logging.getLogger("xianfeng.outbox")

DELIVER_JOB = "xf_deliver_outbox"
MAX_ATTEMPTS = 8
LEASE = timedelta(minutes=2)  # a claimed row is retried by others if its worker dies
CHANNEL_TIMEOUT = 30.0  # seconds for one message on one channel


class MessageContent(SQLModel):
    """What a message says and what it opens; shared by the outbox row and the delivered message."""

    sender_id: Optional[int] = None
    title: str = Field(max_length=200)
    body: str = Field(default="", max_length=4000)
    kind: str = Field(default="notice", max_length=40)
    link: str = Field(default="", max_length=300)
    object_type: str = Field(default="", max_length=40)
    object_id: Optional[int] = None


class OutboxMessage(MessageContent, table=True):
    """One message to one recipient, waiting for (or done with) delivery."""

    __tablename__ = "xf_outbox"
    __table_args__ = (Index("ix_xf_outbox_due", "status", "next_attempt_at"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    recipient_id: int = Field(index=True)
    # Same key for the same recipient: shown once however often it is sent.
    dedupe_key: Optional[str] = Field(default=None, max_length=200)
    status: str = Field(default="pending", max_length=10)  # pending | done | failed
    channels_done: str = Field(default="", max_length=200)  # comma-joined channel names
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow)
    claim: Optional[str] = Field(default=None, max_length=32)
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow)
    done_at: Optional[datetime] = None


class DeliveryAttempt(SQLModel, table=True):
    """One try of one channel on one outbox row."""

    __tablename__ = "xf_outbox_attempt"

    id: Optional[int] = Field(default=None, primary_key=True)
    outbox_id: int = Field(index=True)
    channel: str = Field(max_length=40)
    attempt: int = 1
    ok: bool = True
    error: str = Field(default="", max_length=500)
    at: datetime = Field(default_factory=utcnow)


class UrgeLog(SQLModel, table=True):
    """A reminder (催交) sent to one person for one item; read to honour the quiet period."""

    __tablename__ = "xf_urge_log"
    __table_args__ = (Index("ix_xf_urge_item_recipient", "item_key", "recipient_id", "sent_at"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    item_key: str = Field(max_length=200)
    recipient_id: int
    sender_id: Optional[int] = None
    sent_at: datetime = Field(default_factory=utcnow)


# --- writing (inside the action's transaction) --------------------------------------------

def _unique_ids(recipients: Iterable[Any]) -> list[int]:
    seen: dict[int, None] = {}
    for r in recipients:
        rid = getattr(r, "id", r)
        if rid is not None:
            seen[int(rid)] = None
    return list(seen)


async def notify(session: AsyncSession, recipients: Iterable[Any], title: str, body: str = "", kind: str = "notice",
                 link: str = "", dedupe_key: str | None = None, *, object_type: str = "", object_id: int | None = None,
                 sender_id: int | None = None) -> int:
    """Queue one message per recipient (user ids or User objects) in the caller's transaction.

    Does not commit and never touches Redis. ``link`` is the admin page that opens the object
    (e.g. ``/development/detail?id=3``); ``object_type``/``object_id`` tell the mini-program
    what to open. ``dedupe_key``: a message with the same key for the same recipient shows
    once. Returns the number of rows queued.
    """
    ids = _unique_ids(recipients)
    if not ids:
        return 0
    now = utcnow()
    shared = {"sender_id": sender_id, "title": title[:200], "body": body[:4000], "kind": kind, "link": link[:300],
              "object_type": object_type, "object_id": object_id, "dedupe_key": dedupe_key, "status": "pending",
              "channels_done": "", "attempts": 0, "next_attempt_at": now, "last_error": "", "created_at": now}
    await _bulk_insert(session, OutboxMessage.__table__, shared, "recipient_id", ids)
    session.info["xf_kick"] = True
    return len(ids)


async def _bulk_insert(session: AsyncSession, table, shared: dict, key: str, values: list) -> None:
    """INSERT one row per value of ``key`` with the ``shared`` columns, at driver level: the
    shared values are converted once (SQLAlchemy would convert them again for every row)."""
    dialect = session.get_bind().dialect
    if dialect.name != "sqlite":  # PostgreSQL: SQLAlchemy's insertmanyvalues is fast already
        await session.execute(insert(table), [{**shared, key: v} for v in values])
        return
    cols = [key, *shared]
    converted = []
    for name, value in shared.items():
        process = table.c[name].type.bind_processor(dialect) if value is not None else None
        converted.append(process(value) if process else value)
    prep = dialect.identifier_preparer
    sql = (f"INSERT INTO {prep.format_table(table)} ({', '.join(prep.quote(c) for c in cols)}) "
           f"VALUES ({', '.join('?' * len(cols))})")
    conn = await session.connection()
    await conn.exec_driver_sql(sql, [(v, *converted) for v in values])


@dataclass
class UrgeResult:
    sent: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)


async def urge(session: AsyncSession, recipients: Iterable[Any], item_key: str, title: str, body: str = "", *,
               quiet: timedelta = timedelta(hours=24), sender_id: int | None = None, link: str = "",
               kind: str = "urge", object_type: str = "", object_id: int | None = None,
               now: datetime | None = None) -> UrgeResult:
    """Remind (催交) a chosen set of people about ``item_key`` (e.g. ``"report:2026-05:17"``).

    A person already reminded about the same item within ``quiet`` is skipped. Every reminder
    is recorded (``xf_urge_log``); the message goes through :func:`notify`. No commit.
    """
    ids = _unique_ids(recipients)
    now = now or utcnow()
    if not ids:
        return UrgeResult()
    recent = set((await session.execute(
        select(UrgeLog.recipient_id).where(UrgeLog.item_key == item_key, UrgeLog.recipient_id.in_(ids),
                                           UrgeLog.sent_at > now - quiet))).scalars())
    result = UrgeResult(sent=[i for i in ids if i not in recent], skipped=[i for i in ids if i in recent])
    if result.sent:
        await session.execute(insert(UrgeLog.__table__), [
            {"item_key": item_key, "recipient_id": rid, "sender_id": sender_id, "sent_at": now} for rid in result.sent])
        bucket = int(now.timestamp() // max(quiet.total_seconds(), 1))
        await notify(session, result.sent, title, body, kind, link, f"urge:{item_key}:{bucket}",
                     object_type=object_type, object_id=object_id, sender_id=sender_id)
    return result


def read_tracker(link: str, interval_ms: int = 20000) -> dict:
    """amis snippet for a page a message links to: while the page stays open it reports
    itself; messages with this ``link`` become read after one minute on it (MSG-2)."""
    return {"type": "service", "className": "hidden", "interval": interval_ms, "silentPolling": True,
            "api": {"method": "post", "url": "/api/pc/v1/messages/dwell", "data": {"link": link}, "silent": True},
            "body": []}


# --- the kick: after commit, ask the worker to deliver now (best effort) --------------------

_kick_url: str | None = None
_kick_tasks: set[asyncio.Task] = set()


def configure(redis_url: str | None) -> str | None:
    """Set the Redis URL kicks go to (the app does it at start); returns the previous one."""
    global _kick_url
    previous, _kick_url = _kick_url, redis_url
    return previous


async def kick(redis_url: str | None = None) -> bool:
    """Enqueue the delivery job now. False (never an exception) if Redis is not there."""
    url = redis_url or _kick_url
    if not url:
        return False
    from arq.connections import ArqRedis

    redis = None
    try:
        redis = ArqRedis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
        await redis.enqueue_job(DELIVER_JOB, _job_id=DELIVER_JOB)
        return True
    except Exception as exc:  # Redis down: the worker's sweep delivers later
        log.info("outbox kick skipped: %s", exc)
        return False
    finally:
        if redis is not None:
            try:
                await redis.aclose()
            except Exception:
                pass


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if not session.info.pop("xf_kick", None) or not _kick_url:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    task = loop.create_task(kick(_kick_url))
    _kick_tasks.add(task)
    task.add_done_callback(_kick_tasks.discard)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop("xf_kick", None)


# --- delivery (in the worker) ----------------------------------------------------------------

@dataclass
class OutboxItem:
    """What a channel receives: one message for one recipient."""

    id: int
    recipient_id: int
    title: str
    body: str
    kind: str
    link: str
    object_type: str
    object_id: int | None
    dedupe_key: str | None
    sender_id: int | None
    created_at: datetime
    attempts: int = 0
    channels_done: str = ""

    @property
    def key(self) -> str:
        """Stable idempotence key for this message and recipient (pass it to remote APIs)."""
        return self.dedupe_key or f"outbox:{self.id}"


class Channel(Protocol):
    """A delivery channel (hook ``xf_channels``). ``deliver`` raises on failure; an optional
    ``deliver_many(messages, session)`` delivers a batch at once (all or nothing)."""

    name: str

    async def deliver(self, message: OutboxItem, session: AsyncSession) -> None: ...


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 10 s, 20 s, 40 s … capped at one hour."""
    return timedelta(seconds=min(10 * 2 ** max(attempts - 1, 0), 3600))


async def _run_channel(channel: Any, items: list[OutboxItem], session: AsyncSession) -> dict[int, str]:
    """Deliver ``items`` on one channel; returns {outbox id: error} for those that failed."""
    errors: dict[int, str] = {}
    many = getattr(channel, "deliver_many", None)
    if many is not None:
        try:
            await asyncio.wait_for(many(items, session), CHANNEL_TIMEOUT + len(items) / 100)
            await session.commit()
            return errors
        except Exception:  # fall back to one by one to isolate the failing messages
            await session.rollback()
    for item in items:
        try:
            await asyncio.wait_for(channel.deliver(item, session), CHANNEL_TIMEOUT)
            await session.commit()
        except Exception as exc:
            await session.rollback()
            errors[item.id] = (f"{type(exc).__name__}: {exc}")[:500]
    return errors


async def deliver_pending(sessionmaker: Callable[[], AsyncSession], channels: list[Any], *, batch: int = 2000,
                          max_attempts: int = MAX_ATTEMPTS, retry_delay: Callable[[int], timedelta] = backoff) -> dict:
    """One pass over the due outbox rows: every channel once per row. Returns counts."""
    stats = {"delivered": 0, "retrying": 0, "failed": 0}
    if not channels:  # no channel installed (messaging disabled): keep everything pending
        return stats
    names = [c.name for c in channels]
    if len(set(names)) != len(names):
        raise RuntimeError(f"two delivery channels share a name: {names}")
    table = OutboxMessage.__table__
    cols = [table.c[n] for n in OutboxItem.__dataclass_fields__]
    token = uuid.uuid4().hex
    cursor = 0
    while True:
        now = utcnow()
        async with sessionmaker() as session:
            ids = list((await session.execute(
                select(table.c.id).where(table.c.status == "pending", table.c.next_attempt_at <= now, table.c.id > cursor)
                .order_by(table.c.id).limit(batch))).scalars())
            if not ids:
                break
            cursor = ids[-1]
            await session.execute(
                update(table).where(table.c.id.in_(ids), table.c.status == "pending", table.c.next_attempt_at <= now)
                .values(claim=token, next_attempt_at=now + LEASE))
            await session.commit()
            items = [OutboxItem(**row._mapping) for row in
                     (await session.execute(select(*cols).where(table.c.id.in_(ids), table.c.claim == token))).all()]
            await session.commit()
            if not items:
                continue
            done: dict[int, set[str]] = {i.id: set(filter(None, i.channels_done.split(","))) for i in items}
            errors: dict[int, list[str]] = {}
            attempts: list[dict] = []
            for channel in channels:
                todo = [i for i in items if channel.name not in done[i.id]]
                if not todo:
                    continue
                failed = await _run_channel(channel, todo, session)
                at = utcnow()
                for i in todo:
                    err = failed.get(i.id)
                    attempts.append({"outbox_id": i.id, "channel": channel.name, "attempt": i.attempts + 1,
                                     "ok": err is None, "error": err or "", "at": at})
                    if err is None:
                        done[i.id].add(channel.name)
                    else:
                        errors.setdefault(i.id, []).append(f"{channel.name}: {err}")
            at = utcnow()
            if attempts:
                await session.execute(insert(DeliveryAttempt.__table__), attempts)
            ok_ids = [i.id for i in items if i.id not in errors]
            if ok_ids:
                await session.execute(
                    update(table).where(table.c.id.in_(ok_ids)).values(
                        status="done", done_at=at, claim=None, attempts=table.c.attempts + 1, last_error="",
                        channels_done=",".join(names)[:200]))
            retry = []
            for i in items:
                if i.id in errors:
                    n = i.attempts + 1
                    gave_up = n >= max_attempts
                    retry.append({"b_id": i.id, "b_status": "failed" if gave_up else "pending",
                                  "b_done": ",".join(sorted(done[i.id]))[:200], "b_attempts": n,
                                  "b_next": at + retry_delay(n), "b_error": "; ".join(errors[i.id])[:500]})
                    stats["failed" if gave_up else "retrying"] += 1
            if retry:
                await session.execute(
                    update(table).where(table.c.id == bindparam("b_id")).values(
                        status=bindparam("b_status"), channels_done=bindparam("b_done"), attempts=bindparam("b_attempts"),
                        next_attempt_at=bindparam("b_next"), last_error=bindparam("b_error"), claim=None),
                    retry)
            await session.commit()
            stats["delivered"] += len(ok_ids)
    return stats
