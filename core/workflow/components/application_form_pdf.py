"""The 入党志愿书 filling template (填写模版) a student opens on the MP: the form's number, the
basic information as the platform knows it (to copy onto the paper form), and each part of
the paper form with what to write there. Plain data in, PDF bytes out (embedded CJK font)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from core.documents import PdfReport

SECTIONS = (
    ("入党志愿", "写明对党的认识、入党动机和对待入党的态度，要实事求是、表达真实思想，不少于1000字。"),
    ("本人经历", "从小学起按时间顺序填写学习、工作经历及证明人，时间要前后衔接。"),
    ("家庭主要成员及主要社会关系", "写明姓名、与本人关系、工作单位及职务、政治面貌。"),
    ("何时何地受过何种奖励或处分", "如实填写；没有的写“无”。"),
    ("需要向党组织说明的问题", "需要说明的问题如实填写；没有的写“无”。"),
    ("入党介绍人意见、支部大会决议等", "由入党介绍人、党支部和上级党委填写，本人不填。"),
)


@dataclass
class TemplateDoc:
    title: str
    number: str
    name: str
    student_no: str
    gender: str
    ethnicity: str
    birth_date: date | None
    native_place: str
    college: str = ""


def template_pdf(font_path: Path | str, doc: TemplateDoc) -> bytes:
    report = PdfReport(f"{doc.title}填写模版", font_path, doc.college, f"编号：{doc.number}")
    report.paragraph(f"请用黑色钢笔或签字笔在编号为{doc.number}的{doc.title}上工整填写，完成后交所在党支部。"
                     "填写内容须真实准确，不得涂改；以下基本信息请与本人档案核对一致。")
    report.heading("基本信息")
    report.table(["项目", "内容"], [
        ["编号", doc.number], ["姓名", doc.name], ["学号", doc.student_no], ["性别", doc.gender or "-"],
        ["民族", doc.ethnicity or "-"], ["出生日期", doc.birth_date.isoformat() if doc.birth_date else "-"],
        ["籍贯", doc.native_place or "-"]], col_widths=[100, 415])
    report.heading("各栏填写说明")
    for head, text in SECTIONS:
        report.paragraph(f"{head}：{text}")
    return report.build()
