"""User rules (UM-1, UM-2, UM-4) and the PC API of 用户管理."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import Integer, String, bindparam, cast, delete, func, select

from core import role_cache
from core import student_no as sno_rules
from core.models import RowCount
from core.sdk import (ERROR_RESPONSES, Actor, Empty, Envelope, LocalDateTime, Options, Page, PagingDep, PlainText,
                      PluginsDep, Requires, Role, SessionDep, SettingsDep, User, UserRole, clock, count_of, fail,
                      get_user_in_scope, ok, raw_json, scope_condition, utcnow)
from core.security import hash_password, password_problem
from plugins.user_mgmt.models import Institution

router = APIRouter(prefix="/api/pc/v1/users", tags=["管理端-用户管理"], responses=ERROR_RESPONSES)


class UserIn(BaseModel):
    username: PlainText = Field(min_length=1, max_length=64, title="账号")
    name: PlainText = Field(min_length=1, max_length=64, title="姓名")
    password: Optional[str] = Field(None, max_length=128, title="密码")
    role_ids: list[int] = Field(default_factory=list, title="角色")
    org_id: Optional[int] = Field(None, title="所属组织")
    institution_id: Optional[int] = Field(None, title="所属机构")
    student_no: Optional[PlainText] = Field(None, max_length=32, title="学号")
    phone: PlainText = Field("", max_length=32, title="手机号码")
    email: PlainText = Field("", max_length=128, title="邮箱")
    is_active: bool = Field(True, title="状态")


class UserOut(BaseModel):
    id: int
    username: str = Field(description="账号")
    name: str = Field(description="姓名")
    student_no: str | None = Field(description="学号")
    phone: str = Field(description="手机号码")
    email: str = Field(description="邮箱")
    avatar: str = Field(description="头像地址")
    org_id: int | None = Field(description="所属组织")
    institution_id: int | None = Field(description="所属机构")
    institution_name: str | None = Field(description="所属机构名称")
    party_branch_id: int | None = Field(description="所在党支部")
    is_active: bool = Field(description="启用")
    role_ids: list[int]
    role_keys: list[str] = Field(description="角色标识")
    role_names: str = Field(description="角色名称，以“、”分隔")
    created_at: LocalDateTime = Field(description="创建时间")


def _user_out(u, institution_name: str | None, roles: list[tuple[int, str, str]]) -> dict:
    """One user as UserOut's JSON; ``u`` is a User or a row with the same column names."""
    return {
        "id": u.id, "username": u.username, "name": u.name, "student_no": u.student_no, "phone": u.phone,
        "email": u.email, "avatar": u.avatar, "org_id": u.org_id, "institution_id": u.institution_id,
        "institution_name": institution_name, "party_branch_id": u.party_branch_id,
        "is_active": u.is_active, "role_ids": [r[0] for r in roles], "role_keys": [r[1] for r in roles],
        "role_names": "、".join(r[2] for r in roles), "created_at": clock.iso(u.created_at),
    }


async def users_json(session, users: list[User]) -> list[dict]:
    """Serialise a few users with their roles and institution in two extra statements."""
    ids = [u.id for u in users]
    roles: dict[int, list[tuple[int, str, str]]] = {i: [] for i in ids}
    if ids:
        for uid, rid, key, name in (await session.execute(
            select(UserRole.user_id, Role.id, Role.key, Role.name).join(Role, Role.id == UserRole.role_id)
            .where(UserRole.user_id.in_(ids)).order_by(UserRole.user_id, Role.id)
        )).all():
            roles[uid].append((rid, key, name))
    inst_ids = {u.institution_id for u in users if u.institution_id}
    insts = dict((await session.execute(select(Institution.id, Institution.name).where(Institution.id.in_(inst_ids)))).all()) if inst_ids else {}
    return [_user_out(u, insts.get(u.institution_id), roles[u.id]) for u in users]


# The list's page in ONE statement: the user columns, the institution's name, the role ids
# (joined into one string per user), and, when the list is unfiltered, the maintained total.
# Built once: SQLAlchemy keys its compiled-statement cache on a key it computes once per
# statement object, which for a statement this wide cost more than running it (issue 11).
# The page bounds are written into the SQL (literal_execute): with them as parameters
# PostgreSQL never trusts a generic plan and plans the statement again on every execution.
_ROLE_IDS = (select(func.aggregate_strings(cast(UserRole.role_id, String), ","))
             .where(UserRole.user_id == User.id).scalar_subquery().label("role_ids"))
_LIVE_USERS = select(RowCount.n).where(RowCount.name == "live_users").scalar_subquery()
# Only the columns the answer shows: every further DATETIME column is a text parse per row on SQLite.
_SHOWN = ("id", "username", "name", "is_active", "student_no", "phone", "email", "avatar", "org_id", "institution_id",
          "party_branch_id", "created_at")
