"""Context handed to every plugin's ``xf_demo`` hook by ``xianfeng demo``."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DemoAccount:
    username: str
    password: str
    role: str
    branch: str = ""
    name: str = ""


@dataclass
class DemoContext:
    students: int = 200
    password: str | None = None
    accounts: list[DemoAccount] = field(default_factory=list)
    # Plugins share what they created by name (e.g. org_mgmt puts its branches here).
    shared: dict = field(default_factory=dict)
    # A living college (core/demo_college.py): people in the process, evaluation periods, a
    # training class, talks, messages. False: accounts and organisations only (the test suite).
    living: bool = False


async def run_demo(session, settings, plugins, ctx: DemoContext) -> DemoContext:
    await plugins.run("xf_demo", session=session, settings=settings, demo=ctx)
    if ctx.living:
        from core.demo_college import deliver, populate

        await populate(session, settings, plugins, ctx)
        await session.commit()
        ctx.shared["delivered"] = await deliver(session, plugins)
    await session.commit()
    return ctx
