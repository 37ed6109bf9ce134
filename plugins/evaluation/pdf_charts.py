"""Charts of the evaluation PDFs, drawn with reportlab shapes so every label fits its drawing.

reportlab's chart widgets cut nothing but place nothing either: long period labels overlapped
(hence the old ``2025-20…`` truncation), a legend of seven metrics ran off the page and rank 1 sat
on the axis. Here the layout is computed: category labels wrap onto lines (or turn 45° when there
are too many categories for that), the legend flows into rows under the plot, the drawing is as
tall as its parts, and rank axes run from 1 at the top to the last rank with half a step of room
on both ends. ``Drawing.getBounds()`` of every chart stays within the drawing (tests check it).
"""
from __future__ import annotations

import math
from typing import Sequence

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

PALETTE = ["#c0392b", "#2980b9", "#27ae60", "#8e44ad", "#d35400", "#16a085", "#2c3e50", "#f39c12",
           "#7f8c8d", "#e84393", "#6c5ce7", "#00b894", "#b8860b"]
GRID = colors.HexColor("#dddddd")
AXIS = colors.HexColor("#666666")
TEXT = colors.HexColor("#333333")
LABEL_SIZE = 7.5
LEADING = 9
TITLE_SIZE = 10
_NO_START = "，。、；：？！）】》”’)]"
_NO_END = "（【《“‘(["


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` in lines no wider than ``width``: words (split at spaces) share a line while they fit,
    a word wider than a line breaks between characters (Chinese has no spaces); nothing is cut off."""
    lines: list[str] = []
    line = ""
    for word in str(text).split():
        if line and stringWidth(f"{line} {word}", font, size) <= width:
            line = f"{line} {word}"
            continue
        if line:
            lines.append(line)
            line = ""
        for ch in word:
            if line and stringWidth(line + ch, font, size) > width:
                if ch in _NO_START and len(line) > 1:  # a closing mark goes down with the character before it
                    lines.append(line[:-1])
                    line = line[-1] + ch
                elif line[-1] in _NO_END and len(line) > 1:  # an opening bracket goes down with what it opens
                    lines.append(line[:-1])
                    line = line[-1] + ch
                else:
                    lines.append(line)
                    line = ch
            else:
                line += ch
    if line:
        lines.append(line)
    return lines or [""]


def balanced(text: str, font: str, size: float, width: float) -> list[str]:
    """Like ``wrap``, with the lines about equally long (no lone bracket on a second line)."""
    lines = wrap(text, font, size, width)
    if len(lines) < 2:
        return lines
    even = wrap(text, font, size, stringWidth(str(text), font, size) / len(lines) + 1.5 * size)
    return even if len(even) == len(lines) else lines


def nice_step(span: float, max_ticks: int = 6) -> int:
    """An integer tick step (1, 2, 5, 10, 20, 50…) giving at most ``max_ticks`` ticks over ``span``."""
    raw = max(span, 1) / max_ticks
    base = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for m in (1, 2, 5, 10):
        if m * base >= raw:
            return max(1, int(m * base))
    return int(10 * base)


def rank_ticks(max_rank: int) -> list[int]:
    """Ticks of a rank axis: 1, then multiples of a nice step, up to the last rank (every rank up to 10)."""
    step = nice_step(max_rank - 1, 9)
    ticks = [1] + [t for t in range(step, max_rank + 1, step) if t > 1]
    return ticks


def rank_y(rank: float, max_rank: int, bottom: float, top: float) -> float:
    """y of ``rank`` on an axis with rank 1 at the top: half a step of room above rank 1 and below
    the last rank, so no point sits on the plot's border or on the category axis."""
    span = max(max_rank - 1, 0) + 1.0  # ranks 1..max_rank plus half a step each side
    return top - (rank - 1 + 0.5) / span * (top - bottom)


class _Categories:
    """Category labels under a plot: wrapped into at most three lines per slot, or turned 45° when
    slots are too narrow for that; ``height`` is the room they need."""

    def __init__(self, labels: Sequence[str], font: str, slot: float):
        self.font, self.slot = font, slot
        self.lines = [wrap(x, font, LABEL_SIZE, max(slot - 4, 12)) for x in labels]
        self.rotated = any(len(x) > 3 for x in self.lines)
        self.overhang = 0.0  # how far turned labels reach left of the first category's centre
        if self.rotated:
            longest = max((stringWidth(str(x), font, LABEL_SIZE) for x in labels), default=0)
            self.height = longest * math.sin(math.radians(45)) + LEADING + 4
            self.overhang = (longest + LABEL_SIZE) * math.cos(math.radians(45))
        else:
            self.height = max((len(x) for x in self.lines), default=1) * LEADING + 4
        self.labels = list(labels)

    def draw(self, g: Group, centres: Sequence[float], y: float) -> None:
        for x, label, lines in zip(centres, self.labels, self.lines):
            if self.rotated:
                s = String(0, 0, str(label), fontName=self.font, fontSize=LABEL_SIZE, fillColor=TEXT, textAnchor="end")
                turned = Group(s)
                turned.translate(x + 3, y - LEADING + 2)
                turned.rotate(45)
                g.add(turned)
            else:
                for k, line in enumerate(lines):
                    g.add(String(x, y - (k + 1) * LEADING + 1, line, fontName=self.font, fontSize=LABEL_SIZE,
                                 fillColor=TEXT, textAnchor="middle"))


def _plot_x(categories: Sequence[str], font: str, width: float) -> tuple[float, float, float, _Categories]:
    """Left and right margins, slot width and labels of a plot over ``categories``; turned labels
    widen the left margin so the first one stays inside the drawing."""
    left, right = 34.0, 12.0
    n = max(len(categories), 1)
    cats = _Categories(categories, font, (width - left - right) / n)
    if cats.rotated:
        slot = (width - left - right) / n
        left = max(left, cats.overhang - slot / 2 + 4)
        cats = _Categories(categories, font, (width - left - right) / n)
    return left, right, (width - left - right) / n, cats


def _legend(names: Sequence[str], font: str, width: float) -> tuple[list[tuple[float, int, str]], float]:
    """Legend entries flowed into rows within ``width``: [(x, row, name)], and the height they need."""
    placed, x, row = [], 0.0, 0
    for name in names:
        w = 14 + stringWidth(name, font, LABEL_SIZE) + 12
        if x and x + w > width:
            x, row = 0.0, row + 1
        placed.append((x, row, name))
        x += w
    return placed, ((row + 1) * (LEADING + 3) if names else 0)


def _title(d: Drawing, text: str, font: str, width: float, y: float) -> None:
    d.add(String(width / 2, y, text, fontName=font, fontSize=TITLE_SIZE, fillColor=TEXT, textAnchor="middle"))


def rank_lines(font: str, title: str, categories: Sequence[str], series: dict[str, Sequence[float | None]], *,
               width: float = 500, plot_height: float = 170, point_labels: bool | None = None,
               rank_total: int | None = None) -> Drawing:
    """Ranks over periods, one line per series, rank 1 at the top (down to ``rank_total``, the number
    ranked, so rank 4 of 8 sits mid-way); a legend below when there are several series, the rank
    printed at each point when there is one."""
    names = list(series)
    left, right, slot, cats = _plot_x(categories, font, width)
    legend, legend_h = _legend(names, font, width - 20) if len(names) > 1 else ([], 0)
    height = 18 + 8 + plot_height + cats.height + (legend_h + 6 if legend else 0) + 4
    d = Drawing(width, height)
    _title(d, title, font, width, height - 14)
    top = height - 26
    bottom = top - plot_height
    values = [v for s in series.values() for v in s if v is not None]
    max_rank = int(max(values + [rank_total or 1]))
    plot_w = width - left - right
    g = Group()
    for t in rank_ticks(max_rank):
        y = rank_y(t, max_rank, bottom, top)
        g.add(Line(left, y, left + plot_w, y, strokeColor=GRID, strokeWidth=0.5))
        g.add(String(left - 4, y - 2.5, str(t), fontName=font, fontSize=LABEL_SIZE, fillColor=TEXT, textAnchor="end"))
    g.add(Line(left, bottom, left + plot_w, bottom, strokeColor=AXIS, strokeWidth=0.8))
    g.add(Line(left, bottom, left, top, strokeColor=AXIS, strokeWidth=0.8))
    g.add(String(left - 4, top + 4, "名次", fontName=font, fontSize=LABEL_SIZE, fillColor=TEXT, textAnchor="end"))
    centres = [left + slot * (i + 0.5) for i in range(len(categories))]
    show_values = (len(names) == 1) if point_labels is None else point_labels
    for i, name in enumerate(names):
        color = colors.HexColor(PALETTE[i % len(PALETTE)])
        pts = [(x, rank_y(v, max_rank, bottom, top)) for x, v in zip(centres, series[name]) if v is not None]
        run: list[float] = []
        for x, v in zip(centres, series[name]):  # connect consecutive periods; a gap breaks the line
            if v is None:
                if len(run) >= 4:
                    g.add(PolyLine(run, strokeColor=color, strokeWidth=1.3))
                run = []
            else:
                run += [x, rank_y(v, max_rank, bottom, top)]
        if len(run) >= 4:
            g.add(PolyLine(run, strokeColor=color, strokeWidth=1.3))
        for (x, y), v in zip(pts, [v for v in series[name] if v is not None]):
            g.add(Circle(x, y, 2.2, fillColor=color, strokeColor=colors.white, strokeWidth=0.5))
            if show_values:
                g.add(String(x, y + 4, f"{v:g}", fontName=font, fontSize=LABEL_SIZE, fillColor=color, textAnchor="middle"))
    cats.draw(g, centres, bottom - 1)
    d.add(g)
    if legend:
        base = bottom - cats.height - 6
        for x, row, name in legend:
            color = colors.HexColor(PALETTE[names.index(name) % len(PALETTE)])
            y = base - row * (LEADING + 3) - LEADING
            d.add(Line(10 + x, y + 3, 10 + x + 10, y + 3, strokeColor=color, strokeWidth=1.6))
            d.add(Circle(10 + x + 5, y + 3, 2, fillColor=color, strokeColor=color))
            d.add(String(10 + x + 14, y, name, fontName=font, fontSize=LABEL_SIZE, fillColor=TEXT))
    return d


def bars(font: str, title: str, categories: Sequence[str], values: Sequence[float], *, width: float = 500,
         plot_height: float = 150) -> Drawing:
    """Vertical bars, one per category (e.g. top-p % members per period), the value above each bar."""
    left, right, slot, cats = _plot_x(categories, font, width)
    height = 18 + 14 + plot_height + cats.height + 4
    d = Drawing(width, height)
    _title(d, title, font, width, height - 14)
    top = height - 32
    bottom = top - plot_height
    plot_w = width - left - right
    high = max(list(values) + [1])
    step = nice_step(high, 5)
    axis_max = step * math.ceil(high / step)
    g = Group()
    for t in range(0, axis_max + 1, step):
        y = bottom + t / axis_max * plot_height
        g.add(Line(left, y, left + plot_w, y, strokeColor=GRID, strokeWidth=0.5))
        g.add(String(left - 4, y - 2.5, str(t), fontName=font, fontSize=LABEL_SIZE, fillColor=TEXT, textAnchor="end"))
    g.add(Line(left, bottom, left, top, strokeColor=AXIS, strokeWidth=0.8))
    bar_w = min(slot * 0.6, 36)
    centres = [left + slot * (i + 0.5) for i in range(len(categories))]
    for x, v in zip(centres, values):
        h = v / axis_max * plot_height
        g.add(Rect(x - bar_w / 2, bottom, bar_w, h, fillColor=colors.HexColor(PALETTE[0]), strokeColor=None))
        g.add(String(x, bottom + h + 2, f"{v:g}", fontName=font, fontSize=LABEL_SIZE, fillColor=TEXT, textAnchor="middle"))
    g.add(Line(left, bottom, left + plot_w, bottom, strokeColor=AXIS, strokeWidth=0.8))
    cats.draw(g, centres, bottom - 1)
    d.add(g)
    return d


def hbars(font: str, title: str, names: Sequence[str], values: Sequence[float], *, width: float = 500,
          row: float = 15) -> Drawing:
    """Horizontal bars, one row per name (e.g. top-p % members per branch): names of any length
    read in full at the left, wrapped onto two lines when longer than a third of the width."""
    label_w = min(max((stringWidth(x, font, LABEL_SIZE) for x in names), default=20) + 6, width * 0.4)
    wrapped = [balanced(x, font, LABEL_SIZE, label_w - 6) for x in names]
    heights = [max(row, len(w) * LEADING + 4) for w in wrapped]
    plot_w = width - label_w - 40
    height = 18 + 6 + sum(heights) + 16
    d = Drawing(width, height)
    _title(d, title, font, width, height - 14)
    high = max(list(values) + [1])
    step = nice_step(high, 5)
    axis_max = step * math.ceil(high / step)
    x0, top = label_w, height - 24
    bottom = top - sum(heights)
    for t in range(0, axis_max + 1, step):
        x = x0 + t / axis_max * plot_w
        d.add(Line(x, bottom, x, top, strokeColor=GRID, strokeWidth=0.5))
        d.add(String(x, bottom - 10, str(t), fontName=font, fontSize=LABEL_SIZE, fillColor=TEXT, textAnchor="middle"))
    y = top
    for lines, h, v in zip(wrapped, heights, values):
        mid = y - h / 2
        for k, line in enumerate(lines):
            d.add(String(x0 - 6, mid + (len(lines) / 2 - k - 1) * LEADING + 2, line, fontName=font, fontSize=LABEL_SIZE,
                         fillColor=TEXT, textAnchor="end"))
        w = v / axis_max * plot_w
        d.add(Rect(x0, mid - 4.5, w, 9, fillColor=colors.HexColor(PALETTE[0]), strokeColor=None))
        d.add(String(x0 + w + 3, mid - 2.5, f"{v:g}", fontName=font, fontSize=LABEL_SIZE, fillColor=TEXT))
        y -= h
    d.add(Line(x0, bottom, x0, top, strokeColor=AXIS, strokeWidth=0.8))
    return d
