"""The student's own 工作台 on the phone (issue 16): ``GET /api/mp/v1/dashboard/me`` — where the
caller's development record stands, the step that comes next, and the due dates of the open
tasks of the current step (soonest first, overdue marked). Only the caller's own record: there
is no id to try. Drawn as a card on the mobile home screen (core/mobile/app/screens/home.js)."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import select

from core import clock
from core.auth import Requires
from core.clock import LocalDateTime
from core.db import SessionDep
from core.workflow.deps import EngineDep
from core.workflow.models import DevelopmentRecord, Task
from core.workflow.schemas import STATUS_LABELS
from core.workflow.stages import STAGE_TITLES

router = APIRouter(prefix="/api/mp/v1/dashboard", tags=["工作台"])
MAX_TASKS = 8


class DueItem(BaseModel):
    title: str
    due_at: Optional[LocalDateTime]
    overdue: bool


class MyProgress(BaseModel):
    has_record: bool = Field(description="是否已有发展记录（未递交入党申请书时为 false）")
    stage_title: str
    step_title: str
    status: str = Field(description="active | failed | done；没有记录时为空")
    status_label: str
    next_title: str = Field(description="下一步：下一环节（或下一阶段的第一个环节）；已完成或不通过时为空")
    due: list[DueItem] = Field(description="当前环节未完成的任务及截止时间，最早截止的在前")


@router.get("/me", response_model=MyProgress, summary="我的发展进度：当前环节、下一步和截止时间")
async def my_progress(session: SessionDep, engine: EngineDep, actor: Requires("mp.dev")):
    registry = engine.registry
    record = (await session.execute(select(DevelopmentRecord).where(DevelopmentRecord.user_id == actor.id))).scalar_one_or_none()
    if record is None:
        first = registry.first_step("applicant")
        return MyProgress(has_record=False, stage_title="", step_title="", status="", status_label="尚未递交入党申请书",
                          next_title=registry.step_title("applicant", first) if first else "", due=[])
    nxt = ""
    if record.status == "active" and record.step:
        if not registry.is_last(record.stage, record.step):
            stage, step = registry.next_of(record.stage, record.step)
            nxt = registry.step_title(stage, step) if step else STAGE_TITLES[stage]
    now = clock.utcnow()
    tasks = (await session.execute(
        select(Task.title, Task.due_at).where(Task.record_id == record.id, Task.stage == record.stage, Task.step == record.step,
                                              Task.status == "open", Task.starts_at <= now)
        .order_by(Task.due_at.is_(None), Task.due_at, Task.id).limit(MAX_TASKS))).all() if record.status == "active" else []
    return MyProgress(
        has_record=True, stage_title=STAGE_TITLES[record.stage], step_title=registry.step_title(record.stage, record.step),
        status=record.status,
        status_label=record.failure_code if record.status == "failed" else STATUS_LABELS.get(record.status, record.status),
        next_title=nxt, due=[DueItem(title=t, due_at=d, overdue=bool(d and d < now)) for t, d in tasks])
