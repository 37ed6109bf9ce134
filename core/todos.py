"""The page-aware answer of ``xf_todo_items`` (docs/hooks.md) and the to-do list's order.

The to-do list (``GET /api/mp/v1/todos``) shows one page, soonest due first. It passes each
plugin ``limit`` (the page's end: ``page * per_page``): a plugin that returns at most that many
items, soonest due first, as ``TodoItems`` with ``total`` set to how many it has in all, costs
the same whether the actor has 20 to-dos or 2,000 (issue 11: 417 -> 2,067 items from 10,000 to
50,000 students made the list 2.6 times dearer). In SQL: ``ORDER BY due LIMIT :limit`` with
``count(*) OVER ()`` for the total, one statement. A plain list of every item still works.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Iterable


class TodoItems(list):
    """At most ``limit`` to-do items of one plugin, soonest due first (undated last), and in
    ``total`` how many the plugin has for the actor."""

    def __init__(self, items: Iterable = (), total: int | None = None):
        super().__init__(items)
        self.total = len(self) if total is None else total


def due_utc(value) -> datetime | None:
    """An item's ``due_at`` as naive UTC: a datetime is stored so already (an aware one is
    converted), a bare date means the end of that local day."""
    from core import clock

    if isinstance(value, datetime):
        return clock.to_utc(value) if value.tzinfo else value
    if isinstance(value, date):
        return clock.local_day_end(value)
    return None


def soonest(items: Iterable[dict], limit: int | None = None) -> list[tuple[datetime | None, dict]]:
    """(due as naive UTC, item) soonest due first, undated last, ties in the given order; the
    first ``limit`` of them when given."""
    dated = sorted(((due_utc(it.get("due_at")), i, it) for i, it in enumerate(items)),
                   key=lambda x: (x[0] is None, x[0] or datetime.min, x[1]))
    return [(due, it) for due, _, it in (dated if limit is None else dated[:limit])]
