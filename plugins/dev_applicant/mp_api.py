"""Mini-program side of the applicant stage: 我想入党 (APP-1) and the talker's tasks (APP-3)."""
from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from core import clock
from core.auth import Requires
from core.db import SessionDep
from core.errors import fail
from core.models import User
from core.workflow.components.review import submission_json
from core.workflow.components.talk import talk_json
from core.workflow.guards import applicant_conditions
from core.workflow.timeline import record_json
from plugins.dev_applicant.stage import LETTER, STAGE_KEY, TALK

router = APIRouter(prefix="/api/mp/v1/development", tags=["小程序-申请入党"])

CONDITIONS = [
    "年满18周岁",
    "承认党的纲领和章程，愿意参加党的一个组织并在其中积极工作、执行党的决议和按期交纳党费",
    "已在小程序完善个人基础信息",
    "本人自愿向所在党支部递交书面入党申请书",
]


class ApplyIn(BaseModel):
    files: list[str] = Field(default_factory=list, title="入党申请书图片")
    signed_date: date | None = Field(None, title="落款时间")


class ScheduleIn(BaseModel):
    place: str = Field(min_length=1, max_length=200, title="谈话地点")
    scheduled_at: datetime = Field(title="谈话时间")


class TalkRecordIn(BaseModel):
    content: str = Field(min_length=1, max_length=5000, title="谈话记录")
    talk_date: date = Field(title="谈话日期")


@router.get("/apply", summary="我想入党：申请条件与进度")
async def apply_status(request: Request, session: SessionDep, actor: Requires("mp.dev.apply")):
    engine = request.app.state.engine
    settings = request.app.state.settings
    problems = (await applicant_conditions(session, [actor.id], settings.local_today())).get(actor.id, [])
    record = await engine.record_of(session, actor.id)
    letter = (await LETTER.latest(session, [record.id])).get(record.id) if record else None
    talk = (await TALK.current(session, [record.id])).get(record.id) if record else None
    talker = await session.get(User, talk.talker_id) if talk else None
    return {
        "conditions": CONDITIONS,
        "eligible": not problems and record is None,
        "problems": problems,
        "record": record_json(record, engine.registry, engine.settings) if record else None,
        "letter": submission_json(letter) if letter else None,
        "talk": {"talker": talker.name, "place": talk.place,
                 "scheduled_at": clock.iso(talk.scheduled_at),
                 "status": talk.status} if talk else None,
    }


@router.post("/apply", summary="提交（或重新提交）入党申请书")
async def apply(body: ApplyIn, request: Request, session: SessionDep, actor: Requires("mp.dev.apply")):
    engine = request.app.state.engine
    record = await engine.record_of(session, actor.id)
    user = await session.get(User, actor.id)
    if record is None:
        # The engine's guards (profile complete, 18 or older) refuse with the reasons.
        if user.party_branch_id is None:
            raise fail(409, "您还没有所属党支部，请联系管理员")
        (record,) = await engine.start(session, actor, [user], stage=STAGE_KEY, title="递交入党申请")
    sub = await LETTER.submit(session, engine, actor, record, user, files=body.files, signed_date=body.signed_date)
    await session.commit()
    return {"msg": "提交成功，请等待党支部审核", "letter": submission_json(sub)}


@router.post("/apply/withdraw", summary="撤回入党申请书（审核前）")
async def withdraw(request: Request, session: SessionDep, actor: Requires("mp.dev.apply")):
    engine = request.app.state.engine
    record = await engine.record_of(session, actor.id)
    if record is None:
        raise fail(409, "您还没有提交入党申请")
    sub = await LETTER.withdraw(session, engine, actor, record)
    await session.commit()
    return {"msg": "已撤回", "letter": submission_json(sub)}


async def _names(session, talks) -> dict[int, str]:
    from sqlalchemy import select

    ids = {t.user_id for t in talks} | {t.talker_id for t in talks}
    return dict((await session.execute(select(User.id, User.name).where(User.id.in_(ids)))).all()) if ids else {}


@router.get("/talks", summary="我的谈话任务（谈话人）")
async def my_talks(request: Request, session: SessionDep, actor: Requires("mp.dev.talks")):
    talks = await TALK.for_talker(session, actor.id)
    names = await _names(session, talks)
    return {"items": [talk_json(t, names, request.app.state.settings) for t in talks]}


@router.post("/talks/{talk_id}/schedule", summary="安排谈话日程")
async def schedule(talk_id: int, body: ScheduleIn, request: Request, session: SessionDep, actor: Requires("mp.dev.talks")):
    talk = await TALK.schedule(session, request.app.state.engine, actor, talk_id, place=body.place,
                               when=body.scheduled_at)
    await session.commit()
    return {"msg": "谈话日程已安排并同步给申请人", "talk": talk_json(talk, await _names(session, [talk]), request.app.state.settings)}


@router.post("/talks/{talk_id}/record", summary="提交谈话记录")
async def submit_record(talk_id: int, body: TalkRecordIn, request: Request, session: SessionDep, actor: Requires("mp.dev.talks")):
    talk = await TALK.submit_record(session, request.app.state.engine, actor, talk_id, content=body.content,
                                    talk_date=body.talk_date)
    await session.commit()
    return {"msg": "谈话记录已提交，等待党支部审核", "talk": talk_json(talk, await _names(session, [talk]), request.app.state.settings)}
