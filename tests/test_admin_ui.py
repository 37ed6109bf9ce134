"""End-to-end check of the amis admin UI in a real (headless) Chromium.

A private server (``xianfeng init`` + ``xianfeng demo`` + ``xianfeng run``) runs on a free
127.0.0.1 port with its own SQLite file, so this module never touches the database the
other tests share (not even under ``make test-pg``). The browser logs in as the college
committee, opens every menu page of both plugins through the side menu, and checks that
each CRUD table renders without console errors, failed API calls or off-host requests.
"""
from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("XIANFENG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic",
]
DEMO_PASSWORD = "Demo@2026x"
ADMIN_PASSWORD = "Admin@2026x"

from playwright import sync_api  # noqa: E402  (installed with '.[test]')

# Every menu page of every built-in plugin: (menu group, menu label, page title).
MENU_PAGES = [
    ("用户管理", "用户管理", "用户管理"),
    ("用户管理", "机构管理", "机构管理"),
    ("用户管理", "角色管理", "角色管理"),
    ("党务管理", "党群组织管理", "党群组织管理"),
    ("党务管理", "党小组管理", "党小组管理"),
    ("党务管理", "党员基础信息管理", "党员基础信息管理"),
    ("党员发展", "入党申请人", "入党申请人"),
    ("党员发展", "批量审核入党申请", "批量审核入党申请"),
    ("党员发展", "申请人公示", "申请人公示"),
    ("消息中心", "我的消息", "我的消息"),
    ("党员评价", "数据管理", "数据管理"),
    ("党员评价", "评价结果", "评价结果"),
]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _xianfeng() -> list[str]:
    exe = Path(sys.executable).with_name("xianfeng")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "core.cli"]


