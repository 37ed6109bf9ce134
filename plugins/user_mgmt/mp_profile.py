"""MP first-login profile completion (EV-12): go now or later, draft, submit.

"Later" (稍后处理) holds for the rest of this login only: the deferral is compared with the
issue time (``iat``) of the caller's token, so the next login asks again until submitted.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

import jwt
from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from core import profile as profile_form
from core.auth import Requires, token_from_request
from core.clock import LocalDateTime
from core.db import SessionDep
from core.deps import SettingsDep
from core.errors import ERROR_RESPONSES, fail
from core.models import StudentProfile, utcnow
from core.profile_schema import ProfileFieldOut, ProfileIn, ProfileValues, field_list

router = APIRouter(prefix="/api/mp/v1/profile", tags=["小程序-个人信息完善"], responses=ERROR_RESPONSES)


class ProfileState(BaseModel):
    complete: bool = Field(description="已提交完整的基础信息")
    ask: bool = Field(description="是否应弹出“个人信息完善”提示：未提交且本次登录未选择稍后处理")
    submitted_at: LocalDateTime | None = Field(description="提交时间")
    deferred_at: LocalDateTime | None = Field(description="最近一次选择稍后处理的时间")
    data: ProfileValues = Field(description="已保存的基础信息")
    draft: ProfileValues = Field(description="暂存的内容")
    fields: list[ProfileFieldOut] = Field(description="表单字段")


class ProfileSaved(BaseModel):
    msg: str
    profile: ProfileState


def login_issued_at(request: Request) -> datetime | None:
    """When the caller's token was issued (its login), as naive UTC; None for tokens without ``iat``."""
    token = token_from_request(request)
    if not token:
        return None
    try:
        iat = jwt.decode(token, request.app.state.settings.secret_key, algorithms=["HS256"]).get("iat")
    except jwt.PyJWTError:
        return None
    if not isinstance(iat, (int, float)):
        return None
    return datetime.fromtimestamp(iat, timezone.utc).replace(tzinfo=None)


async def _profile(session, user_id: int) -> StudentProfile:
    p = await session.get(StudentProfile, user_id)
    if p is None:
        p = StudentProfile(user_id=user_id)
        session.add(p)
    return p


def _state(user, p: StudentProfile, issued_at: datetime | None) -> ProfileState:
    deferred_now = p.deferred_at is not None and issued_at is not None and p.deferred_at >= issued_at
    return ProfileState(
        complete=p.complete, ask=not p.complete and not deferred_now,
        submitted_at=p.submitted_at, deferred_at=p.deferred_at,
        data=ProfileValues(**profile_form.as_dict(user, p)), draft=ProfileValues(**(p.draft or {})), fields=field_list(),
    )


def _problems(problems: dict[str, str]):
    return fail(422, "；".join(problems.values()), errors=profile_form.problem_items(problems))


@router.get("", summary="个人信息与完善状态", response_model=ProfileState)
async def get_profile(request: Request, session: SessionDep, actor: Requires("mp.profile")):
    p = await _profile(session, actor.id)
    await session.commit()
    return _state(actor.user, p, login_issued_at(request))


@router.post("/later", summary="稍后处理（本次登录不再提示）", response_model=ProfileSaved)
async def later(request: Request, session: SessionDep, actor: Requires("mp.profile")):
    p = await _profile(session, actor.id)
    p.deferred_at = utcnow()
    await session.commit()
    return ProfileSaved(msg="下次登录时将再次提醒", profile=_state(actor.user, p, login_issued_at(request)))


@router.post("/draft", summary="暂存（只校验已填写的字段）", response_model=ProfileSaved)
async def draft(body: ProfileIn, request: Request, session: SessionDep, settings: SettingsDep, actor: Requires("mp.profile")):
    sent = body.model_dump(exclude_unset=True)
    clean, problems = profile_form.validate(sent, partial=True, today=settings.local_today())
    if problems:
        raise _problems(problems)
    p = await _profile(session, actor.id)
    p.draft = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in clean.items() if k in sent}
    p.updated_at = utcnow()
    await session.commit()
    return ProfileSaved(msg="已暂存", profile=_state(actor.user, p, login_issued_at(request)))


@router.post("/submit", summary="提交（全部必填字段有效）", response_model=ProfileSaved)
async def submit(body: ProfileIn, request: Request, session: SessionDep, settings: SettingsDep, actor: Requires("mp.profile")):
    clean, problems = profile_form.validate(body.model_dump(), partial=False, today=settings.local_today())
    if problems:
        raise _problems(problems)
    user = await session.merge(actor.user)
    p = await _profile(session, actor.id)
    profile_form.apply(user, p, clean)
    p.complete, p.submitted_at, p.draft = True, utcnow(), {}
    await session.commit()
    return ProfileSaved(msg="提交成功", profile=_state(user, p, login_issued_at(request)))