_PAGE = (select(*[User.__table__.c[key] for key in _SHOWN], Institution.name.label("institution_name"), _ROLE_IDS)
         .outerjoin(Institution, Institution.id == User.institution_id).where(User.deleted_at.is_(None))
         .order_by(User.id.desc()))
_UNFILTERED_PAGE = (_PAGE.add_columns(_LIVE_USERS.label("total"))
                    .offset(bindparam("offset", type_=Integer, literal_execute=True))
                    .limit(bindparam("limit", type_=Integer, literal_execute=True)))


async def _roles_of(session, joined_ids: list[str | None]) -> dict[str, list[tuple[int, str, str]]]:
    """(id, key, name) of each row's roles from the process's role cache, which this request's
    authentication has just checked against the database (core/role_cache.py)."""
    cache = role_cache.cache_for(session)
    ids = {joined: sorted(int(i) for i in joined.split(",")) for joined in set(joined_ids) if joined}
    if any(rid not in cache.roles for rids in ids.values() for rid in rids):
        await cache.load(session, cache.version)  # a role newer than this process's cache
    return {joined: [(rid, cache.roles[rid].key, cache.roles[rid].name) for rid in rids if rid in cache.roles]
            for joined, rids in ids.items()}


async def _check(session, plugins, actor: Actor, body: UserIn, user: User | None) -> list[Role]:
    username = body.username.strip()
    if not username or any(c.isspace() for c in username):
        raise fail(422, "账号不能为空且不能包含空格", field="username", label="账号")
    q = select(User.id).where(User.username == username)
    if user is not None:
        q = q.where(User.id != user.id)
    if (await session.execute(q)).first():
        raise fail(409, f"账号“{username}”已存在", field="username", label="账号")
    if user is None and not body.password:
        raise fail(422, "密码不能为空", field="password", label="密码")
    if body.password:
        problem = password_problem(body.password)
        if problem:
            raise fail(422, problem, field="password", label="密码")
    student_no = sno_rules.normalise(body.student_no)
    if sno_rules.format_problem(student_no):
        raise fail(422, sno_rules.format_problem(student_no), field="student_no", label="学号")
    await sno_rules.ensure_free(session, student_no, except_user_id=user.id if user else None)
    if not body.role_ids:
        raise fail(422, "请至少选择一个角色", field="role_ids", label="角色")
    roles = (await session.execute(select(Role).where(Role.id.in_(body.role_ids)))).scalars().all()
    if len(roles) != len(set(body.role_ids)):
        raise fail(422, "所选角色不存在", field="role_ids", label="角色")
    if any(r.key == "admin" for r in roles) and not actor.is_superuser:
        raise fail(403, "只有系统管理员可以分配系统管理员角色", field="role_ids", label="角色")
    if body.institution_id is not None:
        inst = await session.get(Institution, body.institution_id)
        if inst is None or not inst.enabled:
            raise fail(422, "所属机构不存在或已停用", field="institution_id", label="所属机构")
    if body.institution_id is not None and body.org_id is None:
        raise fail(422, "请先选择所属组织，再选择所属机构", field="org_id", label="所属组织")
    for reason in plugins.hook.xf_check_placement(session=session, org_id=body.org_id, institution_id=body.institution_id):
        reason = await reason
        if reason:
            raise fail(422, reason, field="institution_id" if body.institution_id is not None else "org_id",
                       label="所属机构" if body.institution_id is not None else "所属组织")
    return roles


async def _set_roles(session, user: User, roles: list[Role]) -> None:
    await session.execute(delete(UserRole).where(UserRole.user_id == user.id))
    session.add_all([UserRole(user_id=user.id, role_id=r.id) for r in roles])


@router.get("", summary="用户列表", response_model=Envelope[Page[UserOut]])
async def list_users(
    session: SessionDep, actor: Requires("um.user.view"), paging: PagingDep,
    name: str = Query("", title="姓名"), username: str = Query("", title="账号"),
    institution_id: Optional[int] = Query(None, title="所属机构"), org_id: Optional[int] = Query(None, title="所属组织"),
    role_id: Optional[int] = Query(None, title="角色"),
):
    filters = []
    if name:
        filters.append(User.name.contains(name.strip()))
    if username:
        filters.append(User.username.contains(username.strip()))
    if institution_id:
        filters.append(User.institution_id == institution_id)
    if org_id:
        filters.append(User.org_id == org_id)
    if role_id:
        filters.append(User.id.in_(select(UserRole.user_id).where(UserRole.role_id == role_id)))
    if actor.scope != "all":
        filters.append(scope_condition(actor))
    # Unfiltered, the total is the row kept by triggers (core/db_triggers.py); filtered, a count.
    # Core statements on the session's connection: the ORM's result layer adds nothing here.
    conn = await session.connection()
    if not filters:
        rows = (await conn.execute(_UNFILTERED_PAGE, {"offset": paging.offset, "limit": paging.per_page})).all()
        total = rows[0].total if rows else (await conn.execute(select(_LIVE_USERS))).scalar_one()
    else:
        rows = (await conn.execute(_PAGE.where(*filters).offset(paging.offset).limit(paging.per_page))).all()
        total = await count_of(session, select(User.id).where(User.deleted_at.is_(None), *filters))
    roles = await _roles_of(session, [r.role_ids for r in rows])
    items = [_user_out(r, r.institution_name, roles.get(r.role_ids, [])) for r in rows]
    return raw_json(ok(paging.page_of(items, total)))


