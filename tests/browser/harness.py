"""Clicking through the amis admin like a person, for page tests (docs/testing.md).

A test gets an ``Admin`` (one browser tab, signed in) from the fixtures in conftest.py and
drives it by what people see: menu labels, row text, button labels, field labels, toasts.
Every step waits for the API answers it causes, never for a fixed time, and every request
the test expects to be refused is declared with ``admin.api(..., status=409)`` so that the
watcher can fail the test on anything else: a console error, an uncaught page error, a
failed or refused request nobody expected, or a request leaving 127.0.0.1.

    crud = committee.open("用户管理", "机构管理")
    dialog = crud.row("人工智能研究所").click("编辑")
    dialog.fill("备注", "新的备注")
    dialog.submit()                      # waits for the PUT, asserts 200 and the dialog closing
    assert crud.reload().row("人工智能研究所").cell("状态") == "开启"
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

TIMEOUT = 15_000
PAGE_APIS: dict[str, str | None] = {}  # page address -> its CRUD's list api (schemas do not change)
ALLOWED_HOSTS = {"127.0.0.1"}


def _exact(text: str) -> re.Pattern:
    """Matches a label as shown, allowing amis' required star and surrounding space."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def _path_matches(url: str, path: str | re.Pattern) -> bool:
    got = urlsplit(url).path
    return bool(path.fullmatch(got)) if isinstance(path, re.Pattern) else got == path


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
        elif not self.page.locator(".cxd-Page-title").filter(has_text=_exact("工作台")).count():
            with self.page.expect_response(lambda r: urlsplit(r.url).path == "/api/pc/v1/me"):
                self.page.locator('.cxd-AsideNav a[href="/admin/page/home"]').click()
            expect(self.page.locator(".cxd-Page-title").filter(has_text=_exact("工作台"))).to_be_visible(timeout=TIMEOUT)
        self.toast_mark = len(self.toast_log)

    # --- network -----------------------------------------------------------------------
    @contextlib.contextmanager
    def api(self, method: str, path: str | re.Pattern, status: int = 200) -> Iterator["Call"]:
        """Wrap the click that sends ``method path``; asserts its HTTP status. A refusal declared
        here is expected; any other refusal fails the test."""
        call = Call()
        self.toast_mark = len(self.toast_log)
        with self.page.expect_response(
            lambda r: r.request.method == method.upper() and _path_matches(r.url, path), timeout=TIMEOUT,
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
            has=self.page.locator("> a .cxd-AsideNav-itemLabel", has_text=_exact(group)))
        expect(item).to_have_count(1)
        if not item.locator(".cxd-AsideNav-subList").count():  # a group with one page is a plain link
            link = item.locator("> a")
        else:
            if "is-open" not in (item.get_attribute("class") or ""):  # collapsed group: open it first
                item.locator("> a").click()
                expect(item).to_have_class(re.compile(r"\bis-open\b"))
            link = item.locator(".cxd-AsideNav-subList a:visible").filter(
                has=self.page.locator(".cxd-AsideNav-itemLabel", has_text=_exact(label)))
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
        list_path = _api_path(crud_api) if crud_api else None
        if isinstance(list_path, str):  # a list that depends on the page's choices may wait for them
            with self.page.expect_response(
                    lambda r: r.request.method == "GET" and _path_matches(r.url, list_path), timeout=TIMEOUT) as rows:
                go()
            assert rows.value.ok, f"list {rows.value.url} answered {rows.value.status}"
        else:
            go()
        titles = self.page.locator(".cxd-Page-title")
        expect((titles.filter(has_text=_exact(title)) if title else titles).first).to_be_visible(timeout=TIMEOUT)
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
            PAGE_APIS[href] = _find_crud_api(r.json())
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
            ".cxd-Modal-title, .cxd-Drawer-title", has_text=_exact(title) if title else re.compile(".")))
        expect(modal.last).to_be_visible(timeout=TIMEOUT)
        return Dialog(self, modal.last)

    def form(self, title: str) -> "Dialog":
        """A form on the page itself, by its panel title."""
        panel = self.page.locator(".cxd-Page-body .cxd-Panel").filter(
            has=self.page.locator(".cxd-Panel-title", has_text=_exact(title)))
        expect(panel.first).to_be_visible(timeout=TIMEOUT)
        return Dialog(self, panel.first)

    def button(self, label: str, scope: Locator | None = None) -> Locator:
        return (scope or self.page).locator("button, a.cxd-Button").filter(has_text=_exact(label))

    def problems(self) -> list[str]:
        return self.watch.problems()


