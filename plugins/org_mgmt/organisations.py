"""Party and league organisations (ORG-1..4) and the PC API of 党群组织管理."""
from __future__ import annotations

from typing import Annotated, Literal, Optional

from fastapi import APIRouter, Query
from pydantic import BaseModel, BeforeValidator, Field
from sqlalchemy import delete, func, select

from core.sdk import (ERROR_RESPONSES, CurrentActor, Empty, Envelope, LocalDateTime, MultilineText, Options, Page,
                      PagingDep, PlainText, Requires, SessionDep, User, clock, count_of, fail, ok)
from plugins.org_mgmt.association import allowed_institutions, recompute_branches
from plugins.org_mgmt.models import KIND_LABELS, LEVEL_LABELS, Organisation, OrgInstitution, PartyGroup
from plugins.user_mgmt.models import TRAINING_TYPES, Institution

# The create dialog has no organisation yet: amis sends "org_id=" for an empty value.
BlankAsNone = BeforeValidator(lambda v: None if v == "" else v)

router = APIRouter(prefix="/api/pc/v1/orgs", tags=["管理端-党群组织管理"], responses=ERROR_RESPONSES)


class OrgIn(BaseModel):
    name: PlainText = Field(min_length=1, max_length=64, title="组织名称")
    kind: str = Field("party", title="组织类别")
    training_type: Optional[str] = Field(None, title="培养类型")
    institution_ids: list[int] = Field(default_factory=list, title="关联机构")
    enabled: bool = Field(True, title="状态")
    secretary: PlainText = Field("", max_length=64, title="书记")
    description: MultilineText = Field("", max_length=400, title="简介")


class OrgOut(BaseModel):
    id: int
    name: str = Field(description="组织名称")
    kind: Literal["party", "league", "masses"] = Field(description="组织类别：party 党组织 | league 团组织 | masses 群众")
    kind_label: str
    level: Literal["committee", "branch"] = Field(description="层级：committee 一级组织 | branch 支部")
    level_label: str
    training_type: str | None = Field(description="培养类型：研究生、本科生")
    parent_id: int | None = Field(description="上级组织")
    parent_name: str | None = Field(description="上级组织名称")
    enabled: bool = Field(description="开启")
    builtin: bool = Field(description="三个一级组织之一（不可删除）")
    secretary: str = Field(description="书记")
    description: str = Field(description="简介")
    institution_ids: list[int] = Field(description="关联机构")
    institution_names: str = Field(description="关联机构名称，以“、”分隔")
    created_at: LocalDateTime = Field(description="创建时间")


async def orgs_json(session, orgs: list[Organisation]) -> list[dict]:
    ids = [o.id for o in orgs]
    links: dict[int, list[tuple[int, str]]] = {i: [] for i in ids}
    if ids:
        for org_id, inst_id, name in (await session.execute(
            select(OrgInstitution.org_id, Institution.id, Institution.name)
            .join(Institution, Institution.id == OrgInstitution.institution_id).where(OrgInstitution.org_id.in_(ids))
        )).all():
            links[org_id].append((inst_id, name))
    parents = dict((await session.execute(select(Organisation.id, Organisation.name))).all())
    return [
        {
            "id": o.id, "name": o.name, "kind": o.kind, "kind_label": KIND_LABELS[o.kind], "level": o.level,
            "level_label": LEVEL_LABELS.get(o.level, o.level), "training_type": o.training_type,
            "parent_id": o.parent_id, "parent_name": parents.get(o.parent_id), "enabled": o.enabled, "builtin": o.builtin,
            "secretary": o.secretary, "description": o.description,
            "institution_ids": [x[0] for x in links[o.id]], "institution_names": "、".join(x[1] for x in links[o.id]),
            "created_at": clock.iso(o.created_at),
        }
        for o in orgs
    ]


async def _load(session, org_id: int) -> Organisation:
    org = await session.get(Organisation, org_id)
    if org is None:
        raise fail(404, "组织不存在")
    return org


async def _committee(session, kind: str) -> Organisation:
    return (await session.execute(
        select(Organisation).where(Organisation.kind == kind, Organisation.level == "committee"))).scalar_one()


async def _set_links(session, org: Organisation, institution_ids: list[int], enabled: bool) -> None:
    """Validate and store the association (ORG-3): required while enabled, each id allowed."""
    ids = list(dict.fromkeys(institution_ids))
    if org.level == "branch" and enabled and not ids:
        raise fail(422, "关联信息为必填项，请先选择培养类型，再选择关联机构", field="institution_ids", label="关联机构")
    allowed = {i.id: i for i in await allowed_institutions(session, org)}
    bad = [i for i in ids if i not in allowed]
    if bad:
        names = dict((await session.execute(select(Institution.id, Institution.name).where(Institution.id.in_(bad)))).all())
        shown = "、".join(names.get(i, f"编号{i}") for i in bad)
        raise fail(422, f"机构“{shown}”不在{org.name}可关联的范围内（{_rule_text(org)}）", field="institution_ids", label="关联机构")
    await session.execute(delete(OrgInstitution).where(OrgInstitution.org_id == org.id))
    session.add_all([OrgInstitution(org_id=org.id, institution_id=i) for i in ids])


