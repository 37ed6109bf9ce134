"""One error shape for the whole API: {"status": <http code>, "msg": <Chinese>, "detail": <same>}.

amis shows ``msg`` of a failed request; mini-program clients read ``detail`` or ``msg``.
"""
from __future__ import annotations

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

_TYPE_MESSAGES = {
    "missing": "不能为空",
    "string_too_short": "不能为空或过短",
    "string_too_long": "过长",
    "int_parsing": "应为整数",
    "float_parsing": "应为数字",
    "date_from_datetime_parsing": "日期格式不正确",
    "date_parsing": "日期格式不正确",
    "bool_parsing": "应为是/否",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "json_invalid": "请求内容不是有效的 JSON",
}

_DEFAULT_STATUS_MESSAGES = {401: "请先登录", 403: "没有权限执行此操作", 404: "对象不存在或无权查看", 405: "不支持的请求方式"}


def error_body(status: int, msg: str, **extra) -> dict:
    return {"status": status, "msg": msg, "detail": msg, **extra}


def _field_label(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or "请求"


def validation_message(exc: RequestValidationError) -> tuple[str, list[dict]]:
    errors = []
    for e in exc.errors():
        field = _field_label(e.get("loc", ()))
        reason = _TYPE_MESSAGES.get(e.get("type", ""))
        if reason is None:
            ctx_msg = str(e.get("msg", ""))
            reason = ctx_msg.removeprefix("Value error, ") if e.get("type") == "value_error" else "格式不正确"
        errors.append({"field": field, "msg": reason})
    text = "；".join(f"{x['field']}：{x['msg']}" for x in errors) or "请求格式不正确"
    return text, errors


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else None
        msg = detail if detail and not detail.isascii() else _DEFAULT_STATUS_MESSAGES.get(exc.status_code, detail or "请求失败")
        extra = exc.detail if isinstance(exc.detail, dict) else {}
        if extra:
            msg = extra.pop("msg", msg)
        return JSONResponse(error_body(exc.status_code, msg, **extra), status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        text, errors = validation_message(exc)
        return JSONResponse(error_body(422, text, errors=errors), status_code=422)


def fail(status: int, msg: str, **extra) -> HTTPException:
    """An HTTPException carrying a Chinese message (and optional structured fields)."""
    return HTTPException(status_code=status, detail={"msg": msg, **extra} if extra else msg)
