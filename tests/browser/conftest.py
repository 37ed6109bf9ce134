"""The browser part of the suite: one private server for all of it, one Chromium, one signed-in
tab per role that every test of that role reuses from a clean start, watched per test
(docs/testing.md).

The server is ``xianfeng demo`` + ``xianfeng run`` on a free 127.0.0.1
port with its own SQLite file (even under ``make test-pg``) and the widgets test plugin.
The browser's time zone is not the college's, so a time formatted by the browser's zone
shows up as a wrong time.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from playwright import sync_api

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.browser.harness import Admin, Api
from tests.live_server import free_port, wait_healthy, xianfeng_command

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
DEMO_PASSWORD = "Demo@2026x"
ADMIN_PASSWORD = "Admin@2026x"
BROWSER_TIMEZONE = "America/Los_Angeles"  # the college is Asia/Shanghai
COMMITTEE, BRANCH_ADMIN, OTHER_BRANCH_ADMIN = "dangwei", "zhibu04", "zhibu05"


class Server:
    """The suite's private server: its address and its data directory."""

    def __init__(self, base: str, data_dir: Path, env: dict):
        self.base, self.data_dir, self.env = base, data_dir, env

    def notify(self, usernames: list[str], title: str, body: str = "", link: str = "", kind: str = "notice") -> None:
        """Send in-app messages and deliver them at once, as the worker would (the suite runs no
        worker): the outbox and the in-app channel on this server's database."""
        import asyncio
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(1) as pool:  # Playwright's sync API owns this thread's event loop
            pool.submit(asyncio.run, self._notify(usernames, title, body, link, kind)).result()

    async def _notify(self, usernames, title, body, link, kind) -> None:
        from sqlalchemy import select

        from core import outbox
        from core.db import Database
        from core.models import User
        from core.settings import Settings
        from plugins.messaging.channels import InAppChannel

        settings = Settings(env="test", data_dir=self.data_dir,
                            database_url=f"sqlite+aiosqlite:///{self.data_dir / 'xianfeng.db'}")
        db = Database(settings)
        try:
            async with db.sessionmaker() as session:
                ids = list((await session.execute(select(User.id).where(User.username.in_(usernames)))).scalars())
                await outbox.notify(session, ids, title, body, kind, link)
                await session.commit()
            await outbox.deliver_pending(db.sessionmaker, [InAppChannel()])
        finally:
            await db.dispose()

    def run(self, *args: str) -> str:
        """Run a ``xianfeng`` command against this server's database."""
        done = subprocess.run(xianfeng_command() + list(args), cwd=ROOT, env=self.env, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, f"xianfeng {args[0]} failed:\n{done.stdout}\n{done.stderr}"
        return done.stdout


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    env = {k: v for k, v in os.environ.items() if k not in ("XIANFENG_DATABASE_URL", "XIANFENG_SETTINGS_FILE")}
    env.update(
        XIANFENG_DATA_DIR=str(tmp / "data"), XIANFENG_BCRYPT_ROUNDS="4", XIANFENG_ADMIN_PASSWORD=ADMIN_PASSWORD,
        XIANFENG_ENV="test", PYTHONUNBUFFERED="1", PYTHONPATH=str(ROOT),
        XIANFENG_PLUGINS__EXTRA='["tests.browser.widgets_plugin"]',
    )
    srv = Server("", tmp / "data", env)
    srv.run("demo", "--students", "30", "--password", DEMO_PASSWORD)  # upgrades and seeds first; run does init
    port = free_port()
    log = tmp / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(xianfeng_command() + ["run", "--host", "127.0.0.1", "--port", str(port)], cwd=ROOT,
                                env=env, stdout=out, stderr=subprocess.STDOUT)
    srv.base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(srv.base, proc, log)
        yield srv
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():  # make setup installs Debian's chromium; missing is a broken set-up, not a skip
        pytest.fail(f"Chromium not found at {CHROMIUM}: run 'make setup' (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def new_context(browser, server: Server, username: str | None, password: str = DEMO_PASSWORD):
    """A browser context (its own cookies) signed in as ``username`` through the login API."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN", timezone_id=BROWSER_TIMEZONE)
    context.set_default_timeout(15_000)
    if username:
        r = context.request.post(server.base + "/api/pc/v1/auth/login", data={"username": username, "password": password})
        assert r.ok, r.text()
    return context


@pytest.fixture(scope="session")
def committee_context(browser, server):
    context = new_context(browser, server, COMMITTEE)
    yield context
    context.close()


@pytest.fixture(scope="session")
def branch_context(browser, server):
    context = new_context(browser, server, BRANCH_ADMIN)
    yield context
    context.close()


def pytest_collection_modifyitems(items):
    """The browser part runs as one block, last (in its shuffled order): Playwright's sync API
    keeps an event loop in the main thread while the suite's one Chromium is open, and tests
    that start their own loop (``asyncio.run``, anyio, another Playwright) must not run then."""
    here = Path(__file__).resolve().parent
    inside = [i for i in items if here in Path(str(i.path)).resolve().parents]
    if inside:
        items[:] = [i for i in items if here not in Path(str(i.path)).resolve().parents] + inside


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def committee_tab(committee_context, server):
    admin = Admin(committee_context.new_page(), server.base)
    admin.home()
    yield admin
    admin.page.close()


@pytest.fixture(scope="session")
def branch_tab(branch_context, server):
    admin = Admin(branch_context.new_page(), server.base)
    admin.home()
    yield admin
    admin.page.close()


def _test_in(admin: Admin, request):
    """One test in a role's tab: a clean start, then the watcher's verdict (a screenshot in
    test-artifacts/ when the test failed)."""
    admin.begin()
    yield admin
    failed = getattr(request.node, "report_call", None) is not None and request.node.report_call.failed
    if failed:
        ARTIFACTS.mkdir(exist_ok=True)
        admin.page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        admin.home()  # the next test starts from a fresh page
        return
    problems = admin.problems()
    assert not problems, "the page reported problems:\n" + "\n".join(problems)


@pytest.fixture
def committee(committee_tab, request):
    """The 学院党委 (dangwei) tab, on the 工作台."""
    yield from _test_in(committee_tab, request)


@pytest.fixture
def branch_admin(branch_tab, request):
    """The 党支部管理员 tab of 本科生第一党支部 (zhibu04), on the 工作台."""
    yield from _test_in(branch_tab, request)


@pytest.fixture(scope="session")
def committee_api(committee_context, server) -> Api:
    return Api(committee_context.request, server.base)
