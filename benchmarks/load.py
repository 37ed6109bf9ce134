"""Load figures (issue 11): the project through a real server under load, next to a bare app.

- ``load_ratio_<read>_c16`` / ``_c64``: requests per second of four hot reads (``me``,
  ``todos``, ``timeline``, ``users``) of ``xianfeng run`` (one worker) divided by those of the
  bare app (benchmarks/bare_app.py: the same JWT check and one SELECT on the same database,
  same uvicorn options), both on the 10,000-student college. Runs alternate project, bare,
  project, bare so the machine's noise cancels; c=1 is logged (one pair).
- ``load_errors``: error answers and socket errors over every run above (must be 0).
- ``healthz_p99_during_logins_ms``: /healthz sampled while 16 logins at a time run in a loop
  (bcrypt at the settings.toml cost), and ``logins_per_s_16`` their rate.
- ``load_scale_2_workers``: two workers against one, at c=64 (geometric mean of the reads;
  on PostgreSQL of ``me`` and ``users``).
- ``read_growth_50k_vs_10k``: for each read, the server's CPU time per request at 50,000
  students divided by that at 10,000 (alternating servers); the worst of the four.
- With ``XIANFENG_BENCH_PG_URL`` (``make bench`` starts a throwaway PostgreSQL; BENCH_PG=0 skips it):
  the ratios and the two-worker scale again on PostgreSQL (``..._pg``).

``XIANFENG_BENCH_LOAD_SECONDS`` (default 3) sets the length of one wrk run on SQLite (2 s on
PostgreSQL, 1 s at c=1).
"""
from __future__ import annotations

import asyncio
import http.client
import math
import os
import shutil
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import figure
from benchmarks.common import DEMO_PASSWORD, log, machine_load
from benchmarks.load_data import build, cli_env, sqlite_set
from benchmarks.servers import Server, login_script, wrk

SECONDS = float(os.environ.get("XIANFENG_BENCH_LOAD_SECONDS", "3"))
SMALL = int(os.environ.get("XIANFENG_BENCH_STUDENTS", "10000"))
BIG = int(os.environ.get("XIANFENG_BENCH_BIG_STUDENTS", "50000"))
GOAL_RATIO, GOAL_HEALTHZ_P99_MS, GOAL_GROWTH = 0.5, 20, 1.3
# The hot reads: path and which kind of account asks.
READS = {
    "me": ("/api/mp/v1/me", "student"),
    "todos": ("/api/mp/v1/todos", "talker"),
    "timeline": ("/api/mp/v1/development/timeline", "applicant"),
    "users": ("/api/pc/v1/users?page=1&per_page=20", "committee"),
}
BARE = "/bare/me"


@dataclass
class College:
    """One data set: where it lives and a token per kind of account (issued by its server)."""

    data_dir: Path
    env: dict[str, str]
    accounts: dict[str, str]
    tokens: dict[str, str] = field(default_factory=dict)

    def sign_in(self, server: Server) -> None:
        self.tokens = {kind: server.login(username, DEMO_PASSWORD) for kind, username in self.accounts.items()}
        for name, (path, kind) in READS.items():  # each read answers, and says what it measures
            body = server.get_json(path, self.tokens[kind])
            size = body.get("total", body.get("data", {}).get("total") if isinstance(body.get("data"), dict) else None)
            log(f"  {name}: {path} as {self.accounts[kind]}" + (f" (total {size})" if size is not None else ""))


async def _accounts(data_dir: Path, database_url: str) -> dict[str, str]:
    """Usernames of: any student, the talker with the most talks, a student whose record is at
    the talk step (a six-event timeline), and the college committee's demo account."""
    from sqlalchemy import func, select

    from core.db import Database
    from core.models import Role, User, UserRole
    from core.plugins import Plugins
    from core.settings import Settings
    from core.workflow.components.talk import Talk
    from core.workflow.models import Assignment, DevelopmentRecord

    settings = Settings(data_dir=data_dir, database_url=database_url)
    Plugins(settings).models()
    db = Database(settings)
    try:
        async with db.sessionmaker() as s:
            async def one(stmt) -> str:
                return (await s.execute(stmt.limit(1))).scalar_one()

            return {
                "student": await one(select(User.username).join(UserRole, UserRole.user_id == User.id)
                                     .join(Role, Role.id == UserRole.role_id).where(Role.key == "student").order_by(User.id)),
                "talker": await one(select(User.username).join(Assignment, Assignment.user_id == User.id)
                                    .join(Talk, (Talk.record_id == Assignment.record_id) & (Talk.role == Assignment.role))
                                    .where(Assignment.role == "talker").group_by(User.username)
                                    .order_by(func.count().desc(), User.username)),
                "applicant": await one(select(User.username).join(DevelopmentRecord, DevelopmentRecord.user_id == User.id)
                                       .where(DevelopmentRecord.step == "talk").order_by(User.id)),
                "committee": "dangwei",
            }
    finally:
        await db.dispose()


