"""Assignment steps (engine v2): 指定培养联系人 (one formal member of the branch), 确定入党介绍人
(two different formal members), 编入党小组 (a party group of the branch). The people are
recorded as the record's assignments (``dev_assignment``) and the step is done; a configured
``milestone`` (编入党小组: ``grouped_at``) records the day on the record, for the timeline,
the list and the dossier."""
from dataclasses import dataclass
from typing import Awaitable, Callable, ClassVar, Optional

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from core import clock
from core.amis_crud import dialog_button
from core.auth import Requires, scope_condition
from core.db import SessionDep
from core.errors import fail
from core.models import StudentProfile, User
from core.responses import Envelope, Option, Options, ok
from core.workflow import assignments
from core.workflow.assignments import ROLE_LABELS
from core.workflow.components.base import Component, ListColumn
from core.workflow.components.talk import FORMAL_MEMBER
from core.workflow.deps import EngineDep
from core.workflow.outcomes import stay
from core.workflow.schemas import MovedOut

# (session, branch ids) -> {branch id: [(group id, name)]}: the 党小组 of each branch (org_mgmt knows them).
GroupsOf = Callable[..., Awaitable[dict[int, list[tuple[int, str]]]]]


class AssignIn(BaseModel):
    record_ids: list[int] = Field(min_length=1, title="人员")
    user_ids: list[int] = Field(default_factory=list, title="指派的党员")
    group_id: Optional[int] = Field(None, title="党小组")


