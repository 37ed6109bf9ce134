"""The student basic-information form (EV-12, ORG-6): fields, validation, completeness.

One definition serves the MP first-login form, the branch admin's edit page and the
development engine's "profile complete" guard.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from core import student_no as sno_rules
from core.models import StudentProfile, User, utcnow
from core.text import control_problem


@dataclass(frozen=True)
class ProfileField:
    name: str
    label: str
    kind: str = "text"  # text | date | choice
    choices: tuple[str, ...] = ()
    required: bool = True
    on_user: bool = False  # stored on User rather than StudentProfile
    max_length: int = 64  # the column's length: longer text is refused, never cut or a 5xx


FIELDS: tuple[ProfileField, ...] = (
    ProfileField("name", "姓名", on_user=True),
    ProfileField("student_no", "学号", on_user=True, max_length=32),
    ProfileField("phone", "手机号码", on_user=True, max_length=32),
    ProfileField("gender", "性别", "choice", ("男", "女")),
    ProfileField("ethnicity", "民族", max_length=20),
    ProfileField("birth_date", "出生日期", "date"),
    ProfileField("id_card", "身份证号", max_length=18),
    ProfileField("native_place", "籍贯"),
    ProfileField("grade", "年级", max_length=10),
    ProfileField("enrollment_date", "入学时间", "date"),
    ProfileField("political_status", "政治面貌", "choice", ("群众", "共青团员", "入党积极分子", "发展对象", "中共预备党员", "中共党员")),
    ProfileField("address", "家庭住址", required=False, max_length=200),
)
# Once the profile is complete a student can no longer change these on their own: name +
# 学号 identify them in imports and publicity lists (the branch admin corrects them, ORG-6).
# 学号 is stricter still: a student may only fill it while it is empty.
IDENTITY_FIELDS = ("name", "student_no")
NAME_LOCKED_MESSAGE = "个人信息已完善，姓名不能自行修改，如需更正请联系党支部管理员"
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
        if f.name == "student_no" and isinstance(raw, (str, int)):
            raw = sno_rules.normalise(raw)
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
        if f.kind != "date" and control_problem(value):
            problems[f.name] = f"{f.label}{control_problem(value)}"
        elif f.kind != "date" and len(value) > f.max_length:
            problems[f.name] = f"{f.label}不能超过{f.max_length}个字"
        elif f.name == "student_no" and sno_rules.format_problem(value):
            problems[f.name] = sno_rules.format_problem(value)
        elif f.kind == "choice" and value not in f.choices:
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


def student_edit_problems(user: User, profile: StudentProfile | None, clean: dict) -> dict[str, str]:
    """What a student may not change about themselves (an admin may, ORG-6): a set 学号 never,
    the name not once the profile is complete. Fields absent from ``clean`` (or None in a
    draft) are not being changed."""
    problems: dict[str, str] = {}
    locked = sno_rules.student_change_problem(user.student_no, clean.get("student_no"))
    if locked:
        problems["student_no"] = locked
    name = clean.get("name")
    if profile is not None and profile.complete and name is not None and name != user.name:
        problems["name"] = NAME_LOCKED_MESSAGE
    return problems


async def ensure_student_no_free(session, user: User, clean: dict) -> None:
    """409 on the 学号 field when another live user already holds the number being stored."""
    await sno_rules.ensure_free(session, clean.get("student_no"), except_user_id=user.id)


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


async def profile_row(session, user_id: int) -> StudentProfile:
    """The user's profile row, created if missing. Two requests of the same student at once
    (a draft and a read, or the student and a branch admin) both find it missing: the insert
    does nothing when the other one's landed first, so neither gets a conflict (issue 11)."""
    p = await session.get(StudentProfile, user_id)
    if p is None:
        from sqlalchemy.dialects import postgresql, sqlite

        insert = (postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert)(StudentProfile.__table__)
        await session.execute(insert.values(user_id=user_id, complete=False, draft={}, updated_at=utcnow())
                              .on_conflict_do_nothing(index_elements=["user_id"]))
        p = await session.get(StudentProfile, user_id)
    return p
