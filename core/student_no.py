"""学号 (student number): one live person per number, and a student cannot change theirs.

The evaluation import and every list that shows "姓名 + 学号" trust this pair to name one
person. Were a student able to type another student's 学号 into their profile, the next
import would hand the victim's report to the impostor. So:

- a 学号 is normalised the same way everywhere (full-width digits and letters to half-width,
  every kind of space removed) and may hold only digits, letters and ``-``;
- among live users it is unique, enforced by the partial unique index
  ``uq_xf_user_student_no`` on ``xf_user (student_no) WHERE student_no IS NOT NULL AND
  student_no <> '' AND deleted_at IS NULL`` (SQLite and PostgreSQL) and checked before
  writing so the refusal is a clear 409; a deleted user keeps its number for history but no
  longer holds it, so the number can be given to a new account;
- a student may set it only while it is empty (first profile completion); admins correct it
  in 用户管理 and 党员基础信息管理 (ORG-6), uniqueness applying there too.
"""
from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select, text

from core.errors import fail
from core.models import STUDENT_NO_LIVE, User

LABEL = "学号"
INDEX_NAME = "uq_xf_user_student_no"
INDEX_WHERE = STUDENT_NO_LIVE
LOCKED_MESSAGE = "学号设置后不能修改，如需更正请联系党支部管理员"
TAKEN_MESSAGE = "学号 {} 已被其他用户使用"
FORMAT_MESSAGE = "学号只能包含数字、字母和“-”"
_FORMAT = re.compile(r"^[0-9A-Za-z-]{1,32}$")


def normalise(value) -> str | None:
    """What a person typed, as stored: NFKC (full-width to half-width), no spaces; "" -> None."""
    if value is None:
        return None
    cleaned = "".join(ch for ch in unicodedata.normalize("NFKC", str(value)) if not ch.isspace())
    return cleaned or None


def format_problem(value: str | None) -> str | None:
    return None if value is None or _FORMAT.match(value) else FORMAT_MESSAGE


def student_change_problem(current: str | None, new: str | None) -> str | None:
    """A student's own edit: setting an empty 学号 is fine, changing a set one is not."""
    if current and new is not None and new != current:
        return LOCKED_MESSAGE
    return None


async def holder(session, student_no: str, except_user_id: int | None = None) -> int | None:
    """The live user (other than ``except_user_id``) that holds ``student_no``, if any."""
    q = select(User.id).where(User.student_no == student_no, User.deleted_at.is_(None))
    if except_user_id is not None:
        q = q.where(User.id != except_user_id)
    return (await session.execute(q.limit(1))).scalar_one_or_none()


async def ensure_free(session, student_no: str | None, except_user_id: int | None = None) -> None:
    """409 naming the field when another live user holds ``student_no`` (without saying who:
    the caller may not be allowed to see that person)."""
    if student_no and await holder(session, student_no, except_user_id) is not None:
        raise fail(409, TAKEN_MESSAGE.format(student_no), field="student_no", label=LABEL)


# --- upgrading a database that predates the unique index --------------------------------------

def duplicate_report(conn) -> list[dict]:
    """Live users sharing a 学号 in an existing database (sync connection, e.g. in a migration)."""
    rows = conn.execute(text(
        f"SELECT id, username, name, student_no FROM xf_user WHERE {INDEX_WHERE} AND student_no IN ("
        f"  SELECT student_no FROM xf_user WHERE {INDEX_WHERE} GROUP BY student_no HAVING COUNT(*) > 1)"
        " ORDER BY student_no, id")).all()
    return [dict(r._mapping) for r in rows]


def resolve_duplicates(conn) -> list[dict]:
    """Make live 学号 unique so the index can be built, never failing the upgrade.

    Per duplicated number the account whose username is that number keeps it (the college's
    usual convention: the account *is* the 学号), otherwise the oldest account (lowest id).
    The others lose it (NULL): they are returned, with their former number, for the upgrade to
    report so an admin can correct them in 用户管理. Until then no import can match them, which
    is the safe side: a report never goes to the wrong person."""
    cleared: list[dict] = []
    groups: dict[str, list[dict]] = {}
    for row in duplicate_report(conn):
        groups.setdefault(row["student_no"], []).append(row)
    for number, people in groups.items():
        keeper = next((p for p in people if p["username"] == number), people[0])
        for p in people:
            if p is not keeper:
                conn.execute(text("UPDATE xf_user SET student_no = NULL WHERE id = :id"), {"id": p["id"]})
                cleared.append({**p, "kept_by": keeper["id"]})
    return cleared


def create_index_sql() -> str:
    return f"CREATE UNIQUE INDEX IF NOT EXISTS {INDEX_NAME} ON xf_user (student_no) WHERE {INDEX_WHERE}"
