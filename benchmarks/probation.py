"""Probation figures (issue 15): the general meeting's record of a vote costs the same SQL
statements for 50 and 500 people (``vote_record_50_statements`` = ``vote_record_500_statements``),
完成发展流程 checks 1,000 people in at most a second (``complete_check_1000_s``), and a meeting's
sign-in codes are scanned through a real server (``xianfeng run``, one worker) by many phones at
once at least 200 times a second (``meeting_sign_in_per_s``: 2,000 attendees, 32 at a time,
every scan answered 200).

The components run on the throwaway stages of tests/plugins/probation_stage.py (the stages'
real plugins disabled) over a small demo college: the figures do not depend on its size.
"""
from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from benchmarks import figure
from benchmarks.common import DEMO_PASSWORD, ROOT, SqlCounter, log, machine_load, ok_response

PLUGIN = "tests.plugins.probation_stage"
ORG_LIFE = "/api/pc/v1/development/org-life"
SCANS, CONCURRENCY = int(os.environ.get("XIANFENG_BENCH_SCANS", "2000")), 32


class Env:
    """A demo college with the throwaway stages, an in-process app over it (same secret as the server)."""

    def __init__(self):
        from fastapi.testclient import TestClient

        from core.app import create_app
        from core.settings import PluginSettings, Settings
        from tests.probation_helpers import stage_owners

        self.tmp = Path(tempfile.mkdtemp(prefix="xianfeng-probation-"))
        self.disabled = stage_owners(self.tmp)
        self.env = {k: v for k, v in os.environ.items() if k not in ("XIANFENG_DATABASE_URL", "XIANFENG_DATA_DIR")}
        self.env.update(XIANFENG_DATA_DIR=str(self.tmp), XIANFENG_PLUGINS__EXTRA=json.dumps([PLUGIN]),
                        XIANFENG_PLUGINS__DISABLED=json.dumps(self.disabled), PYTHONPATH=str(ROOT))
        cli = [str(Path(sys.executable).with_name("xianfeng"))]
        for args in (["init"], ["demo", "--bare", "--students", "200", "--password", DEMO_PASSWORD, "--show-students", "0"]):
            done = subprocess.run(cli + args, cwd=ROOT, env=self.env, capture_output=True, text=True)
            if done.returncode:
                raise RuntimeError(f"xianfeng {args[0]} failed:\n{done.stdout}\n{done.stderr}")
        settings = Settings(data_dir=self.tmp, database_url=f"sqlite+aiosqlite:///{(self.tmp / 'xianfeng.db').resolve()}",
                            plugins=PluginSettings(extra=[PLUGIN], disabled=self.disabled))
        self.app = create_app(settings)
        self.client = TestClient(self.app)
        self.client.__enter__()
        self.sql = SqlCounter(self.app.state.db.engine)
        self.headers = {"Authorization": f"Bearer {self.login('zhibu04')}"}
        self.branch_id = self.get("/api/mp/v1/me")["party_branch_id"]

    def close(self) -> None:
        self.client.__exit__(None, None, None)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def login(self, username: str) -> str:
        r = self.client.post("/api/mp/v1/auth/login", json={"username": username, "password": DEMO_PASSWORD})
        ok_response(r)
        return r.json()["token"]

    def call(self, method: str, url: str, body=None) -> dict:
        r = self.client.request(method, url, json=body, headers=self.headers)
        ok_response(r)
        return r.json()

    def get(self, url: str) -> dict:
        return self.call("GET", url)

    def run(self, fn):
        async def go():
            async with self.app.state.db.sessionmaker() as s:
                result = await fn(s)
                await s.commit()
                return result
        return self.client.portal.call(go)

    # --- data -----------------------------------------------------------------------------------

    def users(self, n: int, prefix: str, status: str) -> list[int]:
        from sqlalchemy import insert, select

        from core.models import Role, StudentProfile, User, UserRole

        async def make(s):
            await s.execute(insert(User), [{"username": f"{prefix}{i:05d}", "name": f"压测{prefix}{i}", "password_hash": "",
                                            "party_branch_id": self.branch_id, "student_no": f"{prefix}{i:05d}"} for i in range(n)])
            ids = (await s.execute(select(User.id).where(User.username.like(f"{prefix}%")).order_by(User.id))).scalars().all()
            role = (await s.execute(select(Role.id).where(Role.key == "student"))).scalar_one()
            await s.execute(insert(UserRole), [{"user_id": u, "role_id": role} for u in ids])
            await s.execute(insert(StudentProfile), [{"user_id": u, "complete": True, "birth_date": date(2000, 1, 1), "draft": {},
                                                      "political_status": status} for u in ids])
            return list(ids)
        return self.run(make)

    def records(self, user_ids: list[int], stage: str, step: str, milestones: dict | None = None) -> list[int]:
        from sqlalchemy import insert, select

        from core.workflow.models import DevelopmentRecord

        async def make(s):
            await s.execute(insert(DevelopmentRecord), [{"user_id": u, "stage": stage, "step": step, "warnings": [],
                                                         "milestones": milestones or {}} for u in user_ids])
            found = dict((await s.execute(select(DevelopmentRecord.user_id, DevelopmentRecord.id)
                                          .where(DevelopmentRecord.user_id.in_(user_ids)))).all())
            return [found[u] for u in user_ids]
        return self.run(make)

    def shift(self, meeting_id: int, start: timedelta, end: timedelta) -> None:
        from sqlalchemy import update

        from core.workflow.models import Batch

        now = datetime.now(timezone.utc).replace(tzinfo=None)

        async def move(s):
            await s.execute(update(Batch).where(Batch.id == meeting_id).values(start_at=now + start, end_at=now + end))
        self.run(move)

    def meeting(self, *, vote: str = "", voters: list[int] = (), people: list[int] = ()) -> int:
        at = lambda m: (datetime.now(timezone.utc) + timedelta(minutes=m)).isoformat()  # noqa: E731
        mid = self.call("POST", ORG_LIFE, {"type": "general" if vote else "lecture", "title": f"压测会议{time.time_ns()}",
                                           "start_at": at(-10), "end_at": at(120), "place": "礼堂", "scope": "members",
                                           "has_vote": bool(vote), "vote": vote})["data"]["id"]
        if voters:
            self.call("PUT", f"{ORG_LIFE}/{mid}/voters", {"user_ids": list(voters)})
        if people:
            self.call("PUT", f"{ORG_LIFE}/{mid}/people", {"record_ids": list(people)})
        self.call("POST", f"{ORG_LIFE}/{mid}/publish")
        return mid


