"""Performance figures of Xianfeng: ``python -m benchmarks [module ...]`` from the repo root.

Each benchmark module (listed in ``benchmarks.__main__.MODULES``) exposes ``run(results)``
and appends figures made with :func:`figure`. ``__main__`` prints them as a table and writes
``bench-results.json`` (a JSON list of {"name", "value", "unit", "goal", "better"}) at the
repo root. Shared set-up (a demo college in a temp SQLite database, an in-process app) lives
in :mod:`benchmarks.common` and is built once per run, whatever modules ask for it.
"""
from __future__ import annotations

from typing import Literal

Better = Literal["lower", "higher"]


def figure(results: list[dict], name: str, value: float, unit: str, goal: float | None, better: Better) -> dict:
    """Append one figure to ``results`` and return it."""
    if better not in ("lower", "higher"):
        raise ValueError(f"better must be 'lower' or 'higher', not {better!r}")
    item = {"name": name, "value": round(float(value), 3), "unit": unit, "goal": goal, "better": better}
    results.append(item)
    return item


def meets_goal(item: dict) -> bool | None:
    """True/False against the goal; None when the figure has no goal."""
    goal = item.get("goal")
    if goal is None:
        return None
    return item["value"] <= goal if item["better"] == "lower" else item["value"] >= goal
