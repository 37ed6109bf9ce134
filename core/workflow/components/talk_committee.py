"""The committee mode of ``TalkComponent`` (上级党委派人谈话, PRO-R8, regulation ⑯).

The committee assigns a talker (single or batch, the talk's ``assign``), then 流转党委派人谈话
sends the student a to-do; the student chooses the talk time on the MP (and may change it
until it is confirmed); the committee's 确认谈话 keeps or edits each time, files the talk as
the person's document and completes the step with the talk's day as the milestone. The
talker is the record's ``committee_talker`` assignment, told the time; there is no record
for the talker to submit and no review. Statuses: assigned 待流转 → flowed 待填写谈话时间 →
scheduled 待确认谈话 → approved 已确认谈话.
"""

from datetime import datetime, timedelta
from typing import Optional

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import and_, bindparam, func, select, update

from core import clock, outbox
from core.amis_crud import datetime_column, dialog_button
from core.auth import Actor, Requires, scope_condition
from core.db import SessionDep
from core.errors import fail
from core.models import User, utcnow
from core.responses import Envelope, ok
from core.workflow.components.base import ListColumn
from core.workflow.components.talk import Talk, TalkOut
from core.workflow.components.talk_kit import assign_form, talkers_route
from core.workflow.deps import EngineDep
from core.workflow.documents import Paper, record_documents
from core.workflow.kit import todo
from core.workflow.models import DevelopmentRecord
from core.workflow.own_record import own_at
from core.workflow.schemas import CountOut, MovedOut, RecordIds, RecordOut, record_out

STATUS_LABELS = {"assigned": "待流转", "flowed": "待填写谈话时间", "scheduled": "待确认谈话", "approved": "已确认谈话"}
DEFAULT_DAYS = 30  # the talk's deadline when the committee gives none


class CommitteeAssignIn(BaseModel):
    record_ids: list[int] = Field(min_length=1, title="预备党员")
    talker_id: int = Field(title="谈话人")
    deadline: Optional[datetime] = Field(None, title="谈话截止时间")


class ConfirmItem(BaseModel):
    record_id: int = Field(title="发展记录")
    scheduled_at: Optional[datetime] = Field(None, title="谈话时间（不填则按预备党员提交的时间）")


class ConfirmIn(BaseModel):
    """Each time (``items``, edited or as submitted), or the submitted times of ``record_ids``."""

    items: list[ConfirmItem] = Field(default_factory=list, title="谈话")
    record_ids: list[int] = Field(default_factory=list, title="人员")


class TimeIn(BaseModel):
    scheduled_at: datetime = Field(title="谈话时间")


class CommitteeTalkStatus(BaseModel):
    record: Optional[RecordOut] = None
    talk: Optional[TalkOut] = None
    guide: str = Field(description="谈话意见参考")
    can_submit: bool = Field(description="现在可以提交或修改谈话时间")


class TimeSubmitted(BaseModel):
    msg: str
    talk: TalkOut


# --- the moves ------------------------------------------------------------------------------

async def flow(c, session, engine, actor: Actor, record_ids: list[int]) -> int:
    """流转党委派人谈话: each student gets a to-do to choose the talk time."""
    records, users = await engine.load(session, actor, record_ids)
    engine.check_position(records, users, c.stage, c.step)
    current = await c.current(session, [r.id for r in records])
    waiting = [r for r in records if r.id not in current]
    if waiting:
        raise fail(409, f"请先为以下人员指派谈话人：{'、'.join(users[r.user_id].name for r in waiting)}")
    done = [r for r in records if current[r.id].status != "assigned"]
    if done:
        raise fail(409, f"以下人员的谈话已流转：{'、'.join(users[r.user_id].name for r in done)}")
    now = utcnow()
    result = await session.execute(update(Talk).where(Talk.id.in_([current[r.id].id for r in records]), Talk.status == "assigned")
                                   .values(status="flowed", updated_at=now).execution_options(synchronize_session=False))
    if result.rowcount != len(records):
        raise fail(409, "谈话已被他人流转，请刷新后重试")
    await engine.note(session, actor, records, action="talk_flowed", title=f"流转{c.title}")
    await outbox.notify(session, [r.user_id for r in records], f"请填写{c.title}时间",
                        f"党委已为您安排{c.title}，请在手机端选择谈话时间并提交。", kind="todo",
                        link=f"/mp/development/{c.mp_path}", object_type="dev_record", sender_id=actor.id)
    return len(records)


