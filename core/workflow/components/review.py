"""Submission & review (DEV-5): upload one or more pictures/PDFs with a date; withdraw before
review; approve, or reject with a reason; resubmit; branch proxy upload; batch review; urge.

One ``ReviewComponent`` per use: the application letter (it starts the record on the first
submission), thought reports and the autobiography (task mode: approval completes a task of
the step instead of advancing), recommendation forms, the conversion application...
Its routes are in ``review_api.py``; its list columns, actions, page and to-dos in ``review_kit.py``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Awaitable, Callable, ClassVar, Optional

from pydantic import BaseModel, Field as PField
from sqlalchemy import JSON, Column, Index, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel

from core import outbox
from core.auth import Actor
from core.clock import LocalDateTime
from core.errors import fail
from core.models import StoredFile, User, utcnow
from core.workflow import tasks as task_store
from core.workflow.components import review_open
from core.workflow.components.base import Component
from core.workflow.components.decision import pending_decision
from core.workflow.documents import Paper, attach_files, record_documents
from core.workflow.engine import Engine
from core.workflow.models import DevelopmentRecord
from core.workflow.people import branch_admin_ids


class Submission(SQLModel, table=True):
    __tablename__ = "dev_submission"
    __table_args__ = (Index("ix_dev_submission_record_kind", "record_id", "kind", "status"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="dev_record.id")
    user_id: int = Field(foreign_key="xf_user.id", index=True)
    kind: str = Field(max_length=40)
    files: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list))
    signed_date: Optional[date] = None
    status: str = Field(default="submitted", max_length=12)  # submitted | withdrawn | approved | rejected
    reason: str = Field(default="", max_length=500)
    submitted_by: Optional[int] = None
    by_proxy: bool = False
    reviewed_by: Optional[int] = None
    reviewed_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow)


STATUS_LABELS = {"submitted": "待审核", "withdrawn": "已撤回", "approved": "审核通过", "rejected": "审核不通过",
                 "failed": "不通过", "deleted": "已删除"}
RESUBMIT = ("rejected", "withdrawn", "deleted")  # the person may submit again


class FileOut(BaseModel):
    token: str
    name: str
    url: str
    type: str


class SubmissionOut(BaseModel):
    id: int
    record_id: int
    user_id: int
    kind: str
    files: list[FileOut]
    signed_date: Optional[date] = None
    status: str = PField(description="submitted | withdrawn | approved | rejected | failed | deleted")
    status_label: str
    reason: str
    by_proxy: bool
    created_at: LocalDateTime
    reviewed_at: Optional[LocalDateTime] = None


def submission_out(s: Submission) -> SubmissionOut:
    return SubmissionOut(id=s.id, record_id=s.record_id, user_id=s.user_id, kind=s.kind, files=s.files,
                         signed_date=s.signed_date, status=s.status, status_label=STATUS_LABELS.get(s.status, s.status),
                         reason=s.reason, by_proxy=s.by_proxy, created_at=s.created_at, reviewed_at=s.reviewed_at)


@dataclass
class ReviewComponent(Component):
    self_todos = "own_step"  # a student's to-dos here need their own record at this step (Component.self_todos)
    kind: str  # e.g. application_letter
    title: str  # e.g. 入党申请书
    stage: str = ""
    step: str = ""
    milestone: str = ""  # milestone set from the signed date when approved (e.g. applied_at)
    max_files: int = 9
    key: str = ""  # names its list columns and detail block (default: kind)
    path: str = ""  # PC routes at <stage prefix>/<path>/review...; "" puts them at the stage root
    review_label: str = ""  # the row button (default 审核<title>)
    starts_record: bool = False  # the first submission opens the person's record (我想入党)
    proxy: bool = False  # the branch may upload for the person (代理上传)
    proxy_label: str = ""  # header button of the proxy upload (default 代理上传<title>)
    proxy_permission: str = ""
    mp_path: str = ""  # MP routes: GET/POST /api/mp/v1/development/<mp_path>, POST .../withdraw
    mp_permission: str = ""
    conditions: tuple[str, ...] = ()  # shown on the MP before the first submission
    task: str = ""  # task mode: approval completes this task of the step instead of advancing
    permission_key: str = ""  # default: the step's permission
    batch_page: bool = True  # the 批量审核 page (list left, detail right)
    # A template the student generates before filling it in offline (推优登记表):
    # async (session, settings, user, profile, record) -> PDF bytes; MP POST /<mp_path>/template.
    template: Optional[Callable[..., Awaitable[bytes]]] = None
    template_title: str = ""
    # Result mode (处理推优结果): 通过 with a date (the milestone) / 退回 with a reason / 不通过 → the
    # step's ``fail_outcome``; POST <path>/result replaces the plain review.
    result_mode: bool = False
    date_label: str = ""  # e.g. 推优时间
    fail_outcome: str = "fail"
    deletable: bool = False  # the branch may delete a submission (POST <path>/delete)
    open_label: str = ""  # e.g. 开放转正申请: the branch opens the entry first (POST <path>/open), review_open.py

    detail_model: ClassVar = SubmissionOut
    summary_model: ClassVar = SubmissionOut

    def __post_init__(self):
        self.key = self.key or self.kind
        self.review_label = self.review_label or (f"处理{self.title}结果" if self.result_mode else f"审核{self.title}")

    @property
    def mp_link(self) -> str:
        """The person's screen of this submission (messages and to-dos link there)."""
        return f"/mp/development/{self.mp_path}" if self.mp_path else "/mp/development"

    # --- submitting -------------------------------------------------------------------

    async def check_files(self, session: AsyncSession, actor: Actor, subject: User, tokens: list[str]) -> list[dict]:
        # The admin UI's uploader hands back download URLs; the MP sends bare tokens.
        tokens = [str(t).rsplit("/", 1)[-1] for t in dict.fromkeys(tokens or []) if t]
        if not tokens:
            raise fail(422, f"请上传{self.title}", field="files", label=self.title)
        if len(tokens) > self.max_files:
            raise fail(422, f"{self.title}最多上传{self.max_files}个文件", field="files", label=self.title)
        files = (await session.execute(select(StoredFile).where(StoredFile.token.in_(tokens)))).scalars().all()
        found = {f.token: f for f in files}
        for t in tokens:
            f = found.get(t)
            if f is None or (f.owner_id != actor.id and f.subject_user_id != subject.id):
                raise fail(422, "上传的文件不存在或不属于本人，请重新上传", field="files", label=self.title)
            if f.ext not in ("jpg", "png", "pdf"):
                raise fail(422, f"{self.title}只能是图片或 PDF", field="files", label=self.title)
        return [{"token": t, "name": found[t].original_name, "url": f"/api/files/{t}", "type": found[t].ext} for t in tokens]

    async def latest(self, session: AsyncSession, record_ids: list[int]) -> dict[int, Submission]:
        """The newest submission per record (one statement for any number of records)."""
        if not record_ids:
            return {}
        newest = (select(Submission.record_id, func.max(Submission.id).label("sid"))
                  .where(Submission.record_id.in_(record_ids), Submission.kind == self.kind)
                  .group_by(Submission.record_id).subquery())
        rows = (await session.execute(select(Submission).join(newest, newest.c.sid == Submission.id))).scalars().all()
        return {s.record_id: s for s in rows}

    async def open_task(self, session: AsyncSession, record: DevelopmentRecord):
        return (await task_store.first_open(session, [record], self.task)).get(record.id) if self.task else None

    async def problems(self, session: AsyncSession, record: DevelopmentRecord | None, last: Submission | None) -> list[str]:
        """Why the person cannot submit now (empty: they can)."""
        if record is None:
            return [] if self.starts_record else ["您还没有发展记录"]
        if record.stage != self.stage or record.step != self.step or record.status != "active":
            return [f"当前环节不能提交{self.title}"]
        if last and last.status == "submitted":
            return [f"{self.title}已提交，正在等待审核"]
        if self.open_label and record.id not in await review_open.opened(self, session, [record]):
            return [f"党支部尚未{self.open_label}，暂不能提交{self.title}"]
        if self.task:
            task = await self.open_task(session, record)
            if task is None:
                return [f"{self.title}已全部完成，无需再次提交"]
            from core.workflow.components.review_result import not_started

            waiting = not_started(task, self.title)
            return [waiting] if waiting else []
        if last and last.status == "approved":
            return [f"{self.title}已审核通过，无需再次提交"]
        return []

    async def submit(self, session: AsyncSession, engine: Engine, actor: Actor, record: DevelopmentRecord, subject: User,
                     *, files: list[str], signed_date: date | None, by_proxy: bool = False) -> Submission:
        last = (await self.latest(session, [record.id])).get(record.id)
        problems = await self.problems(session, record, last)
        if problems:
            raise fail(409, problems[0])
        if signed_date is None:
            raise fail(422, "请填写落款时间", field="signed_date", label="落款时间")
        if signed_date > engine.settings.local_today():
            raise fail(422, "落款时间不能晚于今天", field="signed_date", label="落款时间")
        stored = await self.check_files(session, actor, subject, files)
        await attach_files(session, [f["token"] for f in stored], subject.id)
        sub = Submission(record_id=record.id, user_id=subject.id, kind=self.kind, files=stored, signed_date=signed_date,
                         submitted_by=actor.id, by_proxy=by_proxy)
        session.add(sub)
        await session.flush()
        again = "重新提交" if last and last.status in RESUBMIT else "提交"
        await engine.note(session, actor, [record], action="submitted",
                          title=f"{'代理' if by_proxy else ''}{again}{self.title}", note=f"落款时间：{signed_date.isoformat()}")
        if not by_proxy:
            await outbox.notify(session, await branch_admin_ids(session, [subject.party_branch_id]),
                                f"{subject.name}{again}了{self.title}", f"请在“{self.people_title}”中审核。",
                                kind="review", link=self.page_url, object_type="dev_record", object_id=record.id)
        return sub

    async def withdraw(self, session: AsyncSession, engine: Engine, actor: Actor, record: DevelopmentRecord) -> Submission:
        last = (await self.latest(session, [record.id])).get(record.id)
        if last is None or last.status == "withdrawn":
            raise fail(409, f"没有可撤回的{self.title}")
        if last.status != "submitted":
            raise fail(409, f"{self.title}已审核，不能撤回")
        if actor.id not in (last.user_id, last.submitted_by):
            raise fail(403, "只能撤回自己提交的材料")
        result = await session.execute(update(Submission).where(Submission.id == last.id, Submission.status == "submitted")
                                       .values(status="withdrawn").execution_options(synchronize_session=False))
        if result.rowcount != 1:
            raise fail(409, f"{self.title}已审核，不能撤回")
        last.status = "withdrawn"
        await engine.note(session, actor, [record], action="withdrawn", title=f"撤回{self.title}")
        return last

    # --- reviewing --------------------------------------------------------------------

    async def review(self, session: AsyncSession, engine: Engine, actor: Actor, record_ids: list[int], *,
                     approve: bool, reason: str = "", permission: str = "") -> list[DevelopmentRecord]:
        """Approve (advance, or complete the task in task mode) or reject the pending
        submissions of many records at once."""
        records, users, latest, reason = await pending_decision(
            session, engine, actor, record_ids, stage=self.stage, step=self.step, approve=approve, reason=reason,
            permission=permission, what=self.title, find_pending=self.latest)
        now = utcnow()
        ids = [latest[r.id].id for r in records]
        result = await session.execute(
            update(Submission).where(Submission.id.in_(ids), Submission.status == "submitted")
            .values(status="approved" if approve else "rejected", reason="" if approve else reason,
                    reviewed_by=actor.id, reviewed_at=now).execution_options(synchronize_session=False))
        if result.rowcount != len(ids):
            raise fail(409, "材料已被他人审核或已撤回，请刷新后重试")
        if not approve:
            await engine.note(session, actor, records, action="rejected", title=f"{self.title}审核不通过", note=reason)
            await outbox.notify(session, [r.user_id for r in records], f"{self.title}审核不通过",
                                f"退回原因：{reason}。请修改后重新提交。", kind="review", link="/mp/development",
                                object_type="dev_record")
            return records
        await record_documents(session, [Paper(r, self.kind, self.title, latest[r.id].files, latest[r.id].signed_date,
                                               "submission", latest[r.id].id) for r in records], created_by=actor.id)
        if self.task:
            await engine.note(session, actor, records, action="approved", title=f"{self.title}审核通过")
            await engine.complete_tasks(session, actor, records, key=self.task, users=users,
                                        source=("submission", {r.id: latest[r.id].id for r in records}))
        else:
            milestones = {r.user_id: {self.milestone: latest[r.id].signed_date} for r in records} if self.milestone else None
            await engine.advance(session, actor, [r.id for r in records], stage=self.stage, step=self.step,
                                 milestones=milestones, title=f"{self.title}审核通过")
        await outbox.notify(session, [r.user_id for r in records], f"{self.title}审核通过",
                            f"您提交的{self.title}已审核通过。", kind="review", link="/mp/development",
                            object_type="dev_record")
        return records

    async def urge(self, session: AsyncSession, engine: Engine, actor: Actor, record_ids: list[int]) -> outbox.UrgeResult:
        """催交: remind those who have not submitted (or were rejected); quiet period per person."""
        records, users = await engine.load(session, actor, record_ids)
        here = [r for r in records if r.stage == self.stage and r.step == self.step and r.status == "active"]
        latest = await self.latest(session, [r.id for r in here])
        due = [r for r in here if latest.get(r.id) is None or latest[r.id].status in RESUBMIT
               or (self.task and latest[r.id].status == "approved")]
        if self.task:
            behind = await task_store.behind(session, [r.id for r in due], self.stage, self.step, self.task)
            due = [r for r in due if r.id in behind]
        if not due:
            raise fail(409, f"所选人员都已提交{self.title}，无需催交")
        quiet = timedelta(hours=engine.settings.urge_quiet_hours)
        return await outbox.urge(session, [r.user_id for r in due], f"{self.kind}:{self.stage}", f"请尽快提交{self.title}",
                                 f"党支部提醒您尽快提交{self.title}。", sender_id=actor.id, link="/mp/development", quiet=quiet)

    # --- the kit ------------------------------------------------------------------------

    def pc_routes(self, router):
        from core.workflow.components import review_api

        review_api.pc_routes(self, router)

    def mp_routes(self, router):
        from core.workflow.components import review_api

        review_api.mp_routes(self, router)

    def pages(self):
        from core.workflow.components import review_kit

        return review_kit.pages(self)

    def columns(self):
        from core.workflow.components import review_kit

        return review_kit.columns(self)

    async def column_values(self, session, records):
        latest = await self.latest(session, [r.id for r in records])
        values: dict[int, dict] = {}
        if self.open_label:
            here = [r for r in records if (r.stage, r.step) == (self.stage, self.step)]
            done = await review_open.opened(self, session, here)
            values = {r.id: {f"{self.key}_opened": r.id in done} for r in here}
        return values | {rid: values.get(rid, {}) | {f"{self.key}_status": s.status, f"{self.key}_status_label": STATUS_LABELS.get(s.status),
                      f"{self.key}_reason": s.reason, f"{self.key}_signed_date": s.signed_date.isoformat() if s.signed_date else None}
                for rid, s in latest.items()}

    def row_actions(self):
        from core.workflow.components import review_kit

        return review_kit.row_actions(self)

    def bulk_actions(self):
        from core.workflow.components import review_kit

        return review_kit.bulk_actions(self)

    def header_actions(self):
        from core.workflow.components import review_kit

        return review_kit.header_actions(self)

    def detail_panels(self):
        from core.workflow.components import review_kit

        return review_kit.detail_panels(self)

    async def detail(self, session, record):
        last = (await self.latest(session, [record.id])).get(record.id)
        return submission_out(last) if last else None

    mp_summary = detail

    async def todo_items(self, session, actor):
        from core.workflow.components import review_kit

        return await review_kit.todo_items(self, session, actor)
