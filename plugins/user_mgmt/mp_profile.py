"""MP first-login profile completion (EV-12): go now or later, draft, submit.

"Later" (稍后处理) holds for the rest of this login only: the deferral is compared with the
issue time (``iat``) of the caller's token, so the next login asks again until submitted.
"""
from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from core import profile as profile_form
from core.profile_schema import ProfileFieldOut, ProfileIn, ProfileValues, field_list
from core.sdk import ERROR_RESPONSES, LocalDateTime, Requires, SessionDep, SettingsDep, StudentProfile, fail, utcnow

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


def login_issued_at(actor) -> datetime | None:
    """When the caller's token was issued (its login), as naive UTC."""
    return actor.token.issued_at if actor.token is not None else None


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
    return _state(actor.user, p, login_issued_at(actor))


@router.post("/later", summary="稍后处理（本次登录不再提示）", response_model=ProfileSaved)
async def later(request: Request, session: SessionDep, actor: Requires("mp.profile")):
    p = await _profile(session, actor.id)
    p.deferred_at = utcnow()
    await session.commit()
    return ProfileSaved(msg="下次登录时将再次提醒", profile=_state(actor.user, p, login_issued_at(actor)))


@router.post("/draft", summary="暂存（只校验已填写的字段）", response_model=ProfileSaved)
async def draft(body: ProfileIn, request: Request, session: SessionDep, settings: SettingsDep, actor: Requires("mp.profile")):
    sent = body.model_dump(exclude_unset=True)
    p = await _profile(session, actor.id)
    clean, problems = profile_form.validate(sent, partial=True, today=settings.local_today())
    problems = {**profile_form.student_edit_problems(actor.user, p, clean), **problems}
    if problems:
        raise _problems(problems)
    p.draft = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in clean.items() if k in sent}
    p.updated_at = utcnow()
    await session.commit()
    return ProfileSaved(msg="已暂存", profile=_state(actor.user, p, login_issued_at(actor)))


@router.post("/submit", summary="提交（全部必填字段有效）", response_model=ProfileSaved)
async def submit(body: ProfileIn, request: Request, session: SessionDep, settings: SettingsDep, actor: Requires("mp.profile")):
    data = body.model_dump()
    user = await session.merge(actor.user)
    p = await _profile(session, actor.id)
    clean, problems = profile_form.validate(data, partial=False, today=settings.local_today())
    # A student fills an empty 学号 once and never changes it; the name is theirs to fix only
    # until the profile is complete (issue 8: an impostor's 学号 took the victim's reports).
    problems = {**profile_form.student_edit_problems(user, p, clean), **problems}
    if problems:
        raise _problems(problems)
    await profile_form.ensure_student_no_free(session, user, clean)
    profile_form.apply(user, p, clean)
    p.complete, p.submitted_at, p.draft = True, utcnow(), {}
    await session.commit()
    return ProfileSaved(msg="提交成功", profile=_state(user, p, login_issued_at(actor)))
