"""What people type into spreadsheet cells, made comparable: a 学号 typed with full-width digits
(２０２３１００００１, a Chinese input method's default), stray spaces of every kind (full-width,
no-break, zero-width, tabs and line breaks pasted from Word), numbers that Excel turned into floats
(2023100001.0). Imported 学号, 姓名 and 党支部 and the users they are matched with all go through
the same functions, so they compare equal exactly when a person would say they are the same.
"""
from __future__ import annotations

from typing import Any

# One translation table: full-width ASCII (U+FF01..U+FF5E: digits, letters, brackets such as （）)
# to the half-width forms, and every kind of space removed — whatever str.isspace() calls a space
# (ideographic, no-break, tabs, line breaks) plus the zero-width ones it does not.
_TABLE = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_TABLE.update({c: None for c in range(0x3001) if chr(c).isspace()})
_TABLE.update({ord(c): None for c in "\u200b\u200c\u200d\u2060\ufeff"})
_INF = float("inf")


def text(v: Any) -> str:
    """A cell as text, outer spaces stripped; whole floats without ``.0``."""
    if v is None:
        return ""
    t = type(v)
    if t is str:
        return v.strip()
    if t is float:
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v).strip()


def compact(v: Any) -> str:
    """A 姓名 or 党支部 cell: full-width digits, letters and brackets made half-width, every space removed."""
    return (v if type(v) is str else text(v)).translate(_TABLE)


def student_no(v: Any) -> str:
    """A 学号 cell: like ``compact``, and 2023100001.0 (a number cell, or typed so) is 2023100001."""
    t = type(v)
    if t is float and v.is_integer():
        return str(int(v))
    if t is int:
        return str(v)
    s = compact(v)
    if s.endswith(".0") and s[:-2].isdigit():
        s = s[:-2]
    return s


def number(v: Any) -> float | None:
    """A metric cell as a finite number; None when it is empty or not a number ("优秀", "85分")."""
    t = type(v)
    if t is float:
        return v if v == v and v not in (_INF, -_INF) else None
    if t is int:
        return float(v)
    if t is bool:
        return None
    if isinstance(v, (int, float)):
        return number(float(v))
    s = compact(text(v).replace("，", "."))  # 85，5: a Chinese comma typed for the decimal point
    try:
        f = float(s)
    except ValueError:
        return None
    return f if f == f and f not in (_INF, -_INF) else None


def blank(row: list[Any]) -> bool:
    return all(c is None or c == "" or (type(c) is str and not c.strip()) for c in row)