@dataclass
class Call:
    response: Response | None = None

    def json(self) -> dict:
        assert self.response is not None
        return self.response.json()


def _find_crud_api(node) -> str | None:
    if isinstance(node, dict):
        if node.get("type") == "crud" and node.get("api"):
            api = node["api"]
            return api if isinstance(api, str) else api.get("url")
        children = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = _find_crud_api(child)
        if found:
            return found
    return None


def _api_path(api: str) -> str | re.Pattern:
    """"get:/api/pc/v1/users?x=${y}" -> "/api/pc/v1/users"; a path with variables becomes a pattern."""
    path = urlsplit(api.split(":", 1)[1] if re.match(r"^(get|post|put|delete|patch):", api) else api).path
    if "$" not in path:
        return path
    return re.compile("".join("[^/]+" if part.startswith("${") else re.escape(part)
                              for part in re.split(r"(\$\{[^}]*\})", path)))


class Crud:
    """An amis CRUD table: rows, row actions, batch actions, the filter and the toolbar."""

    def __init__(self, admin: Admin, root: Locator, api: str | None):
        self.admin, self.root, self.page = admin, root, admin.page
        self.list_path = _api_path(api) if api else None

    def wait_loaded(self) -> "Crud":
        expect(self.root.locator("tbody tr").first).to_be_attached(timeout=TIMEOUT)
        expect(self.root.locator(".cxd-Spinner")).to_have_count(0, timeout=TIMEOUT)
        return self

    @contextlib.contextmanager
    def reloading(self) -> Iterator[None]:
        """Wrap an action after which the table fetches its rows again; waits for them."""
        with self.page.expect_response(
            lambda r: r.request.method == "GET" and _path_matches(r.url, self.list_path), timeout=TIMEOUT,
        ) as info:
            yield
        assert info.value.ok, f"list {info.value.url} answered {info.value.status}"
        self.wait_loaded()

    def reload(self) -> "Crud":
        """Fetch the rows again with the toolbar's refresh button (re-read the table)."""
        with self.reloading():
            self.root.locator(".cxd-Crud-toolbar .fa-sync").first.click()
        return self

    def filter_form(self) -> "Dialog":
        return Dialog(self.admin, self.root.locator(".cxd-Crud-filter").first)

    def filter(self, values: dict[str, object]) -> "Crud":
        """Fill the filter form by field label and press 查询."""
        form = self.filter_form()
        for label, value in values.items():
            form.fill(label, value)
        with self.reloading():
            self.admin.button("查询", form.root).click()
        return self

    def rows(self) -> list[str]:
        return [t for t in self.root.locator("tbody tr:not(.cxd-Table-placeholder)").all_inner_texts()]

    def row(self, text: str) -> "Row":
        """The (first) row showing ``text``; waits for it."""
        loc = self.root.locator("tbody tr:not(.cxd-Table-placeholder)").filter(has_text=text).first
        expect(loc).to_be_visible(timeout=TIMEOUT)
        return Row(self, loc)

    def has_row(self, text: str) -> bool:
        return self.root.locator("tbody tr:not(.cxd-Table-placeholder)").filter(has_text=text).count() > 0

    def columns(self) -> list[str]:
        return [t.strip() for t in self.root.locator("thead th").all_inner_texts()]

    def toolbar_buttons(self) -> list[str]:
        return [t.strip() for t in self.root.locator(".cxd-Crud-toolbar button").all_inner_texts() if t.strip()]

    def header(self, label: str, title: str | None = None) -> "Dialog":
        """Click a toolbar button that opens a dialog (新增 ...)."""
        self.admin.button(label, self.root.locator(".cxd-Crud-toolbar")).first.click()
        return self.admin.dialog(title)

    def tick(self, *texts: str) -> "Crud":
        """Tick the rows showing each text (for a batch action)."""
        for text in texts:
            self.row(text).loc.locator(".cxd-Checkbox, input[type=checkbox]").first.click()
        return self

    def bulk(self, label: str) -> Locator:
        """The batch-action button ``label`` (shown once rows are ticked)."""
        btn = self.admin.button(label, self.root.locator(".cxd-Crud-toolbar"))
        expect(btn.first).to_be_visible(timeout=TIMEOUT)
        return btn.first


