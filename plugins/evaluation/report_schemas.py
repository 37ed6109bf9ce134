"""Response models of 评价结果 (EV-5, EV-6, EV-8..EV-11), shared by the PC, the MP and the PDFs.

The report builders return these models, so the API, the admin page and the PDF read the same
figures. Ranks are competition ranks (1, 2, 2, 4); ``change`` is positive when someone moved up
that many places against the previous period, null when there is nothing to compare with.
"""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, Field

from core.sdk import LocalDateTime, Option, Page
from plugins.evaluation.schemas import PeriodOut

ReportOrder = Literal["latest", "earliest", "best", "worst"]
ORDER_LABELS = {"latest": "时间最晚", "earliest": "时间最早", "best": "名次最前", "worst": "名次最后"}
ChartKind = Literal["branch_top", "branch_history", "branch_top_history", "member_trend"]


class MetricChoice(BaseModel):
    key: str = Field(title="指标编号", description="composite 为综合，其余为 m1..m12")
    name: str = Field(title="指标名称")


class ReportOptions(BaseModel):
    """The metric and threshold a report view was computed for, and the choices to switch to."""

    metric: str = Field(title="当前指标")
    metric_name: str = Field(title="当前指标名称")
    threshold: float = Field(title="排名阈值（%）")
    thresholds: list[int] = Field(title="可选排名阈值（%）")
    metrics: list[MetricChoice] = Field(title="可选指标")


class ReportPeriod(BaseModel):
    id: int
    label: str = Field(title="评价时段")
    published: bool = Field(title="已发布")


# --- lists -------------------------------------------------------------------------------------

class ReportPeriodList(BaseModel):
    """PC: the periods whose reports the caller may open, latest first."""

    items: list[PeriodOut]
    total: int
    options: list[Option]
    period_id: Optional[int] = Field(None, title="默认打开的评价时段")
    can_college: bool = Field(title="可查看学院党委评价报告")
    can_publish: bool = Field(title="可发布/撤回")


class ReportLevels(BaseModel):
    college: bool = Field(title="可查看学院党委明细")
    branch: bool = Field(title="可查看二级支部明细")
    individual: bool = Field(title="可查看党员个人明细")


class ReportListItem(BaseModel):
    id: int
    year: str = Field(title="评价年份")
    name: str = Field(title="评价学期")
    label: str = Field(title="评价时段")
    student_count: int = Field(title="参评人数")
    my_rank: Optional[int] = Field(None, title="我的名次", description="学生：本人学院综合排名；支部管理员：本支部排名")
    published_at: Optional[LocalDateTime] = Field(None, title="发布时间")


class ReportList(Page[ReportListItem]):
    years: list[str] = Field(title="可选评价年份")
    year: Optional[str] = Field(None, title="当前评价年份")
    order: ReportOrder = Field(title="排序方式")
    order_label: str = Field(title="排序方式（中文）")
    levels: ReportLevels


class BranchListItem(BaseModel):
    branch_id: int
    name: str = Field(title="党支部")
    training_type: str = Field(title="培养类型")
    member_count: int = Field(title="参评人数")
    rank: int = Field(title="学院综合排名")
    top_count: int = Field(title="学院前列人数", description="默认阈值下综合排名在学院前 p% 的人数")


class BranchPage(Page[BranchListItem]):
    options: list[Option]
    branch_id: Optional[int] = Field(None, title="默认打开的党支部")


class MemberListItem(BaseModel):
    user_id: int
    name: str = Field(title="姓名")
    student_no: str = Field(title="学号")
    branch_id: int
    branch_name: str = Field(title="党支部")
    score: float = Field(title="综合得分")
    college_rank: int = Field(title="学院综合排名")
    branch_rank: int = Field(title="支部综合排名")
    change: Optional[int] = Field(None, title="学院综合排名较上期")


# --- college -------------------------------------------------------------------------------------

class CollegeOverview(BaseModel):
    name: str = Field(title="党总支名称")
    student_count: int = Field(title="学生人数")
    branch_count: int = Field(title="党支部数")


class BranchStanding(BaseModel):
    branch_id: int
    name: str = Field(title="党支部")
    training_type: str = Field(title="培养类型")
    member_count: int = Field(title="参评人数")
    top_count: int = Field(title="学院前列人数")
    rank: int = Field(title="排名")
    prev_rank: Optional[int] = Field(None, title="上期排名")
    change: Optional[int] = Field(None, title="较上期")


class TopSummary(BaseModel):
    count: int = Field(title="人数", description="排名在学院前 p% 的人数（并列者都算在内）")
    cutoff: int = Field(title="名次线", description="名次不大于它即在前 p% 之内")


class TopMember(BaseModel):
    user_id: int
    name: str = Field(title="姓名")
    student_no: str = Field(title="学号")
    branch_name: str = Field(title="党支部")
    value: float = Field(title="得分")
    rank: int = Field(title="学院排名")


class TopPage(Page[TopMember], ReportOptions):
    cutoff: int = Field(title="名次线")


class Top10Item(BaseModel):
    user_id: int
    name: str = Field(title="姓名")
    branch_name: str = Field(title="党支部")
    rank: int = Field(title="排名")
    tie_count: int = Field(title="并列人数", description="与此人名次相同的人数（1 表示没有并列）")
    value: float = Field(title="得分")
    composite_rank: int = Field(title="综合排名")
    composite_change: Optional[int] = Field(None, title="综合排名较上期")