async def submit_time(c, session, engine, actor: Actor, when: datetime) -> Talk:
    """The student's talk time (until the committee confirms it)."""
    record = await engine.record_of(session, actor.id)
    talk = (await c.current(session, [record.id])).get(record.id) if record else None
    if record is None or talk is None or (record.stage, record.step, record.status) != (c.stage, c.step, "active"):
        raise fail(409, f"当前没有需要填写时间的{c.title}")
    if talk.status not in ("flowed", "scheduled"):
        raise fail(409, "谈话已确认，不能再修改时间" if talk.status == "approved" else "党委尚未流转谈话，请等待通知")
    talk.scheduled_at, talk.status, talk.updated_at = clock.to_utc(when), "scheduled", utcnow()
    await engine.note(session, actor, [record], action="talk_time_submitted", title=f"提交{c.title}时间",
                      note=clock.fmt(talk.scheduled_at))
    talkers = (await c.talkers(session, [record.id])).get(record.id, [])
    await outbox.notify(session, talkers, f"{actor.user.name}提交了{c.title}时间",
                        f"谈话时间：{clock.fmt(talk.scheduled_at)}（待党委确认）。", kind="notice", object_type="talk",
                        object_id=talk.id)
    return talk


async def confirm(c, session, engine, actor: Actor, items: list[tuple[int, datetime | None]]):
    """确认谈话: each time as submitted or as edited by the committee; the step is done."""
    edits = dict(items)
    records, users = await engine.load(session, actor, list(edits))
    engine.check_position(records, users, c.stage, c.step)
    current = await c.current(session, [r.id for r in records])
    times = {}
    for r in records:
        t = current.get(r.id)
        when = clock.to_utc(edits[r.id]) if edits[r.id] else (t.scheduled_at if t and t.status == "scheduled" else None)
        if t is None or t.status not in ("flowed", "scheduled") or when is None:
            continue
        times[r.id] = when
    missing = [r for r in records if r.id not in times]
    if missing:
        raise fail(409, f"以下人员尚未提交谈话时间（可填写谈话时间后确认）：{'、'.join(users[r.user_id].name for r in missing)}")
    talkers = await c.talkers(session, [r.id for r in records])
    now = utcnow()
    table = Talk.__table__
    await session.execute(
        table.update().where(table.c.id == bindparam("tid"))
        .values(status="approved", scheduled_at=bindparam("at"), talk_date=bindparam("day"), talked_by=bindparam("by"),
                updated_at=now),
        [{"tid": current[r.id].id, "at": times[r.id], "day": clock.local_date(times[r.id]),
          "by": (talkers.get(r.id) or [None])[0]} for r in records])
    await record_documents(session, [Paper(r, "committee_talk", c.record_title, [], clock.local_date(times[r.id]), "talk",
                                           current[r.id].id) for r in records], created_by=actor.id)
    milestones = {r.user_id: {c.milestone: clock.local_date(times[r.id])} for r in records} if c.milestone else None
    t = await engine.advance(session, actor, [r.id for r in records], stage=c.stage, step=c.step, milestones=milestones,
                             title=f"确认{c.title}")
    await outbox.notify(session, [r.user_id for r in records] + [u for r in records for u in talkers.get(r.id, [])],
                        f"{c.title}时间已确认", f"{c.title}已由党委确认，请按时参加。", kind="notice",
                        link="/mp/development", object_type="dev_record", sender_id=actor.id)
    return t


# --- what it mounts -------------------------------------------------------------------------