class Row:
    def __init__(self, crud: Crud, loc: Locator):
        self.crud, self.loc, self.admin = crud, loc, crud.admin

    @property
    def text(self) -> str:
        return self.loc.inner_text()

    def cell(self, column: str) -> str:
        headers = self.crud.columns()
        assert column in headers, f"no column {column!r} in {headers}"
        index = headers.index(column)
        return self.loc.locator("> td").nth(index).inner_text().strip()

    def buttons(self) -> list[str]:
        return [t.strip() for t in self.loc.locator("button, a.cxd-Button").all_inner_texts() if t.strip()]

    def button(self, label: str) -> Locator:
        return self.admin.button(label, self.loc).first

    def click(self, label: str, title: str | None = None) -> "Dialog":
        """Click a row action that opens a dialog (编辑, 查看, 设置权限 ...)."""
        self.button(label).click()
        return self.admin.dialog(title)

    def confirm(self, label: str) -> None:
        """Click a row action that asks for confirmation, and confirm it (删除 ...)."""
        self.button(label).click()
        confirm = self.admin.page.locator(".cxd-Modal").filter(has=self.admin.page.locator(".cxd-Modal-footer"))
        expect(confirm.last).to_be_visible(timeout=TIMEOUT)
        self.admin.button("确认", confirm.last).first.click()

    def switch(self, column: str = "状态") -> Locator:
        headers = self.crud.columns()
        return self.loc.locator("> td").nth(headers.index(column)).locator(".cxd-Switch")

    def switch_on(self, column: str = "状态") -> bool:
        return "is-checked" in (self.switch(column).get_attribute("class") or "")


