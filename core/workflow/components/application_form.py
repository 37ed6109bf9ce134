"""入党志愿书 (ApplicationForm, PRO-R6, regulation ⑭): numbers, issue, paper submission.

The committee registers the number ranges of the year's printed forms like its paper
register (year, first, last; ranges never overlap), then assigns a number to each person
at the step — typed one by one, or the next free numbers of a year for a batch. A number is
unique and never reused: one outside every registered range is refused, one taken is
refused naming who holds it, and a number replaced before issue is kept as 作废 so nobody
gets it again. 下发入党志愿书 tells the student, who sees the number and a filling template
(PDF) on the MP and fills the paper form; the branch's 确认志愿书提交 (with the date, no
upload) records the form as the person's document and completes the step. A person sent
back by a re-vote keeps the number; the branch confirms again.
Routes, columns, actions, page and to-dos are in ``application_form_kit.py``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar, Optional

from pydantic import BaseModel, Field as PField
from sqlalchemy import BigInteger, Index, UniqueConstraint, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel

from core import clock, outbox
from core.auth import Actor
from core.clock import LocalDateTime
from core.errors import fail
from core.models import User, utcnow
from core.workflow.components.base import Component
from core.workflow.documents import Paper, record_documents
from core.workflow.outcomes import stay

MAX_RANGE = 100_000
LIVE = ("assigned", "issued", "submitted")
STATUS_LABELS = {"assigned": "已分配编号", "issued": "已下发", "submitted": "已提交", "void": "已作废"}


class FormRange(SQLModel, table=True):
    """A range of printed 入党志愿书 numbers of one year (the committee's register)."""

    __tablename__ = "dev_form_range"
    __table_args__ = (Index("ix_dev_form_range_year", "year"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    year: int
    first: int = Field(sa_type=BigInteger)
    last: int = Field(sa_type=BigInteger)
    note: str = Field(default="", max_length=200)
    created_by: Optional[int] = None
    created_at: datetime = Field(default_factory=utcnow)


class FormNumber(SQLModel, table=True):
    """A number given to a person; never deleted, so a number is never given twice."""

    __tablename__ = "dev_form_number"
    __table_args__ = (UniqueConstraint("number", name="uq_dev_form_number_number"),
                      Index("ix_dev_form_number_record", "record_id", "status"))

    id: Optional[int] = Field(default=None, primary_key=True)
    number: int = Field(sa_type=BigInteger)
    range_id: int = Field(foreign_key="dev_form_range.id")
    record_id: int = Field(foreign_key="dev_record.id")
    user_id: int = Field(foreign_key="xf_user.id")
    status: str = Field(default="assigned", max_length=10)  # assigned | issued | submitted | void
    assigned_by: Optional[int] = None
    assigned_at: datetime = Field(default_factory=utcnow)
    issued_at: Optional[datetime] = None
    submitted_on: Optional[date] = None
    confirmed_by: Optional[int] = None
    voided_at: Optional[datetime] = None


MODELS = [FormRange, FormNumber]


def number_text(number: int, last: int) -> str:
    """As printed: zero-padded to the width of the range's last number."""
    return str(number).zfill(len(str(last)))


class FormNumberOut(BaseModel):
    record_id: int
    user_id: int
    number: int
    number_text: str = PField(description="编号（按编号段位数补零）")
    year: int
    status: str = PField(description="assigned | issued | submitted | void")
    status_label: str
    assigned_at: LocalDateTime
    issued_at: Optional[LocalDateTime] = None
    submitted_on: Optional[date] = None


@dataclass
class ApplicationForm(Component):
    self_todos = "own_step"  # a student's to-dos here need their own record at this step (Component.self_todos)
    stage: str = ""
    step: str = ""
    key: str = "application_form"
    title: str = "入党志愿书"
    path: str = "application-form"  # PC routes at <stage prefix>/<path>/...
    mp_path: str = "application-form"  # MP: GET /api/mp/v1/development/<mp_path> (+ /template)
    milestone: str = "form_submitted_at"  # the day the branch confirms the paper form
    issued_milestone: str = "form_issued_at"
    number_permission: str = ""  # ranges, assign and issue (the committee); default: the step's permission
    mp_permission: str = "mp.dev"
    permission_key: str = ""

    detail_model: ClassVar = FormNumberOut
    summary_model: ClassVar = FormNumberOut

    @property
    def committee_permission(self) -> str:
        return self.number_permission or self.permission

    # --- reading ----------------------------------------------------------------------------

    async def live(self, session: AsyncSession, record_ids: list[int]) -> dict[int, tuple[FormNumber, FormRange]]:
        """Each record's number in use (not void), with its range (one statement)."""
        if not record_ids:
            return {}
        rows = (await session.execute(select(FormNumber, FormRange).join(FormRange, FormRange.id == FormNumber.range_id)
                                      .where(FormNumber.record_id.in_(record_ids), FormNumber.status.in_(LIVE)))).all()
        return {n.record_id: (n, r) for n, r in rows}

    @staticmethod
    def out(n: FormNumber, r: FormRange) -> FormNumberOut:
        return FormNumberOut(record_id=n.record_id, user_id=n.user_id, number=n.number, number_text=number_text(n.number, r.last),
                             year=r.year, status=n.status, status_label=STATUS_LABELS[n.status], assigned_at=n.assigned_at,
                             issued_at=n.issued_at, submitted_on=n.submitted_on)

    # --- the register -------------------------------------------------------------------------

    async def add_range(self, session: AsyncSession, actor: Actor, *, year: int, first: int, last: int,
                        note: str = "") -> FormRange:
        if not 2000 <= year <= 2100:
            raise fail(422, "请填写正确的年度", field="year", label="年度")
        if first < 1:
            raise fail(422, "起始编号应为正整数", field="first", label="起始编号")
        if last < first:
            raise fail(422, "截止编号不能小于起始编号", field="last", label="截止编号")
        if last - first + 1 > MAX_RANGE:
            raise fail(422, f"一个编号段最多{MAX_RANGE}个编号", field="last", label="截止编号")
        clash = (await session.execute(select(FormRange).where(FormRange.first <= last, FormRange.last >= first)
                                       .limit(1))).scalar_one_or_none()
        if clash is not None:
            raise fail(409, f"与{clash.year}年的编号段{number_text(clash.first, clash.last)}-{number_text(clash.last, clash.last)}重叠",
                       field="first", label="起始编号")
        r = FormRange(year=year, first=first, last=last, note=(note or "").strip()[:200], created_by=actor.id)
        session.add(r)
        await session.flush()
        return r

    async def delete_range(self, session: AsyncSession, r: FormRange) -> None:
        used = (await session.execute(select(FormNumber.id).where(FormNumber.range_id == r.id).limit(1))).first()
        if used is not None:
            raise fail(409, "该编号段已有编号分配记录，不能删除")
        await session.delete(r)
        await session.flush()

    async def free_numbers(self, session: AsyncSession, year: int, count: int) -> list[tuple[int, FormRange]]:
        """The ``count`` lowest numbers of the year's ranges never given to anyone."""
        ranges = list((await session.execute(select(FormRange).where(FormRange.year == year)
                                             .order_by(FormRange.first))).scalars())
        if not ranges:
            raise fail(409, f"{year}年尚未登记入党志愿书编号段", field="year", label="年度")
        found: list[tuple[int, FormRange]] = []
        for r in ranges:
            used = set((await session.execute(select(FormNumber.number).where(
                FormNumber.number >= r.first, FormNumber.number <= r.last))).scalars())
            found += [(n, r) for n in range(r.first, r.last + 1) if n not in used][:count - len(found)]
            if len(found) == count:
                return found
        raise fail(409, f"{year}年的入党志愿书编号不足：需要{count}个，剩余{len(found)}个", field="year", label="年度")

    # --- 分配 / 下发 / 确认 ------------------------------------------------------------------

    async def assign(self, session: AsyncSession, engine, actor: Actor, *, items: list[tuple[int, int]] | None = None,
                     record_ids: list[int] | None = None, year: int | None = None) -> list[FormNumber]:
        """Numbers for people at the step: ``items`` [(record id, number)] one by one, or the next
        free numbers of ``year`` for ``record_ids``. A number not yet issued may be replaced (the old
        one becomes 作废). All or nothing."""
        if not actor.can(self.committee_permission):
            raise fail(403, "没有权限执行此操作")
        wanted = dict(items or [])
        ids = list(wanted) if items else list(dict.fromkeys(record_ids or []))
        records, users = await engine.load(session, actor, ids)
        engine.check_position(records, users, self.stage, self.step)
        current = await self.live(session, ids)
        if items:
            fixed = [r for r in records if r.id in current and current[r.id][0].status != "assigned"]
            if fixed:
                raise fail(409, f"以下人员的入党志愿书已下发，不能更换编号：{'、'.join(users[r.user_id].name for r in fixed)}")
            if len(set(wanted.values())) != len(wanted):
                raise fail(422, "同一编号不能分配给多人", field="number", label="编号")
            chosen = await self._check_numbers(session, list(wanted.values()))
            given = [(r, wanted[r.id], chosen[wanted[r.id]]) for r in records]
        else:
            have = [r for r in records if r.id in current]
            if have:
                raise fail(409, f"以下人员已分配入党志愿书编号：{'、'.join(users[r.user_id].name for r in have)}")
            free = await self.free_numbers(session, year or clock.local_today().year, len(records))
            given = [(r, n, rng) for r, (n, rng) in zip(records, free)]
        now = utcnow()
        replaced = [current[r.id][0].id for r, _, _ in given if r.id in current]
        if replaced:
            await session.execute(update(FormNumber).where(FormNumber.id.in_(replaced))
                                  .values(status="void", voided_at=now).execution_options(synchronize_session=False))
        await session.execute(insert(FormNumber), [
            {"number": n, "range_id": rng.id, "record_id": r.id, "user_id": r.user_id, "status": "assigned",
             "assigned_by": actor.id, "assigned_at": now} for r, n, rng in given])
        await engine.note(session, actor, records, action="form_number_assigned", title=f"分配{self.title}编号")
        return [FormNumber(number=n, range_id=rng.id, record_id=r.id, user_id=r.user_id, assigned_at=now) for r, n, rng in given]

    async def _check_numbers(self, session: AsyncSession, numbers: list[int]) -> dict[int, FormRange]:
        ranges = list((await session.execute(select(FormRange))).scalars())
        found = {n: next((r for r in ranges if r.first <= n <= r.last), None) for n in numbers}
        outside = [str(n) for n, r in found.items() if r is None]
        if outside:
            raise fail(422, f"编号{'、'.join(outside)}不在已登记的入党志愿书编号段内", field="number", label="编号")
        taken = (await session.execute(select(FormNumber.number, FormNumber.status, User.name)
                                       .join(User, User.id == FormNumber.user_id).where(FormNumber.number.in_(numbers)))).all()
        if taken:
            text = "、".join(f"{number_text(n, found[n].last)}（{'已作废' if s == 'void' else name}）" for n, s, name in taken)
            raise fail(409, f"以下编号已被使用，不能重复分配：{text}", field="number", label="编号")
        return found

    async def issue(self, session: AsyncSession, engine, actor: Actor, record_ids: list[int]) -> int:
        """下发入党志愿书: the students are told their number and where to find the template."""
        if not actor.can(self.committee_permission):
            raise fail(403, "没有权限执行此操作")
        records, users = await engine.load(session, actor, record_ids)
        engine.check_position(records, users, self.stage, self.step)
        current = await self.live(session, [r.id for r in records])
        missing = [r for r in records if r.id not in current]
        if missing:
            raise fail(409, f"以下人员尚未分配入党志愿书编号：{'、'.join(users[r.user_id].name for r in missing)}")
        done = [r for r in records if current[r.id][0].status != "assigned"]
        if done:
            raise fail(409, f"以下人员的入党志愿书已下发：{'、'.join(users[r.user_id].name for r in done)}")
        now = utcnow()
        result = await session.execute(update(FormNumber).where(FormNumber.id.in_([current[r.id][0].id for r in records]),
                                                                FormNumber.status == "assigned")
                                       .values(status="issued", issued_at=now).execution_options(synchronize_session=False))
        if result.rowcount != len(records):
            raise fail(409, "入党志愿书已被他人下发，请刷新后重试")
        today = clock.local_today()
        await engine.resolve(session, actor, self.stage, self.step, {r.id: stay("下发入党志愿书") for r in records},
                             milestones={r.user_id: {self.issued_milestone: today} for r in records} if self.issued_milestone else None,
                             title=f"下发{self.title}", permission=False)
        await outbox.notify(session, [r.user_id for r in records], f"请填写{self.title}",
                            f"您的{self.title}已下发。请在手机端查看{self.title}编号和填写模版，线下完成{self.title}后提交至党支部。",
                            kind="todo", link=f"/mp/development/{self.mp_path}", object_type="dev_record", sender_id=actor.id)
        return len(records)

    async def confirm(self, session: AsyncSession, engine, actor: Actor, record_ids: list[int], *, day: date | None):
        """确认志愿书提交: the paper form reached the branch on ``day``; the step is done."""
        if not actor.can(self.permission):
            raise fail(403, "没有权限执行此操作")
        if day is None:
            raise fail(422, "请填写提交时间", field="day", label="提交时间")
        if day > clock.local_today():
            raise fail(422, "提交时间不能晚于今天", field="day", label="提交时间")
        records, users = await engine.load(session, actor, record_ids)
        engine.check_position(records, users, self.stage, self.step)
        current = await self.live(session, [r.id for r in records])
        waiting = [r for r in records if r.id not in current or current[r.id][0].status == "assigned"]
        if waiting:
            raise fail(409, f"以下人员的{self.title}尚未下发，不能确认提交：{'、'.join(users[r.user_id].name for r in waiting)}")
        await session.execute(update(FormNumber).where(FormNumber.id.in_([current[r.id][0].id for r in records]))
                              .values(status="submitted", submitted_on=day, confirmed_by=actor.id)
                              .execution_options(synchronize_session=False))
        await record_documents(session, [
            Paper(r, "application_form", f"{self.title}（编号{number_text(current[r.id][0].number, current[r.id][1].last)}）",
                  [], day, "form_number", current[r.id][0].id) for r in records], created_by=actor.id)
        return await engine.advance(session, actor, [r.id for r in records], stage=self.stage, step=self.step,
                                    milestones={r.user_id: {self.milestone: day} for r in records} if self.milestone else None,
                                    title=f"确认{self.title}提交")

    # --- the kit ------------------------------------------------------------------------------

    def pc_routes(self, router):
        from core.workflow.components import application_form_kit

        application_form_kit.pc_routes(self, router)

    def mp_routes(self, router):
        from core.workflow.components import application_form_kit

        application_form_kit.mp_routes(self, router)

    def pages(self):
        from core.workflow.components import application_form_kit

        return application_form_kit.pages(self)

    def columns(self):
        from core.workflow.components import application_form_kit

        return application_form_kit.columns(self)

    async def column_values(self, session, records):
        found = await self.live(session, [r.id for r in records])
        return {rid: {f"{self.key}_number": number_text(n.number, r.last), f"{self.key}_status": n.status,
                      f"{self.key}_status_label": STATUS_LABELS[n.status]} for rid, (n, r) in found.items()}

    def row_actions(self):
        from core.workflow.components import application_form_kit

        return application_form_kit.row_actions(self)

    def bulk_actions(self):
        from core.workflow.components import application_form_kit

        return application_form_kit.bulk_actions(self)

    def header_actions(self):
        from core.workflow.components import application_form_kit

        return application_form_kit.header_actions(self)

    async def detail(self, session, record):
        found = (await self.live(session, [record.id])).get(record.id)
        return self.out(*found) if found else None

    async def mp_summary(self, session, record):
        found = (await self.live(session, [record.id])).get(record.id)
        return self.out(*found) if found and found[0].status != "assigned" else None

    async def todo_items(self, session, actor):
        from core.workflow.components import application_form_kit

        return await application_form_kit.todo_items(self, session, actor)

    def mobile_screens(self):
        from core.mobile.screens import MobileScreen

        return [MobileScreen(f"/development/{self.mp_path}", "screens/development/application_form.js", self.title,
                             self.mp_permission, options={"api": self.mp_path, "title": self.title})]

