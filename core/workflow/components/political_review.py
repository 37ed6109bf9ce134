"""Political review (政审, CAN-9) on the cohort base: a committee cohort across branches.

States (``STATES``): 确定政审名单 ``draft`` (the committee picks the people whose task is
open) → 填报政审信息 ``filling`` (each person fills two direct relatives on the MP; the
committee reads them and 确认信息填报) → 下发函调信 ``letters`` (recipient, phone, address
and signing date; one 函调信 per relative, stored as one merged PDF and one PDF per person;
流转支部填写政审意见) → 填写政审意见 ``opinion`` (each branch writes the opinion of its people
and 流转党委审议; the last branch moves the review on) → 党委审议 ``review`` (a result per
person with a scan; 完成政审) → ``completed``. 通过 completes the step's task (task mode,
regulation ⑩) or advances; 不通过 fails the record with ``failure_code``. Branches see and act
on their own people only. A person may be taken off with a reason before completion and
join a later review.

Per person (``dev_batch_entry``): ``data.relatives`` (what the person filled), ``data.letters``
(their letters' file), ``opinion`` and ``data.opinion_submitted_at`` (the branch's part),
``outcome`` (pass | fail), ``data.result_note`` and ``data.result_files`` (the scan).
Routes: ``political_review_api.py`` (PC), ``political_review_mp.py`` (the person's own).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import bindparam, false, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from core import clock, outbox
from core.auth import Actor
from core.errors import fail
from core.models import StoredFile, utcnow
from core.workflow.cohort import COMPLETED, Cohort
from core.workflow.components.sheet_pdf import cn_date
from core.workflow.documents import Paper, attach_files, record_documents
from core.workflow.models import Batch, BatchEntry
from core.workflow.people import BranchNames
from core.workflow.people import branch_admin_ids, committee_ids

STATES = {"draft": "确定政审名单", "filling": "填报政审信息", "letters": "下发函调信", "opinion": "填写政审意见",
          "review": "党委审议", COMPLETED: "已完成"}
RELATIONS = ("父亲", "母亲", "配偶", "儿子", "女儿", "祖父", "祖母", "外祖父", "外祖母")
POLITICAL_STATUSES = ("中共党员", "中共预备党员", "共青团员", "民主党派成员", "无党派人士", "群众")
PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")
RESULTS = {"pass": "通过", "fail": "不通过"}


def check_relatives(relatives: list[dict], count: int) -> list[dict]:
    """Two (``count``) direct relatives, each complete; errors name the row and field in Chinese."""
    if len(relatives) != count:
        raise fail(422, f"请填写{count}名直系亲属的信息", field="relatives", label="直系亲属")
    errors, out = [], []
    labels = {"name": "姓名", "relation": "与本人关系", "work_unit": "工作单位", "political_status": "政治面貌", "phone": "联系电话"}
    limits = {"name": 32, "relation": 10, "work_unit": 100, "political_status": 20, "phone": 20}
    for i, r in enumerate(relatives):
        item = {k: str(r.get(k) or "").strip() for k in labels}
        for k, label in labels.items():
            where = f"第{i + 1}名亲属的{label}"
            if not item[k]:
                errors.append({"field": f"relatives.{i}.{k}", "label": where, "msg": f"请填写{where}"})
            elif len(item[k]) > limits[k]:
                errors.append({"field": f"relatives.{i}.{k}", "label": where, "msg": f"{where}不能超过{limits[k]}个字"})
        if item["relation"] and item["relation"] not in RELATIONS:
            errors.append({"field": f"relatives.{i}.relation", "label": f"第{i + 1}名亲属的与本人关系",
                           "msg": f"与本人关系应为直系亲属：{'、'.join(RELATIONS)}"})
        if item["political_status"] and item["political_status"] not in POLITICAL_STATUSES:
            errors.append({"field": f"relatives.{i}.political_status", "label": f"第{i + 1}名亲属的政治面貌",
                           "msg": f"政治面貌应为：{'、'.join(POLITICAL_STATUSES)}"})
        if item["phone"] and not PHONE.match(item["phone"]):
            errors.append({"field": f"relatives.{i}.phone", "label": f"第{i + 1}名亲属的联系电话",
                           "msg": "联系电话应为11位手机号或带区号的固定电话"})
        out.append(item)
    pairs = [(r["name"], r["relation"]) for r in out]
    if not errors and len(set(pairs)) != len(pairs):
        errors.append({"field": "relatives", "label": "直系亲属", "msg": "请填写两名不同的直系亲属"})
    if errors:
        raise fail(422, errors[0]["msg"] if len(errors) == 1 else "；".join(e["msg"] for e in errors), errors=errors)
    return out


@dataclass
class PoliticalReview(Cohort):
    path: str = "political-review"  # PC routes at <stage prefix>/<path>
    failure_code: str = "政治审查-不通过"
    relatives: int = 2
    mp_path: str = "political-review"  # MP: GET/PUT /api/mp/v1/development/<mp_path>
    mp_permission: str = ""
    branch_names: Optional[BranchNames] = None
    document_kind: str = "political_review"  # the committee's scanned result
    letter_kind: str = "inquiry_letter"
    page_title: str = "政审管理"
    noun: str = "政审"
    permission_key: str = ""

    async def names(self, session: AsyncSession, ids) -> dict[int, str]:
        ids = sorted({i for i in ids if i is not None})
        if not ids or self.branch_names is None:
            return {}
        return await self.branch_names(session, ids)

    # --- rights: the committee owns it, a branch reaches its people's part ---------------

    def committee_only(self, actor: Actor) -> None:
        if actor.scope != "all":
            raise fail(403, f"只有学院党委可以执行此{self.noun}操作")

    async def get(self, session: AsyncSession, actor: Actor, batch_id: int) -> Batch:
        b = await session.get(Batch, batch_id)
        found = b is not None and b.kind == self.kind
        if found and actor.scope != "all":
            found = actor.scope == "branch" and actor.branch_id is not None and (await session.execute(
                select(BatchEntry.id).where(BatchEntry.batch_id == b.id, BatchEntry.branch_id == actor.branch_id)
                .limit(1))).first() is not None
        if not found:
            raise fail(404, f"{self.noun}不存在或无权查看")
        return b

    def scope(self, actor: Actor):
        if actor.scope == "all":
            return true()
        if actor.scope == "branch" and actor.branch_id is not None:
            return Batch.id.in_(select(BatchEntry.batch_id).where(BatchEntry.branch_id == actor.branch_id))
        return false()

    async def part(self, session: AsyncSession, actor: Actor, b: Batch, *, removed: bool | None = False):
        """The entries the actor may see: all for the committee, its branch's for a branch admin."""
        rows = await self.entries(session, b, removed=removed)
        return rows if actor.scope == "all" else [(e, u) for e, u in rows if e.branch_id == actor.branch_id]

    def expect(self, b: Batch, *states: str) -> None:
        if b.state not in states:
            raise fail(409, f"{self.noun}当前处于“{STATES.get(b.state, b.state)}”，不能执行此操作")

    # --- 新增政审 / 确定政审名单 ---------------------------------------------------------

    async def open(self, session: AsyncSession, actor: Actor, title: str | None) -> Batch:
        self.committee_only(actor)
        title = (title or "").strip()
        if len(title) > 200:
            raise fail(422, "政审名称不能超过200个字", field="title", label="政审名称")
        return await self.create(session, actor, branch_id=None,
                                 title=title or f"{self.title}（{clock.local_today():%Y-%m-%d}）")

    async def choose(self, session: AsyncSession, engine, actor: Actor, b: Batch, record_ids: list[int]) -> None:
        self.committee_only(actor)
        self.expect(b, "draft")
        await self.set_people(session, engine, actor, b, [{"record_id": rid} for rid in record_ids], fields=())

    async def confirm_list(self, session: AsyncSession, engine, actor: Actor, b: Batch) -> None:
        """确定政审名单: the people are asked to fill their relatives."""
        self.committee_only(actor)
        self.expect(b, "draft")
        kept = await self.entries(session, b)
        if not kept:
            raise fail(409, f"请先勾选进入{self.noun}的{self.people_label}")
        records, users = await engine.load(session, actor, [e.record_id for e, _ in kept])
        engine.check_position(records, users, self.stage, self.step)
        await self.check_task(session, records, users)
        await self.set_state(session, b, "draft", "filling")
        await engine.note(session, actor, records, action="political_review_listed", title=f"进入{b.title}")
        await outbox.notify(session, [u.id for _, u in kept], "请填写政审信息",
                            f"您已进入{b.title}，请在“政治审查”中填写{self.relatives}名直系亲属的信息并提交。", kind="todo",
                            link=f"/mp/development/{self.mp_path}", object_type="political_review", object_id=b.id,
                            sender_id=actor.id)

    # --- 填报政审信息 --------------------------------------------------------------------

    async def mine(self, session: AsyncSession, user_id: int) -> tuple[Batch, BatchEntry] | None:
        """The person's entry in an open review of this kind (none when not listed or taken off)."""
        # Built once per use: every student's to-do list asks it (issue 11).
        mine = self.__dict__.get("_mine")
        if mine is None:
            mine = self.__dict__["_mine"] = (
                select(Batch, BatchEntry).join(BatchEntry, BatchEntry.batch_id == Batch.id)
                .where(Batch.kind == self.kind, BatchEntry.user_id == bindparam("user_id"), BatchEntry.removed_at.is_(None))
                .order_by(Batch.id.desc()).limit(1))
        row = (await session.execute(mine, {"user_id": user_id})).first()
        return (row[0], row[1]) if row else None

    async def fill(self, session: AsyncSession, engine, actor: Actor, relatives: list[dict]) -> tuple[Batch, BatchEntry]:
        """The person's relatives, while the review is at 填报政审信息 (refused afterwards)."""
        found = await self.mine(session, actor.id)
        if found is None or found[0].state == COMPLETED:
            raise fail(409, f"您当前没有需要填写的{self.noun}信息")
        b, e = found
        if b.state != "filling":
            raise fail(409, "政审信息已确认，不能再修改" if b.state != "draft" else "政审名单尚未确定，请稍后填写")
        cleaned = check_relatives(relatives, self.relatives)
        data = {**(e.data or {}), "relatives": cleaned, "filled_at": clock.iso(utcnow())}
        result = await session.execute(
            update(BatchEntry).where(BatchEntry.id == e.id, BatchEntry.batch_id.in_(
                select(Batch.id).where(Batch.id == b.id, Batch.state == "filling"))).values(data=data)
            .execution_options(synchronize_session=False))
        if result.rowcount != 1:
            raise fail(409, "政审信息已确认，不能再修改")
        e.data = data
        record = await engine.record_of(session, actor.id)
        await engine.note(session, actor, [record], action="political_info_filled", title="填写政审信息")
        return b, e

    async def confirm_info(self, session: AsyncSession, engine, actor: Actor, b: Batch) -> None:
        """确认信息填报: refused while anyone has not filled, naming them."""
        self.committee_only(actor)
        self.expect(b, "filling")
        kept = await self.entries(session, b)
        missing = [u.name for e, u in kept if not (e.data or {}).get("relatives")]
        if missing:
            raise fail(409, f"以下人员尚未填写政审信息：{'、'.join(missing)}")
        await self.set_state(session, b, "filling", "letters")

    # --- 流转支部 / 填写政审意见 / 流转党委审议 -------------------------------------------

    async def to_branches(self, session: AsyncSession, engine, actor: Actor, b: Batch) -> None:
        self.committee_only(actor)
        self.expect(b, "letters")
        if not b.document_token:
            raise fail(409, "请先生成函调信")
        kept = await self.entries(session, b)
        await self.set_state(session, b, "letters", "opinion")
        await outbox.notify(session, await branch_admin_ids(session, [e.branch_id for e, _ in kept]),
                            f"{b.title}：请填写政审意见", "学院党委已下发函调信，请为本支部的人员填写政审意见并流转党委审议。",
                            kind="todo", link=self.page_link, object_type="political_review", object_id=b.id,
                            sender_id=actor.id)

    async def write_opinions(self, session: AsyncSession, actor: Actor, b: Batch, opinions: dict[int, str]) -> int:
        self.expect(b, "opinion")
        mine = {e.record_id: e for e, _ in await self.part(session, actor, b)}
        outside = [rid for rid in opinions if rid not in mine]
        if outside:
            raise fail(404, "部分人员不在本次政审中或不属于本支部")
        done = [rid for rid in opinions if (mine[rid].data or {}).get("opinion_submitted_at")]
        if done:
            raise fail(409, "政审意见已流转党委审议，不能再修改")
        for rid, text in opinions.items():
            text = (text or "").strip()
            if not text:
                raise fail(422, "请填写政审意见", field="opinion", label="政审意见")
            if len(text) > 1000:
                raise fail(422, "政审意见不能超过1000个字", field="opinion", label="政审意见")
            await session.execute(update(BatchEntry).where(BatchEntry.id == mine[rid].id).values(opinion=text)
                                  .execution_options(synchronize_session=False))
        return len(opinions)

    async def submit_opinions(self, session: AsyncSession, engine, actor: Actor, b: Batch, branch_id: int | None) -> bool:
        """流转党委审议 for one branch's people; True when it was the last branch."""
        self.expect(b, "opinion")
        branch_id = actor.branch_id if actor.scope != "all" else branch_id
        if branch_id is None:
            raise fail(422, "请选择党支部", field="branch_id", label="党支部")
        kept = await self.entries(session, b)
        ours = [(e, u) for e, u in kept if e.branch_id == branch_id]
        if not ours:
            raise fail(404, "本次政审中没有该党支部的人员")
        if all((e.data or {}).get("opinion_submitted_at") for e, _ in ours):
            raise fail(409, "本支部的政审意见已流转党委审议")
        missing = [u.name for e, u in ours if not e.opinion]
        if missing:
            raise fail(409, f"请先填写以下人员的政审意见：{'、'.join(missing)}")
        now = clock.iso(utcnow())
        table = BatchEntry.__table__
        await session.execute(table.update().where(table.c.id == bindparam("eid")).values(
            data=bindparam("new_data", type_=table.c.data.type)),
            [{"eid": e.id, "new_data": {**(e.data or {}), "opinion_submitted_at": now}} for e, _ in ours])
        last = all((e.data or {}).get("opinion_submitted_at") for e, _ in kept if e.branch_id != branch_id)
        names = await self.names(session, [branch_id])
        if last:
            await self.set_state(session, b, "opinion", "review")
        await outbox.notify(session, await committee_ids(session), f"{b.title}：{names.get(branch_id, '党支部')}已提交政审意见",
                            "所有党支部均已提交，请进行党委审议。" if last else "等待其他党支部提交政审意见。", kind="review",
                            link=self.page_link, object_type="political_review", object_id=b.id, sender_id=actor.id)
        return last

    # --- 党委审议 / 完成政审 ------------------------------------------------------------

    async def set_results(self, session: AsyncSession, actor: Actor, b: Batch, outcomes: dict[int, str], notes: dict[int, str],
                          files: list[str]) -> int:
        """审议结果 of some people with the uploaded scan (one scan may cover several people)."""
        self.committee_only(actor)
        self.expect(b, "review")
        kept = {e.record_id: (e, u) for e, u in await self.entries(session, b)}
        outside = [rid for rid in outcomes if rid not in kept]
        if outside:
            raise fail(404, "部分人员不在本次政审中")
        wrong = sorted({v for v in outcomes.values() if v not in RESULTS})
        if wrong:
            raise fail(422, "审议结果应为“通过”或“不通过”", field="outcome", label="审议结果")
        scans = await self.check_scans(session, actor, files)
        if len(outcomes) == 1:
            await attach_files(session, [f["token"] for f in scans], kept[next(iter(outcomes))][1].id)
        table = BatchEntry.__table__
        await session.execute(table.update().where(table.c.id == bindparam("eid")).values(
            outcome=bindparam("result"), data=bindparam("new_data", type_=table.c.data.type)),
            [{"eid": kept[rid][0].id, "result": key, "new_data": {**(kept[rid][0].data or {}), "result_files": scans,
                                                                    "result_note": (notes.get(rid) or "").strip()[:500]}}
             for rid, key in outcomes.items()])
        return len(outcomes)

    async def check_scans(self, session: AsyncSession, actor: Actor, tokens: list[str]) -> list[dict]:
        tokens = [str(t).rsplit("/", 1)[-1] for t in dict.fromkeys(tokens or []) if t]
        if not tokens:
            raise fail(422, "请上传审议结果扫描件", field="files", label="扫描件")
        if len(tokens) > 9:
            raise fail(422, "扫描件最多上传9个文件", field="files", label="扫描件")
        found = {f.token: f for f in (await session.execute(select(StoredFile).where(StoredFile.token.in_(tokens)))).scalars()}
        if any(t not in found or found[t].owner_id != actor.id or found[t].ext not in ("jpg", "png", "pdf") for t in tokens):
            raise fail(422, "扫描件不存在或不是本人上传的图片、PDF，请重新上传", field="files", label="扫描件")
        return [{"token": t, "name": found[t].original_name, "url": f"/api/files/{t}", "type": found[t].ext} for t in tokens]

    async def finish(self, session: AsyncSession, engine, actor: Actor, b: Batch) -> dict[str, int]:
        """完成政审: 通过 completes the task (or advances), 不通过 fails with ``failure_code``;
        letters and scans become each person's documents; each person is told the result."""
        self.committee_only(actor)
        self.expect(b, "review")
        kept = await self.entries(session, b)
        missing = [u.name for e, u in kept if e.outcome not in RESULTS or not (e.data or {}).get("result_files")]
        if missing:
            raise fail(409, f"请先为以下人员选择审议结果并上传扫描件：{'、'.join(missing)}")
        records, users = await engine.load(session, actor, [e.record_id for e, _ in kept])
        engine.check_position(records, users, self.stage, self.step)
        from core.workflow.components.political_review_letters import keep_as_documents

        by_id = {e.record_id: e for e, _ in kept}
        today = clock.local_today()
        letters = await keep_as_documents(self, session, engine, actor, b, kept)
        papers = [Paper(r, self.document_kind, f"{self.title}审议结果：{RESULTS[by_id[r.id].outcome]}",
                        by_id[r.id].data["result_files"], today, "batch", b.id) for r in records]
        papers += [Paper(r, self.letter_kind, "函调信", [letters[r.id]], b.signature_date, "batch", b.id) for r in records]
        await record_documents(session, papers, created_by=actor.id)
        passed = [r for r in records if by_id[r.id].outcome == "pass"]
        failed = [r for r in records if by_id[r.id].outcome == "fail"]
        notes = {r.id: by_id[r.id].data.get("result_note", "") for r in records}
        if passed:
            if self.task:
                await engine.note(session, actor, passed, action="political_review_passed", title=f"{self.title}通过")
                await engine.complete_tasks(session, actor, passed, key=self.task, users=users, source=("batch", b.id))
            else:
                await engine.advance(session, actor, [r.id for r in passed], stage=self.stage, step=self.step,
                                     title=f"{self.title}通过")
        if failed:
            await engine.fail(session, actor, [r.id for r in failed], stage=self.stage, step=self.step,
                              code=self.failure_code, note="；".join(n for r in failed if (n := notes[r.id])))
        await self.set_state(session, b, "review", COMPLETED, completed_at=utcnow(), completed_by=actor.id)
        for group, text in ((passed, "通过"), (failed, f"不通过，您的状态为“{self.failure_code}”")):
            if group:
                await outbox.notify(session, [r.user_id for r in group], f"{self.title}结果",
                                    f"{cn_date(today)}，学院党委完成{b.title}，审议结果为{text}。", kind="progress",
                                    link="/mp/development", object_type="political_review", object_id=b.id,
                                    sender_id=actor.id)
        return {"passed": len(passed), "failed": len(failed)}

    @property
    def page_link(self) -> str:
        return f"/admin/#/admin/development/page/{self.stage_def.slug or self.stage}_{self.path}" if self.bound else "/admin/"

    # --- the kit ------------------------------------------------------------------------

    def pc_routes(self, router):
        from core.workflow.components import political_review_api

        political_review_api.pc_routes(self, router)

    def mp_routes(self, router):
        from core.workflow.components import political_review_mp

        political_review_mp.mp_routes(self, router)

    def pages(self):
        from core.workflow.components import political_review_page

        return political_review_page.pages(self)

    def header_actions(self):
        from core.workflow.components import political_review_page

        return political_review_page.header_actions(self)

    async def todo_items(self, session, actor):
        from core.workflow.components import political_review_page

        return await political_review_page.todo_items(self, session, actor)

