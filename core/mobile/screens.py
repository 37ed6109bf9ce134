"""The mobile app's route table: one screen per hash route, one ES module per screen.

The built-in screens are listed here; plugins add theirs with ``xf_mobile_screens`` (a later
stage's thought reports, a third party's step). The table travels to the browser inside
index.html, so the app has one list to route by and nothing is hard-wired twice.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_PATH = re.compile(r"^(/[a-z0-9_-]+|/:[a-z_]+)+$")
_ICONS = ("home", "flag", "timeline", "chart", "message", "talk", "user", "doc", "check", "people", "calendar")


@dataclass(frozen=True)
class MobileEntry:
    """A tile on the home screen that opens the screen (shown when the permission is held)."""

    label: str
    icon: str = "doc"  # one of _ICONS (drawn by lib/icons.js)
    order: int = 100


@dataclass(frozen=True)
class MobileScreen:
    """One screen of the mobile app.

    ``path``: the hash route, ``/talks/:id`` (``:name`` parts become ``ctx.params.name``).
    ``module``: a built-in module path relative to the app folder (``screens/home.js``), or a
    ``pathlib.Path`` to a plugin's own ``.js`` file. The module's default export is
    ``async render(ctx)``; ``options`` reach it as ``ctx.options`` so one module can serve
    several screens (every ReviewComponent's submission screen is one module).
    ``permission``: the MP key needed (None: any signed-in user); ``public``: no login needed.
    ``tab``: the bottom tab the screen belongs to (``home``, ``evaluation``, ``messages``, ``me``).
    """

    path: str
    module: str | Path
    title: str
    permission: str | None = None
    public: bool = False
    tab: str | None = None
    entry: MobileEntry | None = None
    options: dict = field(default_factory=dict)

    def __post_init__(self):
        if not _PATH.match(self.path):
            raise ValueError(f"mobile screen path {self.path!r}: expected /word or /:param parts")
        if self.entry is not None and self.entry.icon not in _ICONS:
            raise ValueError(f"mobile screen {self.path}: icon {self.entry.icon!r} is not one of {_ICONS}")


def _s(path, module, title, permission=None, **kw) -> MobileScreen:
    return MobileScreen(path, module, title, permission, **kw)


# The development screens read the MP shapes of today's dev_applicant routes and of engine v2
# (both carry the fields they use); docs/mobile.md lists what each screen reads.
BUILTIN: tuple[MobileScreen, ...] = (
    _s("/login", "screens/login.js", "登录", public=True),
    _s("/home", "screens/home.js", "首页", tab="home"),
    _s("/profile", "screens/profile.js", "个人信息完善", "mp.profile"),
    _s("/messages", "screens/messages.js", "消息", "mp.messages", tab="messages",
       entry=MobileEntry("消息", "message", 40)),
    _s("/messages/:id", "screens/message.js", "消息详情", "mp.messages", tab="messages"),
    _s("/development/apply", "screens/development/submission.js", "我想入党", "mp.dev.apply",
       entry=MobileEntry("我想入党", "flag", 10),
       options={"api": "apply", "key": "letter", "material": "入党申请书", "purpose": "application_letter"}),
    _s("/development", "screens/development/timeline.js", "入党管理", "mp.dev.timeline",
       entry=MobileEntry("入党管理", "timeline", 20)),
    _s("/talks", "screens/development/talks.js", "谈话任务", "mp.dev.talks", entry=MobileEntry("谈话任务", "talk", 50)),
    _s("/talks/:id", "screens/development/talk.js", "谈话", "mp.dev.talks"),
    _s("/evaluation", "screens/evaluation/list.js", "考核评价报告", "mp.eval", tab="evaluation",
       entry=MobileEntry("考核评价报告", "chart", 30)),
    _s("/evaluation/:pid", "screens/evaluation/report.js", "评价报告", "mp.eval", tab="evaluation"),
    _s("/evaluation/:pid/college", "screens/evaluation/college.js", "评价报告明细-学院党委", "mp.eval.college",
       tab="evaluation"),
    _s("/evaluation/:pid/branches", "screens/evaluation/branches.js", "二级支部", "mp.eval.branch", tab="evaluation"),
    _s("/evaluation/:pid/branches/:bid", "screens/evaluation/branch.js", "评价报告明细-二级支部", "mp.eval.branch",
       tab="evaluation"),
    _s("/evaluation/:pid/members", "screens/evaluation/members.js", "党员个人", "mp.eval.individual", tab="evaluation"),
    _s("/evaluation/:pid/members/:uid", "screens/evaluation/member.js", "评价报告明细-党员个人", "mp.eval.individual",
       tab="evaluation"),
    _s("/me", "screens/me.js", "我的", tab="me"),
    _s("/me/edit", "screens/me_edit.js", "个人信息", tab="me"),
    _s("/me/password", "screens/password.js", "修改密码", tab="me"),
)


def collect(plugins) -> list[MobileScreen]:
    """Built-in screens, then the plugins' in dependency order. A plugin may replace a built-in
    screen by declaring the same path (the later declaration wins)."""
    by_path: dict[str, MobileScreen] = {s.path: s for s in BUILTIN}
    for screen in plugins.collect("xf_mobile_screens") if plugins is not None else []:
        if not isinstance(screen, MobileScreen):
            raise TypeError(f"xf_mobile_screens must return MobileScreen objects, got {screen!r}")
        by_path[screen.path] = screen
    return list(by_path.values())
