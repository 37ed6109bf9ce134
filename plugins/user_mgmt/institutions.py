"""Institution rules (UM-5, UM-6) and the PC API of 机构管理."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from core.sdk import (ERROR_RESPONSES, Empty, Envelope, LocalDateTime, MultilineText, Options, Page, PagingDep,
                      PlainText, PluginsDep, Requires, SessionDep, User, count_of, fail, ok)
from plugins.user_mgmt.models import INSTITUTION_TYPES, TRAINING_TYPES, Institution

router = APIRouter(prefix="/api/pc/v1/institutions", tags=["管理端-机构管理"], responses=ERROR_RESPONSES)


class InstitutionIn(BaseModel):
    name: PlainText = Field(min_length=1, max_length=64, title="机构名称")
    type: str = Field(title="机构类型")
    training_type: Optional[str] = Field(None, title="培养类型")
    enabled: bool = Field(True, title="状态")
    # The column is a 32-bit INTEGER on PostgreSQL: the same bound on every database.
    sort: int = Field(0, ge=-(2**31), le=2**31 - 1, title="排序")
    description: MultilineText = Field("", max_length=200, title="备注")


class InstitutionOut(BaseModel):
    id: int
    name: str = Field(description="机构名称")
    type: str = Field(description="机构类型：" + "、".join(INSTITUTION_TYPES) + "；学院本身为“学院”")
    training_type: str | None = Field(description="培养类型：研究生、本科生")
    enabled: bool = Field(description="开启")
    is_college: bool = Field(description="学院本身（不可停用、删除）")
    parent_id: int | None = Field(description="上级机构")
    parent_name: str | None = Field(description="上级机构名称")
    sort: int = Field(description="排序")
    description: str = Field(description="备注")
    created_at: LocalDateTime = Field(description="创建时间")


def institution_json(i: Institution, parent_name: str | None = None) -> InstitutionOut:
    return InstitutionOut(
        id=i.id, name=i.name, type=i.type, training_type=i.training_type, enabled=i.enabled, is_college=i.is_college,
        parent_id=i.parent_id, parent_name=parent_name, sort=i.sort, description=i.description, created_at=i.created_at,
    )


async def institution_out(session, i: Institution) -> InstitutionOut:
    parent = await session.get(Institution, i.parent_id) if i.parent_id else None
    return institution_json(i, parent.name if parent else None)


async def college(session) -> Institution:
    return (await session.execute(select(Institution).where(Institution.is_college.is_(True)))).scalar_one()


async def _load(session, institution_id: int) -> Institution:
    inst = await session.get(Institution, institution_id)
    if inst is None:
        raise fail(404, "机构不存在")
    return inst


def _check_fields(body: InstitutionIn) -> str:
    name = body.name.strip()
    if not name:
        raise fail(422, "机构名称不能为空", field="name", label="机构名称")
    if body.type not in INSTITUTION_TYPES:
        raise fail(422, f"机构类型只能是：{'、'.join(INSTITUTION_TYPES)}", field="type", label="机构类型")
    if body.training_type is not None and body.training_type not in TRAINING_TYPES:
        raise fail(422, "培养类型只能是：研究生、本科生", field="training_type", label="培养类型")
    if body.type in ("班级", "研究所", "党支部", "团支部") and not body.training_type:
        raise fail(422, f"{body.type}必须选择培养类型", field="training_type", label="培养类型")
    return name


async def _name_taken(session, name: str, exclude_id: int | None = None) -> bool:
    q = select(Institution.id).where(Institution.name == name)
    if exclude_id:
        q = q.where(Institution.id != exclude_id)
    return (await session.execute(q)).first() is not None


async def disable_problem(session, plugins, inst: Institution) -> str | None:
    """Why the institution cannot be disabled now (UM-6), or None."""
    if inst.is_college:
        return f"{inst.name}不支持停用操作"
    users = (await session.execute(
        select(func.count()).select_from(User).where(User.institution_id == inst.id, User.deleted_at.is_(None))
    )).scalar_one()
    if users:
        return f"该机构下还有 {users} 个关联用户，不能停用"
    for reason in plugins.hook.xf_institution_in_use(session=session, institution_id=inst.id):
        reason = await reason
        if reason:
            return reason
    children = (await session.execute(
        select(func.count()).select_from(Institution).where(Institution.parent_id == inst.id, Institution.enabled.is_(True))
    )).scalar_one()
    if children:
        return "该机构的下级机构尚未全部停用，不能停用"
    return None


@router.get("", summary="机构列表", response_model=Envelope[Page[InstitutionOut]])
async def list_institutions(
    session: SessionDep, actor: Requires("um.institution.view"), paging: PagingDep,
    name: str = Query("", title="机构名称"), type: str = Query("", title="机构类型"),
    training_type: str = Query("", title="培养类型"), enabled: Optional[bool] = Query(None, title="状态"),
):
    q = select(Institution)
    if name:
        q = q.where(Institution.name.contains(name.strip()))
    if type:
        q = q.where(Institution.type == type)
    if training_type:
        q = q.where(Institution.training_type == training_type)
    if enabled is not None:
        q = q.where(Institution.enabled.is_(enabled))
    total = await count_of(session, q)
    rows = (await session.execute(
        q.order_by(Institution.is_college.desc(), Institution.sort, Institution.id).offset(paging.offset).limit(paging.per_page)
    )).scalars().all()
    names = dict((await session.execute(select(Institution.id, Institution.name).where(Institution.is_college.is_(True)))).all())
    return ok(paging.page_of([institution_json(i, names.get(i.parent_id)) for i in rows], total))


@router.get("/options", summary="机构下拉选项", response_model=Envelope[Options])
async def institution_options(
    session: SessionDep, actor: Requires("um.institution.view"),
    type: str = Query("", title="机构类型"), training_type: str = Query("", title="培养类型"),
):
    q = select(Institution).where(Institution.enabled.is_(True), Institution.is_college.is_(False))
    if type:
        q = q.where(Institution.type.in_(type.split(",")))
    if training_type:
        q = q.where(Institution.training_type == training_type)
    rows = (await session.execute(q.order_by(Institution.type, Institution.name))).scalars().all()
    return ok({"options": [{"label": f"{i.name}（{i.type}）", "value": i.id} for i in rows]})


@router.get("/{institution_id}", summary="机构详情", response_model=Envelope[InstitutionOut])
async def get_institution(institution_id: int, session: SessionDep, actor: Requires("um.institution.view")):
    return ok(await institution_out(session, await _load(session, institution_id)))


@router.post("", summary="新增机构", response_model=Envelope[InstitutionOut])
async def create_institution(body: InstitutionIn, session: SessionDep, actor: Requires("um.institution.edit")):
    name = _check_fields(body)
    if await _name_taken(session, name):
        raise fail(409, f"机构名称“{name}”已存在", field="name", label="机构名称")
    parent = await college(session)
    inst = Institution(name=name, type=body.type, training_type=body.training_type, enabled=body.enabled,
                       sort=body.sort, description=body.description, parent_id=parent.id)
    session.add(inst)
    await session.commit()
    return ok(institution_json(inst, parent.name), "新增成功")


@router.put("/{institution_id}", summary="编辑机构", response_model=Envelope[InstitutionOut])
async def update_institution(
    institution_id: int, body: InstitutionIn, session: SessionDep, plugins: PluginsDep, actor: Requires("um.institution.edit"),
):
    inst = await _load(session, institution_id)
    if inst.is_college:
        if body.name.strip() != inst.name or body.type != inst.type:
            raise fail(409, f"{inst.name}的名称和类型不支持修改")
        if not body.enabled:
            raise fail(409, f"{inst.name}不支持停用操作")
        inst.description = body.description
        await session.commit()
        return ok(await institution_out(session, inst), "保存成功")
    name = _check_fields(body)
    if await _name_taken(session, name, inst.id):
        raise fail(409, f"机构名称“{name}”已存在", field="name", label="机构名称")
    if inst.enabled and not body.enabled:
        problem = await disable_problem(session, plugins, inst)
        if problem:
            raise fail(409, problem)
    inst.name, inst.type, inst.training_type = name, body.type, body.training_type
    inst.enabled, inst.sort, inst.description = body.enabled, body.sort, body.description
    await session.commit()
    return ok(await institution_out(session, inst), "保存成功")


class SwitchIn(BaseModel):
    enabled: bool = Field(title="状态")


@router.post("/{institution_id}/status", summary="开启/停用机构", response_model=Envelope[InstitutionOut])
async def switch_institution(
    institution_id: int, body: SwitchIn, session: SessionDep, plugins: PluginsDep, actor: Requires("um.institution.edit"),
):
    inst = await _load(session, institution_id)
    if not body.enabled:
        problem = await disable_problem(session, plugins, inst)
        if problem:
            raise fail(409, problem)
    inst.enabled = body.enabled
    await session.commit()
    return ok(await institution_out(session, inst), "已开启" if body.enabled else "已停用")


@router.delete("/{institution_id}", summary="删除机构", response_model=Envelope[Empty])
async def delete_institution(institution_id: int, session: SessionDep, actor: Requires("um.institution.edit")):
    inst = await _load(session, institution_id)
    if inst.is_college:
        raise fail(409, f"{inst.name}不支持删除操作")
    if inst.enabled:
        raise fail(409, "正在启用的机构不支持删除，请先停用机构再进行删除操作")
    await session.delete(inst)
    await session.commit()
    return ok(None, "删除成功")
