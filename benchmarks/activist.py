"""Activist stage figures (issue 13): the committee's filing decision for 100 and 1,000 people
(the same number of SQL statements), confirming a training class's list of 1,000 signups,
and a student's cultivation page on the MP (思想汇报, 季度谈话, 培训班 cards)."""
from __future__ import annotations

import statistics
import time
from datetime import date, datetime, timedelta

from benchmarks import figure
from benchmarks.common import bench_env, log, machine_load, ok_response, summary, timed

BRANCH_ADMIN = "zhibu04"
ACT = "/api/pc/v1/development/activists"
TRAINING = "/api/pc/v1/development/training"


def _run(env, fn):
    return env.client.portal.call(fn)


async def _people(app, branch_id: int, n: int, prefix: str, step: str) -> list[int]:
    """``n`` students of the branch at activist/``step`` (with the step's tasks): record ids."""
    from sqlalchemy import insert, select

    from core.models import StudentProfile, User, utcnow
    from core.workflow import tasks as task_store
    from core.workflow.models import DevelopmentRecord

    async with app.state.db.sessionmaker() as s:
        await s.execute(insert(User), [{"username": f"{prefix}{i:05d}", "name": f"压测{prefix}{i}", "password_hash": "",
                                        "party_branch_id": branch_id, "student_no": f"{prefix}{i:05d}"} for i in range(n)])
        ids = (await s.execute(select(User.id).where(User.username.like(f"{prefix}%")).order_by(User.id))).scalars().all()
        await s.execute(insert(StudentProfile), [{"user_id": u, "complete": True, "birth_date": date(2004, 1, 1), "draft": {},
                                                  "enrollment_date": date(2022, 9, 1)} for u in ids])
        await s.execute(insert(DevelopmentRecord), [
            {"user_id": u, "stage": "activist", "step": step, "warnings": [],
             "milestones": {"applied_at": "2024-03-01", "activist_at": "2025-03-01"}} for u in ids])
        records = list((await s.execute(select(DevelopmentRecord).where(DevelopmentRecord.user_id.in_(ids))
                                        .order_by(DevelopmentRecord.id))).scalars())
        await task_store.create_for(s, records, "activist", app.state.engine.registry.step("activist", step), utcnow())
        await s.commit()
        return [r.id for r in records]


def filing_decide(env, results: list[dict]) -> None:
    h, committee = env.auth(BRANCH_ADMIN), env.auth("dangwei")
    branch_id = env.client.get("/api/mp/v1/me", headers=h).json()["party_branch_id"]
    today = (datetime.utcnow() + timedelta(hours=8)).date().isoformat()
    counts = {}
    for n in (100, 1000):
        ids = _run(env, lambda: _people(env.app, branch_id, n, f"fd{n}x", "filing"))
        r = env.client.post(f"{ACT}/filing", json={"record_ids": ids}, headers=h)
        ok_response(r)
        fid = r.json()["data"]["id"]
        ok_response(env.client.post(f"{ACT}/filing/{fid}/generate", json={
            "filing_date": today, "people": [{"record_id": i} for i in ids]}, headers=h))
        ok_response(env.client.post(f"{ACT}/filing/{fid}/submit", headers=h))
        items = [{"record_id": rid, "result": "fail" if k % 50 == 0 else "pass", "opinion": "材料不全" if k % 50 == 0 else ""}
                 for k, rid in enumerate(ids)]
        before, t0 = env.sql.count, time.perf_counter()
        r = env.client.post(f"{ACT}/filing/{fid}/decide", json={"decided_on": today, "items": items}, headers=committee)
        seconds, counts[n] = time.perf_counter() - t0, env.sql.count - before
        ok_response(r)
        log(f"filing decide {n}: {seconds:.3f}s, {counts[n]} SQL statements, {r.json()['data']}")
        figure(results, f"filing_decide_{n}_statements", counts[n], "statements", counts[100] if n == 1000 else None, "lower")


async def _class_with_signups(app, branch_id: int, record_ids: list[int]) -> int:
    """A class in 支部筛选中 whose branch submitted 1,000 signups (800 selected)."""
    from sqlalchemy import insert, select

    from core.models import utcnow
    from core.workflow.components.training_models import TrainingClass, TrainingQuota, TrainingSignup
    from core.workflow.models import DevelopmentRecord

    now = utcnow()
    async with app.state.db.sessionmaker() as s:
        c = TrainingClass(class_type="activist", title="压测培训班", signup_start=now - timedelta(days=5),
                          signup_end=now - timedelta(days=1), train_start=now + timedelta(days=1),
                          train_end=now + timedelta(days=3), state="screening")
        s.add(c)
        await s.flush()
        s.add(TrainingQuota(class_id=c.id, branch_id=branch_id, quota=800, submitted_at=now))
        users = dict((await s.execute(select(DevelopmentRecord.id, DevelopmentRecord.user_id)
                                      .where(DevelopmentRecord.id.in_(record_ids)))).all())
        await s.execute(insert(TrainingSignup), [
            {"class_id": c.id, "record_id": rid, "user_id": users[rid], "branch_id": branch_id, "stage": "activist",
             "step": "cultivation", "status": "selected" if k < 800 else "not_selected", "sort": k, "result": "",
             "created_at": now, "updated_at": now} for k, rid in enumerate(record_ids)])
        await s.commit()
        return c.id


