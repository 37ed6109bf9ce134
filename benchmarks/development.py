"""Development figures: batch approve (time and SQL statements), batch publicity completion,
MP to-do list and timeline latency with 10,000 development records; engine v2: a mixed batch
(every outcome kind) resolved for 100 and 1,000 people (same statements, time), and the
cultivation progress page of 1,000 people with 8 tasks each."""
from __future__ import annotations

import statistics
import time
from datetime import date, datetime, timedelta

from benchmarks import figure
from benchmarks.common import bench_env, log, machine_load, ok_response, summary, timed

BRANCH_ADMIN = "zhibu04"
API = "/api/pc/v1/development/applicants"
PUB = f"{API}/publicity"


def _run(env, coro_fn):
    return env.client.portal.call(coro_fn)


async def _new_people(app, branch_id: int, n: int, prefix: str, step: str, letter: bool) -> list[int]:
    """``n`` students of the branch with records at ``step`` (and a pending letter): record ids."""
    from sqlalchemy import insert, select

    from core.models import StudentProfile, User
    from core.workflow.components.review import Submission
    from core.workflow.models import DevelopmentRecord

    async with app.state.db.sessionmaker() as s:
        await s.execute(insert(User), [{"username": f"{prefix}{i:05d}", "name": f"压测{prefix}{i}", "password_hash": "",
                                        "party_branch_id": branch_id, "student_no": f"{prefix}{i:05d}"} for i in range(n)])
        ids = (await s.execute(select(User.id).where(User.username.like(f"{prefix}%")).order_by(User.id))).scalars().all()
        await s.execute(insert(StudentProfile), [{"user_id": u, "complete": True, "birth_date": date(2004, 1, 1), "draft": {}} for u in ids])
        await s.execute(insert(DevelopmentRecord), [{"user_id": u, "stage": "applicant", "step": step, "milestones": {"applied_at": date.today().isoformat()},
                                                     "warnings": []} for u in ids])
        rec = dict((await s.execute(select(DevelopmentRecord.user_id, DevelopmentRecord.id).where(DevelopmentRecord.user_id.in_(ids)))).all())
        if letter:
            await s.execute(insert(Submission), [{"record_id": rec[u], "user_id": u, "kind": "application_letter", "files": [],
                                                  "signed_date": date.today(), "status": "submitted"} for u in ids])
        await s.commit()
        return [rec[u] for u in ids]


async def _records_for_everyone(app) -> tuple[int, int]:
    """A development record with a realistic timeline for every demo student (10,000), and talks
    for the branch's talkers: (records created, events created)."""
    from sqlalchemy import insert, select

    from core.models import Role, StudentProfile, User, UserRole
    from core.workflow.components.talk import Talk
    from core.workflow.models import Assignment, DevelopmentEvent, DevelopmentRecord

    async with app.state.db.sessionmaker() as s:
        students = (await s.execute(
            select(User.id, User.party_branch_id).join(UserRole, UserRole.user_id == User.id).join(Role, Role.id == UserRole.role_id)
            .join(StudentProfile, StudentProfile.user_id == User.id)
            .where(Role.key == "student", StudentProfile.political_status != "中共党员")
            .where(~User.id.in_(select(DevelopmentRecord.user_id))))).all()
        talkers = dict((await s.execute(select(User.party_branch_id, User.id).join(StudentProfile, StudentProfile.user_id == User.id)
                                         .where(StudentProfile.political_status == "中共党员"))).all())
        steps = ["application", "talk", "publicity"]
        now = datetime.utcnow()
        await s.execute(insert(DevelopmentRecord), [{"user_id": u, "stage": "applicant", "step": steps[i % 3],
                                                     "milestones": {}, "warnings": []} for i, (u, _) in enumerate(students)])
        recs = (await s.execute(select(DevelopmentRecord.id, DevelopmentRecord.user_id, DevelopmentRecord.step))).all()
        events = []
        for rid, _, step in recs:
            for k, (action, title) in enumerate([("started", "进入申请入党阶段"), ("submitted", "提交入党申请书"),
                                                 ("completed", "入党申请书审核通过"), ("talk_assigned", "指派谈话人"),
                                                 ("talk_scheduled", "安排谈话日程"), ("talk_submitted", "提交谈话记录")]):
                events.append({"record_id": rid, "actor_id": None, "actor_name": "压测", "actor_role": "党支部管理员",
                               "stage": "applicant", "step": "application" if k < 3 else "talk", "action": action,
                               "title": title, "note": "", "created_at": now - timedelta(days=30 - k)})
        await s.execute(insert(DevelopmentEvent), events)
        branch_of = dict(students)
        talking = [(rid, uid) for rid, uid, step in recs if step == "talk" and branch_of.get(uid) in talkers]
        await s.execute(insert(Talk), [{"record_id": rid, "user_id": uid, "kind": "first_talk", "role": "talker", "period": 0,
                                        "deadline": now + timedelta(days=7), "status": "assigned", "place": "", "content": "",
                                        "reason": "", "by_proxy": False, "created_at": now, "updated_at": now}
                                       for rid, uid in talking])
        await s.execute(insert(Assignment), [{"record_id": rid, "role": "talker", "user_id": talkers[branch_of[uid]],
                                              "since": now} for rid, uid in talking])
        await s.commit()
        return len(students), len(events)


