"""Who to tell: the admins of a party branch (to-dos and messages for the branch side); and how a
stage names party branches (``names_lookup`` over the organisation table of its dependency)."""
from __future__ import annotations

from typing import Awaitable, Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Role, User, UserRole

# (session, branch ids) -> {id: name}: how components name party branches (org_mgmt knows them).
BranchNames = Callable[[AsyncSession, list[int]], Awaitable[dict[int, str]]]


async def branch_admin_ids(session: AsyncSession, branch_ids) -> list[int]:
    branch_ids = [b for b in set(branch_ids) if b is not None]
    if not branch_ids:
        return []
    return list((await session.execute(
        select(User.id).join(UserRole, UserRole.user_id == User.id).join(Role, Role.id == UserRole.role_id)
        .where(Role.key == "branch_admin", User.party_branch_id.in_(branch_ids), User.deleted_at.is_(None))
    )).scalars())


async def committee_ids(session: AsyncSession) -> list[int]:
    """The college committee's accounts (学院党委): who hears of filings and training signups."""
    return list((await session.execute(
        select(User.id).join(UserRole, UserRole.user_id == User.id).join(Role, Role.id == UserRole.role_id)
        .where(Role.key == "committee", User.deleted_at.is_(None)).distinct())).scalars())


def at_step(actor, stage: str, step: str):
    """SQL: the active records at ``stage``/``step`` of people the actor reaches (with their user)."""
    from core.auth import scope_condition
    from core.workflow.models import DevelopmentRecord

    return (select(DevelopmentRecord, User).join(User, User.id == DevelopmentRecord.user_id)
            .where(DevelopmentRecord.stage == stage, DevelopmentRecord.step == step, DevelopmentRecord.status == "active",
                   User.deleted_at.is_(None), scope_condition(actor)))


def names_lookup(model) -> BranchNames:
    """``(session, ids) -> {id: name}`` over a dependency's table with ``id`` and ``name`` (a stage
    passes ``names_lookup(Organisation)`` from org_mgmt as the components' ``branch_names``):
    the core does not know the organisation tree, so the plugin that depends on it names it."""
    async def names(session: AsyncSession, ids: list[int]) -> dict[int, str]:
        return dict((await session.execute(select(model.id, model.name).where(model.id.in_(ids)))).all())

    return names
