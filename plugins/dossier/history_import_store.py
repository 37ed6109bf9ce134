"""Writing a checked history import in one transaction, in bulk: new people (account without a
password, role 学生, an empty profile), one development record per person at the current step
with the milestones its passed steps fill, the timeline of every passed step dated on its day
and marked 导入, the current step's tasks, and the contact, introducers and party group.

The people continue from there like anyone else: the components see an active record at its
step. Nothing is announced (no messages for history)."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import insert, select

from core import clock
from core.models import Role, StudentProfile, User, UserRole, utcnow
from core.workflow import tasks as task_store
from core.workflow.models import Assignment, DevelopmentEvent, DevelopmentRecord
from core.workflow.stages import STAGE_ORDER, STAGE_TITLES, StageRegistry
from core.workflow.writes import set_political_status
from plugins.dossier.history_import import Row

IMPORTED = "导入"
PROBATIONARY = "中共预备党员"


async def store(session, registry: StageRegistry, actor, rows: list[Row]) -> dict:
    """Write every row; returns counts. The caller commits."""
    conn = await session.connection()
    now = utcnow()
    new = [r for r in rows if r.user_id is None]
    if new:
        await conn.execute(insert(User), [{"username": r.student_no, "name": r.name, "password_hash": "", "student_no": r.student_no,
                                           "phone": r.phone, "party_branch_id": r.branch_id, "token_version": 0, "is_active": True,
                                           "email": "", "avatar": "", "created_at": now, "updated_at": now} for r in new])
        ids = dict((await conn.execute(select(User.student_no, User.id).where(
            User.student_no.in_([r.student_no for r in new]), User.deleted_at.is_(None)))).all())
        for r in new:
            r.user_id = ids[r.student_no]
        role = (await conn.execute(select(Role.id).where(Role.key == "student"))).scalar_one()
        await conn.execute(insert(UserRole), [{"user_id": r.user_id, "role_id": role} for r in new])
        await conn.execute(insert(StudentProfile), [{"user_id": r.user_id, "complete": False, "draft": {}, "updated_at": now}
                                                    for r in new])
    await conn.execute(insert(DevelopmentRecord), [
        {"user_id": r.user_id, "stage": r.stage, "step": r.step, "status": "active", "failure_code": "", "failure_final": False,
         "version": 1, "step_entered_at": now, "milestones": r.milestones, "warnings": r.warnings, "created_at": now,
         "updated_at": now} for r in rows])
    record_ids = dict((await conn.execute(select(DevelopmentRecord.user_id, DevelopmentRecord.id).where(
        DevelopmentRecord.user_id.in_([r.user_id for r in rows])))).all())
    midnight = {}

    def at_midnight(day):
        if day not in midnight:
            midnight[day] = clock.local_midnight(day)
        return midnight[day]

    who = {"actor_id": actor.id, "actor_name": actor.user.name or actor.user.username, "actor_role": IMPORTED}
    events = []
    for r in rows:
        rid = record_ids[r.user_id]
        first = at_midnight(r.passed[0][2]) if r.passed else now
        events.append({**who, "record_id": rid, "stage": STAGE_ORDER[0] if r.passed else r.stage, "step": "", "action": "started",
                       "title": f"导入：进入{STAGE_TITLES[r.passed[0][0] if r.passed else r.stage]}阶段", "note": "历史数据导入",
                       "created_at": first})
        for i, (stage, step, day) in enumerate(r.passed):
            at = at_midnight(day)
            events.append({**who, "record_id": rid, "stage": stage, "step": step, "action": "completed",
                           "title": f"导入：{registry.step_title(stage, step)}", "note": f"历史数据导入，完成日期{day}",
                           "created_at": at})
            following = r.passed[i + 1][0] if i + 1 < len(r.passed) else r.stage
            if following != stage:
                events.append({**who, "record_id": rid, "stage": following, "step": registry.first_step(following),
                               "action": "stage_entered", "title": f"导入：进入{STAGE_TITLES[following]}阶段", "note": "",
                               "created_at": at})
        note = "；".join(["历史数据导入"] + [f"时间提醒：{w}" for w in r.warnings])
        events.append({**who, "record_id": rid, "stage": r.stage, "step": r.step, "action": "imported",
                       "title": f"导入：当前环节“{registry.step_title(r.stage, r.step)}”", "note": note[:1000], "created_at": now})
    await conn.execute(insert(DevelopmentEvent), events)
    # The current step's tasks, for the steps that declare some; records built in memory from
    # what was just written (loading 5,000 ORM rows back cost more than the whole insert).
    by_step = defaultdict(list)
    for r in rows:
        step_def = registry.step(r.stage, r.step)
        if step_def is not None and step_def.tasks:
            by_step[(r.stage, r.step)].append(DevelopmentRecord(id=record_ids[r.user_id], user_id=r.user_id, stage=r.stage,
                                                                step=r.step, milestones=r.milestones))
    tasks = 0
    for (stage, step), recs in by_step.items():
        tasks += await task_store.create_for(session, recs, stage, registry.step(stage, step), now) or 0
    conversion = [r.user_id for r in rows if r.stage == STAGE_ORDER[-1]]
    await set_political_status(session, conversion, PROBATIONARY)
    assignments = []
    for r in rows:
        rid = record_ids[r.user_id]
        base = {"record_id": rid, "since": now, "until": None, "assigned_by": actor.id}
        if r.contact:
            assignments.append({**base, "role": "contact", "user_id": r.contact, "group_id": None})
        for uid in r.introducers:
            assignments.append({**base, "role": "introducer", "user_id": uid, "group_id": None})
        if r.party_group:
            assignments.append({**base, "role": "party_group", "user_id": None, "group_id": r.party_group})
    if assignments:
        await conn.execute(insert(Assignment), assignments)
    return {"people_created": len(new), "records": len(rows), "events": len(events), "tasks": tasks,
            "assignments": len(assignments)}
