"""Issue 8 security: the failed-login lock holds under real concurrency.

A real uvicorn server (in a thread, on a free 127.0.0.1 port, on the suite's database kind:
its own SQLite file, or the PostgreSQL of `make test-pg`) receives 20 wrong passwords at
once; afterwards the right password must be refused with the lock message, and no more than
``login_max_failures`` of the 20 may have been checked at all.
"""
import asyncio

import httpx
import pytest

from tests.conftest import make_settings, unique
from tests.live_server import add_users, threaded_server

MAX_FAILURES = 5


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    settings = make_settings(tmp_path_factory.mktemp("lock"), login_max_failures=MAX_FAILURES)
    with threaded_server(settings) as base:
        yield settings, base


async def _burst(base: str, username: str, passwords: list[str]) -> list[httpx.Response]:
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=httpx.Limits(max_connections=len(passwords))) as c:
        return await asyncio.gather(*(c.post("/api/mp/v1/auth/login", json={"username": username, "password": p}) for p in passwords))


@pytest.mark.parametrize("existing", [True, False], ids=["real-account", "unknown-account"])
def test_parallel_wrong_passwords_cannot_outrun_the_lock(live, existing):
    settings, base = live
    name, right = unique("race"), "Right@2026x"
    if existing:
        add_users(settings, [name], right, "并发锁定")
    answers = asyncio.run(_burst(base, name, [f"Wrong@{i:04d}x" for i in range(20)]))
    codes = sorted(r.status_code for r in answers)
    assert set(codes) <= {401, 429}, codes
    assert codes.count(401) <= MAX_FAILURES, f"{codes.count(401)} wrong passwords were checked: {codes}"
    r = httpx.post(f"{base}/api/mp/v1/auth/login", json={"username": name, "password": right}, timeout=30)
    assert r.status_code == 429, r.text
    assert r.json()["msg"].startswith("登录失败次数过多") and "分钟后再试" in r.json()["msg"]


def test_a_right_password_within_the_limit_still_logs_in(live):
    settings, base = live
    name, right = unique("race"), "Right@2026x"
    add_users(settings, [name], right, "并发锁定")
    answers = asyncio.run(_burst(base, name, [f"Wrong@{i:04d}x" for i in range(MAX_FAILURES - 1)]))
    assert [r.status_code for r in answers] == [401] * (MAX_FAILURES - 1)
    r = httpx.post(f"{base}/api/mp/v1/auth/login", json={"username": name, "password": right}, timeout=30)
    assert r.status_code == 200, r.text
    # the success cleared the count: a fresh window starts
    answers = asyncio.run(_burst(base, name, [f"Wrong@{i:04d}x" for i in range(MAX_FAILURES - 1)]))
    assert [r.status_code for r in answers] == [401] * (MAX_FAILURES - 1)
