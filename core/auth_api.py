"""Login, logout and "who am I" for the mini-program (token) and the admin UI (cookie)."""
from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from core.auth import COOKIE_NAME, Actor, CurrentActor, OptionalActor, load_actor
from core.db import SessionDep
from core.login import authenticate, token_for
from core.models import StudentProfile
from core.responses import Done, Empty, Envelope, ok
from core.sessions import revoke_token


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=64, title="账号")
    password: str = Field(min_length=1, max_length=128, title="密码")


async def actor_json(session, actor: Actor, registry, tree: str) -> dict:
    """The current user as both clients see it; ``permissions`` lists the keys of one tree."""
    u = actor.user
    profile = await session.get(StudentProfile, u.id)
    return {
        "id": u.id,
        "username": u.username,
        "name": u.name,
        "student_no": u.student_no,
        "phone": u.phone,
        "email": u.email,
        "avatar": u.avatar,
        "org_id": u.org_id,
        "institution_id": u.institution_id,
        "party_branch_id": u.party_branch_id,
        "roles": sorted(actor.role_keys),
        "scope": actor.scope,
        "permissions": ["*"] if actor.is_superuser else sorted(
            k for k in actor.permissions if k in registry.by_key and registry.by_key[k].tree == tree
        ),
        "profile_complete": bool(profile and profile.complete),
        "is_student": "student" in actor.role_keys,
    }


mp = APIRouter(prefix="/api/mp/v1", tags=["小程序-登录"])
pc = APIRouter(prefix="/api/pc/v1", tags=["管理端-登录"])


@mp.post("/auth/login", summary="小程序登录")
async def mp_login(body: LoginIn, request: Request, session: SessionDep):
    settings = request.app.state.settings
    user = await authenticate(session, settings, body.username, body.password)
    token, expires = token_for(user, settings)
    actor = await load_actor(session, user.id)
    return {"token": token, "token_type": "bearer", "expires_at": expires.isoformat(), "user": await actor_json(session, actor, request.app.state.permissions, "mp")}


@mp.get("/me", summary="当前用户")
async def mp_me(actor: CurrentActor, request: Request, session: SessionDep):
    return await actor_json(session, actor, request.app.state.permissions, "mp")


@pc.post("/auth/login", summary="管理端登录（写入 Cookie）")
async def pc_login(body: LoginIn, request: Request, response: Response, session: SessionDep):
    settings = request.app.state.settings
    user = await authenticate(session, settings, body.username, body.password)
    token, expires = token_for(user, settings)
    response.set_cookie(
        COOKIE_NAME, token, httponly=True, samesite="lax", secure=settings.env == "production",
        max_age=settings.token_ttl_minutes * 60, path="/",
    )
    return {"status": 0, "msg": "登录成功", "data": {"token": token, "redirect": "/admin/"}}


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


@pc.get("/me", summary="当前用户")
async def pc_me(actor: CurrentActor, request: Request, session: SessionDep):
    return {"status": 0, "msg": "", "data": await actor_json(session, actor, request.app.state.permissions, "pc")}
