"""Clicking through the amis admin like a person, for page tests (docs/testing.md).

A test gets an ``Admin`` (one browser tab, signed in) from the fixtures in conftest.py and
drives it by what people see: menu labels, row text, button labels, field labels, toasts.
Every step waits for the API answers it causes, never for a fixed time, and every request
the test expects to be refused is declared with ``admin.api(..., status=409)`` so that the
watcher can fail the test on anything else: a console error, an uncaught page error, a
failed or refused request nobody expected, or a request leaving 127.0.0.1.

    crud = committee.open("用户管理", "机构管理")             # tables.py: Crud, Row
    dialog = crud.row("人工智能研究所").click("编辑", "编辑机构")  # forms.py: Dialog
    dialog.fill("备注", "新的备注")
    with crud.reloading(), committee.api("put", ONE_INSTITUTION):  # a path or a compiled pattern
        dialog.submit()                                       # the PUT answered 200, the rows came again
    committee.toast("保存成功")
"""
from __future__ import annotations

import contextlib
import json
import re
import uuid
from dataclasses import dataclass
from typing import Iterator
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page, Response, expect

from tests.browser.forms import Dialog
from tests.browser.matching import TIMEOUT, api_path, exact, path_matches
from tests.browser.tables import Crud, find_crud_api

PAGE_APIS: dict[str, str | None] = {}  # page address -> its CRUD's list api (schemas do not change)
ALLOWED_HOSTS = {"127.0.0.1"}


class Watcher:
    """What went wrong in one tab during one test: console errors, page errors, failed
    requests, refused requests nobody declared, requests to other hosts."""

    def __init__(self, attached: "Watcher | None" = None):
        self.errors: list[str] = []
        self.refused: list[Response] = []
        self.failed: list[str] = []
        self.hosts: set[str] = set()
        self.expected: list[Response] = []
        self._page = attached._page if attached else None
        if attached:  # take over the page's listeners from the previous test's watcher
            attached._current[0] = self
            self._current = attached._current
        else:
            self._current = [self]

    def attach(self, page: Page) -> None:
        self._page = page
        cur = self._current
        page.on("console", lambda m: cur[0]._console(m))
        page.on("pageerror", lambda e: cur[0].errors.append(f"pageerror: {e}"))
        page.on("request", lambda r: cur[0]._request(r))
        page.on("requestfailed", lambda r: cur[0].failed.append(f"{r.method} {r.url}: {r.failure}"))
        page.on("response", lambda r: cur[0].refused.append(r) if r.status >= 400 else None)

    def _console(self, msg) -> None:
        if msg.type != "error":
            return
        # Chromium logs every 4xx/5xx answer as a console error; those are judged as requests.
        if msg.text.startswith("Failed to load resource: the server responded with a status of"):
            return
        self.errors.append(f"console.error: {msg.text}")

    def _request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss"):
            self.hosts.add(parts.hostname or "")

    def problems(self) -> list[str]:
        out = list(self.errors) + list(self.failed)
        out += [f"unexpected {r.status}: {r.request.method} {r.url} {_body(r)}"
                for r in self.refused if not any(r is e for e in self.expected)]
        out += [f"request left 127.0.0.1: {h}" for h in sorted(self.hosts - ALLOWED_HOSTS)]
        return out


def _body(response: Response) -> str:
    try:
        return response.text()[:300]
    except Exception:  # noqa: BLE001 - the body may be gone with the page
        return ""


# Every toast amis shows is reported to the test as a console message, so a test reads the
# toasts its own clicks caused (not one left from an earlier step or test: toasts stay for
# seconds), even when the page has moved on since (a redirect after 修改密码).
TOAST_PREFIX = "[xf-toast] "
TOAST_LOG = """
new MutationObserver(function (records) {
  records.forEach(function (r) {
    r.addedNodes.forEach(function (n) {
      if (n.nodeType !== 1) { return; }
      var found = n.matches('.cxd-Toast') ? [n] : Array.prototype.slice.call(n.querySelectorAll('.cxd-Toast'));
      found.forEach(function (t) {
        if (!t.__xfSeen) { t.__xfSeen = true; console.debug('""" + TOAST_PREFIX + """' + t.innerText.trim()); }
      });
    });
  });
}).observe(document, {childList: true, subtree: true});
"""


