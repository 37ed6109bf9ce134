"""Seeding shared by `xianfeng init` and app start: roles, permission defaults, plugin rows."""
from __future__ import annotations

import secrets
import string

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Role, User, UserRole
from core.permissions import PermissionRegistry, seed_builtin_roles
from core.security import hash_password, password_problem
from core.settings import Settings


async def seed_all(session: AsyncSession, settings: Settings, plugins, registry: PermissionRegistry) -> None:
    await seed_builtin_roles(session)
    await registry.grant_defaults(session)
    await plugins.run("xf_seed", session=session, settings=settings)
    await session.commit()


def generate_password() -> str:
    """A random password that satisfies UM-2."""
    alphabet = string.ascii_letters + string.digits + "!@#%^*-_"
    while True:
        pw = "".join(secrets.choice(alphabet) for _ in range(14))
        if password_problem(pw) is None:
            return pw


async def create_user(
    session: AsyncSession, settings: Settings, plugins, *, username: str, password: str, role_keys: list[str],
    name: str = "", **fields,
) -> User:
    """Create a user on every non-UI path (CLI, demo, init) with the same rules as the admin UI."""
    problem = password_problem(password)
    if problem:
        raise ValueError(problem)
    if (await session.execute(select(User.id).where(User.username == username))).first():
        raise ValueError(f"账号 {username} 已存在")
    roles = (await session.execute(select(Role).where(Role.key.in_(role_keys)))).scalars().all()
    missing = set(role_keys) - {r.key for r in roles}
    if missing:
        raise ValueError(f"角色不存在：{'、'.join(sorted(missing))}")
    user = User(username=username, name=name or username, password_hash=hash_password(password, settings.bcrypt_rounds), **fields)
    session.add(user)
    await session.flush()
    for r in roles:
        session.add(UserRole(user_id=user.id, role_id=r.id))
    await plugins.run("xf_user_placed", session=session, user_ids=[user.id])
    return user


async def ensure_first_admin(session: AsyncSession, settings: Settings, plugins, password: str | None = None) -> tuple[str, str] | None:
    """Create the first committee admin when no admin exists; returns (username, password) once."""
    exists = (
        await session.execute(
            select(UserRole.user_id).join(Role, Role.id == UserRole.role_id).where(Role.key.in_(["admin", "committee"])).limit(1)
        )
    ).first()
    if exists:
        return None
    password = password or generate_password()
    await create_user(session, settings, plugins, username="admin", password=password, role_keys=["admin", "committee"], name="学院党委管理员")
    await session.commit()
    return "admin", password
