"""The one place where times are converted.

The database stores naive UTC. People enter and read the college's local time, the
``timezone`` setting (default ``Asia/Shanghai``, an IANA name read with ``zoneinfo``).
Every time in every answer is ISO 8601 with its offset (``2026-11-28T18:00:00+08:00``);
dates stay ``YYYY-MM-DD``. A process serves one college, so the zone is process-wide:
``create_app`` (and the CLI, the worker) call :func:`configure` with the setting.

Nothing else in the code base adds offsets or calls ``astimezone``: use these helpers,
or type a response field as :data:`LocalDateTime` and let pydantic call :func:`iso`.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import PlainSerializer, WithJsonSchema

DEFAULT_TIMEZONE = "Asia/Shanghai"
_zone: ZoneInfo = ZoneInfo(DEFAULT_TIMEZONE)


def zone_of(name: str) -> ZoneInfo:
    """The zone for a setting value; a clear error for an unknown name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown timezone {name!r} (use an IANA name such as Asia/Shanghai)") from exc


def configure(name: str) -> None:
    global _zone
    _zone = zone_of(name)


def tz() -> ZoneInfo:
    return _zone


# --- now ---------------------------------------------------------------------------------

def utcnow() -> datetime:
    """Now as naive UTC, the way the database stores it."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def local_now() -> datetime:
    """Now in the college's zone (aware)."""
    return datetime.now(_zone)


def local_today() -> date:
    return local_now().date()


# --- conversions ---------------------------------------------------------------------------

def to_utc(value: datetime) -> datetime:
    """A time a person entered as naive UTC for storage. Naive input is the college's local
    wall time; aware input (``...+08:00`` or ``Z``) is converted from its own offset."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=_zone)
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def to_local(value: datetime | None) -> datetime | None:
    """A stored naive-UTC time as an aware local time."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(_zone)


def iso(value: datetime | None, timespec: str = "seconds") -> str | None:
    """A stored naive-UTC time as local ISO 8601 with its offset."""
    local = to_local(value)
    return None if local is None else local.isoformat(timespec=timespec)


def local_date(value: datetime | None) -> date | None:
    """The local calendar day of a stored naive-UTC time."""
    local = to_local(value)
    return None if local is None else local.date()


def local_midnight(day: date) -> datetime:
    """The start of a local calendar day, as naive UTC (e.g. a publicity period's start)."""
    return to_utc(datetime.combine(day, time()))


def local_day_end(day: date) -> datetime:
    """The end (exclusive) of a local calendar day, as naive UTC."""
    return local_midnight(day + timedelta(days=1))


def fmt(value: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """A stored naive-UTC time as local wall time for text people read (messages, PDFs)."""
    local = to_local(value)
    return "" if local is None else local.strftime(pattern)


# Response fields: the value is the stored naive UTC; the JSON is local ISO with the offset.
# /openapi.json says "date-time", so generated clients get a time type, not a bare string.
LocalDateTime = Annotated[datetime, PlainSerializer(iso, return_type=str, when_used="json-unless-none"),
                          WithJsonSchema({"type": "string", "format": "date-time"}, mode="serialization")]
