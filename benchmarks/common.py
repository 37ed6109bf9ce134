"""Shared benchmark set-up: one demo college in a temp data dir and an in-process app.

The data set is built with the real CLI (``xianfeng init`` and ``xianfeng demo``) in
subprocesses, so it is exactly what an operator gets. It always lives in its own SQLite
file (``XIANFENG_DATABASE_URL`` is ignored) and uses the bcrypt cost of settings.toml
(``XIANFENG_BCRYPT_ROUNDS`` is ignored) so login figures stay realistic.
"""
from __future__ import annotations

import atexit
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
DEMO_STUDENTS = int(os.environ.get("XIANFENG_BENCH_STUDENTS", "10000"))
DEMO_PASSWORD = "Demo@2026x"
_IGNORED_ENV = ("XIANFENG_DATABASE_URL", "XIANFENG_BCRYPT_ROUNDS", "XIANFENG_DATA_DIR")


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def _xianfeng() -> list[str]:
    exe = Path(sys.executable).with_name("xianfeng")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "core.cli"]


@dataclass
class BenchEnv:
    data_dir: Path
    app: object
    client: object  # fastapi.testclient.TestClient, entered
    tokens: dict[str, str] = field(default_factory=dict)
    sql: "SqlCounter | None" = None

    def token(self, username: str, password: str = DEMO_PASSWORD) -> str:
        if username not in self.tokens:
            r = self.client.post("/api/mp/v1/auth/login", json={"username": username, "password": password})
            r.raise_for_status()
            self.tokens[username] = r.json()["token"]
        return self.tokens[username]

    def auth(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(username)}"}


class SqlCounter:
    """Counts (and optionally keeps) the SQL statements the app's engine runs."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.count, self.keep, self.statements = 0, False, []
        event.listen(engine.sync_engine, "before_cursor_execute", self._on)

    def _on(self, conn, cursor, statement, parameters, context, executemany):
        self.count += 1
        if self.keep:
            self.statements.append((statement, parameters))

    @contextmanager
    def capture(self) -> Iterator[list]:
        self.statements, self.keep = [], True
        try:
            yield self.statements
        finally:
            self.keep = False


_env: BenchEnv | None = None


def bench_env() -> BenchEnv:
    """Build (once per process) the demo college and an in-process app over it."""
    global _env
    if _env is not None:
        return _env
    tmp = Path(tempfile.mkdtemp(prefix="xianfeng-bench-"))
    atexit.register(shutil.rmtree, tmp, True)
    env = {k: v for k, v in os.environ.items() if k not in _IGNORED_ENV}
    env["XIANFENG_DATA_DIR"] = str(tmp)
    cli = _xianfeng()
    for args in (["init"], ["demo", "--bare", "--students", str(DEMO_STUDENTS), "--password", DEMO_PASSWORD, "--show-students", "0"]):
        t0 = time.perf_counter()
        done = subprocess.run(cli + args, cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"xianfeng {args[0]} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        log(f"xianfeng {' '.join(args)}: {time.perf_counter() - t0:.1f}s")

    from fastapi.testclient import TestClient

    from core.app import create_app
    from core.settings import Settings

    settings = Settings(data_dir=tmp, database_url=f"sqlite+aiosqlite:///{(tmp / 'xianfeng.db').resolve()}",
                        secret_key=secrets.token_hex(32))  # tokens are issued and read by this app only
    log(f"database {settings.database_url}, bcrypt rounds {settings.bcrypt_rounds}")
    app = create_app(settings)
    client = TestClient(app)
    client.__enter__()  # run the lifespan once for the whole process
    atexit.register(client.__exit__, None, None, None)
    _env = BenchEnv(data_dir=tmp, app=app, client=client, sql=SqlCounter(app.state.db.engine))
    return _env


class Timings(list):
    """Wall-clock milliseconds per call; ``cpu`` holds this process's CPU milliseconds per call
    (client and in-process server together), which other processes' load does not inflate."""

    cpu: list[float]


def timed(call: Callable[[], object], n: int, warmup: int = 5, check: Callable[[object], None] | None = None) -> Timings:
    """Milliseconds of ``n`` calls (after ``warmup`` untimed ones); ``check`` validates each result."""
    for _ in range(warmup):
        r = call()
        if check:
            check(r)
    out, out.cpu = Timings(), []
    for _ in range(n):
        c0, t0 = time.process_time(), time.perf_counter()
        r = call()
        out.append((time.perf_counter() - t0) * 1000)
        out.cpu.append((time.process_time() - c0) * 1000)
        if check:
            check(r)
    return out


def machine_load() -> str:
    """The 1-minute load average against the CPU count; a loaded machine inflates wall-clock figures."""
    try:
        load, cpus = os.getloadavg()[0], os.cpu_count() or 1
    except OSError:
        return "load unknown"
    note = " (busy machine: wall-clock figures are inflated)" if load > cpus else ""
    return f"load average {load:.1f} on {cpus} CPUs{note}"


def summary(ms: list[float]) -> str:
    q = statistics.quantiles(ms, n=20) if len(ms) >= 2 else ms * 19
    text = f"n={len(ms)} median={statistics.median(ms):.2f} p95={q[-1]:.2f} min={min(ms):.2f} max={max(ms):.2f} ms"
    cpu = getattr(ms, "cpu", None)
    return text + (f", cpu median={statistics.median(cpu):.2f} ms" if cpu else "")


def ok_response(r) -> None:
    if r.status_code != 200:
        raise RuntimeError(f"{r.request.method} {r.request.url} -> {r.status_code}: {r.text[:300]}")
    body = r.json()
    if isinstance(body, dict) and body.get("status", 0) != 0:
        raise RuntimeError(f"{r.request.method} {r.request.url} -> status {body.get('status')}: {body.get('msg')}")
