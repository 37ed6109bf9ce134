"""Issue 11, semester start: a burst of logins must not starve the rest of the server.

A real uvicorn server (in a thread, on the suite's database kind) with a pool of ONE database
connection: a login must give it back before bcrypt runs, or /healthz (which needs it) could
only answer once the login is done. bcrypt runs on hashing threads, at most one per core, at
a lower scheduling priority than the event loop.
"""
import asyncio
import os
import threading
import time

import httpx
import pytest

from tests.conftest import make_settings, unique
from tests.live_server import add_users, threaded_server

SLOW_ROUNDS = 13  # ~0.5 s per check: long enough that an answer during it is unambiguous


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    settings = make_settings(tmp_path_factory.mktemp("burst"), db_pool_size=1, db_max_overflow=0, bcrypt_rounds=SLOW_ROUNDS)
    with threaded_server(settings) as base:
        yield settings, base


def test_healthz_answers_while_a_login_hashes_on_a_one_connection_pool(live):
    settings, base = live
    name, password = unique("burst"), "Right@2026x"
    add_users(settings, [name], password, "开学登录")

    async def scenario():
        async with httpx.AsyncClient(base_url=base, timeout=60) as c:
            login = asyncio.create_task(c.post("/api/mp/v1/auth/login", json={"username": name, "password": password}))
            await asyncio.sleep(0.15)  # the login is past its statements and into bcrypt
            health = await c.get("/healthz")
            still_hashing = not login.done()
            return health, still_hashing, await login

    health, still_hashing, login = asyncio.run(scenario())
    assert health.status_code == 200 and health.json()["status"] == "ok", health.text
    assert still_hashing, "/healthz answered only after the login: the login held the only connection while bcrypt ran"
    assert login.status_code == 200, login.text


def test_concurrent_logins_hash_on_at_most_one_lower_priority_thread_per_core(live):
    settings, base = live
    password = "Right@2026x"
    names = [unique("burst") for _ in range(6)]
    add_users(settings, names, password, "开学登录")
    seen: dict[int, int] = {}
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            for t in threading.enumerate():
                if t.name.startswith("xf-bcrypt") and t.native_id:
                    try:
                        seen[t.native_id] = os.getpriority(os.PRIO_PROCESS, t.native_id)
                    except OSError:
                        pass
            time.sleep(0.01)

    async def burst():
        async with httpx.AsyncClient(base_url=base, timeout=120) as c:
            return await asyncio.gather(*(c.post("/api/mp/v1/auth/login", json={"username": n, "password": password})
                                          for n in names))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        answers = asyncio.run(burst())
    finally:
        stop.set()
        watcher.join()
    assert [r.status_code for r in answers] == [200] * len(names), [r.text for r in answers]
    assert 1 <= len(seen) <= len(os.sched_getaffinity(0)), seen
    assert all(nice > os.getpriority(os.PRIO_PROCESS, 0) for nice in seen.values()), seen
