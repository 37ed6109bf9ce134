"""The inquiry letter (函调信) of a political review (政审, CAN-9): one page per direct relative,
addressed to the relative's work unit, naming the candidate and the relative, where to send
the answer (the branch's recipient, phone and address) and the committee's signature date,
with a reply slip (回执) below a cut line. Plain data in, PDF bytes out (embedded CJK font)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from core.workflow.components.sheet_pdf import MARGIN, PAGE_H, PAGE_W, Box, Sheet, cn_date

WIDTH = PAGE_W - 2 * MARGIN
CUT = 330  # y of the cut line between the letter and the reply slip


@dataclass
class Letter:
    candidate: str
    student_no: str
    branch: str
    relative: str
    relation: str
    work_unit: str
    political_status: str
    phone: str
    recipient: str  # who receives the answer (the branch's contact)
    recipient_phone: str
    address: str
    signature_date: date
    committee: str  # 中共××学院委员会


def _static(s: Sheet) -> None:
    s.text(PAGE_W / 2, PAGE_H - 70, "函　调　信", 20, "center")
    s.dashed(MARGIN - 10, CUT, PAGE_W - MARGIN + 10)
    s.text(PAGE_W / 2, CUT + 4, "（沿此线剪下，回执填写后加盖公章寄回）", 8, "center")
    s.text(PAGE_W / 2, CUT - 34, "回　执", 16, "center")
    s.rect(Box(MARGIN, 112, WIDTH, CUT - 112 - 112))
    s.text(PAGE_W - MARGIN - 170, 88, "单位（盖章）：", 11)
    s.text(PAGE_W - MARGIN - 120, 66, "年　　月　　日", 11)


def _fill(letter: Letter):
    def draw(s: Sheet) -> None:
        y = s.paragraph(MARGIN, PAGE_H - 112, WIDTH, f"{letter.work_unit}党组织：", 12, 20, indent=0)
        body = (f"我院{letter.branch}学生{letter.candidate}同志（学号：{letter.student_no}）已被确定为入党重点发展对象。"
                f"根据《中国共产党发展党员工作细则》的有关规定，需对其直系亲属的政治情况进行了解。"
                f"{letter.relative}同志系{letter.candidate}同志的{letter.relation}，现在贵单位工作，政治面貌为{letter.political_status}"
                f"（联系电话：{letter.phone}）。请贵单位协助提供该同志的政治立场、遵纪守法和现实表现等情况，"
                f"在下方回执中填写并加盖公章后寄回。感谢贵单位的支持！")
        y = s.paragraph(MARGIN, y - 4, WIDTH, body, 12, 21)
        y = s.paragraph(MARGIN, y - 6, WIDTH, f"回函地址：{letter.address}", 11, 18, indent=0)
        s.text(MARGIN, y, f"收件人：{letter.recipient}　　联系电话：{letter.recipient_phone}", 11)
        s.text(PAGE_W - MARGIN, CUT + 50, f"{letter.committee}（盖章）", 12, "right")
        s.text(PAGE_W - MARGIN, CUT + 28, cn_date(letter.signature_date), 12, "right")
        s.paragraph(MARGIN, CUT - 62, WIDTH, f"{letter.committee}：", 11, 18, indent=0)
        s.paragraph(MARGIN, CUT - 84, WIDTH, f"关于{letter.relative}同志（{letter.candidate}同志的{letter.relation}）的"
                                              f"政治表现情况如下：", 11, 18)
    return draw


def inquiry_letters(font_path: Path | str, letters: list[Letter]) -> bytes:
    """One PDF, one page per letter (a person's letters, or all letters of a review)."""
    sheet = Sheet(font_path, "函调信")
    sheet.template("letter", _static)
    for letter in letters:
        sheet.page("letter", _fill(letter))
    return sheet.build()
