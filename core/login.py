"""Account + password login with throttling: too many failures lock the account name for a while."""
from __future__ import annotations

from datetime import timedelta

import anyio

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import fail
from core.models import LoginAttempt, User, utcnow
from core.security import dummy_verify, issue_token, verify_password
from core.settings import Settings

WRONG_CREDENTIALS = "账号或密码错误"


async def authenticate(session: AsyncSession, settings: Settings, username: str, password: str) -> User:
    username = (username or "").strip()
    now = utcnow()
    attempt = await session.get(LoginAttempt, username)
    if attempt and attempt.locked_until and attempt.locked_until > now:
        minutes = max(1, int((attempt.locked_until - now).total_seconds() // 60) + 1)
        raise fail(429, f"登录失败次数过多，请{minutes}分钟后再试")
    user = (
        await session.execute(select(User).where(User.username == username, User.deleted_at.is_(None), User.is_active.is_(True)))
    ).scalar_one_or_none()
    # bcrypt takes tens of milliseconds: run it off the event loop so other requests go on.
    if user is not None:
        ok = await anyio.to_thread.run_sync(verify_password, password or "", user.password_hash)
    else:
        await anyio.to_thread.run_sync(dummy_verify, password or "")
        ok = False
    if not ok:
        await _record_failure(session, settings, username, attempt, now)
        raise fail(401, WRONG_CREDENTIALS)
    if attempt is not None:
        await session.execute(delete(LoginAttempt).where(LoginAttempt.username == username))
        await session.commit()
    return user


async def _record_failure(session, settings: Settings, username: str, attempt: LoginAttempt | None, now) -> None:
    window = timedelta(minutes=settings.login_lock_minutes)
    if attempt is None:
        attempt = LoginAttempt(username=username, failures=0)
        session.add(attempt)
    if attempt.first_failure_at is None or now - attempt.first_failure_at > window:
        attempt.failures, attempt.first_failure_at = 0, now
    attempt.failures += 1
    if attempt.failures >= settings.login_max_failures:
        attempt.locked_until = now + window
        attempt.failures, attempt.first_failure_at = 0, None
    try:
        await session.commit()
    except IntegrityError:  # a concurrent failure inserted the row first; one count lost is fine
        await session.rollback()


def token_for(user: User, settings: Settings) -> tuple[str, object]:
    return issue_token(user.id, user.token_version, settings.secret_key, settings.token_ttl_minutes)
