"""Evaluation periods (EV-1): years hold semesters; queries shared by data management and reports."""
from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.sdk import fail
from plugins.evaluation.metrics import with_range
from plugins.evaluation.models import EvalBranchResult, EvalPeriod, EvalRecord, EvalResult, EvalYear
from plugins.evaluation.schemas import MetricOut, PeriodOut, PeriodStatus


def status_of(p: EvalPeriod) -> tuple[PeriodStatus, str]:
    if p.generated_at is None:
        return ("no_data", "未导入数据") if p.record_count == 0 else ("not_generated", "未生成报告")
    if p.published:
        return "published", "已发布"
    if p.withdrawn_at is not None:
        return "withdrawn", "已撤回"
    return "generated", "已生成（未发布）"


def period_out(p: EvalPeriod, year_name: str) -> PeriodOut:
    key, label = status_of(p)
    generated = p.generated_at is not None
    return PeriodOut(
        id=p.id, name=p.name, year_id=p.year_id, year_name=year_name, label=f"{year_name} {p.name}",
        metrics=[MetricOut(**m) for m in with_range(p.metrics)], record_count=p.record_count, status=key,
        status_label=label, generated=generated, published=p.published,
        stale=generated and p.report_version != p.data_version, metrics_locked=generated,
        generated_at=p.generated_at, published_at=p.published_at, withdrawn_at=p.withdrawn_at)


async def ordered_periods(session: AsyncSession) -> list[tuple[EvalPeriod, str]]:
    """All periods in time order: by year name (e.g. 2024-2025学年), then position in the year."""
    rows = (await session.execute(
        select(EvalPeriod, EvalYear.name).join(EvalYear, EvalYear.id == EvalPeriod.year_id)
        .order_by(EvalYear.name, EvalPeriod.sort, EvalPeriod.id))).all()
    return [(p, y) for p, y in rows]


async def load_period(session: AsyncSession, period_id: int) -> tuple[EvalPeriod, str]:
    row = (await session.execute(
        select(EvalPeriod, EvalYear.name).join(EvalYear, EvalYear.id == EvalPeriod.year_id)
        .where(EvalPeriod.id == period_id))).first()
    if row is None:
        raise fail(404, "评价时段不存在")
    return row[0], row[1]


async def year_by_name(session: AsyncSession, name: str) -> EvalYear:
    name = name.strip()
    if not name:
        raise fail(422, "评价年份不能为空")
    year = (await session.execute(select(EvalYear).where(EvalYear.name == name))).scalar_one_or_none()
    if year is None:
        year = EvalYear(name=name)
        session.add(year)
        await session.flush()
    return year


async def check_name_free(session: AsyncSession, year_id: int, name: str, except_id: int | None = None) -> None:
    q = select(EvalPeriod.id).where(EvalPeriod.year_id == year_id, EvalPeriod.name == name)
    if except_id:
        q = q.where(EvalPeriod.id != except_id)
    if (await session.execute(q)).first():
        raise fail(409, f"该评价年份下已有评价学期“{name}”")


async def next_sort(session: AsyncSession, year_id: int) -> int:
    return ((await session.execute(select(func.max(EvalPeriod.sort)).where(EvalPeriod.year_id == year_id))).scalar() or 0) + 1


async def drop_empty_years(session: AsyncSession) -> None:
    """A year whose semesters are all gone disappears (manual: 若评价学期全部删除，评价年份也随之删除)."""
    used = select(EvalPeriod.year_id)
    await session.execute(delete(EvalYear).where(EvalYear.id.not_in(used)))


async def delete_period(session: AsyncSession, period: EvalPeriod) -> None:
    for model in (EvalResult, EvalBranchResult, EvalRecord):
        await session.execute(delete(model).where(model.period_id == period.id))
    await session.delete(period)
    await session.flush()
    await drop_empty_years(session)
