"""一人一档 figures (issue 16):

- ``dossier_full_member_ms``: one person's whole file as one PDF (cover with the 25 steps, a
  document for every registered step: scans as JPEG pages, stored two-page PDFs, talk records
  drawn from their text; ~30 documents, ~45 pages), in process, median of 10.
- ``dossier_batch_100_s``: a branch's 100 such people exported by the arq worker (a real
  ``xianfeng worker`` next to a real ``xianfeng run``), from the request to the zip.
- ``dossier_batch_healthz_p99_ms``: /healthz of that server sampled during the export: the web
  process is not blocked by the job.
"""
from __future__ import annotations

import http.client
import io
import json
import os
import statistics
import subprocess
import threading
import time
from datetime import date, timedelta

from benchmarks import figure
from benchmarks.common import ROOT, _xianfeng, bench_env, log, machine_load, ok_response, summary, timed

GOAL_FULL_MS = 1000
GOAL_HEALTHZ_P99_MS = 50
BRANCH_ADMIN = "zhibu04"
API = "/api/pc/v1/development/dossiers"


def _scan() -> bytes:
    """An A4 scan at 150 dpi as a JPEG (what a phone or copier sends), ~100 KB."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (1240, 1754), (250, 248, 240))
    d = ImageDraw.Draw(img)
    for y in range(150, 1650, 38):
        d.line((120, y, 1120, y), fill=(60, 60, 60), width=2)
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=80)
    return buf.getvalue()


def _form() -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for n in (1, 2):
        for y in range(750, 80, -20):
            c.drawString(60, y, f"form page {n} line {y}")
        c.showPage()
    c.save()
    return buf.getvalue()


async def _people(app, branch_id: int, n: int, prefix: str) -> list[int]:
    """``n`` people of the branch at the last registered step, every earlier step completed, and
    about 30 documents each (sharing three stored files)."""
    import secrets

    from sqlalchemy import insert, select

    from core.files import store_bytes
    from core.models import StudentProfile, User, utcnow
    from core.workflow.components.talk import Talk
    from core.workflow.models import Batch, BatchEntry, DevelopmentEvent, DevelopmentRecord, Document
    from core.workflow.stages import STAGE_ORDER

    registry, settings = app.state.engine.registry, app.state.settings
    steps = [(stage, s) for stage in STAGE_ORDER for s in registry.stage(stage).steps]
    last_stage, last = steps[-1][0], steps[-1][1]
    async with app.state.db.sessionmaker() as s:
        scan = await store_bytes(s, settings, _scan(), name="扫描件.jpg", owner_id=None, purpose="bench")
        form = await store_bytes(s, settings, _form(), name="表格.pdf", owner_id=None, purpose="bench")
        await s.flush()
        files = {"scan": [{"token": scan.token, "name": "扫描件.jpg", "url": "", "type": "jpg"}],
                 "form": [{"token": form.token, "name": "表格.pdf", "url": "", "type": "pdf"}]}
        await s.execute(insert(User), [{"username": f"{prefix}{i:04d}", "name": f"档案{prefix[-3:]}{i}", "password_hash": "",
                                        "party_branch_id": branch_id, "student_no": f"{prefix}{i:04d}"} for i in range(n)])
        users = (await s.execute(select(User.id).where(User.username.like(f"{prefix}%")).order_by(User.id))).scalars().all()
        await s.execute(insert(StudentProfile), [{"user_id": u, "complete": True, "birth_date": date(2003, 1, 1), "gender": "女",
                                                  "draft": {}} for u in users])
        await s.execute(insert(DevelopmentRecord), [{"user_id": u, "stage": last_stage, "step": last.key, "milestones": {},
                                                     "warnings": []} for u in users])
        records = dict((await s.execute(select(DevelopmentRecord.user_id, DevelopmentRecord.id)
                                        .where(DevelopmentRecord.user_id.in_(users)))).all())
        start = date(2023, 3, 1)
        events, docs, talks = [], [], []
        for u in users:
            rid = records[u]
            for k, (stage, step) in enumerate(steps[:-1]):
                day = start + timedelta(days=20 * k)
                events.append({"record_id": rid, "actor_name": "压测", "actor_role": "党支部管理员", "stage": stage, "step": step.key,
                               "action": "completed", "title": step.title, "note": "", "created_at": utcnow() - timedelta(days=900 - 20 * k)})
                kinds = ("scan", "form", "talk") if k % 2 == 0 else ("scan", "talk")
                for kind in kinds:
                    if kind == "talk":
                        talks.append((rid, u, stage, step.key, day))
                    else:
                        docs.append({"record_id": rid, "user_id": u, "stage": stage, "step": step.key, "kind": f"bench_{kind}",
                                     "title": f"{step.title}{'扫描件' if kind == 'scan' else '表格'}", "files": files[kind],
                                     "signed_date": day, "source_type": "", "created_at": utcnow()})
        await s.execute(insert(DevelopmentEvent), events)
        await s.execute(insert(Talk), [{"record_id": rid, "user_id": u, "kind": "bench_talk", "deadline": utcnow(), "talk_date": day,
                                        "place": "党员活动室", "status": "approved", "period": 0, "role": "talker", "by_proxy": False,
                                        "reason": "", "created_at": utcnow(), "updated_at": utcnow(),
                                        "content": f"第{secrets.randbelow(9) + 1}次谈话。" + "谈话人与其交流了入党动机、学习和工作情况。" * 12}
                                       for rid, u, stage, step, day in talks])
        talk_ids = (await s.execute(select(Talk.id).where(Talk.kind == "bench_talk", Talk.record_id.in_(list(records.values())))
                                    .order_by(Talk.id))).scalars().all()
        docs += [{"record_id": rid, "user_id": u, "stage": stage, "step": step, "kind": "talk_record", "title": "谈话记录",
                  "files": [], "signed_date": day, "source_type": "talk", "source_id": tid, "created_at": utcnow()}
                 for (rid, u, stage, step, day), tid in zip(talks, talk_ids)]
        await s.execute(insert(Document), docs)
        batch = Batch(kind="bench_dossier", stage=last_stage, step=last.key, branch_id=branch_id, title=f"压测批次{prefix}")
        s.add(batch)
        await s.flush()
        await s.execute(insert(BatchEntry), [{"batch_id": batch.id, "record_id": records[u], "user_id": u, "branch_id": branch_id,
                                              "data": {}} for u in users])
        await s.commit()
        return [records[u] for u in users], batch.id


def full_member(env, results: list[dict], branch_id: int) -> None:
    rid = env.client.portal.call(_people, env.app, branch_id, 1, "dsf")[0][0]
    h = env.auth("dangwei")

    def check(r):
        if r.status_code != 200 or not r.content.startswith(b"%PDF"):
            raise RuntimeError(f"dossier -> {r.status_code}: {r.text[:200]}")

    from pypdf import PdfReader

    first = env.client.get(f"{API}/records/{rid}", headers=h)
    check(first)
    reader = PdfReader(io.BytesIO(first.content))
    log(f"one full dossier: {len(reader.pages)} pages, {len(first.content) // 1024} KB, {len(reader.outline)} top bookmarks")
    ms = timed(lambda: env.client.get(f"{API}/records/{rid}", headers=h), 10, warmup=2, check=check)
    log(f"dossier full member: {summary(ms)}; {machine_load()}")
    figure(results, "dossier_full_member_ms", statistics.median(ms), "ms", GOAL_FULL_MS, "lower")


def _sample(port: int, stop: threading.Event, out: list[float]) -> None:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while not stop.is_set():
        s0 = time.perf_counter()
        c.request("GET", "/healthz")
        c.getresponse().read()
        out.append((time.perf_counter() - s0) * 1000)
        time.sleep(0.02)
    c.close()


def batch(env, results: list[dict], branch_id: int) -> None:
    from benchmarks.load_data import cli_env
    from benchmarks.servers import Server

    _, batch_id = env.client.portal.call(_people, env.app, branch_id, 100, "dsb")
    proc_env = cli_env(env.data_dir, "")
    worker_log = open(env.data_dir / "bench-worker.log", "w")
    worker = subprocess.Popen(_xianfeng() + ["worker"], cwd=ROOT, env={**proc_env, "PYTHONUNBUFFERED": "1"},
                              stdout=worker_log, stderr=subprocess.STDOUT)
    try:
        with Server.project("dossier", proc_env) as server:
            idle: list[float] = []
            stop = threading.Event()
            thread = threading.Thread(target=_sample, args=(server.port, stop, idle))
            thread.start()
            time.sleep(3)
            stop.set()
            thread.join()
            log(f"healthz before the export: median {statistics.median(idle):.1f} ms, p99 "
                f"{statistics.quantiles(idle, n=100)[-1]:.1f} ms (the machine's own noise)")
            token = server.login(BRANCH_ADMIN, "Demo@2026x")
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            conn.request("POST", f"{API}/exports", body=json.dumps({"batch_id": batch_id}), headers=headers)
            r = conn.getresponse()
            body = json.loads(r.read())
            if r.status != 200:
                raise RuntimeError(f"export -> {r.status}: {body}")
            export_id, total = body["data"]["id"], body["data"]["total"]
            t0 = time.perf_counter()
            samples: list[float] = []
            stop = threading.Event()
            thread = threading.Thread(target=_sample, args=(server.port, stop, samples))
            thread.start()
            state = "queued"
            try:
                while time.perf_counter() - t0 < 900:
                    conn.request("GET", f"{API}/exports/{export_id}", headers=headers)
                    state = json.loads(conn.getresponse().read())["data"]["state"]
                    if state in ("done", "failed"):
                        break
                    time.sleep(0.5)
            finally:
                stop.set()
                thread.join()
            seconds = time.perf_counter() - t0
            if state != "done":
                raise RuntimeError(f"export ended {state}; worker log {env.data_dir / 'bench-worker.log'}")
            p99 = statistics.quantiles(samples, n=100)[-1]
            log(f"dossier batch: {total} people in {seconds:.1f}s; healthz during it: median {statistics.median(samples):.1f} ms, "
                f"p99 {p99:.1f} ms, max {max(samples):.1f} ms ({len(samples)} samples); {machine_load()}")
            figure(results, "dossier_batch_100_s", seconds, "s", None, "lower")
            figure(results, "dossier_batch_healthz_p99_ms", p99, "ms", GOAL_HEALTHZ_P99_MS, "lower")
    finally:
        worker.terminate()
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
        worker_log.close()


def run(results: list[dict]) -> None:
    env = bench_env()
    branch_id = env.client.get("/api/mp/v1/me", headers=env.auth(BRANCH_ADMIN)).json()["party_branch_id"]
    full_member(env, results, branch_id)
    if os.environ.get("XIANFENG_REDIS_URL"):
        batch(env, results, branch_id)
    else:
        log("dossier batch skipped: no XIANFENG_REDIS_URL (make bench provides one)")
