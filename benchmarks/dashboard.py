"""工作台 figures (issue 16): the committee's dashboard over 10,000 students in development with
every stage populated (every declared step, the stages without a plugin waiting at their
start, failed and finished people, open tasks of which many are overdue, late talks, timing
warnings), and the daily overdue job's run over the same college."""
from __future__ import annotations

import time
from datetime import date, timedelta

from benchmarks import figure
from benchmarks.common import bench_env, log, machine_load, ok_response, summary, timed

PEOPLE = 10_000
DASH = "/api/pc/v1/dashboard"


async def _college(app, n: int) -> int:
    """``n`` new students spread over the branches, stages and steps, with the tasks of the
    steps that declare them (many overdue), late talks and timing warnings; returns records."""
    from sqlalchemy import insert, select

    from core.models import User, utcnow
    from core.workflow import tasks as task_store
    from core.workflow.components.talk import Talk
    from core.workflow.models import DevelopmentRecord
    from core.workflow.stages import STAGE_ORDER

    registry = app.state.engine.registry
    places = []  # (stage, step, status)
    for key in STAGE_ORDER:
        steps = [s.key for s in registry.stage(key).steps] or [""]
        places += [(key, s, "active") for s in steps] + [(key, steps[0], "failed")]
    places.append(("conversion", registry.stage("conversion").steps[-1].key if registry.stage("conversion").steps else "", "done"))
    today = date.today()
    async with app.state.db.sessionmaker() as s:
        branches = [b for b in (await s.execute(select(User.party_branch_id).where(User.party_branch_id.is_not(None))
                                                .distinct())).scalars()]
        prefix = f"dash{int(time.time()) % 100000}"
        await s.execute(insert(User), [{"username": f"{prefix}{i:05d}", "name": f"工作台{i}", "password_hash": "",
                                        "party_branch_id": branches[i % len(branches)], "student_no": f"{prefix}{i:05d}"}
                                       for i in range(n)])
        ids = (await s.execute(select(User.id).where(User.username.like(f"{prefix}%")).order_by(User.id))).scalars().all()
        rows = []
        for i, u in enumerate(ids):
            stage, step, status = places[i % len(places)]
            early = stage == "applicant" and step in ("application", "talk")
            applied = today - timedelta(days=i % 40 if early else 200 + i % 700)
            milestones = {"applied_at": applied.isoformat()}
            if not early:  # talked within the month, as most are
                milestones.update(talked_at=(applied + timedelta(days=20)).isoformat(),
                                  activist_at=(applied + timedelta(days=190)).isoformat())
            rows.append({"user_id": u, "stage": stage, "step": step, "status": status,
                         "failure_code": "测试-不通过" if status == "failed" else "",
                         "warnings": ["递交申请书后一个月内派人谈话：应在30天内，实际间隔45天"] if i % 17 == 0 else [],
                         "milestones": milestones})
        await s.execute(insert(DevelopmentRecord), rows)
        records = list((await s.execute(select(DevelopmentRecord).where(DevelopmentRecord.user_id.in_(ids)))).scalars())
        by_place: dict = {}
        for r in records:
            by_place.setdefault((r.stage, r.step, r.status), []).append(r)
        for (stage, step, status), group in by_place.items():
            if status == "active" and step:
                await task_store.create_for(s, group, stage, registry.step(stage, step), utcnow() - timedelta(days=300))
        talking = by_place.get(("applicant", "talk", "active"), [])
        await s.execute(insert(Talk), [{"record_id": r.id, "user_id": r.user_id, "kind": "first_talk", "role": "talker",
                                        "period": 0, "deadline": utcnow() - timedelta(days=i % 9 - 4), "status": "assigned",
                                        "place": "", "content": ""} for i, r in enumerate(talking)])
        await s.commit()
        return len(records)


def run(results: list[dict]) -> None:
    env = bench_env()
    made = env.client.portal.call(_college, env.app, PEOPLE)
    log(f"dashboard: {made} records over every stage; {machine_load()}")
    committee = env.auth("dangwei")
    branch = env.auth("zhibu04")
    call = lambda: env.client.get(DASH, headers=committee)  # noqa: E731
    t = timed(call, 30, check=ok_response)
    log(f"dashboard committee: {summary(t)}")
    sql0 = env.sql.count
    call()
    statements = env.sql.count - sql0
    figure(results, "dashboard_committee_ms", sorted(t)[len(t) // 2], "ms", 100, "lower")
    figure(results, "dashboard_committee_statements", statements, "statements", None, "lower")
    tb = timed(lambda: env.client.get(DASH, headers=branch), 30, check=ok_response)
    log(f"dashboard branch: {summary(tb)}")
    figure(results, "dashboard_branch_ms", sorted(tb)[len(tb) // 2], "ms", 100, "lower")
    tc = timed(lambda: env.client.get(f"{DASH}/chart", headers=committee), 30, check=ok_response)
    figure(results, "dashboard_chart_ms", sorted(tc)[len(tc) // 2], "ms", 50, "lower")

    from core.dashboard_jobs import send_reminders

    t0 = time.perf_counter()
    first = env.client.portal.call(send_reminders, env.app.state.db.sessionmaker, env.app.state.engine.registry)
    seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = env.client.portal.call(send_reminders, env.app.state.db.sessionmaker, env.app.state.engine.registry)
    log(f"overdue job: {first} in {seconds:.2f}s; second run {again} in {time.perf_counter() - t0:.2f}s")
    if again["sent"]:
        raise RuntimeError("the overdue job sent reminders twice on the same day")
    figure(results, "overdue_job_s", seconds, "s", None, "lower")
