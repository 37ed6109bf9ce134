"""Sign-in and sign-out codes of a meeting (组织生活 / 党员大会, DEV-10): what the QR codes
the admin shows during the meeting carry, and how a scan is checked.

A code is ``<meeting id>.<i|o>.<expiry>.<signature>``: the meeting, the kind (签到 ``i``,
签退 ``o``), the end of its window (unix seconds) and an HMAC of those under the
installation's secret. A phone cannot forge or alter one, so a scan is checked without a
database lookup for the code itself: another meeting's code, the other kind, an expired or
a tampered code are refused by reading it. The QR code is an absolute ``/m/`` URL (the
sign-in screen of that meeting with the code), drawn as a PNG with segno.

Windows (settings ``[workflow.meeting]``): 签到 from ``sign_in_early_minutes`` (default 30)
before the start until the end; 签退 from the start until ``sign_out_late_minutes`` (default
30) after the end.
"""
from __future__ import annotations

import hashlib
import hmac
import io
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from core.errors import fail

KINDS = {"sign-in": ("i", "签到"), "sign-out": ("o", "签退")}
DEFAULT_WINDOW = {"sign_in_early_minutes": 30, "sign_out_late_minutes": 30}


def window_minutes(settings, key: str) -> int:
    conf = (settings.section("workflow").get("meeting", {}) if settings is not None else {}) or {}
    return int(conf.get(key, DEFAULT_WINDOW[key]))


def window(settings, kind: str, start_at: datetime, end_at: datetime) -> tuple[datetime, datetime]:
    """(opens, closes) of a kind's window, naive UTC, closes exclusive."""
    if kind == "sign-in":
        return start_at - timedelta(minutes=window_minutes(settings, "sign_in_early_minutes")), end_at
    return start_at, end_at + timedelta(minutes=window_minutes(settings, "sign_out_late_minutes"))


def _key(secret: str) -> bytes:
    return hashlib.sha256(f"xianfeng-meeting-code:{secret}".encode()).digest()


def _epoch(value: datetime) -> int:
    return int(value.replace(tzinfo=timezone.utc).timestamp())


def _signature(secret: str, body: str) -> str:
    return hmac.new(_key(secret), body.encode(), hashlib.sha256).hexdigest()[:20]


def make_code(secret: str, meeting_id: int, kind: str, expires_at: datetime) -> str:
    body = f"{meeting_id}.{KINDS[kind][0]}.{_epoch(expires_at)}"
    return f"{body}.{_signature(secret, body)}"


@dataclass(frozen=True)
class Code:
    meeting_id: int
    kind: str  # sign-in | sign-out
    expires_at: datetime  # naive UTC


def read_code(secret: str, code: str) -> Code:
    """The code's meeting, kind and expiry; 422 when it is not a code of ours (or was altered)."""
    parts = (code or "").strip().split(".")
    bad = fail(422, "二维码无效，请扫描会议现场展示的二维码", field="code", label="签到码")
    if len(parts) != 4 or not parts[0].isdigit() or parts[1] not in ("i", "o") or not parts[2].isdigit():
        raise bad
    if not hmac.compare_digest(_signature(secret, ".".join(parts[:3])), parts[3]):
        raise bad
    kind = "sign-in" if parts[1] == "i" else "sign-out"
    expires = datetime.fromtimestamp(int(parts[2]), timezone.utc).replace(tzinfo=None)
    return Code(int(parts[0]), kind, expires)


def check_code(secret: str, code: str, meeting_id: int, kind: str, now: datetime) -> Code:
    """Refuse another meeting's code, the other kind's code and an expired code, saying which."""
    found = read_code(secret, code)
    label = KINDS[kind][1]
    if found.meeting_id != meeting_id:
        raise fail(409, f"该二维码不是本次会议的{label}码", field="code", label=f"{label}码")
    if found.kind != kind:
        raise fail(409, f"这是{KINDS[found.kind][1]}码，请扫描{label}码", field="code", label=f"{label}码")
    if now >= found.expires_at:
        raise fail(409, f"{label}码已过期", field="code", label=f"{label}码")
    return found


def qr_png(url: str, *, scale: int = 8) -> bytes:
    """The QR code of ``url`` as a PNG (segno; error correction M, quiet zone kept)."""
    import segno

    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=scale, border=2)
    return out.getvalue()
