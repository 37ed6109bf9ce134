"""A form as a person fills it (a dialog, drawer, filter or page form), by field label (part of
the browser harness, docs/testing.md)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from playwright.sync_api import Locator, expect

from tests.browser.matching import TIMEOUT, exact

if TYPE_CHECKING:
    from tests.browser.harness import Admin


class Dialog:
    """A form in a dialog, drawer or filter, filled by field label."""

    def __init__(self, admin: Admin, root: Locator):
        self.admin, self.root, self.page = admin, root, admin.page

    def item(self, label: str) -> Locator:
        loc = self.root.locator("[data-role=form-item]").filter(
            has=self.page.locator("label.cxd-Form-label").filter(has_text=exact(label)))
        expect(loc.first).to_be_visible(timeout=TIMEOUT)
        return loc.first

    def has_field(self, label: str) -> bool:
        return self.root.locator("[data-role=form-item]").filter(
            has=self.page.locator("label.cxd-Form-label").filter(has_text=exact(label))).count() > 0

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
                item.locator("label").filter(has_text=exact(str(v))).first.click()
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
        # amis re-draws the form a few hundred ms after a choice in another field (a select's change
        # is debounced) and a date box drawn again forgets text typed into it meanwhile. A person
        # never types that fast after choosing; the test does, so it types again when that happened.
        for _ in range(3):
            self.close_popover()
            box.click()
            box.press("Control+a")
            box.press("Delete")
            box.press_sequentially(text)
            if box.input_value() == text:
                break
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
            menu.locator(".cxd-Select-option").filter(has_text=exact(option)).first.click()
        self.close_popover()
        return self

    def _open_select(self, item: Locator) -> None:
        """Click a select open. A select that only took the focus (after another control kept
        it) opens on the next click, as a person would click again."""
        select = item.locator(".cxd-Select")
        select.click()
        try:
            expect(select).to_have_class(re.compile(r"\bis-opened\b"), timeout=5_000)
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
        self.root.locator(".cxd-Tabs-link").filter(has_text=exact(title)).first.click()
        expect(self.root.locator(".cxd-Tabs-link.is-active").filter(has_text=exact(title))).to_have_count(1)
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
            has=self.page.locator(".cxd-Tree-itemText", has_text=exact(label))).first
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
