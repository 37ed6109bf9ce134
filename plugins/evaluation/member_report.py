"""党员个人评价报告 (EV-11): the member list of a report, and one member's basic info, evaluation
opinion, metric ranks and rank trend over all periods."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.sdk import Actor, count_of, fail
from plugins.evaluation.access import NOT_FOUND, change, member_scope, report_period, rget, visible_periods
from plugins.evaluation.college_report import branch_names
from plugins.evaluation.models import EvalBranchResult, EvalPeriod, EvalResult
from plugins.evaluation.ranking import COMPOSITE, COMPOSITE_NAME
from plugins.evaluation.report_schemas import (IndividualReport, MemberBasic, MemberListItem, MemberTotals, MetricRank,
                                               TrendPoint, TrendRank)


async def member_list(session: AsyncSession, actor: Actor, period: EvalPeriod, name: str = "", branch_id: int | None = None,
                      offset: int = 0, limit: int = 20) -> tuple[list[MemberListItem], int]:
    q = member_scope(actor, select(EvalResult).where(EvalResult.period_id == period.id))
    needle = name.strip()
    if needle:
        q = q.where(EvalResult.name.contains(needle) | EvalResult.student_no.contains(needle))
    if branch_id:
        q = q.where(EvalResult.branch_id == branch_id)
    total = await count_of(session, q)
    rows = (await session.execute(q.order_by(EvalResult.college_rank, EvalResult.student_no).offset(offset).limit(limit))).scalars().all()
    bnames = await branch_names(session, period)
    return [MemberListItem(user_id=r.user_id, name=r.name, student_no=r.student_no, branch_id=r.branch_id,
                           branch_name=bnames.get(r.branch_id, ""), score=r.score, college_rank=r.college_rank,
                           branch_rank=r.branch_rank, change=change(r.prev_college_rank, r.college_rank)) for r in rows], total


async def member_row(session: AsyncSession, actor: Actor, period_id: int, user_id: int) -> EvalResult:
    q = member_scope(actor, select(EvalResult).where(EvalResult.period_id == period_id, EvalResult.user_id == user_id))
    row = (await session.execute(q)).scalar_one_or_none()
    if row is None:
        raise fail(404, NOT_FOUND)
    return row


def opinion(name: str, label: str, r: EvalResult, metrics: list[dict], total: int, branch_total: int) -> str:
    """The evaluation opinion (评价意见): a Chinese paragraph written from the ranks alone."""
    pct = r.college_rank / total * 100 if total else 100
    level = "表现优秀" if pct <= 20 else ("表现良好" if pct <= 50 else ("表现中等" if pct <= 80 else "仍有较大提升空间"))
    parts = [f"{name}同学在{label}的党员评价中，综合得分 {r.score:g}，在学院 {total} 名党员中综合排名第 {r.college_rank} 名，"
             f"在本支部 {branch_total} 名党员中综合排名第 {r.branch_rank} 名，总体{level}。"]
    items = [(m["name"], rget(r, m["key"]) or 0, rget(r, m["key"], "branch") or 0) for m in metrics]
    if items:
        parts.append("各项指标在学院中的排名为：" + "，".join(f"{n}第 {c} 名（支部第 {b} 名）" for n, c, b in items) + "。")
        best = min(items, key=lambda x: x[1])
        worst = max(items, key=lambda x: x[1])
        if best[1] != worst[1]:
            parts.append(f"其中“{best[0]}”表现最为突出，“{worst[0]}”相对薄弱，建议在今后的学习和工作中重点加强。")
        else:
            parts.append("各项指标发展较为均衡。")
    c = change(r.prev_college_rank, r.college_rank)
    if c is not None:
        parts.append("与上一评价时段相比，学院综合排名" + (f"上升 {c} 名，进步明显，望继续保持。" if c > 0 else
                                              f"下降 {-c} 名，望查找原因、迎头赶上。" if c < 0 else "保持不变。"))
    return "".join(parts)


async def individual_detail(session: AsyncSession, actor: Actor, period: EvalPeriod, label: str, user_id: int,
                            mp: bool) -> IndividualReport:
    r = await member_row(session, actor, period.id, user_id)
    b = (await session.execute(select(EvalBranchResult).where(
        EvalBranchResult.period_id == period.id, EvalBranchResult.branch_id == r.branch_id))).scalar_one_or_none()
    total = period.summary.get("total", 0)
    branch_total = b.member_count if b else 0
    ranks = [MetricRank(metric=COMPOSITE, name=COMPOSITE_NAME, value=r.score, college_rank=r.college_rank,
                        branch_rank=r.branch_rank, prev_college_rank=r.prev_college_rank,
                        change=change(r.prev_college_rank, r.college_rank))]
    ranks += [MetricRank(metric=m["key"], name=m["name"], value=rget(r, m["key"], "value"), college_rank=rget(r, m["key"]),
                         branch_rank=rget(r, m["key"], "branch")) for m in period.metrics]
    periods = await visible_periods(session, actor, mp)
    labels = {p.id: (f"{y} {p.name}", p) for p, y in periods}
    got = {row.period_id: row for row in (await session.execute(select(EvalResult).where(
        EvalResult.user_id == user_id, EvalResult.period_id.in_(list(labels))))).scalars()}
    trend = []
    for pid, (plabel, p) in labels.items():
        row = got.get(pid)
        if row is None:
            continue
        points = [TrendRank(name=COMPOSITE_NAME, college_rank=row.college_rank, branch_rank=row.branch_rank)]
        points += [TrendRank(name=m["name"], college_rank=rget(row, m["key"]), branch_rank=rget(row, m["key"], "branch"))
                   for m in p.metrics if rget(row, m["key"]) is not None]
        trend.append(TrendPoint(period_id=pid, label=plabel, ranks=points))
    return IndividualReport(
        period=report_period(period, label),
        basic=MemberBasic(user_id=r.user_id, name=r.name, student_no=r.student_no, branch_id=r.branch_id,
                          branch_name=b.name if b else "", training_type=r.training_type),
        totals=MemberTotals(college=total, branch=branch_total),
        opinion=opinion(r.name, label, r, period.metrics, total, branch_total),
        metric_ranks=ranks, trend=trend)
