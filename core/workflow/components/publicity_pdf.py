"""The two documents of a publicity (DEV-7): the notice posted for the period (公示文件) and the
report written after it (公示报告). Plain data in, PDF bytes out, so they are built off the
event loop and tested without a database. Both embed the CJK font through ``PdfReport``."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from core.documents import PdfReport

PAGE_WIDTH = 515  # A4 minus PdfReport's 40 pt margins


@dataclass
class PublicityPerson:
    name: str
    student_no: str = ""
    branch: str = ""
    brief: str = ""
    contact: str = ""
    phone: str = ""
    assigned: str = ""  # the people of the publicity's role column (培养联系人)


@dataclass
class PublicityDoc:
    title: str
    people_label: str
    intro: str
    organiser: str
    start: date
    end: date
    working_days: int
    signature_date: date
    contact: str = ""
    phone: str = ""
    objection: str = ""  # mailbox or address objections are sent to
    with_contact: bool = False
    show_branch: bool = False
    college_name: str = ""
    people: list[PublicityPerson] = field(default_factory=list)
    # Taken off the list with a reason before completion (异议): (name, student no, reason).
    withdrawn: list[tuple[str, str, str]] = field(default_factory=list)
    role_label: str = ""  # a column of assigned people (培养联系人); "" for none


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def period_text(doc: PublicityDoc) -> str:
    return f"{cn_date(doc.start)}至{cn_date(doc.end)}（{doc.working_days}个工作日）"


def _styles(report: PdfReport):
    from reportlab.lib.styles import ParagraphStyle

    base = report.styles["p"]
    return {
        "sign": ParagraphStyle("xf-sign", parent=base, alignment=2, firstLineIndent=0, fontSize=11, leading=18),
        "plain": ParagraphStyle("xf-plain", parent=base, firstLineIndent=0),
    }


def _people_table(report: PdfReport, doc: PublicityDoc, *, result: str | None = None) -> None:
    """Name list with wrapped long texts (the brief can run to several lines)."""
    from reportlab.platypus import Paragraph, Table, TableStyle

    colors = report._colors
    cell = report.styles["cell"]
    headers: list[tuple[str, float]] = [("序号", 28), ("姓名", 66), ("学号", 80)]
    if doc.show_branch:
        headers.append(("党支部", 80))
    if doc.role_label:
        headers.append((doc.role_label, 66))
    if result is None:
        headers.append(("简要表现情况", 0))
        if doc.with_contact:
            headers += [("联系人", 50), ("联系电话", 72)]
    else:
        headers.append(("公示结果", 0))
    fixed = sum(w for _, w in headers)
    widths = [w or max(PAGE_WIDTH - fixed, 90) for _, w in headers]
    rows = [[Paragraph(escape(h), cell) for h, _ in headers]]
    for i, p in enumerate(doc.people, 1):
        row = [str(i), p.name, p.student_no]
        if doc.show_branch:
            row.append(p.branch)
        if doc.role_label:
            row.append(p.assigned)
        if result is None:
            row.append(p.brief)
            if doc.with_contact:
                row += [p.contact, p.phone]
        else:
            row.append(result)
        rows.append([Paragraph(escape(str(v or "")), cell) for v in row])
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), report.font),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3e5e5")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    report.story.append(table)


def _objection_text(doc: PublicityDoc) -> str:
    parts = [f"公示期间，如对公示对象有异议，请以来电、来信、来访等方式向{doc.organiser}反映"]
    contact = "；".join(x for x in (f"联系人：{doc.contact}" if doc.contact else "",
                                    f"联系电话：{doc.phone}" if doc.phone else "",
                                    f"来信地址/电子邮箱：{doc.objection}" if doc.objection else "") if x)
    return parts[0] + ("（" + contact + "）" if contact else "") + "。反映情况应实事求是，提倡实名反映。"


def _signature(report: PdfReport, organiser: str, on: date) -> None:
    from reportlab.platypus import Paragraph, Spacer

    style = _styles(report)["sign"]
    report.story += [Spacer(1, 24), Paragraph(escape(organiser), style), Paragraph(escape(cn_date(on)), style)]


def publicity_document(font_path: Path | str, doc: PublicityDoc) -> bytes:
    """公示文件: title, introduction, the people with their briefs, the period, how to object, signature."""
    report = PdfReport(doc.title, font_path, doc.college_name, doc.organiser, on_date=doc.signature_date)
    report.paragraph(doc.intro)
    _people_table(report, doc)
    report.spacer(8)
    report.paragraph(f"公示时间：{period_text(doc)}。")
    report.paragraph(_objection_text(doc))
    _signature(report, doc.organiser, doc.signature_date)
    return report.build()


def publicity_report(font_path: Path | str, doc: PublicityDoc, *, report_date: date, note: str = "") -> bytes:
    """公示报告: the period has ended; states the period, the people and that no objection was received."""
    report = PdfReport(f"{doc.title}报告", font_path, doc.college_name, doc.organiser, on_date=report_date)
    report.paragraph(f"根据《中国共产党发展党员工作细则》的有关规定，{doc.organiser}于{period_text(doc)}"
                     f"对{len(doc.people) + len(doc.withdrawn)}名{doc.people_label}进行了公示，"
                     f"{'其中无异议的' if doc.withdrawn else ''}公示名单如下：")
    _people_table(report, doc, result="无异议")
    report.spacer(8)
    said = "公示期间未收到异议。"
    if doc.withdrawn:
        said = (f"公示期间，对{'、'.join(f'{n}（{no}）' for n, no, _ in doc.withdrawn)}收到异议，暂缓进入下一环节"
                f"（{'；'.join(f'{n}：{r}' for n, _, r in doc.withdrawn)}）；对以上名单中的同志未收到异议。")
    report.paragraph(f"{said}{note.strip()}" if note and note.strip() else said)
    report.paragraph("特此报告。")
    _signature(report, doc.organiser, report_date)
    return report.build()
