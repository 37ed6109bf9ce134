"""The papers of a meeting (DEV-10): the ballot (表决票) printed before it, listing the people
voted on with a box per choice, and the record (会议记录) written after it: time, place,
attendance and the result per person. Plain data in, PDF bytes out, with the embedded CJK
font; the committee meeting uses both, the general meeting (党员大会) the same ballot with
its own vote content and choices."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from core.documents import PdfReport
from core.workflow.components.sheet_pdf import MARGIN, PAGE_H, PAGE_W, Sheet, grid

ROWS_PER_PAGE = 22


@dataclass
class BallotPerson:
    name: str
    student_no: str = ""
    branch: str = ""


@dataclass
class Ballot:
    title: str  # e.g. 支委会议表决票
    vote_content: str  # e.g. 关于确定以下同志为发展对象的表决
    organiser: str = ""  # e.g. 本科生第一党支部
    choices: tuple[str, ...] = ("同意", "不同意", "弃权")
    people: list[BallotPerson] = field(default_factory=list)
    copies: int = 1
    instructions: str = "说明：请在每位同志对应的表决意见栏内划“√”，每人只能选择一项，多选或不选的视为弃权。"
    footer: str = "表决时间：　　　年　　月　　日"


def _ballot_header(b: Ballot):
    def draw(s: Sheet) -> None:
        s.text(PAGE_W / 2, PAGE_H - 64, b.title, 18, "center")
        y = PAGE_H - 92
        if b.organiser:
            s.text(PAGE_W / 2, y, b.organiser, 11, "center")
            y -= 22
        s.text(MARGIN, y, b.vote_content, 12)
        s.paragraph(MARGIN, y - 20, PAGE_W - 2 * MARGIN, b.instructions, 9.5, 14, indent=0)
        s.text(MARGIN, 62, b.footer, 10.5)
    return draw


def _columns(b: Ballot) -> list[float]:
    fixed = [34, 80, 90]
    choice = 54
    branch = PAGE_W - 2 * MARGIN - sum(fixed) - choice * len(b.choices)
    return [*fixed, max(branch, 60), *[choice] * len(b.choices)]


def ballot_pdf(font_path: Path | str, b: Ballot) -> bytes:
    """``copies`` ballots; each lists every person (over several pages when the list is long)."""
    sheet = Sheet(font_path, b.title)
    sheet.template("ballot", _ballot_header(b))
    cols = _columns(b)
    heads = ["序号", "姓名", "学号", "所在党支部", *b.choices]
    chunks = [b.people[i:i + ROWS_PER_PAGE] for i in range(0, len(b.people), ROWS_PER_PAGE)] or [[]]
    top = PAGE_H - 150 - (22 if b.organiser else 0)
    for _ in range(max(1, b.copies)):
        for n, chunk in enumerate(chunks):
            def fill(s: Sheet, chunk=chunk, n=n) -> None:
                cells = grid(s, top, len(chunk) + 1, 24, cols)
                for c, head in enumerate(heads):
                    s.fit(cells[0][c], head, 10, align="center")
                for r, p in enumerate(chunk, 1):
                    values = [str(n * ROWS_PER_PAGE + r), p.name, p.student_no, p.branch]
                    for c, v in enumerate(values):
                        s.fit(cells[r][c], v, 10, align="center" if c != 3 else "left")
            sheet.page("ballot", fill)
    return sheet.build()


@dataclass
class MinutesRow:
    name: str
    student_no: str
    result: str
    note: str = ""


@dataclass
class Minutes:
    title: str  # e.g. 支部委员会会议记录
    topic: str  # 议题
    organiser: str
    held_at: str  # 2026年5月1日 14:30
    place: str
    expected: int | None = None
    present: int | None = None
    attendees: str = ""
    absentees: str = ""
    rows: list[MinutesRow] = field(default_factory=list)
    note: str = ""
    college_name: str = ""


def minutes_pdf(font_path: Path | str, m: Minutes) -> bytes:
    """The record of a meeting: who met when and where, and what was decided for each person."""
    from reportlab.platypus import Paragraph, Table, TableStyle

    report = PdfReport(m.title, font_path, m.college_name, m.organiser)
    report.heading("会议基本情况")
    attendance = ""
    if m.expected is not None and m.present is not None:
        attendance = f"应到{m.expected}人，实到{m.present}人"
    for label, value in (("会议时间", m.held_at), ("会议地点", m.place), ("参会情况", attendance),
                         ("出席人员", m.attendees), ("缺席人员及原因", m.absentees), ("会议议题", m.topic)):
        if value:
            report.paragraph(f"{label}：{value}")
    report.heading("表决结果")
    cell = report.styles["cell"]
    rows = [[Paragraph(escape(h), cell) for h in ("序号", "姓名", "学号", "表决结果", "说明")]]
    rows += [[Paragraph(escape(str(v)), cell) for v in (i, r.name, r.student_no, r.result, r.note)]
             for i, r in enumerate(m.rows, 1)]
    table = Table(rows, colWidths=[34, 80, 100, 80, 221], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, report._colors.HexColor("#999999")),
                               ("BACKGROUND", (0, 0), (-1, 0), report._colors.HexColor("#f3e5e5")),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    report.story.append(table)
    if m.note:
        report.heading("其他记录")
        report.paragraph(m.note)
    return report.build()