def batch_approve(env, results: list[dict]) -> None:
    h = env.auth(BRANCH_ADMIN)
    branch_id = env.client.get("/api/mp/v1/me", headers=h).json()["party_branch_id"]
    for n in (100, 1000):
        ids = _run(env, lambda: _new_people(env.app, branch_id, n, f"ba{n}x", "application", True))
        before, t0 = env.sql.count, time.perf_counter()
        r = env.client.post(f"{API}/review", json={"record_ids": ids, "approve": True}, headers=h)
        seconds, statements = time.perf_counter() - t0, env.sql.count - before
        ok_response(r)
        log(f"batch approve {n}: {seconds:.3f}s, {statements} SQL statements")
        if n == 1000:
            figure(results, "batch_approve_1000_s", seconds, "s", 1, "lower")
        figure(results, f"batch_approve_{n}_statements", statements, "statements", None, "lower")


def publicity_complete(env, results: list[dict]) -> None:
    from sqlalchemy import update

    from core.workflow.models import Batch as Publicity

    h = env.auth(BRANCH_ADMIN)
    branch_id = env.client.get("/api/mp/v1/me", headers=h).json()["party_branch_id"]
    ids = _run(env, lambda: _new_people(env.app, branch_id, 1000, "pc1000x", "publicity", False))
    ok_response(env.client.put(f"{PUB}/settings", json={"title": "入党申请人公示", "organiser": "本科生第一党支部",
                                                        "contact": "王老师", "phone": "020-12345678"}, headers=h))
    r = env.client.post(PUB, json={}, headers=h)
    ok_response(r)
    pid = r.json()["data"]["id"]
    today = (datetime.utcnow() + timedelta(hours=8)).date().isoformat()
    ok_response(env.client.put(f"{PUB}/{pid}/content", json={"signature_date": today, "start_date": today,
                                                             "people": [{"record_id": i, "brief": "表现良好"} for i in ids]}, headers=h))
    ok_response(env.client.post(f"{PUB}/{pid}/generate", headers=h))

    async def shift():
        async with env.app.state.db.sessionmaker() as s:
            p = await s.get(Publicity, pid)
            await s.execute(update(Publicity).where(Publicity.id == pid).values(
                start_at=p.start_at - timedelta(days=20), end_at=p.end_at - timedelta(days=20)))
            await s.commit()

    _run(env, shift)
    ok_response(env.client.post(f"{PUB}/{pid}/report", json={}, headers=h))
    before, t0 = env.sql.count, time.perf_counter()
    r = env.client.post(f"{PUB}/{pid}/complete", headers=h)
    seconds, statements = time.perf_counter() - t0, env.sql.count - before
    ok_response(r)
    log(f"publicity complete 1000: {seconds:.3f}s, {statements} SQL statements")
    figure(results, "publicity_complete_1000_s", seconds, "s", 1, "lower")


def mp_reads(env, results: list[dict]) -> None:
    created, events = _run(env, lambda: _records_for_everyone(env.app))
    log(f"development records for {created} students with {events} timeline events")
    talker = _a_talker(env)
    h = env.auth(talker)
    ms = timed(lambda: env.client.get("/api/mp/v1/todos", headers=h), n=200, warmup=10, check=ok_response)
    total = env.client.get("/api/mp/v1/todos", headers=h).json()["total"]
    log(f"mp_todo_ms ({talker}, {total} items, first page of 20): {summary(ms)}")
    figure(results, "mp_todo_ms", statistics.median(ms), "ms", 20, "lower")
    student = _a_student_with_record(env)
    h = env.auth(student)
    ms = timed(lambda: env.client.get("/api/mp/v1/development/timeline", headers=h), n=200, warmup=10, check=ok_response)
    log(f"mp_timeline_ms ({student}): {summary(ms)}; {machine_load()}")
    figure(results, "mp_timeline_ms", statistics.median(ms), "ms", 20, "lower")


def _engine_env(env):
    """A second app over the same database with the benchmark stage (benchmarks/stage_plugin.py)."""
    from fastapi.testclient import TestClient

    from benchmarks.common import SqlCounter
    from core.app import create_app
    from core.settings import PluginSettings

    from core.testing import displaced_plugins

    # The benchmark stage replaces the installed plugin declaring the same stage (a stage is
    # declared once), as in the tests.
    extra = ["benchmarks.stage_plugin"]
    settings = env.app.state.settings.model_copy(
        update={"plugins": PluginSettings(extra=extra, disabled=displaced_plugins(extra))})
    app = create_app(settings)
    client = TestClient(app)
    client.__enter__()
    return app, client, SqlCounter(app.state.db.engine)


