"""What is overdue right now, over whatever stages are registered (issue 16, 工作台).

Four kinds, each read from the component tables the registry's steps use, never from a
stage's name:

- ``task``: an open required task of the record's current step past its due time (a quarter's
  思想汇报 or 季度谈话, an autobiography) — reminded to the student;
- ``talk``: a talk still to be held (待安排 / 已安排) past its deadline — reminded to the talker;
- ``publicity``: a publicity whose period ended and which is not completed — reminded to the
  branch's admins (the committee's own publicities: to the committee);
- ``filing``: a 备案 / 预审 / 审批 submitted and waiting for the committee — reminded to the
  committee.

The dashboard shows the counts and the soonest items; the daily job (core/dashboard_jobs.py)
reads the same ``Overdue`` lists with ``recipients`` to send reminders, so what the page says
is overdue is exactly what is reminded.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, false, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from core import clock
from core.auth import Actor, scope_condition
from core.models import User
from core.workflow.components.filing import Filing
from core.workflow.components.publicity import PublicityComponent
from core.workflow.components.talk import Talk, TalkComponent
from core.workflow.models import Assignment, Batch, DevelopmentRecord, Task
from core.workflow.people import committee_ids
from core.workflow.stages import StageRegistry

TALK_LATE = ("assigned", "scheduled")  # not yet held: the talker is late (submitted waits for the branch)
CHUNK = 5000
CATEGORY_LABELS = {"task": "任务逾期", "talk": "谈话逾期", "publicity": "公示待完成", "filing": "待党委审批/备案"}


@dataclass
class OverdueItem:
    category: str  # task | talk | publicity | filing
    key: str  # unique per object: "task:12", "talk:5", "publicity:3" (the reminder's item)
    label: str  # what kind of thing (思想汇报, 入党申请人谈话, 入党申请人公示, 入党积极分子备案)
    title: str  # the line shown and sent
    branch_id: int | None
    due_at: datetime | None  # naive UTC
    link: str  # in-app admin path
    recipients: list[int] = field(default_factory=list)
    notice: str = ""  # the reminder's title (what the recipients read)
    object_type: str = ""
    object_id: int | None = None


@dataclass
class OverdueGroup:
    category: str
    label: str
    count: int
    link: str


@dataclass
class Overdue:
    groups: list[OverdueGroup]
    items: list[OverdueItem]  # the soonest ``limit`` of each category (all with limit=None)


def components(registry: StageRegistry, cls) -> list:
    return [c for st in registry.stages.values() for s in st.steps for c in s.components if isinstance(c, cls)]


def _task_labels(registry: StageRegistry) -> dict[tuple[str, str, str], str]:
    return {(st.key, s.key, t.key): t.title for st in registry.stages.values() for s in st.steps for t in s.tasks}


def _branch_cond(actor: Actor | None, col):
    """Batches of a branch: the committee sees all, a branch admin its own (None: the job, all)."""
    if actor is None or actor.scope == "all":
        return true()
    if actor.scope == "branch" and actor.branch_id is not None:
        return col == actor.branch_id
    return false()


def _people_cond(actor: Actor | None):
    return User.deleted_at.is_(None) if actor is None else and_(User.deleted_at.is_(None), scope_condition(actor))


async def _assignees(session, record_ids: set[int]) -> dict[tuple[int, str], list[int]]:
    """Current assignees per (record, role): talker, contact, introducers."""
    out: dict[tuple[int, str], list[int]] = {}
    ids = sorted(record_ids)
    for start in range(0, len(ids), CHUNK):  # bound the statement's parameters (the daily job reads all)
        for rid, role, uid in (await session.execute(
                select(Assignment.record_id, Assignment.role, Assignment.user_id).where(
                    Assignment.record_id.in_(ids[start:start + CHUNK]), Assignment.until.is_(None),
                    Assignment.user_id.is_not(None)))).all():
            out.setdefault((rid, role), []).append(uid)
    return out


async def overdue_tasks(session, registry, actor, now, limit) -> tuple[list[OverdueGroup], list[OverdueItem]]:
    at_step = and_(DevelopmentRecord.id == Task.record_id, DevelopmentRecord.stage == Task.stage,
                   DevelopmentRecord.step == Task.step, DevelopmentRecord.status == "active")
    cond = and_(Task.status == "open", Task.required.is_(True), Task.due_at < now, _people_cond(actor))
    base = select().select_from(Task).join(DevelopmentRecord, at_step).join(User, User.id == DevelopmentRecord.user_id).where(cond)
    labels = _task_labels(registry)
    groups = []
    for stage, step, key, n in (await session.execute(
            base.add_columns(Task.stage, Task.step, Task.key, func.count()).group_by(Task.stage, Task.step, Task.key)
            .order_by(Task.stage, Task.step, Task.key))).all():
        page = registry.stage(stage).page_url if stage in registry.stages else "/admin/"
        groups.append(OverdueGroup("task", labels.get((stage, step, key), key), n, f"{page}?step={step}"))
    q = base.add_columns(Task.id, Task.record_id, Task.stage, Task.step, Task.key, Task.title, Task.due_at, User.id,
                         User.name, User.party_branch_id).order_by(Task.due_at, Task.id)
    rows = (await session.execute(q.limit(limit) if limit else q)).all()
    # A task a talk completes (季度谈话, TalkComponent in task mode) is the talker's to do, not the student's.
    talk_roles = {(c.stage, c.step, c.task): c for c in components(registry, TalkComponent) if c.task}
    holders = await _assignees(session, {r.record_id for r in rows if (r.stage, r.step, r.key) in talk_roles})
    items = []
    for tid, rid, stage, step, key, title, due, uid, name, branch in rows:
        page = registry.stage(stage).page_url if stage in registry.stages else "/admin/"
        talk = talk_roles.get((stage, step, key))
        if talk is None:
            to, notice = [uid], f"您的{title}已超过截止时间（{clock.fmt(due)}），请尽快完成"
        else:
            to, notice = holders.get((rid, talk.role), []), f"与{name}的{title}已超过截止时间（{clock.fmt(due)}），请尽快开展"
        items.append(OverdueItem("task", f"task:{tid}", labels.get((stage, step, key), key), f"{name}：{title}未完成",
                                 branch, due, f"{page}?step={step}", to, notice, "dev_task", tid))
    return groups, items


async def overdue_talks(session, registry, actor, now, limit) -> tuple[list[OverdueGroup], list[OverdueItem]]:
    kinds = {c.kind: c for c in components(registry, TalkComponent)}
    if not kinds:
        return [], []
    at_step = and_(DevelopmentRecord.id == Talk.record_id, DevelopmentRecord.status == "active")
    cond = and_(Talk.kind.in_(list(kinds)), Talk.status.in_(TALK_LATE), Talk.deadline < now, _people_cond(actor))
    base = select().select_from(Talk).join(DevelopmentRecord, at_step).join(User, User.id == Talk.user_id).where(cond)
    # A talk counts while its record is at the talk's step (a record that moved on left it behind).
    rows = (await session.execute(base.add_columns(Talk.id, Talk.kind, Talk.role, Talk.record_id, Talk.deadline,
                                                   DevelopmentRecord.stage, DevelopmentRecord.step, User.name,
                                                   User.party_branch_id).order_by(Talk.deadline, Talk.id))).all()
    rows = [r for r in rows if (kinds[r.kind].stage, kinds[r.kind].step) == (r.stage, r.step)]
    talkers = await _assignees(session, {r.record_id for r in rows})
    counts: dict[str, int] = {}
    items = []
    for r in rows:
        c = kinds[r.kind]
        counts[r.kind] = counts.get(r.kind, 0) + 1
        if limit is None or len(items) < limit:
            items.append(OverdueItem("talk", f"talk:{r.id}", c.title, f"{r.name}：{c.title}已过截止时间尚未谈话",
                                     r.party_branch_id, r.deadline, f"{c.stage_def.page_url}?step={c.step}",
                                     talkers.get((r.record_id, r.role), []),
                                     f"与{r.name}的{c.title}已超过截止时间（{clock.fmt(r.deadline)}），请尽快安排谈话",
                                     "talk", r.id))
    groups = [OverdueGroup("talk", kinds[k].title, n, f"{kinds[k].stage_def.page_url}?step={kinds[k].step}")
              for k, n in counts.items()]
    return groups, items


async def _batches(session, actor, cohorts: dict, cond, limit) -> list[tuple[Batch, object]]:
    if not cohorts:
        return []
    q = select(Batch).where(Batch.kind.in_(list(cohorts)), cond, _branch_cond(actor, Batch.branch_id)).order_by(
        Batch.end_at, Batch.id)
    return [(b, cohorts[b.kind]) for b in (await session.execute(q)).scalars()]


async def overdue_cohorts(session, registry, actor, now, limit) -> tuple[list[OverdueGroup], list[OverdueItem]]:
    from core.workflow.components.filing_page import page_path as filing_path
    from core.workflow.components.publicity_page import publicity_page_path

    groups, items = [], []
    publicities = {c.kind: c for c in components(registry, PublicityComponent)}
    ended = (Batch.state == "published") & (Batch.end_at <= now)
    found = await _batches(session, actor, publicities, ended, limit)
    filings = {c.kind: c for c in components(registry, Filing) if c.committee_decides}
    found += await _batches(session, actor, filings, Batch.state == "submitted", limit)
    committee: list[int] | None = None
    admins: dict[int, list[int]] = {}
    branches = {b.branch_id for b, _ in found if b.branch_id is not None}
    if branches:
        from core.models import Role, UserRole

        for uid, bid in (await session.execute(
                select(User.id, User.party_branch_id).join(UserRole, UserRole.user_id == User.id)
                .join(Role, Role.id == UserRole.role_id)
                .where(Role.key == "branch_admin", User.party_branch_id.in_(branches), User.deleted_at.is_(None)))).all():
            admins.setdefault(bid, []).append(uid)
    counts: dict[tuple[str, str], list] = {}
    for b, c in found:
        is_filing = isinstance(c, Filing)
        category = "filing" if is_filing else "publicity"
        link = f"/admin/development/page{filing_path(c) if is_filing else publicity_page_path(c)}"
        label = c.form_title if is_filing else c.title
        counts.setdefault((category, label), [0, link])[0] += 1
        if is_filing or b.branch_id is None:
            committee = committee if committee is not None else await committee_ids(session)
            to = committee
        else:
            to = admins.get(b.branch_id, [])
        what = f"{b.title or label}：已提交，等待学院党委{c.word}" if is_filing else f"{b.title or label}：公示期已结束，请完成公示"
        submitted = (b.data or {}).get("submitted_at") if is_filing else None
        due = clock.to_utc(datetime.fromisoformat(submitted)) if submitted else (None if is_filing else b.end_at)
        if limit is None or sum(1 for i in items if i.category == category) < limit:
            items.append(OverdueItem(category, f"{category}:{b.id}", label, what, b.branch_id, due, link, list(to), what,
                                     category, b.id))
    groups = [OverdueGroup(cat, label, n, link) for (cat, label), (n, link) in counts.items()]
    return groups, items


async def overdue(session: AsyncSession, registry: StageRegistry, actor: Actor | None, now: datetime,
                  limit: int | None = 20) -> Overdue:
    """Everything overdue the actor reaches (``actor`` None: the whole college, for the daily job)."""
    groups, items = [], []
    for part in (overdue_tasks, overdue_talks, overdue_cohorts):
        g, i = await part(session, registry, actor, now, limit)
        groups += g
        items += i
    return Overdue(groups, items)
