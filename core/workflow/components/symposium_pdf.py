"""The record form of a symposium (座谈会, DEV-11), one page per person, pre-filled with the
person's basic information and left blank where the meeting's opinions are written by hand.

The form is declared by the stage (``RecordForm``): its title, the pre-filled fields (label
and the key of the value), the blank sections and the signature line. The candidate stage
uses 《入党重点发展对象群众意见原始记录表》 (``MASS_OPINION_FORM``), the conversion stage
《拟转正预备党员民主评议意见原始记录表》 (``DEMOCRATIC_REVIEW_FORM``); a declaration may build its own.

Value keys a field may name: ``name``, ``student_no``, ``gender``, ``ethnicity``,
``birth_date``, ``political_status``, ``native_place``, ``grade``, ``phone``, ``branch``
(所在党支部), ``held_at`` and ``place`` (the symposium's time and place), and
``milestone:<key>`` (a date of the person's record, e.g. ``milestone:activist_at``).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.workflow.components.sheet_pdf import MARGIN, PAGE_H, PAGE_W, Box, Sheet, grid

VALUE_KEYS = ("name", "student_no", "gender", "ethnicity", "birth_date", "political_status", "native_place", "grade",
              "phone", "branch", "held_at", "place")


@dataclass(frozen=True)
class RecordForm:
    """A symposium's pre-filled record form, as the stage declares it."""

    title: str
    fields: tuple[tuple[str, str], ...]  # (label, value key), two per row
    sections: tuple[tuple[str, int], ...] = ()  # (heading, relative height) of the boxes filled by hand
    signatures: str = "主持人：　　　　　　　记录人：　　　　　　　党支部（盖章）　　　　年　　月　　日"
    note: str = ""

    def __post_init__(self):
        if not self.title or not self.fields:
            raise ValueError("a record form needs a title and at least one field")
        for label, key in self.fields:
            if key not in VALUE_KEYS and not key.startswith("milestone:"):
                raise ValueError(f"record form field {label!r}: unknown value key {key!r}")


MASS_OPINION_FORM = RecordForm(
    title="入党重点发展对象群众意见原始记录表",
    fields=(("姓名", "name"), ("学号", "student_no"), ("性别", "gender"), ("出生年月", "birth_date"),
            ("民族", "ethnicity"), ("政治面貌", "political_status"), ("所在党支部", "branch"),
            ("确定为积极分子时间", "milestone:activist_at"), ("座谈会时间", "held_at"), ("座谈会地点", "place")),
    sections=(("参加座谈会人员（签名）", 2), ("群众意见（主要优点、不足及努力方向）", 5), ("座谈会综合意见", 2)),
    note="注：本表由座谈会记录人如实填写，会后扫描上传，原件存入本人入党材料。",
)

DEMOCRATIC_REVIEW_FORM = RecordForm(
    title="拟转正预备党员民主评议意见原始记录表",
    fields=(("姓名", "name"), ("学号", "student_no"), ("性别", "gender"), ("出生年月", "birth_date"),
            ("民族", "ethnicity"), ("政治面貌", "political_status"), ("所在党支部", "branch"),
            ("接收为预备党员时间", "milestone:received_at"), ("座谈会时间", "held_at"), ("座谈会地点", "place")),
    sections=(("参加评议人员（签名）", 2), ("民主评议意见（政治表现、思想作风、学习工作及存在不足）", 5), ("评议结论", 2)),
    note="注：本表由座谈会记录人如实填写，会后扫描上传，原件存入本人入党材料。",
)

LABEL_W = 82
ROW_H = 26
TOP = PAGE_H - 96
FOOT = 96


def _layout(form: RecordForm) -> tuple[int, list[float]]:
    rows = (len(form.fields) + 1) // 2
    value_w = (PAGE_W - 2 * MARGIN - 2 * LABEL_W) / 2
    return rows, [LABEL_W, value_w, LABEL_W, value_w]


def _static(form: RecordForm):
    rows, cols = _layout(form)

    def draw(s: Sheet) -> None:
        s.text(PAGE_W / 2, PAGE_H - 64, form.title, 16, "center")
        cells = grid(s, TOP, rows, ROW_H, cols)
        for i, (label, _) in enumerate(form.fields):
            s.fit(cells[i // 2][(i % 2) * 2], label, 10, align="center")
        bottom = TOP - rows * ROW_H
        weights = sum(w for _, w in form.sections) or 1
        space = bottom - FOOT
        y = bottom
        for heading, weight in form.sections:
            h = space * weight / weights
            box = Box(MARGIN, y - h, PAGE_W - 2 * MARGIN, h)
            s.rect(box)
            s.text(MARGIN + 6, y - 16, heading, 10.5)
            y -= h
        s.text(MARGIN, FOOT - 24, form.signatures, 10.5)
        if form.note:
            s.text(MARGIN, FOOT - 46, form.note, 8.5)

    return draw


def _fill(form: RecordForm, values: dict[str, str]):
    rows, cols = _layout(form)
    cells = [[Box(0, 0, 0, 0)] * 4 for _ in range(rows)]
    x = MARGIN
    for c, w in enumerate(cols):
        for r in range(rows):
            cells[r][c] = Box(x, TOP - (r + 1) * ROW_H, w, ROW_H)
        x += w

    def draw(s: Sheet) -> None:
        for i, (_, key) in enumerate(form.fields):
            s.fit(cells[i // 2][(i % 2) * 2 + 1], values.get(key, ""), 10.5)

    return draw


def record_forms(font_path: Path | str, form: RecordForm, people: list[dict[str, str]]) -> bytes:
    """One PDF with a pre-filled form per person (the merged export)."""
    sheet = Sheet(font_path, form.title)
    sheet.template("recordform", _static(form))
    for values in people:
        sheet.page("recordform", _fill(form, values))
    return sheet.build()


def record_form(font_path: Path | str, form: RecordForm, values: dict[str, str]) -> bytes:
    """The form of one person (one file per person in the zip export)."""
    return record_forms(font_path, form, [values])