class Top10Block(BaseModel):
    """Members ranked 1..10 for one metric. Ties are never cut: everyone tied at a rank ≤ 10 counts;
    when there are more of them than fit, ``truncated`` says so and ``note`` tells how many."""

    metric: str = Field(title="指标编号")
    name: str = Field(title="指标名称")
    count: int = Field(title="前 10 名人数（含并列）")
    items: list[Top10Item]
    truncated: bool = Field(title="未全部列出")
    note: Optional[str] = Field(None, title="说明", description="有并列时说明并列情况")


class CollegeReport(ReportOptions):
    period: ReportPeriod
    overview: CollegeOverview
    summary: str = Field(title="评价概要")
    branch_ranking: list[BranchStanding] = Field(title="支部排名情况")
    top: TopSummary = Field(title="学院内排名前 p% 的党员", description="名单分页见 …/college/top")
    top10: list[Top10Block] = Field(title="党员个人排名 TOP10")


# --- branch --------------------------------------------------------------------------------------

class BranchOverview(BaseModel):
    branch_id: int
    name: str = Field(title="党支部")
    student_count: int = Field(title="学生人数")
    training_type: str = Field(title="培养类型")
    rank: int = Field(title="学院综合排名")
    prev_rank: Optional[int] = Field(None, title="上期学院综合排名")
    change: Optional[int] = Field(None, title="较上期")


class BranchMetricStanding(BaseModel):
    metric: str = Field(title="指标编号")
    name: str = Field(title="指标名称")
    rank: int = Field(title="学院内排名")
    top_count: int = Field(title="学院前列人数")
    branch_total: int = Field(title="党支部总数")
    average: float = Field(title="平均分")


class BranchRankPoint(BaseModel):
    period_id: int
    label: str = Field(title="评价时段")
    rank: int = Field(title="学院综合排名")


class BranchTopPoint(BaseModel):
    period_id: int
    label: str = Field(title="评价时段")
    top_count: int = Field(title="学院前列人数")


class BranchReport(ReportOptions):
    period: ReportPeriod
    overview: BranchOverview
    summary: list[BranchMetricStanding] = Field(title="评价概要（各指标在学院中的排名）")
    history: list[BranchRankPoint] = Field(title="支部历史排名变化")
    top_history: list[BranchTopPoint] = Field(title="各评价时段学院前列人数")


class BranchMember(BaseModel):
    user_id: int
    name: str = Field(title="姓名")
    student_no: str = Field(title="学号")
    value: float = Field(title="得分")
    branch_rank: int = Field(title="支部排名")
    college_rank: int = Field(title="学院排名")
    composite_branch_rank: int = Field(title="支部综合排名")
    composite_change: Optional[int] = Field(None, title="支部综合排名较上期")


class BranchMemberPage(Page[BranchMember], ReportOptions):
    """支部内党员排名: the branch's members by their branch rank in the chosen metric."""


# --- individual ----------------------------------------------------------------------------------

class MemberBasic(BaseModel):
    user_id: int
    name: str = Field(title="姓名")
    student_no: str = Field(title="学工号")
    branch_id: int
    branch_name: str = Field(title="所在党支部")
    training_type: str = Field(title="培养类型")


class MemberTotals(BaseModel):
    college: int = Field(title="学院参评人数")
    branch: int = Field(title="支部参评人数")


class MetricRank(BaseModel):
    metric: str = Field(title="指标编号")
    name: str = Field(title="指标名称")
    value: Optional[float] = Field(None, title="得分")
    college_rank: Optional[int] = Field(None, title="学院排名")
    branch_rank: Optional[int] = Field(None, title="支部排名")
    prev_college_rank: Optional[int] = Field(None, title="上期学院排名", description="只对综合给出")
    change: Optional[int] = Field(None, title="学院排名较上期", description="只对综合给出")


class TrendRank(BaseModel):
    name: str = Field(title="指标名称")
    college_rank: Optional[int] = Field(None, title="学院排名")
    branch_rank: Optional[int] = Field(None, title="支部排名")


class TrendPoint(BaseModel):
    period_id: int
    label: str = Field(title="评价时段")
    ranks: list[TrendRank]


class IndividualReport(BaseModel):
    period: ReportPeriod
    basic: MemberBasic
    totals: MemberTotals
    opinion: str = Field(title="评价意见")
    metric_ranks: list[MetricRank] = Field(title="评价指标排名")
    trend: list[TrendPoint] = Field(title="排名变化趋势")


# --- charts (PC) ----------------------------------------------------------------------------------

class ChartSeries(BaseModel):
    name: str = Field(title="系列名称")
    values: list[Optional[float]] = Field(title="各分类的值", description="与 categories 一一对应；null 表示该时段没有数据")


class ChartData(BaseModel):
    """The figures of one report chart; the admin page turns them into an ECharts option."""

    kind: ChartKind
    title: str = Field(title="图表标题")
    categories: list[str] = Field(title="分类（党支部或评价时段）")
    series: list[ChartSeries]
    ranks: bool = Field(title="名次图", description="true：纵轴为名次，第 1 名在最上方")
    rank_total: Optional[int] = Field(None, title="名次总数", description="名次图纵轴的最大名次（参评人数或支部数）")
    unit: str = Field(title="单位")