class Dialog:
    """A form in a dialog, drawer or filter, filled by field label."""

    def __init__(self, admin: Admin, root: Locator):
        self.admin, self.root, self.page = admin, root, admin.page

    def item(self, label: str) -> Locator:
        loc = self.root.locator("[data-role=form-item]").filter(
            has=self.page.locator("label.cxd-Form-label").filter(has_text=_exact(label)))
        expect(loc.first).to_be_visible(timeout=TIMEOUT)
        return loc.first

    def has_field(self, label: str) -> bool:
        return self.root.locator("[data-role=form-item]").filter(
            has=self.page.locator("label.cxd-Form-label").filter(has_text=_exact(label))).count() > 0

    def fill(self, label: str, value) -> "Dialog":
        """Set a field the way a person does, by its control: text, textarea, number, date,
        select (option labels; a list for multiple), radios, switch (bool)."""
        self.close_popover()
        item = self.item(label)
        kind = item.locator(".cxd-Form-control, .cxd-Form-value > div").first.get_attribute("class") or ""
        if "SelectControl" in kind or "TreeSelectControl" in kind:
            self.choose(label, *(value if isinstance(value, (list, tuple)) else [value]))
        elif "RadiosControl" in kind or "CheckboxesControl" in kind:
            for v in value if isinstance(value, (list, tuple)) else [value]:
                item.locator("label").filter(has_text=_exact(str(v))).first.click()
        elif "SwitchControl" in kind:
            switch = item.locator(".cxd-Switch")
            if ("is-checked" in (switch.get_attribute("class") or "")) != bool(value):
                switch.click()
        elif "DateControl" in kind or "DatePicker" in kind or item.locator(".cxd-DatePicker").count():
            box = item.locator(".cxd-DatePicker input")
            box.click()
            box.fill(str(value))
            box.press("Tab")
        elif item.locator("textarea").count():
            item.locator("textarea").fill(str(value))
        else:
            item.locator("input").first.fill(str(value))
        return self

    def type_into(self, label: str, text: str) -> Locator:
        """Type into a field's box key by key (dates typed by hand); returns the box."""
        box = self.item(label).locator("input").first
        self.close_popover()
        box.click()
        box.press("Control+a")
        box.press("Delete")
        box.press_sequentially(text)
        return box

    def options(self, label: str) -> list[str]:
        """The options a select offers now (opens and closes it)."""
        item = self.item(label)
        self._open_select(item)
        menu = self.page.locator(".cxd-PopOver .cxd-Select-menu").last
        expect(menu).to_be_visible(timeout=TIMEOUT)
        texts = [t.strip() for t in menu.locator(".cxd-Select-option").all_inner_texts()]
        self.close_popover()
        return texts

    def choose(self, label: str, *options: str) -> "Dialog":
        item = self.item(label)
        expect(item.locator(".cxd-Select")).not_to_have_class(re.compile(r"\bis-disabled\b"))
        self._open_select(item)
        menu = self.page.locator(".cxd-PopOver .cxd-Select-menu").last
        for option in options:
            menu.locator(".cxd-Select-option").filter(has_text=_exact(option)).first.click()
        self.close_popover()
        return self

    def _open_select(self, item: Locator) -> None:
        """Click a select open. A select that only took the focus (after another control kept
        it) opens on the next click, as a person would click again."""
        select = item.locator(".cxd-Select")
        select.click()
        try:
            expect(select).to_have_class(re.compile(r"\bis-opened\b"), timeout=2_000)
        except AssertionError:
            select.click()
            expect(select).to_have_class(re.compile(r"\bis-opened\b"))

    def clear(self, label: str) -> "Dialog":
        """Empty a select with its clear (×) control."""
        item = self.item(label)
        chosen = item.locator(".cxd-Select-value")
        while chosen.count():
            before = chosen.count()
            remove = chosen.first.locator(".cxd-Select-valueIcon")
            if remove.count():  # a multiple select: remove each choice
                remove.click()
            else:
                item.locator(".cxd-Select").hover()
                item.locator(".cxd-Select-clear").click()
            expect(chosen).to_have_count(before - 1 if remove.count() else 0)
        return self

    def close_popover(self) -> None:
        """Click beside an open dropdown or date picker, as a person does to close it."""
        overlay = self.page.locator(".cxd-PopOver-overlay")
        if overlay.count():
            overlay.last.click(position={"x": 2, "y": 2})
            expect(self.page.locator(".cxd-PopOver")).to_have_count(0)

    def value(self, label: str) -> str:
        item = self.item(label)
        box = item.locator("input:not([type=hidden]), textarea")
        if item.locator(".cxd-Select").count():  # the chosen options ("" when only the placeholder shows)
            return "、".join(t.strip() for t in item.locator(".cxd-Select-value").all_inner_texts())
        if box.count():
            return box.first.input_value()
        return item.evaluate("e => { const c = e.cloneNode(true); "
                             "c.querySelectorAll('label, .cxd-Form-description').forEach(x => x.remove()); "
                             "return c.innerText.trim(); }")

    def error(self, label: str) -> Locator:
        """The message shown beside a field."""
        return self.item(label).locator(".cxd-Form-feedback")

    def text(self) -> str:
        return self.root.inner_text()

    def tab(self, title: str) -> "Dialog":
        self.root.locator(".cxd-Tabs-link").filter(has_text=_exact(title)).first.click()
        expect(self.root.locator(".cxd-Tabs-link.is-active").filter(has_text=_exact(title))).to_have_count(1)
        return self

    def tree(self) -> dict[str, str]:
        """The visible tree's nodes: label -> "checked" / "unchecked" (+ " disabled")."""
        tree = self._tree()
        expect(tree.locator(".cxd-Tree-item").first).to_be_visible(timeout=TIMEOUT)
        out = {}
        for node in tree.locator(".cxd-Tree-itemLabel").all():
            label = node.locator(".cxd-Tree-itemText").inner_text().strip()
            cls = node.get_attribute("class") or ""
            box = node.locator("input[type=checkbox]")
            state = "checked" if "is-checked" in cls or box.is_checked() else "unchecked"
            if "is-disabled" in cls or box.is_disabled():
                state += " disabled"
            out[label] = state
        return out

    def _tree(self) -> Locator:
        panes = self.root.locator(".cxd-Tabs-pane.is-active")
        return (panes if panes.count() else self.root).locator(".cxd-Tree").first

    def tick(self, label: str) -> "Dialog":
        """Click a tree node's checkbox (tick or untick)."""
        tree = self._tree()
        node = tree.locator(".cxd-Tree-itemLabel").filter(
            has=self.page.locator(".cxd-Tree-itemText", has_text=_exact(label))).first
        node.locator("label.cxd-Checkbox").click()
        return self

    def submit(self, label: str = "确认") -> None:
        """Press the dialog's confirm button; the caller wraps it in ``admin.api(...)``."""
        self.close_popover()
        footer = self.root.locator(".cxd-Modal-footer, .cxd-Drawer-footer, .cxd-Panel-footer, form")
        self.admin.button(label, footer).last.click()

    def closed(self) -> None:
        expect(self.root).to_have_count(0, timeout=TIMEOUT)

    def close(self) -> None:
        self.root.locator(".cxd-Modal-close, .cxd-Drawer-close").first.click()
        self.closed()


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
