"""Text a person types: names, titles, descriptions.

Control characters never belong there: nobody types them, they render as nothing (or reverse
a name's direction: the bidi overrides), and they break documents later (openpyxl refuses
to write a cell with U+0000..U+001F, so one such name used to make every xlsx export of its
list fail). Route models use ``PlainText`` (one line) or ``MultilineText`` (tab and newlines
allowed) so the refusal is a 422 naming the field, in Chinese, before anything is stored.
"""
from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

CONTROL_MESSAGE = "不能包含控制字符"
# C0 and C1 controls, DEL, and the bidirectional embedding/override/isolate marks.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def control_problem(value: str, *, multiline: bool = False) -> str | None:
    """``CONTROL_MESSAGE`` when ``value`` holds a control character, else None."""
    pattern = _CONTROL_MULTILINE if multiline else _CONTROL
    return CONTROL_MESSAGE if isinstance(value, str) and pattern.search(value) else None


def _plain(value: str) -> str:
    if control_problem(value):
        raise ValueError(CONTROL_MESSAGE)
    return value


def _multiline(value: str) -> str:
    if control_problem(value, multiline=True):
        raise ValueError(CONTROL_MESSAGE)
    return value


PlainText = Annotated[str, AfterValidator(_plain)]
MultilineText = Annotated[str, AfterValidator(_multiline)]
