"""The part every review decision shares (letters, talk records, later forms): rights, the
reason a rejection needs, the records' position, and that each has something pending."""
from __future__ import annotations

from typing import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Actor
from core.errors import fail
from core.workflow.engine import Engine


async def pending_decision(session: AsyncSession, engine: Engine, actor: Actor, record_ids: list[int], *, stage: str,
                           step: str, approve: bool, reason: str, permission: str, what: str,
                           find_pending: Callable[[AsyncSession, list[int]], Awaitable[dict]]):
    """(records, users, pending item per record id, cleaned reason) or a refusal naming who lacks one."""
    if permission and not actor.can(permission):
        raise fail(403, "没有权限执行此操作")
    reason = (reason or "").strip()
    if not approve and not reason:
        raise fail(422, "请填写审核不通过理由")
    records, users = await engine.load(session, actor, record_ids)
    engine.check_position(records, users, stage, step)
    pending = await find_pending(session, [r.id for r in records])
    missing = [r for r in records if r.id not in pending or pending[r.id].status != "submitted"]
    if missing:
        raise fail(409, f"以下人员没有待审核的{what}：{'、'.join(users[r.user_id].name for r in missing)}")
    return records, users, pending, reason