def _wait_healthy(base: str, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"xianfeng run exited with {proc.returncode}:\n{log.read_text('utf-8', 'replace')}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                if json.load(r).get("status") == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server not healthy after {timeout}s:\n{log.read_text('utf-8', 'replace')}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Base URL of a private `xianfeng run` with the demo college loaded."""
    tmp = tmp_path_factory.mktemp("admin_ui")
    env = {k: v for k, v in os.environ.items() if k != "XIANFENG_DATABASE_URL"}  # always our own SQLite file
    env.update(
        XIANFENG_DATA_DIR=str(tmp / "data"), XIANFENG_BCRYPT_ROUNDS="4", XIANFENG_ADMIN_PASSWORD=ADMIN_PASSWORD,
        XIANFENG_ENV="test", PYTHONUNBUFFERED="1",
    )
    cli = _xianfeng()
    for args in (["init"], ["demo", "--students", "30", "--password", DEMO_PASSWORD]):
        done = subprocess.run(cli + args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"xianfeng {args[0]} failed:\n{done.stdout}\n{done.stderr}"
    port = _free_port()
    log = tmp / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(cli + ["run", "--host", "127.0.0.1", "--port", str(port)], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, proc, log)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():  # make setup installs Debian's chromium; missing is a broken set-up, not a skip
        pytest.fail(f"Chromium not found at {CHROMIUM}: run 'make setup' (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class Watcher:
    """Console errors, page errors, failed responses and every requested URL of one page."""

    def __init__(self, page):
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.urls: list[str] = []
        page.on("console", lambda m: self.errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("request", lambda r: self.urls.append(r.url))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.method} {r.url} failed: {r.failure}"))
        page.on("response", lambda r: self.failed.append(f"{r.request.method} {r.url} -> {r.status}") if r.status >= 400 else None)

    def foreign_hosts(self) -> set[str]:
        return {urlsplit(u).hostname for u in self.urls if urlsplit(u).scheme in ("http", "https", "ws", "wss")} - {"127.0.0.1"}


def _login_form(page, username: str, password: str) -> None:
    page.get_by_placeholder("请输入账号").fill(username)
    page.get_by_placeholder("请输入密码").fill(password)
    page.get_by_role("button", name="登录").click()


def _menu_urls(html: str) -> dict[tuple[str, str], str]:
    """(group label, page label) -> page url, from the amis App schema embedded in /admin/."""
    m = re.search(r"const app = (\{.*?\});\s*\n", html)
    assert m, "amis App schema not found in /admin/ HTML"
    app = json.loads(m.group(1))
    found: dict[tuple[str, str], str] = {}

    def walk(items, group):
        for it in items:
            if it.get("visible") is False:
                continue
            if it.get("children"):
                walk(it["children"], it.get("label", group))
            elif it.get("url"):
                found[(group, it["label"])] = it["url"]

    walk(app["pages"], "")
    return found


def _wait_page(page, title: str) -> None:
    """The page's title is shown and, where it has a CRUD table, the table has rows (or the
    empty placeholder); pages without one (report views) just finish loading."""
    sync_api.expect(page.locator(".cxd-Page-title").filter(has_text=title)).to_be_visible(timeout=15_000)
    page.wait_for_load_state("networkidle")
    if page.locator(".cxd-Crud").count():
        crud = page.locator(".cxd-Crud").first
        sync_api.expect(crud.locator("tbody tr").first).to_be_visible(timeout=15_000)
        sync_api.expect(crud.locator(".cxd-Spinner")).to_have_count(0, timeout=15_000)  # initial fetch finished
        page.wait_for_load_state("networkidle")


def test_admin_pages_render(server, browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    watch = Watcher(page)
    try:
        page.goto(server + "/admin/")
        assert urlsplit(page.url).path == "/admin/login", page.url
        _login_form(page, "dangwei", DEMO_PASSWORD)
        page.wait_for_url(re.compile(r"/admin/(#.*)?$"), timeout=15_000)
        sync_api.expect(page.locator(".cxd-AsideNav")).to_be_visible(timeout=15_000)
        sync_api.expect(page.get_by_text("学院党委管理员").first).to_be_visible()

        html = page.evaluate("() => document.documentElement.outerHTML")
        urls = _menu_urls(html)
        missing = [(g, p) for g, p, _ in MENU_PAGES if (g, p) not in urls]
        assert not missing, f"menu entries missing from the App schema: {missing}; found {sorted(urls)}"

        nav = page.locator(".cxd-AsideNav")
        ARTIFACTS.mkdir(exist_ok=True)
        for group, label, title in MENU_PAGES:
            url = urls[(group, label)]
            selector = f'.cxd-AsideNav-subList a[href="{url}"]'
            link = nav.locator(selector)
            sync_api.expect(link).to_have_count(1)
            group_item = nav.locator(".cxd-AsideNav-list > li").filter(has=page.locator(selector))
            if "is-open" not in (group_item.get_attribute("class") or ""):  # collapsed group: open it first
                group_item.locator("> a").click()
                sync_api.expect(group_item).to_have_class(re.compile(r"\bis-open\b"))
            sync_api.expect(link).to_have_text(label)
            link.click()
            page.wait_for_url(re.compile(re.escape("#" + url) + r"$"), timeout=15_000)
            _wait_page(page, title)
            if label == "用户管理":
                rows = page.locator(".cxd-Crud tbody tr:not(.cxd-Table-placeholder)")
                assert rows.count() > 0, "user list is empty"
                sync_api.expect(page.locator(".cxd-Crud").get_by_text("学生").first).to_be_visible()
                shot = ARTIFACTS / "user-list.png"
                page.screenshot(path=str(shot), full_page=False)
                assert shot.stat().st_size > 0

        assert not watch.errors, "browser errors:\n" + "\n".join(watch.errors)
        assert not watch.failed, "failed requests:\n" + "\n".join(watch.failed)
        assert not watch.foreign_hosts(), f"requests left 127.0.0.1: {sorted(watch.foreign_hosts())}"
        assert watch.urls, "no requests recorded"
    finally:
        context.close()


def test_wrong_password_shows_message(server, browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    watch = Watcher(page)
    try:
        page.goto(server + "/admin/login")
        _login_form(page, "dangwei", "Wrong@2026x")
        sync_api.expect(page.get_by_text("账号或密码错误").first).to_be_visible(timeout=10_000)
        assert urlsplit(page.url).path == "/admin/login"
        assert not watch.foreign_hosts(), f"requests left 127.0.0.1: {sorted(watch.foreign_hosts())}"
    finally:
        context.close()


def test_avatar_uploads_through_the_shared_receiver(server, browser, tmp_path):
    """The admin's uploaders store through /api/files (the MP shape) via core.amis_crud.upload_receiver."""
    from PIL import Image

    picture = tmp_path / "avatar.png"
    Image.new("RGB", (32, 32), (200, 30, 30)).save(picture)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    watch = Watcher(page)
    try:
        page.goto(server + "/admin/login")
        _login_form(page, "zhibu04", DEMO_PASSWORD)
        page.wait_for_url(re.compile(r"/admin/(#.*)?$"), timeout=15_000)
        page.goto(server + "/admin/#/admin/page/personal")
        sync_api.expect(page.get_by_text("更换头像").first).to_be_visible(timeout=15_000)
        with page.expect_response(lambda r: urlsplit(r.url).path == "/api/files" and r.request.method == "POST") as uploaded:
            page.locator(".cxd-ImageControl input[type=file]").set_input_files(str(picture))
        file = uploaded.value.json()["file"]
        assert file["type"] == "png" and file["purpose"] == "avatar"
        with page.expect_response(lambda r: r.url.endswith("/api/pc/v1/personal/avatar")) as saved:
            page.get_by_role("button", name="确认修改").click()
        body = saved.value.json()
        assert body["status"] == 0 and body["data"]["avatar"] == file["url"], body
        sync_api.expect(page.get_by_text("头像已更新").first).to_be_visible(timeout=10_000)
        assert not watch.errors, "browser errors:\n" + "\n".join(watch.errors)
        assert not watch.failed, "failed requests:\n" + "\n".join(watch.failed)
    finally:
        context.close()
