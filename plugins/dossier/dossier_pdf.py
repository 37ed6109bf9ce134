"""The dossier PDF (一人一档, ㉕ 材料归档): a cover page listing the national 25 steps with their
dates, the documents in order and what is missing, then every document of the process in
order — stored PDFs as they are, pictures as pages, papers without a file (a talk whose record
is only text, a certificate) as a generated page — with a bookmark per stage and per document.

Every generated page (cover, pictures, texts) is drawn in one reportlab document, so the CJK
font is embedded once; pypdf then interleaves those pages with the stored PDFs. Pure CPU and
file reads: the web answers one person from a thread, the worker runs batches."""
from __future__ import annotations

from io import BytesIO

from core.documents import register_cjk_font
from core.sdk import STAGE_TITLES
from core.workflow.stages import STAGE_ORDER
from plugins.dossier.dossier_sources import Dossier, Item

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳㉑㉒㉓㉔㉕"
TITLE = "入党材料档案（一人一档）"


def _esc(text) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Styles:
    def __init__(self, font: str):
        from reportlab.lib import colors
        from reportlab.lib.styles import ParagraphStyle

        self.colors = colors
        self.font = font
        self.title = ParagraphStyle("d-title", fontName=font, fontSize=20, leading=28, alignment=1, spaceAfter=10)
        self.h = ParagraphStyle("d-h", fontName=font, fontSize=13, leading=18, spaceBefore=8, spaceAfter=4,
                                textColor=colors.HexColor("#b22222"))
        self.p = ParagraphStyle("d-p", fontName=font, fontSize=10.5, leading=17, wordWrap="CJK", firstLineIndent=21)
        self.cell = ParagraphStyle("d-cell", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
        self.small = ParagraphStyle("d-small", fontName=font, fontSize=9, leading=13, wordWrap="CJK",
                                    textColor=colors.HexColor("#555555"))


def _table(s: _Styles, rows, widths, header=True):
    from reportlab.platypus import Paragraph, Table, TableStyle

    data = [[Paragraph(_esc(c), s.cell) for c in row] for row in rows]
    t = Table(data, colWidths=widths, repeatRows=1 if header else 0)
    style = [("GRID", (0, 0), (-1, -1), 0.4, s.colors.HexColor("#999999")), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), s.colors.HexColor("#f3e5e5")))
    t.setStyle(TableStyle(style))
    return t


def _cover(s: _Styles, d: Dossier, today: str) -> list:
    from reportlab.platypus import Paragraph, Spacer

    p = d.profile
    info = [["姓名", d.user.name, "学号", d.user.student_no or ""],
            ["性别", (p.gender if p else "") or "", "出生日期", str((p.birth_date if p else "") or "")],
            ["所在党支部", d.branch, "生成日期", today],
            ["当前位置", d.position, "", ""]]
    info_t = _table(s, info, [70, 170, 70, 205], header=False)
    from reportlab.platypus import TableStyle
    info_t.setStyle(TableStyle([("SPAN", (1, 3), (3, 3))]))
    steps = [["序号", "发展党员工作环节", "完成日期", "状态"]] + [
        [CIRCLED[g["no"] - 1] if g["no"] <= len(CIRCLED) else str(g["no"]), g["title"], g["date"] or "",
         "已完成" if g["done"] else "未完成"] for g in d.regulation]
    story = [Paragraph(TITLE, s.title), info_t, Spacer(1, 8), Paragraph("发展党员工作二十五个环节", s.h),
             _table(s, steps, [40, 265, 120, 90])]
    story.append(Paragraph("材料目录", s.h))
    if d.items:
        story.append(_table(s, [["序号", "阶段", "环节", "材料", "日期"]] + [
            [str(i), STAGE_TITLES.get(it.stage, it.stage), it.step_title, it.title, str(it.signed_date or "")]
            for i, it in enumerate(d.items, 1)], [30, 130, 95, 180, 80]))
    else:
        story.append(Paragraph("暂无归档材料。", s.small))
    story.append(Paragraph("缺少的材料", s.h))
    story += [Paragraph(_esc(m), s.cell) for m in d.missing] or [Paragraph("无（已完成的阶段材料齐全）。", s.small)]
    return story


def _text_page(s: _Styles, it: Item) -> list:
    from reportlab.platypus import Paragraph, Spacer

    story = [Paragraph(_esc(it.title), s.title)]
    if it.text:
        story.append(_table(s, [[k, v] for k, v in it.text], [100, 415], header=False))
    if it.body:
        story.append(Spacer(1, 10))
        story += [Paragraph(_esc(line), s.p) for line in it.body.splitlines() if line.strip()]
    elif not it.text:
        story.append(Paragraph("（该材料为系统记录，无扫描件。）", s.small))
    return story


