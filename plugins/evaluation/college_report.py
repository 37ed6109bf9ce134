"""学院党委评价报告 (EV-9): overview, summary, branch ranking by members in the college top p %,
the top p % list (paged) and the top 10 of every metric — ties included, never cut silently."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.responses import Paging
from plugins.evaluation.access import change, metric_key, options, rcol, report_period, same_metric, threshold_of
from plugins.evaluation.metrics import metric_names
from plugins.evaluation.models import EvalBranchResult, EvalPeriod, EvalResult
from plugins.evaluation.ranking import COMPOSITE, branch_ranks, cutoff
from plugins.evaluation.report_schemas import (BranchStanding, CollegeOverview, CollegeReport, Top10Block, Top10Item,
                                               TopMember, TopPage, TopSummary)

TOP10 = 10
# Rows listed per metric in the top 10: everyone tied at a rank ≤ 10 belongs there, but when a whole
# cohort ties (e.g. 组织生活 100 for 200 people) the table lists this many and says how many there are.
TOP10_ROWS = 30


async def branch_standing(session: AsyncSession, period: EvalPeriod, key: str, threshold: float,
                          branch_ids: list[int] | None = None) -> tuple[dict[int, int], dict[int, int], int]:
    """Members of each branch in the college top ``threshold`` % of ``key`` and the resulting branch ranks;
    counted in SQL (one GROUP BY), every branch of the report included."""
    total = period.summary.get("total", 0)
    limit = cutoff(total, threshold)
    if branch_ids is None:
        branch_ids = list((await session.execute(
            select(EvalBranchResult.branch_id).where(EvalBranchResult.period_id == period.id))).scalars())
    col = rcol(key)
    tops = dict.fromkeys(branch_ids, 0)
    tops.update((await session.execute(
        select(EvalResult.branch_id, func.count()).where(EvalResult.period_id == period.id, col >= 1, col <= limit)
        .group_by(EvalResult.branch_id))).all())
    return tops, branch_ranks(tops), total


async def branch_names(session: AsyncSession, period: EvalPeriod) -> dict[int, str]:
    return dict((await session.execute(select(EvalBranchResult.branch_id, EvalBranchResult.name).where(
        EvalBranchResult.period_id == period.id))).all())


async def college_top(session: AsyncSession, period: EvalPeriod, key: str, max_rank: int, bnames: dict[int, str],
                      offset: int = 0, count: int | None = None) -> tuple[list[TopMember], int]:
    """Members with a college rank of ``key`` within 1..``max_rank`` (ties at the cut included), best first;
    ``offset``/``count`` page through them. Returns (items, how many there are in all)."""
    value, rank = rcol(key, "value"), rcol(key)
    where = (EvalResult.period_id == period.id, rank >= 1, rank <= max_rank)
    q = (select(EvalResult.user_id, EvalResult.name, EvalResult.student_no, EvalResult.branch_id, value, rank)
         .where(*where).order_by(rank, EvalResult.student_no))
    if count is not None:
        q = q.offset(offset).limit(count)
    items = [TopMember(user_id=uid, name=name, student_no=sno, branch_name=bnames.get(bid, ""), value=v, rank=rk)
             for uid, name, sno, bid, v, rk in (await session.execute(q)).all()]
    total = len(items) if count is None else (await session.execute(select(func.count()).where(*where))).scalar_one()
    return items, total


async def top_page(session: AsyncSession, period: EvalPeriod, metric: str | None, threshold: float | None,
                   default_threshold: float, paging: Paging) -> TopPage:
    key, t = metric_key(period, metric), threshold_of(threshold, default_threshold)
    limit = cutoff(period.summary.get("total", 0), t)
    items, total = await college_top(session, period, key, limit, await branch_names(session, period),
                                     paging.offset, paging.per_page)
    return TopPage(items=items, total=total, page=paging.page, per_page=paging.per_page, cutoff=limit,
                   **options(period, key, t))


_TOP10_FIELDS = (EvalResult.user_id, EvalResult.name, EvalResult.branch_id, EvalResult.college_rank, EvalResult.prev_college_rank)


async def top10(session: AsyncSession, period: EvalPeriod, bnames: dict[int, str]) -> list[Top10Block]:
    """党员个人排名 top10 of the composite and of every metric: everyone ranked 1..10 (competition
    ranks, so a tie at 10th place brings all of its members), each with how many share the rank."""
    names = metric_names(period.metrics)
    blocks = []
    for k in [COMPOSITE] + [m["key"] for m in period.metrics]:
        value, rank = rcol(k, "value"), rcol(k)
        in_top = (EvalResult.period_id == period.id, rank >= 1, rank <= TOP10)
        ties = dict((await session.execute(select(rank, func.count()).where(*in_top).group_by(rank))).all())
        rows = (await session.execute(select(*_TOP10_FIELDS, value, rank).where(*in_top)
                                      .order_by(rank, EvalResult.student_no).limit(TOP10_ROWS))).all()
        items = [Top10Item(user_id=uid, name=name, branch_name=bnames.get(bid, ""), rank=rk, tie_count=ties.get(rk, 1),
                           value=v, composite_rank=cr, composite_change=change(pcr, cr))
                 for uid, name, bid, cr, pcr, v, rk in rows]
        count = sum(ties.values())
        blocks.append(Top10Block(metric=k, name=names[k], count=count, items=items, truncated=count > len(items),
                                 note=top10_note(ties, count, len(items))))
    return blocks


def top10_note(ties: dict[int, int], count: int, shown: int) -> str | None:
    """并列 in words: which ranks are shared by how many, and how many rows are listed."""
    tied = [f"第 {r} 名并列 {c} 人" for r, c in sorted(ties.items()) if c > 1]
    if not tied:
        return None
    text = "、".join(tied) + f"，前 {TOP10} 名（含并列）共 {count} 人"
    if shown < count:
        text += f"，此处列出其中 {shown} 人"
    return text + "。"


def _summary_text(label: str, period: EvalPeriod, total: int, branches: int) -> str:
    metric_text = "、".join(f"{m['name']}（权重 {m['weight']:g}{'，越低越好' if not m['higher_better'] else ''}）"
                            for m in period.metrics)
    return (f"{label}共有 {branches} 个党支部、{total} 名党员参与评价。评价指标为{metric_text}；"
            "综合得分为各指标的加权和，排名采用并列名次（如 1、2、2、4）。")


async def college_detail(session: AsyncSession, period: EvalPeriod, label: str, college_name: str,
                         metric: str | None, threshold: float | None, default_threshold: float,
                         with_top10: bool = True) -> CollegeReport:
    """The college report; ``with_top10=False`` leaves the top-10 tables out (charts need none)."""
    key, t = metric_key(period, metric), threshold_of(threshold, default_threshold)
    branches = (await session.execute(select(EvalBranchResult).where(EvalBranchResult.period_id == period.id))).scalars().all()
    tops, ranks, total = await branch_standing(session, period, key, t, [b.branch_id for b in branches])
    prev_rank: dict[int, int] = {}
    for tt, pid in (period.summary.get("previous") or {}).items():
        prev_period = await session.get(EvalPeriod, pid)
        pkey = same_metric(period, prev_period, key) if prev_period is not None else None
        if pkey is None:
            continue
        _, pr, _ = await branch_standing(session, prev_period, pkey, t)
        prev_rank.update((b.branch_id, pr[b.branch_id]) for b in branches if b.training_type == tt and b.branch_id in pr)
    ranking = sorted((BranchStanding(
        branch_id=b.branch_id, name=b.name, training_type=b.training_type, member_count=b.member_count,
        top_count=tops.get(b.branch_id, 0), rank=ranks.get(b.branch_id, 0), prev_rank=prev_rank.get(b.branch_id),
        change=change(prev_rank.get(b.branch_id), ranks.get(b.branch_id, 0))) for b in branches),
        key=lambda x: (x.rank, x.name))
    limit = cutoff(total, t)
    count = (await session.execute(select(func.count()).where(
        EvalResult.period_id == period.id, rcol(key) >= 1, rcol(key) <= limit))).scalar_one()
    blocks = await top10(session, period, {b.branch_id: b.name for b in branches}) if with_top10 else []
    return CollegeReport(
        period=report_period(period, label),
        overview=CollegeOverview(name=college_name, student_count=total, branch_count=len(branches)),
        summary=_summary_text(label, period, total, len(branches)),
        branch_ranking=ranking, top=TopSummary(count=count, cutoff=limit), top10=blocks,
        **options(period, key, t))
