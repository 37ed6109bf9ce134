"""Generate reports (生成评价报告, EV-4): composite and per-metric competition ranks in the college and
in each branch, and branch figures at the default threshold; then 较上期 for this report and for
every later report that compares with it (previous.py). One sort per metric gives college and
branch ranks; the 10,000 result rows go to the database as one executemany."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import repeat
from operator import itemgetter
from typing import Sequence

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.sdk import fail, utcnow
from plugins.evaluation.bulk import insert_rows
from plugins.evaluation.metrics import slot
from plugins.evaluation.models import EvalBranchResult, EvalPeriod, EvalRecord, EvalResult
from plugins.evaluation.periods import ordered_periods
from plugins.evaluation.previous import link, previous_of, relink
from plugins.evaluation.ranking import COMPOSITE, branch_ranks, cutoff
from plugins.evaluation.schemas import GenerateResult, PeriodRef, PreviousLink
from plugins.org_mgmt.models import Organisation


class Grouping:
    """Positions of each group (branch) in the row list, prepared once for every metric."""

    def __init__(self, groups: Sequence[int]):
        index: dict[int, int] = {}
        members: list[list[int]] = []
        self.of = [0] * len(groups)
        for i, g in enumerate(groups):
            k = index.get(g)
            if k is None:
                k = index[g] = len(members)
                members.append([])
            members[k].append(i)
            self.of[i] = k
        self.ids = list(index)
        self.members = members
        self.getters = [itemgetter(*m) if len(m) > 1 else (lambda seq, _i=m[0]: (seq[_i],)) for m in members]


def ranks_in(values: list[float], grouping: Grouping, higher_better: bool) -> tuple[list[int], list[int]]:
    """Competition ranks (1, 2, 2, 4) of ``values`` in the whole list and within each group.

    A competition rank is 1 + the number of strictly better values, i.e. a binary search in the
    sorted values: one C-level sort and one ``bisect`` per value, no Python loop over ties."""
    n = len(values)
    asc = sorted(values)
    per = [sorted(get(values)) for get in grouping.getters]
    if higher_better:
        college = [n + 1 - bisect_right(asc, v) for v in values]
        sizes = [len(x) + 1 for x in per]
        branch = [sizes[k] - bisect_right(per[k], v) for v, k in zip(values, grouping.of)]
    else:
        college = [bisect_left(asc, v) + 1 for v in values]
        branch = [bisect_left(per[k], v) + 1 for v, k in zip(values, grouping.of)]
    return college, branch


async def generate(session: AsyncSession, period: EvalPeriod, threshold: float) -> GenerateResult:
    if period.record_count == 0:
        raise fail(409, "该评价时段暂未导入数据，无法生成评价报告")
    metrics = period.metrics
    rec = EvalRecord.__table__.c
    value_cols = [rec[f"v{slot(m['key'])}"] for m in metrics]
    recs = (await session.execute(
        select(rec.user_id, rec.name, rec.student_no, rec.branch_id, rec.training_type, *value_cols)
        .where(rec.period_id == period.id))).all()
    n = len(recs)
    if n == 0:
        raise fail(409, "该评价时段暂未导入数据，无法生成评价报告")
    columns = list(zip(*recs))
    user_ids, names, numbers, branch_of, types = columns[:5]
    series_values = [list(c) for c in columns[5:]]
    for m, col in zip(metrics, series_values):
        missing = sum(1 for v in col if v is None)
        if missing:
            raise fail(409, f"有 {missing} 条数据缺少评价指标“{m['name']}”的值（指标修改后请重新导入数据），无法生成评价报告")

    # Composite = Σ weight × value (lower-is-better metrics count negatively), summed in metric order.
    total = [0.0] * n
    for m, col in zip(metrics, series_values):
        w = m["weight"] if m["higher_better"] else -m["weight"]
        total = [a + w * b for a, b in zip(total, col)]
    keys = [COMPOSITE] + [m["key"] for m in metrics]
    series = [[round(x, 4) for x in total]] + series_values
    better = [True] + [m["higher_better"] for m in metrics]
    grouping = Grouping(branch_of)
    college, branch_rank = [], []
    for values, hb in zip(series, better):
        c, b = ranks_in(values, grouping, hb)
        college.append(c)
        branch_rank.append(b)

    tts = set(types)
    pid = period.id
    slots = [slot(m["key"]) for m in metrics]
    # Previous ranks start empty; previous.link fills them from the previous period's report.
    result_cols = (["period_id", "user_id", "name", "student_no", "branch_id", "training_type", "score", "college_rank",
                    "branch_rank"] + [f"v{s}" for s in slots] + [f"c{s}" for s in slots] + [f"b{s}" for s in slots])
    results = list(zip(repeat(pid, n), user_ids, names, numbers, branch_of, types, series[0], college[0], branch_rank[0],
                       *series[1:], *college[1:], *branch_rank[1:]))

    by_branch = {b: grouping.members[k] for k, b in enumerate(grouping.ids)}
    org_names = dict((await session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(list(by_branch))))).all())
    limit = cutoff(n, threshold)
    per_metric: dict[int, dict] = {b: {} for b in by_branch}
    for k, values, ranks in zip(keys, series, college):
        sums = {b: sum(get(values)) for b, get in zip(grouping.ids, grouping.getters)}
        in_top = [r <= limit for r in ranks]
        tops = {b: sum(get(in_top)) for b, get in zip(grouping.ids, grouping.getters)}
        standing = branch_ranks(tops)
        for b, idxs in by_branch.items():
            per_metric[b][k] = {"top": tops[b], "rank": standing[b], "avg": round(sums[b] / len(idxs), 4)}
    branch_rows = [{
        "period_id": pid, "branch_id": b, "name": org_names.get(b, f"党支部{b}"), "training_type": types[idxs[0]],
        "member_count": len(idxs), "top_count": per_metric[b][COMPOSITE]["top"], "rank": per_metric[b][COMPOSITE]["rank"],
        "prev_rank": None, "metrics": per_metric[b]} for b, idxs in by_branch.items()]

    await session.execute(delete(EvalResult).where(EvalResult.period_id == pid))
    await session.execute(delete(EvalBranchResult).where(EvalBranchResult.period_id == pid))
    await insert_rows(session, EvalResult.__table__, result_cols, results)
    await session.execute(insert(EvalBranchResult), branch_rows)
    period.generated_at = utcnow()
    period.report_version = period.data_version
    period.summary = {"total": n, "branches": len(by_branch), "threshold": threshold, "previous": {},
                      "training_types": sorted(tts)}
    session.add(period)
    await session.flush()
    # This report's 较上期, then every later report that compares with this one, in this transaction.
    ordered = [(p, y) for p, y in await ordered_periods(session) if p.generated_at is not None]
    position = next(i for i, (p, _) in enumerate(ordered) if p.id == pid)
    previous = previous_of(position, [p for p, _ in ordered])
    await link(session, period, previous, fresh=True)
    refreshed = await relink(session, changed=pid)
    labels = {p.id: f"{y} {p.name}" for p, y in ordered}
    await session.commit()
    return GenerateResult(
        total=n, branches=len(by_branch),
        previous=[PreviousLink(training_type=tt, period_id=q, label=labels[q]) for tt, q in sorted(previous.items())],
        refreshed=[PeriodRef(period_id=p.id, label=f"{y} {p.name}") for p, y in refreshed])
