"""What a ``ReviewComponent`` does besides approve/reject, for every stage that asks for it:

- a generated template the student downloads before filling it in offline (推优登记表 from
  the profile; a PDF builder in the declaration: ``template=``);
- a result decision instead of plain approval (``result_mode=True``): 通过 with a date that
  fills the milestone (推优时间), 退回 with a reason (the student resubmits), 不通过 → the
  step's failure (团/党员推荐-不通过, re-developable);
- the branch's delete of a submission (``deletable=True``): the person submits again;
- in task mode, the periods of the task and the person's earlier submissions (思想汇报 records).
"""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Optional

from pydantic import BaseModel
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core import clock, outbox
from core.auth import Actor
from core.clock import LocalDateTime
from core.errors import fail
from core.files import store_bytes
from core.models import StudentProfile, utcnow
from core.workflow.components.decision import pending_decision
from core.workflow.documents import Paper, attach_files, record_documents
from core.workflow.models import DevelopmentRecord, Task

if TYPE_CHECKING:
    from core.workflow.components.review import ReviewComponent
    from core.workflow.engine import Engine

RESULTS = {"pass": "通过", "return": "退回", "fail": "不通过"}


class TaskPeriodOut(BaseModel):
    """One period of a task (第一季度思想汇报...) as the person sees it."""

    period: int
    title: str
    status: str  # open | done
    status_label: str
    starts_at: Optional[LocalDateTime] = None
    due_at: Optional[LocalDateTime] = None
    done_at: Optional[LocalDateTime] = None
    started: bool


class TemplateOut(BaseModel):
    msg: str
    token: str
    name: str
    url: str


async def periods(session: AsyncSession, record: DevelopmentRecord, key: str) -> list[TaskPeriodOut]:
    """The periods of task ``key`` at the record's current step (one statement)."""
    now = utcnow()
    rows = (await session.execute(select(Task).where(Task.record_id == record.id, Task.stage == record.stage,
                                                     Task.step == record.step, Task.key == key).order_by(Task.period))).scalars()
    return [TaskPeriodOut(period=t.period, title=t.title, status=t.status, status_label="已完成" if t.status == "done" else "未完成",
                          starts_at=t.starts_at, due_at=t.due_at, done_at=t.done_at,
                          started=t.starts_at is None or t.starts_at <= now) for t in rows]


def not_started(task: Task | None, title: str) -> str | None:
    """Why a periodic task cannot be done yet: its period has not started (每季度一篇)."""
    if task is not None and task.starts_at is not None and task.starts_at > utcnow():
        return f"{task.title}自{clock.fmt(task.starts_at, '%Y-%m-%d')}起提交，本期{title}已完成"
    return None


async def template_file(c: ReviewComponent, session: AsyncSession, engine: Engine, actor: Actor,
                        record: DevelopmentRecord | None) -> TemplateOut:
    """生成<template_title>: the PDF built by the declaration from the person's profile."""
    if c.template is None:
        raise fail(404, "没有可下载的模板")
    if record is None or (record.stage, record.step, record.status) != (c.stage, c.step, "active"):
        raise fail(409, f"当前环节不能生成{c.template_title}")
    profile = await session.get(StudentProfile, actor.id)
    pdf = await c.template(session, engine.settings, actor.user, profile, record)
    title = c.template_title or c.title
    stored = await store_bytes(session, engine.settings, pdf, name=f"{title}（{actor.user.name}）.pdf", owner_id=actor.id,
                               purpose=c.kind, allowed=["pdf"])
    await attach_files(session, [stored.token], actor.id)  # the person's paper: their branch may open it too
    return TemplateOut(msg=f"{title}已生成，请下载打印后填写", token=stored.token, name=stored.original_name,
                       url=f"/api/files/{stored.token}")


