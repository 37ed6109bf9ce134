"""Member basic info (党员基础信息管理, ORG-6): a branch admin views and edits its people's
profile with the same form students fill on the MP."""
from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from core import profile as profile_form
from core.profile_schema import ProfileIn, ProfileValues
from core.sdk import (ERROR_RESPONSES, Envelope, Page, PagingDep, Requires, Role, SessionDep, SettingsDep,
                      StudentProfile, User, UserRole, count_of, fail, get_user_in_scope, ok, scope_condition, utcnow)

router = APIRouter(prefix="/api/pc/v1/members", tags=["管理端-党员基础信息管理"], responses=ERROR_RESPONSES)


class MemberOut(BaseModel):
    id: int
    name: str = Field(description="姓名")
    username: str = Field(description="账号")
    student_no: str | None = Field(description="学号")
    phone: str = Field(description="手机号码")
    party_branch_id: int | None = Field(description="所在党支部")
    institution_id: int | None = Field(description="所属机构")
    complete: bool = Field(description="基础信息已完善")


class MemberDetail(ProfileValues):
    id: int
    complete: bool = Field(description="基础信息已完善")


def _detail(user, p) -> MemberDetail:
    return MemberDetail(id=user.id, complete=bool(p and p.complete), **profile_form.as_dict(user, p))


def _students():
    return select(UserRole.user_id).join(Role, Role.id == UserRole.role_id).where(Role.key == "student")


@router.get("", summary="本支部学生列表", response_model=Envelope[Page[MemberOut]])
async def list_members(
    session: SessionDep, actor: Requires("org.member.view"), paging: PagingDep,
    name: str = Query("", title="姓名"), student_no: str = Query("", title="学号"),
    complete: bool | None = Query(None, title="信息完善", description="true 已完善 | false 未完善；不传为全部"),
):
    q = (select(User, StudentProfile.complete)
         .outerjoin(StudentProfile, StudentProfile.user_id == User.id)
         .where(User.deleted_at.is_(None), User.party_branch_id.is_not(None), User.id.in_(_students()), scope_condition(actor)))
    if name:
        q = q.where(User.name.contains(name.strip()))
    if student_no:
        q = q.where(User.student_no.contains(student_no.strip()))
    if complete is not None:
        q = q.where(StudentProfile.complete.is_(True) if complete else (StudentProfile.complete.is_not(True)))
    total = await count_of(session, q)
    rows = (await session.execute(q.order_by(User.student_no, User.id).offset(paging.offset).limit(paging.per_page))).all()
    items = [MemberOut(id=u.id, name=u.name, username=u.username, student_no=u.student_no, phone=u.phone,
                       party_branch_id=u.party_branch_id, institution_id=u.institution_id, complete=bool(c)) for u, c in rows]
    return ok(paging.page_of(items, total))


@router.get("/{user_id}", summary="查看基础信息", response_model=Envelope[MemberDetail])
async def get_member(user_id: int, session: SessionDep, actor: Requires("org.member.view")):
    user = await get_user_in_scope(session, actor, user_id)
    return ok(_detail(user, await session.get(StudentProfile, user.id)))


@router.put("/{user_id}", summary="编辑基础信息", response_model=Envelope[MemberDetail])
async def update_member(user_id: int, body: ProfileIn, session: SessionDep, settings: SettingsDep, actor: Requires("org.member.edit")):
    user = await get_user_in_scope(session, actor, user_id)
    clean, problems = profile_form.validate(body.model_dump(), partial=False, today=settings.local_today())
    if problems:
        raise fail(422, "；".join(problems.values()), errors=profile_form.problem_items(problems))
    await profile_form.ensure_student_no_free(session, user, clean)
    p = await session.get(StudentProfile, user.id)
    if p is None:
        p = StudentProfile(user_id=user.id)
        session.add(p)
    profile_form.apply(user, p, clean)
    p.complete, p.submitted_at = True, p.submitted_at or utcnow()
    await session.commit()
    return ok(_detail(user, p), "提交成功")
