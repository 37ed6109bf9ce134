"""Decisions on a step, one outcome per person (engine v2): the condition checks
(确定符合条件: 审核通过 / 审核不通过 → 发展条件-不通过), votes and results recorded per person, and
``DateStep`` (a date fills a milestone and the step is done: 填写宣誓时间, 支委会议时间).

The outcomes offered are the step's declared ones (or ``choices``: outcome key → button
label). One route resolves a batch with one outcome per person through ``Engine.resolve``.
"""
from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import select

from core import outbox
from core.amis_crud import dialog_button
from core.auth import Requires
from core.db import SessionDep
from core.errors import fail
from core.responses import Envelope, ok
from core.workflow.components.base import Component, ListColumn
from core.workflow.deps import EngineDep
from core.workflow.models import DevelopmentEvent
from core.workflow.schemas import CountOut, MovedOut, RecordIds, moved_out


class ResolveItem(BaseModel):
    record_id: int = Field(title="发展记录")
    outcome: str = Field(max_length=40, title="结果")
    note: str = Field("", max_length=500, title="说明")


class ResolveIn(BaseModel):
    """One outcome for all (``record_ids`` + ``outcome``) or one per person (``items``)."""

    record_ids: list[int] = Field(default_factory=list, title="人员")
    outcome: str = Field("", max_length=40, title="结果")
    note: str = Field("", max_length=500, title="说明")
    items: list[ResolveItem] = Field(default_factory=list, title="每人结果")
    day: Optional[date] = Field(None, title="日期")


@dataclass
class DecisionComponent(Component):
    stage: str = ""
    step: str = ""
    key: str = "decision"
    path: str = ""  # PC route: POST <stage prefix>/<path> (default: the step's key)
    title: str = ""  # the dialog title (default: the step's title)
    choices: dict[str, str] = field(default_factory=dict)  # outcome key → button label (default: the step's outcomes)
    milestone: str = ""  # a date asked with the decision fills this milestone (e.g. recommended_at, oath_at)
    date_label: str = "日期"
    permission_key: str = ""

    def bind(self, stage, step) -> None:
        super().bind(stage, step)
        self.path = self.path or step.key.replace("_", "-")

    def options(self) -> dict[str, str]:
        if self.choices:
            return dict(self.choices)
        declared = self.step_def.outcomes if self.step_def.outcomes is not None else {
            k: o for k, o in self.step_def.allowed().items() if k != "stay"}
        return {k: (o.label or k) for k, o in declared.items()}

    async def decide(self, session, engine, actor, body: ResolveIn):
        outcomes = {i.record_id: i.outcome for i in body.items} or {rid: body.outcome for rid in body.record_ids}
        if not outcomes or any(not v for v in outcomes.values()):
            raise fail(422, "请选择人员和结果", field="outcome", label="结果")
        allowed = self.options()
        wrong = sorted({v for v in outcomes.values() if v not in allowed})
        if wrong:
            raise fail(422, f"“{self.step_def.title}”没有这些结果：{'、'.join(wrong)}", field="outcome", label="结果")
        if self.milestone and body.day is None:
            raise fail(422, f"请填写{self.date_label}", field="date", label=self.date_label)
        if body.day is not None and body.day > engine.settings.local_today():
            raise fail(422, f"{self.date_label}不能晚于今天", field="date", label=self.date_label)
        records, _ = await engine.load(session, actor, list(outcomes))
        milestones = {r.user_id: {self.milestone: body.day} for r in records} if self.milestone else None
        notes = {i.record_id: i.note for i in body.items if i.note}
        return await engine.resolve(session, actor, self.stage, self.step, outcomes, milestones=milestones,
                                    note=body.note, notes=notes)

    def pc_routes(self, router: APIRouter) -> None:
        actor_ = Requires(self.permission)

        @router.post(f"/{self.path}", response_model=Envelope[MovedOut],
                     summary=f"{self.title or self.step_def.title}：每人一个结果（单个或批量）")
        async def decide(body: ResolveIn, session: SessionDep, engine: EngineDep, actor: actor_):
            res = await self.decide(session, engine, actor, body)
            await session.commit()
            return ok(moved_out(res), "已处理")

    def _form(self, key: str) -> list[dict]:
        body: list[dict] = [{"type": "hidden", "name": "outcome", "value": key}]
        if self.milestone:
            body.append({"type": "input-date", "name": "day", "label": self.date_label, "required": True,
                         "format": "YYYY-MM-DD", "maxDate": "${NOW}"})
        body.append({"type": "textarea", "name": "note", "label": "说明"})
        return body

    def row_actions(self) -> list[dict]:
        url = f"{self.stage_def.api_prefix}/{self.path}"
        here = f"this.step === '{self.step}' && this.status === 'active'"
        buttons = []
        for key, label in self.options().items():
            btn = dialog_button(label, f"{label} - ${{name}}", self._form(key), "", level="link", visible_on=here)
            btn["dialog"]["body"]["api"] = {"method": "post", "url": url, "data": {"&": "$$", "record_ids": ["${id}"]}}
            buttons.append(btn)
        return buttons

    def bulk_actions(self) -> list[dict]:
        url = f"{self.stage_def.api_prefix}/{self.path}"
        buttons = []
        for key, label in self.options().items():
            btn = dialog_button(f"批量{label}", f"批量{label}", self._form(key), "", level="default")
            btn["dialog"]["body"]["api"] = {"method": "post", "url": url, "data": {"&": "$$", "record_ids": "${ids|split}"}}
            buttons.append(btn)
        return buttons