def college(data_dir: Path, database_url: str = "") -> College:
    env = cli_env(data_dir, database_url)
    return College(data_dir, env, asyncio.run(_accounts(data_dir, database_url)))


# --- measuring ----------------------------------------------------------------------------------

class Errors:
    count = 0


def _run(server: Server, path: str, token: str, connections: int, seconds: float = SECONDS) -> float:
    result = wrk(server.base + path, connections, seconds, token)
    if result.errors:
        log(f"  {result.errors} errors of {result.requests} requests: {server.name} {path} c={connections}")
        Errors.count += result.errors
    return result.rps


def alternate(a: tuple[Server, str, str], b: tuple[Server, str, str], connections: int, rounds: int = 2,
              seconds: float = SECONDS, warm: bool = True) -> tuple[float, float]:
    """Requests/s of ``a`` and ``b`` (server, path, token), run A B A B...; each side's mean."""
    if warm:  # both sides' connections, caches and prepared statements, before measuring
        for server, path, token in (a, b):
            _run(server, path, token, connections, 1)
    got_a, got_b = [], []
    for _ in range(rounds):
        got_a.append(_run(*a, connections, seconds))
        got_b.append(_run(*b, connections, seconds))
    return statistics.fmean(got_a), statistics.fmean(got_b)


def ratios(results: list[dict], project: Server, bare: Server, c: College, suffix: str = "", single: bool = True) -> None:
    for name, (path, kind) in READS.items():
        token = c.tokens[kind]
        runs = [(16, 2), (64, 2)] if not single else [(1, 1), (16, 2), (64, 2)]
        for n, (connections, rounds) in enumerate(runs):
            mine, theirs = alternate((project, path, token), (bare, BARE, token), connections, rounds,
                                     seconds=(SECONDS if single else 2) if connections > 1 else 1, warm=n == 0)
            ratio = mine / theirs
            log(f"{name}{suffix} c={connections}: {mine:.0f} vs bare {theirs:.0f} requests/s = {ratio:.2f}")
            if connections > 1:
                figure(results, f"load_ratio_{name}_c{connections}{suffix}", ratio, "× bare", GOAL_RATIO, "higher")


def scale(results: list[dict], one: Server, two: Server, c: College, suffix: str = "", reads: tuple = tuple(READS)) -> None:
    factors = []
    for name, (path, kind) in READS.items():
        if name not in reads:
            continue
        token = c.tokens[kind]
        with_two, with_one = alternate((two, path, token), (one, path, token), 64, seconds=2)
        factors.append(with_two / with_one)
        log(f"{name}{suffix} c=64: 2 workers {with_two:.0f}, 1 worker {with_one:.0f} requests/s = ×{with_two / with_one:.2f}")
    figure(results, f"load_scale_2_workers{suffix}", math.prod(factors) ** (1 / len(factors)), "×", None, "higher")


