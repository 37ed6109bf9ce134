"""Party groups (党小组, ORG-5) under a party branch, maintained by the committee."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from core.sdk import (ERROR_RESPONSES, Empty, Envelope, LocalDateTime, MultilineText, Page, PagingDep, PlainText,
                      Requires, SessionDep, count_of, fail, ok, scope_condition)
from plugins.org_mgmt.models import Organisation, PartyGroup

router = APIRouter(prefix="/api/pc/v1/party-groups", tags=["管理端-党小组管理"], responses=ERROR_RESPONSES)


class GroupIn(BaseModel):
    name: PlainText = Field(min_length=1, max_length=64, title="党小组名称")
    branch_id: int = Field(title="所属党支部")
    leader: PlainText = Field("", max_length=64, title="组长")
    description: MultilineText = Field("", max_length=400, title="备注")


class GroupOut(BaseModel):
    id: int
    name: str = Field(description="党小组名称")
    branch_id: int = Field(description="所属党支部")
    branch_name: str | None = Field(description="所属党支部名称")
    leader: str = Field(description="组长")
    description: str = Field(description="备注")
    created_at: LocalDateTime = Field(description="创建时间")


async def _check(session, body: GroupIn, exclude: int | None = None) -> None:
    branch = await session.get(Organisation, body.branch_id)
    if branch is None or branch.kind != "party" or branch.level != "branch":
        raise fail(422, "党小组只能建在党支部下", field="branch_id", label="所属党支部")
    if not branch.enabled:
        raise fail(422, "所属党支部已停用", field="branch_id", label="所属党支部")
    q = select(PartyGroup.id).where(PartyGroup.branch_id == body.branch_id, PartyGroup.name == body.name.strip())
    if exclude:
        q = q.where(PartyGroup.id != exclude)
    if (await session.execute(q)).first():
        raise fail(409, f"该党支部下已有名为“{body.name.strip()}”的党小组", field="name", label="党小组名称")


def _json(g: PartyGroup, branch_name: str | None) -> GroupOut:
    return GroupOut(id=g.id, name=g.name, branch_id=g.branch_id, branch_name=branch_name, leader=g.leader,
                    description=g.description, created_at=g.created_at)


async def _out(session, g: PartyGroup) -> GroupOut:
    branch = await session.get(Organisation, g.branch_id)
    return _json(g, branch.name if branch else None)


@router.get("", summary="党小组列表", response_model=Envelope[Page[GroupOut]])
async def list_groups(session: SessionDep, actor: Requires("org.group.view"), paging: PagingDep,
                      branch_id: Optional[int] = Query(None, title="所属党支部")):
    q = select(PartyGroup, Organisation.name).join(Organisation, Organisation.id == PartyGroup.branch_id)
    q = q.where(scope_condition(actor, branch_col=PartyGroup.branch_id))
    if branch_id:
        q = q.where(PartyGroup.branch_id == branch_id)
    total = await count_of(session, q)
    rows = (await session.execute(q.order_by(PartyGroup.branch_id, PartyGroup.id).offset(paging.offset).limit(paging.per_page))).all()
    return ok(paging.page_of([_json(g, n) for g, n in rows], total))


@router.post("", summary="新增党小组", response_model=Envelope[GroupOut])
async def create_group(body: GroupIn, session: SessionDep, actor: Requires("org.group.edit")):
    await _check(session, body)
    g = PartyGroup(name=body.name.strip(), branch_id=body.branch_id, leader=body.leader, description=body.description)
    session.add(g)
    await session.commit()
    return ok(await _out(session, g), "新增成功")


@router.put("/{group_id}", summary="编辑党小组", response_model=Envelope[GroupOut])
async def update_group(group_id: int, body: GroupIn, session: SessionDep, actor: Requires("org.group.edit")):
    g = await session.get(PartyGroup, group_id)
    if g is None:
        raise fail(404, "党小组不存在")
    await _check(session, body, g.id)
    g.name, g.branch_id, g.leader, g.description = body.name.strip(), body.branch_id, body.leader, body.description
    await session.commit()
    return ok(await _out(session, g), "保存成功")


@router.delete("/{group_id}", summary="删除党小组", response_model=Envelope[Empty])
async def delete_group(group_id: int, session: SessionDep, actor: Requires("org.group.edit")):
    g = await session.get(PartyGroup, group_id)
    if g is None:
        raise fail(404, "党小组不存在")
    await session.delete(g)
    await session.commit()
    return ok(None, "删除成功")
