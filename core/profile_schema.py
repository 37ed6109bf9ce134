"""Typed request and answer models of the student basic-information form (EV-12, ORG-6).

Built from ``core.profile.FIELDS`` so the form keeps one definition: the MP form, the branch
admin's edit page and /openapi.json all list the same fields with the same Chinese titles.
Input values are text (``core.profile.validate`` checks them and says what is wrong in
Chinese); answers carry dates as ``YYYY-MM-DD``.
"""
from __future__ import annotations

from datetime import date
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, create_model

from core.profile import FIELDS

FIELD_KIND_LABELS = {"text": "文本", "date": "日期", "choice": "单选"}


class ProfileFieldOut(BaseModel):
    """One field of the form, for clients that draw it from data."""

    name: str
    label: str = Field(description="中文名称")
    kind: Literal["text", "date", "choice"] = Field(description="text 文本 | date 日期（YYYY-MM-DD） | choice 单选")
    kind_label: str
    choices: list[str] = Field(description="choice 字段的可选值")
    required: bool


def field_list() -> list[ProfileFieldOut]:
    return [ProfileFieldOut(name=f.name, label=f.label, kind=f.kind, kind_label=FIELD_KIND_LABELS[f.kind],
                            choices=list(f.choices), required=f.required) for f in FIELDS]


ProfileValues = create_model(
    "ProfileValues",
    __doc__="基础信息各字段的值（未填写为 null）。",
    **{f.name: (Optional[date] if f.kind == "date" else Optional[str], Field(None, title=f.label)) for f in FIELDS},
)

ProfileIn = create_model(
    "ProfileIn",
    __doc__="基础信息表单：暂存时只校验已填写的字段，提交时校验全部必填字段。",
    __config__=ConfigDict(extra="ignore"),
    **{f.name: (Optional[str], Field(None, title=f.label, max_length=200)) for f in FIELDS},
)
