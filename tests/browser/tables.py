"""An amis CRUD table as a person uses it: rows, row actions, batch actions, the filter and
the toolbar (part of the browser harness, docs/testing.md)."""
from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Iterator

from playwright.sync_api import Locator, expect

from tests.browser.forms import Dialog
from tests.browser.matching import TIMEOUT, api_path, path_matches

if TYPE_CHECKING:
    from tests.browser.harness import Admin


def find_crud_api(node) -> str | None:
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
        found = find_crud_api(child)
        if found:
            return found
    return None


class Crud:
    """An amis CRUD table: rows, row actions, batch actions, the filter and the toolbar."""

    def __init__(self, admin: Admin, root: Locator, api: str | None):
        self.admin, self.root, self.page = admin, root, admin.page
        self.list_path = api_path(api) if api else None

    def wait_loaded(self) -> "Crud":
        expect(self.root.locator("tbody tr").first).to_be_attached(timeout=TIMEOUT)
        expect(self.root.locator(".cxd-Spinner")).to_have_count(0, timeout=TIMEOUT)
        return self

    @contextlib.contextmanager
    def reloading(self) -> Iterator[None]:
        """Wrap an action after which the table fetches its rows again; waits for them."""
        with self.page.expect_response(
            lambda r: r.request.method == "GET" and path_matches(r.url, self.list_path), timeout=TIMEOUT,
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
