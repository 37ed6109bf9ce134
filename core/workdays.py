"""Working days by the national holiday and 调休 calendar (BEY-5), for publicity periods and
deadlines counted in working days.

``chinese-calendar`` carries the State Council's schedule year by year. A year it does not
cover yet (the schedule is published in November or December for the next year) falls back
to Monday–Friday, with one logged warning per year, so nothing stops working on 1 January.
"""
from __future__ import annotations

import logging
from datetime import date, timedelta

import chinese_calendar

log = logging.getLogger("xianfeng.workdays")
_warned: set[int] = set()


def is_workday(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in _warned:
            _warned.add(day.year)
            log.warning("chinese-calendar has no holiday data for %s; counting Monday to Friday as working days "
                        "(upgrade chinese-calendar when the State Council publishes the schedule)", day.year)
        return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The day ``days`` working days after ``start`` (``start`` itself not counted)."""
    d, added = start, 0
    while added < days:
        d += timedelta(days=1)
        if is_workday(d):
            added += 1
    return d


def period_end(start: date, working_days: int) -> date:
    """The last day of a period of ``working_days`` working days that counts ``start`` itself
    when it is a working day (a publicity that starts on a Monday for 5 days ends on Friday)."""
    return add_working_days(start - timedelta(days=1), working_days)


def working_days_between(start: date, end: date) -> int:
    """Working days in ``start..end``, both included."""
    n, d = 0, start
    while d <= end:
        n += is_workday(d)
        d += timedelta(days=1)
    return n
