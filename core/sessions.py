"""Ending one access token (logout) before it expires.

A logout revokes only the token it came with, so the user's other devices stay signed in;
password change, disable and delete end every token at once through ``User.token_version``.
The revocation is read by ``core.auth.load_actor`` inside the actor query (no extra round
trip per request), and rows whose token has expired anyway are deleted at each logout, so the
table holds at most the tokens revoked within one token lifetime.
"""
from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import RevokedToken, utcnow
from core.security import TokenClaims


async def revoke_token(session: AsyncSession, claims: TokenClaims, user_id: int) -> None:
    await session.execute(delete(RevokedToken).where(RevokedToken.expires_at < utcnow()))
    insert = (postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert)(RevokedToken.__table__)
    # A second logout with the same token (two tabs) is not an error.
    await session.execute(insert.values(jti=claims.jti, user_id=user_id, expires_at=claims.expires_at)
                          .on_conflict_do_nothing(index_elements=["jti"]))
    await session.commit()