# --- figures ------------------------------------------------------------------------------------

def vote_record(env: Env, results: list[dict]) -> None:
    for n in (50, 500):
        voters = env.users(5, f"vv{n}x", "中共党员")
        people = env.records(env.users(n, f"vp{n}x", "共青团员"), "reception", "meeting")
        mid = env.meeting(vote="reception", voters=voters, people=people)
        env.shift(mid, timedelta(hours=-3), timedelta(hours=-2))
        env.call("POST", f"{ORG_LIFE}/{mid}/attendance", {"user_ids": voters, "action": "supplement"})
        env.call("POST", f"{ORG_LIFE}/{mid}/confirm-attendance")
        items = [{"record_id": rid, "outcome": "agree" if i % 4 else "reject", "yes": 4 if i % 4 else 1, "no": 1, "abstain": 0}
                 for i, rid in enumerate(people)]
        before, t0 = env.sql.count, time.perf_counter()
        data = env.call("POST", f"{ORG_LIFE}/{mid}/record", {"minutes": "压测", "items": items})["data"]
        seconds, statements = time.perf_counter() - t0, env.sql.count - before
        log(f"vote record of {n} people: {seconds:.3f}s, {statements} SQL statements, {data}")
        figure(results, f"vote_record_{n}_statements", statements, "statements", None, "lower")


