"""Party groups (党小组, ORG-5) under a party branch, maintained by the committee."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import select

from core.auth import Requires, scope_condition
from core.db import SessionDep
from core.errors import fail
from core.responses import PagingDep, ok, count_of
from core.text import MultilineText, PlainText
from plugins.org_mgmt.models import Organisation, PartyGroup

router = APIRouter(prefix="/api/pc/v1/party-groups", tags=["管理端-党小组管理"])


class GroupIn(BaseModel):
    name: PlainText = Field(min_length=1, max_length=64, title="党小组名称")
    branch_id: int = Field(title="所属党支部")
    leader: PlainText = Field("", max_length=64, title="组长")
    description: MultilineText = Field("", max_length=400, title="备注")


async def _check(session, body: GroupIn, exclude: int | None = None) -> None:
    branch = await session.get(Organisation, body.branch_id)
    if branch is None or branch.kind != "party" or branch.level != "branch":
        raise fail(422, "党小组只能建在党支部下")
    if not branch.enabled:
        raise fail(422, "所属党支部已停用")
    q = select(PartyGroup.id).where(PartyGroup.branch_id == body.branch_id, PartyGroup.name == body.name.strip())
    if exclude:
        q = q.where(PartyGroup.id != exclude)
    if (await session.execute(q)).first():
        raise fail(409, f"该党支部下已有名为“{body.name.strip()}”的党小组")


def _json(g: PartyGroup, branch_name: str | None) -> dict:
    return {"id": g.id, "name": g.name, "branch_id": g.branch_id, "branch_name": branch_name, "leader": g.leader,
            "description": g.description, "created_at": g.created_at.isoformat(timespec="seconds")}


@router.get("", summary="党小组列表")
async def list_groups(session: SessionDep, actor: Requires("org.group.view"), paging: PagingDep, branch_id: Optional[int] = None):
    q = select(PartyGroup, Organisation.name).join(Organisation, Organisation.id == PartyGroup.branch_id)
    q = q.where(scope_condition(actor, branch_col=PartyGroup.branch_id))
    if branch_id:
        q = q.where(PartyGroup.branch_id == branch_id)
    total = await count_of(session, q)
    rows = (await session.execute(q.order_by(PartyGroup.branch_id, PartyGroup.id).offset(paging.offset).limit(paging.per_page))).all()
    return ok({"items": [_json(g, n) for g, n in rows], "total": total})


@router.post("", summary="新增党小组")
async def create_group(body: GroupIn, session: SessionDep, actor: Requires("org.group.edit")):
    await _check(session, body)
    g = PartyGroup(name=body.name.strip(), branch_id=body.branch_id, leader=body.leader, description=body.description)
    session.add(g)
    await session.commit()
    return ok(_json(g, None), "新增成功")


@router.put("/{group_id}", summary="编辑党小组")
async def update_group(group_id: int, body: GroupIn, session: SessionDep, actor: Requires("org.group.edit")):
    g = await session.get(PartyGroup, group_id)
    if g is None:
        raise fail(404, "党小组不存在")
    await _check(session, body, g.id)
    g.name, g.branch_id, g.leader, g.description = body.name.strip(), body.branch_id, body.leader, body.description
    await session.commit()
    return ok(_json(g, None), "保存成功")


@router.delete("/{group_id}", summary="删除党小组")
async def delete_group(group_id: int, session: SessionDep, actor: Requires("org.group.edit")):
    g = await session.get(PartyGroup, group_id)
    if g is None:
        raise fail(404, "党小组不存在")
    await session.delete(g)
    await session.commit()
    return ok(None, "删除成功")
