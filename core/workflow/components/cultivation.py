"""Cultivation over the task engine (培育考察, 查看考察进度, 催交, 考察通过): the step's tasks
run side by side (quarterly thought reports and talks, a training result...); the branch
sees progress per person, urges those behind on a task kind and passes the ones whose
required tasks are all done (the engine refuses the others, naming what is missing).

The tasks are completed by other components of the step configured in task mode (a
``ReviewComponent(task="thought_report")``, a ``TalkComponent(task="talk")``) or by a
training class result calling ``Engine.complete_tasks``.
"""
from dataclasses import dataclass
from datetime import timedelta
from typing import Optional

from fastapi import APIRouter, Query, Request
from fastapi_amis_admin.amis.components import Page, PageSchema
from pydantic import BaseModel, Field
from sqlalchemy import select

from core import outbox
from core.admin_site import XfPage
from core.amis_crud import crud
from core.auth import Requires, scope_condition
from core.clock import LocalDateTime
from core.db import SessionDep
from core.errors import fail
from core.models import User
from core.outbox import read_tracker
from core.responses import Envelope, Page as PageOf, PagingDep, count_of, ok, raw_json
from core.workflow import tasks as task_store
from core.workflow.components.base import Component
from core.workflow.deps import EngineDep
from core.workflow.models import DevelopmentRecord
from core.workflow.schemas import MovedOut, RecordIds, UrgeOut


class TaskProgressOut(BaseModel):
    key: str
    title: str
    total: int
    done: int
    required: bool
    complete: bool
    overdue: int = Field(description="已过期未完成的期数")
    next_due: Optional[LocalDateTime] = None


class ProgressRow(BaseModel):
    id: int = Field(description="发展记录")
    name: str
    student_no: Optional[str] = None
    complete: bool = Field(description="必需任务已全部完成，可考察通过")
    tasks: list[TaskProgressOut]


class UrgeTaskIn(RecordIds):
    task: str = Field(max_length=40, title="任务")


