"""Publicity (公示, DEV-7): settings saved as the defaults of the next publicity; a new publicity;
its content (signature date, period, chosen people with a brief and, where the stage asks,
a contact person and phone per person, batch-fillable per branch); the generated notice;
the state by time (待公示 / 公示中 / 公示期结束), computed when read so a late timer never
shows a wrong state; the report after the end; completion advances everyone at once.

One ``PublicityComponent`` per use: applicants, activists and their contacts, key
development objects, reception, conversion. A stage plugin mounts ``router(component, ...)``.

Times: the period is chosen in local dates (``timezone`` in settings, core/clock.py) and stored as naive UTC like every other timestamp. The period starts at local
midnight of the start date and ends at the end of the end date; without an end date it
lasts ``publicity_working_days`` working days (regulation default 5) counting the start day.
"""
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Annotated, Awaitable, Callable, Optional

import anyio
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field as PField
from sqlalchemy import Index, UniqueConstraint, delete, false, func, insert, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Field, SQLModel

from core import clock, outbox
from core.auth import Actor, Requires, scope_condition
from core.db import SessionDep
from core.errors import fail
from core.files import file_path, store_bytes
from core.models import StoredFile, User, utcnow
from core.responses import PagingDep, ok
from core.workflow.components.publicity_pdf import PublicityDoc, PublicityPerson, publicity_document, publicity_report
from core.workflow.engine import Engine, Transition
from core.workflow.models import DevelopmentRecord
from core.workflow.rules import period
from core.workdays import period_end as _workday_period_end

BRIEF_MAX = 500
OPEN = ("draft", "published")
STATUS_LABELS = {"draft": "草稿", "published": "已发布", "completed": "已完成"}
STATES = ("待生成", "待公示", "公示中", "公示期结束", "已完成")

# (session, branch ids) -> {branch id: name}; given by the stage plugin (org_mgmt knows the names).
BranchNames = Callable[[AsyncSession, list[int]], Awaitable[dict[int, str]]]


# --- tables -------------------------------------------------------------------------------

