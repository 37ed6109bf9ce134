"""The arq worker (``xianfeng worker``): job functions and cron jobs come from every plugin
(hooks ``xf_jobs`` and ``xf_cron_jobs``), delivery channels from ``xf_channels``.

The core adds the outbox delivery job, a sweep (cron every few seconds, and once at
start-up) that delivers pending messages and fires due timers, and ``ping``. Every job
gets ``ctx`` with ``settings``, ``db`` (core.db.Database), ``sessionmaker``, ``plugins``,
``channels`` and ``functions`` (name -> coroutine of every job).
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, Callable

from arq import cron, func
from arq.connections import RedisSettings
from arq.cron import CronJob
from arq.worker import Function, Worker

from core import outbox, timers
from core.settings import Settings

log = logging.getLogger("xianfeng.jobs")
SWEEP_SECONDS = 5


async def ping(ctx) -> str:
    """A trivial job proving the worker runs; used by `xianfeng worker --check`."""
    return "pong"


async def deliver_outbox(ctx) -> dict:
    """Deliver every due outbox row on every channel (enqueued by the after-commit kick)."""
    return await outbox.deliver_pending(ctx["sessionmaker"], ctx["channels"], retry_delay=ctx["retry_delay"])


async def sweep(ctx) -> dict:
    """Catch-up: pending messages (a lost kick, a retry that came due) and due timers."""
    delivered = await outbox.deliver_pending(ctx["sessionmaker"], ctx["channels"], retry_delay=ctx["retry_delay"])
    fired = await timers.fire_due(ctx["sessionmaker"], ctx["functions"], ctx, retry_delay=ctx["retry_delay"])
    return {**delivered, **fired}


def _as_function(f: Any) -> Function:
    return f if isinstance(f, Function) else func(f)


def worker_options(settings: Settings, plugins=None, *, burst: bool = False, redis_url: str | None = None,
                   retry_delay: Callable[[int], timedelta] = outbox.backoff) -> dict:
    """Keyword arguments for ``arq.worker.Worker``. ``plugins`` defaults to the installed set."""
    from core.db import Database
    from core.plugins import Plugins

    plugins = plugins or Plugins(settings)
    if hasattr(plugins, "models"):
        plugins.models()  # every table class (core and plugins), for the schema check
    else:
        plugins.collect("xf_models")
    core_functions = [func(ping), func(deliver_outbox, name=outbox.DELIVER_JOB, keep_result=0),
                      func(sweep, name="xf_sweep", keep_result=0)]
    functions = core_functions + [_as_function(f) for f in plugins.collect("xf_jobs")]
    names = [f.name for f in functions]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise RuntimeError(f"job names declared twice: {sorted(dup)}")
    cron_jobs: list[CronJob] = list(plugins.collect("xf_cron_jobs"))
    if not burst:  # burst: the sweep runs once at start-up instead, so the worker can finish
        cron_jobs.insert(0, cron(sweep, name="xf_sweep_cron", second=set(range(0, 60, SWEEP_SECONDS)),
                                 run_at_startup=True, unique=True, keep_result=0))

    async def on_startup(ctx: dict) -> None:
        db = Database(settings)
        await db.upgrade(plugins)
        channels = plugins.collect("xf_channels")
        ctx.update(settings=settings, db=db, sessionmaker=db.sessionmaker, plugins=plugins, channels=channels,
                   functions={f.name: f.coroutine for f in functions}, retry_delay=retry_delay)
        outbox.configure(redis_url or settings.redis_url)
        if burst:
            await sweep(ctx)

    async def on_shutdown(ctx: dict) -> None:
        if ctx.get("db") is not None:
            await ctx["db"].dispose()

    return dict(functions=functions, cron_jobs=cron_jobs, redis_settings=RedisSettings.from_dsn(redis_url or settings.redis_url),
                on_startup=on_startup, on_shutdown=on_shutdown, max_tries=5, burst=burst, keep_result=60)


def worker_settings(settings: Settings, plugins=None, **kw) -> type:
    """The options as an arq ``WorkerSettings`` class (for ``arq.worker.run_worker``)."""
    return type("WorkerSettings", (), worker_options(settings, plugins, **kw))


def make_worker(settings: Settings, plugins=None, *, burst: bool = False, redis_url: str | None = None,
                retry_delay: Callable[[int], timedelta] = outbox.backoff, **worker_kw) -> Worker:
    """A Worker (create it inside a running event loop); tests use ``burst=True``."""
    opts = worker_options(settings, plugins, burst=burst, redis_url=redis_url, retry_delay=retry_delay)
    opts.update(worker_kw)
    return Worker(**opts)


async def run_burst(settings: Settings, plugins=None, **kw) -> Worker:
    """Run a burst worker in this event loop until the queue is empty; returns it (for counts)."""
    worker = make_worker(settings, plugins, burst=True, handle_signals=False, poll_delay=0.05, **kw)
    try:
        await worker.main()
    finally:
        await worker.close()
    return worker