@dataclass
class Cultivation(Component):
    stage: str = ""
    step: str = ""
    key: str = "cultivation"
    path: str = "cultivation"
    title: str = "培育考察"
    pass_label: str = "考察通过"
    milestone: str = ""  # set to today when passed (e.g. cultivated_at)
    permission_key: str = ""

    async def progress_rows(self, session, actor, paging, name: str = "") -> tuple[list[dict], int]:
        q = (select(DevelopmentRecord.id, User.name, User.student_no).join(User, User.id == DevelopmentRecord.user_id)
             .where(DevelopmentRecord.stage == self.stage, DevelopmentRecord.step == self.step,
                    DevelopmentRecord.status == "active", User.deleted_at.is_(None), scope_condition(actor)))
        if name.strip():
            q = q.where(User.name.contains(name.strip()))
        total = await count_of(session, q)
        people = (await session.execute(q.order_by(DevelopmentRecord.id).offset(paging.offset).limit(paging.per_page))).all()
        titles = {t.key: t.title for t in self.step_def.tasks}
        found = await task_store.progress(session, [rid for rid, _, _ in people], self.stage, self.step, titles)
        rows = []
        for rid, who, no in people:
            items = found.get(rid, [])
            rows.append({"id": rid, "name": who, "student_no": no, "tasks": items,
                         "complete": all(t["complete"] for t in items if t["required"])})
        return rows, total

    async def urge(self, session, engine, actor, record_ids: list[int], task: str) -> outbox.UrgeResult:
        spec = next((t for t in self.step_def.tasks if t.key == task), None)
        if spec is None:
            raise fail(422, "任务不存在", field="task", label="任务")
        records, _ = await engine.load(session, actor, record_ids)
        behind = await task_store.behind(session, [r.id for r in records], self.stage, self.step, task)
        due = [r.user_id for r in records if r.id in behind]
        if not due:
            raise fail(409, f"所选人员的“{spec.title}”都已完成或尚未开始，无需催交")
        return await outbox.urge(session, due, f"task:{self.stage}:{self.step}:{task}", f"请尽快完成{spec.title}",
                                 f"党支部提醒您尽快完成{self.title}中的{spec.title}。", sender_id=actor.id,
                                 link="/mp/development", quiet=timedelta(hours=engine.settings.urge_quiet_hours))

    def pc_routes(self, router: APIRouter) -> None:
        actor_ = Requires(self.permission)
        base = f"/{self.path}"

        @router.get(f"{base}/progress", response_model=Envelope[PageOf[ProgressRow]], summary=f"查看考察进度（{self.title}）")
        async def progress(session: SessionDep, actor: actor_, paging: PagingDep,
                           name: str = Query("", max_length=64, title="姓名")):
            rows, total = await self.progress_rows(session, actor, paging, name)
            return raw_json(ok(paging.page_of(rows, total)))  # a hot page: rows are JSON-ready, times with offsets

        @router.post(f"{base}/urge", response_model=Envelope[UrgeOut], summary="催交（提醒未完成该任务的人员）")
        async def urge(body: UrgeTaskIn, session: SessionDep, engine: EngineDep, actor: actor_):
            result = await self.urge(session, engine, actor, body.record_ids, body.task)
            await session.commit()
            return ok({"sent": len(result.sent), "skipped": len(result.skipped)}, f"已提醒 {len(result.sent)} 人")

        @router.post(f"{base}/pass", response_model=Envelope[MovedOut], summary=self.pass_label)
        async def pass_(body: RecordIds, session: SessionDep, engine: EngineDep, actor: actor_):
            records, _ = await engine.load(session, actor, body.record_ids)
            today = engine.settings.local_today()
            milestones = {r.user_id: {self.milestone: today} for r in records} if self.milestone else None
            t = await engine.advance(session, actor, [r.id for r in records], stage=self.stage, step=self.step,
                                     milestones=milestones, title=self.pass_label)
            await session.commit()
            return ok(MovedOut(advanced=len(t.records), warnings=[w.message for w in t.warnings]),
                      f"已{self.pass_label}")

    def pages(self) -> list[type]:
        component, stage = self, self.stage_def
        base = f"{stage.api_prefix}/{self.path}"

        class ProgressPage(XfPage):
            page_schema = PageSchema(label=f"{self.title}（{stage.people_label}）", icon="fa fa-tasks")
            page_path = f"/{stage.slug or stage.key}_{component.path}"
            permission = component.permission

            async def get_page(self, request: Request) -> Page:
                tasks = [{"name": "tasks", "label": "考察进度", "type": "each", "items": {
                    "type": "tpl", "tpl": "<div>${title}：${done}/${total}${overdue ? '（逾期' + overdue + '）' : ''}</div>"}}]
                urges = [{"type": "button", "label": f"催交{t.title}", "actionType": "ajax",
                          "api": {"method": "post", "url": f"{base}/urge", "data": {"record_ids": "${ids|split}", "task": t.key}}}
                         for t in component.step_def.tasks]
                passing = {"type": "button", "label": component.pass_label, "level": "primary", "actionType": "ajax",
                           "confirmText": f"确定所选人员{component.pass_label}？",
                           "api": {"method": "post", "url": f"{base}/pass", "data": {"record_ids": "${ids|split}"}}}
                listing = crud(f"get:{base}/progress", [{"name": "name", "label": "姓名"}, {"name": "student_no", "label": "学号"},
                                                        *tasks, {"name": "complete", "label": "可考察通过", "type": "mapping",
                                                                 "map": {"true": "是", "false": "否"}}],
                               filters=[{"type": "input-text", "name": "name", "label": "姓名", "clearable": True}],
                               bulk_actions=[passing, *urges])
                return Page(title=self.page_schema.label, body=[listing, read_tracker(stage.page_url)])

        ProgressPage.__name__ = ProgressPage.__qualname__ = f"Progress_{stage.key}_{self.step}"
        return [ProgressPage]

    def row_actions(self) -> list[dict]:
        here = f"this.step === '{self.step}' && this.status === 'active'"
        return [{"type": "button", "label": "查看考察进度", "level": "link", "actionType": "link",
                 "link": f"/admin/development/page/{self.stage_def.slug or self.stage}_{self.path}", "visibleOn": here},
                {"type": "button", "label": self.pass_label, "level": "link", "actionType": "ajax",
                 "confirmText": f"确定${{name}}{self.pass_label}？", "visibleOn": here,
                 "api": {"method": "post", "url": f"{self.stage_def.api_prefix}/{self.path}/pass",
                         "data": {"record_ids": ["${id}"]}}}]

