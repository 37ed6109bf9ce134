"""The training class after signup (DEV-9): 流转支部筛选, the branch's order and submission,
确认入选名单, 开始培训, 结束培训 and 确认培训结果 (结业 completes the person's training task).
Each action checks the class's state computed from times and moves the stored state with a
guarded UPDATE; batch writes are one statement whatever the number of people."""
from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import outbox
from core.auth import Actor
from core.errors import fail
from core.models import utcnow
from core.workflow import tasks as task_store
from core.workflow.components.training import TrainingService
from core.workflow.components.training_models import TrainingClass, TrainingQuota, TrainingSignup, class_state
from core.workflow.documents import Paper, record_documents
from core.workflow.models import DevelopmentRecord
from core.workflow.people import branch_admin_ids


async def to_screening(svc: TrainingService, session: AsyncSession, actor: Actor, c: TrainingClass) -> int:
    """流转支部筛选: once the signup deadline is reached; the branches with signups are told."""
    svc.require_committee(actor)
    state = class_state(c)
    if state in ("pending", "signup"):
        raise fail(409, "报名尚未截止，不能流转支部筛选")
    if state != "signup_closed":
        raise fail(409, "培训班已流转支部筛选" if c.state != "draft" else "培训班尚未发布")
    await svc.set_state(session, c, ("published",), "screening")
    branches = set((await session.execute(select(TrainingSignup.branch_id).where(
        TrainingSignup.class_id == c.id, TrainingSignup.status == "signed_up").distinct())).scalars())
    await outbox.notify(session, await branch_admin_ids(session, branches), f"{c.title}：请筛选报名名单",
                        "党委已流转支部筛选，请在“培训管理”中确认入选顺序并提交党委。", kind="todo",
                        link="/admin/#/admin/development/page/training", object_type="training_class", object_id=c.id,
                        sender_id=actor.id)
    return len(branches)


def branch_of(actor: Actor) -> int:
    if actor.scope != "branch" or actor.branch_id is None or not actor.can("dev.training.screen"):
        raise fail(403, "只有党支部可以筛选报名名单")
    return actor.branch_id


async def move(svc: TrainingService, session: AsyncSession, actor: Actor, c: TrainingClass, signup_id: int,
               direction: str) -> None:
    """上移/下移: swap a signup with its neighbour in the branch's order."""
    branch = branch_of(actor)
    await _open_quota(svc, session, c, branch)
    rows = [s for s, _ in await svc.signups(session, c.id, branch, ("signed_up",))]
    index = next((i for i, s in enumerate(rows) if s.id == signup_id), None)
    if index is None:
        raise fail(404, "报名记录不存在")
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(rows):
        raise fail(409, "已在最前，不能上移" if direction == "up" else "已在最后，不能下移")
    order = list(range(len(rows)))
    order[index], order[other] = order[other], order[index]
    table = TrainingSignup.__table__
    await session.execute(table.update().where(table.c.id == bindparam("sid")).values(sort=bindparam("pos")),
                          [{"sid": s.id, "pos": order[i]} for i, s in enumerate(rows)])


async def _open_quota(svc: TrainingService, session, c: TrainingClass, branch: int) -> TrainingQuota:
    if c.state != "screening":
        raise fail(409, "培训班不在支部筛选阶段")
    quota = await svc.quota_of(session, c.id, branch)
    if quota is None:
        raise fail(404, "培训班不存在或无权查看")
    if quota.submitted_at is not None:
        raise fail(409, "本支部已提交入选名单")
    return quota


async def submit(svc: TrainingService, session: AsyncSession, actor: Actor, c: TrainingClass) -> tuple[int, int]:
    """提交党委: the first ``quota`` in the branch's order are selected, the others not."""
    branch = branch_of(actor)
    quota = await _open_quota(svc, session, c, branch)
    rows = [s for s, _ in await svc.signups(session, c.id, branch, ("signed_up",))]
    chosen = {s.id for s in rows[:quota.quota]}
    table = TrainingSignup.__table__
    if rows:
        await session.execute(table.update().where(table.c.id == bindparam("sid")).values(status=bindparam("st"), updated_at=utcnow()),
                              [{"sid": s.id, "st": "selected" if s.id in chosen else "not_selected"} for s in rows])
    quota.submitted_at, quota.submitted_by = utcnow(), actor.id
    await session.flush()
    return len(chosen), len(rows) - len(chosen)


async def confirm(svc: TrainingService, session: AsyncSession, actor: Actor, c: TrainingClass) -> int:
    """确认入选名单: every branch with signups has submitted; people hear whether they were selected."""
    svc.require_committee(actor)
    if c.state != "screening":
        raise fail(409, "培训班不在支部筛选阶段")
    waiting = (await session.execute(
        select(TrainingSignup.branch_id).where(TrainingSignup.class_id == c.id, TrainingSignup.status == "signed_up")
        .distinct())).scalars().all()
    if waiting:
        names = await svc.branch_names(session, waiting)
        raise fail(409, f"以下党支部尚未提交入选名单：{'、'.join(names.get(b, str(b)) for b in waiting)}")
    await svc.set_state(session, c, ("screening",), "ready")
    rows = await svc.signups(session, c.id, None, ("selected", "not_selected"))
    selected = [u.id for s, u in rows if s.status == "selected"]
    await outbox.notify(session, selected, f"您已入选{c.title}", f"请按时参加培训。{('地点：' + c.place) if c.place else ''}",
                        kind="progress", link="/mp/training", object_type="training_class", object_id=c.id, sender_id=actor.id)
    await outbox.notify(session, [u.id for s, u in rows if s.status == "not_selected"], f"您未入选{c.title}",
                        "您可以报名参加之后的培训班。", kind="progress", link="/mp/training", object_type="training_class",
                        object_id=c.id, sender_id=actor.id)
    return len(selected)


