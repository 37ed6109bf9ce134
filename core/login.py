"""Account + password login with throttling: too many failures lock the account name for a while.

Every attempt is counted *before* the password is checked, in one atomic statement
(``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` on SQLite and PostgreSQL), and a
successful check clears the count. So parallel guesses cannot all slip past a counter that
each of them read as "not locked yet": at most ``login_max_failures`` attempts per window
reach bcrypt, the rest are refused with the lock message without being checked.
"""
from __future__ import annotations

import asyncio
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from functools import partial

from sqlalchemy import case, delete, literal, null, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import fail
from core.models import LoginAttempt, User, utcnow
from core.security import check_password, hash_cost, hash_password, issue_token
from core.settings import Settings

WRONG_CREDENTIALS = "账号或密码错误"


def lock_message(minutes: int) -> str:
    return f"登录失败次数过多，请{minutes}分钟后再试"


async def authenticate(session: AsyncSession, settings: Settings, username: str, password: str) -> User:
    username = (username or "").strip()
    now = utcnow()
    user = (
        await session.execute(select(User).where(User.username == username, User.deleted_at.is_(None), User.is_active.is_(True)))
    ).scalar_one_or_none()
    # Counted and committed before the check; the commit also gives the connection back to the
    # pool, so a burst of logins (semester start) never holds connections while bcrypt runs.
    attempt_no, locked_until = await _count_attempt(session, settings, username, now)
    if attempt_no > settings.login_max_failures:
        remaining = (locked_until - now).total_seconds() if locked_until else settings.login_lock_minutes * 60
        raise fail(429, lock_message(max(1, int(remaining // 60) + 1)))
    # One bcrypt check on every path (a dummy hash of the same cost for unknown accounts),
    # off the event loop, at most one per core at a time (in_hash_pool).
    ok = await in_hash_pool(check_password, password or "", user.password_hash if user else None, settings.bcrypt_rounds)
    if not ok:
        raise fail(401, WRONG_CREDENTIALS)
    await session.execute(delete(LoginAttempt).where(LoginAttempt.username == username))
    if hash_cost(user.password_hash) != settings.bcrypt_rounds:
        # Keep every account at the configured cost, so a real account and the dummy cost the same.
        # Committed first: no transaction (SQLite's write lock) stays open while it hashes.
        await session.commit()
        user.password_hash = await in_hash_pool(hash_password, password, settings.bcrypt_rounds)
    await session.commit()
    return user


_HASH_NICENESS = 10
_hash_pool: ThreadPoolExecutor | None = None


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _lower_priority() -> None:
    """Linux schedules threads one by one: a hashing thread yields the CPU to the event loop
    whenever both want it, and takes every cycle the loop leaves idle."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), _HASH_NICENESS)
    except (AttributeError, OSError):
        pass


async def in_hash_pool(function, *args):
    """Run a bcrypt computation on this process's hashing threads: one per CPU core, at a lower
    scheduling priority than the event loop. More threads than cores only queue for the same
    cores, and at equal priority a login burst (semester start) took the CPU from the event
    loop, so every other request, ``/healthz`` included, waited behind it (issue 11). The
    login rate stays the same: the cores are still all hashing."""
    global _hash_pool
    if _hash_pool is None:
        _hash_pool = ThreadPoolExecutor(max_workers=_cores(), thread_name_prefix="xf-bcrypt", initializer=_lower_priority)
    return await asyncio.get_running_loop().run_in_executor(_hash_pool, partial(function, *args))


async def _count_attempt(session: AsyncSession, settings: Settings, username: str, now) -> tuple[int, object]:
    """Count one attempt for ``username`` atomically; returns (its number in the current window,
    lock end). The window restarts when it has passed and no lock is running; the attempt that
    reaches the limit starts the lock, so the lock lasts ``login_lock_minutes`` from there."""
    window = timedelta(minutes=settings.login_lock_minutes)
    t = LoginAttempt.__table__
    c = t.c
    fresh = (c.first_failure_at.is_(None) | (c.first_failure_at <= now - window)) & (
        c.locked_until.is_(None) | (c.locked_until <= now))
    count = case((fresh, literal(1)), else_=c.failures + 1)
    insert = (postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert)(t)
    stmt = insert.values(
        username=username, failures=1, first_failure_at=now,
        locked_until=now + window if settings.login_max_failures <= 1 else None,
    ).on_conflict_do_update(
        index_elements=[c.username],
        set_={
            "failures": count,
            "first_failure_at": case((fresh, literal(now)), else_=c.first_failure_at),
            "locked_until": case(
                (count == settings.login_max_failures, literal(now + window)),
                (fresh, null()),
                else_=c.locked_until,
            ),
        },
    ).returning(c.failures, c.locked_until)
    failures, locked_until = (await session.execute(stmt)).one()
    await session.commit()  # the count must be visible to parallel attempts before bcrypt runs
    return failures, locked_until


def token_for(user: User, settings: Settings) -> tuple[str, object]:
    return issue_token(user.id, user.token_version, settings.secret_key, settings.token_ttl_minutes)
