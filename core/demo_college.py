"""A living college for ``xianfeng demo`` (issue 16): students at every step of every stage
registered, moved there through the engine with dated milestones that keep the timing rules,
tasks partly done (so some are overdue), talks assigned, a training class open for signup, and
the messages those actions sent delivered, so the 工作台, the stage lists, the timelines and the
to-do lists all show data. Generic over the stage registry: a stage registered later gets
people without a change here.

Runs after every plugin's ``xf_demo`` (the people exist then); ``DemoContext.living`` False
(``xianfeng demo --bare``, the test suite's college) leaves the process empty.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from core import clock
from core.auth import load_actor
from core.models import Role, StudentProfile, User, UserRole
from core.workflow.engine import Engine
from core.workflow.models import DevelopmentRecord
from core.workflow.rules import configured_rules
from core.workflow.stages import STAGE_ORDER, StageRegistry

GAP_DAYS = 12  # between two steps of a person's history
SPARE = 0.2  # share of students left outside the process (they can still apply on the phone)


def path_of(registry: StageRegistry) -> list[tuple[str, str]]:
    """Every place a record can reach, in order: each declared step, up to the first stage
    without declared steps (its records wait at its start; nothing moves them further)."""
    out: list[tuple[str, str]] = []
    for key in STAGE_ORDER:
        steps = registry.stage(key).steps
        if not steps:
            return out + [(key, "")]
        out += [(key, s.key) for s in steps]
    return out


def milestones_of(registry: StageRegistry, stage: str, step: str) -> list[str]:
    step_def = registry.step(stage, step)
    return [m for c in (step_def.components if step_def else ()) if (m := getattr(c, "milestone", ""))]


def schedule(registry: StageRegistry, path: list[tuple[str, str]], target: int, rules, today: date,
             rng: random.Random) -> list[date]:
    """The day each step up to ``target`` was left: ``GAP_DAYS`` apart, pushed out where a
    minimum-interval rule (半年, 一年) needs it, ending a little before today."""
    days: list[int] = []
    dated: dict[str, int] = {}
    day = 0
    for i in range(target):
        day += GAP_DAYS + rng.randint(0, 6)
        for key in milestones_of(registry, *path[i]):
            for rule in rules:
                if rule.kind == "min" and rule.end == key and rule.start in dated:
                    day = max(day, dated[rule.start] + rule.days + 3)
        for key in milestones_of(registry, *path[i]):
            dated.setdefault(key, day)
        days.append(day)
    end = (days[-1] if days else 0) + rng.randint(3, 20)
    if target < len(path):  # staying at a step with quarterly tasks: some quarters have passed (some overdue)
        here = registry.step(*path[target])
        quarters = max((t.count for t in (here.tasks if here else ()) if t.every == "quarter"), default=0)
        end += rng.randint(30, 90 * quarters + 30) if quarters else 0
    return [today - timedelta(days=end - d) for d in days]


async def _students(session) -> list[tuple[User, StudentProfile]]:
    """Demo students who may apply: complete profile, not party members, no record yet."""
    return list((await session.execute(
        select(User, StudentProfile).join(StudentProfile, StudentProfile.user_id == User.id)
        .join(UserRole, UserRole.user_id == User.id).join(Role, Role.id == UserRole.role_id)
        .where(Role.key == "student", StudentProfile.complete.is_(True), User.deleted_at.is_(None),
               StudentProfile.political_status.not_in(("中共党员", "中共预备党员")),
               ~User.id.in_(select(DevelopmentRecord.user_id))).order_by(User.id))).all())


async def _committee_actor(session):
    uid = (await session.execute(select(User.id).join(UserRole, UserRole.user_id == User.id)
                                 .join(Role, Role.id == UserRole.role_id).where(Role.key == "committee")
                                 .order_by(User.id).limit(1))).scalar_one_or_none()
    return await load_actor(session, uid) if uid else None


async def _clear_tasks(session, engine: Engine, actor, records: list[DevelopmentRecord], step_def, keep_open: bool,
                       rng: random.Random) -> None:
    """Do the step's tasks (all of them to leave it; only the first periods for those who stay)."""
    for spec in step_def.tasks:
        periods = spec.periods if not keep_open else rng.randint(0, max(spec.periods - 2, 0))
        for _ in range(periods):
            open_ = [r for r in records if spec.when is None or spec.when(r)]
            if not open_:
                break
            from core.workflow import tasks as task_store

            have = await task_store.first_open(session, open_, spec.key)
            todo = [r for r in open_ if r.id in have]
            if todo:
                await engine.complete_tasks(session, actor, todo, key=spec.key, source=("demo", None))


