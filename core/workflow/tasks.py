"""Tasks inside a step (engine v2): parallel units of work, some periodic from a milestone.

Tasks are created when records enter a step that declares ``TaskSpec``s (one select of
what exists, one executemany of what is missing, for any number of people), completed by
components (a review or talk in task mode, a training result) through
``Engine.complete_tasks``, and read as progress per person in one aggregate statement
(the manual's 查看考察进度). Leaving a step is refused while required tasks are open.
"""
from __future__ import annotations

import calendar
from datetime import date, datetime

from sqlalchemy import and_, case, func, insert, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from core import clock
from core.workflow.models import DevelopmentRecord, Task, milestone_date
from core.workflow.stages import Step, TaskSpec

QUARTER_NAMES = "一二三四五六七八九十"


def add_months(day: date, months: int) -> date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_title(spec_title: str, period: int, every: str) -> str:
    if not every:
        return spec_title
    n = QUARTER_NAMES[period - 1] if period <= len(QUARTER_NAMES) else str(period)
    return f"{spec_title}（第{n}季度）"


def task_rows(record: DevelopmentRecord, stage: str, step: Step, spec: TaskSpec, now: datetime) -> list[dict]:
    """The rows of one task spec for one record: one per period, windows from the milestone."""
    entered = clock.local_date(now)
    rows = []
    if spec.every == "quarter":
        start = (milestone_date(record, spec.start) if spec.start else None) or entered
        for k in range(1, spec.count + 1):
            rows.append({"period": k, "starts_at": clock.local_midnight(add_months(start, 3 * (k - 1))),
                         "due_at": clock.local_midnight(add_months(start, 3 * k))})
    else:
        due = clock.local_midnight(date.fromordinal(entered.toordinal() + spec.due_days)) if spec.due_days else None
        rows.append({"period": 0, "starts_at": now, "due_at": due})
    base = {"record_id": record.id, "stage": stage, "step": step.key, "key": spec.key, "status": "open",
            "required": spec.required, "done_at": None, "done_by": None, "source_type": "", "source_id": None,
            "created_at": now}
    return [{**base, **row, "title": period_title(spec.title, row["period"], spec.every)} for row in rows]


async def create_for(session: AsyncSession, records: list[DevelopmentRecord], stage: str, step: Step | None,
                     now: datetime) -> int:
    """Create the step's tasks for records entering it; tasks kept from an earlier visit stay."""
    if step is None or not step.tasks or not records:
        return 0
    existing = set((await session.execute(
        select(Task.record_id, Task.key, Task.period).where(
            Task.record_id.in_([r.id for r in records]), Task.stage == stage, Task.step == step.key))).all())
    rows = [row for r in records for spec in step.tasks if spec.when is None or spec.when(r)
            for row in task_rows(r, stage, step, spec, now) if (r.id, spec.key, row["period"]) not in existing]
    if rows:
        await session.execute(insert(Task), rows)
    return len(rows)


async def open_required(session: AsyncSession, record_ids: list[int], stage: str, step: str) -> dict[int, list[str]]:
    """Titles of the required tasks still open, per record (the leave-step guard)."""
    rows = (await session.execute(
        select(Task.record_id, Task.title).where(Task.record_id.in_(record_ids), Task.stage == stage, Task.step == step,
                                                 Task.required.is_(True), Task.status == "open")
        .order_by(Task.record_id, Task.key, Task.period))).all()
    missing: dict[int, list[str]] = {}
    for rid, title in rows:
        missing.setdefault(rid, []).append(title)
    return missing


async def first_open(session: AsyncSession, records: list[DevelopmentRecord], key: str,
                     period: int | None = None) -> dict[int, Task]:
    """The earliest open task ``key`` of each record at its current step (or the given period)."""
    if not records:
        return {}
    cond = [tuple_(Task.record_id, Task.stage, Task.step).in_([(r.id, r.stage, r.step) for r in records]),
            Task.key == key, Task.status == "open"]
    if period is not None:
        cond.append(Task.period == period)
    found: dict[int, Task] = {}
    for t in (await session.execute(select(Task).where(*cond).order_by(Task.record_id, Task.period))).scalars():
        found.setdefault(t.record_id, t)
    return found


async def progress(session: AsyncSession, record_ids: list[int], stage: str, step: str, titles: dict[str, str],
                   now: datetime | None = None) -> dict[int, list[dict]]:
    """Progress per person and task kind, JSON-ready (the 查看考察进度 page of 1,000 people is a
    hot read): one aggregate statement; each distinct due time is converted once."""
    if not record_ids:
        return {}
    now = now or clock.utcnow()
    is_open = Task.status == "open"
    rows = (await session.execute(
        select(Task.record_id, Task.key, func.count(), func.sum(case((is_open, 0), else_=1)),
               func.max(case((Task.required.is_(True), 1), else_=0)), func.min(case((is_open, Task.due_at))),
               func.sum(case((and_(is_open, Task.due_at < now), 1), else_=0)))
        .where(Task.record_id.in_(record_ids), Task.stage == stage, Task.step == step)
        .group_by(Task.record_id, Task.key).order_by(Task.record_id, Task.key))).all()
    times: dict = {}
    out: dict[int, list[dict]] = {}
    for rid, key, total, done, required, next_due, overdue in rows:
        if next_due not in times:
            times[next_due] = clock.iso(_as_datetime(next_due))
        done = int(done or 0)
        out.setdefault(rid, []).append({"key": key, "title": titles.get(key, key), "total": total, "done": done,
                                        "required": bool(required), "complete": done >= total, "overdue": int(overdue or 0),
                                        "next_due": times[next_due]})
    return out


def _as_datetime(value) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))  # SQLite returns MIN() of a DATETIME column as text


async def behind(session: AsyncSession, record_ids: list[int], stage: str, step: str, key: str,
                 now: datetime | None = None) -> set[int]:
    """Records with an open ``key`` task whose period has started (催交 goes to them)."""
    now = now or clock.utcnow()
    return set((await session.execute(
        select(Task.record_id).where(Task.record_id.in_(record_ids), Task.stage == stage, Task.step == step,
                                     Task.key == key, Task.status == "open", Task.starts_at <= now)
        .distinct())).scalars())