@router.get("/role-options", summary="角色下拉选项", response_model=Envelope[Options])
async def role_options(session: SessionDep, actor: Requires("um.user.view")):
    roles = (await session.execute(select(Role).order_by(Role.id))).scalars().all()
    return ok({"options": [{"label": r.name, "value": r.id} for r in roles if r.key != "admin" or actor.is_superuser]})


@router.get("/institution-options", summary="所属机构筛选选项（本人可见用户所在的机构）", response_model=Envelope[Options])
async def institution_filter_options(session: SessionDep, actor: Requires("um.user.view")):
    """The 所属机构 filter of 用户管理: institutions holding users the actor may see, so a
    branch admin gets its own branch's institutions without the right to manage institutions."""
    in_scope = select(User.institution_id).where(User.deleted_at.is_(None), scope_condition(actor))
    rows = (await session.execute(
        select(Institution).where(Institution.id.in_(in_scope)).order_by(Institution.type, Institution.name))).scalars().all()
    return ok({"options": [{"label": f"{i.name}（{i.type}）", "value": i.id} for i in rows]})


@router.get("/{user_id}", summary="用户详情", response_model=Envelope[UserOut])
async def get_user(user_id: int, session: SessionDep, actor: Requires("um.user.view")):
    user = await get_user_in_scope(session, actor, user_id)
    return ok((await users_json(session, [user]))[0])


@router.post("", summary="新增用户", response_model=Envelope[UserOut])
async def create_user(body: UserIn, session: SessionDep, plugins: PluginsDep, settings: SettingsDep, actor: Requires("um.user.edit")):
    roles = await _check(session, plugins, actor, body, None)
    user = User(
        username=body.username.strip(), name=body.name.strip(), password_hash=hash_password(body.password, settings.bcrypt_rounds),
        org_id=body.org_id, institution_id=body.institution_id, student_no=sno_rules.normalise(body.student_no),
        phone=body.phone.strip(), email=body.email.strip(), is_active=body.is_active,
    )
    session.add(user)
    await session.flush()
    await _set_roles(session, user, roles)
    await plugins.run("xf_user_placed", session=session, user_ids=[user.id])
    await session.commit()
    return ok((await users_json(session, [user]))[0], "新增成功")


@router.put("/{user_id}", summary="编辑用户", response_model=Envelope[UserOut])
async def update_user(
    user_id: int, body: UserIn, session: SessionDep, plugins: PluginsDep, settings: SettingsDep, actor: Requires("um.user.edit"),
):
    user = await get_user_in_scope(session, actor, user_id)
    roles = await _check(session, plugins, actor, body, user)
    current = {r.key for r in (await session.execute(
        select(Role).join(UserRole, UserRole.role_id == Role.id).where(UserRole.user_id == user.id))).scalars()}
    if "admin" in current and not actor.is_superuser:
        raise fail(403, "只有系统管理员可以编辑系统管理员账号")
    user.username, user.name = body.username.strip(), body.name.strip()
    user.org_id, user.institution_id = body.org_id, body.institution_id
    user.student_no = sno_rules.normalise(body.student_no)  # admins may correct it (still unique)
    user.phone, user.email, user.updated_at = body.phone.strip(), body.email.strip(), utcnow()
    if user.is_active and not body.is_active:
        user.token_version += 1
    user.is_active = body.is_active
    if body.password:
        user.password_hash = hash_password(body.password, settings.bcrypt_rounds)
        user.token_version += 1
    await _set_roles(session, user, roles)
    await plugins.run("xf_user_placed", session=session, user_ids=[user.id])
    await session.commit()
    return ok((await users_json(session, [user]))[0], "保存成功")


@router.delete("/{user_id}", summary="删除用户", response_model=Envelope[Empty])
async def delete_user(user_id: int, session: SessionDep, actor: Requires("um.user.delete")):
    """Soft delete: history keeps its people, but the account can never log in again (UM-4)."""
    user = await get_user_in_scope(session, actor, user_id)
    if user.id == actor.id:
        raise fail(409, "不能删除当前登录的账号")
    is_admin = (await session.execute(
        select(Role.id).join(UserRole, UserRole.role_id == Role.id).where(UserRole.user_id == user.id, Role.key == "admin"))).first()
    if is_admin and not actor.is_superuser:
        raise fail(403, "只有系统管理员可以删除系统管理员账号")
    user.deleted_at = utcnow()
    user.token_version += 1
    user.username = f"{user.username}#deleted#{user.id}"[:64]
    user.password_hash = ""
    await session.commit()
    return ok(None, "删除成功")
