"""Passwords (UM-2 policy, bcrypt) and signed access tokens."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import bcrypt
import jwt

PASSWORD_POLICY_MESSAGE = "密码需同时包含大小写字母、数字和特殊字符，长度8位以上"
_SPECIAL = re.compile(r"[^A-Za-z0-9]")


def password_problem(password: str) -> str | None:
    """The Chinese reason a password breaks UM-2, or None when it is acceptable."""
    if (
        not isinstance(password, str)
        or len(password) < 8
        or not re.search(r"[a-z]", password)
        or not re.search(r"[A-Z]", password)
        or not re.search(r"[0-9]", password)
        or not _SPECIAL.search(password)
        or re.search(r"\s", password)
    ):
        return PASSWORD_POLICY_MESSAGE
    return None


def hash_password(password: str, rounds: int) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds)).decode()


def verify_password(password: str, hashed: str) -> bool:
    if not hashed:
        return False
    try:
        return bcrypt.checkpw(password.encode(), hashed.encode())
    except ValueError:
        return False


# A hash to check against when the account does not exist, so both paths cost the same.
_DUMMY_HASH = bcrypt.hashpw(b"x", bcrypt.gensalt(4)).decode()


def dummy_verify(password: str) -> None:
    verify_password(password, _DUMMY_HASH)


def issue_token(user_id: int, token_version: int, secret: str, ttl_minutes: int) -> tuple[str, datetime]:
    expires = datetime.now(timezone.utc) + timedelta(minutes=ttl_minutes)
    payload = {"sub": str(user_id), "ver": token_version, "exp": expires, "iat": (expires - timedelta(minutes=ttl_minutes)).timestamp()}
    return jwt.encode(payload, secret, algorithm="HS256"), expires


def read_token(token: str, secret: str) -> tuple[int, int] | None:
    try:
        payload = jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["exp", "sub"]})
        return int(payload["sub"]), int(payload.get("ver", 0))
    except (jwt.PyJWTError, ValueError, KeyError):
        return None
