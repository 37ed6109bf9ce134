"""The job runtime against a real redis-server and a real arq worker (burst mode, in process).

Each test starts its own redis-server on a free port (it may stop and restart it), so the
shared Redis of `make test` is never touched. The worker uses the test app's database.
"""
from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import time
from datetime import timedelta

import pytest
import redis
from arq import cron
from arq.connections import RedisSettings, create_pool
from sqlalchemy import func, select

from core import outbox, timers
from core.hookspecs import hookimpl
from core.jobs import run_burst
from core.models import utcnow
from core.plugins import Plugins
from plugins.messaging.models import Message
from tests.conftest import unique

pytestmark = pytest.mark.filterwarnings("ignore:Call to deprecated close:DeprecationWarning")

REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A private, non-persistent redis-server that a test can stop and start again."""

    def __init__(self):
        self.port = _free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen([REDIS, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                if client.ping():
                    client.close()
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server on port {self.port} did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    previous = outbox.configure(server.url)  # the app's after-commit kicks go to this Redis
    yield server
    outbox.configure(previous)
    server.stop()


def burst(app, redis_server, *extra_plugins, **kw):
    """Run one burst worker (fresh plugin set plus ``extra_plugins``) in its own event loop."""
    plugins = Plugins(app.state.settings)
    for i, p in enumerate(extra_plugins):
        plugins.pm.register(p, name=f"test_extra_{i}")

    async def go():
        try:
            return await run_burst(app.state.settings, plugins, redis_url=redis_server.url, **kw)
        finally:
            outbox.configure(redis_server.url)

    return asyncio.run(go())


def in_db(client, fn):
    async def go():
        async with client.app.state.db.sessionmaker() as session:
            return await fn(session)

    return client.portal.call(go)


def titles(api, title) -> int:
    items = api.get("/api/mp/v1/messages", params={"per_page": 200}).json()["items"]
    return [m["title"] for m in items].count(title)


def outbox_row(client, title):
    async def go(session):
        row = (await session.execute(select(outbox.OutboxMessage).where(outbox.OutboxMessage.title == title))).scalar_one()
        attempts = list((await session.execute(select(outbox.DeliveryAttempt).where(
            outbox.DeliveryAttempt.outbox_id == row.id).order_by(outbox.DeliveryAttempt.id))).scalars())
        return row, attempts

    return in_db(client, go)


def test_action_creates_message_and_worker_delivers_it(client, app, redis_server, branch_a, student_a):
    title = unique("请参加支部大会")
    r = branch_a.post("/api/pc/v1/messages/urge", json={"user_ids": [student_a.user["id"]], "item_key": unique("m:"), "title": title})
    assert r.status_code == 200, r.text
    # the after-commit kick queued the delivery job in Redis
    probe = redis.Redis(port=redis_server.port)
    deadline = time.monotonic() + 5
    while not probe.exists(f"arq:job:{outbox.DELIVER_JOB}") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert probe.exists(f"arq:job:{outbox.DELIVER_JOB}")
    assert titles(student_a, title) == 0  # not delivered until the worker runs
    worker = burst(app, redis_server)
    assert worker.jobs_complete >= 1 and worker.jobs_failed == 0
    assert titles(student_a, title) == 1
    row, attempts = outbox_row(client, title)
    assert row.status == "done" and [(a.channel, a.ok) for a in attempts] == [("inapp", True)]
    assert probe.zcard("arq:queue") == 0
    probe.close()


def test_redis_down_action_succeeds_and_is_delivered_once_later(client, app, redis_server, branch_a, student_a2):
    redis_server.stop()
    title = unique("Redis 停止时的提醒")
    started = time.monotonic()
    r = branch_a.post("/api/pc/v1/messages/urge", json={"user_ids": [student_a2.user["id"]], "item_key": unique("d:"), "title": title})
    assert r.status_code == 200 and r.json()["data"]["sent"] == [student_a2.user["id"]]
    assert time.monotonic() - started < 5  # not held up by the missing Redis
    assert client.portal.call(outbox.kick) is False  # Redis really is down
    assert titles(student_a2, title) == 0
    redis_server.start()
    burst(app, redis_server)
    burst(app, redis_server)  # running again delivers nothing twice
    assert titles(student_a2, title) == 1
    row, attempts = outbox_row(client, title)
    assert row.status == "done" and row.attempts == 1 and len(attempts) == 1

    async def count(session):
        return (await session.execute(select(func.count()).select_from(Message).where(Message.title == title))).scalar_one()

    assert in_db(client, count) == 1


class FlakyChannel:
    """Fails twice for the watched title, then succeeds."""

    name = "flaky"

    def __init__(self, title):
        self.title, self.calls, self.delivered = title, 0, []

    async def deliver(self, message, session):
        if message.title == self.title:
            self.calls += 1
            if self.calls <= 2:
                raise ConnectionError("channel unavailable")
            self.delivered.append(message.key)


class ChannelPlugin:
    def __init__(self, channel):
        self.channel = channel

    @hookimpl
    def xf_channels(self):
        return [self.channel]


def test_hook_xf_channels(client, app, redis_server, committee, student_a):
    """A channel that fails twice then succeeds: delivered once, every attempt recorded, and
    the in-app channel is not held back by it."""
    title = unique("渠道重试")
    flaky = FlakyChannel(title)
    r = committee.post("/api/pc/v1/messages/urge", json={"user_ids": [student_a.user["id"]], "item_key": unique("c:"), "title": title})
    assert r.status_code == 200
    now = lambda n: timedelta(0)  # noqa: E731  (retry at once, so three bursts are three attempts)
    burst(app, redis_server, ChannelPlugin(flaky), retry_delay=now)
    assert titles(student_a, title) == 1  # in-app delivered although flaky failed
    row, attempts = outbox_row(client, title)
    assert row.status == "pending" and row.channels_done == "inapp" and "channel unavailable" in row.last_error
    burst(app, redis_server, ChannelPlugin(flaky), retry_delay=now)
    burst(app, redis_server, ChannelPlugin(flaky), retry_delay=now)
    burst(app, redis_server, ChannelPlugin(flaky), retry_delay=now)  # done: nothing more
    assert flaky.calls == 3 and len(flaky.delivered) == 1
    row, attempts = outbox_row(client, title)
    assert row.status == "done" and row.attempts == 3
    assert sorted((a.channel, a.attempt, a.ok) for a in attempts) == [
        ("flaky", 1, False), ("flaky", 2, False), ("flaky", 3, True), ("inapp", 1, True)]
    assert titles(student_a, title) == 1


def test_backoff_delays_the_retry():
    assert outbox.backoff(1) == timedelta(seconds=10) and outbox.backoff(3) == timedelta(seconds=40)
    assert outbox.backoff(30) == timedelta(hours=1)


CALLS: list = []


async def xf_test_echo(ctx, n):
    CALLS.append(("echo", n))
    return n * 2


async def xf_test_timer_job(ctx, object_ref, payload):
    assert ctx["sessionmaker"] is not None
    CALLS.append(("timer", object_ref, payload, utcnow()))


async def xf_test_cron(ctx):
    CALLS.append(("cron",))


class JobsPlugin:
    @hookimpl
    def xf_jobs(self):
        return [xf_test_echo, xf_test_timer_job]

    @hookimpl
    def xf_cron_jobs(self):
        return [cron(xf_test_cron, hour={3}, minute={7}, run_at_startup=True)]


def test_hook_xf_jobs(app, redis_server):
    CALLS.clear()

    async def enqueue():
        pool = await create_pool(RedisSettings.from_dsn(redis_server.url))
        await pool.enqueue_job("xf_test_echo", 21)
        await pool.aclose()

    asyncio.run(enqueue())
    worker = burst(app, redis_server, JobsPlugin())
    assert ("echo", 21) in CALLS and worker.jobs_failed == 0
    assert "xf_test_echo" in worker.functions and "xf_deliver_outbox" in worker.functions


def test_hook_xf_cron_jobs(app, redis_server):
    CALLS.clear()
    burst(app, redis_server, JobsPlugin())
    assert CALLS.count(("cron",)) == 1


def test_timer_fires_at_its_time_and_not_before(client, app, redis_server):
    CALLS.clear()
    ref = unique("publicity:")
    run_at = utcnow() + timedelta(seconds=3)

    async def schedule(session):
        t = await timers.schedule(session, "xf_test_timer_job", ref, run_at, {"to": "公示期结束"})
        await session.commit()
        return t.id

    timer_id = in_db(client, schedule)
    burst(app, redis_server, JobsPlugin())
    if utcnow() < run_at:  # (always, unless the machine took > 3 s for one burst)
        assert not [c for c in CALLS if c[0] == "timer"]  # too early
        assert in_db(client, lambda s: s.get(timers.Timer, timer_id)).status == "pending"
    time.sleep(max(0.0, (run_at - utcnow()).total_seconds()) + 0.1)
    burst(app, redis_server, JobsPlugin())
    burst(app, redis_server, JobsPlugin())
    fired = [c for c in CALLS if c[0] == "timer"]
    assert len(fired) == 1 and fired[0][1:3] == (ref, {"to": "公示期结束"}) and fired[0][3] >= run_at

    async def state(session):
        await session.rollback()
        return await session.get(timers.Timer, timer_id)

    t = in_db(client, state)
    assert t.status == "done" and t.fired_at >= run_at
