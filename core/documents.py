"""PDF and xlsx helpers shared by plugins (evaluation reports now, development-stage forms later).

PDFs embed a TrueType CJK font (reportlab's built-in ``STSong-Light`` is not embedded and shows
blank boxes in viewers without it). A missing font file is a clear error at start-up, not a
blank document later. Spreadsheets are written with openpyxl and read with python-calamine,
which is about ten times faster on large files.
"""
from __future__ import annotations

import threading
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any, Iterable, Sequence

CJK_FONT = "WQYZenHei"
_font_lock = threading.Lock()
_registered: dict[str, str] = {}


class DocumentError(RuntimeError):
    """A document cannot be produced (missing font, unreadable spreadsheet); the message is Chinese."""


def register_cjk_font(font_path: Path | str) -> str:
    """Register the embedded CJK font once per process and return its reportlab name."""
    path = str(font_path)
    if path in _registered:
        return _registered[path]
    with _font_lock:
        if path in _registered:
            return _registered[path]
        if not Path(path).is_file():
            raise DocumentError(
                f"找不到 PDF 所需的中文字体文件：{path}。请安装 fonts-wqy-zenhei（apt-get install fonts-wqy-zenhei）"
                "或在 settings.toml 中把 font_path 设为一个 TrueType 中文字体。"
            )
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        try:
            pdfmetrics.registerFont(TTFont(CJK_FONT, path, subfontIndex=0))
        except Exception as exc:  # a corrupt or CFF-outline font: say which file
            raise DocumentError(f"中文字体文件无法用于 PDF：{path}（{exc}）") from exc
        _registered[path] = CJK_FONT
        _chinese_line_breaks()
        _binary_streams()
        return CJK_FONT


def _chinese_line_breaks() -> None:
    """reportlab's CJK wrapping keeps 、。） off the start of a line but not the full-width ，；：？！
    that Chinese text uses, so wrapped paragraphs started lines with a comma."""
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    for module in (paragraph, textsplit):
        module.ALL_CANNOT_START += "".join(c for c in "，；：？！" if c not in module.ALL_CANNOT_START)


def _binary_streams() -> None:
    """Compressed streams are written as binary, not ASCII85 text: without reportlab's C
    accelerator the pure-Python ASCII85 encoder was most of the time of a one-page form (and
    files are a fifth smaller). Every PDF reader reads both."""
    from reportlab import rl_config

    rl_config.useA85 = 0


# --- PDF --------------------------------------------------------------------------------

PALETTE = ["#c0392b", "#2980b9", "#27ae60", "#8e44ad", "#d35400", "#16a085", "#2c3e50", "#f39c12"]