async def _people_at(app, branch_id: int, n: int, prefix: str, step: str, tasks: bool = False) -> list[int]:
    """``n`` people with records at conversion/``step`` (and 8 quarterly tasks, 3 done, when ``tasks``)."""
    from sqlalchemy import insert, select

    from core.models import User, utcnow
    from core.workflow.models import DevelopmentRecord, Task

    async with app.state.db.sessionmaker() as s:
        await s.execute(insert(User), [{"username": f"{prefix}{i:05d}", "name": f"压测{prefix}{i}", "password_hash": "",
                                        "party_branch_id": branch_id, "student_no": f"{prefix}{i:05d}"} for i in range(n)])
        ids = (await s.execute(select(User.id).where(User.username.like(f"{prefix}%")).order_by(User.id))).scalars().all()
        await s.execute(insert(DevelopmentRecord), [{"user_id": u, "stage": "conversion", "step": step, "warnings": [],
                                                     "milestones": {"received_at": "2026-01-10"}} for u in ids])
        rec = dict((await s.execute(select(DevelopmentRecord.user_id, DevelopmentRecord.id)
                                    .where(DevelopmentRecord.user_id.in_(ids)))).all())
        if tasks:
            now = utcnow()
            await s.execute(insert(Task), [
                {"record_id": rec[u], "stage": "conversion", "step": step, "key": key, "period": k, "title": f"{key}{k}",
                 "status": "done" if k == 1 or (key == "report" and k == 2) else "open", "required": True,
                 "starts_at": now - timedelta(days=90 * (3 - k)), "due_at": now + timedelta(days=90 * (k - 2)),
                 "source_type": "", "created_at": now} for u in ids for key in ("report", "talk") for k in range(1, 5)])
        await s.commit()
        return [rec[u] for u in ids]


def engine_v2(env, results: list[dict]) -> None:
    app, client, sql = _engine_env(env)
    h = env.auth(BRANCH_ADMIN)
    branch_id = client.get("/api/mp/v1/me", headers=h).json()["party_branch_id"]
    kinds = ["agree", "half", "refuse", "again", "hold"]
    for n, runs in ((100, 1), (1000, 3)):  # three batches of 1,000: the median, less at the mercy of a busy machine
        times = []
        for run in range(runs):
            ids = _run(env, lambda: _people_at(app, branch_id, n, f"rv{n}x{run}x", "vote"))
            items = [{"record_id": rid, "outcome": kinds[i % len(kinds)]} for i, rid in enumerate(ids)]
            before, t0 = sql.count, time.perf_counter()
            r = client.post("/api/pc/v1/development/bench/vote", json={"items": items}, headers=h)
            times.append(time.perf_counter() - t0)
            statements = sql.count - before
            ok_response(r)
            log(f"resolve {n} mixed: {times[-1]:.3f}s, {statements} SQL statements, {r.json()['data']}")
        figure(results, f"resolve_{n}_mixed_statements", statements, "statements", None, "lower")
        if n == 1000:
            log(f"resolve_1000_mixed_s: median of {runs} batches; {machine_load()}")
            figure(results, "resolve_1000_mixed_s", statistics.median(times), "s", 0.5, "lower")
    _run(env, lambda: _people_at(app, branch_id, 1000, "cp1000x", "cultivation", tasks=True))
    url = "/api/pc/v1/development/bench/cultivation/progress"
    r = client.get(url, params={"per_page": 500}, headers=h)
    ok_response(r)
    first = r.json()["data"]
    assert first["total"] == 1000 and all(len(x["tasks"]) == 2 for x in first["items"]), first["total"]

    def both_pages():  # every one of the 1,000 people: the two largest pages the API serves
        for page in (1, 2):
            ok_response(client.get(url, params={"per_page": 500, "page": page}, headers=h))
    ms = timed(both_pages, n=20, warmup=2)
    log(f"cultivation_progress_1000_ms (1,000 people x 8 tasks, pages of 500): {summary(ms)}; {machine_load()}")
    figure(results, "cultivation_progress_1000_ms", statistics.median(ms), "ms", 50, "lower")


def _scalar(env, stmt):
    async def go():
        async with env.app.state.db.sessionmaker() as s:
            return (await s.execute(stmt)).scalar()
    return _run(env, go)


def _a_talker(env) -> str:
    from sqlalchemy import func, select

    from core.models import User
    from core.workflow.models import Assignment

    return _scalar(env, select(User.username).join(Assignment, Assignment.user_id == User.id).group_by(User.username)
                   .order_by(func.count().desc()).limit(1))


def _a_student_with_record(env) -> str:
    from sqlalchemy import select

    from core.models import User
    from core.workflow.models import DevelopmentRecord

    return _scalar(env, select(User.username).join(DevelopmentRecord, DevelopmentRecord.user_id == User.id)
                   .where(DevelopmentRecord.step == "talk", User.password_hash != "").limit(1))


def run(results: list[dict]) -> None:
    env = bench_env()
    batch_approve(env, results)
    publicity_complete(env, results)
    engine_v2(env, results)
    mp_reads(env, results)