class Admin:
    """One signed-in tab of the admin, reused by the tests of one role (``begin`` gives each
    test a clean start)."""

    def __init__(self, page: Page, base: str):
        self.page, self.base = page, base
        self.watch = Watcher()
        self.watch.attach(page)
        self.toast_log: list[str] = []
        self.toast_mark = 0
        page.on("console", lambda m: self.toast_log.append(m.text[len(TOAST_PREFIX):])
                if m.type == "debug" and m.text.startswith(TOAST_PREFIX) else None)
        page.add_init_script(TOAST_LOG)

    def begin(self) -> None:
        """A test starts: nothing watched yet, no toast counted yet, on the 工作台 with no
        dialog open (a page left in another state is loaded again)."""
        self.watch = Watcher(attached=self.watch)
        if self.page.locator(".cxd-Modal, .cxd-Drawer, .cxd-PopOver").count() or "/admin/" not in self.page.url:
            self.home()
        elif not self.page.locator(".cxd-Page-title").filter(has_text=exact("工作台")).count():
            with self.page.expect_response(lambda r: urlsplit(r.url).path == "/api/pc/v1/me"):
                self.page.locator('.cxd-AsideNav a[href="/admin/page/home"]').click()
            expect(self.page.locator(".cxd-Page-title").filter(has_text=exact("工作台"))).to_be_visible(timeout=TIMEOUT)
        self.toast_mark = len(self.toast_log)

    # --- network -----------------------------------------------------------------------
    @contextlib.contextmanager
    def api(self, method: str, path: str | re.Pattern, status: int = 200) -> Iterator["Call"]:
        """Wrap the click that sends ``method path``; asserts its HTTP status. A refusal declared
        here is expected; any other refusal fails the test."""
        call = Call()
        self.toast_mark = len(self.toast_log)
        with self.page.expect_response(
            lambda r: r.request.method == method.upper() and path_matches(r.url, path), timeout=TIMEOUT,
        ) as info:
            yield call
        call.response = info.value
        if call.response.status >= 400:
            self.watch.expected.append(call.response)
        assert call.response.status == status, (
            f"{method.upper()} {call.response.url} answered {call.response.status}, expected {status}: {_body(call.response)}")

    # --- navigation --------------------------------------------------------------------
    def home(self) -> None:
        with self.page.expect_response(lambda r: urlsplit(r.url).path == "/api/pc/v1/me"):
            self.page.goto(self.base + "/admin/")
        expect(self.page.locator(".cxd-AsideNav")).to_be_visible(timeout=TIMEOUT)

    def menu(self) -> dict[tuple[str, str], str]:
        """(group, page) label -> page address, for the menu this user is shown (read from the
        App schema the page carries; collapsed groups hide their entries from the DOM)."""
        app = schema_json(self.page.content())["schema"]
        found: dict[tuple[str, str], str] = {}

        def walk(items, group):
            for it in items:
                if it.get("visible") is False:
                    continue
                if it.get("children"):
                    walk(it["children"], it.get("label", group))
                elif it.get("url"):
                    found[(group or it.get("label", ""), it.get("label", ""))] = it["url"]

        walk(app["pages"], "")
        return found

    def open(self, group: str, label: str, title: str | None = None) -> "Crud":
        """Open a page from the side menu; returns its table (the page's first CRUD). The page
        shows ``title`` (by default the menu label; "" accepts any title)."""
        nav = self.page.locator(".cxd-AsideNav")
        expect(nav).to_be_visible(timeout=TIMEOUT)
        item = nav.locator(".cxd-AsideNav-list > li").filter(
            has=self.page.locator("> a .cxd-AsideNav-itemLabel", has_text=exact(group)))
        expect(item).to_have_count(1)
        if not item.locator(".cxd-AsideNav-subList").count():  # a group with one page is a plain link
            link = item.locator("> a")
        else:
            if "is-open" not in (item.get_attribute("class") or ""):  # collapsed group: open it first
                item.locator("> a").click()
                expect(item).to_have_class(re.compile(r"\bis-open\b"))
            link = item.locator(".cxd-AsideNav-subList a:visible").filter(
                has=self.page.locator(".cxd-AsideNav-itemLabel", has_text=exact(label)))
        return self._show(link.first.get_attribute("href"), lambda: link.first.click(), label if title is None else title)

    def goto(self, href: str, title: str) -> "Crud":
        """Open an admin page by its address (``/admin/user_mgmt/page/users``)."""
        return self._show(href, lambda: self.page.goto(f"{self.base}/admin/#{href}"), title)

    def follow(self, href: str, title: str, click) -> "Crud":
        """``click()`` leads to the page at ``href`` (a link, a message's 打开): wait for it."""
        return self._show(href, click, title)

    def _show(self, href: str, go, title: str) -> "Crud":
        """Go to a page and wait for its title and, when it has a table, for the rows."""
        crud_api = self._crud_api(href)
        list_path = api_path(crud_api) if crud_api else None
        if isinstance(list_path, str):  # a list that depends on the page's choices may wait for them
            with self.page.expect_response(
                    lambda r: r.request.method == "GET" and path_matches(r.url, list_path), timeout=TIMEOUT) as rows:
                go()
            assert rows.value.ok, f"list {rows.value.url} answered {rows.value.status}"
        else:
            go()
        titles = self.page.locator(".cxd-Page-title")
        expect((titles.filter(has_text=exact(title)) if title else titles).first).to_be_visible(timeout=TIMEOUT)
        crud = Crud(self, self.page.locator(".cxd-Crud").first, crud_api)
        if isinstance(list_path, str):
            crud.wait_loaded()
        return crud

    def _crud_api(self, href: str) -> str | None:
        """The list api of a page's first CRUD, read once from the page's amis schema (amis
        itself caches the schema, so a second visit fetches only the rows)."""
        href = href.split("?", 1)[0]
        if href not in PAGE_APIS:
            r = self.page.request.post(f"{self.base}{href}?_replace=1")
            assert r.ok, f"page schema {href} answered {r.status}"
            PAGE_APIS[href] = find_crud_api(r.json())
        return PAGE_APIS[href]

    # --- what people read --------------------------------------------------------------
    def toasts(self) -> list[str]:
        """The toasts shown since the last ``api(...)`` call began (or the test began)."""
        return self.toast_log[self.toast_mark:]

    def toast(self, text: str) -> None:
        """A toast containing ``text`` appears (after the last ``api(...)`` call began)."""
        if not any(text in t for t in self.toasts()):
            self.page.wait_for_event(
                "console", lambda m: m.type == "debug" and m.text.startswith(TOAST_PREFIX) and text in m.text,
                timeout=TIMEOUT)

    def no_toast(self, text: str) -> None:
        """No toast containing ``text`` has appeared (since the last ``api(...)`` call began)."""
        shown = self.toasts()
        assert not any(text in t for t in shown), f"unexpected toast {text!r}: {shown}"

    def dialog(self, title: str | None = None) -> "Dialog":
        """The open dialog (optionally: with this title)."""
        modal = self.page.locator(".cxd-Modal, .cxd-Drawer").filter(has=self.page.locator(
            ".cxd-Modal-title, .cxd-Drawer-title", has_text=exact(title) if title else re.compile(".")))
        expect(modal.last).to_be_visible(timeout=TIMEOUT)
        return Dialog(self, modal.last)

    def form(self, title: str) -> "Dialog":
        """A form on the page itself, by its panel title."""
        panel = self.page.locator(".cxd-Page-body .cxd-Panel").filter(
            has=self.page.locator(".cxd-Panel-title", has_text=exact(title)))
        expect(panel.first).to_be_visible(timeout=TIMEOUT)
        return Dialog(self, panel.first)

    def button(self, label: str, scope: Locator | None = None) -> Locator:
        return (scope or self.page).locator("button, a.cxd-Button").filter(has_text=exact(label))

    def problems(self) -> list[str]:
        return self.watch.problems()


