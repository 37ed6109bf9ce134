"""Roles (UM-7) and their PC/MP permission trees (UM-8)."""
from __future__ import annotations

import re
from typing import Literal, Optional, Union

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import delete, func, select

from core.models import RolePermission
from core.sdk import (ERROR_RESPONSES, SCOPE_LABELS, Count, Empty, Envelope, LocalDateTime, MultilineText, Page,
                      PagingDep, PlainText, RegistryDep, Requires, Role, SessionDep, User, UserRole, count_of, fail,
                      ok)

router = APIRouter(prefix="/api/pc/v1/roles", tags=["管理端-角色管理"], responses=ERROR_RESPONSES)
_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]{1,39}$")


class RoleIn(BaseModel):
    key: PlainText = Field(min_length=1, max_length=40, title="角色标识")
    name: PlainText = Field(min_length=1, max_length=40, title="角色名称")
    description: MultilineText = Field("", max_length=400, title="角色描述")
    scope: str = Field("self", title="数据范围")


class RolePermissionsIn(BaseModel):
    pc: Union[list[str], str] = Field(default_factory=list, title="PC端权限")
    mp: Union[list[str], str] = Field(default_factory=list, title="小程序端权限")


class RoleOut(BaseModel):
    id: int
    key: str = Field(description="角色标识（唯一）")
    name: str = Field(description="角色名称")
    description: str = Field(description="角色描述")
    scope: Literal["all", "branch", "self"] = Field(description="数据范围：all 全部 | branch 本支部 | self 仅本人")
    scope_label: str
    builtin: bool = Field(description="内置角色（不可删除，标识和数据范围不可改）")
    users: int = Field(description="用户数")
    created_at: LocalDateTime = Field(description="创建时间")


class PermissionNode(BaseModel):
    """One permission in a tree (amis input-tree option)."""

    label: str = Field(description="权限名称")
    value: str = Field(description="权限标识")
    children: Optional[list["PermissionNode"]] = None


class RolePermissionsOut(BaseModel):
    role: RoleOut
    pc: str = Field(description="已勾选的管理端权限标识，以逗号分隔")
    mp: str = Field(description="已勾选的小程序端权限标识，以逗号分隔")
    pc_tree: list[PermissionNode] = Field(description="管理端权限树")
    mp_tree: list[PermissionNode] = Field(description="小程序端权限树")


def role_json(r: Role, users: int = 0) -> RoleOut:
    return RoleOut(id=r.id, key=r.key, name=r.name, description=r.description, scope=r.scope,
                   scope_label=SCOPE_LABELS.get(r.scope, r.scope), builtin=r.builtin, users=users, created_at=r.created_at)


async def _load(session, role_id: int) -> Role:
    role = await session.get(Role, role_id)
    if role is None:
        raise fail(404, "角色不存在")
    return role


def _validate(body: RoleIn) -> None:
    if not _KEY.match(body.key.strip()):
        raise fail(422, "角色标识只能包含字母、数字和下划线，且以字母开头（2-40位）", field="key", label="角色标识")
    if body.scope not in SCOPE_LABELS:
        raise fail(422, "数据范围只能是：全部、本支部、仅本人", field="scope", label="数据范围")


async def _user_count(session, role_id: int) -> int:
    return (await session.execute(select(func.count()).select_from(UserRole).join(User, User.id == UserRole.user_id)
                                  .where(UserRole.role_id == role_id, User.deleted_at.is_(None)))).scalar_one()


async def _key_taken(session, key: str, exclude: int | None = None) -> bool:
    q = select(Role.id).where(Role.key == key)
    if exclude:
        q = q.where(Role.id != exclude)
    return (await session.execute(q)).first() is not None


@router.get("", summary="角色列表", response_model=Envelope[Page[RoleOut]])
async def list_roles(session: SessionDep, actor: Requires("um.role.view"), paging: PagingDep,
                     name: str = Query("", max_length=40, title="角色名称", description="按名称包含查询")):
    q = select(Role)
    if name:
        q = q.where(Role.name.contains(name.strip()))
    total = await count_of(session, q)
    roles = (await session.execute(q.order_by(Role.id).offset(paging.offset).limit(paging.per_page))).scalars().all()
    counts = dict((await session.execute(
        select(UserRole.role_id, func.count()).join(User, User.id == UserRole.user_id)
        .where(User.deleted_at.is_(None)).group_by(UserRole.role_id))).all())
    return ok(paging.page_of([role_json(r, counts.get(r.id, 0)) for r in roles], total))