@dataclass
class AssignmentComponent(Component):
    role: str  # contact | introducer | party_group (or any role other components read)
    count: int = 1  # how many people (two introducers)
    stage: str = ""
    step: str = ""
    key: str = ""
    path: str = ""  # PC routes at <stage prefix>/<path>/assign and /<path>/candidates (default: the role)
    groups: Optional[GroupsOf] = None  # role party_group: the branch's 党小组
    advance: bool = True  # assigning completes the step
    milestone: str = ""  # set to the day of the assignment on each record (grouped_at)
    permission_key: str = ""

    summary_model: ClassVar = None

    def __post_init__(self):
        self.key = self.key or self.role
        self.path = self.path or self.role.replace("_", "-")

    @property
    def label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    async def assign(self, session, engine, actor, record_ids: list[int], *, user_ids: list[int], group_id: int | None):
        records, users = await engine.load(session, actor, record_ids)
        engine.check_position(records, users, self.stage, self.step)
        if self.role == "party_group":
            if group_id is None or self.groups is None:
                raise fail(422, "请选择党小组", field="group_id", label="党小组")
            allowed = await self.groups(session, list({u.party_branch_id for u in users.values()}))
            outside = [u.name for u in users.values() if group_id not in {g for g, _ in allowed.get(u.party_branch_id, [])}]
            if outside:
                raise fail(422, f"该党小组不属于以下人员的党支部：{'、'.join(outside)}", field="group_id", label="党小组")
        else:
            chosen = list(dict.fromkeys(user_ids))
            if len(chosen) != self.count:
                raise fail(422, f"请选择{self.count}名不同的{self.label}", field="user_ids", label=self.label)
            members = {u.id: u for u in (await session.execute(
                select(User).join(StudentProfile, StudentProfile.user_id == User.id)
                .where(User.id.in_(chosen), User.deleted_at.is_(None), StudentProfile.political_status == FORMAL_MEMBER,
                       scope_condition(actor)))).scalars()}
            if len(members) != len(chosen):
                raise fail(422, f"{self.label}须为本支部正式党员", field="user_ids", label=self.label)
            if set(chosen) & set(users):
                raise fail(422, f"{self.label}不能是本人", field="user_ids", label=self.label)
            user_ids = chosen
        await assignments.assign(session, [r.id for r in records], self.role, user_ids=None if group_id else user_ids,
                                 group_id=group_id, assigned_by=actor.id)
        if not group_id:
            await self._tell(session, actor, users, user_ids)
        milestones = {u: {self.milestone: clock.local_today()} for u in users} if self.milestone else None
        if self.advance:
            t = await engine.advance(session, actor, [r.id for r in records], stage=self.stage, step=self.step,
                                     milestones=milestones, title=f"指定{self.label}")
            return MovedOut(advanced=len(t.records), warnings=[w.message for w in t.warnings])
        if milestones:
            await engine.resolve(session, actor, self.stage, self.step, {r.id: stay(f"指定{self.label}") for r in records},
                                 milestones=milestones, title=f"指定{self.label}", permission=False)
        else:
            await engine.note(session, actor, records, action="assigned", title=f"指定{self.label}")
        return None

    async def _tell(self, session, actor, users: dict, user_ids: list[int]) -> None:
        """通知: the assigned members hear whom they look after, the people who looks after them."""
        from core.outbox import notify

        names = dict((await session.execute(select(User.id, User.name).where(User.id.in_(user_ids)))).all())
        people = "、".join(u.name for u in users.values())
        await notify(session, user_ids, f"您被指定为{self.label}", f"党支部指定您担任{people}的{self.label}。", kind="notice",
                     link="/mp/talks", object_type="dev_record", sender_id=actor.id)
        await notify(session, list(users), f"党组织已为您指定{self.label}", f"{self.label}：{'、'.join(names.values())}。",
                     kind="notice", link="/mp/development", object_type="dev_record", sender_id=actor.id)

    def pc_routes(self, router: APIRouter) -> None:
        actor_ = Requires(self.permission)

        @router.get(f"/{self.path}/candidates", response_model=Envelope[Options], summary=f"可担任{self.label}的人员")
        async def candidates(session: SessionDep, actor: actor_,
                             branch_id: Optional[int] = Query(None, title="党支部（学院党委选择党小组时）")):
            if self.role == "party_group":
                branch = branch_id if actor.scope == "all" else actor.branch_id
                found = await self.groups(session, [branch]) if self.groups and branch else {}
                return ok({"options": [Option(label=n, value=g) for g, n in found.get(branch, [])]})
            q = (select(User).join(StudentProfile, StudentProfile.user_id == User.id)
                 .where(StudentProfile.political_status == FORMAL_MEMBER, User.deleted_at.is_(None), scope_condition(actor)))
            users = (await session.execute(q.order_by(User.name).limit(500))).scalars().all()
            return ok({"options": [Option(label=f"{u.name}（{u.student_no or u.username}）", value=u.id) for u in users]})

        @router.post(f"/{self.path}/assign", response_model=Envelope[MovedOut], summary=f"指定{self.label}（单个或批量）")
        async def assign(body: AssignIn, session: SessionDep, engine: EngineDep, actor: actor_):
            res = await self.assign(session, engine, actor, body.record_ids, user_ids=body.user_ids, group_id=body.group_id)
            await session.commit()
            return ok(res or MovedOut(), f"已指定{self.label}")

    def columns(self) -> list[ListColumn]:
        return [ListColumn(f"{self.key}_names", self.label)]

    async def column_values(self, session, records) -> dict[int, dict]:
        found = await assignments.current(session, [r.id for r in records], self.role)
        ids = {a.user_id for items in found.values() for a in items if a.user_id}
        names = dict((await session.execute(select(User.id, User.name).where(User.id.in_(ids)))).all()) if ids else {}
        return {rid: {f"{self.key}_names": "、".join(names.get(a.user_id, "") for a in items if a.user_id)
                      or ("已编入" if any(a.group_id for a in items) else "")} for rid, items in found.items()}

    def _form(self, row: bool = False) -> list[dict]:
        source = f"get:{self.stage_def.api_prefix}/{self.path}/candidates"
        if self.role == "party_group":
            if row:  # the committee sees every branch: offer the groups of the person's own branch
                source += "?branch_id=${party_branch_id}"
            return [{"type": "select", "name": "group_id", "label": "党小组", "required": True, "source": source}]
        return [{"type": "select", "name": "user_ids", "label": self.label, "required": True, "searchable": True,
                 "multiple": True, "joinValues": False, "extractValue": True,
                 "source": source, "description": f"须为本支部正式党员，共{self.count}名" if self.count > 1 else "须为本支部正式党员"}]

    def row_actions(self) -> list[dict]:
        btn = dialog_button(f"指定{self.label}", f"指定{self.label} - ${{name}}", self._form(row=True), "", level="link",
                            visible_on=f"this.step === '{self.step}' && this.status === 'active'")
        btn["dialog"]["body"]["api"] = {"method": "post", "url": f"{self.stage_def.api_prefix}/{self.path}/assign",
                                        "data": {"&": "$$", "record_ids": ["${id}"]}}
        return [btn]

    def bulk_actions(self) -> list[dict]:
        btn = dialog_button(f"批量指定{self.label}", f"批量指定{self.label}", self._form(), "", level="default")
        btn["dialog"]["body"]["api"] = {"method": "post", "url": f"{self.stage_def.api_prefix}/{self.path}/assign",
                                        "data": {"&": "$$", "record_ids": "${ids|split}"}}
        return [btn]
