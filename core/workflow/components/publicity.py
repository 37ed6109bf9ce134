"""Publicity (公示, DEV-7) on the cohort base: settings saved as the defaults of the next
publicity; a new publicity; its content (signature date, period, chosen people with a brief
and, where the stage asks, a contact person and phone per person, batch-fillable per
branch); the generated notice; the state by time (待公示 / 公示中 / 公示期结束), computed when
read so a late timer never shows a wrong state; objections (异议: a person taken off with a
reason before completion stays at the step and can join a later publicity); the report
after the end; completion advances everyone else at once.

One ``PublicityComponent`` per use: applicants, activists and their contacts, key
development objects, reception, conversion. A publicity is a ``dev_batch`` of kind
``<kind>`` (state draft → published → completed); its header lives in ``Batch.data``.

Times: the period is chosen in local dates (core/clock.py) and stored as naive UTC. It
starts at local midnight of the start date and ends at the end of the end date; without an
end date it lasts ``working_days`` working days (regulation default 5) counting the start day.
The settings table, the period and the state by time are in ``publicity_rules.py``.
"""
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Optional

import anyio
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core import clock, outbox
from core.auth import Actor
from core.errors import fail
from core.files import store_bytes
from core.models import User, utcnow
from core.workflow.cohort import COMPLETED, Cohort
from core.workflow.components.publicity_pdf import PublicityDoc, PublicityPerson, publicity_document, publicity_report
from core.workflow.components.publicity_rules import (BRIEF_MAX, HEADER, MODELS, STATES, STATUS_LABELS, PublicitySetting,
                                                      clean, file_name, period_dates, period_end, publicity_state,
                                                      state_condition)
from core.workflow.documents import Paper, record_documents
from core.workflow.engine import Engine
from core.workflow.models import Batch, BatchEntry
from core.workflow.people import BranchNames
from core.workflow.rules import period
from core.workflow.transitions import Resolution

__all__ = ["PublicityComponent", "PublicitySetting", "MODELS", "STATES", "STATUS_LABELS", "file_name", "period_dates",
           "period_end", "publicity_state", "state_condition"]


