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
from core.amis_crud import crud, dialog_button, operations
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
    self_todos = "own_step"  # a student's to-dos here need their own record at this step (Component.self_todos)
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

    @classmethod
    def shared_mp_routes(cls, router, instances) -> None:
        from core.workflow.components import cultivation_mp

        cultivation_mp.mp_routes(router, instances)

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
                                                                 "map": {"true": "是", "false": "否"}},
                                                        operations(component.person_dialog())],
                               filters=[{"type": "input-text", "name": "name", "label": "姓名", "clearable": True}],
                               header=component.review_links(), bulk_actions=[passing, *urges])
                return Page(title=self.page_schema.label, body=[listing, read_tracker(stage.page_url)])

        ProgressPage.__name__ = ProgressPage.__qualname__ = f"Progress_{stage.key}_{self.step}"
        return [ProgressPage]

    def review_links(self) -> list[dict]:
        """审核思想汇报 / 审核谈话记录: the batch review pages of the step's tasks (list left, detail right)."""
        links = []
        for c in self.step_def.components:
            if c is self or not getattr(c, "task", "") or not getattr(c, "batch_page", False):
                continue
            path = f"/{self.stage_def.slug or self.stage}_{c.kind}_review"
            label = c.review_label if hasattr(c, "review_label") else f"审核{c.record_title.strip('《》')}"
            links.append({"type": "button", "label": label, "actionType": "link", "link": f"/admin/development/page{path}"})
        return links

    def person_dialog(self) -> dict:
        """详情 (培育考察-详情): the person and their materials, and a review button per task material."""
        from core.workflow.components.review import ReviewComponent
        from core.workflow.components.review_kit import decision_form, review_form
        from core.workflow.components.talk import TalkComponent
        from core.workflow.stage_list import detail_block

        actions = []
        for c in self.step_def.components:
            if not isinstance(c, (ReviewComponent, TalkComponent)) or not c.task:
                continue
            review = isinstance(c, ReviewComponent)
            url, form = decision_form(c) if review else (f"{self.stage_def.api_prefix}/{c.path}/review", review_form("谈话记录"))
            name = c.title if review else "谈话记录"
            btn = dialog_button(f"审核{name}", f"审核{name} - ${{name}}", form, "", level="primary",
                                visible_on=f"this.{c.key} && this.{c.key}.status === 'submitted'")
            btn["dialog"]["body"]["api"] = {"method": "post", "url": url, "data": {"&": "$$", "record_ids": ["${id}"]}}
            actions.append(btn)
        block = detail_block(self.stage_def)
        block["body"] = [*block["body"], {"type": "button-toolbar", "buttons": actions}]
        return {"type": "button", "label": "详情", "level": "link", "actionType": "dialog",
                "dialog": {"title": f"{self.title}-详情 - ${{name}}", "size": "lg", "actions": [], "body": block}}

    async def todo_items(self, session, actor) -> list:
        """The person's 培育考察 card: what is done of each task kind, linking to their page."""
        if actor.scope != "self":
            return []
        from core.workflow.kit import todo

        from core.workflow.own_record import own_record_at

        record = await own_record_at(session, actor.id, self.stage, self.step)
        if record is None:
            return []
        titles = {t.key: t.title for t in self.step_def.tasks}
        rows = (await task_store.progress(session, [record.id], self.stage, self.step, titles)).get(record.id, [])
        if all(t["complete"] for t in rows):
            return []
        text = "，".join(f"{t['title']} {t['done']}/{t['total']}" for t in rows)
        return [todo("cultivation", self.title, f"{self.title}：{text}", link="/mp/development/cultivation", object_id=record.id)]

    def row_actions(self) -> list[dict]:
        here = f"this.step === '{self.step}' && this.status === 'active'"
        return [{"type": "button", "label": "查看考察进度", "level": "link", "actionType": "link",
                 "link": f"/admin/development/page/{self.stage_def.slug or self.stage}_{self.path}", "visibleOn": here},
                {"type": "button", "label": self.pass_label, "level": "link", "actionType": "ajax",
                 "confirmText": f"确定${{name}}{self.pass_label}？", "visibleOn": here,
                 "api": {"method": "post", "url": f"{self.stage_def.api_prefix}/{self.path}/pass",
                         "data": {"record_ids": ["${id}"]}}}]