class PdfReport:
    """A simple report: title block (title, college name, date), headings, paragraphs, tables, charts."""

    def __init__(self, title: str, font_path: Path | str, college_name: str = "", subtitle: str = "",
                 on_date: date | None = None):
        from reportlab.lib import colors
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.platypus import Paragraph, Spacer

        self.font = register_cjk_font(font_path)
        self.title = title
        self._colors = colors
        self.styles = {
            "title": ParagraphStyle("xf-title", fontName=self.font, fontSize=18, leading=24, alignment=1, spaceAfter=6),
            "sub": ParagraphStyle("xf-sub", fontName=self.font, fontSize=10, leading=14, alignment=1,
                                  textColor=colors.HexColor("#555555")),
            "h": ParagraphStyle("xf-h", fontName=self.font, fontSize=13, leading=18, spaceBefore=10, spaceAfter=4,
                                textColor=colors.HexColor("#b22222")),
            "p": ParagraphStyle("xf-p", fontName=self.font, fontSize=10, leading=16, wordWrap="CJK", firstLineIndent=20),
            "cell": ParagraphStyle("xf-cell", fontName=self.font, fontSize=9, leading=12, wordWrap="CJK"),
            "note": ParagraphStyle("xf-note", fontName=self.font, fontSize=9, leading=13, wordWrap="CJK", spaceAfter=4,
                                   textColor=colors.HexColor("#666666")),
        }
        when = (on_date or date.today()).strftime("%Y年%m月%d日")
        line = "　".join(x for x in (college_name, subtitle, f"生成日期：{when}") if x)
        self.story: list[Any] = [Paragraph(_esc(title), self.styles["title"]), Paragraph(_esc(line), self.styles["sub"]),
                                 Spacer(1, 8)]

    def heading(self, text: str) -> "PdfReport":
        from reportlab.platypus import Paragraph

        self.story.append(Paragraph(_esc(text), self.styles["h"]))
        return self

    def paragraph(self, text: str) -> "PdfReport":
        from reportlab.platypus import Paragraph

        self.story.append(Paragraph(_esc(text), self.styles["p"]))
        return self

    def note(self, text: str) -> "PdfReport":
        """A small grey remark (e.g. that a long list is cut short)."""
        from reportlab.platypus import Paragraph

        self.story.append(Paragraph(_esc(text), self.styles["note"]))
        return self

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[Any]], col_widths: Sequence[float] | None = None) -> "PdfReport":
        from reportlab.platypus import Table, TableStyle

        colors = self._colors
        data = [list(headers)] + [["" if v is None else str(v) for v in r] for r in rows]
        t = Table(data, colWidths=col_widths, repeatRows=1)
        t.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), self.font),
            ("FONTSIZE", (0, 0), (-1, -1), 9),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3e5e5")),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]))
        self.story.append(t)
        return self

    def bar_chart(self, title: str, labels: Sequence[str], values: Sequence[float], *, width: float = 460,
                  height: float = 200) -> "PdfReport":
        """Vertical bars, one per label (e.g. members of each branch in the top 20%)."""
        from reportlab.graphics.charts.barcharts import VerticalBarChart
        from reportlab.graphics.shapes import Drawing, String

        d = Drawing(width, height + 30)
        d.add(String(width / 2, height + 15, title, fontName=self.font, fontSize=10, textAnchor="middle"))
        c = VerticalBarChart()
        c.x, c.y, c.width, c.height = 40, 50, width - 60, height - 50
        c.data = [list(values) or [0]]
        c.categoryAxis.categoryNames = [_short(x) for x in labels] or [""]
        c.categoryAxis.labels.fontName = self.font
        c.categoryAxis.labels.fontSize = 7
        c.categoryAxis.labels.angle = 30 if len(labels) > 4 else 0
        c.categoryAxis.labels.boxAnchor = "ne" if len(labels) > 4 else "n"
        c.valueAxis.valueMin = 0
        c.valueAxis.labels.fontName = self.font
        c.bars[0].fillColor = self._colors.HexColor(PALETTE[0])
        c.barLabelFormat = "%s"
        c.barLabels.fontName = self.font
        c.barLabels.fontSize = 7
        c.barLabels.nudge = 6
        d.add(c)
        self.story.append(d)
        return self

    def line_chart(self, title: str, categories: Sequence[str], series: dict[str, Sequence[float | None]], *,
                   width: float = 460, height: float = 200, reverse: bool = True) -> "PdfReport":
        """Lines over periods (e.g. rank history); ``reverse`` puts rank 1 at the top."""
        from reportlab.graphics.charts.legends import Legend
        from reportlab.graphics.charts.linecharts import HorizontalLineChart
        from reportlab.graphics.shapes import Drawing, String
        from reportlab.graphics.widgets.markers import makeMarker

        d = Drawing(width, height + 30)
        d.add(String(width / 2, height + 15, title, fontName=self.font, fontSize=10, textAnchor="middle"))
        c = HorizontalLineChart()
        c.x, c.y, c.width, c.height = 40, 40, width - 150, height - 40
        names = list(series)
        top = max([v for s in series.values() for v in s if v is not None] or [1])
        c.data = [[(-(v) if reverse else v) if v is not None else None for v in series[n]] for n in names] or [[0]]
        c.categoryAxis.categoryNames = [_short(x, 8) for x in categories] or [""]
        c.categoryAxis.labels.fontName = self.font
        c.categoryAxis.labels.fontSize = 7
        if reverse:
            c.valueAxis.valueMin, c.valueAxis.valueMax = -top - 1, 0
            c.valueAxis.labelTextFormat = lambda v: "" if v == 0 else str(int(-v))
        c.valueAxis.labels.fontName = self.font
        legend = Legend()
        legend.x, legend.y = width - 100, height
        legend.fontName, legend.fontSize = self.font, 8
        pairs = []
        for i, n in enumerate(names):
            color = self._colors.HexColor(PALETTE[i % len(PALETTE)])
            c.lines[i].strokeColor = color
            c.lines[i].symbol = makeMarker("FilledCircle", size=3)
            pairs.append((color, _short(n, 10)))
        legend.colorNamePairs = pairs or [(self._colors.black, "")]
        d.add(c)
        d.add(legend)
        self.story.append(d)
        return self

    def spacer(self, height: float = 8) -> "PdfReport":
        from reportlab.platypus import Spacer

        self.story.append(Spacer(1, height))
        return self

    def build(self) -> bytes:
        from reportlab.lib.pagesizes import A4
        from reportlab.platypus import SimpleDocTemplate

        buf = BytesIO()
        doc = SimpleDocTemplate(buf, pagesize=A4, title=self.title, leftMargin=40, rightMargin=40, topMargin=40,
                                bottomMargin=40)
        font = self.font

        def footer(canvas, doc_):
            canvas.saveState()
            canvas.setFont(font, 8)
            canvas.drawCentredString(A4[0] / 2, 20, f"第 {doc_.page} 页")
            canvas.restoreState()

        doc.build(self.story, onFirstPage=footer, onLaterPages=footer)
        return buf.getvalue()


def _esc(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _short(text: str, n: int = 10) -> str:
    text = str(text)
    return text if len(text) <= n else text[: n - 1] + "…"


# --- xlsx -------------------------------------------------------------------------------

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]] = (), *, sheet_title: str = "Sheet1",
               note: str | None = None, widths: dict[str, float] | None = None) -> bytes:
    """A one-sheet workbook: optional note row, bold header row, data rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title[:31]
    if note:
        ws.append([note])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(1, len(headers)))
        ws.cell(1, 1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[1].height = 45
    ws.append(list(headers))
    head_row = ws.max_row
    for i, h in enumerate(headers, 1):
        cell = ws.cell(head_row, i)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F3E5E5")
        ws.column_dimensions[get_column_letter(i)].width = (widths or {}).get(h, max(10, len(str(h)) * 2 + 2))
    for r in rows:
        ws.append([_cell_text(v) for v in r])
        for cell in ws[ws.max_row]:
            if cell.data_type == "f":  # text a person typed ("=HYPERLINK(...)") stays text, never a formula
                cell.data_type = "s"
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell_text(value: Any) -> Any:
    """Cell values as xlsx can hold them: openpyxl refuses control characters (one such name
    would fail the whole export), so they are dropped from text."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def read_xlsx(data: bytes) -> list[list[Any]]:
    """All rows of the first sheet as Python values (numbers stay numbers, empty cells are "")."""
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(BytesIO(data))
        return wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:
        raise DocumentError(f"无法读取 Excel 文件：{exc}") from exc
