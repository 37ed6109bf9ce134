"""Routes every stage shares: timelines (PC detail, MP own), re-develop, re-flow vote."""
from __future__ import annotations

from fastapi import APIRouter

from core.auth import CurrentActor, Requires
from core.db import SessionDep
from core.responses import Envelope, ok
from core.workflow.deps import EngineDep
from core.workflow.schemas import CountOut, RecordIds
from core.workflow.timeline import TimelineOut, build_timeline

pc = APIRouter(prefix="/api/pc/v1/development", tags=["管理端-党员发展"])
mp = APIRouter(prefix="/api/mp/v1/development", tags=["小程序-入党管理"])


@pc.get("/records/{record_id}/timeline", response_model=Envelope[TimelineOut], summary="时间轴（详情）")
async def pc_timeline(record_id: int, session: SessionDep, engine: EngineDep, actor: Requires("dev")):
    records, _ = await engine.load(session, actor, [record_id])
    return ok(await build_timeline(session, records[0], engine.registry))


@pc.post("/redevelop", response_model=Envelope[CountOut], summary="重新发展（回到本阶段初始环节）")
async def redevelop(body: RecordIds, session: SessionDep, engine: EngineDep, actor: Requires("dev.redevelop")):
    await engine.redevelop(session, actor, body.record_ids)
    await session.commit()
    return ok({"count": len(body.record_ids)}, "已重新发展，回到本阶段初始环节")


@pc.post("/revote", response_model=Envelope[CountOut], summary="重新流转表决（回到表决前的环节）")
async def revote(body: RecordIds, session: SessionDep, engine: EngineDep, actor: Requires("dev.redevelop")):
    await engine.revote(session, actor, body.record_ids)
    await session.commit()
    return ok({"count": len(body.record_ids)}, "已重新流转表决")


@mp.get("/timeline", response_model=TimelineOut, summary="我的时间轴（没有发展记录时各环节均为未开始）")
async def mp_timeline(session: SessionDep, engine: EngineDep, actor: CurrentActor):
    return await build_timeline(session, await engine.record_of(session, actor.id), engine.registry)
