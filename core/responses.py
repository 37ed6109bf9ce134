"""amis-shaped success bodies and paging, shared by every admin-UI route."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel


def ok(data: Any = None, msg: str = "") -> dict:
    return {"status": 0, "msg": msg, "data": {} if data is None else data}


class Paging(BaseModel):
    page: int = 1
    per_page: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def _paging(page: int = Query(1, ge=1, title="页码"), perPage: int = Query(20, ge=1, le=500, title="每页条数")) -> Paging:
    return Paging(page=page, per_page=perPage)


PagingDep = Annotated[Paging, Depends(_paging)]


def ids_param(value: str | None) -> list[int]:
    """Parse amis' comma-joined id lists ("1,2,3")."""
    if not value:
        return []
    try:
        return [int(x) for x in str(value).split(",") if x.strip()]
    except ValueError:
        from core.errors import fail

        raise fail(400, "编号格式不正确")


def raw_json(data: Any) -> JSONResponse:
    """Answer already JSON-safe data without FastAPI's per-value re-encoding (jsonable_encoder),
    which dominates hot read paths with hundreds of items (to-do lists, timelines, lists)."""
    return JSONResponse(data)


async def count_of(session, query) -> int:
    """How many rows a list query matches (before paging), for the amis ``total``."""
    from sqlalchemy import func, select

    return (await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