def _rule_text(org: Organisation) -> str:
    if org.level == "committee":
        return "只能关联同名机构"
    if org.training_type == "研究生":
        return "研究生支部只能关联同名机构和研究所"
    if org.kind == "party":
        return "本科生党支部只能关联同名机构和本科生团支部"
    return "本科生团支部只能关联同名机构和本科生班级"


def _check(body: OrgIn, org: Organisation | None) -> None:
    if not body.name.strip():
        raise fail(422, "组织名称不能为空", field="name", label="组织名称")
    if org is None and body.kind not in ("party", "league"):
        raise fail(422, "只能新增党组织或团组织", field="kind", label="组织类别")
    level = org.level if org else "branch"
    if level == "branch":
        if body.training_type not in TRAINING_TYPES:
            raise fail(422, "关联信息为必填项，请先选择培养类型（研究生或本科生）", field="training_type", label="培养类型")


async def _name_taken(session, name: str, exclude: int | None = None) -> bool:
    q = select(Organisation.id).where(Organisation.name == name)
    if exclude:
        q = q.where(Organisation.id != exclude)
    return (await session.execute(q)).first() is not None


@router.get("", summary="组织列表", response_model=Envelope[Page[OrgOut]])
async def list_orgs(
    session: SessionDep, actor: Requires("org.view"), paging: PagingDep,
    name: str = Query("", max_length=64, title="组织名称", description="按名称包含查询"),
    kind: Literal["", "party", "league", "masses"] = Query("", title="组织类别", description="party 党组织 | league 团组织 | masses 群众；空为全部"),
    enabled: Optional[bool] = Query(None, title="状态", description="true 开启 | false 停用；不传为全部"),
):
    q = select(Organisation)
    if name:
        q = q.where(Organisation.name.contains(name.strip()))
    if kind:
        q = q.where(Organisation.kind == kind)
    if enabled is not None:
        q = q.where(Organisation.enabled.is_(enabled))
    total = await count_of(session, q)
    rows = (await session.execute(
        q.order_by(Organisation.level.desc(), Organisation.kind, Organisation.id).offset(paging.offset).limit(paging.per_page)
    )).scalars().all()
    return ok(paging.page_of(await orgs_json(session, list(rows)), total))


@router.get("/options", summary="组织下拉选项（用户表单用）", response_model=Envelope[Options])
async def org_options(session: SessionDep, actor: CurrentActor,
                      kind: str = Query("", max_length=40, title="组织类别", description="party、league、masses，可用逗号连接多个；空为全部"),
                      level: Literal["", "committee", "branch"] = Query("", title="层级", description="committee 一级组织 | branch 支部；空为全部")):
    q = select(Organisation).where(Organisation.enabled.is_(True))
    if kind:
        q = q.where(Organisation.kind.in_(kind.split(",")))
    if level:
        q = q.where(Organisation.level == level)
    rows = (await session.execute(q.order_by(Organisation.id))).scalars().all()
    return ok({"options": [{"label": o.name, "value": o.id} for o in rows]})


@router.get("/allowed-institutions", summary="按组织与培养类型列出可关联的机构", response_model=Envelope[Options])
async def allowed_for(
    session: SessionDep, actor: Requires("org.view"),
    kind: Literal["party", "league", "masses"] = Query("party", title="组织类别"),
    training_type: str = Query("", max_length=4, title="培养类型", description="研究生 或 本科生"),
    name: str = Query("", max_length=64, title="组织名称"),
    org_id: Annotated[Optional[int], BlankAsNone, Query(title="组织", description="编辑时为该组织；新增时为空")] = None,
):
    if org_id:
        org = await _load(session, org_id)
        if training_type:
            org = Organisation(name=name or org.name, kind=org.kind, level=org.level, training_type=training_type)
    else:
        org = Organisation(name=name, kind=kind, level="branch", training_type=training_type or None)
    if org.level == "branch" and org.training_type not in TRAINING_TYPES:
        return ok({"options": []})
    rows = await allowed_institutions(session, org)
    return ok({"options": [{"label": f"{i.name}（{i.type}）", "value": i.id} for i in rows]})


