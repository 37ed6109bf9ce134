"""The papers of a general meeting: the ballot (表决票, one row per person voted on, 同意 /
不同意 / 弃权 to mark) and the organisation-life record (组织生活记录: the meeting, its
attendance and, with a vote, each person's counts and result). Plain data in, PDF bytes out
(embedded CJK font through ``PdfReport``), so they are built off the event loop."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from core.documents import PdfReport

PAGE_WIDTH = 515


def pdf_name(title: str, suffix: str = "") -> str:
    return (re.sub(r'[\\/:*?"<>|\x00]+|\.\.+', "_", title).strip() or "会议")[:150] + suffix + ".pdf"


def cn_date(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


@dataclass
class BallotDoc:
    title: str
    branch: str
    vote_label: str  # 接收预备党员 / 预备党员转正
    day: date | None
    people: list[tuple[str, str]] = field(default_factory=list)  # (name, student no)
    college: str = ""


def _grid(report: PdfReport, headers: list[tuple[str, float]], rows: list[list[str]]) -> None:
    from reportlab.platypus import Paragraph, Table, TableStyle

    cell = report.styles["cell"]
    fixed = sum(w for _, w in headers)
    widths = [w or max(PAGE_WIDTH - fixed, 80) for _, w in headers]
    data = [[Paragraph(escape(h), cell) for h, _ in headers]] + [[Paragraph(escape(str(v)), cell) for v in r] for r in rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), report.font),
        ("BACKGROUND", (0, 0), (-1, 0), report._colors.HexColor("#f3e5e5")),
        ("GRID", (0, 0), (-1, -1), 0.4, report._colors.HexColor("#999999")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [None]),
    ]))
    report.story.append(table)


def ballot_pdf(font_path: Path | str, doc: BallotDoc) -> bytes:
    """表决票: the people voted on, a box per choice, how to mark it."""
    report = PdfReport(f"{doc.branch}支部大会表决票（{doc.vote_label}）" if doc.branch else f"支部大会表决票（{doc.vote_label}）",
                       font_path, doc.college, doc.title, on_date=doc.day)
    report.paragraph(f"会议：{doc.title}　　日期：{cn_date(doc.day)}")
    report.paragraph(f"表决内容：{doc.vote_label}。请在每人对应的“同意”“不同意”“弃权”栏中选择一项划“○”，"
                     "不划或多划视为弃权。本票由有表决权的正式党员填写，不记名。")
    _grid(report, [("序号", 32), ("姓名", 90), ("学号", 100), ("同意", 0), ("不同意", 90), ("弃权", 90)],
          [[str(i), name, no, "", "", ""] for i, (name, no) in enumerate(doc.people, 1)])
    return report.build()


@dataclass
class RecordPerson:
    name: str
    student_no: str
    yes: int
    no: int
    abstain: int
    result: str


@dataclass
class RecordDoc:
    title: str
    type_label: str
    branch: str
    start: str
    end: str
    place: str
    host: str
    recorder: str
    scope_label: str
    content: str
    minutes: str
    attendees: int
    present: int
    leave: list[str]
    absent: list[str]
    vote_label: str = ""
    expected: int = 0  # 应到: members entitled to vote
    present_voters: int = 0  # 实到: of them, present
    people: list[RecordPerson] = field(default_factory=list)
    college: str = ""
    day: date | None = None


def record_pdf(font_path: Path | str, doc: RecordDoc) -> bytes:
    """组织生活记录: the meeting, attendance, minutes and, with a vote, every person's result."""
    report = PdfReport(f"{doc.title}组织生活记录", font_path, doc.college, doc.branch, on_date=doc.day)
    report.table(["项目", "内容"], [
        ["会议类型", doc.type_label], ["会议名称", doc.title], ["会议时间", f"{doc.start}至{doc.end}"], ["会议地点", doc.place],
        ["主持人", doc.host or "-"], ["记录人", doc.recorder or "-"], ["发布范围", doc.scope_label],
    ], col_widths=[100, PAGE_WIDTH - 100])
    report.heading("参会情况")
    report.paragraph(f"应参会{doc.attendees}人，实际参会{doc.present}人，请假{len(doc.leave)}人，缺席{len(doc.absent)}人。")
    if doc.leave:
        report.paragraph("请假：" + "、".join(doc.leave))
    if doc.absent:
        report.paragraph("缺席：" + "、".join(doc.absent))
    if doc.content:
        report.heading("会议内容")
        report.paragraph(doc.content)
    if doc.vote_label:
        report.heading(f"表决结果（{doc.vote_label}）")
        report.paragraph(f"应到会有表决权的正式党员{doc.expected}人，实到{doc.present_voters}人。"
                         "赞成票超过应到会有表决权的正式党员的半数，方为通过。")
        _grid(report, [("序号", 32), ("姓名", 70), ("学号", 90), ("赞成", 45), ("反对", 45), ("弃权", 45), ("表决结果", 0)],
              [[str(i), p.name, p.student_no, p.yes, p.no, p.abstain, p.result] for i, p in enumerate(doc.people, 1)])
    if doc.minutes:
        report.heading("会议记录")
        for line in doc.minutes.splitlines():
            if line.strip():
                report.paragraph(line.strip())
    return report.build()