def pc_routes(c, router: APIRouter) -> None:
    p = f"/{c.path}"
    actor_ = Requires(c.permission)
    talkers_route(c, router)

    @router.post(f"{p}/assign", response_model=Envelope[CountOut], summary=f"指派{c.title}谈话人（单个或批量）")
    async def assign(body: CommitteeAssignIn, session: SessionDep, engine: EngineDep, actor: actor_):
        deadline = body.deadline or clock.to_local(utcnow() + timedelta(days=DEFAULT_DAYS)).replace(tzinfo=None)
        await c.assign(session, engine, actor, body.record_ids, talker_id=body.talker_id, deadline=deadline)
        await session.commit()
        return ok({"count": len(body.record_ids)}, "已指派谈话人")

    @router.post(f"{p}/flow", response_model=Envelope[CountOut], summary=f"流转{c.title}（通知预备党员填写谈话时间）")
    async def flow_route(body: RecordIds, session: SessionDep, engine: EngineDep, actor: actor_):
        n = await flow(c, session, engine, actor, body.record_ids)
        await session.commit()
        return ok({"count": n}, f"已流转{c.title}")

    @router.post(f"{p}/confirm-time", response_model=Envelope[MovedOut], summary="确认谈话（可修改谈话时间）")
    async def confirm_route(body: ConfirmIn, session: SessionDep, engine: EngineDep, actor: actor_):
        items = [(i.record_id, i.scheduled_at) for i in body.items] or [(rid, None) for rid in body.record_ids]
        if not items:
            raise fail(422, "请选择人员", field="record_ids", label="人员")
        t = await confirm(c, session, engine, actor, items)
        await session.commit()
        return ok(MovedOut(advanced=len(t.records), warnings=[w.message for w in t.warnings]), "已确认谈话")


def mp_routes(c, router: APIRouter) -> None:
    student = Requires(c.mp_permission)

    async def mine(session, engine, actor):
        record = await engine.record_of(session, actor.id)
        talk = (await c.current(session, [record.id])).get(record.id) if record else None
        return record, talk

    @router.get(f"/{c.mp_path}", response_model=CommitteeTalkStatus, summary=f"我的{c.title}")
    async def status(session: SessionDep, engine: EngineDep, actor: student):
        record, talk = await mine(session, engine, actor)
        here = record is not None and (record.stage, record.step, record.status) == (c.stage, c.step, "active")
        return {"record": record_out(record, engine.registry) if record else None,
                "talk": (await c.out(session, [talk]))[0] if talk and talk.status != "assigned" else None,
                "guide": c.guide, "can_submit": bool(here and talk and talk.status in ("flowed", "scheduled"))}

    @router.post(f"/{c.mp_path}", response_model=TimeSubmitted, summary=f"提交{c.title}时间")
    async def submit(body: TimeIn, session: SessionDep, engine: EngineDep, actor: student):
        talk = await submit_time(c, session, engine, actor, body.scheduled_at)
        await session.commit()
        return {"msg": "谈话时间已提交，等待党委确认", "talk": (await c.out(session, [talk]))[0]}


def _here(c) -> str:
    return f"this.step === '{c.step}' && this.status === 'active'"


def row_actions(c) -> list[dict]:
    base, k = f"{c.stage_def.api_prefix}/{c.path}", c.key
    assign = dialog_button("指派谈话人", f"指派谈话人 - ${{name}}", committee_assign_form(c), "", level="link",
                           visible_on=f"{_here(c)} && (!this.{k}_status || this.{k}_status !== 'approved')")
    assign["dialog"]["body"]["api"] = {"method": "post", "url": f"{base}/assign", "data": {"&": "$$", "record_ids": ["${id}"]}}
    confirm_btn = dialog_button("确认谈话", f"确认谈话 - ${{name}}", [
        {"type": "input-datetime", "name": "scheduled_at", "label": "谈话时间", "format": "YYYY-MM-DDTHH:mm:ss",
         "value": f"${{{k}_scheduled_at}}", "required": True, "description": "预备党员提交的时间，可修改"}], "", level="link",
        visible_on=f"{_here(c)} && (this.{k}_status === 'scheduled' || this.{k}_status === 'flowed')")
    confirm_btn["dialog"]["body"]["api"] = {"method": "post", "url": f"{base}/confirm-time",
                                            "data": {"items": [{"record_id": "${id}", "scheduled_at": "${scheduled_at}"}]}}
    return [assign,
            {"type": "button", "label": f"流转{c.title}", "level": "link", "actionType": "ajax",
             "api": {"method": "post", "url": f"{base}/flow", "data": {"record_ids": ["${id}"]}},
             "confirmText": "流转后预备党员将收到填写谈话时间的待办，确定流转？", "visibleOn": f"{_here(c)} && this.{k}_status === 'assigned'"},
            confirm_btn]