@dataclass
class Call:
    response: Response | None = None

    def json(self) -> dict:
        assert self.response is not None
        return self.response.json()


class Api:
    """Set-up and checks through the API, with a browser context's cookie (not what a test
    asserts about the page: that is clicked)."""

    def __init__(self, request, base: str):
        self.request, self.base = request, base

    def call(self, method: str, path: str, body: dict | None = None, status: int = 200, **params) -> dict:
        r = self.request.fetch(self.base + path, method=method.upper(), data=body, params=params or None)
        assert r.status == status, f"{method.upper()} {path} answered {r.status}: {r.text()[:300]}"
        return r.json()

    def get(self, path: str, **params) -> dict:
        return self.call("get", path, **params)["data"]

    def post(self, path: str, body: dict, status: int = 200) -> dict:
        return self.call("post", path, body, status)

    def put(self, path: str, body: dict, status: int = 200) -> dict:
        return self.call("put", path, body, status)


def unique(prefix: str) -> str:
    """A name no other test uses (tests pass alone and in any order on one shared server)."""
    return f"{prefix}{uuid.uuid4().hex[:6]}"


def schema_json(text: str) -> dict:
    """The amis schema embedded in an admin HTML page."""
    m = re.search(r'<script type="application/json" id="xf-amis">(.*?)</script>', text, re.S)
    assert m, "amis schema not found in the page"
    return json.loads(m.group(1))