def _image(s: _Styles, it: Item, path, frame_w: float, frame_h: float) -> list:
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image, Paragraph

    reader = ImageReader(str(path))
    w, h = reader.getSize()
    room_h = frame_h - 30
    scale = min(frame_w / w, room_h / h)
    return [Paragraph(_esc(it.title), s.small), Image(str(path), width=w * scale, height=h * scale)]


def build_pdf(d: Dossier, font_path, today: str) -> bytes:
    """The dossier of one person as PDF bytes."""
    from pypdf import PdfReader, PdfWriter
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Flowable, PageBreak, SimpleDocTemplate

    s = _Styles(register_cjk_font(font_path))
    marks: dict[str, int] = {}

    class Mark(Flowable):
        def __init__(self, key: str):
            super().__init__()
            self.key = key

        def wrap(self, *_):
            return 0, 0

        def draw(self):
            marks[self.key] = self.canv.getPageNumber() - 1

    margin = 40
    frame_w, frame_h = A4[0] - 2 * margin, A4[1] - 2 * margin - 12
    story = [Mark("cover")] + _cover(s, d, today)
    plan: list[tuple[int, str, object]] = []  # (item index, "gen" | "pdf", mark key | reader)
    for i, it in enumerate(d.items):
        readers = []
        for f in it.files:
            if f.kind == "pdf":
                try:
                    reader = PdfReader(str(f.path))
                    if len(reader.pages):
                        readers.append(("pdf", reader))
                        continue
                except Exception:  # a damaged scan is shown as a page saying so, never a failed dossier
                    pass
                readers.append(("gen", None, [f"“{f.name}”无法读取（文件已损坏）"]))
            else:
                readers.append(("img", f.path))
        if not readers:
            readers.append(("gen", None, []))
        for j, part in enumerate(readers):
            key = f"i{i}.{j}"
            if part[0] == "pdf":
                plan.append((i, "pdf", part[1]))
                continue
            story += [PageBreak(), Mark(key)]
            if part[0] == "img":
                try:
                    story += _image(s, it, part[1], frame_w, frame_h)
                except Exception:
                    story += _text_page(s, Item(it.stage, it.step, it.step_title, it.kind, it.title, it.signed_date,
                                                text=[("说明", "图片无法读取（文件已损坏）")]))
            else:
                page = _text_page(s, it)
                if part[2]:
                    page.append(_table(s, [["说明", part[2][0]]], [100, 415], header=False))
                story += page
            plan.append((i, "gen", key))
    buf = BytesIO()
    name = f"{d.user.name} {d.user.student_no or ''}".strip()

    def footer(canvas, doc_):
        canvas.saveState()
        canvas.setFont(s.font, 8)
        canvas.drawCentredString(A4[0] / 2, 20, f"{name} · {TITLE}")
        canvas.restoreState()

    SimpleDocTemplate(buf, pagesize=A4, title=f"{TITLE} - {name}", leftMargin=margin, rightMargin=margin,
                      topMargin=margin, bottomMargin=margin).build(story, onFirstPage=footer, onLaterPages=footer)
    gen = PdfReader(BytesIO(buf.getvalue()))
    starts = sorted(marks.values())

    def pages_of(key: str) -> range:
        first = marks[key]
        later = [p for p in starts if p > first]
        return range(first, later[0] if later else len(gen.pages))

    writer = PdfWriter()
    for p in pages_of("cover"):
        writer.add_page(gen.pages[p])
    item_start: dict[int, int] = {}
    for i, how, what in plan:
        item_start.setdefault(i, len(writer.pages))
        if how == "pdf":
            for page in what.pages:
                writer.add_page(page)
        else:
            for p in pages_of(what):
                writer.add_page(gen.pages[p])
    writer.add_outline_item(title="封面（二十五个环节与材料目录）", page_number=0)
    for stage in STAGE_ORDER:
        idx = [i for i, it in enumerate(d.items) if it.stage == stage]
        if not idx:
            continue
        parent = writer.add_outline_item(title=STAGE_TITLES[stage], page_number=item_start[idx[0]])
        for i in idx:
            writer.add_outline_item(title=d.items[i].title, page_number=item_start[i], parent=parent)
    writer.add_metadata({"/Title": f"{TITLE} - {name}"})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
