"""Routes every stage shares: timelines (PC detail, MP own) and re-develop."""
from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from core.auth import CurrentActor, Requires
from core.db import SessionDep
from core.errors import fail
from core.responses import ok, raw_json
from core.workflow.timeline import build_timeline

pc = APIRouter(prefix="/api/pc/v1/development", tags=["管理端-党员发展"])
mp = APIRouter(prefix="/api/mp/v1/development", tags=["小程序-入党管理"])


class RecordIds(BaseModel):
    record_ids: list[int] = Field(min_length=1, title="记录")


@pc.get("/records/{record_id}/timeline", summary="时间轴（详情）")
async def pc_timeline(record_id: int, request: Request, session: SessionDep, actor: Requires("dev")):
    engine = request.app.state.engine
    records, _ = await engine.load(session, actor, [record_id])
    return ok(await build_timeline(session, records[0], engine.registry, engine.settings))


@pc.post("/redevelop", summary="重新发展")
async def redevelop(body: RecordIds, request: Request, session: SessionDep, actor: Requires("dev.redevelop")):
    engine = request.app.state.engine
    await engine.redevelop(session, actor, body.record_ids)
    await session.commit()
    return ok(None, "已重新发展，回到本阶段初始环节")


@mp.get("/timeline", summary="我的时间轴")
async def mp_timeline(request: Request, session: SessionDep, actor: CurrentActor):
    engine = request.app.state.engine
    record = await engine.record_of(session, actor.id)
    if record is None:
        raise fail(404, "您还没有提交入党申请")
    return raw_json(await build_timeline(session, record, engine.registry, engine.settings))