def complete_check(env: Env, results: list[dict]) -> None:
    from core.workflow.documents import Paper, record_documents
    from core.workflow.models import DevelopmentRecord

    dates = {"form_submitted_at": "2024-03-01", "received_at": "2024-04-10", "committee_talked_at": "2024-05-01",
             "oath_at": "2024-06-01", "conversion_voted_at": "2025-04-12"}
    ids = env.records(env.users(1000, "cc", "中共预备党员"), "conversion", "complete", dates)

    async def papers(s):
        rows = [Paper(DevelopmentRecord(id=rid, user_id=0, stage=stage, step=step), kind, kind)
                for rid in ids for stage, step, kind in (("reception", "form", "application_form"),
                                                         ("reception", "meeting", "meeting_record"),
                                                         ("conversion", "cmeeting", "meeting_record"))]
        users = dict((await s.execute(DevelopmentRecord.__table__.select().with_only_columns(
            DevelopmentRecord.id, DevelopmentRecord.user_id).where(DevelopmentRecord.id.in_(ids)))).all())
        for p in rows:
            p.record.user_id = users[p.record.id]
        await record_documents(s, rows, created_by=None)
    env.run(papers)
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        data = env.call("POST", "/api/pc/v1/development/test-conversion/complete/check", {"record_ids": ids})["data"]
        times.append(time.perf_counter() - t0)
        assert data["ready"] == 1000, data["blocked"]
    log(f"complete_check_1000_s: {[round(t, 3) for t in times]}, median of 5; {machine_load()}")
    figure(results, "complete_check_1000_s", statistics.median(times), "s", 1, "lower")


async def _scan_all(base: str, meeting_id: int, code: str, tokens: list[str]) -> tuple[float, int, list[str]]:
    import httpx

    queue: asyncio.Queue = asyncio.Queue()
    for t in tokens:
        queue.put_nowait(t)
    errors: list[str] = []
    signed = 0
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as http:
        async def phone():
            nonlocal signed
            while not queue.empty():
                token = queue.get_nowait()
                r = await http.post(f"/api/mp/v1/development/org-life/{meeting_id}/sign-in", json={"code": code},
                                    headers={"Authorization": f"Bearer {token}"})
                if r.status_code == 200 and r.json()["attendance"]["status"] == "signed_in":
                    signed += 1
                else:
                    errors.append(f"{r.status_code} {r.text[:120]}")
        t0 = time.perf_counter()
        await asyncio.gather(*(phone() for _ in range(CONCURRENCY)))
        return time.perf_counter() - t0, signed, errors


def _server_cpu(pid: int) -> float:
    """CPU seconds (user + system) the server process has used."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sign_in(env: Env, results: list[dict]) -> None:
    """Scans through ``xianfeng run`` (one worker). Besides the rate, the server's own CPU time
    per scan: on a machine other processes keep busy the rate falls, the CPU time hardly moves
    (one worker's capacity is 1,000 / that many scans a second)."""
    from core.security import issue_token
    from tests.live_server import free_port, wait_healthy, xianfeng_command

    attendees = env.users(SCANS, "ss", "中共党员")
    mid = env.meeting()
    code = env.get(f"{ORG_LIFE}/{mid}/code/sign-in")["data"]["url"].split("code=", 1)[1]
    secret = env.app.state.settings.secret_key
    tokens = [issue_token(u, 0, secret, 60)[0] for u in attendees]
    warm, timed_tokens = tokens[:100], tokens[100:]
    port, log_file = free_port(), env.tmp / "server.log"
    with open(log_file, "w") as out:
        proc = subprocess.Popen(xianfeng_command() + ["run", "--host", "127.0.0.1", "--port", str(port)], cwd=ROOT,
                                env={**env.env, "XIANFENG_ENV": "test"}, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc, log_file)
        asyncio.run(_scan_all(base, mid, code, warm))
        cpu0 = _server_cpu(proc.pid)
        seconds, signed, errors = asyncio.run(_scan_all(base, mid, code, timed_tokens))
        cpu_ms = (_server_cpu(proc.pid) - cpu0) / max(signed, 1) * 1000
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    if errors:
        raise RuntimeError(f"{len(errors)} scans failed, e.g. {errors[:3]}")
    rate = signed / seconds
    log(f"meeting_sign_in_per_s: {signed} scans by {CONCURRENCY} phones at once in {seconds:.2f}s = {rate:.0f}/s; "
        f"server CPU {cpu_ms:.2f} ms per scan (one worker: {1000 / cpu_ms:.0f}/s); {machine_load()}")
    figure(results, "meeting_sign_in_per_s", rate, "scans/s", 200, "higher")
    figure(results, "meeting_sign_in_server_cpu_ms", cpu_ms, "ms", 5, "lower")


def run(results: list[dict]) -> None:
    env = Env()
    try:
        vote_record(env, results)
        complete_check(env, results)
        sign_in(env, results)
    finally:
        env.close()
