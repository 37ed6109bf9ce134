"""Login, logout and "who am I" for the mini-program (token) and the admin UI (cookie)."""
from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import bindparam, select

from core.auth import COOKIE_NAME, Actor, CurrentActor, OptionalActor, load_actor
from core.clock import LocalDateTime
from core.db import SessionDep
from core.errors import ERROR_RESPONSES, ErrorBody
from core.login import authenticate, token_for
from core.models import StudentProfile
from core.permissions import SCOPE_LABELS
from core.responses import Done, Empty, Envelope, ok
from core.sessions import revoke_token


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=64, title="账号")
    password: str = Field(min_length=1, max_length=128, title="密码")


class MeOut(BaseModel):
    """The signed-in user as both clients see it."""

    id: int
    username: str = Field(description="账号")
    name: str = Field(description="姓名")
    student_no: str | None = Field(description="学号")
    phone: str = Field(description="手机号码")
    email: str = Field(description="邮箱")
    avatar: str = Field(description="头像地址（/api/files/...），未设置为空")
    org_id: int | None = Field(description="所属组织")
    institution_id: int | None = Field(description="所属机构")
    party_branch_id: int | None = Field(description="所在党支部（由组织与机构的关联推出）")
    roles: list[str] = Field(description="角色标识：admin、committee、branch_admin、student 或自定义")
    role_names: list[str] = Field(description="角色名称")
    scope: Literal["all", "branch", "self"] = Field(description="数据范围：all 全部 | branch 本支部 | self 仅本人")
    scope_label: str
    permissions: list[str] = Field(description="本端（小程序或管理端）的权限标识；系统管理员为 [\"*\"]")
    profile_complete: bool = Field(description="已提交个人基础信息")
    is_student: bool


class LoginOut(BaseModel):
    token: str = Field(description="放在请求头 Authorization: Bearer <token>")
    token_type: Literal["bearer"] = "bearer"
    expires_at: LocalDateTime = Field(description="过期时间（学院当地时间，带时区）")
    user: MeOut


class PcLoginOut(BaseModel):
    token: str = Field(description="同时写入 http-only Cookie xf_token")
    expires_at: LocalDateTime
    redirect: str = Field(description="登录后打开的页面")


_PROFILE_COMPLETE = select(StudentProfile.complete).where(StudentProfile.user_id == bindparam("user_id"))


async def actor_json(session, actor: Actor, registry, tree: str) -> MeOut:
    """The current user; ``permissions`` lists the keys of one tree (``pc`` or ``mp``)."""
    u = actor.user
    # One prebuilt Core statement; role names come with the actor (core/role_cache.py).
    complete = (await (await session.connection()).execute(_PROFILE_COMPLETE, {"user_id": u.id})).scalar()
    names = actor.role_names
    roles = sorted(actor.role_keys)
    return MeOut(
        id=u.id, username=u.username, name=u.name, student_no=u.student_no, phone=u.phone, email=u.email,
        avatar=u.avatar, org_id=u.org_id, institution_id=u.institution_id, party_branch_id=u.party_branch_id,
        roles=roles, role_names=[names.get(k, k) for k in roles], scope=actor.scope,
        scope_label=SCOPE_LABELS.get(actor.scope, actor.scope),
        permissions=["*"] if actor.is_superuser else sorted(
            k for k in actor.permissions if k in registry.by_key and registry.by_key[k].tree == tree),
        profile_complete=bool(complete), is_student="student" in actor.role_keys,
    )


LOGIN_ERRORS = {**ERROR_RESPONSES, 429: {"model": ErrorBody, "description": "登录失败次数过多，暂时锁定"}}

mp = APIRouter(prefix="/api/mp/v1", tags=["小程序-登录"], responses=ERROR_RESPONSES)
pc = APIRouter(prefix="/api/pc/v1", tags=["管理端-登录"], responses=ERROR_RESPONSES)


@mp.post("/auth/login", summary="小程序登录", response_model=LoginOut, responses=LOGIN_ERRORS)
async def mp_login(body: LoginIn, request: Request, session: SessionDep):
    settings = request.app.state.settings
    user = await authenticate(session, settings, body.username, body.password)
    token, expires = token_for(user, settings)
    actor = await load_actor(session, user.id)
    return LoginOut(token=token, expires_at=expires, user=await actor_json(session, actor, request.app.state.permissions, "mp"))


@mp.get("/me", summary="当前用户", response_model=MeOut)
async def mp_me(actor: CurrentActor, request: Request, session: SessionDep):
    return await actor_json(session, actor, request.app.state.permissions, "mp")


@pc.post("/auth/login", summary="管理端登录（写入 Cookie）", response_model=Envelope[PcLoginOut], responses=LOGIN_ERRORS)
async def pc_login(body: LoginIn, request: Request, response: Response, session: SessionDep):
    settings = request.app.state.settings
    user = await authenticate(session, settings, body.username, body.password)
    token, expires = token_for(user, settings)
    response.set_cookie(
        COOKIE_NAME, token, httponly=True, samesite="lax", secure=settings.env == "production",
        max_age=settings.token_ttl_minutes * 60, path="/",
    )
    return ok(PcLoginOut(token=token, expires_at=expires, redirect="/admin/"), "登录成功")


LOGGED_OUT = "已退出登录"


async def _logout(actor: Actor | None, session) -> None:
    """End the token this request came with (only this one: other devices stay signed in).
    Without a valid token there is nothing to end; logging out twice is not an error."""
    if actor is not None and actor.token is not None:
        await revoke_token(session, actor.token, actor.id)


@pc.post("/auth/logout", summary="退出登录（本令牌立即失效）", response_model=Envelope[Empty])
async def pc_logout(actor: OptionalActor, response: Response, session: SessionDep):
    await _logout(actor, session)
    response.delete_cookie(COOKIE_NAME, path="/")
    return ok(None, LOGGED_OUT)


@mp.post("/auth/logout", summary="小程序退出登录（本令牌立即失效，其他设备不受影响）", response_model=Done)
async def mp_logout(actor: OptionalActor, session: SessionDep):
    await _logout(actor, session)
    return Done(msg=LOGGED_OUT)


@pc.get("/me", summary="当前用户", response_model=Envelope[MeOut])
async def pc_me(actor: CurrentActor, request: Request, session: SessionDep):
    return ok(await actor_json(session, actor, request.app.state.permissions, "pc"))
