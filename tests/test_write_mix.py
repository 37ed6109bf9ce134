"""Issue 11: a write-heavy mix against a real server gives no error answers, on the suite's
database kind (its SQLite file, or the PostgreSQL of `make test-pg`).

`xianfeng run --workers 2` (two processes on one database, as installed) serves the session's
database while 12 students at once save profile drafts, change their phone number and read
/me, their to-dos, messages and profile, in a loop. SQLite answers "database is locked" when a
write cannot get the lock in time: every answer must be a success, and each student's last
write must be what the database holds afterwards.
"""
import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import DEMO_PASSWORD
from tests.live_server import free_port, xianfeng_command

ROUNDS = 8
STUDENTS = 12


@pytest.fixture(scope="module")
def server(client, settings, tmp_path_factory):
    """`xianfeng run` with two workers on the session's database (the demo college is loaded)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("XIANFENG_") or k == "XIANFENG_REDIS_URL"}
    env.update(XIANFENG_DATA_DIR=str(settings.data_dir), XIANFENG_DATABASE_URL=settings.database_url,
               XIANFENG_SECRET_KEY=settings.secret_key, XIANFENG_BCRYPT_ROUNDS=str(settings.bcrypt_rounds),
               XIANFENG_ENV="test", XIANFENG_ACCESS_LOG="false", PYTHONUNBUFFERED="1")
    port = free_port()
    log = tmp_path_factory.mktemp("mix") / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(xianfeng_command() + ["run", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
                                cwd=Path(__file__).resolve().parent.parent, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, log.read_text("utf-8", "replace")
            try:
                if httpx.get(base + "/healthz", timeout=2).json().get("status") == "ok":
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, log.read_text("utf-8", "replace")
            time.sleep(0.2)
        yield base, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _students(committee) -> list[str]:
    roles = committee.get("/api/pc/v1/users/role-options").json()["data"]["options"]
    student = next(o["value"] for o in roles if o["label"] == "学生")
    items = committee.get("/api/pc/v1/users", params={"per_page": 500, "role_id": student}).json()["data"]["items"]
    names = [u["username"] for u in sorted(items, key=lambda u: u["id"]) if (u["student_no"] or "").isdigit()]
    assert len(names) >= STUDENTS, names
    return names[:STUDENTS]


async def _student(c: httpx.AsyncClient, username: str, number: int, failures: list[str]) -> str:
    r = await c.post("/api/mp/v1/auth/login", json={"username": username, "password": DEMO_PASSWORD})
    assert r.status_code == 200, r.text
    h = {"Authorization": f"Bearer {r.json()['token']}"}
    name = r.json()["user"]["name"]
    phone = ""
    for i in range(ROUNDS):
        phone = f"139{number:04d}{i:04d}"
        calls = [c.post("/api/mp/v1/profile/draft", headers=h, json={"address": f"广州市天河区第{i}号"}),
                 c.put("/api/mp/v1/personal", headers=h, json={"name": name, "phone": phone, "email": ""}),
                 c.get("/api/mp/v1/me", headers=h), c.get("/api/mp/v1/todos", headers=h),
                 c.get("/api/mp/v1/messages", headers=h), c.get("/api/mp/v1/profile", headers=h)]
        for r in await asyncio.gather(*calls):  # one student's requests at once, like a busy client
            if r.status_code != 200:
                failures.append(f"{username} {r.request.method} {r.request.url.path} -> {r.status_code}: {r.text[:200]}")
    return phone


def test_profile_drafts_personal_updates_and_reads_at_once_give_no_errors(server, committee):
    base, log = server
    students = _students(committee)
    failures: list[str] = []

    async def mix():
        async with httpx.AsyncClient(base_url=base, timeout=60, limits=httpx.Limits(max_connections=64)) as c:
            return await asyncio.gather(*(_student(c, u, n, failures) for n, u in enumerate(students)))

    last_phones = asyncio.run(mix())
    assert not failures, "\n".join(failures[:20])
    assert "database is locked" not in log.read_text("utf-8", "replace")
    for username, phone in zip(students, last_phones):
        found = committee.get("/api/pc/v1/users", params={"username": username}).json()["data"]["items"]
        assert [u["phone"] for u in found if u["username"] == username] == [phone]
