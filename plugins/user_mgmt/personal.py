"""Personal centre (UM-3): own profile, password change that ends the session, avatar."""
from __future__ import annotations

from fastapi import APIRouter, File, Response, UploadFile
from pydantic import BaseModel, Field

from core.auth import COOKIE_NAME, CurrentActor
from core.db import SessionDep
from core.deps import SettingsDep
from core.errors import fail
from core.files import file_url, read_upload, store_bytes
from core import profile as profile_form
from core.models import Role, StudentProfile, UserRole, utcnow
from core.responses import ok
from core.security import hash_password, password_problem, verify_password
from core.text import PlainText
from sqlalchemy import select

router = APIRouter(prefix="/api/pc/v1/personal", tags=["管理端-个人中心"])
mp_router = APIRouter(prefix="/api/mp/v1/personal", tags=["小程序-个人中心"])


class PersonalIn(BaseModel):
    """Editable own fields; roles are deliberately absent (not editable here)."""

    name: PlainText = Field(min_length=1, max_length=64, title="姓名")
    phone: PlainText = Field("", max_length=32, title="手机号码")
    email: PlainText = Field("", max_length=128, title="邮箱")


class PasswordIn(BaseModel):
    old_password: str = Field(min_length=1, title="原始密码")
    new_password: str = Field(min_length=1, title="新密码")
    confirm_password: str = Field(min_length=1, title="确认密码")


async def personal_json(session, actor) -> dict:
    u = actor.user
    roles = (await session.execute(
        select(Role.name).join(UserRole, UserRole.role_id == Role.id).where(UserRole.user_id == u.id))).scalars().all()
    return {"id": u.id, "username": u.username, "name": u.name, "phone": u.phone, "email": u.email,
            "avatar": u.avatar, "student_no": u.student_no, "role_names": "、".join(roles)}


async def _get(session: SessionDep, actor: CurrentActor):
    return ok(await personal_json(session, actor))


async def _update(body: PersonalIn, session: SessionDep, actor: CurrentActor):
    user = await session.merge(actor.user)
    locked = profile_form.student_edit_problems(user, await session.get(StudentProfile, user.id), {"name": body.name.strip()})
    if locked:
        raise fail(422, locked["name"], field="name", label="姓名")
    user.name, user.phone, user.email, user.updated_at = body.name.strip(), body.phone.strip(), body.email.strip(), utcnow()
    await session.commit()
    actor.user = user
    return ok(await personal_json(session, actor), "保存成功")


async def _password(body: PasswordIn, response: Response, session: SessionDep, settings: SettingsDep, actor: CurrentActor):
    user = await session.merge(actor.user)
    if not verify_password(body.old_password, user.password_hash):
        raise fail(422, "原始密码不正确")
    if body.new_password != body.confirm_password:
        raise fail(422, "两次输入的新密码不一致")
    problem = password_problem(body.new_password)
    if problem:
        raise fail(422, problem)
    if body.new_password == body.old_password:
        raise fail(422, "新密码不能与原始密码相同")
    user.password_hash = hash_password(body.new_password, settings.bcrypt_rounds)
    user.token_version += 1  # every session and token of this account ends now
    await session.commit()
    response.delete_cookie(COOKIE_NAME, path="/")
    return ok({"relogin": True}, "密码修改成功，请重新登录")


async def _avatar(session: SessionDep, settings: SettingsDep, actor: CurrentActor, file: UploadFile = File(..., description="头像图片")):
    data = await read_upload(file, settings)
    record = await store_bytes(session, settings, data, name=file.filename or "", owner_id=actor.id,
                               subject_user_id=actor.id, purpose="avatar", allowed=["jpg", "png"])
    user = await session.merge(actor.user)
    user.avatar = file_url(record)
    await session.commit()
    return ok({"value": user.avatar, "url": user.avatar}, "头像已更新")


for r in (router, mp_router):
    r.add_api_route("", _get, methods=["GET"], summary="个人信息")
    r.add_api_route("", _update, methods=["PUT"], summary="修改个人信息（角色不可修改）")
    r.add_api_route("/password", _password, methods=["POST"], summary="修改密码（成功后需重新登录）")
    r.add_api_route("/avatar", _avatar, methods=["POST"], summary="更换头像")