def committee_assign_form(c) -> list[dict]:
    form = assign_form(c)
    form[1] = {**form[1], "label": "谈话截止时间", "required": False, "description": f"不填则为{DEFAULT_DAYS}天后"}
    return form


def bulk_actions(c) -> list[dict]:
    base = f"{c.stage_def.api_prefix}/{c.path}"
    many = {"&": "$$", "record_ids": "${ids|split}"}
    assign = dialog_button("批量指派谈话人", "批量指派谈话人", committee_assign_form(c), "", level="default")
    assign["dialog"]["body"]["api"] = {"method": "post", "url": f"{base}/assign", "data": many}
    return [assign,
            {"type": "button", "label": f"批量流转{c.title}", "actionType": "ajax", "confirmText": f"确定流转所选人员的{c.title}？",
             "api": {"method": "post", "url": f"{base}/flow", "data": {"record_ids": "${ids|split}"}}},
            {"type": "button", "label": "批量确认谈话", "actionType": "ajax", "confirmText": "按预备党员提交的谈话时间确认所选人员的谈话？",
             "api": {"method": "post", "url": f"{base}/confirm-time", "data": {"record_ids": "${ids|split}"}}}]


def _college_time(name: str, label: str) -> dict:
    """The column's amis options showing the ISO time in the college's zone (not the raw text)."""
    return {k: v for k, v in datetime_column(name, label).items() if k not in ("name", "label")}


def columns(c) -> list[ListColumn]:
    k = c.key
    return [ListColumn(f"{k}_status_label", c.title, amis={"type": "tpl", "tpl": f"${{{k}_status_label || '未指派'}}"}),
            # Named apart from the introducer talk's 谈话人 column on the same list (reception).
            ListColumn(f"{k}_talker", "党委谈话人"),
            ListColumn(f"{k}_scheduled_at", "党委谈话时间", amis=_college_time(f"{k}_scheduled_at", "党委谈话时间")),
            ListColumn(f"{k}_status", "谈话状态代码", show=False)]


async def todo_items(c, session, actor) -> list:
    items = []
    # Talk.user_id is the record's person: only their own record at this step can have one.
    at_step = await own_at(session, actor.id, c.stage, c.step, status=None)
    mine = None if not at_step else (await session.execute(select(Talk.id).join(DevelopmentRecord, DevelopmentRecord.id == Talk.record_id)
                                  .where(Talk.user_id == actor.id, Talk.kind == c.kind, Talk.status == "flowed",
                                         DevelopmentRecord.stage == c.stage, DevelopmentRecord.step == c.step))).scalar_one_or_none()
    if mine is not None:
        items.append(todo("submit_talk_time", "填写谈话时间", f"请选择{c.title}的时间并提交", object_type="talk", object_id=mine,
                          link=f"/mp/development/{c.mp_path}"))
    if actor.can(c.permission) and actor.scope in ("all", "branch"):
        counts = dict((await session.execute(
            select(Talk.status, func.count()).join(DevelopmentRecord, and_(DevelopmentRecord.id == Talk.record_id))
            .join(User, User.id == DevelopmentRecord.user_id)
            .where(Talk.kind == c.kind, Talk.status.in_(("assigned", "scheduled")), DevelopmentRecord.stage == c.stage,
                   DevelopmentRecord.step == c.step, DevelopmentRecord.status == "active", User.deleted_at.is_(None),
                   scope_condition(actor)).group_by(Talk.status))).all())
        if counts.get("assigned"):
            items.append(todo("flow_committee_talk", f"流转{c.title}", f"有 {counts['assigned']} 人待流转{c.title}",
                              link=c.stage_def.page_url))
        if counts.get("scheduled"):
            items.append(todo("confirm_committee_talk", "确认谈话", f"有 {counts['scheduled']} 人已提交谈话时间，待确认谈话",
                              link=c.stage_def.page_url))
    return items
