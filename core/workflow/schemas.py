"""Typed answers and requests shared by the development routes (every field has a type and
a Chinese title; times carry their offset through ``LocalDateTime``)."""
from __future__ import annotations

from datetime import date
from typing import Optional

from pydantic import BaseModel, Field

from core.clock import LocalDateTime
from core.workflow.models import DevelopmentRecord
from core.workflow.stages import STAGE_PEOPLE, STAGE_TITLES, StageRegistry

STATUS_LABELS = {"active": "进行中", "failed": "不通过", "done": "已完成发展"}


class RecordOut(BaseModel):
    """A development record as every client sees it: codes in English, labels in Chinese."""

    id: int
    user_id: int
    stage: str = Field(description="阶段代码：applicant | activist | candidate | reception | conversion")
    stage_title: str
    people_title: str = Field(description="本阶段人员称谓，如 入党申请人")
    step: str = Field(description="环节代码；空串表示本阶段尚未开始（待开始）")
    step_title: str
    status: str = Field(description="active | failed | done")
    status_label: str = Field(description="进行中 / 失败时的状态（如 发展条件-不通过）/ 已完成发展")
    failure_code: str
    failure_final: bool = Field(description="最终结果：不能重新发展")
    version: int
    milestones: dict[str, str] = Field(description="时间节点（YYYY-MM-DD），如 applied_at、talked_at")
    warnings: list[str] = Field(description="违反时间规则的提醒")
    step_entered_at: Optional[LocalDateTime] = None


def record_out(r: DevelopmentRecord, registry: StageRegistry) -> dict:
    status = r.failure_code if r.status == "failed" else STATUS_LABELS.get(r.status, r.status)
    return {"id": r.id, "user_id": r.user_id, "stage": r.stage, "stage_title": STAGE_TITLES[r.stage],
            "people_title": STAGE_PEOPLE[r.stage], "step": r.step, "step_title": registry.step_title(r.stage, r.step),
            "status": r.status, "status_label": status, "failure_code": r.failure_code,
            "failure_final": bool(r.failure_final), "version": r.version, "milestones": dict(r.milestones or {}),
            "warnings": list(r.warnings or []), "step_entered_at": r.step_entered_at}


class RecordRow(RecordOut):
    """One row of a stage's generated list (components add their own columns)."""

    name: str
    student_no: Optional[str] = None
    party_branch_id: Optional[int] = None
    can_redevelop: bool = Field(description="不通过且不是最终结果：可重新发展")
    can_revote: bool = Field(description="可重新流转表决")


class RecordDetail(RecordRow):
    phone: str = ""
    gender: Optional[str] = None
    birth_date: Optional[date] = None


class RecordIds(BaseModel):
    record_ids: list[int] = Field(min_length=1, title="人员")


class RecordRef(BaseModel):
    record_id: int = Field(title="发展记录")


class Decision(BaseModel):
    """审核: approve, or reject with a reason (single or batch)."""

    record_ids: list[int] = Field(min_length=1, title="人员")
    approve: bool = Field(title="审核结果")
    reason: str = Field("", max_length=500, title="审核不通过理由")


class CountOut(BaseModel):
    count: int = Field(description="处理的人数")


class UrgeOut(BaseModel):
    sent: int = Field(description="已提醒人数")
    skipped: int = Field(description="近期已提醒过而跳过的人数")


class MovedOut(BaseModel):
    """What a resolution did, per move kind."""

    advanced: int = 0
    failed: int = 0
    reflowed: int = 0
    finished: int = 0
    stayed: int = 0
    warnings: list[str] = Field(default_factory=list)


def moved_out(res) -> dict:
    return {"advanced": len(res.of("advance")), "failed": len(res.of("fail")), "reflowed": len(res.of("reflow")),
            "finished": len(res.of("finish")), "stayed": len(res.of("stay")),
            "warnings": [w.message for w in res.warnings]}
