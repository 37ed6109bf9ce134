"""PDF exports (EV-6): the same figures as the API (the report models), laid out for A4.

A heading never ends a page: each section asks for room for its heading and the start of what
follows (``CondPageBreak``) and moves to the next page otherwise. Tables fill the text width with
wrapping cells, so a long branch or metric name widens no column off the page; charts come from
pdf_charts.py.
"""
from __future__ import annotations

from typing import Any, Sequence

from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Table, TableStyle

from core.sdk import PdfReport, Settings
from plugins.evaluation import charts
from plugins.evaluation.pdf_charts import bars, hbars, rank_lines
from plugins.evaluation.report_schemas import (BranchMemberPage, BranchReport, ChartData, CollegeReport, IndividualReport,
                                               TopMember)

TOP_ROWS = 100  # the college PDF lists at most this many of the top p % (thousands of rows make an unreadable PDF)
TEXT_WIDTH = 515  # A4 (595pt) minus PdfReport's 40pt margins
HEADING_ROOM = 90  # a heading plus a table's header and first rows; charts ask for their own height


def _chg(v: int | None) -> str:
    return "-" if v is None else (f"↑{v}" if v > 0 else (f"↓{-v}" if v < 0 else "持平"))


def _esc(text: Any) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def section(doc: PdfReport, title: str, room: float = HEADING_ROOM) -> None:
    """A heading that starts a new page unless ``room`` points are left for it and what follows."""
    doc.story.append(CondPageBreak(room))
    doc.heading(title)


def table(doc: PdfReport, headers: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float]) -> None:
    """A table over the text width (``widths`` are relative); cells wrap instead of widening."""
    from reportlab.lib import colors

    total = sum(widths)
    col = [TEXT_WIDTH * w / total for w in widths]
    cell = doc.styles["cell"]
    data = [[Paragraph(_esc(h), cell) for h in headers]] + [
        [Paragraph(_esc("" if v is None else v), cell) for v in r] for r in rows]
    t = Table(data, colWidths=col, repeatRows=1)
    t.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3e5e5")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    doc.story.append(t)


def chart(doc: PdfReport, title: str, data: ChartData, horizontal: bool = False) -> None:
    """A section heading kept on the page of its chart, then the chart (with a word when a trend has
    a single period to show)."""
    if data.ranks:
        drawing = rank_lines(doc.font, data.title, data.categories, {s.name: s.values for s in data.series},
                             width=TEXT_WIDTH, rank_total=data.rank_total)
    elif horizontal:
        drawing = hbars(doc.font, data.title, data.categories, [v or 0 for v in data.series[0].values], width=TEXT_WIDTH)
    else:
        drawing = bars(doc.font, data.title, data.categories, [v or 0 for v in data.series[0].values], width=TEXT_WIDTH)
    if title:
        doc.story.append(CondPageBreak(drawing.height + 40))
        doc.heading(title)
    if title and data.ranks and len(data.categories) == 1:
        doc.note("目前只有一个评价时段的报告，后续评价时段生成报告后即可看到排名的变化。")
    doc.story.append(KeepTogether([drawing]))


