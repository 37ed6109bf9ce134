"""The person's own cultivation page on the MP (培育考察: the 思想汇报, 季度谈话 and 培训班 cards),
shared by every ``Cultivation`` of the process: ``GET /api/mp/v1/development/cultivation``
answers for the cultivation step the person stands at, with each task's periods, their
submissions and talks and the training summary, read in a handful of statements."""
from typing import Optional

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import select

from core.auth import Requires
from core.db import SessionDep
from core.models import utcnow
from core.workflow.components import review_result
from core.workflow.components.review import SubmissionOut, submission_out
from core.workflow.components.review_result import TaskPeriodOut
from core.workflow.components.talk import TalkOut
from core.workflow.components.training import TrainingSummary
from core.workflow.deps import EngineDep
from core.workflow.models import Task
from core.workflow.schemas import RecordOut, record_out


class TaskCard(BaseModel):
    key: str
    title: str
    kind: str = Field(description="report 思想汇报（提交材料）| talk 谈话 | training 培训班 | other")
    total: int
    done: int
    complete: bool
    required: bool
    mp_path: Optional[str] = Field(None, description="提交材料的小程序路径（report），如 thought-reports")
    periods: list[TaskPeriodOut]


class CultivationMp(BaseModel):
    record: Optional[RecordOut] = None
    at_step: bool = Field(description="本人正处于培育考察环节")
    title: str
    tasks: list[TaskCard]
    reports: dict[str, list[SubmissionOut]] = Field(description="按任务代码：历次提交，新的在前")
    talks: dict[str, list[TalkOut]] = Field(description="按任务代码：各期谈话")
    training: Optional[TrainingSummary] = None


def mp_routes(router: APIRouter, instances: list) -> None:
    from core.workflow.components.review import ReviewComponent
    from core.workflow.components.talk import TalkComponent
    from core.workflow.components.training import TrainingComponent

    student = Requires("mp.dev")

    @router.get("/cultivation", response_model=CultivationMp, summary="我的培育考察（思想汇报、季度谈话、培训班）")
    async def cultivation(session: SessionDep, engine: EngineDep, actor: student):
        record = await engine.record_of(session, actor.id)
        here = next((c for c in instances if record is not None and record.status == "active"
                     and (c.stage, c.step) == (record.stage, record.step)), None)
        answer = {"record": record_out(record, engine.registry) if record else None, "at_step": here is not None,
                  "title": here.title if here else "培育考察", "tasks": [], "reports": {}, "talks": {}, "training": None}
        if here is None:
            return answer
        others = here.step_def.components
        by_task = {getattr(o, "task", ""): o for o in others if getattr(o, "task", "")}
        rows = (await session.execute(select(Task).where(Task.record_id == record.id, Task.stage == record.stage,
                                                         Task.step == record.step).order_by(Task.key, Task.period))).scalars()
        periods: dict[str, list[Task]] = {}
        for t in rows:
            periods.setdefault(t.key, []).append(t)
        now = utcnow()
        for spec in here.step_def.tasks:
            items = periods.get(spec.key, [])
            o = by_task.get(spec.key)
            kind = ("report" if isinstance(o, ReviewComponent) else "talk" if isinstance(o, TalkComponent)
                    else "training" if isinstance(o, TrainingComponent) else "other")
            done = sum(1 for t in items if t.status == "done")
            answer["tasks"].append(TaskCard(
                key=spec.key, title=spec.title, kind=kind, total=len(items), done=done, complete=bool(items) and done == len(items),
                required=spec.required, mp_path=o.mp_path if kind == "report" and o.mp_path else None,
                periods=[TaskPeriodOut(period=t.period, title=t.title, status=t.status,
                                       status_label="已完成" if t.status == "done" else "未完成", starts_at=t.starts_at,
                                       due_at=t.due_at, done_at=t.done_at, started=t.starts_at is None or t.starts_at <= now)
                         for t in items]))
            if kind == "report":
                answer["reports"][spec.key] = [submission_out(s) for s in await review_result.history(o, session, record.id)]
            elif kind == "talk":
                answer["talks"][spec.key] = await o.out(session, await o.history(session, record.id))
            elif kind == "training":
                answer["training"] = await o.summary(session, record, done=bool(items) and done == len(items))
        return answer
