"""Personal centre (UM-3): own profile, password change that ends the session, avatar.

The admin UI and the mini-program share the rules; the admin answers the amis envelope, the
mini-program the data itself. The admin's avatar form uploads through /api/files first and
sends the file; the mini-program sends the picture in one multipart request.
"""
from __future__ import annotations

from fastapi import APIRouter, File, Response, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy import select

from core import profile as profile_form
from core.auth import COOKIE_NAME
from core.sdk import (ERROR_RESPONSES, Actor, CurrentActor, Envelope, PlainText, Role, SessionDep, SettingsDep,
                      StoredFile, StudentProfile, UserRole, fail, file_url, ok, read_upload, store_bytes, utcnow)
from core.security import hash_password, password_problem, verify_password

router = APIRouter(prefix="/api/pc/v1/personal", tags=["管理端-个人中心"], responses=ERROR_RESPONSES)
mp_router = APIRouter(prefix="/api/mp/v1/personal", tags=["小程序-个人中心"], responses=ERROR_RESPONSES)


class PersonalIn(BaseModel):
    """Editable own fields; roles are deliberately absent (not editable here)."""

    name: PlainText = Field(min_length=1, max_length=64, title="姓名")
    phone: PlainText = Field("", max_length=32, title="手机号码")
    email: PlainText = Field("", max_length=128, title="邮箱")


class PasswordIn(BaseModel):
    old_password: str = Field(min_length=1, title="原始密码")
    new_password: str = Field(min_length=1, title="新密码")
    confirm_password: str = Field(min_length=1, title="确认密码")


class AvatarIn(BaseModel):
    file: str = Field(min_length=1, max_length=200, title="头像", description="/api/files 上传后得到的 token 或 url")


class PersonalOut(BaseModel):
    id: int
    username: str = Field(description="账号")
    name: str = Field(description="姓名")
    phone: str = Field(description="手机号码")
    email: str = Field(description="邮箱")
    avatar: str = Field(description="头像地址（/api/files/...），未设置为空")
    student_no: str | None = Field(description="学号")
    role_names: str = Field(description="角色名称，以“、”分隔（不可在此修改）")


class PersonalSaved(BaseModel):
    msg: str
    personal: PersonalOut


class PasswordChanged(BaseModel):
    msg: str
    relogin: bool = Field(description="为 true：本账号的全部登录已失效，请重新登录")


async def personal_out(session, actor: Actor) -> PersonalOut:
    u = actor.user
    roles = (await session.execute(
        select(Role.name).join(UserRole, UserRole.role_id == Role.id).where(UserRole.user_id == u.id))).scalars().all()
    return PersonalOut(id=u.id, username=u.username, name=u.name, phone=u.phone, email=u.email, avatar=u.avatar,
                       student_no=u.student_no, role_names="、".join(roles))


async def _update(body: PersonalIn, session, actor: Actor) -> PersonalOut:
    user = await session.merge(actor.user)
    locked = profile_form.student_edit_problems(user, await session.get(StudentProfile, user.id), {"name": body.name.strip()})
    if locked:
        raise fail(422, locked["name"], field="name", label="姓名")
    user.name, user.phone, user.email, user.updated_at = body.name.strip(), body.phone.strip(), body.email.strip(), utcnow()
    await session.commit()
    actor.user = user
    return await personal_out(session, actor)


async def _password(body: PasswordIn, response: Response, session, settings, actor: Actor) -> None:
    user = await session.merge(actor.user)
    if not verify_password(body.old_password, user.password_hash):
        raise fail(422, "原始密码不正确", field="old_password", label="原始密码")
    if body.new_password != body.confirm_password:
        raise fail(422, "两次输入的新密码不一致", field="confirm_password", label="确认密码")
    problem = password_problem(body.new_password)
    if problem:
        raise fail(422, problem, field="new_password", label="新密码")
    if body.new_password == body.old_password:
        raise fail(422, "新密码不能与原始密码相同", field="new_password", label="新密码")
    user.password_hash = hash_password(body.new_password, settings.bcrypt_rounds)
    user.token_version += 1  # every session and token of this account ends now
    await session.commit()
    response.delete_cookie(COOKIE_NAME, path="/")


async def _set_avatar(session, actor: Actor, record: StoredFile) -> PersonalOut:
    user = await session.merge(actor.user)
    user.avatar = file_url(record)
    await session.commit()
    actor.user = user
    return await personal_out(session, actor)


RELOGIN = "密码修改成功，请重新登录"


# --- admin UI -----------------------------------------------------------------------------------

@router.get("", summary="个人信息", response_model=Envelope[PersonalOut])
async def pc_get(session: SessionDep, actor: CurrentActor):
    return ok(await personal_out(session, actor))


@router.put("", summary="修改个人信息（角色不可修改）", response_model=Envelope[PersonalOut])
async def pc_update(body: PersonalIn, session: SessionDep, actor: CurrentActor):
    return ok(await _update(body, session, actor), "保存成功")


@router.post("/password", summary="修改密码（成功后需重新登录）", response_model=Envelope[PasswordChanged])
async def pc_password(body: PasswordIn, response: Response, session: SessionDep, settings: SettingsDep, actor: CurrentActor):
    await _password(body, response, session, settings, actor)
    return ok(PasswordChanged(msg=RELOGIN, relogin=True), RELOGIN)


@router.post("/avatar", summary="更换头像（先经 /api/files 上传图片）", response_model=Envelope[PersonalOut])
async def pc_avatar(body: AvatarIn, session: SessionDep, actor: CurrentActor):
    token = body.file.rsplit("/", 1)[-1]
    record = (await session.execute(select(StoredFile).where(StoredFile.token == token))).scalar_one_or_none()
    if record is None or record.owner_id != actor.id:
        raise fail(422, "头像图片不存在，请重新上传", field="file", label="头像")
    if record.ext not in ("jpg", "png"):
        raise fail(415, "头像只能是 JPG 或 PNG 图片", field="file", label="头像")
    return ok(await _set_avatar(session, actor, record), "头像已更新")


# --- mini-program -------------------------------------------------------------------------------

@mp_router.get("", summary="个人信息", response_model=PersonalOut)
async def mp_get(session: SessionDep, actor: CurrentActor):
    return await personal_out(session, actor)


@mp_router.put("", summary="修改个人信息（角色不可修改）", response_model=PersonalSaved)
async def mp_update(body: PersonalIn, session: SessionDep, actor: CurrentActor):
    return PersonalSaved(msg="保存成功", personal=await _update(body, session, actor))


@mp_router.post("/password", summary="修改密码（成功后需重新登录）", response_model=PasswordChanged)
async def mp_password(body: PasswordIn, response: Response, session: SessionDep, settings: SettingsDep, actor: CurrentActor):
    await _password(body, response, session, settings, actor)
    return PasswordChanged(msg=RELOGIN, relogin=True)


@mp_router.post("/avatar", summary="更换头像（JPG/PNG 图片）", response_model=PersonalSaved)
async def mp_avatar(session: SessionDep, settings: SettingsDep, actor: CurrentActor,
                    file: UploadFile = File(..., title="头像", description="JPG 或 PNG 图片")):
    data = await read_upload(file, settings)
    record = await store_bytes(session, settings, data, name=file.filename or "", owner_id=actor.id,
                               subject_user_id=actor.id, purpose="avatar", allowed=["jpg", "png"])
    return PersonalSaved(msg="头像已更新", personal=await _set_avatar(session, actor, record))
