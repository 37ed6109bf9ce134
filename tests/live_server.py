"""A private `xianfeng run` on a free 127.0.0.1 port, for tests that need a real server process
(started from a chosen working directory, with its own SQLite file)."""
from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def xianfeng_command() -> list[str]:
    exe = Path(sys.executable).with_name("xianfeng")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "core.cli"]


def wait_healthy(base: str, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"xianfeng run exited with {proc.returncode}:\n{log.read_text('utf-8', 'replace')}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                if json.load(r).get("status") == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server not healthy after {timeout}s:\n{log.read_text('utf-8', 'replace')}")


@contextlib.contextmanager
def running_server(cwd: Path, data_dir: Path, **env_extra: str):
    """Yield the base URL of `xianfeng run` started in ``cwd`` with its data in ``data_dir``."""
    env = {k: v for k, v in os.environ.items() if k not in ("XIANFENG_DATABASE_URL", "XIANFENG_SETTINGS_FILE")}
    env.update(XIANFENG_DATA_DIR=str(data_dir), XIANFENG_BCRYPT_ROUNDS="4", XIANFENG_ENV="test",
               PYTHONUNBUFFERED="1", **env_extra)
    port = free_port()
    log = data_dir.parent / f"server-{port}.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(xianfeng_command() + ["run", "--host", "127.0.0.1", "--port", str(port)], cwd=cwd,
                                env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc, log)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def threaded_server(settings):
    """Yield the base URL of the app of ``settings`` served by uvicorn in a thread of this
    process (the suite's database kind), for tests that need real concurrent connections."""
    import threading

    import uvicorn

    from core.app import create_app

    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def add_users(settings, usernames: list[str], password: str, name: str) -> None:
    """Accounts with ``password`` written straight into the database of ``settings``."""
    import asyncio

    from core.db import Database
    from core.models import User
    from core.security import hash_password

    async def add():
        db = Database(settings)
        try:
            hashed = hash_password(password, settings.bcrypt_rounds)
            async with db.sessionmaker() as s:
                s.add_all([User(username=u, name=name, password_hash=hashed) for u in usernames])
                await s.commit()
        finally:
            await db.dispose()

    asyncio.run(add())


@contextlib.contextmanager
def demo_server(data_dir: Path, students: int, password: str, **env_extra: str):
    """``xianfeng init`` and ``xianfeng demo --bare`` (the demo college with ``students``
    students) into ``data_dir``, then yield the base URL of `xianfeng run` serving it from the
    repository root; ``env_extra`` (plugins added or disabled) applies to all three."""
    root = Path(__file__).resolve().parent.parent
    env = {k: v for k, v in os.environ.items() if k not in ("XIANFENG_DATABASE_URL", "XIANFENG_SETTINGS_FILE")}
    env.update(XIANFENG_DATA_DIR=str(data_dir), XIANFENG_BCRYPT_ROUNDS="4", XIANFENG_ENV="test", **env_extra)
    for args in (["init"], ["demo", "--bare", "--students", str(students), "--password", password]):
        done = subprocess.run(xianfeng_command() + args, cwd=root, env=env, capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, f"xianfeng {args[0]} failed:\n{done.stdout}\n{done.stderr}"
    with running_server(root, data_dir, **env_extra) as base:
        yield base