@router.get("/{org_id}/institutions", summary="组织的关联机构（用户的所属机构选项）", response_model=Envelope[Options])
async def org_institutions(org_id: int, session: SessionDep, actor: CurrentActor):
    org = await _load(session, org_id)
    if org.kind == "masses":
        rows = await allowed_institutions(session, org)
    else:
        rows = (await session.execute(
            select(Institution).join(OrgInstitution, OrgInstitution.institution_id == Institution.id)
            .where(OrgInstitution.org_id == org.id, Institution.enabled.is_(True)).order_by(Institution.name)
        )).scalars().all()
    return ok({"options": [{"label": f"{i.name}（{i.type}）", "value": i.id} for i in rows]})


@router.get("/{org_id}", summary="查看组织", response_model=Envelope[OrgOut])
async def get_org(org_id: int, session: SessionDep, actor: Requires("org.view")):
    return ok((await orgs_json(session, [await _load(session, org_id)]))[0])


@router.post("", summary="新增党组织或团组织", response_model=Envelope[OrgOut])
async def create_org(body: OrgIn, session: SessionDep, actor: Requires("org.edit")):
    _check(body, None)
    name = body.name.strip()
    if await _name_taken(session, name):
        raise fail(409, f"组织名称“{name}”已存在，不可重复", field="name", label="组织名称")
    parent = await _committee(session, body.kind)
    org = Organisation(name=name, kind=body.kind, level="branch", training_type=body.training_type, parent_id=parent.id,
                       enabled=body.enabled, secretary=body.secretary, description=body.description)
    session.add(org)
    await session.flush()
    await _set_links(session, org, body.institution_ids, body.enabled)
    await session.flush()
    await recompute_branches(session)
    await session.commit()
    return ok((await orgs_json(session, [org]))[0], "新增成功")


@router.put("/{org_id}", summary="编辑组织", response_model=Envelope[OrgOut])
async def update_org(org_id: int, body: OrgIn, session: SessionDep, actor: Requires("org.edit")):
    org = await _load(session, org_id)
    _check(body, org)
    name = body.name.strip()
    if org.builtin and name != org.name:
        raise fail(409, f"{org.name}的名称不支持修改")
    if await _name_taken(session, name, org.id):
        raise fail(409, f"组织名称“{name}”已存在，不可重复", field="name", label="组织名称")
    if org.enabled and not body.enabled and body.institution_ids:
        raise fail(409, "该组织还有关联机构，不能停用")
    if org.builtin and not body.enabled:
        raise fail(409, f"{org.name}不支持停用")
    org.name, org.training_type = name, (body.training_type if org.level == "branch" else org.training_type)
    org.enabled, org.secretary, org.description = body.enabled, body.secretary, body.description
    if org.kind != "masses":
        await _set_links(session, org, body.institution_ids, body.enabled)
    await session.flush()
    await recompute_branches(session)
    await session.commit()
    return ok((await orgs_json(session, [org]))[0], "保存成功")


class SwitchIn(BaseModel):
    enabled: bool = Field(title="状态")


@router.post("/{org_id}/status", summary="开启/停用组织", response_model=Envelope[OrgOut])
async def switch_org(org_id: int, body: SwitchIn, session: SessionDep, actor: Requires("org.edit")):
    org = await _load(session, org_id)
    if not body.enabled:
        if org.builtin:
            raise fail(409, f"{org.name}不支持停用")
        links = (await session.execute(select(func.count()).select_from(OrgInstitution).where(OrgInstitution.org_id == org.id))).scalar_one()
        if links:
            raise fail(409, "该组织还有关联机构，不能停用；请先在编辑页面移除关联机构")
    org.enabled = body.enabled
    await session.commit()
    return ok((await orgs_json(session, [org]))[0], "已开启" if body.enabled else "已停用")


@router.delete("/{org_id}", summary="删除组织", response_model=Envelope[Empty])
async def delete_org(org_id: int, session: SessionDep, actor: Requires("org.edit")):
    org = await _load(session, org_id)
    if org.builtin:
        raise fail(409, f"{org.name}不支持删除操作")
    if org.enabled:
        raise fail(409, "正在启用的组织不支持删除，请先停用组织再进行删除操作")
    users = (await session.execute(
        select(func.count()).select_from(User).where(User.org_id == org.id, User.deleted_at.is_(None)))).scalar_one()
    if users:
        raise fail(409, f"该组织下还有 {users} 个用户，不能删除")
    groups = (await session.execute(select(func.count()).select_from(PartyGroup).where(PartyGroup.branch_id == org.id))).scalar_one()
    if groups:
        raise fail(409, "该组织下还有党小组，不能删除")
    await session.delete(org)
    await session.commit()
    return ok(None, "删除成功")
