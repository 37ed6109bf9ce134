"""Passwords (UM-2 policy, bcrypt) and signed access tokens."""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

import bcrypt
import jwt

PASSWORD_POLICY_MESSAGE = "密码需同时包含大小写字母、数字和特殊字符，长度8位以上"
# bcrypt reads only the first 72 bytes: a longer password would be cut silently, so two
# passwords sharing those bytes would both log in. Refused when set, failed when checked.
MAX_PASSWORD_BYTES = 72
PASSWORD_TOO_LONG_MESSAGE = f"密码不能超过{MAX_PASSWORD_BYTES}个字节（一个汉字占3个字节）"
_SPECIAL = re.compile(r"[^A-Za-z0-9]")


def password_problem(password: str) -> str | None:
    """The Chinese reason a password breaks UM-2, or None when it is acceptable."""
    if not isinstance(password, str):
        return PASSWORD_POLICY_MESSAGE
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        return PASSWORD_TOO_LONG_MESSAGE
    if (
        len(password) < 8
        or not re.search(r"[a-z]", password)
        or not re.search(r"[A-Z]", password)
        or not re.search(r"[0-9]", password)
        or not _SPECIAL.search(password)
        or re.search(r"\s", password)
    ):
        return PASSWORD_POLICY_MESSAGE
    return None


def hash_password(password: str, rounds: int) -> str:
    raw = password.encode("utf-8")
    if len(raw) > MAX_PASSWORD_BYTES:
        raise ValueError(PASSWORD_TOO_LONG_MESSAGE)
    return bcrypt.hashpw(raw, bcrypt.gensalt(rounds)).decode()


def hash_cost(hashed: str) -> int | None:
    """The work factor of a bcrypt hash (``$2b$10$...`` -> 10), None if it is not one."""
    parts = (hashed or "").split("$")
    return int(parts[2]) if len(parts) > 3 and parts[2].isdigit() else None


@lru_cache(maxsize=4)
def dummy_hash(rounds: int) -> str:
    """A hash of a random password at the installation's cost, checked when the account is
    unknown (or has no password) so that path costs exactly what a real account costs."""
    return bcrypt.hashpw(secrets.token_bytes(16), bcrypt.gensalt(rounds)).decode()


def check_password(password: str, hashed: str | None, rounds: int) -> bool:
    """Exactly one bcrypt check whatever the input, so timing says nothing about the account.

    ``hashed`` None or empty (unknown account, deleted user) checks the dummy hash of cost
    ``rounds``; a password over 72 bytes is checked (for equal cost) but never accepted."""
    raw = (password or "").encode("utf-8")
    too_long = len(raw) > MAX_PASSWORD_BYTES
    target = hashed if hashed and hash_cost(hashed) is not None else None
    try:
        ok = bcrypt.checkpw(raw[:MAX_PASSWORD_BYTES], (target or dummy_hash(rounds)).encode())
    except ValueError:
        ok = False
    return ok and target is not None and not too_long


def verify_password(password: str, hashed: str) -> bool:
    """Whether ``password`` is the one ``hashed`` was made from (refused over 72 bytes)."""
    if not hashed or len((password or "").encode("utf-8")) > MAX_PASSWORD_BYTES:
        return False
    try:
        return bcrypt.checkpw(password.encode("utf-8"), hashed.encode())
    except ValueError:
        return False


@dataclass(frozen=True)
class TokenClaims:
    """What a valid access token says: whose it is, which ``token_version`` of that user it
    belongs to, its own id (``jti``, for logout) and when it was issued and expires."""

    user_id: int
    version: int
    jti: str
    issued_at: datetime
    expires_at: datetime


def issue_token(user_id: int, token_version: int, secret: str, ttl_minutes: int) -> tuple[str, datetime]:
    now = datetime.now(timezone.utc)
    expires = now + timedelta(minutes=ttl_minutes)
    payload = {"sub": str(user_id), "ver": token_version, "jti": secrets.token_urlsafe(16), "iat": now.timestamp(), "exp": expires}
    return jwt.encode(payload, secret, algorithm="HS256"), expires


def read_token(token: str, secret: str) -> TokenClaims | None:
    """The claims of a token signed with ``secret`` and not expired; None otherwise. Tokens
    without a ``jti`` (issued before logout could revoke one) are refused."""
    try:
        payload = jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["exp", "sub", "jti", "iat"]})
        jti = payload["jti"]
        if not isinstance(jti, str) or not 0 < len(jti) <= 64:
            return None
        return TokenClaims(
            user_id=int(payload["sub"]), version=int(payload.get("ver", 0)), jti=jti,
            issued_at=datetime.fromtimestamp(payload["iat"], timezone.utc).replace(tzinfo=None),
            expires_at=datetime.fromtimestamp(payload["exp"], timezone.utc).replace(tzinfo=None),
        )
    except (jwt.PyJWTError, ValueError, KeyError, TypeError, OverflowError):
        return None