async def populate(session, settings, plugins, demo) -> dict:
    """Move the spare students along the path; returns how many were placed per place."""
    engine = Engine(StageRegistry(plugins.collect("xf_stages"), plugins.collect("xf_extra_steps")), plugins, settings)
    registry = engine.registry
    actor = await _committee_actor(session)
    people = await _students(session)
    path = path_of(registry)
    if actor is None or not people or not path:
        return {}
    rng = random.Random(20261128)
    rules = configured_rules(settings)
    today = clock.local_today()
    # target index per person: every place gets someone before any gets a second
    placed = people[: max(len(path), int(len(people) * (1 - SPARE)))]
    targets: dict[int, int] = {u.id: i % len(path) for i, (u, _) in enumerate(placed)}
    dates = {u.id: schedule(registry, path, targets[u.id], rules, today, rng) for u, _ in placed}
    users = [u for u, _ in placed]
    records = await engine.start(session, actor, users, stage=path[0][0], title="递交入党申请书（演示）",
                                 milestones={u.id: {} for u in users})
    by_user = {r.user_id: r for r in records}
    for i, (stage, step) in enumerate(path):
        moving = [by_user[u.id] for u in users if targets[u.id] > i]
        staying = [by_user[u.id] for u in users if targets[u.id] == i]
        step_def = registry.step(stage, step)
        if step_def is None:
            break  # a stage without steps: everyone past here waits at its start
        if step_def.tasks:
            await _clear_tasks(session, engine, actor, moving, step_def, False, rng)
            await _clear_tasks(session, engine, actor, staying, step_def, True, rng)
        if not moving:
            continue
        keys = milestones_of(registry, stage, step)
        milestones = {r.user_id: {k: dates[r.user_id][i] for k in keys} for r in moving}
        await engine.advance(session, actor, [r.id for r in moving], stage=stage, step=step, milestones=milestones)
        await session.flush()
    # a few people failed at their step, as happens (they can be re-developed)
    failing = [by_user[u.id] for u in users if targets[u.id] > 0 and rng.random() < 0.05]
    for r in failing:
        step_def = registry.step(r.stage, r.step)
        if step_def is not None and r.status == "active" and "fail" in step_def.allowed():
            await engine.fail(session, actor, [r.id], stage=r.stage, step=r.step)
    await session.flush()
    counts: dict[str, int] = {}
    for stage, step in path:
        counts[f"{stage}.{step}"] = sum(1 for u in users if path[targets[u.id]] == (stage, step))
    demo.shared["development"] = {"records": len(records), "places": counts}
    fresh = (await session.execute(select(DevelopmentRecord).where(DevelopmentRecord.id.in_([r.id for r in records]))
                                   .execution_options(populate_existing=True))).scalars()
    await _extras(session, engine, actor, {r.user_id: r for r in fresh}, settings, rng)
    return counts


