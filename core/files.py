"""Uploads and downloads (CORE-4).

The type is decided by the file's content (magic bytes), never by its name; the size
limit comes from settings; files are stored under ``<data_dir>/uploads`` with generated
names, so nothing in a request decides where bytes land. Downloads check rights.
"""
from __future__ import annotations

import secrets
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Actor, CurrentActor, get_user_in_scope, user_in_scope
from core.clock import LocalDateTime
from core.db import SessionDep
from core.errors import ERROR_RESPONSES, ErrorBody, fail
from core.models import StoredFile, User
from core.settings import Settings

TYPE_LABELS = {"jpg": "JPG 图片", "png": "PNG 图片", "pdf": "PDF 文件", "xlsx": "Excel 文件"}
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def sniff_type(head: bytes, data: bytes | None = None) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") and data is not None:
        try:
            names = zipfile.ZipFile(BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return "xlsx"
    return None


def check_name(name: str | None) -> str:
    name = (name or "").strip()
    if not name or "/" in name or "\\" in name or ".." in name or "\x00" in name or len(name) > 200:
        raise fail(400, "文件名不合法")
    return name


def check_content(data: bytes, settings: Settings, allowed: list[str] | None = None) -> str:
    allowed = allowed or settings.upload_types
    if len(data) > settings.upload_max_bytes:
        raise fail(413, f"文件超过大小限制（最大 {settings.upload_max_bytes // 1024 // 1024 or 1} MB）")
    if not data:
        raise fail(400, "文件为空")
    kind = sniff_type(data[:16], data)
    if kind is None or kind not in allowed:
        labels = "、".join(TYPE_LABELS.get(t, t) for t in allowed)
        raise fail(415, f"文件类型不支持，只能上传：{labels}")
    return kind


async def read_upload(upload: UploadFile, settings: Settings) -> bytes:
    """Read at most the size limit + 1 byte, so an oversize upload is refused without buffering it all."""
    data = await upload.read(settings.upload_max_bytes + 1)
    if len(data) > settings.upload_max_bytes:
        raise fail(413, f"文件超过大小限制（最大 {settings.upload_max_bytes // 1024 // 1024 or 1} MB）")
    return data


def _target(settings: Settings, token: str, ext: str) -> tuple[Path, str]:
    rel = f"{token[:2]}/{token}.{ext}"
    root = settings.upload_dir.resolve()
    path = (root / rel).resolve()
    if root not in path.parents:  # cannot happen with generated names; kept as the last line of defence
        raise fail(400, "文件路径不合法")
    return path, rel


async def store_bytes(
    session: AsyncSession, settings: Settings, data: bytes, *, name: str, owner_id: int | None,
    subject_user_id: int | None = None, purpose: str = "", allowed: list[str] | None = None,
) -> StoredFile:
    name = check_name(name)
    kind = check_content(data, settings, allowed)
    token = secrets.token_hex(16)
    path, rel = _target(settings, token, kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    record = StoredFile(
        token=token, owner_id=owner_id, subject_user_id=subject_user_id, purpose=purpose[:40],
        original_name=name, content_type=CONTENT_TYPES[kind], ext=kind, size=len(data), path=rel,
    )
    session.add(record)
    return record


def file_url(record: StoredFile) -> str:
    return f"/api/files/{record.token}"


def file_path(settings: Settings, record: StoredFile) -> Path:
    root = settings.upload_dir.resolve()
    path = (root / record.path).resolve()
    if root not in path.parents:
        raise fail(404, "文件不存在")
    return path


async def may_read(session: AsyncSession, actor: Actor, record: StoredFile) -> bool:
    if actor.scope == "all" or record.owner_id == actor.id:
        return True
    if record.subject_user_id is not None:
        subject = await session.get(User, record.subject_user_id)
        return subject is not None and user_in_scope(actor, subject)
    return False


class FileOut(BaseModel):
    """A stored file. ``url`` downloads it (with the same login); send ``token`` (or ``url``)
    where a form asks for files."""

    token: str = Field(description="文件标识（32 位）")
    url: str = Field(description="下载地址 /api/files/{token}")
    name: str = Field(description="原文件名")
    size: int = Field(description="字节数")
    type: Literal["jpg", "png", "pdf", "xlsx"] = Field(description="按内容识别的类型")
    type_label: str
    content_type: str
    purpose: str = Field(description="上传时声明的用途（如 avatar、application_letter），仅作记录")
    subject_user_id: int | None = Field(description="文件所涉及的人；下载权限按此人的数据范围判断")
    created_at: LocalDateTime


class UploadOut(BaseModel):
    msg: str
    file: FileOut


def file_out(record: StoredFile) -> FileOut:
    return FileOut(token=record.token, url=file_url(record), name=record.original_name, size=record.size, type=record.ext,
                   type_label=TYPE_LABELS.get(record.ext, record.ext), content_type=record.content_type,
                   purpose=record.purpose, subject_user_id=record.subject_user_id, created_at=record.created_at)


UPLOAD_ERRORS = {**ERROR_RESPONSES, **{code: {"model": ErrorBody, "description": text} for code, text in (
    (400, "文件为空或文件名不合法"), (413, "超过大小限制"), (415, "文件类型不支持"))}}
# Downloads answer the file's bytes; /openapi.json names every type an upload can have.
DOWNLOAD_CONTENT = {ct: {"schema": {"type": "string", "format": "binary"}} for ct in dict.fromkeys(CONTENT_TYPES.values())}

router = APIRouter(prefix="/api/files", tags=["文件"], responses=ERROR_RESPONSES)


@router.post("", summary="上传文件（图片或 PDF）", response_model=UploadOut, responses=UPLOAD_ERRORS)
async def upload(
    request: Request, session: SessionDep, actor: CurrentActor,
    file: UploadFile = File(..., title="文件", description="JPG、PNG 图片或 PDF 文件"),
    purpose: str = Form("", max_length=40, title="用途", description="用途标记（如 avatar、application_letter），仅作记录"),
    subject_user_id: int | None = Form(None, title="所涉人员", description="代他人上传时填写此人的用户编号（须在本人数据范围内）"),
):
    settings: Settings = request.app.state.settings
    name = check_name(file.filename)
    if subject_user_id is not None and subject_user_id != actor.id:
        await get_user_in_scope(session, actor, subject_user_id)
    data = await read_upload(file, settings)
    record = await store_bytes(
        session, settings, data, name=name, owner_id=actor.id,
        subject_user_id=subject_user_id or actor.id, purpose=purpose,
    )
    await session.commit()
    return UploadOut(msg="上传成功", file=file_out(record))


@router.get("/{token}", summary="下载文件", response_class=FileResponse,
            responses={200: {"content": DOWNLOAD_CONTENT, "description": "文件内容"}})
async def download(token: str, request: Request, session: SessionDep, actor: CurrentActor):
    if not token.isalnum() or len(token) != 32:
        raise fail(404, "文件不存在")
    record = (await session.execute(select(StoredFile).where(StoredFile.token == token))).scalar_one_or_none()
    if record is None or not await may_read(session, actor, record):
        raise fail(404, "文件不存在或无权查看")
    return FileResponse(file_path(request.app.state.settings, record), media_type=record.content_type, filename=record.original_name)
