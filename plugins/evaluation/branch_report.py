"""党支部评价报告 (EV-10): overview, each metric's rank in the college, rank history and top-p %
counts over all periods, and the members ranked within the branch (paged)."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.responses import Paging
from core.sdk import Actor, count_of, fail
from plugins.evaluation.access import (NOT_FOUND, change, metric_key, options, rcol, report_period, require_branch,
                                       same_metric, threshold_of, visible_periods)
from plugins.evaluation.college_report import branch_standing
from plugins.evaluation.metrics import metric_names
from plugins.evaluation.models import EvalBranchResult, EvalPeriod, EvalResult
from plugins.evaluation.ranking import COMPOSITE, cutoff
from plugins.evaluation.report_schemas import (BranchListItem, BranchMember, BranchMemberPage, BranchMetricStanding,
                                               BranchOverview, BranchRankPoint, BranchReport, BranchTopPoint)


async def branch_list(session: AsyncSession, actor: Actor, period: EvalPeriod, paging: Paging | None = None
                      ) -> tuple[list[BranchListItem], int]:
    """The branches of a report the actor may open, best first (one page of them with ``paging``)."""
    q = select(EvalBranchResult).where(EvalBranchResult.period_id == period.id)
    if actor.scope != "all":
        q = q.where(EvalBranchResult.branch_id == (actor.branch_id if actor.scope == "branch" and actor.branch_id else -1))
    total = await count_of(session, q)
    q = q.order_by(EvalBranchResult.rank, EvalBranchResult.name)
    if paging is not None:
        q = q.offset(paging.offset).limit(paging.per_page)
    items = [BranchListItem(branch_id=b.branch_id, name=b.name, member_count=b.member_count, rank=b.rank,
                            top_count=b.top_count, training_type=b.training_type)
             for b in (await session.execute(q)).scalars()]
    return items, total


async def _branch_row(session: AsyncSession, actor: Actor, period: EvalPeriod, branch_id: int) -> EvalBranchResult:
    require_branch(actor, branch_id)
    b = (await session.execute(select(EvalBranchResult).where(
        EvalBranchResult.period_id == period.id, EvalBranchResult.branch_id == branch_id))).scalar_one_or_none()
    if b is None:
        raise fail(404, NOT_FOUND)
    return b


async def branch_detail(session: AsyncSession, actor: Actor, period: EvalPeriod, label: str, branch_id: int,
                        metric: str | None, threshold: float | None, default_threshold: float, mp: bool) -> BranchReport:
    b = await _branch_row(session, actor, period, branch_id)
    key, t = metric_key(period, metric), threshold_of(threshold, default_threshold)
    names = metric_names(period.metrics)
    n_branches = period.summary.get("branches", 0)
    summary = []
    for k in [COMPOSITE] + [m["key"] for m in period.metrics]:
        if t == period.summary.get("threshold"):
            top, rank = b.metrics[k]["top"], b.metrics[k]["rank"]
        else:
            tops, ranks, _ = await branch_standing(session, period, k, t)
            top, rank = tops.get(branch_id, 0), ranks.get(branch_id, 0)
        summary.append(BranchMetricStanding(metric=k, name=names[k], rank=rank, top_count=top, branch_total=n_branches,
                                            average=b.metrics[k]["avg"]))
    periods = await visible_periods(session, actor, mp)
    labels = {p.id: f"{y} {p.name}" for p, y in periods}
    by_id = {p.id: p for p, _ in periods}
    hist = dict((await session.execute(select(EvalBranchResult.period_id, EvalBranchResult.rank).where(
        EvalBranchResult.branch_id == branch_id, EvalBranchResult.period_id.in_(list(labels))))).all())
    history = [BranchRankPoint(period_id=pid, label=labels[pid], rank=hist[pid]) for pid in labels if pid in hist]
    top_history = []
    for pid in (pid for pid in labels if pid in hist):
        other = by_id[pid]
        pkey = same_metric(period, other, key)
        count = 0
        if pkey is not None:
            col = rcol(pkey)
            count = (await session.execute(select(func.count()).where(
                EvalResult.period_id == pid, EvalResult.branch_id == branch_id, col >= 1,
                col <= cutoff(other.summary.get("total", 0), t)))).scalar_one()
        top_history.append(BranchTopPoint(period_id=pid, label=labels[pid], top_count=count))
    return BranchReport(
        period=report_period(period, label),
        overview=BranchOverview(branch_id=branch_id, name=b.name, student_count=b.member_count, training_type=b.training_type,
                                rank=b.rank, prev_rank=b.prev_rank, change=change(b.prev_rank, b.rank)),
        summary=summary, history=history, top_history=top_history, **options(period, key, t))


async def branch_members(session: AsyncSession, actor: Actor, period: EvalPeriod, branch_id: int, metric: str | None,
                         threshold: float | None, default_threshold: float, paging: Paging | None) -> BranchMemberPage:
    """支部内党员排名 by the chosen metric's branch rank; every member when ``paging`` is None (PDF)."""
    await _branch_row(session, actor, period, branch_id)
    key, t = metric_key(period, metric), threshold_of(threshold, default_threshold)
    value, branch_col, college_col = rcol(key, "value"), rcol(key, "branch"), rcol(key)
    where = (EvalResult.period_id == period.id, EvalResult.branch_id == branch_id)
    q = (select(EvalResult.user_id, EvalResult.name, EvalResult.student_no, value, branch_col, college_col,
                EvalResult.branch_rank, EvalResult.prev_branch_rank).where(*where).order_by(branch_col, EvalResult.student_no))
    if paging is not None:
        q = q.offset(paging.offset).limit(paging.per_page)
    items = [BranchMember(user_id=uid, name=name, student_no=sno, value=v, branch_rank=br, college_rank=cr,
                          composite_branch_rank=cbr, composite_change=change(pbr, cbr))
             for uid, name, sno, v, br, cr, cbr, pbr in (await session.execute(q)).all()]
    total = (await session.execute(select(func.count()).where(*where))).scalar_one() if paging is not None else len(items)
    return BranchMemberPage(items=items, total=total, page=paging.page if paging else 1,
                            per_page=paging.per_page if paging else max(1, len(items)), **options(period, key, t))