@router.post("", summary="新增角色", response_model=Envelope[RoleOut])
async def create_role(body: RoleIn, session: SessionDep, actor: Requires("um.role.edit")):
    _validate(body)
    key = body.key.strip()
    if await _key_taken(session, key):
        raise fail(409, f"角色标识“{key}”已存在，不可重复添加", field="key", label="角色标识")
    role = Role(key=key, name=body.name.strip(), description=body.description, scope=body.scope)
    session.add(role)
    await session.commit()
    return ok(role_json(role), "新增成功")


@router.put("/{role_id}", summary="编辑角色", response_model=Envelope[RoleOut])
async def update_role(role_id: int, body: RoleIn, session: SessionDep, actor: Requires("um.role.edit")):
    role = await _load(session, role_id)
    _validate(body)
    key = body.key.strip()
    if role.builtin and (key != role.key or body.scope != role.scope):
        raise fail(409, "内置角色的角色标识和数据范围不支持修改")
    if await _key_taken(session, key, role.id):
        raise fail(409, f"角色标识“{key}”已存在，不可重复添加", field="key", label="角色标识")
    role.key, role.name, role.description, role.scope = key, body.name.strip(), body.description, body.scope
    await session.commit()
    return ok(role_json(role, await _user_count(session, role.id)), "保存成功")


@router.delete("/{role_id}", summary="删除角色", response_model=Envelope[Empty])
async def delete_role(role_id: int, session: SessionDep, actor: Requires("um.role.edit")):
    role = await _load(session, role_id)
    if role.builtin:
        raise fail(409, f"内置角色“{role.name}”不支持删除")
    await session.execute(delete(RolePermission).where(RolePermission.role_id == role.id))
    await session.execute(delete(UserRole).where(UserRole.role_id == role.id))
    await session.delete(role)
    await session.commit()
    return ok(None, "删除成功")


@router.get("/{role_id}/permissions", summary="角色权限（PC端与小程序端两棵树）", response_model=Envelope[RolePermissionsOut])
async def get_permissions(role_id: int, session: SessionDep, registry: RegistryDep, actor: Requires("um.role.view")):
    role = await _load(session, role_id)
    keys = set((await session.execute(select(RolePermission.key).where(RolePermission.role_id == role.id))).scalars())
    by_tree = {"pc": [], "mp": []}
    for k in sorted(keys):
        p = registry.by_key.get(k)
        if p:
            by_tree[p.tree].append(k)
    return ok({"role": role_json(role, await _user_count(session, role.id)), "pc": ",".join(by_tree["pc"]), "mp": ",".join(by_tree["mp"]),
               "pc_tree": registry.tree("pc"), "mp_tree": registry.tree("mp")})


@router.put("/{role_id}/permissions", summary="设置角色权限", response_model=Envelope[Count])
async def set_permissions(role_id: int, body: RolePermissionsIn, session: SessionDep, registry: RegistryDep, actor: Requires("um.role.edit")):
    role = await _load(session, role_id)
    wanted: set[str] = set()
    for tree in ("pc", "mp"):
        value = getattr(body, tree)
        keys = [k for k in (value.split(",") if isinstance(value, str) else value) if k]
        for k in keys:
            p = registry.by_key.get(k)
            if p is None or p.tree != tree:
                raise fail(422, f"权限“{k}”不存在", field=tree, label="PC端权限" if tree == "pc" else "小程序端权限")
            wanted.add(k)
            while p.parent:  # ticking a leaf keeps its branch visible in the menu
                wanted.add(p.parent)
                p = registry.by_key[p.parent]
    await session.execute(delete(RolePermission).where(RolePermission.role_id == role.id))
    session.add_all([RolePermission(role_id=role.id, key=k) for k in sorted(wanted)])
    await session.commit()
    return ok({"count": len(wanted)}, "权限设置成功")
