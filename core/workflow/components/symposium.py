"""Symposium (座谈会, DEV-11) on the cohort base: the branch sets the time and place for the
people it ticked; exports a pre-filled record form per person (one merged PDF, or a zip of
one PDF per person named 姓名+学号.pdf); uploads the filled scans in one batch matched by
file name (``symposium_upload.py``: unrecognised, ambiguous or duplicate files are reported
by name and nothing is stored) or one person at a time; 完成座谈会 is refused while a person
has no scan, naming them. Completion records each scan as a document of the person and
advances everyone — or, in task mode (``task="symposium"``), completes that task of the step
(the reception stage's 流转座谈会及谈话).

One ``SymposiumComponent`` per use; the form is the declaration's (``RecordForm``): the
candidate stage's 《入党重点发展对象群众意见原始记录表》, the conversion stage's
《拟转正预备党员民主评议意见原始记录表》. A symposium is a ``dev_batch`` of kind ``<kind>``
(state draft → completed): ``start_at`` holds its time, ``data.place`` its place, each
entry's ``document_token``/``data.scan`` the person's scan.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Optional

import anyio
from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import clock, outbox
from core.auth import Actor
from core.errors import fail
from core.files import store_bytes
from core.models import StudentProfile, User, utcnow
from core.workflow.cohort import COMPLETED, Cohort
from core.workflow.components.sheet_pdf import cn_date
from core.workflow.components.symposium_pdf import MASS_OPINION_FORM, RecordForm, record_form, record_forms
from core.workflow.components.symposium_upload import Incoming, Person, expand, match
from core.workflow.documents import Paper, record_documents
from core.workflow.models import Batch, BatchEntry, DevelopmentRecord
from core.workflow.people import BranchNames
from core.workflow.transitions import Resolution

STATES = {"draft": "待完成", COMPLETED: "已完成"}


def clean_name(text: str) -> str:
    """A file name part from a person's name or number (no path separators or reserved characters)."""
    return "".join(ch for ch in (text or "") if ch not in '\\/:*?"<>|\x00').strip() or "未命名"