async def decide(c: ReviewComponent, session: AsyncSession, engine: Engine, actor: Actor, record_ids: list[int], *,
                 result: str, day: date | None, reason: str = "") -> list[DevelopmentRecord]:
    """处理<title>结果: 通过 (with the date) advances, 退回 (with a reason) lets the person
    resubmit, 不通过 fails the step with its failure code."""
    if result not in RESULTS:
        raise fail(422, "请选择处理结果", field="result", label="处理结果")
    label = c.date_label or "日期"
    if result == "pass":
        if day is None:
            raise fail(422, f"请选择{label}", field="day", label=label)
        if day > engine.settings.local_today():
            raise fail(422, f"{label}不能晚于今天", field="day", label=label)
    reason = (reason or "").strip()
    if result == "return" and not reason:
        raise fail(422, "请填写退回原因", field="reason", label="退回原因")
    records, users, latest, reason = await pending_decision(
        session, engine, actor, record_ids, stage=c.stage, step=c.step, approve=result != "return", reason=reason,
        permission="", what=c.title, find_pending=c.latest)
    from core.workflow.components.review import Submission

    status = {"pass": "approved", "return": "rejected", "fail": "failed"}[result]
    ids = [latest[r.id].id for r in records]
    changed = await session.execute(
        update(Submission).where(Submission.id.in_(ids), Submission.status == "submitted")
        .values(status=status, reason=reason if result != "pass" else "", reviewed_by=actor.id, reviewed_at=utcnow())
        .execution_options(synchronize_session=False))
    if changed.rowcount != len(ids):
        raise fail(409, "材料已被他人处理或已撤回，请刷新后重试")
    if result == "return":
        await engine.note(session, actor, records, action="rejected", title=f"{c.title}被退回", note=reason)
        await outbox.notify(session, [r.user_id for r in records], f"{c.title}被退回", f"退回原因：{reason}。请修改后重新提交。",
                            kind="review", link=c.mp_link, object_type="dev_record")
        return records
    await record_documents(session, [Paper(r, c.kind, c.title, latest[r.id].files, latest[r.id].signed_date, "submission",
                                           latest[r.id].id) for r in records], created_by=actor.id)
    if result == "pass":
        milestones = {r.user_id: {c.milestone: day} for r in records} if c.milestone else None
        await engine.advance(session, actor, [r.id for r in records], stage=c.stage, step=c.step, milestones=milestones,
                             title=f"{c.title}：{label}{day.isoformat()}，通过")
        await outbox.notify(session, [r.user_id for r in records], f"{c.title}：通过", f"{label}：{day.isoformat()}。",
                            kind="progress", link="/mp/development", object_type="dev_record")
    else:
        step = engine.registry.step(c.stage, c.step)
        await engine.resolve(session, actor, c.stage, c.step, {r.id: c.fail_outcome for r in records},
                             notes={r.id: reason for r in records if reason})
        code = step.outcome(c.fail_outcome).code if step and step.outcome(c.fail_outcome) else ""
        await outbox.notify(session, [r.user_id for r in records], f"{c.title}：不通过",
                            f"{code}{('：' + reason) if reason else ''}。", kind="progress", link="/mp/development",
                            object_type="dev_record")
    return records


async def delete(c: ReviewComponent, session: AsyncSession, engine: Engine, actor: Actor, record_ids: list[int], *,
                 reason: str) -> list[DevelopmentRecord]:
    """The branch deletes the latest submission that is not approved; the person submits again."""
    from core.workflow.components.review import Submission

    reason = (reason or "").strip()
    if not reason:
        raise fail(422, "请填写删除原因", field="reason", label="删除原因")
    records, users = await engine.load(session, actor, record_ids)
    engine.check_position(records, users, c.stage, c.step)
    latest = await c.latest(session, [r.id for r in records])
    missing = [users[r.user_id].name for r in records if r.id not in latest or latest[r.id].status not in ("submitted", "rejected")]
    if missing:
        raise fail(409, f"以下人员没有可删除的{c.title}：{'、'.join(missing)}")
    await session.execute(update(Submission).where(Submission.id.in_([latest[r.id].id for r in records]))
                          .values(status="deleted", reason=reason[:500], reviewed_by=actor.id, reviewed_at=utcnow())
                          .execution_options(synchronize_session=False))
    await engine.note(session, actor, records, action="submission_deleted", title=f"党支部删除了{c.title}", note=reason)
    await outbox.notify(session, [r.user_id for r in records], f"{c.title}已被党支部删除", f"原因：{reason}。请重新提交。",
                        kind="review", link=c.mp_link, object_type="dev_record")
    return records


async def history(c: ReviewComponent, session: AsyncSession, record_id: int):
    """The person's submissions of this kind, newest first (思想汇报 records)."""
    from core.workflow.components.review import Submission

    return list((await session.execute(select(Submission).where(Submission.record_id == record_id, Submission.kind == c.kind)
                                       .order_by(Submission.id.desc()))).scalars())
