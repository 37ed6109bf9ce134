"""Who may open which report (EV-5, EV-7), and the small helpers every report view shares.

Rights: the college report is for the committee (scope "all"); a branch report for the committee
and that branch's admin; a person's report for the committee, their branch's admin and themselves.
A report that is not published (never, or withdrawn) exists only for the committee on the PC;
everyone else — and the MP for everyone — gets the same 404 as for a missing report.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.sdk import Actor, fail
from plugins.evaluation.metrics import metric_names, slot
from plugins.evaluation.models import EvalPeriod, EvalResult, EvalYear
from plugins.evaluation.periods import ordered_periods
from plugins.evaluation.ranking import COMPOSITE
from plugins.evaluation.report_schemas import MetricChoice, ReportOptions, ReportPeriod

NOT_FOUND = "评价报告不存在或未发布"
THRESHOLDS = [10, 20, 30]


def sees_unpublished(actor: Actor, mp: bool) -> bool:
    return not mp and actor.scope == "all"


async def visible_period(session: AsyncSession, actor: Actor, period_id: int, mp: bool) -> tuple[EvalPeriod, str]:
    row = (await session.execute(
        select(EvalPeriod, EvalYear.name).join(EvalYear, EvalYear.id == EvalPeriod.year_id).where(EvalPeriod.id == period_id))).first()
    if row is None or row[0].generated_at is None or (not row[0].published and not sees_unpublished(actor, mp)):
        raise fail(404, NOT_FOUND)
    return row[0], row[1]


async def visible_periods(session: AsyncSession, actor: Actor, mp: bool) -> list[tuple[EvalPeriod, str]]:
    show_all = sees_unpublished(actor, mp)
    return [(p, y) for p, y in await ordered_periods(session) if p.generated_at and (p.published or show_all)]


def require_college(actor: Actor) -> None:
    if actor.scope != "all":
        raise fail(404, NOT_FOUND)


def require_branch(actor: Actor, branch_id: int) -> None:
    if not (actor.scope == "all" or (actor.scope == "branch" and actor.branch_id == branch_id)):
        raise fail(404, NOT_FOUND)


def member_scope(actor: Actor, q):
    """Restrict a query on EvalResult to the rows the actor may see (by the report row's branch)."""
    if actor.scope == "all":
        return q
    if actor.scope == "branch":
        return q.where(EvalResult.branch_id == (actor.branch_id if actor.branch_id is not None else -1))
    return q.where(EvalResult.user_id == actor.id)


def metric_key(period: EvalPeriod, metric: str | None) -> str:
    """A metric chosen by key (m3) or name (学习成绩); none means the composite."""
    if not metric or metric == COMPOSITE:
        return COMPOSITE
    for m in period.metrics:
        if metric in (m["key"], m["name"]):
            return m["key"]
    raise fail(422, "评价指标不存在", field="metric", label="评价指标")


def threshold_of(value: float | None, default: float) -> float:
    t = default if value is None else value
    if not 0 < t <= 100:
        raise fail(422, "排名阈值应在 0 到 100 之间", field="threshold", label="排名阈值")
    return t


_LEVEL = {"value": ("score", "v"), "college": ("college_rank", "c"), "branch": ("branch_rank", "b")}


def rcol(key: str, level: str = "college"):
    """The ev_result column of a metric (or the composite) at a level: value, college rank, branch rank."""
    composite_name, prefix = _LEVEL[level]
    return EvalResult.__table__.c[composite_name if key == COMPOSITE else f"{prefix}{slot(key)}"]


def rget(r: EvalResult, key: str, level: str = "college"):
    """The same figure from one loaded row."""
    composite_name, prefix = _LEVEL[level]
    return getattr(r, composite_name if key == COMPOSITE else f"{prefix}{slot(key)}")


def change(prev: int | None, now: int) -> int | None:
    """Positive: moved up that many places."""
    return None if prev is None else prev - now


def options(period: EvalPeriod, key: str, threshold: float) -> dict:
    """The ReportOptions fields of a view (spread into the report model)."""
    return ReportOptions(
        metric=key, metric_name=metric_names(period.metrics)[key], threshold=threshold, thresholds=THRESHOLDS,
        metrics=[MetricChoice(key=COMPOSITE, name="综合")] + [MetricChoice(key=m["key"], name=m["name"]) for m in period.metrics],
    ).model_dump()


def report_period(period: EvalPeriod, label: str) -> ReportPeriod:
    return ReportPeriod(id=period.id, label=label, published=period.published)


def same_metric(period: EvalPeriod, other: EvalPeriod, key: str) -> str | None:
    """The key of ``period``'s metric ``key`` in ``other`` (matched by name; metrics may be renumbered)."""
    if key == COMPOSITE:
        return COMPOSITE
    name = metric_names(period.metrics).get(key)
    return next((m["key"] for m in other.metrics if m["name"] == name), None)
