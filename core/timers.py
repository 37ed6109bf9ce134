"""Timers: "run job X for object Y at time T", stored in the database (CORE-6).

A plugin calls :func:`schedule` / :func:`move` / :func:`cancel` with its own session, in the
transaction of the action that sets the time. The worker's sweep (every few seconds, and at
start-up) runs the due ones by calling the job function of that name (from ``xf_jobs``)
as ``await job(ctx, object_ref, payload)``; a job that raises is retried with back-off.

Timers may be late (worker stopped, Redis down): a state that depends on time must be
computed from the stored times when read; the timer only notifies and persists the change.
"""
from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any, Callable, Optional

from sqlalchemy import JSON, Column, Index, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel

from core.models import utcnow
from core.outbox import LEASE, MAX_ATTEMPTS, backoff

log = logging.getLogger("xianfeng.timers")


class Timer(SQLModel, table=True):
    __tablename__ = "xf_timer"
    __table_args__ = (Index("ix_xf_timer_due", "status", "next_attempt_at"),
                      Index("ix_xf_timer_job_object", "job", "object_ref"))

    id: Optional[int] = Field(default=None, primary_key=True)
    job: str = Field(max_length=80)
    object_ref: str = Field(max_length=120)  # e.g. "publicity:12"
    run_at: datetime
    status: str = Field(default="pending", max_length=10)  # pending | done | cancelled | failed
    payload: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict))
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow)
    claim: Optional[str] = Field(default=None, max_length=32)
    last_error: str = Field(default="", max_length=500)
    fired_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow)


def _naive(t: datetime) -> datetime:
    """Stored times are naive UTC (like ``utcnow``); aware datetimes are converted."""
    if t.tzinfo is not None:
        from datetime import timezone

        t = t.astimezone(timezone.utc).replace(tzinfo=None)
    return t


def _pending(job: str, object_ref: str):
    return select(Timer).where(Timer.job == job, Timer.object_ref == object_ref, Timer.status == "pending")


async def schedule(session: AsyncSession, job: str, object_ref: str, run_at: datetime,
                   payload: dict | None = None) -> Timer:
    """Run ``job`` for ``object_ref`` at ``run_at``. One pending timer per (job, object):
    scheduling again moves it. No commit."""
    run_at = _naive(run_at)
    timer = (await session.execute(_pending(job, object_ref))).scalars().first()
    if timer is None:
        timer = Timer(job=job, object_ref=object_ref, run_at=run_at, next_attempt_at=run_at, payload=payload or {})
        session.add(timer)
    else:
        timer.run_at = timer.next_attempt_at = run_at
        timer.attempts, timer.last_error = 0, ""
        if payload is not None:
            timer.payload = payload
    await session.flush()
    return timer


async def move(session: AsyncSession, job: str, object_ref: str, run_at: datetime) -> int:
    """Change the time of the pending timer(s) of (job, object). Returns how many moved."""
    run_at = _naive(run_at)
    res = await session.execute(
        update(Timer).where(Timer.job == job, Timer.object_ref == object_ref, Timer.status == "pending")
        .values(run_at=run_at, next_attempt_at=run_at, attempts=0, claim=None).execution_options(synchronize_session=False))
    return res.rowcount or 0


async def cancel(session: AsyncSession, job: str, object_ref: str | None = None) -> int:
    """Cancel pending timers of ``job`` (for one object, or all with ``object_ref=None``)."""
    q = update(Timer).where(Timer.job == job, Timer.status == "pending")
    if object_ref is not None:
        q = q.where(Timer.object_ref == object_ref)
    res = await session.execute(q.values(status="cancelled", claim=None).execution_options(synchronize_session=False))
    return res.rowcount or 0


async def pending(session: AsyncSession, job: str | None = None, object_ref: str | None = None) -> list[Timer]:
    q = select(Timer).where(Timer.status == "pending").order_by(Timer.run_at)
    if job:
        q = q.where(Timer.job == job)
    if object_ref:
        q = q.where(Timer.object_ref == object_ref)
    return list((await session.execute(q)).scalars())


async def fire_due(sessionmaker: Callable[[], AsyncSession], functions: dict[str, Callable], ctx: dict, *,
                   batch: int = 200, max_attempts: int = MAX_ATTEMPTS,
                   retry_delay: Callable[[int], timedelta] = backoff) -> dict:
    """Run every due timer once. Returns counts {"fired", "retrying", "failed"}."""
    stats = {"fired": 0, "retrying": 0, "failed": 0}
    token = uuid.uuid4().hex
    cursor = 0
    while True:
        now = utcnow()
        async with sessionmaker() as session:
            ids = list((await session.execute(
                select(Timer.id).where(Timer.status == "pending", Timer.next_attempt_at <= now, Timer.id > cursor)
                .order_by(Timer.id).limit(batch))).scalars())
            if not ids:
                break
            cursor = ids[-1]
            await session.execute(
                update(Timer).where(Timer.id.in_(ids), Timer.status == "pending", Timer.next_attempt_at <= now)
                .values(claim=token, next_attempt_at=now + LEASE).execution_options(synchronize_session=False))
            await session.commit()
            timers = list((await session.execute(select(Timer).where(Timer.id.in_(ids), Timer.claim == token))).scalars())
            for t in timers:
                job, ref, payload, attempts = t.job, t.object_ref, dict(t.payload or {}), t.attempts
                fn = functions.get(job)
                error = "" if fn else f"unknown job {job!r}"
                if fn:
                    try:
                        await fn(ctx, ref, payload)
                    except Exception as exc:
                        error = f"{type(exc).__name__}: {exc}"[:500]
                        log.warning("timer %s %s failed: %s", job, ref, error)
                values: dict[str, Any] = {"claim": None, "attempts": attempts + 1}
                if not error:
                    values.update(status="done", fired_at=utcnow(), last_error="")
                    stats["fired"] += 1
                else:
                    gave_up = not fn or attempts + 1 >= max_attempts
                    values.update(status="failed" if gave_up else "pending", last_error=error,
                                  next_attempt_at=utcnow() + retry_delay(attempts + 1))
                    stats["failed" if gave_up else "retrying"] += 1
                # Only if nobody moved or cancelled it meanwhile (claim is reset by move/cancel).
                await session.execute(update(Timer).where(Timer.id == t.id, Timer.claim == token)
                                      .values(**values).execution_options(synchronize_session=False))
                await session.commit()
    return stats