def healthz_during_logins(results: list[dict], server: Server, usernames: list[str], seconds: float = 8) -> None:
    def sample(stop: threading.Event, out: list[float]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        while not stop.is_set():
            t0 = time.perf_counter()
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            response.read()
            out.append((time.perf_counter() - t0) * 1000)
            if response.status != 200:
                Errors.count += 1
            time.sleep(0.01)
        conn.close()

    idle: list[float] = []
    stop = threading.Event()
    thread = threading.Thread(target=sample, args=(stop, idle))
    thread.start()
    time.sleep(2)
    stop.set()
    thread.join()
    script = login_script(usernames, DEMO_PASSWORD)
    busy: list[float] = []
    stop = threading.Event()
    thread = threading.Thread(target=sample, args=(stop, busy))
    try:
        thread.start()
        result = wrk(server.base + "/api/mp/v1/auth/login", 16, seconds, script=script)
    finally:
        stop.set()
        thread.join()
        script.unlink()
    if result.errors:
        log(f"  {result.errors} failed logins of {result.requests}")
        Errors.count += result.errors
    p99 = statistics.quantiles(busy, n=100)[-1]
    log(f"healthz alone: median {statistics.median(idle):.1f} ms, p99 {statistics.quantiles(idle, n=100)[-1]:.1f} ms "
        f"(the machine's own noise); during 16 concurrent logins: median "
        f"{statistics.median(busy):.1f} ms, p99 {p99:.1f} ms, max {max(busy):.1f} ms ({len(busy)} samples); "
        f"{result.rps:.1f} logins/s")
    figure(results, "healthz_p99_during_logins_ms", p99, "ms", GOAL_HEALTHZ_P99_MS, "lower")
    figure(results, "logins_per_s_16", result.rps, "1/s", None, "higher")


async def _students(data_dir: Path, database_url: str, n: int) -> list[str]:
    from sqlalchemy import select

    from core.db import Database
    from core.models import Role, User, UserRole
    from core.settings import Settings

    db = Database(Settings(data_dir=data_dir, database_url=database_url))
    try:
        async with db.sessionmaker() as s:
            return list((await s.execute(select(User.username).join(UserRole, UserRole.user_id == User.id)
                                         .join(Role, Role.id == UserRole.role_id).where(Role.key == "student")
                                         .order_by(User.id.desc()).limit(n))).scalars())
    finally:
        await db.dispose()


def cpu_per_request(server: Server, path: str, token: str, connections: int = 16, seconds: float = SECONDS) -> float:
    """Milliseconds of the server's CPU per request (SQLite runs inside the server process)."""
    before = server.cpu_seconds()
    result = wrk(server.base + path, connections, seconds, token)
    if result.errors:
        log(f"  {result.errors} errors of {result.requests} requests: {server.name} {path}")
        Errors.count += result.errors
    return (server.cpu_seconds() - before) * 1000 / max(1, result.requests)


def growth(results: list[dict], small: tuple[Server, College], big: tuple[Server, College]) -> None:
    """Per-request cost of each read at 10,000 and at 50,000 students: the server's CPU time per
    request (a shared machine's other load moves requests per second far more than this),
    alternating the two servers; the worst ratio of the four reads."""
    worst = 0.0
    for name, (path, kind) in READS.items():
        sides = ((small[0], path, small[1].tokens[kind]), (big[0], path, big[1].tokens[kind]))
        for server, p, token in sides:
            _run(server, p, token, 16, 1)
        costs = ([], [])
        for _ in range(2):
            for i, side in enumerate(sides):
                costs[i].append(cpu_per_request(*side))
        at_small, at_big = statistics.fmean(costs[0]), statistics.fmean(costs[1])
        worst = max(worst, at_big / at_small)
        log(f"{name}: {SMALL} students {at_small:.2f} ms, {BIG} students {at_big:.2f} ms of CPU per request = ×{at_big / at_small:.2f}")
    figure(results, "read_growth_50k_vs_10k", worst, "×", GOAL_GROWTH, "lower")


# --- the runs -----------------------------------------------------------------------------------

def _sqlite(results: list[dict]) -> None:
    small_dir, big_dir = sqlite_set(SMALL), None
    try:
        small = college(small_dir)
        with Server.project("project", small.env) as project, Server.bare("bare", small.env) as bare:
            small.sign_in(project)
            log(machine_load())
            ratios(results, project, bare, small)
            healthz_during_logins(results, project, asyncio.run(_students(small_dir, "", 64)))
            with Server.project("project-2-workers", small.env, workers=2) as two:
                scale(results, project, two, small)
            big_dir = sqlite_set(BIG)
            big = college(big_dir)
            with Server.project("project-50k", big.env) as project_big:
                big.sign_in(project_big)
                growth(results, (project, small), (project_big, big))
    finally:
        for d in (small_dir, big_dir):
            if d is not None:
                shutil.rmtree(d, ignore_errors=True)


def _postgresql(results: list[dict], url: str) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="xianfeng-load-pg-"))
    try:
        log(f"building the {SMALL}-student data set on PostgreSQL")
        build(data_dir, SMALL, url)
        c = college(data_dir, url)
        with Server.project("project-pg", c.env) as project, Server.bare("bare-pg", c.env) as bare:
            c.sign_in(project)
            ratios(results, project, bare, c, "_pg", single=False)
            with Server.project("project-pg-2-workers", c.env, workers=2) as two:
                scale(results, project, two, c, "_pg", reads=("me", "users"))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def run(results: list[dict]) -> None:
    Errors.count = 0
    _sqlite(results)
    url = os.environ.get("XIANFENG_BENCH_PG_URL", "")
    if url:
        _postgresql(results, url)
    else:
        log("XIANFENG_BENCH_PG_URL not set: PostgreSQL load figures skipped")
    figure(results, "load_errors", Errors.count, "errors", 0, "lower")
    log(machine_load())