@dataclass
class DateStep(DecisionComponent):
    """A date fills a milestone and completes the step (填写宣誓时间, 填报支委会议时间).

    With ``flow_label`` the step starts with a flow (流转入党宣誓): the people are told
    ``flow_message`` (a to-do) and only then may the date be filled; the flow is a timeline
    line of the current visit of the step, so a person sent back to it is flowed again."""

    key: str = "date_step"
    choices: dict[str, str] = field(default_factory=lambda: {"advance": "填写时间"})
    flow_label: str = ""  # e.g. 流转入党宣誓
    flow_message: str = ""  # what the people are told when flowed

    async def flowed(self, session, records) -> set[int]:
        """Records flowed since they entered the step (one statement)."""
        if not records:
            return set()
        rows = (await session.execute(select(DevelopmentEvent.record_id, DevelopmentEvent.created_at).where(
            DevelopmentEvent.record_id.in_([r.id for r in records]), DevelopmentEvent.action == "flowed",
            DevelopmentEvent.stage == self.stage, DevelopmentEvent.step == self.step))).all()
        entered = {r.id: r.step_entered_at for r in records}
        return {rid for rid, at in rows if entered.get(rid) is None or at >= entered[rid]}

    async def flow(self, session, engine, actor, record_ids: list[int]) -> int:
        records, users = await engine.load(session, actor, record_ids)
        engine.check_position(records, users, self.stage, self.step)
        done = await self.flowed(session, records)
        if done:
            raise fail(409, f"以下人员已{self.flow_label}：{'、'.join(users[r.user_id].name for r in records if r.id in done)}")
        await engine.note(session, actor, records, action="flowed", title=self.flow_label)
        await outbox.notify(session, [r.user_id for r in records], self.flow_label.removeprefix("流转") or self.flow_label,
                            self.flow_message or f"党支部已{self.flow_label}，请留意后续通知。", kind="todo",
                            link="/mp/development", object_type="dev_record", sender_id=actor.id)
        return len(records)

    async def decide(self, session, engine, actor, body: ResolveIn):
        if self.flow_label:
            ids = [i.record_id for i in body.items] or list(body.record_ids)
            records, users = await engine.load(session, actor, ids)
            done = await self.flowed(session, records)
            waiting = [r for r in records if r.id not in done and (r.stage, r.step) == (self.stage, self.step)]
            if waiting:
                raise fail(409, f"请先{self.flow_label}：{'、'.join(users[r.user_id].name for r in waiting)}")
        return await super().decide(session, engine, actor, body)

    def pc_routes(self, router: APIRouter) -> None:
        super().pc_routes(router)
        if not self.flow_label:
            return
        actor_ = Requires(self.permission)

        @router.post(f"/{self.path}/flow", response_model=Envelope[CountOut], summary=f"{self.flow_label}（单个或批量）")
        async def flow(body: RecordIds, session: SessionDep, engine: EngineDep, actor: actor_):
            n = await self.flow(session, engine, actor, body.record_ids)
            await session.commit()
            return ok({"count": n}, f"已{self.flow_label}")

    def columns(self) -> list[ListColumn]:
        return [ListColumn(f"{self.key}_flowed", self.flow_label, bool | None, show=False)] if self.flow_label else []

    async def column_values(self, session, records) -> dict[int, dict]:
        if not self.flow_label:
            return {}
        here = [r for r in records if (r.stage, r.step) == (self.stage, self.step)]
        done = await self.flowed(session, here)
        return {r.id: {f"{self.key}_flowed": r.id in done} for r in here}

    def row_actions(self) -> list[dict]:
        buttons = super().row_actions()
        if not self.flow_label:
            return buttons
        flowed = f"this.{self.key}_flowed"
        for b in buttons:
            b["visibleOn"] = f"{b['visibleOn']} && {flowed}"
        url = f"{self.stage_def.api_prefix}/{self.path}/flow"
        return [{"type": "button", "label": self.flow_label, "level": "link", "actionType": "ajax",
                 "confirmText": f"确定{self.flow_label}？将通知${{name}}", "api": {"method": "post", "url": url,
                                                                        "data": {"record_ids": ["${id}"]}},
                 "visibleOn": f"this.step === '{self.step}' && this.status === 'active' && !{flowed}"}, *buttons]

    def bulk_actions(self) -> list[dict]:
        buttons = super().bulk_actions()
        if not self.flow_label:
            return buttons
        url = f"{self.stage_def.api_prefix}/{self.path}/flow"
        return [{"type": "button", "label": f"批量{self.flow_label}", "actionType": "ajax", "confirmText": f"确定{self.flow_label}？",
                 "api": {"method": "post", "url": url, "data": {"record_ids": "${ids|split}"}}}, *buttons]
