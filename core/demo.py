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


async def run_demo(session, settings, plugins, ctx: DemoContext) -> DemoContext:
    await plugins.run("xf_demo", session=session, settings=settings, demo=ctx)
    await session.commit()
    return ctx
