"""The form of a filing, pre-review or approval (备案表 / 预审表 / 审批表, DEV-8): the branch's
list of people with their dates and results, its opinion, and the places for the seals and
the committee's decision. Plain data in, PDF bytes out (built off the event loop), with the
embedded CJK font of ``PdfReport``."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from core.documents import PdfReport
from core.workflow.components.publicity_pdf import PAGE_WIDTH, cn_date


@dataclass
class FormPerson:
    name: str
    student_no: str = ""
    gender: str = ""
    birth_date: str = ""
    branch: str = ""
    dates: list[str] = field(default_factory=list)  # one per ``FormDoc.date_labels``
    result: str = ""  # the branch's result (pre-review) or the decision once made
    opinion: str = ""


@dataclass
class FormDoc:
    title: str  # e.g. 入党积极分子备案表
    word: str  # 备案 / 预审 / 审批
    people_label: str
    branch: str
    filing_date: date
    college_name: str = ""
    date_labels: list[str] = field(default_factory=list)
    opinion: str = ""  # the branch's opinion on the whole list
    with_result: bool = False  # a result column (the branch's per-person result of a pre-review)
    authority: str = "学院党委"
    people: list[FormPerson] = field(default_factory=list)


def _table(report: PdfReport, doc: FormDoc) -> None:
    from reportlab.platypus import Paragraph, Table, TableStyle

    cell = report.styles["cell"]
    headers: list[tuple[str, float]] = [("序号", 26), ("姓名", 56), ("学号", 72), ("性别", 28), ("出生日期", 62)]
    if not doc.branch:
        headers.append(("党支部", 76))
    headers += [(label, 62) for label in doc.date_labels]
    if doc.with_result:
        headers.append(("支部意见", 48))
    headers.append(("备注", 0))
    fixed = sum(w for _, w in headers)
    widths = [w or max(PAGE_WIDTH - fixed, 60) for _, w in headers]
    rows = [[Paragraph(escape(h), cell) for h, _ in headers]]
    for i, p in enumerate(doc.people, 1):
        row = [str(i), p.name, p.student_no, p.gender, p.birth_date]
        if not doc.branch:
            row.append(p.branch)
        row += p.dates
        if doc.with_result:
            row.append(p.result)
        row.append(p.opinion)
        rows.append([Paragraph(escape(str(v or "")), cell) for v in row])
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), report.font),
        ("BACKGROUND", (0, 0), (-1, 0), report._colors.HexColor("#f3e5e5")),
        ("GRID", (0, 0), (-1, -1), 0.4, report._colors.HexColor("#999999")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    report.story.append(table)


def filing_form(font_path: Path | str, doc: FormDoc) -> bytes:
    """The form the branch generates (确认并生成{word}表) and submits to the committee."""
    report = PdfReport(doc.title, font_path, doc.college_name, doc.branch, on_date=doc.filing_date)
    report.paragraph(f"填表时间：{cn_date(doc.filing_date)}。现将{doc.branch or '各党支部'}{len(doc.people)}名"
                     f"{doc.people_label}名单报{doc.authority}{doc.word}，具体如下：")
    _table(report, doc)
    report.spacer(10)
    report.paragraph(f"党支部意见：{doc.opinion.strip() or '同意报' + doc.authority + doc.word + '。'}")
    report.spacer(18)
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    sign = ParagraphStyle("xf-form-sign", parent=report.styles["p"], firstLineIndent=0, leading=22)
    for line in (f"党支部（盖章）：{escape(doc.branch)}", "党支部书记（签字）：", f"{escape(doc.authority)}{doc.word}意见：",
                 f"{escape(doc.authority)}（盖章）：　　　　　　　　　　　　年　　月　　日"):
        report.story.append(Paragraph(line, sign))
    return report.build()
