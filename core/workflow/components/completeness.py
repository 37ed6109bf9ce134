"""完成发展流程 (CompletenessCheck, PRO-10, regulation ㉕): before a probationary member becomes a
full member, the branch checks that the file is complete and the dates are right.

For each person: the documents the declaration expects per stage (``dev_document``, filed by
the components as papers became part of the file), the milestone dates present and in the
declared order, the probation (at least a year from ``received_at`` to the probation end,
extensions included, and the end reached), and the timing rules of ``core/workflow/rules.py``:
a breach of a rule in ``refuse`` mode blocks, one in ``warn`` mode (let through with a
warning when it happened) is shown. 完成发展流程 refuses the batch with each person's list of
what is missing; otherwise everyone finishes in one engine call (status done, 中共党员, the
full-member date is the probation end). Checking 1,000 people costs three statements.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Mapping, Optional, Sequence

from fastapi import APIRouter
from pydantic import BaseModel, Field as PField
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core import clock, outbox
from core.auth import Requires
from core.db import SessionDep
from core.errors import fail
from core.responses import Envelope, ok
from core.workflow import tasks as task_store
from core.workflow.components.base import Component
from core.workflow.deps import EngineDep
from core.workflow.models import DevelopmentRecord, Document, milestone_date
from core.workflow.rules import configured_rules, period
from core.workflow.schemas import MovedOut, RecordIds
from core.workflow.stages import STAGE_TITLES


class CheckItem(BaseModel):
    record_id: int
    user_id: int
    name: str
    student_no: str
    ok: bool = PField(description="资料齐全、时间正确，可以完成发展流程")
    problems: list[str] = PField(description="缺少的材料、时间节点，违反的时间规定")
    warnings: list[str] = PField(description="提醒（当时允许但不符合时间规定的环节）")
    probation_end: Optional[date] = None


class CheckReport(BaseModel):
    items: list[CheckItem]
    ready: int = PField(description="可以完成发展流程的人数")
    blocked: int = PField(description="不能完成的人数")


@dataclass
class CompletenessCheck(Component):
    # stage → ((document kind, its Chinese name), ...): what each stage must have filed.
    documents: Mapping[str, Sequence[tuple[str, str]]] = field(default_factory=dict)
    # ((milestone key, its Chinese name), ...) in the order the dates must come.
    milestones: Sequence[tuple[str, str]] = ()
    stage: str = ""
    step: str = ""
    key: str = "completeness"
    path: str = "complete"
    label: str = "完成发展流程"
    permission_key: str = ""

    # --- the check --------------------------------------------------------------------------

    async def check(self, session: AsyncSession, engine, records: list[DevelopmentRecord], users) -> dict[int, CheckItem]:
        today = clock.local_today()
        filed: dict[int, set[tuple[str, str]]] = {}
        if self.documents and records:
            for rid, stage, kind in (await session.execute(
                    select(Document.record_id, Document.stage, Document.kind).distinct()
                    .where(Document.record_id.in_([r.id for r in records])))).all():
                filed.setdefault(rid, set()).add((stage, kind))
        rules = [r for r in configured_rules(engine.settings) if r.key != "probation_length"]
        days = period(engine.settings, "probation_days")
        out = {}
        for r in records:
            problems, warnings = self._documents(filed.get(r.id, set())), []
            ms = r.milestones or {}
            missing = [label for key, label in self.milestones if not ms.get(key)]
            if missing:
                problems.append("缺少时间节点：" + "、".join(missing))
            present = [(key, label, milestone_date(r, key)) for key, label in self.milestones if ms.get(key)]
            for (_, a_label, a), (_, b_label, b) in zip(present, present[1:]):
                if b < a:
                    problems.append(f"时间顺序不正确：{b_label}（{b}）早于{a_label}（{a}）")
            end = self.probation_end(r)
            received = milestone_date(r, "received_at")
            if received is None:
                problems.append("缺少预备期起始时间（支部大会接收时间）")
            elif end is not None and end < received + timedelta(days=days):
                problems.append(f"预备期不足一年：{received}至{end}")
            elif end is not None and today < end:
                problems.append(f"预备期未满：预备期至{end}")
            for rule in rules:
                start, finish = milestone_date(r, rule.start), milestone_date(r, rule.end)
                message = rule.breach(start, finish) if start and finish else None
                if message:
                    (problems if rule.mode == "refuse" else warnings).append(f"时间不符合规定：{message}")
            u = users[r.user_id]
            out[r.id] = CheckItem(record_id=r.id, user_id=u.id, name=u.name, student_no=u.student_no or "",
                                  ok=not problems, problems=problems, warnings=warnings, probation_end=end)
        return out

    def _documents(self, have: set[tuple[str, str]]) -> list[str]:
        problems = []
        for stage, kinds in self.documents.items():
            lacking = [f"《{label}》" for kind, label in kinds if (stage, kind) not in have]
            if lacking:
                problems.append(f"缺少{STAGE_TITLES.get(stage, stage)}阶段材料：{'、'.join(lacking)}")
        return problems

    @staticmethod
    def probation_end(r: DevelopmentRecord) -> date | None:
        end = milestone_date(r, "probation_end")
        received = milestone_date(r, "received_at")
        return end or (task_store.add_months(received, 12) if received else None)

    async def report(self, session, engine, actor, record_ids: list[int]) -> CheckReport:
        records, users = await engine.load(session, actor, record_ids)
        engine.check_position(records, users, self.stage, self.step)
        found = await self.check(session, engine, records, users)
        items = [found[r.id] for r in records]
        return CheckReport(items=items, ready=sum(i.ok for i in items), blocked=sum(not i.ok for i in items))

    async def finish(self, session, engine, actor, record_ids: list[int]):
        """完成发展流程: refused (409) with each person's list unless everyone is complete."""
        if not actor.can(self.permission):
            raise fail(403, "没有权限执行此操作")
        report = await self.report(session, engine, actor, record_ids)
        blocked = [i for i in report.items if not i.ok]
        if blocked:
            raise fail(409, "以下人员不能完成发展流程：" + "；".join(f"{i.name}：{'；'.join(i.problems)}" for i in blocked),
                       errors=[{"field": "record_ids", "label": i.name, "msg": "；".join(i.problems)} for i in blocked])
        t = await engine.advance(session, actor, record_ids, stage=self.stage, step=self.step, title=self.label)
        await outbox.notify(session, [r.user_id for r in t.records], "您已完成发展流程",
                            "经党组织审核，您的入党材料齐全、程序完备，已转为中共正式党员。", kind="progress",
                            link="/mp/development", object_type="dev_record", sender_id=actor.id)
        return t

    # --- what it mounts ---------------------------------------------------------------------

    def pc_routes(self, router: APIRouter) -> None:
        actor_ = Requires(self.permission)

        @router.post(f"/{self.path}/check", response_model=Envelope[CheckReport], summary="检查资料与时间节点（完成发展流程前）")
        async def check(body: RecordIds, session: SessionDep, engine: EngineDep, actor: actor_):
            return ok(await self.report(session, engine, actor, body.record_ids))

        @router.post(f"/{self.path}/finish", response_model=Envelope[MovedOut], summary=f"{self.label}（资料不全时拒绝并列出所缺）")
        async def finish(body: RecordIds, session: SessionDep, engine: EngineDep, actor: actor_):
            t = await self.finish(session, engine, actor, body.record_ids)
            await session.commit()
            return ok(MovedOut(finished=len(t.records), warnings=[w.message for w in t.warnings]), f"已{self.label}")

    def row_actions(self) -> list[dict]:
        url = f"{self.stage_def.api_prefix}/{self.path}"
        here = f"this.step === '{self.step}' && this.status === 'active'"
        report = {"type": "button", "label": "检查资料", "level": "link", "actionType": "dialog", "visibleOn": here,
                  "dialog": {"title": "检查资料 - ${name}", "size": "md", "actions": [], "body": {
                      "type": "service", "api": {"method": "post", "url": f"{url}/check", "data": {"record_ids": ["${id}"]}},
                      "body": {"type": "each", "source": "${items}", "items": [
                          {"type": "tpl", "tpl": "${ok ? '资料齐全、时间节点正确，可以完成发展流程' : '不能完成发展流程：'}",
                           "className": "block mb-2"},
                          {"type": "each", "source": "${problems}", "items": {"type": "alert", "level": "danger", "body": "${item}"}},
                          {"type": "each", "source": "${warnings}", "items": {"type": "alert", "level": "warning", "body": "${item}"}}]}}}}
        return [report, {"type": "button", "label": self.label, "level": "link", "actionType": "ajax", "visibleOn": here,
                         "confirmText": "确认${name}的资料齐全、时间节点正确，完成发展流程？",
                         "api": {"method": "post", "url": f"{url}/finish", "data": {"record_ids": ["${id}"]}}}]

    def bulk_actions(self) -> list[dict]:
        url = f"{self.stage_def.api_prefix}/{self.path}"
        return [{"type": "button", "label": f"批量{self.label}", "actionType": "ajax",
                 "confirmText": f"确认所选人员资料齐全、时间节点正确，{self.label}？",
                 "api": {"method": "post", "url": f"{url}/finish", "data": {"record_ids": "${ids|split}"}}}]

