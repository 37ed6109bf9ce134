"""Downloads the cohort components answer: generated papers (bytes built for the request) and
stored ones (a file saved when it was generated), each with a Chinese file name, plus what
/openapi.json says about them (binary PDF or zip)."""
from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import FileResponse, Response
from sqlalchemy import select

from core.errors import fail
from core.files import file_path
from core.models import StoredFile

PDF_TYPE, ZIP_TYPE = "application/pdf", "application/zip"
BINARY = {"schema": {"type": "string", "format": "binary"}}
PDF = {200: {"content": {PDF_TYPE: BINARY}, "description": "PDF 文件"}}
PDF_OR_ZIP = {200: {"content": {PDF_TYPE: BINARY, ZIP_TYPE: BINARY}, "description": "PDF 文件或 zip 压缩包"}}


def attachment(data: bytes, file_name: str) -> Response:
    media = ZIP_TYPE if file_name.endswith(".zip") else PDF_TYPE
    return Response(data, media_type=media, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(file_name)}"})


async def stored(session, request: Request, token: str | None, what: str) -> FileResponse:
    """A file saved earlier (a generated ballot, letters, a scan); 404 naming what is missing."""
    if not token:
        raise fail(404, f"尚未生成{what}")
    found = (await session.execute(select(StoredFile).where(StoredFile.token == token))).scalar_one_or_none()
    if found is None:
        raise fail(404, f"{what}不存在")
    return FileResponse(file_path(request.app.state.settings, found), media_type=found.content_type,
                        filename=found.original_name)
