"""Timeline (DEV-2): a record's stages and steps with dates, its events, and the national
25 steps marked done or pending."""
from __future__ import annotations

from sqlalchemy import select

from core import clock
from sqlalchemy.ext.asyncio import AsyncSession

from core.workflow.models import DevelopmentEvent, DevelopmentRecord
from core.workflow.stages import REGULATION_STEPS, STAGE_PEOPLE, STAGES, StageRegistry

STATUS_LABELS = {"active": "进行中", "failed": "不通过", "done": "已完成发展"}
AMIS_STATES = {"done": "finish", "current": "process", "pending": "wait", "failed": "error"}


def _clock(settings):
    """Format stored UTC times in the college's local time (seconds precision)."""
    def fmt(value):
        if value is None:
            return None
        return clock.iso(value)
    return fmt


def record_json(r: DevelopmentRecord, registry: StageRegistry, settings=None) -> dict:
    status = r.failure_code if r.status == "failed" else STATUS_LABELS.get(r.status, r.status)
    return {"id": r.id, "user_id": r.user_id, "stage": r.stage, "stage_title": dict(STAGES)[r.stage],
            "people_title": STAGE_PEOPLE[r.stage], "step": r.step, "step_title": registry.step_title(r.stage, r.step),
            "status": r.status, "status_label": status, "failure_code": r.failure_code, "version": r.version,
            "milestones": r.milestones or {}, "warnings": r.warnings or [],
            "step_entered_at": _clock(settings)(r.step_entered_at)}


async def build_timeline(session: AsyncSession, record: DevelopmentRecord, registry: StageRegistry, settings=None) -> dict:
    fmt = _clock(settings)
    events = (await session.execute(select(DevelopmentEvent).where(DevelopmentEvent.record_id == record.id)
                                    .order_by(DevelopmentEvent.created_at, DevelopmentEvent.id))).scalars().all()
    completed = {(e.stage, e.step): e for e in events if e.action == "completed"}
    stage_keys = [k for k, _ in STAGES]
    current_stage = stage_keys.index(record.stage)
    stages = []
    for i, (key, title) in enumerate(STAGES):
        steps = []
        for s in registry.stage(key).steps:
            done = completed.get((key, s.key))
            if done and (i < current_stage or (i == current_stage and _before(registry, key, s.key, record.step))):
                state, when = "done", done.created_at
            elif i == current_stage and s.key == record.step:
                state, when = ("failed" if record.status == "failed" else "current"), record.step_entered_at
            else:
                state, when = "pending", None
            steps.append({"key": s.key, "value": s.key, "title": s.title, "status": state, "date": fmt(when),
                          "subTitle": (fmt(when) or "")[:10]})
        status = "done" if i < current_stage or record.status == "done" else ("current" if i == current_stage else "pending")
        stages.append({"key": key, "title": title, "status": status, "steps": steps, "has_steps": bool(steps),
                       # the amis "steps" component's per-step state, keyed by step value
                       "step_states": {st["key"]: AMIS_STATES[st["status"]] for st in steps}})
    regulation = []
    done_numbers: dict[int, str] = {}
    for key, _ in STAGES:
        for s in registry.stage(key).steps:
            ev = completed.get((key, s.key))
            if ev and any(st["key"] == s.key and st["status"] == "done" for stg in stages if stg["key"] == key for st in stg["steps"]):
                for n in s.regulation:
                    done_numbers[n] = fmt(ev.created_at)
    for n, stage, title in REGULATION_STEPS:
        regulation.append({"no": n, "stage": stage, "title": title, "done": n in done_numbers, "date": done_numbers.get(n)})
    return {
        "record": record_json(record, registry, settings),
        "stages": stages,
        "events": [{"id": e.id, "stage": e.stage, "step": e.step, "step_title": registry.step_title(e.stage, e.step) if e.step else "",
                    "action": e.action, "title": e.title, "note": e.note, "actor": e.actor_name, "actor_role": e.actor_role,
                    "time": fmt(e.created_at)} for e in events],
        "regulation": regulation,
    }


def _before(registry: StageRegistry, stage: str, step: str, current: str) -> bool:
    keys = [s.key for s in registry.stage(stage).steps]
    if current not in keys:
        return True
    return keys.index(step) < keys.index(current)
