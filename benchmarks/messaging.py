"""Messaging figures: outbox write cost inside an action, and worker delivery throughput.

``run(results)`` appends two figures. It uses a throwaway SQLite database and the Redis of
XIANFENG_REDIS_URL (``make bench`` starts one); without it, a private redis-server.
"""
from __future__ import annotations

import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

N_DELIVER = 10_000
N_RECIPIENTS = 1_000


def _own_redis(tmp: Path) -> tuple[str, subprocess.Popen]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(port), "--bind",
                             "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(tmp)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    for _ in range(100):
        try:
            if redis.Redis(port=port).ping():
                break
        except redis.ConnectionError:
            time.sleep(0.05)
    return f"redis://127.0.0.1:{port}/0", proc


async def _measure(settings) -> tuple[float, float]:
    from sqlalchemy import func, select

    from core import outbox
    from core.db import Database
    from core.jobs import run_burst
    from core.plugins import Plugins
    from plugins.messaging.models import Message

    plugins = Plugins(settings)
    plugins.collect("xf_models")
    db = Database(settings)
    await db.upgrade(plugins)
    outbox.configure(None)  # measure the database write only (the kick runs after the commit)
    try:
        # 1. the extra time an action spends writing its outbox rows for 1,000 recipients
        times = []
        for round_ in range(7):
            ids = list(range(1_000_000 + round_ * N_RECIPIENTS, 1_000_000 + (round_ + 1) * N_RECIPIENTS))
            async with db.sessionmaker() as session:
                t0 = time.perf_counter()
                await outbox.notify(session, ids, "请按时上传思想汇报", "本月思想汇报截止日期为 25 日。", "urge",
                                    "/admin/x", object_type="report", object_id=round_)
                await session.commit()
                times.append((time.perf_counter() - t0) * 1000)
        write_ms = statistics.median(times[1:])  # first round warms up the connection

        # 2. one worker delivers a batch of 10,000 (plus the 7,000 above)
        async with db.sessionmaker() as session:
            await outbox.notify(session, range(1, N_DELIVER + 1), "支部大会通知", "请于周五下午参加支部大会。", "notice")
            await session.commit()
            pending = (await session.execute(select(func.count()).select_from(outbox.OutboxMessage)
                                             .where(outbox.OutboxMessage.status == "pending"))).scalar_one()
        t0 = time.perf_counter()
        await run_burst(settings, plugins, redis_url=settings.redis_url)
        elapsed = time.perf_counter() - t0
        async with db.sessionmaker() as session:
            shown = (await session.execute(select(func.count()).select_from(Message))).scalar_one()
        assert shown == pending, f"delivered {shown} of {pending}"
        return pending / elapsed, write_ms
    finally:
        await db.dispose()


def run(results: list) -> None:
    from core.settings import Settings

    tmp = Path(tempfile.mkdtemp(prefix="xf-bench-msg-"))
    proc = None
    url = os.environ.get("XIANFENG_REDIS_URL")
    try:
        if not url:
            url, proc = _own_redis(tmp)
        settings = Settings(env="test", data_dir=tmp, database_url="", redis_url=url, secret_key="bench-" + "x" * 32)
        per_s, write_ms = asyncio.run(_measure(settings))
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)
    from benchmarks import figure

    figure(results, "messages_delivered_per_s", per_s, "messages/s", 2000, "higher")
    figure(results, "outbox_write_1000_recipients_ms", write_ms, "ms", 50, "lower")


if __name__ == "__main__":
    out: list = []
    run(out)
    for r in out:
        print(f"{r['name']:<36}{r['value']:>12} {r['unit']:<12} goal {r['goal']} ({r['better']} is better)")