async def start(svc: TrainingService, session: AsyncSession, actor: Actor, c: TrainingClass) -> None:
    svc.require_committee(actor)
    if c.state != "ready":
        raise fail(409, "请先确认入选名单" if c.state in ("published", "screening") else "培训班已开始")
    await svc.set_state(session, c, ("ready",), "training")
    rows = await svc.signups(session, c.id, None, ("selected",))
    await outbox.notify(session, [u.id for _, u in rows], f"{c.title}已开始培训", "请按时参加培训。", kind="notice",
                        link="/mp/training", object_type="training_class", object_id=c.id, sender_id=actor.id)


async def end(svc: TrainingService, session: AsyncSession, actor: Actor, c: TrainingClass) -> None:
    """结束培训 before the training window's end (after it the class has ended by itself)."""
    svc.require_committee(actor)
    state = class_state(c)
    if state != "training":
        raise fail(409, "培训班已结束" if state in ("ended", "finished") else "培训班尚未开始培训")
    await svc.set_state(session, c, ("training",), "ended", ended_at=utcnow())


async def results(svc: TrainingService, session: AsyncSession, engine, actor: Actor, c: TrainingClass,
                  items: list[dict]) -> tuple[int, int]:
    """确认培训结果: 结业 (with its date) or 未结业 for every selected person. 结业 completes the
    person's open training task where they still are; 未结业 leaves it open."""
    svc.require_committee(actor)
    if class_state(c) != "ended":
        raise fail(409, "培训班已确认培训结果" if c.state == "finished" else "培训结束后才能确认培训结果")
    rows = {s.id: (s, u) for s, u in await svc.signups(session, c.id, None, ("selected",))}
    given: dict[int, tuple[str, date | None]] = {}
    for item in items or []:
        sid, result, day = item.get("signup_id"), item.get("result"), item.get("result_date")
        if sid not in rows:
            raise fail(422, "结业名单中有未入选本培训班的人员", field="items", label="培训结果")
        if result not in ("passed", "failed"):
            raise fail(422, f"请选择{rows[sid][1].name}的结业情况", field="items", label="结业情况")
        if result == "passed" and day is None:
            raise fail(422, f"请填写{rows[sid][1].name}的结业时间", field="items", label="结业时间")
        if result == "passed" and day > engine.settings.local_today():
            raise fail(422, "结业时间不能晚于今天", field="items", label="结业时间")
        given[sid] = (result, day if result == "passed" else None)
    missing = [u.name for sid, (_, u) in rows.items() if sid not in given]
    if missing:
        raise fail(422, f"请确认以下人员的结业情况：{'、'.join(missing)}", field="items", label="结业情况")
    table = TrainingSignup.__table__
    if given:
        await session.execute(table.update().where(table.c.id == bindparam("sid"))
                              .values(result=bindparam("res"), result_date=bindparam("day"), updated_at=utcnow()),
                              [{"sid": sid, "res": r, "day": d} for sid, (r, d) in given.items()])
    passed = [rows[sid][0] for sid, (r, _) in given.items() if r == "passed"]
    await _complete_tasks(svc, session, engine, actor, c, passed, given)
    await svc.set_state(session, c, ("training", "ended"), "finished", results_at=utcnow())
    failed = [rows[sid][1].id for sid, (r, _) in given.items() if r == "failed"]
    await outbox.notify(session, [s.user_id for s in passed], f"{c.title}：结业", "您已结业，培训任务已完成。",
                        kind="progress", link="/mp/training", object_type="training_class", object_id=c.id, sender_id=actor.id)
    await outbox.notify(session, failed, f"{c.title}：未结业", "您未结业，请报名参加之后的培训班。", kind="progress",
                        link="/mp/training", object_type="training_class", object_id=c.id, sender_id=actor.id)
    return len(passed), len(failed)


async def _complete_tasks(svc, session, engine, actor, c: TrainingClass, passed: list[TrainingSignup], given) -> None:
    if not passed:
        return
    records = list((await session.execute(select(DevelopmentRecord).where(
        DevelopmentRecord.id.in_([s.record_id for s in passed]), DevelopmentRecord.status == "active"))).scalars())
    component = {(i.stage, i.step): i for i in svc.instances if i.class_type == c.class_type}
    by_task: dict[str, list[DevelopmentRecord]] = {}
    for r in records:
        mine = component.get((r.stage, r.step))
        if mine is not None:
            by_task.setdefault(mine.task, []).append(r)
    signup_of = {s.record_id: s for s in passed}
    for task, group in by_task.items():
        open_ = await task_store.first_open(session, group, task)
        group = [r for r in group if r.id in open_]
        if group:
            await engine.complete_tasks(session, actor, group, key=task,
                                        source=("training_class", {r.id: c.id for r in group}))
            await engine.note(session, actor, group, action="training_passed", title=f"{c.title}：结业")
            await record_documents(session, [Paper(r, "training_certificate", f"{c.title}结业", [],
                                                   given[signup_of[r.id].id][1], "training_class", c.id) for r in group],
                                   created_by=actor.id)


async def counts(session: AsyncSession, class_ids: list[int]) -> dict[int, dict[str, int]]:
    """Signups per class and status (one statement), for the list."""
    out: dict[int, dict[str, int]] = {i: {} for i in class_ids}
    if class_ids:
        for cid, status, n in (await session.execute(
                select(TrainingSignup.class_id, TrainingSignup.status, func.count()).where(TrainingSignup.class_id.in_(class_ids))
                .group_by(TrainingSignup.class_id, TrainingSignup.status))).all():
            out[cid][status] = n
    return out

