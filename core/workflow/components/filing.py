"""Filing, pre-review and approval by the higher committee (备案 / 预审 / 审批, DEV-8) on the
cohort base. One component serves the seven uses of the process, each a configured
``Filing`` on a step:

- ``filing`` (积极分子/发展对象 上级党委备案): the branch creates a batch (新增备案), picks the
  filing date and the people (those at the step and in no other open batch), may give an
  opinion, generates the form (确认并生成备案表, a PDF), submits it (提交备案); the committee
  enters the date, its opinion and each person's result;
- ``pre_review`` (上级党委预审): the branch gives each person's result; the committee confirms
  with the date and its opinion, and the branch's 不通过 gives the failure on confirmation;
- ``approval`` (上级党委审批): as ``filing``, the committee decides per person;
- ``branch_confirmed`` (再上一级党委组织部门备案): after 提交备案 the branch itself enters the
  date and a note; everyone advances.

States: ``draft`` 待提交, ``submitted`` 备案中 / 预审中 / 审批中, ``completed`` 已完成. Passing
people advance (the milestone is the decision date), failing ones get the step's failure
(e.g. ``党委备案-不通过``) and can be re-developed. The committee sees every branch's batches,
a branch only its own; the form is recorded against every person on completion. Routes and
pages are in ``filing_api.py`` and ``filing_page.py``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from types import SimpleNamespace
from typing import ClassVar, Optional

import anyio
from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import clock, outbox
from core.auth import Actor
from core.errors import fail
from core.files import store_bytes
from core.models import StudentProfile, User, utcnow
from core.workflow.cohort import COMPLETED, Cohort
from core.workflow.components.filing_pdf import FormDoc, FormPerson, filing_form
from core.workflow.components.publicity import BranchNames, file_name
from core.workflow.documents import Paper, record_documents
from core.workflow.engine import Engine
from core.workflow.models import Batch, BatchEntry, milestone_date
from core.workflow.people import branch_admin_ids, committee_ids
from core.workflow.transitions import Resolution

VARIANTS = {"filing": "备案", "pre_review": "预审", "approval": "审批", "branch_confirmed": "备案"}
RESULTS = {"pass": "通过", "fail": "不通过"}


@dataclass
class Filing(Cohort):
    self_todos = "none"  # to-dos for administrators only (Component.self_todos)
    variant: str = "filing"  # filing | pre_review | approval | branch_confirmed
    word: str = ""  # 备案 / 预审 / 审批 (default: from the variant)
    form_title: str = ""  # the generated form, e.g. 入党积极分子备案表 (default: <people><word>表)
    milestone: str = ""  # set to the decision date for those who pass (e.g. activist_filed_at)
    pass_outcome: str = "advance"  # the step's outcome keys for 通过 / 不通过
    fail_outcome: str = "fail"
    form_milestones: tuple[tuple[str, str], ...] = ()  # (milestone, label) columns of the form and the list
    authority: str = "学院党委"  # who decides (上级党委组织部门 for branch_confirmed uses)
    branch_names: Optional[BranchNames] = None
    path: str = "filing"  # PC routes at <stage prefix>/<path>
    page_title: str = ""  # the page (default: <word>管理)
    flow_label: str = ""  # row and batch button (default: 流转党委<word>)
    progress_label: str = ""  # row button to the page (default: 查看<word>进度)
    permission_key: str = ""  # the branch's key (default: the step's permission)
    decide_permission: str = "dev.filing.decide"  # the committee's key

    detail_model: ClassVar = None

    def __post_init__(self):
        if self.variant not in VARIANTS:
            raise ValueError(f"Filing {self.kind!r}: variant must be one of {sorted(VARIANTS)}")
        self.word = self.word or VARIANTS[self.variant]
        self.noun = self.word
        self.page_title = self.page_title or f"{self.word}管理"
        prefix = "上级" if self.variant == "branch_confirmed" else "党委"
        self.flow_label = self.flow_label or f"流转{prefix}{self.word}"
        self.progress_label = self.progress_label or f"查看{self.word}进度"

    def bind(self, stage, step) -> None:
        super().bind(stage, step)
        self.form_title = self.form_title or f"{self.people_label}{self.word}表"

    @property
    def committee_decides(self) -> bool:
        return self.variant != "branch_confirmed"

    def state_label(self, b: Batch) -> str:
        return {"draft": "待提交", "submitted": f"{self.word}中", COMPLETED: "已完成"}.get(b.state, b.state)

    async def names(self, session: AsyncSession, ids) -> dict[int, str]:
        ids = sorted({i for i in ids if i is not None})
        return await self.branch_names(session, ids) if ids and self.branch_names else {}

    # --- 新增备案 ------------------------------------------------------------------------

    async def create_filing(self, session: AsyncSession, engine: Engine, actor: Actor, *, branch_id: int | None,
                            filing_date: date | None, record_ids: list[int]) -> Batch:
        """A draft batch of the actor's branch (the committee names the branch); the people
        chosen from the list page (流转党委备案) are put on it at once."""
        if actor.scope == "all" and branch_id is None and record_ids:
            records, users = await engine.load(session, actor, record_ids)
            branches = {users[r.user_id].party_branch_id for r in records}
            branch_id = branches.pop() if len(branches) == 1 else None
        if actor.scope == "all" and branch_id is None:
            raise fail(422, f"请选择{self.word}的党支部（所选人员须属于同一党支部）", field="branch_id", label="党支部")
        self._check_date(engine, filing_date, "填表时间", required=False)
        b = await self.create(session, actor, branch_id=branch_id, signature_date=filing_date,
                              title=f"{self.title}（{clock.local_today():%Y-%m-%d}）")
        if record_ids:
            await self.set_people(session, engine, actor, b, [{"record_id": rid} for rid in record_ids], fields=())
        return b

    def _check_date(self, engine: Engine, day: date | None, label: str, *, required: bool = True, field: str = "") -> None:
        if day is None and required:
            raise fail(422, f"请选择{self.word}{label}", field=field or "filing_date", label=f"{self.word}{label}")
        if day is not None and day > engine.settings.local_today():
            raise fail(422, f"{self.word}{label}不能晚于今天", field=field or "filing_date", label=f"{self.word}{label}")

    # --- 确认并生成备案表 -----------------------------------------------------------------

    async def generate(self, session: AsyncSession, engine: Engine, actor: Actor, b: Batch, *, filing_date: date | None,
                       people: list[dict], opinion: str = "") -> Batch:
        """Save the date, the people (with the branch's result where the use asks for it) and
        the opinion, and build the form. Allowed again while the batch is not submitted."""
        if b.state != "draft":
            raise fail(409, f"{self.word}已提交，不能再修改")
        self._check_date(engine, filing_date, "填表时间")
        opinion = (opinion or "").strip()
        if len(opinion) > 1000:
            raise fail(422, "党支部意见不能超过1000字", field="opinion", label="党支部意见")
        items = []
        for item in people or []:
            result = str(item.get("result") or "")
            if self.variant == "pre_review" and result not in RESULTS:
                raise fail(422, f"请为每位{self.people_label}选择{self.word}结果", field="people", label="名单")
            items.append({"record_id": item.get("record_id"), "opinion": str(item.get("opinion") or "")[:1000],
                          "outcome": self._outcome(result) if self.variant == "pre_review" else ""})
        records = await self.set_people(session, engine, actor, b, items, fields=("opinion", "outcome"))
        if self.variant == "pre_review":
            kept = {e.record_id: e for e, _ in await self.entries(session, b)}
            users = {u.id: u for _, u in await self.entries(session, b)}
            bare = [users[r.user_id].name for r in records if kept[r.id].outcome == self.fail_outcome and not kept[r.id].opinion]
            if bare:
                raise fail(422, f"请填写{self.word}不通过的原因：{'、'.join(bare)}", field="people", label="名单")
        b.signature_date, b.data = filing_date, {**b.data, "branch_opinion": opinion}
        doc = await self.document(session, engine, b)
        pdf = await anyio.to_thread.run_sync(partial(filing_form, engine.settings.font_path, doc))
        stored = await store_bytes(session, engine.settings, pdf, name=file_name(self.form_title), owner_id=actor.id,
                                   purpose="filing", allowed=["pdf"])
        b.document_token, b.updated_at = stored.token, utcnow()
        b.data = {**b.data, "generated_at": clock.iso(utcnow())}
        await session.flush()
        return b

    def _outcome(self, result: str) -> str:
        return {"pass": self.pass_outcome, "fail": self.fail_outcome}.get(result, "")

    def result_of(self, outcome: str) -> str:
        return {self.pass_outcome: "pass", self.fail_outcome: "fail"}.get(outcome, "")

    async def document(self, session: AsyncSession, engine: Engine, b: Batch) -> FormDoc:
        kept = await self.entries(session, b)
        profiles = {p.user_id: p for p in (await session.execute(select(StudentProfile).where(
            StudentProfile.user_id.in_([u.id for _, u in kept])))).scalars()} if kept else {}
        records = await self.records_of(session, [e.record_id for e, _ in kept])
        names = await self.names(session, [b.branch_id, *[e.branch_id for e, _ in kept]])
        people = []
        for e, u in kept:
            p, r = profiles.get(u.id), records.get(e.record_id)
            dates = [(milestone_date(r, key).isoformat() if r is not None and milestone_date(r, key) else "")
                     for key, _ in self.form_milestones]
            people.append(FormPerson(u.name, u.student_no or "", (p.gender if p else "") or "",
                                     p.birth_date.isoformat() if p and p.birth_date else "", names.get(e.branch_id, ""),
                                     dates, RESULTS.get(self.result_of(e.outcome), ""), e.opinion))
        return FormDoc(self.form_title, self.word, self.people_label, names.get(b.branch_id, ""),
                       b.signature_date or engine.settings.local_today(), engine.settings.college_name,
                       [label for _, label in self.form_milestones], b.data.get("branch_opinion", ""),
                       self.variant == "pre_review", self.authority, people)

    async def records_of(self, session: AsyncSession, record_ids: list[int]) -> dict:
        from core.workflow.models import DevelopmentRecord

        if not record_ids:
            return {}
        return {r.id: r for r in (await session.execute(select(DevelopmentRecord).where(
            DevelopmentRecord.id.in_(record_ids)))).scalars()}

    # --- 提交备案 ------------------------------------------------------------------------

    async def submit(self, session: AsyncSession, engine: Engine, actor: Actor, b: Batch) -> Batch:
        if b.state != "draft":
            raise fail(409, f"{self.word}已提交，请勿重复提交")
        if not b.document_token:
            raise fail(409, f"请先确认并生成{self.form_title}")
        kept = await self.entries(session, b)
        records, users = await engine.load(session, actor, [e.record_id for e, _ in kept])
        engine.check_position(records, users, self.stage, self.step)
        await self.set_state(session, b, "draft", "submitted", data={**b.data, "submitted_at": clock.iso(utcnow())})
        await engine.note(session, actor, records, action="filing_submitted", title=f"{b.title}：提交{self.word}")
        if self.committee_decides:
            names = await self.names(session, [b.branch_id])
            await outbox.notify(session, await committee_ids(session), f"{names.get(b.branch_id, '党支部')}提交了{self.title}",
                                f"{b.title}，共{len(kept)}名{self.people_label}，请确认{self.word}结果。", kind="approval",
                                link=f"/admin/#{self.page_url_of()}", object_type="filing", object_id=b.id, sender_id=actor.id)
        return b

    def page_url_of(self) -> str:
        return f"/admin/development/page/{self.stage_def.slug or self.stage}_{self.path}" if self.bound else "/admin/"

    # --- 确认备案结果 ---------------------------------------------------------------------

    async def decide(self, session: AsyncSession, engine: Engine, actor: Actor, b: Batch, *, decided_on: date | None,
                     opinion: str = "", items: list[dict] | None = None) -> Resolution:
        """The committee's decision: the date, its opinion and (filing, approval) each person's
        result; a pre-review keeps the branch's results."""
        if not self.committee_decides:
            raise fail(409, f"该{self.word}由党支部填写{self.word}结果")
        if actor.scope != "all" or not actor.can(self.decide_permission):
            raise fail(403, f"只有{self.authority}可以确认{self.word}结果")
        results = await self._results(session, b, items)
        return await self._finish(session, engine, actor, b, decided_on=decided_on, opinion=opinion, results=results)

    async def confirm(self, session: AsyncSession, engine: Engine, actor: Actor, b: Batch, *, decided_on: date | None,
                      opinion: str = "") -> Resolution:
        """branch_confirmed: the branch enters the date and a note after submitting; all pass."""
        if self.committee_decides:
            raise fail(409, f"{self.word}结果由{self.authority}确认")
        kept = await self.entries(session, b)
        return await self._finish(session, engine, actor, b, decided_on=decided_on, opinion=opinion,
                                  results={e.record_id: (self.pass_outcome, "") for e, _ in kept})

    async def _results(self, session: AsyncSession, b: Batch, items: list[dict] | None) -> dict[int, tuple[str, str]]:
        kept = await self.entries(session, b)
        if self.variant == "pre_review":
            return {e.record_id: (e.outcome or self.pass_outcome, e.opinion) for e, _ in kept}
        given = {}
        for item in items or []:
            if item.get("result") not in RESULTS:
                raise fail(422, f"请为每位{self.people_label}选择{self.word}结果", field="items", label=f"{self.word}结果")
            given[item.get("record_id")] = (self._outcome(item["result"]), str(item.get("opinion") or "").strip()[:1000])
        names = {e.record_id: u.name for e, u in kept}
        stray = [rid for rid in given if rid not in names]
        if stray:
            raise fail(422, f"有人员不在本次{self.word}名单中", field="items", label=f"{self.word}结果")
        missing = [names[rid] for rid in names if rid not in given]
        if missing:
            raise fail(422, f"请选择以下人员的{self.word}结果：{'、'.join(missing)}", field="items", label=f"{self.word}结果")
        bare = [names[rid] for rid, (outcome, note) in given.items() if outcome == self.fail_outcome and not note]
        if bare:
            raise fail(422, f"请填写{self.word}不通过的原因：{'、'.join(bare)}", field="items", label=f"{self.word}结果")
        return given

    async def _finish(self, session: AsyncSession, engine: Engine, actor: Actor, b: Batch, *, decided_on: date | None,
                      opinion: str, results: dict[int, tuple[str, str]]) -> Resolution:
        if b.state != "submitted":
            raise fail(409, f"{self.word}已完成，请勿重复操作" if b.state == COMPLETED else f"请先提交{self.word}")
        self._check_date(engine, decided_on, "时间", field="decided_on")
        if b.signature_date and decided_on < b.signature_date:
            raise fail(422, f"{self.word}时间不能早于填表时间", field="decided_on", label=f"{self.word}时间")
        opinion = (opinion or "").strip()[:1000]
        table = BatchEntry.__table__
        await session.execute(table.update().where(table.c.batch_id == b.id, table.c.record_id == bindparam("rid"))
                              .values(outcome=bindparam("outcome"), opinion=bindparam("note")),
                              [{"rid": rid, "outcome": o, "note": note} for rid, (o, note) in results.items()])
        kept = await self.entries(session, b)
        passing = {u.id for e, u in kept if results[e.record_id][0] == self.pass_outcome}
        milestones = {uid: {self.milestone: decided_on} for uid in passing} if self.milestone else None
        b.data = {**b.data, "decided_on": decided_on.isoformat(), "decision_opinion": opinion}
        title = {self.pass_outcome: f"{self.title}：{self.word}通过", self.fail_outcome: ""}
        res = await self.complete(session, engine, actor, b, expected_state="submitted", milestones=milestones,
                                  title={k: v for k, v in title.items() if v}, note=opinion,
                                  notes={rid: note for rid, (_, note) in results.items() if note})
        form = [{"token": b.document_token or "", "name": file_name(self.form_title), "url": f"/api/files/{b.document_token}",
                 "type": "pdf"}]
        # Filed against this step, not where the people moved to (the next stage, after 再上一级党委备案):
        # the completeness check reads the papers by stage.
        here = [SimpleNamespace(id=r.id, user_id=r.user_id, stage=self.stage, step=self.step) for t in res.transitions for r in t.records]
        await record_documents(session, [Paper(r, f"{self.kind}_form", self.form_title, form, decided_on, "batch", b.id)
                                         for r in here], created_by=actor.id)
        await self._tell(session, actor, b, res, decided_on, results)
        return res

    async def _tell(self, session, actor: Actor, b: Batch, res: Resolution, decided_on: date, results) -> None:
        passed, failed = res.of("advance") + res.of("finish"), res.of("fail")
        if passed:
            await outbox.notify(session, [r.user_id for r in passed], f"{self.word}结果：通过",
                                f"您已通过{self.authority}{self.word}（{decided_on:%Y-%m-%d}），进入下一环节。", kind="progress",
                                link="/mp/development", object_type="dev_record", sender_id=actor.id)
        by_reason: dict[str, list[int]] = {}
        for r in failed:  # one message per distinct reason: a batch costs the same for 10 or 1,000
            by_reason.setdefault(results[r.id][1] or "请联系党支部", []).append(r.user_id)
        for reason, user_ids in by_reason.items():
            await outbox.notify(session, user_ids, f"{self.word}结果：不通过", f"{self.authority}{self.word}未通过：{reason}。",
                                kind="progress", link="/mp/development", object_type="dev_record", sender_id=actor.id)
        if self.committee_decides:
            await outbox.notify(session, await branch_admin_ids(session, [b.branch_id]), f"{b.title}：{self.word}结果已返回",
                                f"通过{len(passed)}人，不通过{len(failed)}人。", kind="approval",
                                link=f"/admin/#{self.page_url_of()}", object_type="filing", object_id=b.id, sender_id=actor.id)

    # --- the person's latest entry (list column) ---------------------------------------------

    async def latest_entries(self, session: AsyncSession, record_ids: list[int]) -> dict[int, tuple[BatchEntry, Batch]]:
        if not record_ids:
            return {}
        newest = (select(BatchEntry.record_id, func.max(BatchEntry.id).label("eid")).join(Batch, Batch.id == BatchEntry.batch_id)
                  .where(BatchEntry.record_id.in_(record_ids), Batch.kind == self.kind, BatchEntry.removed_at.is_(None))
                  .group_by(BatchEntry.record_id).subquery())
        rows = (await session.execute(select(BatchEntry, Batch).join(newest, newest.c.eid == BatchEntry.id)
                                      .join(Batch, Batch.id == BatchEntry.batch_id))).all()
        return {e.record_id: (e, b) for e, b in rows}

    # --- the kit ------------------------------------------------------------------------

    def pc_routes(self, router):
        from core.workflow.components import filing_api

        filing_api.pc_routes(self, router)

    def pages(self):
        from core.workflow.components import filing_page

        return filing_page.pages(self)

    def columns(self):
        from core.workflow.components import filing_page

        return filing_page.columns(self)

    async def column_values(self, session, records):
        found = await self.latest_entries(session, [r.id for r in records])
        out = {}
        for rid, (e, b) in found.items():
            label = self.state_label(b)
            if b.state == COMPLETED:
                label = f"{self.word}{RESULTS.get(self.result_of(e.outcome), '')}"
            out[rid] = {f"{self.key}_state": b.state, f"{self.key}_state_label": label, f"{self.key}_batch_id": b.id}
        return out

    def row_actions(self):
        from core.workflow.components import filing_page

        return filing_page.row_actions(self)

    def bulk_actions(self):
        from core.workflow.components import filing_page

        return filing_page.bulk_actions(self)

    async def todo_items(self, session, actor):
        from core.workflow.components import filing_page

        return await filing_page.todo_items(self, session, actor)
