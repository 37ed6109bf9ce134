"""/healthz: is the database reachable, which plugins are loaded (for operators and start-up checks)."""
from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field


class DatabaseState(BaseModel):
    ok: bool
    dialect: str = Field(description="sqlite 或 postgresql")
    error: str | None = Field(None, description="连接失败的原因")


class HealthOut(BaseModel):
    status: Literal["ok", "degraded"] = Field(description="ok 正常 | degraded 数据库不可用")
    database: DatabaseState
    plugins: list[str] = Field(description="已加载的插件")


router = APIRouter(tags=["运维"])


@router.get("/healthz", summary="健康检查", response_model=HealthOut)
async def healthz(request: Request) -> HealthOut:
    database = DatabaseState(**await request.app.state.db.state())
    return HealthOut(status="ok" if database.ok else "degraded", database=database, plugins=request.app.state.plugins.names())