@dataclass
class PublicityComponent(Cohort):
    people_label: str = ""  # e.g. 入党申请人 (default: the stage's people)
    with_contact: bool = False  # contact person / phone per person (batch-fillable per branch)
    milestone: str = ""  # milestone set to the period's last day on completion (e.g. applicant_publicized_at)
    default_intro: str = ""
    branch_names: Optional[BranchNames] = None
    path: str = "publicity"  # PC routes at <stage prefix>/<path>
    page_title: str = ""  # the 公示管理 page of this use (default: title)
    noun: str = "公示"
    permission_key: str = ""
    # An assignment role whose people are listed per person (入党积极分子及培养联系人名单公示: "contact").
    role_column: str = ""

    @property
    def role_label(self) -> str:
        from core.workflow.assignments import ROLE_LABELS

        return ROLE_LABELS.get(self.role_column, self.role_column) if self.role_column else ""

    async def assigned_names(self, session: AsyncSession, record_ids: list[int]) -> dict[int, str]:
        """The ``role_column`` people of each record, joined with 、 (one statement plus names)."""
        if not self.role_column or not record_ids:
            return {}
        from core.workflow import assignments

        found = await assignments.current(session, record_ids, self.role_column)
        ids = {a.user_id for items in found.values() for a in items if a.user_id}
        names = dict((await session.execute(select(User.id, User.name).where(User.id.in_(ids)))).all()) if ids else {}
        return {rid: "、".join(names.get(a.user_id, "") for a in items if a.user_id) for rid, items in found.items()}

    async def names(self, session: AsyncSession, ids) -> dict[int, str]:
        ids = sorted({i for i in ids if i is not None})
        if not ids or self.branch_names is None:
            return {}
        return await self.branch_names(session, ids)

    # --- 公示设置 ---------------------------------------------------------------------

    def _defaults(self, engine: Engine, organiser: str = "") -> dict:
        return {"title": self.title, "organiser": organiser, "contact": "", "phone": "", "objection": "",
                "intro": self.default_intro or (f"根据《中国共产党发展党员工作细则》的有关规定，经研究，拟确定以下同志为"
                                                f"{self.people_label}，现将有关情况予以公示。"),
                "working_days": period(engine.settings, "publicity_working_days")}

    async def _saved(self, session: AsyncSession, branch_id: int | None) -> PublicitySetting | None:
        owner = PublicitySetting.branch_id.is_(None) if branch_id is None else PublicitySetting.branch_id == branch_id
        return (await session.execute(select(PublicitySetting).where(PublicitySetting.kind == self.kind, owner)
                                      .order_by(PublicitySetting.id.desc()).limit(1))).scalar_one_or_none()

    async def get_settings(self, session: AsyncSession, engine: Engine, actor: Actor, branch_id: int | None = None) -> dict:
        branch_id = self.owner_branch(actor, branch_id)
        saved = await self._saved(session, branch_id)
        names = await self.names(session, [branch_id])
        values = self._defaults(engine, names.get(branch_id, "") if branch_id else engine.settings.college_name)
        if saved is not None:
            values.update({k: getattr(saved, k) for k in values})
        return {**values, "kind": self.kind, "branch_id": branch_id, "saved": saved is not None,
                "with_contact": self.with_contact, "people_label": self.people_label}

    async def save_settings(self, session: AsyncSession, engine: Engine, actor: Actor, *, branch_id: int | None = None,
                            title: str, intro: str = "", organiser: str = "", contact: str = "", phone: str = "",
                            objection: str = "", working_days: int | None = None) -> PublicitySetting:
        branch_id = self.owner_branch(actor, branch_id)
        values = self.header(title=title, intro=intro, organiser=organiser, contact=contact, phone=phone, objection=objection)
        days = period(engine.settings, "publicity_working_days") if working_days is None else int(working_days)
        if not 1 <= days <= 30:
            raise fail(422, "公示期应为1至30个工作日")
        saved = await self._saved(session, branch_id)
        if saved is None:
            saved = PublicitySetting(kind=self.kind, branch_id=branch_id)
            session.add(saved)
        for k, v in values.items():
            setattr(saved, k, v)
        saved.working_days, saved.updated_by, saved.updated_at = days, actor.id, utcnow()
        await session.flush()
        return saved

    def header(self, **fields: str | None) -> dict:
        limits = {"title": ("公示标题", 200), "intro": ("公示说明", 2000), "organiser": ("发布单位", 100),
                  "contact": ("联系人", 64), "phone": ("联系电话", 32), "objection": ("异议反映邮箱/地址", 200)}
        values = {k: clean(v, *limits[k]) for k, v in fields.items() if v is not None}
        if "title" in values and not values["title"]:
            raise fail(422, "请填写公示标题")
        return values

    # --- 新增公示 / 设置公示内容 --------------------------------------------------------

    async def create_publicity(self, session: AsyncSession, engine: Engine, actor: Actor, *, branch_id: int | None = None,
                               title: str | None = None) -> Batch:
        """A draft prefilled from the branch's 公示设置 (the component's defaults when none is saved)."""
        s = await self.get_settings(session, engine, actor, branch_id)
        return await self.create(session, actor, branch_id=s["branch_id"], title=clean(title, "公示标题", 200) or s["title"],
                                 data={**{k: s[k] for k in HEADER}, "working_days": s["working_days"]})

    async def set_content(self, session: AsyncSession, engine: Engine, actor: Actor, p: Batch, *,
                          signature_date: date | None, start_date: date | None, end_date: date | None = None,
                          people: list[dict], title: str | None = None, **header: str | None) -> Batch:
        """Base information, 落款日期, period and the chosen people with their briefs.

        ``people``: ``[{"record_id", "brief", "contact"?, "phone"?}]``; the list replaces the
        previous one. A contact/phone left out keeps what a batch fill set before.
        """
        if p.state != "draft":
            raise fail(409, "公示文件已生成，不能再修改公示内容")
        values = self.header(title=title, **header)
        if signature_date is None:
            raise fail(422, "请选择公示落款日期", field="signature_date", label="落款日期")
        if start_date is None:
            raise fail(422, "请选择公示开始日期", field="start_date", label="公示开始日期")
        if start_date < clock.local_today():
            raise fail(422, "公示开始日期不能早于今天", field="start_date", label="公示开始日期")
        end = end_date or period_end(start_date, p.data.get("working_days", 5))
        if end < start_date:
            raise fail(422, "公示结束日期不能早于开始日期", field="end_date", label="公示结束日期")
        for item in people or []:
            if isinstance(item.get("record_id"), int) and not str(item.get("brief") or "").strip():
                item["brief"] = ""
        records = await self.set_people(session, engine, actor, p, people, fields=("brief", "contact", "phone"))
        kept = {e.record_id: e for e, _ in await self.entries(session, p)}
        users = {u.id: u for _, u in await self.entries(session, p)}
        missing = [users[r.user_id].name for r in records if not kept[r.id].brief]
        if missing:
            raise fail(422, f"请填写以下人员的简要表现情况：{'、'.join(missing)}")
        too_long = [users[r.user_id].name for r in records if len(kept[r.id].brief) > BRIEF_MAX]
        if too_long:
            raise fail(422, f"简要表现情况不能超过{BRIEF_MAX}字：{'、'.join(too_long)}")
        if "title" in values:
            p.title = values.pop("title")
        p.data = {**p.data, **values}
        p.signature_date = signature_date
        p.start_at, p.end_at = clock.local_midnight(start_date), clock.local_day_end(end)
        p.updated_at = utcnow()
        await session.flush()
        return p

    async def batch_fill(self, session: AsyncSession, engine: Engine, actor: Actor, p: Batch, *,
                         branch_id: int | None, contact: str, phone: str) -> int:
        """按支部批量填写: the same contact person and phone for every chosen person of a branch."""
        if p.state != "draft":
            raise fail(409, "公示文件已生成，不能再修改公示内容")
        contact, phone = clean(contact, "联系人", 64), clean(phone, "联系电话", 32)
        if not contact or not phone:
            raise fail(422, "请填写联系人和联系电话")
        if actor.scope != "all" and branch_id != actor.branch_id:
            raise fail(404, "党支部不存在或无权查看")
        owner = BatchEntry.branch_id.is_(None) if branch_id is None else BatchEntry.branch_id == branch_id
        result = await session.execute(update(BatchEntry).where(BatchEntry.batch_id == p.id, owner)
                                       .values(contact=contact, phone=phone).execution_options(synchronize_session=False))
        if not result.rowcount:
            raise fail(422, "公示名单中没有该党支部的人员")
        return result.rowcount

    # --- 确认并生成公示 / 异议 ------------------------------------------------------------

    async def document(self, session: AsyncSession, engine: Engine, p: Batch) -> PublicityDoc:
        kept = await self.entries(session, p)
        removed = await self.entries(session, p, removed=True)
        start, end = period_dates(p)
        names = await self.names(session, [e.branch_id for e, _ in kept])
        assigned = await self.assigned_names(session, [e.record_id for e, _ in kept])
        d = p.data
        return PublicityDoc(
            title=p.title, people_label=self.people_label, intro=d.get("intro", ""), organiser=d.get("organiser", ""),
            start=start, end=end, working_days=d.get("working_days", 5), signature_date=p.signature_date,
            contact=d.get("contact", ""), phone=d.get("phone", ""), objection=d.get("objection", ""),
            with_contact=self.with_contact, show_branch=p.branch_id is None, college_name=engine.settings.college_name,
            people=[PublicityPerson(u.name, u.student_no or "", names.get(e.branch_id, ""), e.brief, e.contact, e.phone,
                                    assigned.get(e.record_id, "")) for e, u in kept],
            role_label=self.role_label,
            withdrawn=[(u.name, u.student_no or "", e.removed_reason) for e, u in removed])

    async def generate(self, session: AsyncSession, engine: Engine, actor: Actor, p: Batch) -> Batch:
        """确认并生成公示: build and store the notice; the publicity is published (state by time)."""
        if p.state != "draft":
            raise fail(409, "公示文件已生成，请勿重复生成")
        entries = await self.entries(session, p)
        if not entries or p.signature_date is None or p.start_at is None:
            raise fail(422, "请先设置公示内容（落款日期、公示时间和公示名单）")
        if not p.data.get("organiser"):
            raise fail(422, "请填写发布单位")
        if self.with_contact:
            missing = [u.name for e, u in entries if not e.contact or not e.phone]
            if missing:
                raise fail(422, f"请填写以下人员的联系人和联系电话：{'、'.join(missing)}")
        records, users = await engine.load(session, actor, [e.record_id for e, _ in entries])
        engine.check_position(records, users, self.stage, self.step)
        doc = await self.document(session, engine, p)
        pdf = await anyio.to_thread.run_sync(partial(publicity_document, engine.settings.font_path, doc))
        stored = await store_bytes(session, engine.settings, pdf, name=file_name(p.title), owner_id=actor.id,
                                   purpose="publicity", allowed=["pdf"])
        now = utcnow()
        await self.set_state(session, p, "draft", "published", document_token=stored.token,
                             data={**p.data, "published_at": clock.iso(now)})
        start, end = period_dates(p)
        await engine.note(session, actor, records, action="publicity_published", title=f"{p.title}：生成公示文件",
                          note=f"公示时间：{start.isoformat()}至{end.isoformat()}")
        return p

    async def object(self, session: AsyncSession, engine: Engine, actor: Actor, p: Batch, record_id: int, reason: str) -> User:
        """异议: before completion a person is taken off with a reason; they stay at the step."""
        if p.state != "published":
            raise fail(409, "只能在公示发布后、完成前登记异议" if p.state != COMPLETED else "公示已完成，不能再登记异议")
        user = await self.remove(session, engine, actor, p, record_id, reason)
        await outbox.notify(session, [user.id], f"{p.title}：公示期间收到异议",
                            f"您暂不能进入下一环节（{reason.strip()}），可参加之后的公示。", kind="notice",
                            link="/mp/development", object_type="publicity", object_id=p.id, sender_id=actor.id)
        return user

    # --- 生成公示报告 / 完成公示 -------------------------------------------------------

    async def generate_report(self, session: AsyncSession, engine: Engine, actor: Actor, p: Batch, *,
                              note: str = "", now: datetime | None = None) -> Batch:
        if p.state == COMPLETED:
            raise fail(409, "公示已完成，不能再生成公示报告")
        if p.state != "published":
            raise fail(409, "请先生成公示文件")
        if publicity_state(p, now)["code"] != "ended":
            raise fail(409, "公示期尚未结束，不能生成公示报告")
        note = clean(note, "报告补充说明", 1000)
        doc = await self.document(session, engine, p)
        pdf = await anyio.to_thread.run_sync(partial(publicity_report, engine.settings.font_path, doc,
                                                     report_date=clock.local_date(now or utcnow()), note=note))
        stored = await store_bytes(session, engine.settings, pdf, name=file_name(p.title, "报告"), owner_id=actor.id,
                                   purpose="publicity_report", allowed=["pdf"])
        p.report_token, p.updated_at = stored.token, utcnow()
        p.data = {**p.data, "report_note": note, "report_at": clock.iso(utcnow())}
        await session.flush()
        return p

    async def complete_publicity(self, session: AsyncSession, engine: Engine, actor: Actor, p: Batch, *,
                                 now: datetime | None = None) -> Resolution:
        """完成公示: everyone still on the list advances in one batch and is told the result."""
        if p.state == COMPLETED:
            raise fail(409, "公示已完成，请勿重复操作")
        if p.state != "published":
            raise fail(409, "请先生成公示文件")
        if publicity_state(p, now)["code"] != "ended":
            raise fail(409, "公示期尚未结束，不能完成公示")
        if not p.report_token:
            raise fail(409, "请先生成公示报告，再完成公示")
        kept = await self.entries(session, p)
        start, last_day = period_dates(p)
        milestones = {u.id: {self.milestone: last_day} for _, u in kept} if self.milestone else None
        records, _ = await engine.load(session, actor, [e.record_id for e, _ in kept])
        # Filed against this step before the people move on (the completeness check reads them by stage).
        await record_documents(session, [Paper(r, "publicity", p.title, [self._file(p.document_token, p.title)],
                                               p.signature_date, "batch", p.id) for r in records]
                               + [Paper(r, "publicity_report", f"{p.title}报告", [self._file(p.report_token, p.title + "报告")],
                                        last_day, "batch", p.id) for r in records], created_by=actor.id)
        res = await self.complete(session, engine, actor, p, expected_state="published", milestones=milestones,
                                  title=f"完成{p.title}，公示期间无异议", notes={})
        records = res.records
        t = res.transitions[0]
        nxt = engine.registry.step_title(t.to_stage, t.to_step) if t.to_step else ""
        body = f"{p.title}（{start:%Y-%m-%d}至{last_day:%Y-%m-%d}）已结束，公示期间未收到异议。"
        await outbox.notify(session, [r.user_id for r in records], "公示结果",
                            body + (f"您已进入“{nxt}”环节。" if nxt else ""), kind="notice", link="/mp/development",
                            object_type="publicity", object_id=p.id, sender_id=actor.id)
        return res

    @staticmethod
    def _file(token: str | None, title: str) -> dict:
        return {"token": token or "", "name": file_name(title), "url": f"/api/files/{token}", "type": "pdf"}

    # --- the kit ------------------------------------------------------------------------

    def pc_routes(self, router):
        from core.workflow.components import publicity_api

        publicity_api.pc_routes(self, router)

    def pages(self):
        from core.workflow.components import publicity_page

        return publicity_page.pages(self)

    def row_actions(self):
        from core.workflow.components import publicity_page

        return publicity_page.row_actions(self)
