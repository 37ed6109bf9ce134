"""The student basic-information form (EV-12, ORG-6): fields, validation, completeness.

One definition serves the MP first-login form, the branch admin's edit page and the
development engine's "profile complete" guard.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from core.models import StudentProfile, User, utcnow


@dataclass(frozen=True)
class ProfileField:
    name: str
    label: str
    kind: str = "text"  # text | date | choice
    choices: tuple[str, ...] = ()
    required: bool = True
    on_user: bool = False  # stored on User rather than StudentProfile


FIELDS: tuple[ProfileField, ...] = (
    ProfileField("name", "姓名", on_user=True),
    ProfileField("student_no", "学号", on_user=True),
    ProfileField("phone", "手机号码", on_user=True),
    ProfileField("gender", "性别", "choice", ("男", "女")),
    ProfileField("ethnicity", "民族"),
    ProfileField("birth_date", "出生日期", "date"),
    ProfileField("id_card", "身份证号"),
    ProfileField("native_place", "籍贯"),
    ProfileField("grade", "年级"),
    ProfileField("enrollment_date", "入学时间", "date"),
    ProfileField("political_status", "政治面貌", "choice", ("群众", "共青团员", "入党积极分子", "发展对象", "中共预备党员", "中共党员")),
    ProfileField("address", "家庭住址", required=False),
)
BY_NAME = {f.name: f for f in FIELDS}
_ID_CARD = re.compile(r"^\d{17}[\dXx]$")
_PHONE = re.compile(r"^1\d{10}$")


def _parse_date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def validate(data: dict, *, partial: bool, today: date | None = None) -> tuple[dict, dict[str, str]]:
    """Clean values and the Chinese problem per field. ``partial`` (draft): only check what is filled.
    ``today``: the college's local date (``Settings.local_today()``)."""
    today = today or date.today()
    clean: dict = {}
    problems: dict[str, str] = {}
    for f in FIELDS:
        raw = data.get(f.name)
        if isinstance(raw, str):
            raw = raw.strip()
        if raw in (None, ""):
            if f.required and not partial:
                problems[f.name] = f"{f.label}不能为空"
            clean[f.name] = None
            continue
        try:
            value = _parse_date(raw) if f.kind == "date" else str(raw)
        except ValueError:
            problems[f.name] = f"{f.label}格式不正确，应为 YYYY-MM-DD"
            continue
        if f.kind == "choice" and value not in f.choices:
            problems[f.name] = f"{f.label}只能是：{'、'.join(f.choices)}"
        elif f.name == "id_card" and not _ID_CARD.match(value):
            problems[f.name] = "身份证号应为18位"
        elif f.name == "phone" and not _PHONE.match(value):
            problems[f.name] = "手机号码应为11位数字"
        elif f.kind == "date" and value > today:
            problems[f.name] = f"{f.label}不能晚于今天"
        clean[f.name] = value
    if not problems and clean.get("id_card") and clean.get("birth_date"):
        if clean["id_card"][6:14] != clean["birth_date"].strftime("%Y%m%d"):
            problems["birth_date"] = "出生日期与身份证号不一致"
    return clean, problems


def problem_items(problems: dict[str, str]) -> list[dict]:
    """Per-field problems in the API's error shape (field, Chinese label, message)."""
    from core.errors import field_error

    return [field_error(name, BY_NAME[name].label if name in BY_NAME else name, msg) for name, msg in problems.items()]


def apply(user: User, profile: StudentProfile, clean: dict) -> None:
    for f in FIELDS:
        if f.name not in clean:
            continue
        value = clean[f.name]
        if f.on_user:
            setattr(user, f.name, value if value is not None else ("" if f.name != "student_no" else None))
        else:
            setattr(profile, f.name, value)
    profile.updated_at = utcnow()


def as_dict(user: User, profile: StudentProfile | None) -> dict:
    out = {}
    for f in FIELDS:
        source = user if f.on_user else profile
        value = getattr(source, f.name, None) if source is not None else None
        out[f.name] = value.isoformat() if isinstance(value, date) else value
    return out


def amis_form_items(prefix: str = "") -> list[dict]:
    items = []
    for f in FIELDS:
        item: dict = {"name": f.name, "label": f.label, "required": f.required}
        if f.kind == "date":
            item.update(type="input-date", format="YYYY-MM-DD", valueFormat="YYYY-MM-DD")
        elif f.kind == "choice":
            item.update(type="select", options=list(f.choices))
        else:
            item["type"] = "input-text"
        items.append(item)
    return items
