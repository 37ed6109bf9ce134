"""Figures of the components first needed by the candidate stage, over HTTP on the demo college
with a bench stage (benchmarks/candidate_stage.py): one merged PDF of 500 pre-filled symposium
record forms, a batch upload of 500 scans matched by 姓名+学号, and 500 inquiry letters
(250 people with two relatives each) generated and stored."""
from __future__ import annotations

import time
from datetime import date, timedelta

from benchmarks import figure
from benchmarks.common import bench_env, log, machine_load

BRANCH_ADMIN, COMMITTEE = "zhibu04", "dangwei"
API = "/api/pc/v1/development/bench-candidate"
SCAN = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 160  # a 40 KB "photo" (JPEG by its first bytes)


def _candidate_env(env):
    """A second app over the bench database with the bench stage; installed plugins of the
    candidate stage are set aside for it."""
    from fastapi.testclient import TestClient

    from core.app import create_app
    from core.plugins import discover
    from core.settings import PluginSettings

    base = env.app.state.settings
    owners = {p.name for p in discover(base) if any(s.key == "candidate" for s in (getattr(p.module, "xf_stages", lambda: [])() or []))}
    found = {p.name: p for p in discover(base)}
    while more := {n for n, p in found.items() if set(p.depends) & owners} - owners:
        owners |= more
    settings = base.model_copy(update={"plugins": PluginSettings(extra=["benchmarks.candidate_stage"], disabled=sorted(owners))})
    app = create_app(settings)
    client = TestClient(app)
    client.__enter__()
    return app, client


async def _people(app, branch_id: int, n: int, prefix: str, step: str, task: bool) -> list[tuple[int, str, str]]:
    """``n`` people at ``step`` of the bench stage: (record id, name, 学号)."""
    from sqlalchemy import insert, select

    from core.models import StudentProfile, User, utcnow
    from core.workflow.models import DevelopmentRecord, Task

    async with app.state.db.sessionmaker() as s:
        await s.execute(insert(User), [{"username": f"{prefix}{i:05d}", "name": f"压测{prefix}{i}", "password_hash": "",
                                        "party_branch_id": branch_id, "student_no": f"{prefix}{i:05d}"} for i in range(n)])
        users = (await s.execute(select(User.id, User.name, User.student_no).where(User.username.like(f"{prefix}%"))
                                 .order_by(User.id))).all()
        await s.execute(insert(StudentProfile), [{"user_id": u, "complete": True, "birth_date": date(2004, 1, 1), "gender": "男",
                                                  "draft": {}} for u, _, _ in users])
        await s.execute(insert(DevelopmentRecord), [{"user_id": u, "stage": "candidate", "step": step, "warnings": [],
                                                     "milestones": {"activist_at": "2025-03-01"}} for u, _, _ in users])
        rec = dict((await s.execute(select(DevelopmentRecord.user_id, DevelopmentRecord.id)
                                    .where(DevelopmentRecord.user_id.in_([u for u, _, _ in users])))).all())
        if task:
            await s.execute(insert(Task), [{"record_id": rec[u], "stage": "candidate", "step": step, "key": "political_review",
                                            "period": 0, "title": "政治审查", "status": "open", "required": True,
                                            "source_type": "", "created_at": utcnow()} for u, _, _ in users])
        await s.commit()
        return [(rec[u], name, no) for u, name, no in users]


async def _filled(app, review_id: int) -> None:
    """Everyone on the review filled two relatives; the committee confirmed (state 下发函调信)."""
    from sqlalchemy import select, update

    from core.workflow.models import Batch, BatchEntry

    async with app.state.db.sessionmaker() as s:
        entries = (await s.execute(select(BatchEntry).where(BatchEntry.batch_id == review_id))).scalars().all()
        for e in entries:
            e.data = {"relatives": [
                {"name": f"亲属甲{e.id}", "relation": "父亲", "work_unit": "某某市某某区人民政府", "political_status": "中共党员",
                 "phone": "13800000000"},
                {"name": f"亲属乙{e.id}", "relation": "母亲", "work_unit": "某某县第一中学", "political_status": "群众",
                 "phone": "0571-88886666"}], "filled_at": "2026-05-01T10:00:00+08:00"}
        await s.execute(update(Batch).where(Batch.id == review_id).values(state="letters"))
        await s.commit()


def run(results: list[dict]) -> None:
    env = bench_env()
    app, client = _candidate_env(env)
    branch = env.auth(BRANCH_ADMIN)
    committee = env.auth(COMMITTEE)
    branch_id = client.get("/api/mp/v1/me", headers=branch).json()["party_branch_id"]

    people = client.portal.call(_people, app, branch_id, 500, "bs", "symposium", False)
    ids = ",".join(str(r) for r, _, _ in people)
    held = (date.today() - timedelta(days=1)).isoformat() + "T14:30:00"
    r = client.post(f"{API}/symposium", headers=branch, json={"record_ids": [r for r, _, _ in people], "held_at": held,
                                                                "place": "学院会议室"})
    r.raise_for_status()
    sid = r.json()["data"]["id"]
    timings = []
    for _ in range(3):
        t0 = time.perf_counter()
        r = client.get(f"{API}/symposium/{sid}/forms", headers=branch, params={"record_ids": ids})
        timings.append(time.perf_counter() - t0)
        r.raise_for_status()
    log(f"symposium_export_500_forms_s: {sorted(timings)} ({len(r.content) // 1024} KB); {machine_load()}")
    figure(results, "symposium_export_500_forms_s", sorted(timings)[1], "s", 5, "lower")

    files = [("files", (f"{name}{no}.jpg", SCAN, "image/jpeg")) for _, name, no in people]
    t0 = time.perf_counter()
    r = client.post(f"{API}/symposium/{sid}/scans", headers=branch, data={"record_ids": ids}, files=files)
    took = time.perf_counter() - t0
    r.raise_for_status()
    assert r.json()["data"]["count"] == 500
    log(f"symposium_upload_500_files_s: {took:.2f} s ({len(SCAN) * 500 // 1024 // 1024} MB); {machine_load()}")
    figure(results, "symposium_upload_500_files_s", took, "s", 5, "lower")

    candidates = client.portal.call(_people, app, branch_id, 250, "bp", "cultivation", True)
    r = client.post(f"{API}/political-review", headers=committee, json={"title": "压测政审"})
    review = r.json()["data"]["id"]
    client.put(f"{API}/political-review/{review}/people", headers=committee,
               json={"record_ids": [r for r, _, _ in candidates]}).raise_for_status()
    client.post(f"{API}/political-review/{review}/confirm-list", headers=committee).raise_for_status()
    client.portal.call(_filled, app, review)
    body = {"recipient": "王老师", "phone": "010-62780000", "address": "学院党委办公室", "signature_date": date.today().isoformat()}
    t0 = time.perf_counter()
    r = client.post(f"{API}/political-review/{review}/letters", headers=committee, json=body)
    took = time.perf_counter() - t0
    r.raise_for_status()
    assert r.json()["data"]["letter_count"] == 500
    log(f"inquiry_letters_500_s: {took:.2f} s; {machine_load()}")
    figure(results, "inquiry_letters_500_s", took, "s", 5, "lower")