async def _extras(session, engine: Engine, actor, by_user: dict[int, DevelopmentRecord], settings, rng) -> None:
    """What the people at their steps are waiting for: talks assigned to the branch's party
    members, a training class open for signup."""
    from core.workflow.components.talk import TalkComponent
    from core.workflow.components.training import TrainingComponent, TrainingService

    registry = engine.registry
    members: dict[int, list[int]] = {}
    for uid, branch in (await session.execute(
            select(User.id, User.party_branch_id).join(StudentProfile, StudentProfile.user_id == User.id)
            .where(StudentProfile.political_status == "中共党员", User.deleted_at.is_(None)))).all():
        members.setdefault(branch, []).append(uid)
    now = clock.local_now().replace(tzinfo=None, second=0, microsecond=0)
    for st in registry.stages.values():
        for s in st.steps:
            for c in s.components:
                if not isinstance(c, TalkComponent) or c.task:
                    continue
                waiting = [r for r in by_user.values() if (r.stage, r.step, r.status) == (st.key, s.key, "active")]
                users = {u.id: u for u in (await session.execute(
                    select(User).where(User.id.in_([r.user_id for r in waiting])))).scalars()}
                for branch, talkers in members.items():
                    mine = [r.id for r in waiting if users[r.user_id].party_branch_id == branch]
                    if mine and talkers:
                        await c.assign(session, engine, actor, mine, talker_id=talkers[0],
                                       deadline=now + timedelta(days=rng.randint(5, 25)))
    await _papers(session, engine, actor, by_user, settings, rng)
    trainings = [c for st in registry.stages.values() for s in st.steps for c in s.components
                 if isinstance(c, TrainingComponent)]
    branches = [b for b in members if b is not None]
    if trainings and branches:
        svc = TrainingService(trainings)
        for c in {t.class_type: t for t in trainings}.values():
            start = now - timedelta(days=1)
            await svc.save(session, actor, None, class_type=c.class_type, title=f"{today_year()}年{c.title}（第一期）",
                           intro="学习党章、党的基本理论和党的优良传统作风。", place="学院报告厅",
                           signup_start=start, signup_end=now + timedelta(days=10), train_start=now + timedelta(days=14),
                           train_end=now + timedelta(days=16), quotas=[{"branch_id": b, "quota": 10} for b in branches],
                           publish=True)
    await _meeting(session, engine, actor, branches, now)


def _scan() -> bytes:
    """A small picture standing for a scanned paper (the demo's letters and reports)."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (120, 160), (250, 250, 245)).save(buf, format="PNG")
    return buf.getvalue()


async def _papers(session, engine: Engine, actor, by_user: dict[int, DevelopmentRecord], settings, rng) -> None:
    """Papers waiting for review, handed in by the branch for the people at a step whose
    component reviews a submission (入党申请书, 推优登记表, this quarter's 思想汇报): the
    branch's 审核 to-dos and the materials in the detail dialogs."""
    from fastapi import HTTPException

    from core.files import store_bytes
    from core.workflow.components.review import ReviewComponent

    picture = _scan()
    users = {u.id: u for u in (await session.execute(select(User).where(User.id.in_(list(by_user))))).scalars()}
    today = clock.local_today()
    for st in engine.registry.stages.values():
        for s in st.steps:
            for c in s.components:
                if not isinstance(c, ReviewComponent):
                    continue
                for r in [r for r in by_user.values() if (r.stage, r.step, r.status) == (st.key, s.key, "active")]:
                    if rng.random() < 0.3:
                        continue  # not everyone has handed it in yet
                    f = await store_bytes(session, settings, picture, name=f"{c.title}.png", owner_id=actor.id,
                                          subject_user_id=r.user_id, purpose=c.kind)
                    await session.flush()
                    try:
                        await c.submit(session, engine, actor, r, users[r.user_id], files=[f.token],
                                       signed_date=today - timedelta(days=rng.randint(1, 10)), by_proxy=True)
                    except HTTPException:
                        continue  # nothing to hand in now (e.g. this quarter's report not open yet)


async def _meeting(session, engine: Engine, actor, branches: list[int], now) -> None:
    """An organisation-life meeting (组织生活, 党课) of the first branch, published, when a stage
    registers the meeting component (its attendees are told and see it on the phone)."""
    from core.workflow.components.general_meeting import GeneralMeeting
    from core.workflow.components.general_meeting_life import MeetingValues, OrgLife

    uses = [c for st in engine.registry.stages.values() for s in st.steps for c in s.components
            if isinstance(c, GeneralMeeting)]
    if not uses or not branches:
        return
    life = OrgLife(uses)
    start = now + timedelta(days=3)
    b = await life.create(session, actor, MeetingValues(type="lecture", title="主题党课：学习党章", start_at=start,
                                                        end_at=start + timedelta(hours=2), place="学院会议室",
                                                        host="支部书记", scope="branch", content="学习《中国共产党章程》。"),
                          branch_id=sorted(branches)[0])
    await life.publish(session, engine, actor, b)


def today_year() -> int:
    return clock.local_today().year


async def deliver(session, plugins) -> int:
    """Deliver the messages the demo's actions queued (no worker runs during ``xianfeng demo``)."""
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from core import outbox

    await session.commit()
    result = await outbox.deliver_pending(async_sessionmaker(session.bind, expire_on_commit=False),
                                          plugins.collect("xf_channels"))
    return int(result.get("delivered", 0))
