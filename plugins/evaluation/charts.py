"""The figures of the report charts (typed ``ChartData``); the admin page's chart adaptor (admin.py)
turns them into ECharts options, the PDFs draw them with pdf_charts.py."""
from __future__ import annotations

from plugins.evaluation.report_schemas import (BranchReport, ChartData, ChartSeries, CollegeReport, IndividualReport)


def branch_top(d: CollegeReport) -> ChartData:
    return ChartData(kind="branch_top", title=f"各支部学院前 {d.threshold:g}% 党员人数（{d.metric_name}）",
                     categories=[b.name for b in d.branch_ranking],
                     series=[ChartSeries(name="人数", values=[b.top_count for b in d.branch_ranking])], ranks=False, unit="人")


def branch_history(d: BranchReport) -> ChartData:
    return ChartData(kind="branch_history", title="支部历史排名变化（学院内综合排名）", categories=[h.label for h in d.history],
                     series=[ChartSeries(name="综合排名", values=[h.rank for h in d.history])], ranks=True,
                     rank_total=d.summary[0].branch_total if d.summary else None, unit="名")


def branch_top_history(d: BranchReport) -> ChartData:
    return ChartData(kind="branch_top_history", title=f"学院内前 {d.threshold:g}% 的党员人数（{d.metric_name}）",
                     categories=[h.label for h in d.top_history],
                     series=[ChartSeries(name="人数", values=[h.top_count for h in d.top_history])], ranks=False, unit="人")


def trend_series(d: IndividualReport, level: str) -> list[ChartSeries]:
    """One line per metric (综合 first) of the member's ranks over the periods, at ``level``
    ("college_rank" or "branch_rank"); a period without that metric is a gap (null)."""
    names = list(dict.fromkeys(r.name for t in d.trend for r in t.ranks))
    by_period = [{r.name: getattr(r, level) for r in t.ranks} for t in d.trend]
    return [ChartSeries(name=n, values=[ranks.get(n) for ranks in by_period]) for n in names]


def member_trend(d: IndividualReport, level: str = "college_rank") -> ChartData:
    """The member's ranks over the periods in the college (``college_rank``) or the branch (``branch_rank``)."""
    college = level == "college_rank"
    return ChartData(kind="member_trend", title="排名变化趋势（学院内）" if college else "排名变化趋势（支部内）",
                     categories=[t.label for t in d.trend], series=trend_series(d, level), ranks=True,
                     rank_total=d.totals.college if college else d.totals.branch, unit="名")