def _styles(doc: PdfReport) -> None:
    """Centred table cells, and a sub-heading style for the blocks inside a section."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    doc.styles["cell"].alignment = 1
    doc.styles["sub-h"] = ParagraphStyle("xf-sub-h", parent=doc.styles["h"], fontSize=11, leading=15, spaceBefore=8,
                                         spaceAfter=3, textColor=colors.HexColor("#333333"))


def _change_words(v: int | None) -> str:
    if v is None:
        return "，暂无上一评价时段可比较"
    return f"，较上期上升 {v} 名" if v > 0 else (f"，较上期下降 {-v} 名" if v < 0 else "，与上期持平")


def college_pdf(d: CollegeReport, top: list[TopMember], settings: Settings) -> bytes:
    """``top``: the first TOP_ROWS + 1 of the top p % list (one more tells whether a tie is cut)."""
    doc = PdfReport("学院党委评价报告", settings.font_path, settings.college_name, d.period.label)
    _styles(doc)
    section(doc, "党总支概况")
    doc.paragraph(f"{d.overview.name}：参与评价党员 {d.overview.student_count} 人，党支部 {d.overview.branch_count} 个。")
    section(doc, "评价概要")
    doc.paragraph(d.summary)
    t = d.threshold
    chart(doc, f"支部排名情况（学院前 {t:g}% 党员人数，{d.metric_name}）", charts.branch_top(d), horizontal=True)
    table(doc, ["排名", "党支部", "参评人数", f"前{t:g}%人数", "较上期"],
          [[b.rank, b.name, b.member_count, b.top_count, _chg(b.change)] for b in d.branch_ranking], [1, 4, 1.4, 1.4, 1.2])
    section(doc, f"学院内{d.metric_name}排名前 {t:g}% 的党员（{d.top.count} 人）")
    shown = top[:TOP_ROWS]
    if d.top.count > len(shown):
        cut = len(top) > TOP_ROWS and top[TOP_ROWS].rank == shown[-1].rank
        doc.note(f"共 {d.top.count} 人，下表列出前 {len(shown)} 人" + (f"（第 {shown[-1].rank} 名的并列者未全部列出）" if cut else "")
                 + "，完整名单见导出（“评价结果”页面的“导出名单”，Excel）。")
    table(doc, ["排名", "姓名", "学号", "党支部", "得分"],
          [[x.rank, x.name, x.student_no, x.branch_name, f"{x.value:g}"] for x in shown], [1, 1.6, 2, 3.4, 1.2])
    section(doc, "党员个人排名 TOP10")
    doc.note("排名采用并列名次，第 10 名有并列时并列者全部列入。")
    for block in d.top10:
        doc.story.append(CondPageBreak(HEADING_ROOM))
        doc.story.append(Paragraph(_esc(f"【{block.name}】"), doc.styles["sub-h"]))
        if block.note:
            doc.note(block.note)
        table(doc, ["排名", "姓名", "党支部", "得分", "综合排名", "综合较上期"],
              [[f"{x.rank}（并列）" if x.tie_count > 1 else x.rank, x.name, x.branch_name, f"{x.value:g}", x.composite_rank,
                _chg(x.composite_change)] for x in block.items], [1.3, 1.6, 3.2, 1.2, 1.2, 1.3])
    return doc.build()


def branch_pdf(d: BranchReport, members: BranchMemberPage, settings: Settings) -> bytes:
    o = d.overview
    doc = PdfReport(f"{o.name}评价报告", settings.font_path, settings.college_name, d.period.label)
    _styles(doc)
    section(doc, "党支部概况")
    doc.paragraph(f"{o.name}（{o.training_type or '培养类型未设置'}）：参与评价党员 {o.student_count} 人，"
                  f"学院综合排名第 {o.rank} 名{_change_words(o.change)}。")
    section(doc, "评价概要（各指标在学院中的排名）")
    table(doc, ["指标", "学院排名", f"前{d.threshold:g}%人数", "平均分"],
          [[s.name, f"{s.rank}/{s.branch_total}", s.top_count, f"{s.average:g}"] for s in d.summary], [3, 1.5, 1.5, 1.5])
    chart(doc, "支部历史排名变化", charts.branch_history(d))
    chart(doc, f"学院内前 {d.threshold:g}% 的党员人数", charts.branch_top_history(d))
    section(doc, f"支部内党员排名（{d.metric_name}）")
    table(doc, ["支部排名", "姓名", "学号", "得分", "学院排名", "综合较上期"],
          [[m.branch_rank, m.name, m.student_no, f"{m.value:g}", m.college_rank, _chg(m.composite_change)]
           for m in members.items], [1.2, 1.6, 2, 1.2, 1.2, 1.3])
    return doc.build()


def individual_pdf(d: IndividualReport, settings: Settings) -> bytes:
    b = d.basic
    doc = PdfReport("党员个人评价报告", settings.font_path, settings.college_name, d.period.label)
    _styles(doc)
    section(doc, "基础信息")
    table(doc, ["姓名", "学工号", "所在党支部"], [[b.name, b.student_no, b.branch_name]], [1, 1, 2])
    section(doc, "评价意见")
    doc.paragraph(d.opinion)
    section(doc, "评价指标排名")
    table(doc, ["指标", "得分", "学院排名", "支部排名"],
          [[m.name, "-" if m.value is None else f"{m.value:g}", f"{m.college_rank}/{d.totals.college}",
            f"{m.branch_rank}/{d.totals.branch}"] for m in d.metric_ranks], [3, 1.5, 1.5, 1.5])
    college = charts.member_trend(d, "college_rank").model_copy(update={"title": "学院内排名"})
    branch = charts.member_trend(d, "branch_rank").model_copy(update={"title": "支部内排名"})
    chart(doc, "排名变化趋势", college)
    doc.spacer(10)
    chart(doc, "", branch)
    return doc.build()
