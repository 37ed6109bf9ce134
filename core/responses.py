"""The API contract's building blocks: envelopes, pages, paging, options.

- Admin UI routes (``/api/pc/v1``) answer the amis envelope ``{"status": 0, "msg", "data"}``:
  declare ``response_model=Envelope[ThingOut]`` and return ``ok(...)``.
- Mini-program routes (``/api/mp/v1``) and ``/api/files`` answer the data itself (a JSON
  object): declare ``response_model=ThingOut``; lists are ``Page[ItemOut]``.
- Errors everywhere: ``core.errors.ErrorBody`` ``{"status", "msg", "errors": [...]}``.
Every list is paged with ``page`` and ``per_page`` and carries ``total``. docs/api.md is the
reader's version of this.
"""
from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

import orjson
from fastapi import Depends, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")

MAX_PAGE = 100_000
MAX_PER_PAGE = 500


class Envelope(BaseModel, Generic[T]):
    """The admin UI's answer (amis): ``status`` 0 means success."""

    status: int = Field(0, description="0 表示成功")
    msg: str = Field("", description="提示信息")
    data: T


class Page(BaseModel, Generic[T]):
    """One page of a list."""

    items: list[T]
    total: int = Field(description="符合条件的总条数")
    page: int = Field(1, description="页码")
    per_page: int = Field(20, description="每页条数")


class Option(BaseModel):
    label: str
    value: int | str


class Options(BaseModel):
    options: list[Option]


class Done(BaseModel):
    """An action with nothing more to say than its message."""

    msg: str = ""


class Empty(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Count(BaseModel):
    count: int


def ok(data: Any = None, msg: str = "") -> dict:
    return {"status": 0, "msg": msg, "data": {} if data is None else data}


class Paging(BaseModel):
    page: int = 1
    per_page: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def page_of(self, items: list, total: int) -> dict:
        return {"items": items, "total": total, "page": self.page, "per_page": self.per_page}


async def _paging(page: int = Query(1, ge=1, le=MAX_PAGE, title="页码"),
                  per_page: int = Query(20, ge=1, le=MAX_PER_PAGE, title="每页条数")) -> Paging:
    # async: FastAPI runs a plain ``def`` dependency on its thread pool, a thread hop per request.
    return Paging(page=page, per_page=per_page)


PagingDep = Annotated[Paging, Depends(_paging)]


def ids_param(value: str | None) -> list[int]:
    """Parse amis' comma-joined id lists ("1,2,3"); ids outside int64 are refused."""
    if not value:
        return []
    from core.errors import fail

    try:
        ids = [int(x) for x in str(value).split(",") if x.strip()]
    except ValueError:
        raise fail(422, "编号格式不正确")
    if any(not 0 < i < 2**63 for i in ids):
        raise fail(422, "编号超出范围")
    return ids


class RawJSON(JSONResponse):
    """JSON encoded by orjson (several times faster than the json module on hot lists), UTF-8
    like every answer of the app."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


def raw_json(data: Any) -> JSONResponse:
    """Answer already JSON-safe data without FastAPI's per-value re-encoding (jsonable_encoder),
    which dominates hot read paths with hundreds of items (to-do lists, timelines, lists).
    The route still declares its ``response_model`` for the contract; times must already be
    local ISO strings with offset (``core.clock.iso``)."""
    return RawJSON(data)


async def count_of(session, query) -> int:
    """How many rows a list query matches (before paging), for ``total``."""
    from sqlalchemy import func, select

    return (await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