class PublicitySetting(SQLModel, table=True):
    """公示设置 of one branch (``branch_id`` None: the committee's college-wide publicities)."""

    __tablename__ = "dev_publicity_setting"
    __table_args__ = (Index("ix_dev_publicity_setting_owner", "kind", "branch_id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    branch_id: Optional[int] = None
    title: str = Field(default="", max_length=200)
    intro: str = Field(default="", max_length=2000)
    organiser: str = Field(default="", max_length=100)  # 发布单位
    contact: str = Field(default="", max_length=64)
    phone: str = Field(default="", max_length=32)
    objection: str = Field(default="", max_length=200)  # mailbox / address objections are sent to
    working_days: int = Field(default=5)
    updated_by: Optional[int] = None
    updated_at: datetime = Field(default_factory=utcnow)


class Publicity(SQLModel, table=True):
    __tablename__ = "dev_publicity"
    __table_args__ = (Index("ix_dev_publicity_kind_branch", "kind", "branch_id", "status"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    stage: str = Field(max_length=40)
    step: str = Field(max_length=40)
    branch_id: Optional[int] = None  # None: a college-wide publicity of the committee
    title: str = Field(default="", max_length=200)
    intro: str = Field(default="", max_length=2000)
    organiser: str = Field(default="", max_length=100)
    contact: str = Field(default="", max_length=64)
    phone: str = Field(default="", max_length=32)
    objection: str = Field(default="", max_length=200)
    working_days: int = Field(default=5)
    signature_date: Optional[date] = None  # 落款日期
    start_at: Optional[datetime] = None  # UTC
    end_at: Optional[datetime] = None  # UTC, exclusive
    status: str = Field(default="draft", max_length=12)  # draft | published | completed
    document_token: Optional[str] = Field(default=None, max_length=40)
    report_token: Optional[str] = Field(default=None, max_length=40)
    report_note: str = Field(default="", max_length=1000)
    created_by: Optional[int] = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    published_at: Optional[datetime] = None
    report_at: Optional[datetime] = None
    completed_by: Optional[int] = None
    completed_at: Optional[datetime] = None


class PublicityEntry(SQLModel, table=True):
    __tablename__ = "dev_publicity_entry"
    __table_args__ = (UniqueConstraint("publicity_id", "record_id", name="uq_dev_publicity_entry"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    publicity_id: int = Field(foreign_key="dev_publicity.id", index=True)
    record_id: int = Field(foreign_key="dev_record.id", index=True)
    user_id: int = Field(foreign_key="xf_user.id")
    branch_id: Optional[int] = None  # the person's branch, for per-branch batch fill
    brief: str = Field(default="", max_length=1000)  # 简要表现情况
    contact: str = Field(default="", max_length=64)
    phone: str = Field(default="", max_length=32)
    sort: int = 0


MODELS = [PublicitySetting, Publicity, PublicityEntry]


# --- time ---------------------------------------------------------------------------------

def local_today(settings, now: datetime | None = None) -> date:
    return clock.local_date(now or utcnow())


def _local_midnight(settings, d: date) -> datetime:
    return clock.local_midnight(d)


def period_end(start: date, working_days: int) -> date:
    """Last day of a period of ``working_days`` working days counting the start day (national
    holidays and 调休 included, core/workdays.py)."""
    return _workday_period_end(start, working_days)


def period_dates(settings, p: Publicity) -> tuple[date | None, date | None]:
    if p.start_at is None or p.end_at is None:
        return None, None
    return clock.local_date(p.start_at), clock.local_date(p.end_at - timedelta(seconds=1))


def _countdown(seconds: int) -> str:
    days, rest = divmod(max(seconds, 0), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    return "".join(x for x in (f"{days}天" if days else "", f"{hours}小时" if hours or days else "", f"{minutes}分钟"))


def publicity_state(p: Publicity, now: datetime | None = None) -> dict:
    """State computed from the stored times (never from a timer): 待生成 (draft), 待公示, 公示中
    with the countdown to its end, 公示期结束, 已完成. ``remaining_seconds`` counts down to the
    next change (start for 待公示, end for 公示中)."""
    now = now or utcnow()
    if p.status == "completed":
        return {"code": "已完成", "label": "已完成", "remaining_seconds": 0}
    if p.status != "published" or p.start_at is None or p.end_at is None:
        return {"code": "待生成", "label": "待生成公示文件", "remaining_seconds": 0}
    if now < p.start_at:
        left = int((p.start_at - now).total_seconds())
        return {"code": "待公示", "label": f"待公示（距公示开始{_countdown(left)}）", "remaining_seconds": left}
    if now < p.end_at:
        left = int((p.end_at - now).total_seconds())
        return {"code": "公示中", "label": f"公示中（距公示期结束{_countdown(left)}）", "remaining_seconds": left}
    return {"code": "公示期结束", "label": "公示期结束", "remaining_seconds": 0}


def _state_condition(code: str, now: datetime):
    published = Publicity.status == "published"
    return {
        "待生成": Publicity.status == "draft",
        "待公示": published & (Publicity.start_at > now),
        "公示中": published & (Publicity.start_at <= now) & (Publicity.end_at > now),
        "公示期结束": published & (Publicity.end_at <= now),
        "已完成": Publicity.status == "completed",
    }.get(code, false())


def _file_name(title: str, suffix: str = "") -> str:
    return (re.sub(r'[\\/:*?"<>|\x00]+|\.\.+', "_", title).strip() or "公示")[:150] + suffix + ".pdf"


def _clean(value: str | None, label: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise fail(422, f"{label}不能超过{limit}个字")
    return value


# --- the component -----------------------------------------------------------------------

@dataclass
class PublicityComponent:
    kind: str  # e.g. applicant
    title: str  # e.g. 入党申请人公示
    stage: str
    step: str
    people_label: str  # e.g. 入党申请人
    with_contact: bool = False  # contact person / phone per person (batch-fillable per branch)
    milestone: str = ""  # milestone set to the period's last day on completion (e.g. activist_publicised_at)
    default_intro: str = ""
    branch_names: Optional[BranchNames] = None

    # --- rights -----------------------------------------------------------------------

    def _owner_branch(self, actor: Actor, branch_id: int | None) -> int | None:
        """The branch an actor works for: a branch admin its own; the committee any (None: college-wide)."""
        if actor.scope == "all":
            return branch_id
        if actor.scope != "branch":
            raise fail(403, "没有权限执行此操作")
        if actor.branch_id is None:
            raise fail(422, "您的账号未关联党支部，不能管理公示")
        if branch_id is not None and branch_id != actor.branch_id:
            raise fail(404, "党支部不存在或无权查看")
        return actor.branch_id

    def _scope(self, actor: Actor):
        if actor.scope == "all":
            return true()
        if actor.scope == "branch" and actor.branch_id is not None:
            return Publicity.branch_id == actor.branch_id
        return false()

    async def get(self, session: AsyncSession, actor: Actor, publicity_id: int) -> Publicity:
        """The publicity if the actor reaches it; 404 otherwise (another branch's is not found)."""
        p = await session.get(Publicity, publicity_id)
        if p is None or p.kind != self.kind or not (
                actor.scope == "all" or (actor.scope == "branch" and p.branch_id is not None and p.branch_id == actor.branch_id)):
            raise fail(404, "公示不存在或无权查看")
        return p

    async def _names(self, session: AsyncSession, ids) -> dict[int, str]:
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
        branch_id = self._owner_branch(actor, branch_id)
        saved = await self._saved(session, branch_id)
        names = await self._names(session, [branch_id])
        values = self._defaults(engine, names.get(branch_id, "") if branch_id else engine.settings.college_name)
        if saved is not None:
            values.update({k: getattr(saved, k) for k in values})
        return {**values, "kind": self.kind, "branch_id": branch_id, "saved": saved is not None,
                "with_contact": self.with_contact, "people_label": self.people_label}

    async def save_settings(self, session: AsyncSession, engine: Engine, actor: Actor, *, branch_id: int | None = None,
                            title: str, intro: str = "", organiser: str = "", contact: str = "", phone: str = "",
                            objection: str = "", working_days: int | None = None) -> PublicitySetting:
        branch_id = self._owner_branch(actor, branch_id)
        values = self._header(title=title, intro=intro, organiser=organiser, contact=contact, phone=phone,
                              objection=objection)
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

    def _header(self, **fields: str | None) -> dict:
        limits = {"title": ("公示标题", 200), "intro": ("公示说明", 2000), "organiser": ("发布单位", 100),
                  "contact": ("联系人", 64), "phone": ("联系电话", 32), "objection": ("异议反映邮箱/地址", 200)}
        values = {k: _clean(v, *limits[k]) for k, v in fields.items() if v is not None}
        if "title" in values and not values["title"]:
            raise fail(422, "请填写公示标题")
        return values

    # --- 新增公示 ---------------------------------------------------------------------

    async def create(self, session: AsyncSession, engine: Engine, actor: Actor, *, branch_id: int | None = None,
                     title: str | None = None) -> Publicity:
        """A draft prefilled from the branch's 公示设置 (the component's defaults when none is saved)."""
        branch_id = self._owner_branch(actor, branch_id)
        s = await self.get_settings(session, engine, actor, branch_id)
        p = Publicity(kind=self.kind, stage=self.stage, step=self.step, branch_id=branch_id,
                      title=_clean(title, "公示标题", 200) or s["title"], intro=s["intro"], organiser=s["organiser"],
                      contact=s["contact"], phone=s["phone"], objection=s["objection"], working_days=s["working_days"],
                      created_by=actor.id)
        session.add(p)
        await session.flush()
        return p

    async def delete(self, session: AsyncSession, actor: Actor, p: Publicity) -> None:
        if p.status != "draft":
            raise fail(409, "公示文件已生成，不能删除该公示")
        await session.execute(delete(PublicityEntry).where(PublicityEntry.publicity_id == p.id))
        await session.delete(p)
        await session.flush()

    # --- people ---------------------------------------------------------------------

    def _people_query(self, actor: Actor, p: Publicity):
        """Active records at this step, in the actor's scope and the publicity's branch."""
        q = (select(DevelopmentRecord, User).join(User, User.id == DevelopmentRecord.user_id)
             .where(DevelopmentRecord.stage == self.stage, DevelopmentRecord.step == self.step,
                    DevelopmentRecord.status == "active", User.deleted_at.is_(None), scope_condition(actor)))
        if p.branch_id is not None:
            q = q.where(User.party_branch_id == p.branch_id)
        return q

    async def _busy(self, session: AsyncSession, p: Publicity, record_ids: list[int]) -> dict[int, str]:
        """Records already in another open publicity of the same kind: {record id: its title}."""
        if not record_ids:
            return {}
        rows = (await session.execute(
            select(PublicityEntry.record_id, Publicity.title).join(Publicity, Publicity.id == PublicityEntry.publicity_id)
            .where(PublicityEntry.record_id.in_(record_ids), Publicity.kind == self.kind, Publicity.status.in_(OPEN),
                   Publicity.id != p.id))).all()
        return {rid: title for rid, title in rows}

    async def candidates(self, session: AsyncSession, engine: Engine, actor: Actor, p: Publicity) -> list[dict]:
        """People who may be chosen (at the step, in scope and branch, not in another open publicity)."""
        rows = (await session.execute(self._people_query(actor, p).order_by(User.party_branch_id, User.student_no, User.id))).all()
        busy = await self._busy(session, p, [r.id for r, _ in rows])
        chosen = set((await session.execute(select(PublicityEntry.record_id).where(
            PublicityEntry.publicity_id == p.id))).scalars())
        names = await self._names(session, [u.party_branch_id for _, u in rows])
        return [{"record_id": r.id, "user_id": u.id, "name": u.name, "student_no": u.student_no or "",
                 "branch_id": u.party_branch_id, "branch_name": names.get(u.party_branch_id, ""),
                 "chosen": r.id in chosen} for r, u in rows if r.id not in busy]

    async def _entries(self, session: AsyncSession, p: Publicity) -> list[tuple[PublicityEntry, User]]:
        return list((await session.execute(
            select(PublicityEntry, User).join(User, User.id == PublicityEntry.user_id)
            .where(PublicityEntry.publicity_id == p.id).order_by(PublicityEntry.sort, PublicityEntry.id))).all())

    # --- 设置公示内容 -----------------------------------------------------------------

    async def set_content(self, session: AsyncSession, engine: Engine, actor: Actor, p: Publicity, *,
                          signature_date: date | None, start_date: date | None, end_date: date | None = None,
                          people: list[dict], title: str | None = None, intro: str | None = None,
                          organiser: str | None = None, contact: str | None = None, phone: str | None = None,
                          objection: str | None = None) -> Publicity:
        """Base information, 落款日期, period and the chosen people with their briefs.

        ``people``: ``[{"record_id", "brief", "contact"?, "phone"?}]``; the list replaces the
        previous one. A contact/phone left out keeps what a batch fill set before.
        """
        if p.status != "draft":
            raise fail(409, "公示文件已生成，不能再修改公示内容")
        header = self._header(title=title, intro=intro, organiser=organiser, contact=contact, phone=phone,
                              objection=objection)
        if signature_date is None:
            raise fail(422, "请选择公示落款日期")
        if start_date is None:
            raise fail(422, "请选择公示开始日期")
        settings = engine.settings
        if start_date < local_today(settings):
            raise fail(422, "公示开始日期不能早于今天")
        end = end_date or period_end(start_date, p.working_days)
        if end < start_date:
            raise fail(422, "公示结束日期不能早于开始日期")
        chosen: dict[int, dict] = {}
        for item in people or []:
            rid = item.get("record_id")
            if not isinstance(rid, int):
                raise fail(422, "公示名单格式不正确")
            chosen.setdefault(rid, item)
        if not chosen:
            raise fail(422, f"请勾选公示的{self.people_label}")
        records, users = await engine.load(session, actor, list(chosen))
        if p.branch_id is not None:
            outside = [r for r in records if users[r.user_id].party_branch_id != p.branch_id]
            if outside:
                raise fail(422, f"以下人员不属于本公示的党支部：{'、'.join(users[r.user_id].name for r in outside)}")
        engine.check_position(records, users, self.stage, self.step)
        busy = await self._busy(session, p, [r.id for r in records])
        if busy:
            raise fail(409, "以下人员已在其他未完成的公示中：" + "、".join(
                f"{users[r.user_id].name}（{busy[r.id]}）" for r in records if r.id in busy))
        missing = [users[r.user_id].name for r in records if not str(chosen[r.id].get("brief") or "").strip()]
        if missing:
            raise fail(422, f"请填写以下人员的简要表现情况：{'、'.join(missing)}")
        too_long = [users[r.user_id].name for r in records if len(str(chosen[r.id]["brief"]).strip()) > BRIEF_MAX]
        if too_long:
            raise fail(422, f"简要表现情况不能超过{BRIEF_MAX}字：{'、'.join(too_long)}")
        before = {e.record_id: e for e, _ in await self._entries(session, p)}
        rows = []
        for i, r in enumerate(records):
            item, old = chosen[r.id], before.get(r.id)
            person_contact = item.get("contact")
            person_phone = item.get("phone")
            rows.append({
                "publicity_id": p.id, "record_id": r.id, "user_id": r.user_id, "branch_id": users[r.user_id].party_branch_id,
                "brief": str(item["brief"]).strip(), "sort": i,
                "contact": _clean(person_contact if person_contact is not None else (old.contact if old else ""), "联系人", 64),
                "phone": _clean(person_phone if person_phone is not None else (old.phone if old else ""), "联系电话", 32),
            })
        await session.execute(delete(PublicityEntry).where(PublicityEntry.publicity_id == p.id))
        await session.execute(insert(PublicityEntry), rows)
        for k, v in header.items():
            setattr(p, k, v)
        p.signature_date = signature_date
        p.start_at, p.end_at = _local_midnight(settings, start_date), _local_midnight(settings, end + timedelta(days=1))
        p.updated_at = utcnow()
        await session.flush()
        return p

    async def batch_fill(self, session: AsyncSession, engine: Engine, actor: Actor, p: Publicity, *,
                         branch_id: int | None, contact: str, phone: str) -> int:
        """按支部批量填写: the same contact person and phone for every chosen person of a branch."""
        if p.status != "draft":
            raise fail(409, "公示文件已生成，不能再修改公示内容")
        contact, phone = _clean(contact, "联系人", 64), _clean(phone, "联系电话", 32)
        if not contact or not phone:
            raise fail(422, "请填写联系人和联系电话")
        if actor.scope != "all" and branch_id != actor.branch_id:
            raise fail(404, "党支部不存在或无权查看")
        owner = PublicityEntry.branch_id.is_(None) if branch_id is None else PublicityEntry.branch_id == branch_id
        result = await session.execute(update(PublicityEntry).where(PublicityEntry.publicity_id == p.id, owner)
                                       .values(contact=contact, phone=phone).execution_options(synchronize_session=False))
        if not result.rowcount:
            raise fail(422, "公示名单中没有该党支部的人员")
        return result.rowcount

    # --- 确认并生成公示 ---------------------------------------------------------------

    async def _doc(self, session: AsyncSession, engine: Engine, p: Publicity,
                   entries: list[tuple[PublicityEntry, User]]) -> PublicityDoc:
        start, end = period_dates(engine.settings, p)
        names = await self._names(session, [e.branch_id for e, _ in entries])
        return PublicityDoc(
            title=p.title, people_label=self.people_label, intro=p.intro, organiser=p.organiser, start=start, end=end,
            working_days=p.working_days, signature_date=p.signature_date, contact=p.contact, phone=p.phone,
            objection=p.objection, with_contact=self.with_contact, show_branch=p.branch_id is None,
            college_name=engine.settings.college_name,
            people=[PublicityPerson(u.name, u.student_no or "", names.get(e.branch_id, ""), e.brief, e.contact, e.phone)
                    for e, u in entries])

    async def generate(self, session: AsyncSession, engine: Engine, actor: Actor, p: Publicity) -> Publicity:
        """确认并生成公示: build and store the notice; the publicity is published (state by time)."""
        if p.status != "draft":
            raise fail(409, "公示文件已生成，请勿重复生成")
        entries = await self._entries(session, p)
        if not entries or p.signature_date is None or p.start_at is None:
            raise fail(422, "请先设置公示内容（落款日期、公示时间和公示名单）")
        if not p.organiser:
            raise fail(422, "请填写发布单位")
        if self.with_contact:
            missing = [u.name for e, u in entries if not e.contact or not e.phone]
            if missing:
                raise fail(422, f"请填写以下人员的联系人和联系电话：{'、'.join(missing)}")
        records, users = await engine.load(session, actor, [e.record_id for e, _ in entries])
        engine.check_position(records, users, self.stage, self.step)
        doc = await self._doc(session, engine, p, entries)
        pdf = await anyio.to_thread.run_sync(partial(publicity_document, engine.settings.font_path, doc))
        stored = await store_bytes(session, engine.settings, pdf, name=_file_name(p.title), owner_id=actor.id,
                                   purpose="publicity", allowed=["pdf"])
        now = utcnow()
        result = await session.execute(
            update(Publicity).where(Publicity.id == p.id, Publicity.status == "draft")
            .values(status="published", document_token=stored.token, published_at=now, updated_at=now)
            .execution_options(synchronize_session=False))
        if result.rowcount != 1:
            raise fail(409, "公示已被他人处理，请刷新后重试")
        for k, v in {"status": "published", "document_token": stored.token, "published_at": now, "updated_at": now}.items():
            set_committed_value(p, k, v)
        start, end = period_dates(engine.settings, p)
        await engine.note(session, actor, records, action="publicity_published", title=f"{p.title}：生成公示文件",
                          note=f"公示时间：{start.isoformat()}至{end.isoformat()}")
        return p

    def state(self, p: Publicity, now: datetime | None = None) -> dict:
        return publicity_state(p, now)

    # --- 生成公示报告 / 完成公示 -------------------------------------------------------

    async def generate_report(self, session: AsyncSession, engine: Engine, actor: Actor, p: Publicity, *,
                              note: str = "", now: datetime | None = None) -> Publicity:
        if p.status == "completed":
            raise fail(409, "公示已完成，不能再生成公示报告")
        if p.status != "published":
            raise fail(409, "请先生成公示文件")
        if publicity_state(p, now)["code"] != "公示期结束":
            raise fail(409, "公示期尚未结束，不能生成公示报告")
        note = _clean(note, "报告补充说明", 1000)
        entries = await self._entries(session, p)
        doc = await self._doc(session, engine, p, entries)
        pdf = await anyio.to_thread.run_sync(partial(publicity_report, engine.settings.font_path, doc,
                                                     report_date=local_today(engine.settings, now), note=note))
        stored = await store_bytes(session, engine.settings, pdf, name=_file_name(p.title, "报告"), owner_id=actor.id,
                                   purpose="publicity_report", allowed=["pdf"])
        p.report_token, p.report_note, p.report_at, p.updated_at = stored.token, note, utcnow(), utcnow()
        await session.flush()
        return p

    async def complete(self, session: AsyncSession, engine: Engine, actor: Actor, p: Publicity, *,
                       now: datetime | None = None) -> Transition:
        """完成公示: every person advances in one batch (constant SQL statements) and is told the result."""
        if p.status == "completed":
            raise fail(409, "公示已完成，请勿重复操作")
        if p.status != "published":
            raise fail(409, "请先生成公示文件")
        if publicity_state(p, now)["code"] != "公示期结束":
            raise fail(409, "公示期尚未结束，不能完成公示")
        if not p.report_token:
            raise fail(409, "请先生成公示报告，再完成公示")
        rows = (await session.execute(select(PublicityEntry.record_id, PublicityEntry.user_id)
                                      .where(PublicityEntry.publicity_id == p.id).order_by(PublicityEntry.sort))).all()
        _, last_day = period_dates(engine.settings, p)
        milestones = {uid: {self.milestone: last_day} for _, uid in rows} if self.milestone else None
        t = await engine.advance(session, actor, [rid for rid, _ in rows], stage=self.stage, step=self.step,
                                 milestones=milestones, title=f"完成{p.title}，公示期间无异议")
        done_at = utcnow()
        result = await session.execute(
            update(Publicity).where(Publicity.id == p.id, Publicity.status == "published")
            .values(status="completed", completed_at=done_at, completed_by=actor.id, updated_at=done_at)
            .execution_options(synchronize_session=False))
        if result.rowcount != 1:
            raise fail(409, "公示已被他人处理，请刷新后重试")
        for k, v in {"status": "completed", "completed_at": done_at, "completed_by": actor.id, "updated_at": done_at}.items():
            set_committed_value(p, k, v)
        start, end = period_dates(engine.settings, p)
        nxt = engine.registry.step_title(t.to_stage, t.to_step) if t.to_step else ""
        body = f"{p.title}（{start:%Y-%m-%d}至{end:%Y-%m-%d}）已结束，公示期间未收到异议。"
        await outbox.notify(session, [uid for _, uid in rows], "公示结果",
                            body + (f"您已进入“{nxt}”环节。" if nxt else ""), kind="notice", link="/mp/development",
                            object_type="publicity", object_id=p.id, sender_id=actor.id)
        return t

    # --- JSON -------------------------------------------------------------------------

    def _urls(self, p: Publicity, prefix: str = "") -> dict:
        return {
            "document_file_url": f"/api/files/{p.document_token}" if p.document_token else None,
            "report_file_url": f"/api/files/{p.report_token}" if p.report_token else None,
            "document_url": f"{prefix}/{p.id}/document" if prefix and p.document_token else None,
            "report_url": f"{prefix}/{p.id}/report" if prefix and p.report_token else None,
        }

    def _json(self, engine: Engine, p: Publicity, branch_name: str, count: int, now: datetime, prefix: str) -> dict:
        st = publicity_state(p, now)
        start, end = period_dates(engine.settings, p)
        return {
            "id": p.id, "kind": p.kind, "title": p.title, "branch_id": p.branch_id, "branch_name": branch_name,
            "status": p.status, "status_label": STATUS_LABELS.get(p.status, p.status), "state": st,
            "state_code": st["code"], "state_label": st["label"], "remaining_seconds": st["remaining_seconds"],
            "signature_date": p.signature_date.isoformat() if p.signature_date else None,
            "start_date": start.isoformat() if start else None, "end_date": end.isoformat() if end else None,
            "working_days": p.working_days, "people_count": count, "has_report": bool(p.report_token),
            "created_at": p.created_at.isoformat(timespec="seconds"),
            "completed_at": p.completed_at.isoformat(timespec="seconds") if p.completed_at else None,
            **self._urls(p, prefix),
        }

    async def list_json(self, session: AsyncSession, engine: Engine, actor: Actor, *, branch_id: int | None = None,
                        state: str | None = None, page: int = 1, per_page: int = 20, prefix: str = "",
                        now: datetime | None = None) -> dict:
        now = now or utcnow()
        cond = [Publicity.kind == self.kind, self._scope(actor)]
        if branch_id is not None:
            cond.append(Publicity.branch_id == branch_id)
        if state:
            cond.append(_state_condition(state, now))
        total = (await session.execute(select(func.count()).select_from(Publicity).where(*cond))).scalar_one()
        items = list((await session.execute(select(Publicity).where(*cond).order_by(Publicity.id.desc())
                                            .offset((page - 1) * per_page).limit(per_page))).scalars())
        counts = dict((await session.execute(
            select(PublicityEntry.publicity_id, func.count()).where(PublicityEntry.publicity_id.in_([p.id for p in items]))
            .group_by(PublicityEntry.publicity_id))).all()) if items else {}
        names = await self._names(session, [p.branch_id for p in items])
        return {"items": [self._json(engine, p, names.get(p.branch_id, ""), counts.get(p.id, 0), now, prefix) for p in items],
                "total": total}

    async def detail(self, session: AsyncSession, engine: Engine, actor: Actor, p: Publicity, *, prefix: str = "",
                     now: datetime | None = None) -> dict:
        entries = await self._entries(session, p)
        names = await self._names(session, [p.branch_id] + [e.branch_id for e, _ in entries])
        data = self._json(engine, p, names.get(p.branch_id, ""), len(entries), now or utcnow(), prefix)
        code = data["state_code"]
        data.update({
            "intro": p.intro, "organiser": p.organiser, "contact": p.contact, "phone": p.phone, "objection": p.objection,
            "report_note": p.report_note, "people_label": self.people_label, "with_contact": self.with_contact,
            "published_at": p.published_at.isoformat(timespec="seconds") if p.published_at else None,
            "report_at": p.report_at.isoformat(timespec="seconds") if p.report_at else None,
            "entries": [{"record_id": e.record_id, "user_id": e.user_id, "name": u.name, "student_no": u.student_no or "",
                         "branch_id": e.branch_id, "branch_name": names.get(e.branch_id, ""), "brief": e.brief,
                         "contact": e.contact, "phone": e.phone} for e, u in entries],
            "can": {"edit": p.status == "draft", "generate": p.status == "draft" and bool(entries),
                    "report": code == "公示期结束", "complete": code == "公示期结束" and bool(p.report_token),
                    "delete": p.status == "draft"},
        })
        return data


# --- PC JSON routes --------------------------------------------------------------------------

class SettingsIn(BaseModel):
    branch_id: Optional[int] = PField(None, title="党支部（学院党委可选）")
    title: str = PField(min_length=1, max_length=200, title="公示标题")
    intro: str = PField("", max_length=2000, title="公示说明")
    organiser: str = PField("", max_length=100, title="发布单位")
    contact: str = PField("", max_length=64, title="联系人")
    phone: str = PField("", max_length=32, title="联系电话")
    objection: str = PField("", max_length=200, title="异议反映邮箱/地址")
    working_days: Optional[int] = PField(None, ge=1, le=30, title="公示期（工作日）")


class CreateIn(BaseModel):
    branch_id: Optional[int] = PField(None, title="党支部（学院党委可选，不选为全院公示）")
    title: Optional[str] = PField(None, max_length=200, title="公示标题")


class PersonIn(BaseModel):
    record_id: int = PField(title="发展记录")
    brief: str = PField("", max_length=1000, title="简要表现情况")
    contact: Optional[str] = PField(None, max_length=64, title="联系人")
    phone: Optional[str] = PField(None, max_length=32, title="联系电话")


class ContentIn(BaseModel):
    signature_date: date = PField(title="落款日期")
    start_date: date = PField(title="公示开始日期")
    end_date: Optional[date] = PField(None, title="公示结束日期（不填按公示期工作日计算）")
    people: list[PersonIn] = PField(default_factory=list, title="公示名单")
    title: Optional[str] = PField(None, max_length=200, title="公示标题")
    intro: Optional[str] = PField(None, max_length=2000, title="公示说明")
    organiser: Optional[str] = PField(None, max_length=100, title="发布单位")
    contact: Optional[str] = PField(None, max_length=64, title="联系人")
    phone: Optional[str] = PField(None, max_length=32, title="联系电话")
    objection: Optional[str] = PField(None, max_length=200, title="异议反映邮箱/地址")


class BatchFillIn(BaseModel):
    branch_id: Optional[int] = PField(None, title="党支部")
    contact: str = PField(min_length=1, max_length=64, title="联系人")
    phone: str = PField(min_length=1, max_length=32, title="联系电话")


class ReportIn(BaseModel):
    note: str = PField("", max_length=1000, title="报告补充说明")


def _engine(request: Request) -> Engine:
    return request.app.state.engine


EngineDep = Annotated[Engine, Depends(_engine)]


def router(component: PublicityComponent, prefix: str, permission: str, *, tags: list[str] | None = None) -> APIRouter:
    """PC JSON endpoints of one publicity use, mounted by its stage plugin (``xf_api_routers``)."""
    r = APIRouter(prefix=prefix, tags=tags or [f"管理端-{component.title}"])
    Actor_ = Requires(permission)
    c = component

    async def _detail(session, engine, actor, p) -> dict:
        return await c.detail(session, engine, actor, p, prefix=prefix)

    @r.get("/settings", summary="公示设置")
    async def get_settings(session: SessionDep, engine: EngineDep, actor: Actor_,
                           branch_id: Optional[int] = Query(None, title="党支部")):
        return ok(await c.get_settings(session, engine, actor, branch_id))

    @r.put("/settings", summary="保存公示设置（新增公示时自动填入）")
    async def put_settings(body: SettingsIn, session: SessionDep, engine: EngineDep, actor: Actor_):
        s = await c.save_settings(session, engine, actor, **body.model_dump())
        branch_id = s.branch_id
        await session.commit()
        return ok(await c.get_settings(session, engine, actor, branch_id), "保存成功")

    @r.get("", summary="公示列表（含按时间计算的公示状态）")
    async def list_publicities(session: SessionDep, engine: EngineDep, actor: Actor_, paging: PagingDep,
                               branch_id: Optional[int] = Query(None, title="党支部"),
                               state: Optional[str] = Query(None, title="公示状态")):
        return ok(await c.list_json(session, engine, actor, branch_id=branch_id, state=state, page=paging.page,
                                    per_page=paging.per_page, prefix=prefix))

    @r.post("", summary="新增公示")
    async def create(body: CreateIn, session: SessionDep, engine: EngineDep, actor: Actor_):
        p = await c.create(session, engine, actor, branch_id=body.branch_id, title=body.title)
        await session.commit()
        return ok(await _detail(session, engine, actor, p), "新增成功")

    @r.get("/{publicity_id}", summary="公示详情")
    async def get_one(publicity_id: int, session: SessionDep, engine: EngineDep, actor: Actor_):
        return ok(await _detail(session, engine, actor, await c.get(session, actor, publicity_id)))

    @r.delete("/{publicity_id}", summary="删除公示（仅未生成公示文件时）")
    async def delete_one(publicity_id: int, session: SessionDep, actor: Actor_):
        await c.delete(session, actor, await c.get(session, actor, publicity_id))
        await session.commit()
        return ok(msg="删除成功")

    @r.get("/{publicity_id}/candidates", summary="可选公示名单（处于本环节、本支部、未在其他公示中的人员）")
    async def candidates(publicity_id: int, session: SessionDep, engine: EngineDep, actor: Actor_):
        items = await c.candidates(session, engine, actor, await c.get(session, actor, publicity_id))
        return ok({"items": items, "total": len(items)})

    @r.put("/{publicity_id}/content", summary="设置公示内容：落款日期、公示时间、公示名单及简要表现情况")
    async def put_content(publicity_id: int, body: ContentIn, session: SessionDep, engine: EngineDep, actor: Actor_):
        p = await c.get(session, actor, publicity_id)
        await c.set_content(session, engine, actor, p, **body.model_dump())
        await session.commit()
        return ok(await _detail(session, engine, actor, p), "保存成功")

    @r.put("/{publicity_id}/batch-fill", summary="按支部批量填写联系人和联系电话")
    async def batch_fill(publicity_id: int, body: BatchFillIn, session: SessionDep, engine: EngineDep, actor: Actor_):
        p = await c.get(session, actor, publicity_id)
        n = await c.batch_fill(session, engine, actor, p, **body.model_dump())
        await session.commit()
        return ok(await _detail(session, engine, actor, p), f"已填写{n}人")

    @r.post("/{publicity_id}/generate", summary="确认并生成公示")
    async def generate(publicity_id: int, session: SessionDep, engine: EngineDep, actor: Actor_):
        p = await c.generate(session, engine, actor, await c.get(session, actor, publicity_id))
        await session.commit()
        return ok(await _detail(session, engine, actor, p), "公示文件已生成")

    @r.post("/{publicity_id}/report", summary="生成公示报告（公示期结束后）")
    async def report(publicity_id: int, session: SessionDep, engine: EngineDep, actor: Actor_,
                     body: Optional[ReportIn] = None):
        p = await c.get(session, actor, publicity_id)
        await c.generate_report(session, engine, actor, p, note=body.note if body else "")
        await session.commit()
        return ok(await _detail(session, engine, actor, p), "公示报告已生成")

    @r.post("/{publicity_id}/complete", summary="完成公示：人员进入下一环节并收到公示结果")
    async def complete(publicity_id: int, session: SessionDep, engine: EngineDep, actor: Actor_):
        p = await c.get(session, actor, publicity_id)
        t = await c.complete(session, engine, actor, p)
        await session.commit()
        return ok({"id": p.id, "status": p.status, "advanced": len(t.records),
                   "warnings": [w.__dict__ for w in t.warnings]}, "公示已完成")

    async def _serve(session, request: Request, token: str | None, what: str):
        if not token:
            raise fail(404, f"尚未生成{what}")
        stored = (await session.execute(select(StoredFile).where(StoredFile.token == token))).scalar_one_or_none()
        if stored is None:
            raise fail(404, f"{what}不存在")
        return FileResponse(file_path(request.app.state.settings, stored), media_type=stored.content_type,
                            filename=stored.original_name)

    @r.get("/{publicity_id}/document", summary="导出公示文件")
    async def export_document(publicity_id: int, request: Request, session: SessionDep, actor: Actor_):
        p = await c.get(session, actor, publicity_id)
        return await _serve(session, request, p.document_token, "公示文件")

    @r.get("/{publicity_id}/report", summary="导出公示报告")
    async def export_report(publicity_id: int, request: Request, session: SessionDep, actor: Actor_):
        p = await c.get(session, actor, publicity_id)
        return await _serve(session, request, p.report_token, "公示报告")

    return r
