"""Report views (EV-5, EV-8..11) with their rights, shared by the PC pages, the MP API and the PDFs.

Rights: the college report is for the committee (scope "all"); a branch report for the committee
and that branch's admin; a person's report for the committee, their branch's admin and themselves.
A report that is not published (never, or withdrawn) exists only for the committee on the PC;
everyone else — and the MP for everyone — gets the same 404 as for a missing report.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Actor
from core.errors import fail
from core.responses import count_of
from plugins.evaluation.metrics import metric_names, slot
from plugins.evaluation.models import EvalBranchResult, EvalPeriod, EvalResult, EvalYear
from plugins.evaluation.periods import ordered_periods
from plugins.evaluation.ranking import COMPOSITE, branch_ranks, cutoff

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


def _metric_key(period: EvalPeriod, metric: str | None) -> str:
    if not metric or metric == COMPOSITE:
        return COMPOSITE
    for m in period.metrics:
        if metric in (m["key"], m["name"]):
            return m["key"]
    raise fail(422, "评价指标不存在")


def _threshold(value: float | None, default: float) -> float:
    t = default if value is None else value
    if not 0 < t <= 100:
        raise fail(422, "排名阈值应在 0 到 100 之间")
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
    return {"metric": key, "threshold": threshold, "thresholds": THRESHOLDS,
            "metrics": [{"key": COMPOSITE, "name": "综合"}] + [{"key": m["key"], "name": m["name"]} for m in period.metrics]}


async def _branch_standing(session, period: EvalPeriod, key: str, threshold: float,
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


TOP_FIELDS = (EvalResult.user_id, EvalResult.name, EvalResult.student_no, EvalResult.branch_id,
              EvalResult.college_rank, EvalResult.prev_college_rank)


async def college_top(session: AsyncSession, period: EvalPeriod, key: str, limit: int, bnames: dict[int, str],
                      offset: int = 0, count: int | None = None) -> tuple[list[dict], int]:
    """Members with a college rank of ``key`` within 1..``limit`` (ties at the cut included), best first;
    ``offset``/``count`` page through them. Returns (items, total)."""
    value, rank = rcol(key, "value"), rcol(key)
    where = (EvalResult.period_id == period.id, rank >= 1, rank <= limit)
    q = (select(EvalResult.user_id, EvalResult.name, EvalResult.student_no, EvalResult.branch_id, value, rank)
         .where(*where).order_by(rank, EvalResult.student_no))
    if count is not None:
        q = q.offset(offset).limit(count)
    items = [{"user_id": uid, "name": name, "student_no": sno, "branch_name": bnames.get(bid, ""), "value": v, "rank": rk}
             for uid, name, sno, bid, v, rk in (await session.execute(q)).all()]
    total = len(items) if count is None else (await session.execute(select(func.count()).where(*where))).scalar_one()
    return items, total


async def college_top_page(session: AsyncSession, period: EvalPeriod, metric: str | None, threshold: float | None,
                           default_threshold: float, offset: int, count: int) -> dict:
    key, t = _metric_key(period, metric), _threshold(threshold, default_threshold)
    bnames = dict((await session.execute(select(EvalBranchResult.branch_id, EvalBranchResult.name).where(
        EvalBranchResult.period_id == period.id))).all())
    items, total = await college_top(session, period, key, cutoff(period.summary.get("total", 0), t), bnames, offset, count)
    return {"items": items, "total": total, **options(period, key, t)}


async def college_detail(session: AsyncSession, period: EvalPeriod, label: str, college_name: str,
                         metric: str | None, threshold: float | None, default_threshold: float, lists: bool = True) -> dict:
    """The college report; ``lists=False`` leaves out the top list and the top-10 tables (charts need neither)."""
    key, t = _metric_key(period, metric), _threshold(threshold, default_threshold)
    names = metric_names(period.metrics)
    branches = (await session.execute(select(EvalBranchResult).where(EvalBranchResult.period_id == period.id))).scalars().all()
    tops, ranks, total = await _branch_standing(session, period, key, t, [b.branch_id for b in branches])
    prev_rank: dict[int, int] = {}
    for tt, pid in (period.summary.get("previous") or {}).items():
        prev_period = await session.get(EvalPeriod, pid)
        if prev_period is None:
            continue
        pkey = _same_metric(period, prev_period, key)
        if pkey is None:
            continue
        _, pr, _ = await _branch_standing(session, prev_period, pkey, t)
        for b in branches:
            if b.training_type == tt and b.branch_id in pr:
                prev_rank[b.branch_id] = pr[b.branch_id]
    branch_list = sorted(({"branch_id": b.branch_id, "name": b.name, "training_type": b.training_type,
                           "member_count": b.member_count, "top_count": tops.get(b.branch_id, 0),
                           "rank": ranks.get(b.branch_id, 0), "prev_rank": prev_rank.get(b.branch_id),
                           "change": change(prev_rank.get(b.branch_id), ranks.get(b.branch_id, 0))}
                          for b in branches), key=lambda x: (x["rank"], x["name"]))
    bnames = {b.branch_id: b.name for b in branches}
    limit = cutoff(total, t)
    top_list, top10 = [], []
    if lists:
        top_list, _ = await college_top(session, period, key, limit, bnames)
        for k in [COMPOSITE] + [m["key"] for m in period.metrics]:
            value, rank = rcol(k, "value"), rcol(k)
            best = (await session.execute(select(*TOP_FIELDS, value, rank).where(EvalResult.period_id == period.id)
                                          .order_by(rank, EvalResult.student_no).limit(10))).all()
            top10.append({"metric": k, "name": names[k], "items": [
                {"user_id": uid, "name": name, "branch_name": bnames.get(bid, ""), "rank": rk, "value": v,
                 "composite_rank": cr, "composite_change": change(pcr, cr)} for uid, name, _, bid, cr, pcr, v, rk in best]})
    metric_text = "、".join(f"{m['name']}（权重 {m['weight']:g}{'，越低越好' if not m['higher_better'] else ''}）" for m in period.metrics)
    return {
        "period": {"id": period.id, "label": label, "published": period.published},
        "overview": {"name": college_name, "student_count": total, "branch_count": len(branches)},
        "summary": (f"{label}共有 {len(branches)} 个党支部、{total} 名党员参与评价。评价指标为{metric_text}；"
                    "综合得分为各指标的加权和，排名采用并列名次（如 1、2、2、4）。"),
        "branch_ranking": branch_list,
        "top": {"count": len(top_list), "cutoff": limit, "items": top_list},
        "top10": top10,
        **options(period, key, t),
    }


def _same_metric(period: EvalPeriod, other: EvalPeriod, key: str) -> str | None:
    if key == COMPOSITE:
        return COMPOSITE
    name = metric_names(period.metrics).get(key)
    return next((m["key"] for m in other.metrics if m["name"] == name), None)


async def branch_list(session: AsyncSession, actor: Actor, period: EvalPeriod) -> list[dict]:
    q = select(EvalBranchResult).where(EvalBranchResult.period_id == period.id)
    if actor.scope != "all":
        q = q.where(EvalBranchResult.branch_id == (actor.branch_id if actor.scope == "branch" and actor.branch_id else -1))
    return [{"branch_id": b.branch_id, "name": b.name, "member_count": b.member_count, "rank": b.rank,
             "top_count": b.top_count, "training_type": b.training_type}
            for b in (await session.execute(q.order_by(EvalBranchResult.rank, EvalBranchResult.name))).scalars()]


async def branch_detail(session: AsyncSession, actor: Actor, period: EvalPeriod, label: str, branch_id: int,
                        metric: str | None, threshold: float | None, default_threshold: float, mp: bool) -> dict:
    require_branch(actor, branch_id)
    key, t = _metric_key(period, metric), _threshold(threshold, default_threshold)
    b = (await session.execute(select(EvalBranchResult).where(
        EvalBranchResult.period_id == period.id, EvalBranchResult.branch_id == branch_id))).scalar_one_or_none()
    if b is None:
        raise fail(404, NOT_FOUND)
    names = metric_names(period.metrics)
    n_branches = period.summary.get("branches", 0)
    summary = []
    for k in [COMPOSITE] + [m["key"] for m in period.metrics]:
        if t == period.summary.get("threshold"):
            top, rank = b.metrics[k]["top"], b.metrics[k]["rank"]
        else:
            tops, ranks, _ = await _branch_standing(session, period, k, t)
            top, rank = tops.get(branch_id, 0), ranks.get(branch_id, 0)
        summary.append({"metric": k, "name": names[k], "rank": rank, "top_count": top, "branch_total": n_branches,
                        "average": b.metrics[k]["avg"]})
    periods = await visible_periods(session, actor, mp)
    labels = {p.id: f"{y} {p.name}" for p, y in periods}
    by_id = {p.id: p for p, _ in periods}
    hist_rows = (await session.execute(select(EvalBranchResult.period_id, EvalBranchResult.rank, EvalBranchResult.top_count).where(
        EvalBranchResult.branch_id == branch_id, EvalBranchResult.period_id.in_(list(labels))))).all()
    hist = {pid: (rk, tc) for pid, rk, tc in hist_rows}
    history = [{"period_id": pid, "label": labels[pid], "rank": hist[pid][0]} for pid in labels if pid in hist]
    counts = {pid: 0 for pid in hist}
    for pid in hist:
        other = by_id[pid]
        pkey = _same_metric(period, other, key)
        if pkey is None:
            continue
        col = rcol(pkey)
        counts[pid] = (await session.execute(select(func.count()).where(
            EvalResult.period_id == pid, EvalResult.branch_id == branch_id, col >= 1,
            col <= cutoff(other.summary.get("total", 0), t)))).scalar_one()
    top_history = [{"period_id": pid, "label": labels[pid], "top_count": counts[pid]} for pid in labels if pid in hist]
    value, branch_col, college_col = rcol(key, "value"), rcol(key, "branch"), rcol(key)
    members = (await session.execute(
        select(EvalResult.user_id, EvalResult.name, EvalResult.student_no, value, branch_col, college_col,
               EvalResult.branch_rank, EvalResult.prev_branch_rank)
        .where(EvalResult.period_id == period.id, EvalResult.branch_id == branch_id)
        .order_by(branch_col, EvalResult.student_no))).all()
    member_rows = [{"user_id": uid, "name": name, "student_no": sno, "value": v, "branch_rank": br, "college_rank": cr,
                    "composite_branch_rank": cbr, "composite_change": change(pbr, cbr)}
                   for uid, name, sno, v, br, cr, cbr, pbr in members]
    return {
        "period": {"id": period.id, "label": label, "published": period.published},
        "overview": {"branch_id": branch_id, "name": b.name, "student_count": b.member_count, "training_type": b.training_type,
                     "rank": b.rank, "prev_rank": b.prev_rank, "change": change(b.prev_rank, b.rank)},
        "summary": summary,
        "history": history,
        "top_history": top_history,
        "members": member_rows,
        **options(period, key, t),
    }


async def member_list(session: AsyncSession, actor: Actor, period: EvalPeriod, name: str = "", branch_id: int | None = None,
                      offset: int = 0, limit: int = 20) -> tuple[list[dict], int]:
    q = member_scope(actor, select(EvalResult).where(EvalResult.period_id == period.id))
    if name:
        q = q.where(EvalResult.name.contains(name.strip()) | EvalResult.student_no.contains(name.strip()))
    if branch_id:
        q = q.where(EvalResult.branch_id == branch_id)
    total = await count_of(session, q)
    rows = (await session.execute(q.order_by(EvalResult.college_rank, EvalResult.student_no).offset(offset).limit(limit))).scalars().all()
    bnames = dict((await session.execute(select(EvalBranchResult.branch_id, EvalBranchResult.name).where(
        EvalBranchResult.period_id == period.id))).all())
    return [{"user_id": r.user_id, "name": r.name, "student_no": r.student_no, "branch_id": r.branch_id,
             "branch_name": bnames.get(r.branch_id, ""), "score": r.score, "college_rank": r.college_rank,
             "branch_rank": r.branch_rank, "change": change(r.prev_college_rank, r.college_rank)} for r in rows], total


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


async def individual_detail(session: AsyncSession, actor: Actor, period: EvalPeriod, label: str, user_id: int, mp: bool) -> dict:
    r = await member_row(session, actor, period.id, user_id)
    b = (await session.execute(select(EvalBranchResult).where(
        EvalBranchResult.period_id == period.id, EvalBranchResult.branch_id == r.branch_id))).scalar_one_or_none()
    total = period.summary.get("total", 0)
    branch_total = b.member_count if b else 0
    ranks = [{"metric": COMPOSITE, "name": "综合", "value": r.score, "college_rank": r.college_rank, "branch_rank": r.branch_rank,
              "prev_college_rank": r.prev_college_rank, "change": change(r.prev_college_rank, r.college_rank)}]
    for m in period.metrics:
        ranks.append({"metric": m["key"], "name": m["name"], "value": rget(r, m["key"], "value"),
                      "college_rank": rget(r, m["key"]), "branch_rank": rget(r, m["key"], "branch")})
    periods = await visible_periods(session, actor, mp)
    labels = {p.id: (f"{y} {p.name}", p) for p, y in periods}
    trend_rows = (await session.execute(select(EvalResult).where(
        EvalResult.user_id == user_id, EvalResult.period_id.in_(list(labels))))).scalars().all()
    got = {row.period_id: row for row in trend_rows}
    trend = []
    for pid, (plabel, p) in labels.items():
        row = got.get(pid)
        if row is None:
            continue
        item = {"period_id": pid, "label": plabel, "ranks": {"综合": {"college": row.college_rank, "branch": row.branch_rank}}}
        for m in p.metrics:
            if rget(row, m["key"]) is not None:
                item["ranks"][m["name"]] = {"college": rget(row, m["key"]), "branch": rget(row, m["key"], "branch")}
        trend.append(item)
    return {
        "period": {"id": period.id, "label": label, "published": period.published},
        "basic": {"user_id": r.user_id, "name": r.name, "student_no": r.student_no, "branch_id": r.branch_id,
                  "branch_name": b.name if b else "", "training_type": r.training_type},
        "totals": {"college": total, "branch": branch_total},
        "opinion": opinion(r.name, label, r, period.metrics, total, branch_total),
        "metric_ranks": ranks,
        "trend": trend,
    }
