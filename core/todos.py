"""The page-aware answer of ``xf_todo_items`` (docs/hooks.md).

The to-do list (``GET /api/mp/v1/todos``) shows one page, soonest due first. It passes each
plugin ``limit`` (the page's end: ``page * per_page``): a plugin that returns at most that many
items, soonest due first, as ``TodoItems`` with ``total`` set to how many it has in all, costs
the same whether the actor has 20 to-dos or 2,000 (issue 11: 417 -> 2,067 items from 10,000 to
50,000 students made the list 2.6 times dearer). In SQL: ``ORDER BY due LIMIT :limit`` with
``count(*) OVER ()`` for the total, one statement. A plain list of every item still works.
"""
from __future__ import annotations

from typing import Iterable


class TodoItems(list):
    """At most ``limit`` to-do items of one plugin, soonest due first (undated last), and in
    ``total`` how many the plugin has for the actor."""

    def __init__(self, items: Iterable = (), total: int | None = None):
        super().__init__(items)
        self.total = len(self) if total is None else total
