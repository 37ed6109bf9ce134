"""MP first-login profile completion (EV-12): go now or later, draft, submit."""
from __future__ import annotations

from fastapi import APIRouter, Body

from core import profile as profile_form
from core.auth import Requires
from core.db import SessionDep
from core.deps import SettingsDep
from core.errors import fail
from core.models import StudentProfile, utcnow

router = APIRouter(prefix="/api/mp/v1/profile", tags=["小程序-个人信息完善"])


async def _profile(session, user_id: int) -> StudentProfile:
    p = await session.get(StudentProfile, user_id)
    if p is None:
        p = StudentProfile(user_id=user_id)
        session.add(p)
    return p


def _state(user, p: StudentProfile) -> dict:
    return {
        "complete": p.complete,
        # Asked at every login until submitted; "later" only skips this time.
        "ask": not p.complete,
        "submitted_at": p.submitted_at.isoformat(timespec="seconds") if p.submitted_at else None,
        "deferred_at": p.deferred_at.isoformat(timespec="seconds") if p.deferred_at else None,
        "data": profile_form.as_dict(user, p),
        "draft": p.draft or {},
        "fields": [{"name": f.name, "label": f.label, "kind": f.kind, "choices": list(f.choices), "required": f.required}
                   for f in profile_form.FIELDS],
    }


@router.get("", summary="个人信息与完善状态")
async def get_profile(session: SessionDep, actor: Requires("mp.profile")):
    p = await _profile(session, actor.id)
    await session.commit()
    return _state(actor.user, p)


@router.post("/later", summary="稍后处理")
async def later(session: SessionDep, actor: Requires("mp.profile")):
    p = await _profile(session, actor.id)
    p.deferred_at = utcnow()
    await session.commit()
    return _state(actor.user, p)


@router.post("/draft", summary="暂存")
async def draft(session: SessionDep, settings: SettingsDep, actor: Requires("mp.profile"),
                data: dict = Body(..., description="已填写的字段")):
    p = await _profile(session, actor.id)
    clean, problems = profile_form.validate(data, partial=True, today=settings.local_today())
    problems = {**profile_form.student_edit_problems(actor.user, p, clean), **problems}
    if problems:
        raise fail(422, "；".join(problems.values()), errors=profile_form.problem_items(problems))
    p.draft = {k: v for k, v in data.items() if k in profile_form.BY_NAME}
    p.updated_at = utcnow()
    await session.commit()
    return _state(actor.user, p)


@router.post("/submit", summary="提交")
async def submit(session: SessionDep, settings: SettingsDep, actor: Requires("mp.profile"),
                 data: dict = Body(..., description="全部字段")):
    user = await session.merge(actor.user)
    p = await _profile(session, actor.id)
    clean, problems = profile_form.validate(data, partial=False, today=settings.local_today())
    # A student fills an empty 学号 once and never changes it; the name is theirs to fix only
    # until the profile is complete (issue 8: an impostor's 学号 took the victim's reports).
    problems = {**profile_form.student_edit_problems(user, p, clean), **problems}
    if problems:
        raise fail(422, "；".join(problems.values()), errors=profile_form.problem_items(problems))
    await profile_form.ensure_student_no_free(session, user, clean)
    profile_form.apply(user, p, clean)
    p.complete, p.submitted_at, p.draft = True, utcnow(), {}
    await session.commit()
    return _state(user, p)
