"""Who is asking (token from the Authorization header or the admin cookie), what they may
do (permission keys held by their roles) and how far they reach (scope). Every list and
detail endpoint that touches people goes through ``scope_condition`` / ``ensure_user_in_scope``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import bindparam, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from core import role_cache
from core.db import SessionDep
from core.errors import fail
from core.models import RevokedToken, User, UserRole, utcnow
from core.security import TokenClaims, read_token

COOKIE_NAME = "xf_token"
_SCOPE_RANK = {"self": 0, "branch": 1, "all": 2}


@dataclass
class Actor:
    user: User
    role_keys: set[str] = field(default_factory=set)
    permissions: set[str] = field(default_factory=set)
    role_names: dict[str, str] = field(default_factory=dict)  # role key -> its Chinese name
    scope: str = "self"
    # The access token this request came with (None when loaded without one, e.g. at login).
    token: TokenClaims | None = None

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def branch_id(self) -> int | None:
        return self.user.party_branch_id

    @property
    def is_superuser(self) -> bool:
        return "admin" in self.role_keys

    def can(self, key: str) -> bool:
        return self.is_superuser or key in self.permissions


def token_from_request(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return request.cookies.get(COOKIE_NAME) or None


async def load_actor(session: AsyncSession, user_id: int, token_version: int | None = None,
                     jti: str | None = None) -> Actor | None:
    """The live user with roles, permissions and scope in ONE statement: the user row, its
    role ids (one row per role), whether the token ``jti`` was revoked by a logout, and the
    role-permission version. Role keys, scopes and permissions come from the process's
    role cache (core/role_cache.py), read again only when that version moved. None for a
    deleted or disabled user, a stale ``token_version`` (password change, disable, delete) or
    a revoked token. The user is the session's own object, as if loaded by ``session.get``."""
    rows = (await session.execute(_ACTOR_STATEMENT, {"user_id": user_id, "jti": jti or ""})).all()
    if not rows:
        return None
    user, _, acl_version, is_revoked = rows[0]
    if user.deleted_at is not None or not user.is_active or is_revoked:
        return None
    if token_version is not None and user.token_version != token_version:
        return None
    cache = role_cache.cache_for(session)
    role_ids = [row[1] for row in rows if row[1] is not None]
    if not cache.fresh(acl_version) or any(rid not in cache.roles for rid in role_ids):
        await cache.load(session, acl_version)
    actor = Actor(user=user)
    for role_id in role_ids:
        role = cache.roles.get(role_id)
        if role is None:  # deleted between the two statements: the user no longer holds it
            continue
        actor.role_keys.add(role.key)
        actor.role_names[role.key] = role.name
        actor.permissions |= role.permissions
        if _SCOPE_RANK.get(role.scope, 0) > _SCOPE_RANK[actor.scope]:
            actor.scope = role.scope
    if actor.is_superuser:
        actor.scope = "all"
    return actor


_ACTOR_STATEMENT = (
    select(User, UserRole.role_id, role_cache.version_column().label("acl_version"),
           select(RevokedToken.jti).where(RevokedToken.jti == bindparam("jti")).exists().label("revoked"))
    .outerjoin(UserRole, UserRole.user_id == User.id)
    .where(User.id == bindparam("user_id"))
)


@lru_cache(maxsize=8192)
def _verified(token: str, secret: str) -> TokenClaims | None:
    """``read_token`` once per token string: its signature and claims never change, and decoding
    them was 5-8% of every request (issue 11). Expiry moves with the clock: see ``claims_of``."""
    return read_token(token, secret)


def claims_of(token: str, secret: str) -> TokenClaims | None:
    claims = _verified(token, secret)
    if claims is not None and claims.expires_at <= utcnow():
        return None
    return claims


async def actor_from_token(session: AsyncSession, token: str | None, secret: str) -> Actor | None:
    """The actor a bearer/cookie token stands for (None if invalid, expired, revoked or stale)."""
    claims = claims_of(token, secret) if token else None
    if claims is None:
        return None
    actor = await load_actor(session, claims.user_id, claims.version, claims.jti)
    if actor is not None:
        actor.token = claims
    return actor


async def optional_actor(request: Request, session: SessionDep) -> Actor | None:
    if "xf_actor" in request.state.__dict__:
        return request.state.xf_actor
    actor = await actor_from_token(session, token_from_request(request), request.app.state.settings.secret_key)
    request.state.xf_actor = actor
    return actor


async def current_actor(actor: Annotated[Actor | None, Depends(optional_actor)]) -> Actor:
    if actor is None:
        raise fail(401, "请先登录")
    return actor


CurrentActor = Annotated[Actor, Depends(current_actor)]
OptionalActor = Annotated[Actor | None, Depends(optional_actor)]


def require(key: str):
    """Dependency: the current actor, who must hold permission ``key`` (403 otherwise)."""

    async def dep(actor: CurrentActor) -> Actor:
        if not actor.can(key):
            raise fail(403, "没有权限执行此操作")
        return actor

    dep.__name__ = f"require_{key.replace('.', '_')}"
    return dep


def Requires(key: str) -> Any:
    return Annotated[Actor, Depends(require(key))]


# --- scope --------------------------------------------------------------------------------

def scope_condition(actor: Actor, user_id_col=None, branch_col=None):
    """SQL condition limiting rows to the actor's reach.

    ``user_id_col``: a column holding the person a row is about; ``branch_col``: a column
    holding a party branch id (for rows about a branch rather than a person).
    """
    if actor.scope == "all":
        return true()
    if actor.scope == "branch":
        if actor.branch_id is None:
            return ~true()
        if branch_col is not None:
            return branch_col == actor.branch_id
        sub = select(User.id).where(User.party_branch_id == actor.branch_id)
        return user_id_col.in_(sub) if user_id_col is not None else User.party_branch_id == actor.branch_id
    # self
    if user_id_col is not None:
        return user_id_col == actor.id
    if branch_col is not None:
        return ~true()
    return User.id == actor.id


def user_in_scope(actor: Actor, user: User) -> bool:
    if actor.scope == "all":
        return True
    if actor.scope == "branch":
        return actor.branch_id is not None and user.party_branch_id == actor.branch_id
    return user.id == actor.id


def branch_in_scope(actor: Actor, branch_id: int | None) -> bool:
    if actor.scope == "all":
        return True
    return actor.scope == "branch" and branch_id is not None and branch_id == actor.branch_id


async def get_user_in_scope(session: AsyncSession, actor: Actor, user_id: int) -> User:
    """Load a live user the actor may see; 404 otherwise (no hint whether it exists)."""
    user = await session.get(User, user_id)
    if user is None or user.deleted_at is not None or not user_in_scope(actor, user):
        raise fail(404, "用户不存在或无权查看")
    return user
