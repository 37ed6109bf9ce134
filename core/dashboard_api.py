"""The 工作台 API (issue 16): ``GET /api/pc/v1/dashboard`` (the committee's college or a branch
admin's branch, with the branch's to-do list) and ``GET /api/pc/v1/dashboard/chart`` (the
ECharts option of people per stage and branch, for the amis ``chart``). Permission
``dashboard`` (committee and branch admins); the scope decides what is counted."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from core import clock
from core.auth import Actor, Requires
from core.clock import LocalDateTime
from core.dashboard import FAILED, admin_href, branch_names, stage_counts, stage_link, timing_lights, training_fill
from core.dashboard_overdue import CATEGORY_LABELS, overdue
from core.db import SessionDep
from core.responses import Envelope, ok
from core.todos import soonest
from core.workflow.deps import EngineDep
from core.workflow.stages import STAGE_ORDER

router = APIRouter(prefix="/api/pc/v1/dashboard", tags=["工作台"])
LIST_LIMIT = 20


class StepColumn(BaseModel):
    name: str = Field(description="本列在每行 cells 中的下标字段名，如 c3")
    stage: str
    step: str = Field(description="环节代码；空：等待开展；__failed：不通过")
    title: str
    stage_title: str


class CountCell(BaseModel):
    count: int
    link: str = Field(description="按党支部、环节筛选的阶段名单")


class BranchRow(BaseModel):
    branch_id: int = Field(description="党支部编号；0：未关联党支部")
    name: str
    total: int
    done: int = Field(description="已完成发展")
    cells: list[CountCell]


class StageTotal(BaseModel):
    stage: str
    title: str
    count: int
    link: str


class OverdueGroupOut(BaseModel):
    category: str = Field(description="task | talk | publicity | filing")
    category_label: str
    label: str
    count: int
    link: str


class OverdueItemOut(BaseModel):
    category: str
    category_label: str
    label: str
    title: str
    branch_name: str
    due_at: Optional[LocalDateTime]
    link: str


class LightCounts(BaseModel):
    red: int
    yellow: int
    green: int


class LightOut(BaseModel):
    record_id: int
    name: str
    branch_name: str
    stage_title: str
    color: str = Field(description="red | yellow")
    reason: str
    link: str


class ClassOut(BaseModel):
    id: int
    title: str
    type_title: str
    state: str
    state_label: str
    train_start: LocalDateTime
    quota: int
    signed_up: int
    selected: int
    passed: int
    fill: str = Field(description="入选/名额，如 18/20")
    link: str


class PanelItem(BaseModel):
    label: str
    value: str
    link: str = ""


class Panel(BaseModel):
    """A block another plugin adds to the 工作台 (``xf_dashboard_panels``), e.g. 本年度考评."""

    title: str
    items: list[PanelItem]
    link: str = ""


class TodoOut(BaseModel):
    kind_label: str
    title: str
    due_at: Optional[LocalDateTime]
    link: str


class DashboardOut(BaseModel):
    scope: str = Field(description="all：全院；branch：本支部")
    branch_name: str
    columns: list[StepColumn]
    branches: list[BranchRow]
    stage_totals: list[StageTotal]
    overdue_total: int
    overdue_groups: list[OverdueGroupOut]
    overdue: list[OverdueItemOut]
    lights: LightCounts
    light_items: list[LightOut]
    classes: list[ClassOut]
    panels: list[Panel]
    todos: list[TodoOut] = Field(description="党支部管理员的待办事项（最早截止的在前）；学院党委为空")
    todo_total: int


class ChartAxis(BaseModel):
    type: str
    data: list[str] = []


class ChartSeries(BaseModel):
    name: str
    type: str = "bar"
    stack: str = "people"
    data: list[int]


class ChartLegend(BaseModel):
    data: list[str]


class ChartTooltip(BaseModel):
    trigger: str = "axis"


class ChartOut(BaseModel):
    """An ECharts option: people (in progress) per branch, one stacked bar per stage."""

    tooltip: ChartTooltip
    legend: ChartLegend
    xAxis: ChartAxis
    yAxis: ChartAxis
    series: list[ChartSeries]


Viewer = Requires("dashboard")


async def _todos(request: Request, session, actor: Actor) -> tuple[list[dict], int]:
    items: list = []
    total = 0
    for coro in request.app.state.plugins.hook.xf_todo_items(session=session, actor=actor, limit=LIST_LIMIT):
        got = (await coro) or []
        total += getattr(got, "total", len(got))
        items.extend(got)
    out = [{"kind_label": str(it.get("kind_label") or "待办"), "title": str(it.get("title") or ""), "due_at": clock.iso(due),
            "link": str(it.get("link") or "")} for due, it in soonest(items, LIST_LIMIT)]
    return out, total


@router.get("", response_model=Envelope[DashboardOut], summary="工作台：全院（学院党委）或本支部（党支部管理员）概况")
async def dashboard(request: Request, session: SessionDep, engine: EngineDep, actor: Viewer):
    registry, now = engine.registry, clock.utcnow()
    columns, branches = await stage_counts(session, registry, actor)
    found = await overdue(session, registry, actor, now, limit=LIST_LIMIT)
    active = sum(n for b in branches for (_, step), n in b.counts.items() if step != FAILED)
    counts, lights = await timing_lights(session, request.app.state.settings, actor, clock.local_today(), active)
    classes = await training_fill(session, registry, actor, now)
    wanted = {i.branch_id for i in found.items} | {x.branch_id for x in lights[:LIST_LIMIT]}
    names = {b.branch_id: b.name for b in branches}
    names.update(await branch_names(registry, session, wanted - set(names)))
    if actor.scope == "branch" and actor.branch_id not in names:
        names.update(await branch_names(registry, session, [actor.branch_id]))
    cols = [{"name": f"c{i}", "stage": c.stage, "step": c.step, "title": c.title, "stage_title": c.stage_title}
            for i, c in enumerate(columns)]
    rows = [{"branch_id": b.branch_id, "name": b.name, "total": b.total, "done": b.done,
             "cells": [{"count": b.counts.get((c.stage, c.step), 0), "link": stage_link(registry, c.stage, c.step, b.branch_id)}
                       for c in columns]} for b in branches]
    totals = []
    for key in STAGE_ORDER:
        n = sum(v for b in branches for (s, _), v in b.counts.items() if s == key)
        totals.append({"stage": key, "title": registry.stage(key).title, "count": n,
                       "link": admin_href(registry.stage(key).page_url)})
    panels = []
    for coro in request.app.state.plugins.hook.xf_dashboard_panels(session=session, actor=actor):
        panels += [p.model_dump() if isinstance(p, BaseModel) else Panel(**p).model_dump() for p in (await coro) or []]
    todos, todo_total = await _todos(request, session, actor) if actor.scope == "branch" else ([], 0)
    stage_titles = {k: registry.stage(k).title for k in STAGE_ORDER}
    return ok({
        "scope": actor.scope, "branch_name": names.get(actor.branch_id, "") if actor.scope == "branch" else "",
        "columns": cols, "branches": rows, "stage_totals": totals,
        "overdue_total": sum(g.count for g in found.groups),
        "overdue_groups": [{"category": g.category, "category_label": CATEGORY_LABELS[g.category], "label": g.label,
                            "count": g.count, "link": f"/admin/#{g.link}"} for g in found.groups],
        "overdue": [{"category": i.category, "category_label": CATEGORY_LABELS[i.category], "label": i.label, "title": i.title,
                     "branch_name": names.get(i.branch_id, "学院党委" if i.branch_id is None else ""),
                     "due_at": clock.iso(i.due_at), "link": f"/admin/#{i.link}"} for i in found.items],
        "lights": counts,
        "light_items": [{"record_id": x.record_id, "name": x.name, "branch_name": names.get(x.branch_id, ""),
                         "stage_title": stage_titles.get(x.stage, x.stage), "color": x.color, "reason": x.reason,
                         "link": admin_href(registry.stage(x.stage).page_url, step=x.step or None)
                         if x.stage in registry.stages else "/admin/"} for x in lights[:LIST_LIMIT]],
        "classes": [{**c.__dict__, "train_start": clock.iso(c.train_start), "fill": f"{c.selected}/{c.quota}",
                     "link": "/admin/#/admin/development/page/training"} for c in classes],
        "panels": panels, "todos": todos, "todo_total": todo_total,
    })


@router.get("/chart", response_model=Envelope[ChartOut], summary="工作台图表：各党支部各阶段在发展人数")
async def chart(session: SessionDep, engine: EngineDep, actor: Viewer):
    registry = engine.registry
    _, branches = await stage_counts(session, registry, actor)
    series = [{"name": registry.stage(key).title, "data": [sum(v for (s, step), v in b.counts.items() if s == key and step != FAILED)
                                                          for b in branches]} for key in STAGE_ORDER]
    return ok({"tooltip": {"trigger": "axis"}, "legend": {"data": [s["name"] for s in series]},
               "xAxis": {"type": "category", "data": [b.name for b in branches]}, "yAxis": {"type": "value"},
               "series": series})