def training_confirm(env, results: list[dict]) -> None:
    h, committee = env.auth(BRANCH_ADMIN), env.auth("dangwei")
    branch_id = env.client.get("/api/mp/v1/me", headers=h).json()["party_branch_id"]
    ids = _run(env, lambda: _people(env.app, branch_id, 1000, "tc1000x", "cultivation"))
    times = []
    for _ in range(3):  # three classes: the median, less at the mercy of a busy machine
        cid = _run(env, lambda: _class_with_signups(env.app, branch_id, ids))
        t0 = time.perf_counter()
        r = env.client.post(f"{TRAINING}/classes/{cid}/confirm", headers=committee)
        times.append(time.perf_counter() - t0)
        ok_response(r)
    log(f"training confirm 1000 signups: {[round(t, 3) for t in times]} s; {machine_load()}")
    figure(results, "training_confirm_1000_signups_s", statistics.median(times), "s", 1, "lower")


async def _cultivating_student(app) -> str:
    """A demo student (with a password) at activist/cultivation with a contact, two approved
    thought reports, two talks and a training signup: their username."""
    from sqlalchemy import insert, select

    from core.models import Role, StudentProfile, User, UserRole, utcnow
    from core.workflow import assignments, tasks as task_store
    from core.workflow.components.review import Submission
    from core.workflow.components.talk import Talk
    from core.workflow.components.training_models import TrainingClass, TrainingSignup
    from core.workflow.models import DevelopmentRecord

    now = utcnow()
    async with app.state.db.sessionmaker() as s:
        user = (await s.execute(
            select(User).join(UserRole, UserRole.user_id == User.id).join(Role, Role.id == UserRole.role_id)
            .join(StudentProfile, StudentProfile.user_id == User.id)
            .where(Role.key == "student", StudentProfile.political_status != "中共党员", User.password_hash != "",
                   ~User.id.in_(select(DevelopmentRecord.user_id))).limit(1))).scalar_one()
        contact = (await s.execute(select(User.id).join(StudentProfile, StudentProfile.user_id == User.id).where(
            StudentProfile.political_status == "中共党员", User.party_branch_id == user.party_branch_id).limit(1))).scalar_one()
        record = DevelopmentRecord(user_id=user.id, stage="activist", step="cultivation",
                                   milestones={"applied_at": "2024-03-01", "activist_at": "2025-03-01"})
        s.add(record)
        await s.flush()
        await task_store.create_for(s, [record], "activist", app.state.engine.registry.step("activist", "cultivation"), now)
        await assignments.assign(s, [record.id], "contact", user_ids=[contact])
        await s.execute(insert(Submission), [{"record_id": record.id, "user_id": user.id, "kind": "thought_report", "files": [],
                                              "signed_date": date(2025, 5 + k, 1), "status": "approved"} for k in range(2)])
        await s.execute(insert(Talk), [{"record_id": record.id, "user_id": user.id, "kind": "activist_quarter_talk",
                                        "role": "contact", "period": k, "deadline": now, "place": "党员活动室",
                                        "content": "谈话", "status": "approved", "by_proxy": False, "reason": "",
                                        "created_at": now, "updated_at": now} for k in (1, 2)])
        c = TrainingClass(class_type="activist", title="压测培训班（报名）", signup_start=now - timedelta(days=1),
                          signup_end=now + timedelta(days=2), train_start=now + timedelta(days=3),
                          train_end=now + timedelta(days=5), state="published")
        s.add(c)
        await s.flush()
        s.add(TrainingSignup(class_id=c.id, record_id=record.id, user_id=user.id, branch_id=user.party_branch_id,
                             stage="activist", step="cultivation"))
        await s.commit()
        return user.username


def mp_cultivation(env, results: list[dict]) -> None:
    username = _run(env, lambda: _cultivating_student(env.app))
    h = env.auth(username)
    answer = env.client.get("/api/mp/v1/development/cultivation", headers=h)
    ok_response(answer)
    assert answer.json()["at_step"] and len(answer.json()["tasks"]) == 3, answer.json()
    ms = timed(lambda: env.client.get("/api/mp/v1/development/cultivation", headers=h), n=200, warmup=10, check=ok_response)
    log(f"mp_cultivation_ms ({username}): {summary(ms)}; {machine_load()}")
    figure(results, "mp_cultivation_ms", statistics.median(ms), "ms", 20, "lower")


def run(results: list[dict]) -> None:
    env = bench_env()
    filing_decide(env, results)
    training_confirm(env, results)
    mp_cultivation(env, results)
