"""The 工作台's figures (issue 16), read over the stage registry so a stage registered later
shows up without a change here: people per branch, stage and step; timing-rule lights; the
training classes and their fill. Overdue items are in ``dashboard_overdue.py``; the typed
answer and the route in ``dashboard_api.py``.

Every figure is one grouped statement over the actor's scope (the committee: the college; a
branch admin: its branch), so the page costs the same few statements for 100 or 10,000
students (``make bench``: ``dashboard_committee_ms``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy import String, and_, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Actor, scope_condition
from core.models import User
from core.workflow.models import DevelopmentRecord
from core.workflow.rules import configured_rules
from core.workflow.stages import STAGE_ORDER, StageRegistry

WAIT = ""  # the step of a record waiting at the start of a stage whose plugin is not installed
FAILED = "__failed"  # the column of a stage's failed records
YELLOW_DAYS = 7  # a deadline rule (谈话 within a month of the letter) turns yellow this close to its end
NO_BRANCH = 0  # people without a party branch


@dataclass
class Column:
    stage: str
    step: str  # a step key, WAIT or FAILED
    title: str
    stage_title: str


@dataclass
class BranchCounts:
    branch_id: int
    name: str
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    done: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values()) + self.done


def admin_href(path: str, **query) -> str:
    """An in-app link of the admin (hash router), with its query string."""
    q = urlencode({k: v for k, v in query.items() if v not in (None, "")})
    return f"/admin/#{path}{'?' + q if q else ''}"


def stage_link(registry: StageRegistry, stage: str, step: str, branch_id: int | None) -> str:
    st = registry.stage(stage)
    status = "failed" if step == FAILED else "active"
    return admin_href(st.page_url, branch_id=branch_id if branch_id else None,
                      step=step if step not in (WAIT, FAILED) else None, status=status)


async def branch_names(registry: StageRegistry, session: AsyncSession, ids) -> dict[int, str]:
    """Names of party branches from the stage plugins' ``branch_names`` (org_mgmt knows them;
    the core does not import it)."""
    ids = sorted({i for i in ids if i})
    for st in registry.stages.values():
        for s in st.steps:
            for c in s.components:
                names = getattr(c, "branch_names", None)
                if names and ids:
                    return await names(session, ids)
    return {}


def columns_of(registry: StageRegistry) -> list[Column]:
    """The table's columns, fixed by the registry (the page is built from them): every step of
    every stage in order, a 待开展 column for a stage without declared steps (its records wait
    at its start), and a 不通过 column per stage."""
    columns: list[Column] = []
    for stage_key in STAGE_ORDER:
        st = registry.stage(stage_key)
        if not st.steps:
            columns.append(Column(stage_key, WAIT, "待开展", st.title))
        columns += [Column(stage_key, s.key, s.title, st.title) for s in st.steps]
        columns.append(Column(stage_key, FAILED, "不通过", st.title))
    return columns


async def stage_counts(session: AsyncSession, registry: StageRegistry, actor: Actor) -> tuple[list[Column], list[BranchCounts]]:
    """The columns and one row per branch the actor reaches (a record at a step no longer
    declared counts in its stage's first column)."""
    rows = (await session.execute(
        select(User.party_branch_id, DevelopmentRecord.stage, DevelopmentRecord.step, DevelopmentRecord.status, func.count())
        .join(User, User.id == DevelopmentRecord.user_id)
        .where(User.deleted_at.is_(None), scope_condition(actor))
        .group_by(User.party_branch_id, DevelopmentRecord.stage, DevelopmentRecord.step, DevelopmentRecord.status))).all()
    columns = columns_of(registry)
    known = {(c.stage, c.step) for c in columns}
    first = {c.stage: c.step for c in reversed(columns)}
    branches: dict[int, BranchCounts] = {}
    for branch, stage, step, status, n in rows:
        b = branches.setdefault(branch or NO_BRANCH, BranchCounts(branch or NO_BRANCH, ""))
        if status == "done":
            b.done += n
            continue
        key = (stage, FAILED if status == "failed" else step)
        if key not in known:
            key = (stage, first.get(stage, WAIT))
        b.counts[key] = b.counts.get(key, 0) + n
    if actor.scope == "branch" and actor.branch_id is not None:
        branches.setdefault(actor.branch_id, BranchCounts(actor.branch_id, ""))
    names = await branch_names(registry, session, branches)
    for b in branches.values():
        b.name = names.get(b.branch_id, "未关联党支部" if b.branch_id == NO_BRANCH else f"党支部{b.branch_id}")
    return columns, sorted(branches.values(), key=lambda b: (b.branch_id == NO_BRANCH, b.name, b.branch_id))


@dataclass
class Light:
    record_id: int
    user_id: int
    name: str
    branch_id: int | None
    stage: str
    step: str
    color: str  # red | yellow
    reason: str


async def timing_lights(session: AsyncSession, settings, actor: Actor, today: date,
                        active: int | None = None) -> tuple[dict[str, int], list[Light]]:
    """Red: a timing rule already breached (recorded on the record) or a deadline rule past its
    end with the later date still missing; yellow: such a deadline within ``YELLOW_DAYS``;
    green: every other active record. Only the candidates are read (breaches recorded, or a
    deadline rule's start old enough and its end missing): ISO dates compare as text, so the
    filter runs in SQL on SQLite and PostgreSQL alike. ``active``: the number of active records
    when the caller counted them already (the 工作台 did, per branch and step)."""
    deadlines = [r for r in configured_rules(settings) if r.kind == "max"]
    m = DevelopmentRecord.milestones
    near = [and_(m[r.start].as_string() <= (today - timedelta(days=r.days - YELLOW_DAYS)).isoformat(),
                 m[r.end].as_string().is_(None)) for r in deadlines]
    base = (select().select_from(DevelopmentRecord).join(User, User.id == DevelopmentRecord.user_id)
            .where(DevelopmentRecord.status == "active", User.deleted_at.is_(None), scope_condition(actor)))
    if active is None:
        active = (await session.execute(base.add_columns(func.count()))).scalar_one()
    rows = (await session.execute(
        base.add_columns(DevelopmentRecord.id, DevelopmentRecord.user_id, DevelopmentRecord.stage, DevelopmentRecord.step,
                         DevelopmentRecord.milestones, DevelopmentRecord.warnings, User.name, User.party_branch_id)
        .where(or_(cast(DevelopmentRecord.warnings, String) != "[]", *near)))).all()
    counts = {"red": 0, "yellow": 0, "green": active}
    lights: list[Light] = []
    for rid, uid, stage, step, milestones, warnings, name, branch in rows:
        color, reason = "green", ""
        if warnings:
            color, reason = "red", "；".join(str(w) for w in warnings)
        else:
            for rule in deadlines:
                start, end = (milestones or {}).get(rule.start), (milestones or {}).get(rule.end)
                if not start or end:
                    continue
                due = date.fromisoformat(start[:10]) + timedelta(days=rule.days)
                if today > due:
                    color, reason = "red", f"{rule.title}：已超过期限（{due.isoformat()}）"
                    break
                if (due - today).days <= YELLOW_DAYS and color == "green":
                    color, reason = "yellow", f"{rule.title}：请在{due.isoformat()}前完成"
        if color != "green":
            counts[color] += 1
            counts["green"] -= 1
            lights.append(Light(rid, uid, name, branch, stage, step, color, reason))
    lights.sort(key=lambda x: (x.color != "red", x.record_id))
    return counts, lights


@dataclass
class ClassFill:
    id: int
    title: str
    type_title: str
    state: str
    state_label: str
    train_start: datetime
    quota: int
    signed_up: int
    selected: int
    passed: int


async def training_fill(session: AsyncSession, registry: StageRegistry, actor: Actor, now: datetime,
                        limit: int = 10) -> list[ClassFill]:
    """Classes not finished (newest first): the quota (the branch's own for a branch admin),
    signups and selected people (of the branch for a branch admin)."""
    from core.workflow.components.training import TrainingComponent
    from core.workflow.components.training_models import STATE_LABELS, TrainingClass, TrainingQuota, TrainingSignup, class_state

    types = {c.class_type: c.title for st in registry.stages.values() for s in st.steps for c in s.components
             if isinstance(c, TrainingComponent)}
    q = select(TrainingClass).where(TrainingClass.state != "finished").order_by(TrainingClass.train_start.desc()).limit(limit)
    if actor.scope != "all":
        q = q.where(TrainingClass.state != "draft", TrainingClass.id.in_(
            select(TrainingQuota.class_id).where(TrainingQuota.branch_id == actor.branch_id)))
    classes = list((await session.execute(q)).scalars())
    if not classes:
        return []
    ids = [c.id for c in classes]
    own = (lambda col: col == actor.branch_id) if actor.scope != "all" else (lambda col: col.is_not(None) | col.is_(None))
    quota = dict((await session.execute(select(TrainingQuota.class_id, func.sum(TrainingQuota.quota))
                                        .where(TrainingQuota.class_id.in_(ids), own(TrainingQuota.branch_id))
                                        .group_by(TrainingQuota.class_id))).all())
    signups: dict[int, dict[str, int]] = {i: {} for i in ids}
    for cid, status, result, n in (await session.execute(
            select(TrainingSignup.class_id, TrainingSignup.status, TrainingSignup.result, func.count())
            .where(TrainingSignup.class_id.in_(ids), own(TrainingSignup.branch_id))
            .group_by(TrainingSignup.class_id, TrainingSignup.status, TrainingSignup.result))).all():
        counts = signups[cid]
        counts[status] = counts.get(status, 0) + n
        if result == "passed":
            counts["passed"] = counts.get("passed", 0) + n
    out = []
    for c in classes:
        s = signups[c.id]
        state = class_state(c, now)
        out.append(ClassFill(c.id, c.title, types.get(c.class_type, c.class_type), state, STATE_LABELS.get(state, state),
                             c.train_start, int(quota.get(c.id) or 0), s.get("signed_up", 0) + s.get("selected", 0)
                             + s.get("not_selected", 0), s.get("selected", 0), s.get("passed", 0)))
    return out
