"""Who to tell: the admins of a party branch (to-dos and messages for the branch side)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Role, User, UserRole


async def branch_admin_ids(session: AsyncSession, branch_ids) -> list[int]:
    branch_ids = [b for b in set(branch_ids) if b is not None]
    if not branch_ids:
        return []
    return list((await session.execute(
        select(User.id).join(UserRole, UserRole.user_id == User.id).join(Role, Role.id == UserRole.role_id)
        .where(Role.key == "branch_admin", User.party_branch_id.in_(branch_ids), User.deleted_at.is_(None))
    )).scalars())