@dataclass
class SymposiumComponent(Cohort):
    self_todos = "none"  # to-dos for administrators only (Component.self_todos)
    form: RecordForm = field(default=MASS_OPINION_FORM)
    path: str = "symposium"  # PC routes at <stage prefix>/<path>
    milestone: str = ""  # set to the symposium's date on completion (advance mode)
    document_kind: str = "symposium_record"
    branch_names: Optional[BranchNames] = None  # (session, ids) → names, for 所在党支部 on the form
    page_title: str = ""  # the 座谈会管理 page (default: title)
    noun: str = "座谈会"
    permission_key: str = ""

    async def names(self, session: AsyncSession, ids) -> dict[int, str]:
        ids = sorted({i for i in ids if i is not None})
        if not ids or self.branch_names is None:
            return {}
        return await self.branch_names(session, ids)

    # --- 安排座谈会 -------------------------------------------------------------------

    @staticmethod
    def check_meeting(held_at: datetime | None, place: str | None) -> tuple[datetime, str]:
        place = (place or "").strip()
        if held_at is None:
            raise fail(422, "请填写座谈会时间", field="held_at", label="座谈会时间")
        if not place:
            raise fail(422, "请填写座谈会地点", field="place", label="座谈会地点")
        if len(place) > 100:
            raise fail(422, "座谈会地点不能超过100个字", field="place", label="座谈会地点")
        return clock.to_utc(held_at), place

    async def arrange(self, session: AsyncSession, engine, actor: Actor, *, record_ids: list[int],
                      held_at: datetime | None, place: str | None) -> Batch:
        """A new symposium for the ticked people: its time and place."""
        when, place = self.check_meeting(held_at, place)
        if not record_ids:
            raise fail(422, f"请勾选参加座谈会的{self.people_label}")
        records, users = await engine.load(session, actor, record_ids)
        branches = {users[r.user_id].party_branch_id for r in records}
        branch_id = actor.branch_id if actor.scope != "all" else (branches.pop() if len(branches) == 1 else None)
        b = await self.create(session, actor, branch_id=branch_id, title=f"{self.title}（{clock.fmt(when)}）",
                              data={"place": place})
        b.start_at, b.signature_date = when, clock.local_date(when)
        await self.set_people(session, engine, actor, b, [{"record_id": r.id} for r in records], fields=())
        await engine.note(session, actor, records, action="symposium_arranged", title=f"安排{self.title}",
                          note=f"时间：{clock.fmt(when)}；地点：{place}")
        return b

    async def edit(self, session: AsyncSession, engine, actor: Actor, b: Batch, *, held_at: datetime | None,
                   place: str | None, record_ids: list[int] | None = None) -> Batch:
        """Change the time, place or list before completion; the scans of people kept stay."""
        self.must_be_open(b)
        when, place = self.check_meeting(held_at, place)
        if record_ids is not None:
            await self.set_people(session, engine, actor, b, [{"record_id": rid} for rid in record_ids], fields=())
        b.start_at, b.signature_date, b.data = when, clock.local_date(when), {**b.data, "place": place}
        b.title, b.updated_at = f"{self.title}（{clock.fmt(when)}）", utcnow()
        await session.flush()
        return b

    def must_be_open(self, b: Batch) -> None:
        if b.state == COMPLETED:
            raise fail(409, f"{self.noun}已完成，不能再修改")

    # --- 批量导出记录表 ----------------------------------------------------------------

    async def ticked(self, session: AsyncSession, b: Batch, record_ids: list[int]) -> list[tuple[BatchEntry, User]]:
        """The entries ticked for an export or upload (勾选 is required), in the list's order."""
        if not record_ids:
            raise fail(422, f"请勾选{self.people_label}", field="record_ids", label=self.people_label)
        kept = await self.entries(session, b)
        chosen = [(e, u) for e, u in kept if e.record_id in set(record_ids)]
        unknown = set(record_ids) - {e.record_id for e, _ in kept}
        if unknown:
            raise fail(422, f"所选人员中有{len(unknown)}人不在本次{self.noun}名单中，请刷新后重试")
        return chosen

    async def form_values(self, session: AsyncSession, b: Batch, entries: list[tuple[BatchEntry, User]]) -> list[dict]:
        """The pre-filled values of each ticked person's form (three statements for any number)."""
        users = [u for _, u in entries]
        profiles = {p.user_id: p for p in (await session.execute(
            select(StudentProfile).where(StudentProfile.user_id.in_([u.id for u in users])))).scalars()} if users else {}
        records = {r.id: r for r in (await session.execute(
            select(DevelopmentRecord).where(DevelopmentRecord.id.in_([e.record_id for e, _ in entries])))).scalars()} \
            if entries else {}
        branches = await self.names(session, [u.party_branch_id for u in users])
        when, place = clock.fmt(b.start_at) if b.start_at else "", b.data.get("place", "")
        out = []
        for e, u in entries:
            p = profiles.get(u.id)
            born = p.birth_date if p else None
            values = {"name": u.name, "student_no": u.student_no or "", "phone": u.phone or "",
                      "branch": branches.get(u.party_branch_id, ""), "held_at": when, "place": place,
                      "gender": (p.gender if p else "") or "", "ethnicity": (p.ethnicity if p else "") or "",
                      "birth_date": f"{born.year}年{born.month:02d}月" if born else "",
                      "political_status": (p.political_status if p else "") or "",
                      "native_place": (p.native_place if p else "") or "", "grade": (p.grade if p else "") or ""}
            record = records.get(e.record_id)
            for _, key in self.form.fields:
                if key.startswith("milestone:") and record is not None:
                    day = (record.milestones or {}).get(key.split(":", 1)[1])
                    values[key] = cn_date(datetime.fromisoformat(day[:10]).date()) if day else ""
            out.append(values)
        return out

    async def export(self, session: AsyncSession, engine, b: Batch, record_ids: list[int], *, as_zip: bool) -> tuple[bytes, str]:
        """(bytes, file name): one merged PDF, or a zip of 姓名+学号.pdf per person."""
        entries = await self.ticked(session, b, record_ids)
        values = await self.form_values(session, b, entries)
        font = engine.settings.font_path
        if not as_zip:
            pdf = await anyio.to_thread.run_sync(partial(record_forms, font, self.form, values))
            return pdf, f"{self.form.title}（{len(values)}份）.pdf"

        def build() -> bytes:
            buf = io.BytesIO()
            seen: set[str] = set()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
                for v in values:
                    name = f"{clean_name(v['name'])}{clean_name(v['student_no'])}"
                    while name in seen:
                        name += "_"
                    seen.add(name)
                    z.writestr(name + ".pdf", record_form(font, self.form, v))
            return buf.getvalue()

        return await anyio.to_thread.run_sync(build), f"{self.form.title}（{len(values)}份）.zip"

    # --- 批量上传记录 / 单个上传 -----------------------------------------------------------

    async def upload(self, session: AsyncSession, engine, actor: Actor, b: Batch, files: list[tuple[str, bytes]],
                     record_ids: list[int]) -> list[tuple[str, Person]]:
        """Store the scans matched by 姓名+学号; any file reported → 422 naming each, nothing stored."""
        self.must_be_open(b)
        if not files:
            raise fail(422, "请选择要上传的记录表扫描件", field="files", label="记录表扫描件")
        entries = await self.ticked(session, b, record_ids)
        people = [Person(e.record_id, u.name, u.student_no or "") for e, u in await self.entries(session, b)]
        usable, problems = expand(files, max_bytes=engine.settings.upload_max_bytes)
        result = match(usable, people, {e.record_id for e, _ in entries})
        problems += result.problems
        if problems:
            problems.sort(key=lambda p: p.file)
            raise fail(422, f"以下{len(problems)}个文件未能识别，本次未保存任何文件：" +
                       "；".join(f"{p.file}（{p.reason}）" for p in problems),
                       errors=[{"field": "files", "label": p.file, "msg": p.reason} for p in problems])
        users = {e.record_id: u for e, u in entries}
        await self._store(session, engine, actor, b, [(f, users[p.record_id], p.record_id) for f, p in result.matched])
        return [(f.name, p) for f, p in result.matched]

    async def upload_one(self, session: AsyncSession, engine, actor: Actor, b: Batch, record_id: int, name: str,
                         data: bytes) -> User:
        """单个上传: the scan of one person, whatever the file is called."""
        self.must_be_open(b)
        ((entry, user),) = await self.ticked(session, b, [record_id])
        usable, problems = expand([(name, data)], max_bytes=engine.settings.upload_max_bytes)
        if problems or len(usable) != 1:
            reason = problems[0].reason if problems else "请上传一个图片或 PDF 文件"
            raise fail(422, reason, field="file", label="记录表扫描件")
        await self._store(session, engine, actor, b, [(usable[0], user, record_id)])
        return user

    async def _store(self, session: AsyncSession, engine, actor: Actor, b: Batch,
                     items: list[tuple[Incoming, User, int]]) -> None:
        now = clock.iso(utcnow())
        rows = []
        for f, user, record_id in items:
            ext = {"jpg": "jpg", "png": "png", "pdf": "pdf"}[f.kind]
            name = f"{clean_name(user.name)}{clean_name(user.student_no or '')}.{ext}"
            stored = await store_bytes(session, engine.settings, f.data, name=name, owner_id=actor.id,
                                       subject_user_id=user.id, purpose=self.document_kind, allowed=["jpg", "png", "pdf"])
            scan = {"token": stored.token, "name": name, "url": f"/api/files/{stored.token}", "type": f.kind,
                    "uploaded_at": now, "uploaded_by": actor.id, "original_name": f.name[:200]}
            rows.append({"eid": record_id, "scan_token": stored.token, "scan_data": {"scan": scan}})
        table = BatchEntry.__table__
        await session.execute(table.update().where(table.c.batch_id == b.id, table.c.record_id == bindparam("eid"))
                              .values(document_token=bindparam("scan_token"),
                                      data=bindparam("scan_data", type_=table.c.data.type)), rows)
        b.updated_at = utcnow()
        await session.flush()

    # --- 完成座谈会 ---------------------------------------------------------------------

    async def complete_symposium(self, session: AsyncSession, engine, actor: Actor, b: Batch) -> Resolution | None:
        """Record every scan as the person's document, then advance everyone (or complete their
        task). Refused before the symposium's time and while anyone lacks a scan."""
        if b.state == COMPLETED:
            raise fail(409, f"{self.noun}已完成，请勿重复操作")
        if b.start_at is None or b.start_at > utcnow():
            raise fail(409, f"{self.noun}时间（{clock.fmt(b.start_at)}）还未到，不能完成{self.noun}")
        kept = await self.entries(session, b)
        if not kept:
            raise fail(409, f"{self.noun}名单为空，不能完成")
        missing = [u.name for e, u in kept if not e.document_token]
        if missing:
            raise fail(409, f"以下人员还没有上传{self.form.title}，不能完成{self.noun}：{'、'.join(missing)}")
        records, users = await engine.load(session, actor, [e.record_id for e, _ in kept])
        engine.check_position(records, users, self.stage, self.step)
        by_id = {e.record_id: e for e, _ in kept}
        day = clock.local_date(b.start_at)
        await record_documents(session, [Paper(r, self.document_kind, self.form.title, [_file(by_id[r.id])], day, "batch", b.id)
                                         for r in records], created_by=actor.id)
        res = None
        if self.task:
            await self.check_task(session, records, users)
            await engine.note(session, actor, records, action="symposium_completed", title=f"完成{self.title}")
            await engine.complete_tasks(session, actor, records, key=self.task, users=users, source=("batch", b.id))
            await self.set_state(session, b, "draft", COMPLETED, completed_at=utcnow(), completed_by=actor.id)
        else:
            milestones = {u.id: {self.milestone: day} for u in users.values()} if self.milestone else None
            res = await self.complete(session, engine, actor, b, expected_state="draft", milestones=milestones,
                                      title=f"完成{self.title}", notes={})
        await outbox.notify(session, [r.user_id for r in records], f"{self.title}已完成",
                            f"党支部已于{cn_date(day)}召开{self.title}，并完成记录。", kind="progress",
                            link="/mp/development", object_type="dev_record", sender_id=actor.id)
        return res

    # --- the kit ------------------------------------------------------------------------

    def pc_routes(self, router):
        from core.workflow.components import symposium_api

        symposium_api.pc_routes(self, router)

    def pages(self):
        from core.workflow.components import symposium_page

        return symposium_page.pages(self)

    def columns(self):
        from core.workflow.components import symposium_page

        return symposium_page.columns(self)

    async def column_values(self, session, records):
        rows = (await session.execute(
            select(BatchEntry.record_id, Batch.id, Batch.state, Batch.start_at, BatchEntry.document_token)
            .join(Batch, Batch.id == BatchEntry.batch_id)
            .where(BatchEntry.record_id.in_([r.id for r in records]), Batch.kind == self.kind,
                   BatchEntry.removed_at.is_(None)).order_by(Batch.id))).all()
        out = {}
        for rid, bid, state, start, token in rows:
            label = "已完成" if state == COMPLETED else ("已上传记录表" if token else "待上传记录表")
            out[rid] = {f"{self.key}_id": bid, f"{self.key}_label": f"{clock.fmt(start)}（{label}）"}
        return out

    def row_actions(self):
        from core.workflow.components import symposium_page

        return symposium_page.row_actions(self)

    def bulk_actions(self):
        from core.workflow.components import symposium_page

        return symposium_page.bulk_actions(self)

    async def todo_items(self, session, actor):
        from core.workflow.components import symposium_page

        return await symposium_page.todo_items(self, session, actor)


def _file(e: BatchEntry) -> dict:
    scan = (e.data or {}).get("scan") or {}
    return {k: scan.get(k) for k in ("token", "name", "url", "type")}
