"""Request and response models of 数据管理 (EV-1..EV-4, EV-7): periods, metrics, import, data, generation.

Every route declares one of these (wrapped in ``Envelope`` on the PC), so /openapi.json tells a
client every field and its type. Times are ``LocalDateTime``: stored naive UTC, answered as local
ISO 8601 with the offset. Codes are English with a Chinese ``*_label`` beside them.
"""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, create_model

from core.sdk import LocalDateTime, Option, Page
from plugins.evaluation.models import MAX_METRICS

# Names end up in xlsx templates and PDFs, which cannot hold control characters.
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
PeriodStatus = Literal["no_data", "not_generated", "generated", "published", "withdrawn"]
ImportMode = Literal["full", "partial"]
IMPORT_MODE_LABELS = {"full": "全部导入", "partial": "局部导入"}


class MetricOut(BaseModel):
    key: str = Field(title="指标编号", description="m1..m12，导入数据、编辑数据与报告里用它指代该指标")
    name: str = Field(title="指标名称", description="也是导入模板的列名")
    weight: float = Field(title="权重")
    higher_better: bool = Field(title="越高越好", description="false：越低越好，综合得分中按负值计入")
    min: float = Field(title="最小值", description="导入和编辑时低于它的值被拒绝")
    max: float = Field(title="最大值", description="导入和编辑时高于它的值被拒绝")


class MetricIn(BaseModel):
    model_config = ConfigDict(allow_inf_nan=False)

    key: Optional[str] = Field(None, max_length=3, title="指标编号", description="已有指标带上编号（改名保留数据）；新指标不填")
    name: str = Field("", max_length=40, pattern=PRINTABLE, title="指标名称")
    # Bounded so a composite (Σ weight × value) stays a finite number an answer can carry.
    weight: float = Field(1.0, ge=0, le=1000, title="权重")
    higher_better: bool = Field(True, title="方向")
    min: Optional[float] = Field(None, ge=-1e9, le=1e9, title="最小值", description="默认 0")
    max: Optional[float] = Field(None, ge=-1e9, le=1e9, title="最大值", description="默认 100")


class MetricsIn(BaseModel):
    metrics: list[MetricIn] = Field(title="评价指标", max_length=50)


class PeriodIn(BaseModel):
    year: str = Field(min_length=1, max_length=40, pattern=PRINTABLE, title="评价年份")
    name: str = Field(min_length=1, max_length=40, pattern=PRINTABLE, title="评价学期")


class PeriodUpdate(BaseModel):
    name: Optional[str] = Field(None, min_length=1, max_length=40, pattern=PRINTABLE, title="评价学期")
    year_id: Optional[int] = Field(None, ge=1, lt=2**63, title="评价年份")


class PeriodOut(BaseModel):
    id: int
    name: str = Field(title="评价学期")
    year_id: int
    year_name: str = Field(title="评价年份")
    label: str = Field(title="评价时段", description="“评价年份 评价学期”")
    metrics: list[MetricOut]
    record_count: int = Field(title="数据条数")
    status: PeriodStatus = Field(title="报告状态")
    status_label: str = Field(title="报告状态（中文）")
    generated: bool = Field(title="已生成报告")
    published: bool = Field(title="已发布")
    stale: bool = Field(title="需重新生成", description="报告生成后数据又有导入或编辑")
    metrics_locked: bool = Field(title="指标已锁定", description="生成过报告后评价指标不能再修改")
    generated_at: Optional[LocalDateTime] = Field(None, title="生成时间")
    published_at: Optional[LocalDateTime] = Field(None, title="发布时间")
    withdrawn_at: Optional[LocalDateTime] = Field(None, title="撤回时间")


class YearOut(BaseModel):
    id: int
    name: str = Field(title="评价年份")


class YearWithPeriods(YearOut):
    periods: list[PeriodOut]


class PeriodList(BaseModel):
    """All periods in time order (a college has a few a year, so the list is not paged)."""

    years: list[YearWithPeriods]
    items: list[PeriodOut]
    total: int
    options: list[Option]


class YearList(BaseModel):
    items: list[YearOut]
    total: int
    options: list[Option]


class ImportResult(BaseModel):
    imported: int = Field(title="导入条数")
    total: int = Field(title="该时段数据总条数")
    mode: ImportMode = Field(title="导入方式")
    mode_label: str = Field(title="导入方式（中文）")
    training_type: Optional[str] = Field(None, title="培养类型")
    sheet: str = Field(title="工作表", description="读取了哪个工作表（表头所在的那个）")


# m1..m12: one optional number per metric slot, named by the metric key (the period's metrics say
# which are in use and what they are called).
_SLOTS = {f"m{n}": (Optional[float], Field(None, title=f"指标 m{n}")) for n in range(1, MAX_METRICS + 1)}
MetricValues = create_model("MetricValues", __config__=ConfigDict(allow_inf_nan=False), **_SLOTS)


class RecordOut(MetricValues):
    id: int
    user_id: int
    name: str = Field(title="姓名")
    student_no: str = Field(title="学号")
    branch_id: int
    branch_name: str = Field(title="党支部")
    training_type: str = Field(title="培养类型")


class RecordPage(Page[RecordOut]):
    metrics: list[MetricOut]


class RecordUpdate(MetricValues):
    """The values to change, by metric key; keys left out (or null) keep their value."""


class RecordSaved(MetricValues):
    id: int


class PreviousLink(BaseModel):
    training_type: str = Field(title="培养类型")
    period_id: int
    label: str = Field(title="上一评价时段")


class PeriodRef(BaseModel):
    period_id: int
    label: str = Field(title="评价时段")


class GenerateResult(BaseModel):
    total: int = Field(title="参评人数")
    branches: int = Field(title="党支部数")
    previous: list[PreviousLink] = Field(title="较上期对比的评价时段", description="每个培养类型各自的上一评价时段")
    refreshed: list[PeriodRef] = Field(
        title="已同步更新的后续时段", description="“较上期”数据已在同一事务中按本次结果重新计算的后续评价时段")

