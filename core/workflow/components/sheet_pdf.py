"""Fast printed forms: many similar pages drawn straight on a reportlab canvas.

The record forms of a symposium, ballots and inquiry letters are hundreds of near-identical
pages (500 in one export). Platypus lays out every page from scratch; here the fixed part
of a page (title, grid, labels, boxes) is drawn once as a form XObject and stamped on each
page, and only the person's values are written per page. The CJK font is embedded
(``core.documents.register_cjk_font``); text that does not fit its cell is shrunk, then
wrapped or cut with an ellipsis, never drawn over a line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Callable

from core.documents import register_cjk_font

PAGE_W, PAGE_H = 595.27, 841.89  # A4 in points
MARGIN = 50
NO_LINE_START = "，。、；：？！）》」』”’,.;:?!)"


@lru_cache(maxsize=65536)
def text_width(font: str, text: str, size: float) -> float:
    """Width in points (cached: a form measures the same characters over and over)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, font, size)


TOKENS = re.compile(r"[A-Za-z0-9@._\-+:/#]+|.", re.S)


def wrap(font: str, text: str, size: float, width: float) -> list[str]:
    """Lines of at most ``width`` points, broken between Chinese characters; a run of Latin
    letters and digits (a phone number, a student number) stays on one line when it fits;
    closing punctuation never starts a line; explicit newlines are kept."""
    lines: list[str] = []
    for para in (text or "").split("\n"):
        line, used = "", 0.0
        for token in TOKENS.findall(para):
            w = text_width(font, token, size)
            if line and used + w > width and token not in NO_LINE_START:
                lines.append(line)
                line, used = "", 0.0
            if w > width:  # a run longer than the line: break it by characters
                for ch in token:
                    cw = text_width(font, ch, size)
                    if line and used + cw > width:
                        lines.append(line)
                        line, used = "", 0.0
                    line, used = line + ch, used + cw
                continue
            line, used = line + token, used + w
        lines.append(line)
    return lines


@dataclass
class Box:
    """A rectangle on the page: x, y of the lower-left corner, width, height."""

    x: float
    y: float
    w: float
    h: float


class Sheet:
    """One PDF of many pages; ``template(name, draw)`` once, then ``page(name, fill)`` per page."""

    def __init__(self, font_path: Path | str, title: str):
        from reportlab.pdfgen.canvas import Canvas

        self.font = register_cjk_font(font_path)
        self.buffer = BytesIO()
        self.canvas = Canvas(self.buffer, pagesize=(PAGE_W, PAGE_H), pageCompression=1)
        self.canvas.setTitle(title)
        self.canvas.setAuthor("先锋党建管理平台")
        self.templates: set[str] = set()
        self.pages = 0

    def template(self, name: str, draw: Callable[["Sheet"], None]) -> None:
        if name in self.templates:
            return
        self.canvas.beginForm(name)
        draw(self)
        self.canvas.endForm()
        self.templates.add(name)

    def page(self, template: str | None, fill: Callable[["Sheet"], None]) -> None:
        if template:
            self.canvas.doForm(template)
        fill(self)
        self.pages += 1
        self.canvas.setFont(self.font, 8)
        self.canvas.drawCentredString(PAGE_W / 2, 22, f"第 {self.pages} 页")
        self.canvas.showPage()

    def build(self) -> bytes:
        if self.pages == 0:
            self.page(None, lambda s: s.text(MARGIN, PAGE_H - MARGIN, "（无内容）", 11))
        self.canvas.save()
        return self.buffer.getvalue()

    # --- drawing --------------------------------------------------------------------------

    def text(self, x: float, y: float, text: str, size: float = 11, align: str = "left") -> None:
        c = self.canvas
        c.setFont(self.font, size)
        if align == "center":
            c.drawCentredString(x, y, text)
        elif align == "right":
            c.drawRightString(x, y, text)
        else:
            c.drawString(x, y, text)

    def fit(self, box: Box, text: str, size: float = 10.5, min_size: float = 7, align: str = "left", pad: float = 4) -> None:
        """One line centred vertically in ``box``: shrunk down to ``min_size``, then wrapped on
        two lines, then cut with an ellipsis."""
        text = " ".join(str(text or "").split())
        width = box.w - 2 * pad
        s = size
        while s > min_size and text_width(self.font, text, s) > width:
            s -= 0.5
        if text_width(self.font, text, s) <= width:
            x = {"center": box.x + box.w / 2, "right": box.x + box.w - pad}.get(align, box.x + pad)
            self.text(x, box.y + (box.h - s) / 2 + 1.5, text, s, align)
            return
        lines = wrap(self.font, text, s, width)
        if len(lines) > 2:
            lines = [lines[0], self._cut(lines[1] + "".join(lines[2:]), s, width)]
        top = box.y + box.h / 2 + s * 0.2
        for i, line in enumerate(lines[:2]):
            self.text(box.x + pad, top - i * (s + 1.5) + (1 if len(lines) == 1 else 0), line, s)

    def _cut(self, text: str, size: float, width: float) -> str:
        while text and text_width(self.font, text + "…", size) > width:
            text = text[:-1]
        return text + "…"

    def paragraph(self, x: float, y: float, width: float, text: str, size: float = 11, leading: float = 20,
                  indent: int = 2) -> float:
        """Wrapped text from the baseline ``y`` down, the first line indented by ``indent``
        characters; returns the baseline below the last line."""
        pad = "\u3000" * indent
        for line in wrap(self.font, pad + text, size, width):
            self.text(x, y, line, size)
            y -= leading
        return y

    def rect(self, box: Box, width: float = 0.6) -> None:
        c = self.canvas
        c.setLineWidth(width)
        c.rect(box.x, box.y, box.w, box.h)

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.6) -> None:
        c = self.canvas
        c.setLineWidth(width)
        c.line(x1, y1, x2, y2)

    def dashed(self, x1: float, y: float, x2: float) -> None:
        c = self.canvas
        c.saveState()
        c.setDash(4, 3)
        c.setLineWidth(0.5)
        c.line(x1, y, x2, y)
        c.restoreState()


def grid(sheet: Sheet, top: float, rows: int, row_h: float, cols: list[float], left: float = MARGIN) -> list[list[Box]]:
    """Draw a table of ``rows`` × len(``cols``) cells from ``top`` down; returns the cell boxes."""
    total = sum(cols)
    for r in range(rows + 1):
        sheet.line(left, top - r * row_h, left + total, top - r * row_h)
    x = left
    for w in [0, *cols]:
        x += w
        sheet.line(x, top, x, top - rows * row_h)
    boxes = []
    for r in range(rows):
        x, row = left, []
        for w in cols:
            row.append(Box(x, top - (r + 1) * row_h, w, row_h))
            x += w
        boxes.append(row)
    return boxes


def cn_date(value) -> str:
    """2026年5月1日 (dates in forms read the Chinese way); empty for None."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"
