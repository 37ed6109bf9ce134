"""A phone in headless Chromium for the mobile web tests: 375×667, touch, zh-CN; every console
error, failed or refused request and off-host request is recorded, screenshots go to
test-artifacts/m/."""
from __future__ import annotations

import contextlib
import re
from pathlib import Path
from urllib.parse import urlsplit

from playwright import sync_api

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: F401  (one launch recipe for every browser test)

expect = sync_api.expect

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "m"
PHONE = {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2,
         "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
_LOAD_FAILED = re.compile(r"Failed to load resource: the server responded with a status of (\d+)")


class Phone:
    """One page on a phone-sized context. ``expect_refusal(status, path)`` declares an answer
    the test provokes on purpose (a wrong password's 401, a form's 422): it is not a failure,
    and neither is the console line Chromium writes for it."""

    def __init__(self, page, base: str):
        self.page, self.base = page, base
        self.errors: list[str] = []
        self.refused: list[tuple[int, str]] = []
        self.urls: list[str] = []
        self.expected: list[tuple[int, str]] = []
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("request", lambda r: self.urls.append(r.url))
        page.on("requestfailed", lambda r: self.errors.append(f"{r.method} {r.url} failed: {r.failure}"))
        page.on("response", lambda r: self.refused.append((r.status, urlsplit(r.url).path)) if r.status >= 400 else None)

    def _console(self, m) -> None:
        if m.type != "error":
            return
        found = _LOAD_FAILED.search(m.text)
        if found and any(status == int(found.group(1)) and path in (m.location or {}).get("url", "")
                         for status, path in self.expected):
            return
        self.errors.append(f"console.error: {m.text} ({(m.location or {}).get('url', '')})")

    def expect_refusal(self, status: int, path: str) -> None:
        self.expected.append((status, path))

    # --- driving -------------------------------------------------------------------------------

    def open(self, screen: str = "/home") -> None:
        self.page.goto(f"{self.base}/m/#{screen}")

    def screen(self, path: str, timeout: float = 15_000):
        """Wait until the screen of route ``path`` has finished drawing; answer its locator."""
        loc = self.page.locator(f'[data-screen="{path}"][data-ready]')
        sync_api.expect(loc).to_be_attached(timeout=timeout)
        return loc

    def login(self, username: str, password: str, then: str = "/home") -> None:
        self.screen("/login")
        self.page.locator("input[name=username]").fill(username)
        self.page.locator("input[name=password]").fill(password)
        self.page.get_by_role("button", name="登录").tap()
        self.screen(then)

    def tap(self, name: str, within=None) -> None:
        """Tap the button (or switch tab) named ``name``."""
        where = within or self.page
        where.get_by_role("button", name=name, exact=True).or_(where.get_by_role("tab", name=name, exact=True)).first.tap()

    def shot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 0
        return path

    # --- the checks every test ends with -------------------------------------------------------

    def foreign_hosts(self) -> set[str]:
        return {urlsplit(u).hostname for u in self.urls if urlsplit(u).scheme in ("http", "https", "ws", "wss")} - {"127.0.0.1"}

    def assert_clean(self) -> None:
        unexpected = [(s, p) for s, p in self.refused if not any(s == es and ep in p for es, ep in self.expected)]
        assert not self.errors, "browser errors:\n" + "\n".join(self.errors)
        assert not unexpected, f"refused requests: {unexpected}"
        assert not self.foreign_hosts(), f"requests left 127.0.0.1: {sorted(self.foreign_hosts())}"
        assert self.urls, "no requests recorded"


@contextlib.contextmanager
def phone(browser, base: str):
    context = browser.new_context(**PHONE)
    try:
        yield Phone(context.new_page(), base)
    finally:
        context.close()


def talk_from_todo(ph: Phone, person: str, scheduled_at: str, content: str) -> None:
    """A talker's whole talk on the phone: 安排 on the person's to-do card, the schedule, then the
    record submitted (the stages' introducer, contact and talker talks all go this way)."""
    card = ph.page.locator(".todo").filter(has_text=person)
    expect(card).to_be_visible()
    ph.tap("安排", card)
    talk = ph.page.locator('[data-screen="/talks/:id"][data-ready]')
    expect(talk).to_be_attached(timeout=15_000)
    talk.locator("[name=place]").fill("党员活动室")
    talk.locator("[name=scheduled_at]").fill(scheduled_at)
    ph.tap("确认安排谈话日程", talk)
    expect(ph.page.locator(".toast").filter(has_text="谈话日程已安排")).to_be_visible()
    talk = ph.page.locator('[data-screen="/talks/:id"][data-ready]')
    talk.locator("[name=content]").fill(content)
    ph.tap("提交", talk)
    expect(ph.page.locator(".done-title").filter(has_text="谈话记录已提交，等待党支部审核")).to_be_visible()


@contextlib.contextmanager
def launched_chromium():
    """The phone tests' browser (module-scoped in each test file); a missing Chromium is a broken
    set-up (make setup installs Debian's), never a skip."""
    import pytest

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run 'make setup'")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
