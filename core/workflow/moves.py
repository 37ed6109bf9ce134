"""How ``Engine.resolve`` turns one outcome per person into groups and writes them.

``plan_groups`` builds one ``Transition`` per distinct outcome (so guards and hooks see a
group, never a single person); ``write_groups`` writes every group with a constant number
of statements and fires the hooks of each move kind:

| action   | record                                  | hooks                                   |
|----------|-----------------------------------------|-----------------------------------------|
| advance  | next step / next stage                  | xf_step_completed, xf_step_entered      |
| finish   | status done, profile 中共党员            | xf_step_completed, xf_record_finished   |
| fail     | status failed, failure_code/final       | xf_step_failed                          |
| reflow   | back to an earlier step (+probation)    | xf_reflowed, xf_step_entered            |
| stay     | unchanged (timeline line only)          | —                                       |
"""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Mapping

from core import clock
from core.errors import fail
from core.workflow import tasks as task_store
from core.workflow.models import DevelopmentRecord, milestone_date
from core.workflow.outcomes import Outcome
from core.workflow.stages import STAGE_TITLES, Step
from core.workflow.transitions import Transition
from core.workflow.writes import event_row, guarded_update, insert_events, iso_dates, set_political_status, store_milestones

if TYPE_CHECKING:
    from core.workflow.engine import Engine

PROBATIONARY, FULL_MEMBER = "中共预备党员", "中共党员"
CONVERSION = "conversion"


def _probation_end(record: DevelopmentRecord) -> date | None:
    end = milestone_date(record, "probation_end")
    if end is None and (received := milestone_date(record, "received_at")) is not None:
        end = task_store.add_months(received, 12)
    return end


def plan_groups(engine: Engine, step: Step, stage: str, records: list[DevelopmentRecord], users, outcomes: Mapping,
                actor, now: datetime, *, note: str, milestones: dict, data: dict) -> list[Transition]:
    registry = engine.registry
    groups: dict[tuple, Transition] = {}
    for r in records:
        value = outcomes[r.id]
        o = step.outcome(value) if isinstance(value, str) else value
        if not isinstance(o, Outcome):
            raise fail(422, f"“{step.title}”没有“{value}”这一结果")
        key = value if isinstance(value, str) else f"{o.kind}:{o.code or o.to_step}"
        action = "finish" if o.kind == "advance" and registry.is_last(stage, step.key) else o.kind
        to_stage, to_step = stage, step.key
        if action == "advance":
            to_stage, to_step = registry.next_of(stage, step.key)
        elif action == "reflow":
            to_step = o.to_step
        t = groups.get((key, o))
        if t is None:
            t = groups[(key, o)] = Transition(action, stage, step.key, to_stage, to_step, [], {}, actor, now, note,
                                              failure_code=o.code, outcome=o, outcome_key=key, data=data)
        t.records.append(r)
        t.users[r.user_id] = users[r.user_id]
        given = dict(milestones.get(r.user_id) or {})
        if action == "reflow" and o.extend_months:
            base = _probation_end(r) or clock.local_today()
            given["probation_end"] = task_store.add_months(base, o.extend_months)
        if action == "finish" and "full_member_at" not in given:
            given["full_member_at"] = _probation_end(r) or clock.local_today()
        if given:
            t.milestones[r.user_id] = given
    return list(groups.values())


def _title(t: Transition, step: Step, title, registry) -> str:
    if isinstance(title, Mapping) and t.outcome_key in title:
        return title[t.outcome_key]
    if isinstance(title, str) and title and t.action in ("advance", "finish"):
        return title
    o = t.outcome
    return {
        "advance": f"完成“{step.title}”",
        "finish": "完成发展流程，成为中共党员",
        "fail": t.failure_code,
        "reflow": f"{o.label}，回到“{registry.step_title(t.to_stage, t.to_step)}”" if o else "",
        "stay": f"{step.title}：{o.label}" if o else step.title,
    }[t.action]


async def write_groups(engine: Engine, session, step: Step, groups: list[Transition], *, notes: Mapping[int, str],
                       title) -> None:
    registry = engine.registry
    for t in groups:
        now = t.now
        if t.action == "advance":
            await guarded_update(session, t.records, t.users, stage=t.to_stage, step=t.to_step, step_entered_at=now, updated_at=now)
        elif t.action == "reflow":
            await guarded_update(session, t.records, t.users, step=t.to_step, step_entered_at=now, updated_at=now)
        elif t.action == "fail":
            await guarded_update(session, t.records, t.users, status="failed", failure_code=t.failure_code,
                                 failure_final=t.outcome.final, updated_at=now)
        elif t.action == "finish":
            await guarded_update(session, t.records, t.users, status="done", updated_at=now)
    changes: dict[int, tuple[dict, list]] = {}
    by_id = {}
    for t in groups:
        for r in t.records:
            by_id[r.id] = r
            new = t.milestones.get(r.user_id)
            warned = [w.message for w in t.warnings if w.user_id == r.user_id]
            if new or warned:
                changes[r.id] = ({**(r.milestones or {}), **iso_dates(new or {})}, (r.warnings or []) + warned)
    await store_milestones(session, changes, by_id)
    for t in groups:
        if t.action == "advance" and t.to_stage == CONVERSION and t.stage != CONVERSION:
            await set_political_status(session, t.user_ids, PROBATIONARY)
        if t.action == "finish":
            await set_political_status(session, t.user_ids, FULL_MEMBER)
        if t.action in ("advance", "reflow") and (t.to_stage, t.to_step) != (t.stage, t.step):
            await task_store.create_for(session, t.records, t.to_stage, registry.step(t.to_stage, t.to_step), t.now)
    rows = []
    for t in groups:
        head = _title(t, step, title, registry)
        extra = ""
        if t.action == "reflow" and t.outcome.extend_months:
            extra = f"预备期延长{t.outcome.extend_months}个月"
        for r in t.records:
            warn = "；".join(w.message for w in t.warnings if w.user_id == r.user_id)
            ends = (t.milestones.get(r.user_id) or {}).get("probation_end") if extra else None
            text = "；".join(x for x in (t.note, notes.get(r.id, ""), f"{extra}，至{ends}" if ends else "", warn) if x)
            action = {"advance": "completed", "finish": "finished", "fail": "failed", "reflow": "reflowed",
                      "stay": "stayed"}[t.action]
            row = event_row(t.actor, r, stage=t.stage, step=t.step, action=action, title=head, note=text, now=t.now)
            rows.append(row)
            if t.action == "advance" and t.to_stage != t.stage:
                rows.append({**row, "stage": t.to_stage, "step": t.to_step, "action": "stage_entered",
                             "title": f"进入{STAGE_TITLES[t.to_stage]}阶段", "note": ""})
    await insert_events(session, rows)
    hooks = {"advance": ("xf_step_completed", "xf_step_entered"), "finish": ("xf_step_completed", "xf_record_finished"),
             "fail": ("xf_step_failed",), "reflow": ("xf_reflowed", "xf_step_entered"), "stay": ()}
    for t in groups:
        for hook in hooks[t.action]:
            await engine.plugins.run(hook, session=session, transition=t)
