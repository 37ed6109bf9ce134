"""arq worker settings. Plugins contribute job functions and cron jobs (messaging issue)."""
from __future__ import annotations

from arq.connections import RedisSettings

from core.settings import Settings


async def ping(ctx) -> str:
    """A trivial job proving the worker runs; used by `xianfeng worker --check`."""
    return "pong"


def worker_settings(settings: Settings) -> type:
    class WorkerSettings:
        functions = [ping]
        redis_settings = RedisSettings.from_dsn(settings.redis_url)
        max_tries = 5

    return WorkerSettings
