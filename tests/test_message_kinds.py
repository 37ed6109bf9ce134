"""MSG-3: every message kind a plugin sends reads in Chinese; an unknown kind reads 通知."""
from __future__ import annotations

import ast
import inspect
from pathlib import Path

from core import outbox
from plugins.messaging.models import KIND_LABELS, kind_label
from tests.conftest import unique
from tests.test_messaging_api import my_messages, send

ROOT = Path(__file__).resolve().parent.parent


def sent_kinds() -> dict[str, str]:
    """kind -> where it is sent, for every ``notify(...)`` / ``urge(...)`` call with a literal kind."""
    found: dict[str, str] = {}
    positions = {"notify": 4, "urge": None}
    for path in [*ROOT.glob("core/**/*.py"), *ROOT.glob("plugins/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", None))
            if name not in positions:
                continue
            args = [k.value for k in node.keywords if k.arg == "kind"]
            if positions[name] is not None and len(node.args) > positions[name]:
                args.append(node.args[positions[name]])
            for arg in args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.setdefault(arg.value, f"{path.relative_to(ROOT)}:{node.lineno}")
    for fn in (outbox.notify, outbox.urge):
        found.setdefault(inspect.signature(fn).parameters["kind"].default, f"core/outbox.py {fn.__name__}() default")
    return found


def test_every_sent_kind_has_a_chinese_label():
    kinds = sent_kinds()
    assert {"notice", "todo", "review", "progress", "urge"} <= set(kinds)  # the scan sees the calls
    missing = {k: where for k, where in kinds.items() if k not in KIND_LABELS}
    assert not missing, f"message kinds without a Chinese label: {missing}"
    assert all(not label.isascii() for label in KIND_LABELS.values())


def test_unknown_kind_reads_notice_never_the_code():
    assert kind_label("review") == "审核" and kind_label("progress") == "发展进度"
    assert kind_label("some_new_kind") == "通知"


def test_messages_answer_the_chinese_label(client, student_a):
    sent = {unique("审核"): "review", unique("进度"): "progress", unique("新类型"): "xf_unlisted"}
    for title, kind in sent.items():
        send(client, [student_a.user["id"]], title, kind=kind)
    items = {m["title"]: m for m in my_messages(student_a)["items"] if m["title"] in sent}
    assert {t: (m["kind"], m["kind_label"]) for t, m in items.items()} == {
        t: (k, {"review": "审核", "progress": "发展进度"}.get(k, "通知")) for t, k in sent.items()}
    detail = student_a.get(f"/api/mp/v1/messages/{items[next(iter(sent))]['id']}").json()
    assert detail["kind_label"] == "审核"
