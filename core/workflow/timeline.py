"""Timeline (DEV-2): a record's stages and steps with dates, its events, and the national
25 steps marked done or pending. Codes in English, labels in Chinese; amis widget shapes
(steps states, sub-titles) are computed by the admin page's adaptor, never sent here."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import LocalDateTime
from core.workflow.models import DevelopmentEvent, DevelopmentRecord
from core.workflow.schemas import RecordOut, record_out
from core.workflow.stages import REGULATION_STEPS, STAGE_ORDER, STAGES, StageRegistry

STEP_STATUS_LABELS = {"done": "已完成", "current": "进行中", "pending": "未开始", "failed": "不通过"}


class StepOut(BaseModel):
    key: str
    title: str
    status: str = Field(description="done | current | pending | failed")
    status_label: str
    date: Optional[LocalDateTime] = None


class StageOut(BaseModel):
    key: str
    title: str
    status: str = Field(description="done | current | pending")
    has_steps: bool
    steps: list[StepOut]


class EventOut(BaseModel):
    id: int
    stage: str
    step: str
    step_title: str
    action: str
    title: str
    note: str
    actor: str
    actor_role: str
    time: LocalDateTime


class RegulationOut(BaseModel):
    no: int
    stage: str
    title: str
    done: bool
    date: Optional[LocalDateTime] = None


class TimelineOut(BaseModel):
    record: Optional[RecordOut] = Field(None, description="没有发展记录时为空")
    stages: list[StageOut]
    events: list[EventOut]
    regulation: list[RegulationOut]


def _before(registry: StageRegistry, stage: str, step: str, current: str) -> bool:
    keys = [s.key for s in registry.stage(stage).steps]
    if current not in keys:
        return True
    return keys.index(step) < keys.index(current)


async def build_timeline(session: AsyncSession, record: DevelopmentRecord | None, registry: StageRegistry) -> dict:
    """The timeline of a record; an empty one (every step pending) when there is none yet."""
    events = [] if record is None else (await session.execute(
        select(DevelopmentEvent).where(DevelopmentEvent.record_id == record.id)
        .order_by(DevelopmentEvent.created_at, DevelopmentEvent.id))).scalars().all()
    completed: dict[tuple[str, str], datetime] = {(e.stage, e.step): e.created_at for e in events
                                                          if e.action in ("completed", "finished")}
    current_stage = STAGE_ORDER.index(record.stage) if record else -1
    stages, done_numbers = [], {}
    for i, (key, title) in enumerate(STAGES):
        steps = []
        for s in registry.stage(key).steps:
            done = completed.get((key, s.key))
            finished = record is not None and record.status == "done" and i == current_stage
            if done and (i < current_stage or finished or (i == current_stage and _before(registry, key, s.key, record.step))):
                state, when = "done", done
                for n in s.regulation:
                    done_numbers[n] = done
            elif i == current_stage and s.key == record.step:
                state, when = ("failed" if record.status == "failed" else "current"), record.step_entered_at
            else:
                state, when = "pending", None
            steps.append({"key": s.key, "title": s.title, "status": state, "status_label": STEP_STATUS_LABELS[state],
                          "date": when})
        status = "done" if i < current_stage or (record is not None and record.status == "done" and i == current_stage) \
            else ("current" if i == current_stage else "pending")
        stages.append({"key": key, "title": title, "status": status, "steps": steps, "has_steps": bool(steps)})
    return {
        "record": record_out(record, registry) if record else None,
        "stages": stages,
        "events": [{"id": e.id, "stage": e.stage, "step": e.step, "step_title": registry.step_title(e.stage, e.step) if e.step else "",
                    "action": e.action, "title": e.title, "note": e.note, "actor": e.actor_name, "actor_role": e.actor_role,
                    "time": e.created_at} for e in events],
        "regulation": [{"no": n, "stage": stage, "title": title, "done": n in done_numbers, "date": done_numbers.get(n)}
                       for n, stage, title in REGULATION_STEPS],
    }
