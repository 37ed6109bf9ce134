"""One error shape for the whole API (admin UI, mini-program, files):

    {"status": <http code>, "msg": "<中文>", "errors": [{"field", "label", "msg", "row"}]}

``msg`` is what a person reads (amis shows it in a toast; a mini-program in a dialog);
``errors`` names each field at fault with its Chinese ``label`` (``row`` for imported
sheets). A request that fails validation answers 422 with every field's reason in Chinese
("谈话地点不能为空"), never the raw field name. Nothing answers 5xx for bad input: numbers
outside what the database stores answer 422 too.
"""
from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("xianfeng.errors")

_TYPE_MESSAGES = {
    "missing": "不能为空",
    "string_too_short": "不能为空",
    "string_too_long": "过长",
    "too_short": "不能为空",
    "too_long": "条目过多",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "greater_than_equal": "超出允许范围",
    "greater_than": "超出允许范围",
    "less_than_equal": "超出允许范围",
    "less_than": "超出允许范围",
    "date_from_datetime_parsing": "日期格式不正确，应为 YYYY-MM-DD",
    "date_from_datetime_inexact": "日期格式不正确，应为 YYYY-MM-DD",
    "date_parsing": "日期格式不正确，应为 YYYY-MM-DD",
    "date_type": "日期格式不正确，应为 YYYY-MM-DD",
    "datetime_parsing": "时间格式不正确",
    "datetime_from_date_parsing": "时间格式不正确",
    "datetime_type": "时间格式不正确",
    "bool_parsing": "应为是/否",
    "bool_type": "应为是/否",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "list_type": "格式不正确，应为列表",
    "dict_type": "格式不正确",
    "model_type": "格式不正确",
    "model_attributes_type": "格式不正确",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "json_invalid": "请求内容不是有效的 JSON",
    "string_pattern_mismatch": "格式不正确",
}

_DEFAULT_STATUS_MESSAGES = {400: "请求格式不正确", 401: "请先登录", 403: "没有权限执行此操作", 404: "对象不存在或无权查看",
                            405: "不支持的请求方式", 413: "上传内容过大", 415: "不支持的内容类型", 422: "请求参数不正确",
                            429: "请求过于频繁，请稍后再试"}


class ErrorItem(BaseModel):
    field: str
    label: str
    msg: str
    row: int | None = None


class ErrorBody(BaseModel):
    status: int
    msg: str
    errors: list[ErrorItem] = []


# Documented on every operation, so clients learn the error shape from /openapi.json.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text} for code, text in
    ((401, "未登录或登录已失效"), (403, "没有权限"), (404, "不存在或无权查看"), (409, "当前状态不允许该操作"),
     (422, "参数不正确（errors 列出各字段）"))
}


def error_body(status: int, msg: str, errors: list[dict] | None = None, **extra) -> dict:
    return {"status": status, "msg": msg, "errors": errors or [], **extra}


def field_error(field: str, label: str, msg: str, row: int | None = None) -> dict:
    item = {"field": field, "label": label, "msg": msg}
    if row is not None:
        item["row"] = row
    return item


def fail(status: int, msg: str, *, field: str | None = None, label: str | None = None,
         errors: list[dict] | None = None, **extra) -> HTTPException:
    """An HTTPException that answers the error shape with a Chinese message. ``field`` (and its
    Chinese ``label``) marks the form field at fault; ``errors`` lists several."""
    items = list(errors or [])
    if field:
        items.insert(0, field_error(field, label or field, msg))
    detail: dict[str, Any] = {"msg": msg, "errors": items, **extra}
    return HTTPException(status_code=status, detail=detail)


# --- labels of request fields --------------------------------------------------------------------

def _model_label(model: Any, path: list[str]) -> str | None:
    """Walk a pydantic model along ``path`` (field names, list indexes) to a field's title."""
    label = None
    for part in path:
        fields = getattr(model, "model_fields", None)
        if fields is None or part not in fields:
            if part.isdigit():
                continue
            return label
        info = fields[part]
        label = info.title or info.description or label
        ann = info.annotation
        model = _inner_model(ann)
    return label


def _inner_model(ann: Any) -> Any:
    for arg in (getattr(ann, "__args__", None) or (ann,)):
        if hasattr(arg, "model_fields"):
            return arg
        inner = getattr(arg, "__args__", None)
        if inner:
            found = _inner_model(arg)
            if found is not None:
                return found
    return None


def _param_label(request: Request, loc: tuple) -> str | None:
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None or not loc:
        return None
    where, rest = loc[0], [str(p) for p in loc[1:]]
    params = {"query": "query_params", "path": "path_params", "header": "header_params", "cookie": "cookie_params"}
    stack = [dependant]
    while stack:
        dep = stack.pop()
        stack.extend(dep.dependencies)
        if where == "body":
            for field in dep.body_params:
                if rest and rest[0] == field.alias:
                    label = _model_label(field.field_info.annotation, rest[1:]) if len(rest) > 1 else None
                    return label or field.field_info.title or field.field_info.description
                model = field.field_info.annotation
                if hasattr(model, "model_fields"):
                    label = _model_label(model, rest)
                    if label:
                        return label
        elif where in params:
            for field in getattr(dep, params[where]):
                if rest and rest[0] == field.alias:
                    return field.field_info.title or field.field_info.description
    return None


def validation_errors(request: Request, exc: RequestValidationError) -> tuple[str, list[dict]]:
    items = []
    for e in exc.errors():
        loc = tuple(e.get("loc", ()))
        field = ".".join(str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")) or "请求"
        label = _param_label(request, loc) or ("请求内容" if field == "请求" else "参数")
        reason = _reason_with_limits(e) or _TYPE_MESSAGES.get(e.get("type", ""))
        if reason is None:
            ctx_msg = str(e.get("msg", ""))
            reason = ctx_msg.removeprefix("Value error, ") if e.get("type") == "value_error" and not ctx_msg.isascii() else "格式不正确"
        items.append(field_error(field, label, f"{label}{reason}"))
    text = "；".join(dict.fromkeys(x["msg"] for x in items)) or "请求格式不正确"
    return text, items


_OUT_OF_RANGE = re.compile(r"out of (int\d+ )?range|too large to convert")


def _reason_with_limits(e: dict) -> str | None:
    """Length and range refusals that say the limit ("不能超过200个字", "不能大于30")."""
    ctx, kind = e.get("ctx") or {}, e.get("type", "")
    if kind == "string_too_long" and "max_length" in ctx:
        return f"不能超过{ctx['max_length']}个字"
    if kind == "string_too_short" and ctx.get("min_length", 1) > 1:
        return f"至少{ctx['min_length']}个字"
    if kind == "too_long" and "max_length" in ctx:
        return f"最多{ctx['max_length']}项"
    limits = {"less_than_equal": ("le", "不能大于"), "greater_than_equal": ("ge", "不能小于"),
              "less_than": ("lt", "应小于"), "greater_than": ("gt", "应大于")}
    if kind in limits and limits[kind][0] in ctx and abs(ctx[limits[kind][0]]) < 10**12:
        return f"{limits[kind][1]}{ctx[limits[kind][0]]}"
    return None


def _db_out_of_range(exc: Exception) -> bool:
    """A value the database driver cannot store: past int64 on SQLite, past the column's type
    on PostgreSQL (asyncpg: "value out of int32 range" for INTEGER, "int64" for BIGINT;
    the server: "integer out of range")."""
    return isinstance(exc, OverflowError) or bool(_OUT_OF_RANGE.search(str(getattr(exc, "orig", exc))))


def _unique_conflict(exc: Exception) -> tuple[str, list[dict]] | None:
    """A unique index refused a write that raced past the route's own check (two requests
    storing the same value at once): a 409 the person can act on, not a 500."""
    if not isinstance(exc, IntegrityError):
        return None
    text = str(getattr(exc, "orig", exc))
    if "UNIQUE constraint failed" not in text and "duplicate key value" not in text:
        return None
    if "student_no" in text:
        return "学号已被其他用户使用", [field_error("student_no", "学号", "学号已被其他用户使用")]
    return "与已有记录冲突，请刷新后重试", []


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        detail = exc.detail
        errors: list[dict] = []
        extra: dict[str, Any] = {}
        if isinstance(detail, dict):
            extra = dict(detail)
            msg = extra.pop("msg", None) or _DEFAULT_STATUS_MESSAGES.get(exc.status_code, "请求失败")
            errors = extra.pop("errors", None) or []
        elif isinstance(detail, str) and detail and not detail.isascii():
            msg = detail
        else:
            msg = _DEFAULT_STATUS_MESSAGES.get(exc.status_code, "请求失败")
        return JSONResponse(error_body(exc.status_code, msg, errors, **extra), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        text, errors = validation_errors(request, exc)
        return JSONResponse(error_body(422, text, errors), status_code=422)

    @app.exception_handler(OverflowError)
    async def _overflow(request: Request, exc: OverflowError):
        return JSONResponse(error_body(422, "参数超出允许范围"), status_code=422)

    @app.exception_handler(DBAPIError)
    async def _dbapi(request: Request, exc: DBAPIError):
        if _db_out_of_range(exc):
            return JSONResponse(error_body(422, "参数超出允许范围"), status_code=422)
        conflict = _unique_conflict(exc)
        if conflict:
            return JSONResponse(error_body(409, conflict[0], conflict[1]), status_code=409)
        log.exception("database error on %s %s", request.method, request.url.path, exc_info=exc)
        return JSONResponse(error_body(500, "服务器内部错误，请稍后再试"), status_code=500)
