"""What a ``TalkComponent`` mounts: PC routes (talkers, assign, proxy, confirm, review), the
talker's MP routes shared by every talk of the process (one list, paged), list columns,
row and batch actions and to-do items."""

from datetime import date, datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import Integer, String, and_, bindparam, exists, func, literal, select, union_all

from core.amis_crud import dialog_button
from core.auth import Requires, scope_condition
from core.db import SessionDep
from core.errors import fail
from core.models import StudentProfile, User
from core.responses import Envelope, Option, Options, Page, PagingDep, count_of, ok
from core.todos import TodoItems, soonest
from core.workflow import own_record, tasks as task_store
from core.workflow.components.base import ListColumn
from core.workflow.components.review_kit import many, one, review_form
from core.workflow.components.talk import FORMAL_MEMBER, OPEN, Talk, TalkOut, TalkTodo
from core.workflow.deps import EngineDep
from core.workflow.kit import todo
from core.workflow.models import Assignment, DevelopmentRecord, Task
from core.workflow.schemas import CountOut, Decision, RecordRef
from core.workflow.stage_list import detail_block


class AssignIn(BaseModel):
    record_ids: list[int] = Field(min_length=1, title="谈话对象")
    talker_id: int = Field(title="谈话人")
    deadline: datetime = Field(title="谈话记录截止提交时间")


class ProxyTalkIn(BaseModel):
    record_id: int = Field(title="发展记录")
    place: str = Field(min_length=1, max_length=200, title="谈话地点")
    scheduled_at: datetime = Field(title="谈话时间")
    content: str = Field(min_length=1, max_length=5000, title="谈话记录")
    talk_date: date = Field(title="谈话日期")


class ScheduleIn(BaseModel):
    place: str = Field(min_length=1, max_length=200, title="谈话地点")
    scheduled_at: datetime = Field(title="谈话时间")


class TalkRecordIn(BaseModel):
    content: str = Field(min_length=1, max_length=5000, title="谈话记录")
    talk_date: date = Field(title="谈话日期")


class OpenTalkIn(BaseModel):
    kind: str = Field(max_length=40, title="谈话类型")
    record_id: int = Field(title="发展记录")


class TalkDone(BaseModel):
    msg: str
    talk: TalkOut


def talkers_route(c, router: APIRouter) -> None:
    """``GET /talkers``: the formal members who may talk, once per stage (every talk shares it)."""
    if any(r.path == f"{router.prefix}/talkers" for r in router.routes):
        return
    actor_ = Requires(c.permission)

    @router.get("/talkers", response_model=Envelope[Options], summary="可担任谈话人的正式党员")
    async def talkers(session: SessionDep, actor: actor_):
        q = (select(User).join(StudentProfile, StudentProfile.user_id == User.id)
             .where(StudentProfile.political_status == FORMAL_MEMBER, User.deleted_at.is_(None), scope_condition(actor)))
        users = (await session.execute(q.order_by(User.name).limit(500))).scalars().all()
        return ok({"options": [Option(label=f"{u.name}（{u.student_no or u.username}）", value=u.id) for u in users]})


def pc_routes(c, router: APIRouter) -> None:
    p = f"/{c.path}"
    actor_ = Requires(c.permission)
    talkers_route(c, router)

    @router.post(f"{p}/assign", response_model=Envelope[CountOut], summary=f"指派{c.title}谈话人（单个或批量）")
    async def assign(body: AssignIn, session: SessionDep, engine: EngineDep, actor: actor_):
        await c.assign(session, engine, actor, body.record_ids, talker_id=body.talker_id, deadline=body.deadline)
        await session.commit()
        return ok({"count": len(body.record_ids)}, "已指派谈话人，并通知谈话人安排谈话")

    @router.post(f"{p}/proxy", response_model=Envelope[TalkOut], summary="上传谈话（代理填写谈话记录）")
    async def proxy(body: ProxyTalkIn, session: SessionDep, engine: EngineDep, actor: actor_):
        talk = await c.proxy_fill(session, engine, actor, body.record_id, place=body.place, when=body.scheduled_at,
                                  content=body.content, talk_date=body.talk_date)
        await session.commit()
        return ok((await c.out(session, [talk]))[0], "谈话记录已保存，请点击“确认谈话”完成上传")

    @router.post(f"{p}/confirm", response_model=Envelope[TalkOut], summary="确认谈话")
    async def confirm(body: RecordRef, session: SessionDep, engine: EngineDep, actor: actor_):
        talk = await c.confirm_proxy(session, engine, actor, body.record_id)
        await session.commit()
        return ok((await c.out(session, [talk]))[0], "已确认谈话，等待审核谈话记录")

    @router.post(f"{p}/review", response_model=Envelope[CountOut], summary="审核谈话记录（单个或批量）")
    async def review(body: Decision, session: SessionDep, engine: EngineDep, actor: actor_):
        await c.review(session, engine, actor, body.record_ids, approve=body.approve, reason=body.reason)
        await session.commit()
        return ok({"count": len(body.record_ids)}, "审核通过" if body.approve else "已退回，谈话人可修改后重新提交")


def shared_mp_routes(router: APIRouter, instances: list) -> None:
    """One talker's list of every talk of the process (any stage, any kind). The committee's talks
    (上级党委派人谈话) are not the talker's to schedule or record: they are not listed."""
    by_kind = {c.kind: c for c in instances if c.mode != "committee"}
    talker = Requires("mp.dev.talks")

    def component(talk: Talk | None):
        c = by_kind.get(talk.kind) if talk is not None else None
        if c is None:
            raise fail(404, "谈话不存在或不是指派给您的")
        return c

    @router.get("/talks", response_model=Page[TalkOut], summary="我的谈话任务（谈话人）")
    async def my_talks(session: SessionDep, actor: talker, paging: PagingDep):
        q = (select(Talk).join(Assignment, and_(Assignment.record_id == Talk.record_id, Assignment.role == Talk.role,
                                                Assignment.until.is_(None)))
             .where(Assignment.user_id == actor.id, Talk.kind.in_(list(by_kind)), Talk.status.in_(OPEN)))
        total = await count_of(session, q)
        talks = list((await session.execute(q.order_by(Talk.deadline, Talk.id).offset(paging.offset)
                                            .limit(paging.per_page))).scalars())
        items = [o for t in talks for o in await component(t).out(session, [t])]
        return paging.page_of(items, total)

    @router.post("/talks/open", response_model=TalkDone, summary="安排本期谈话（培育考察等按期谈话）")
    async def open_talk(body: OpenTalkIn, session: SessionDep, engine: EngineDep, actor: talker):
        c = by_kind.get(body.kind)
        if c is None or not c.task:
            raise fail(404, "谈话类型不存在", field="kind", label="谈话类型")
        talk = await c.open_for_task(session, engine, actor, body.record_id)
        await session.commit()
        return {"msg": "已创建本期谈话，请安排谈话日程", "talk": (await c.out(session, [talk]))[0]}

    @router.post("/talks/{talk_id}/schedule", response_model=TalkDone, summary="安排谈话日程")
    async def schedule(talk_id: int, body: ScheduleIn, session: SessionDep, engine: EngineDep, actor: talker):
        c = component(await session.get(Talk, talk_id))
        talk = await c.schedule(session, engine, actor, talk_id, place=body.place, when=body.scheduled_at)
        await session.commit()
        return {"msg": "谈话日程已安排并同步给谈话对象", "talk": (await c.out(session, [talk]))[0]}

    @router.post("/talks/{talk_id}/withdraw", response_model=TalkDone, summary="撤回谈话记录（审核前）")
    async def withdraw(talk_id: int, session: SessionDep, engine: EngineDep, actor: talker):
        c = component(await session.get(Talk, talk_id))
        talk = await c.withdraw(session, engine, actor, talk_id)
        await session.commit()
        return {"msg": "已撤回，可修改后重新提交", "talk": (await c.out(session, [talk]))[0]}

    @router.post("/talks/{talk_id}/record", response_model=TalkDone, summary="提交谈话记录")
    async def submit_record(talk_id: int, body: TalkRecordIn, session: SessionDep, engine: EngineDep, actor: talker):
        c = component(await session.get(Talk, talk_id))
        talk = await c.submit_record(session, engine, actor, talk_id, content=body.content, talk_date=body.talk_date)
        await session.commit()
        return {"msg": "谈话记录已提交，等待党支部审核", "talk": (await c.out(session, [talk]))[0]}


def columns(c) -> list[ListColumn]:
    k = c.key
    return [ListColumn(f"{k}_status_label", "谈话", amis={"type": "tpl", "tpl": f"${{{k}_status_label || '未指派'}}"
                                                                          f"${{{k}_reason ? '（' + {k}_reason + '）' : ''}}"}),
            ListColumn(f"{k}_talker", "谈话人"),
            ListColumn(f"{k}_status", "谈话状态代码", show=False),
            ListColumn(f"{k}_reason", "退回原因", show=False)]


def assign_form(c) -> list[dict]:
    return [
        {"type": "select", "name": "talker_id", "label": "谈话人", "required": True, "searchable": True,
         "source": f"get:{c.stage_def.api_prefix}/talkers", "description": "须为本支部正式党员"},
        {"type": "input-datetime", "name": "deadline", "label": "谈话记录截止提交时间", "required": True,
         "format": "YYYY-MM-DDTHH:mm:ss", "minDate": "${NOW}"},
    ]


def _dialog(label, title, body, api, visible_on=None, size="md") -> dict:
    btn = dialog_button(label, title, body, "", level="link", size=size, visible_on=visible_on)
    btn["dialog"]["body"]["api"] = api
    return btn


def row_actions(c) -> list[dict]:
    base, k = f"{c.stage_def.api_prefix}/{c.path}", c.key
    here = f"this.step === '{c.step}' && this.status === 'active'"
    proxy_form = [
        {"type": "input-text", "name": "place", "label": "谈话地点", "required": True},
        {"type": "input-datetime", "name": "scheduled_at", "label": "谈话时间", "required": True, "format": "YYYY-MM-DDTHH:mm:ss"},
        {"type": "input-date", "name": "talk_date", "label": "谈话日期", "required": True, "format": "YYYY-MM-DD", "maxDate": "${NOW}"},
        {"type": "textarea", "name": "content", "label": "谈话记录", "required": True, "minRows": 6},
    ]
    actions = []
    if not c.task:
        actions.append(_dialog("指派谈话", "指派谈话人 - ${name}", assign_form(c), one(f"{base}/assign"),
                               f"{here} && (!this.{k}_status || this.{k}_status === 'assigned' || this.{k}_status === 'scheduled')"))
    actions += [
        _dialog("上传谈话", "上传谈话 - ${name}", proxy_form,
                {"method": "post", "url": f"{base}/proxy", "data": {"&": "$$", "record_id": "${id}"}},
                f"{here} && this.{k}_status && ['assigned', 'scheduled', 'rejected', 'proxy_draft'].indexOf(this.{k}_status) >= 0"),
        {"type": "button", "label": "确认谈话", "level": "link", "actionType": "ajax", "confirmText": "确认该谈话记录已上传完整？",
         "api": {"method": "post", "url": f"{base}/confirm", "data": {"record_id": "${id}"}},
         "visibleOn": f"{here} && this.{k}_status === 'proxy_draft'"},
        _dialog("审核谈话", "审核谈话记录 - ${name}", [detail_block(c.stage_def), *review_form("谈话记录")], one(f"{base}/review"),
                f"{here} && this.{k}_status === 'submitted'", size="lg"),
    ]
    return actions


def bulk_actions(c) -> list[dict]:
    base = f"{c.stage_def.api_prefix}/{c.path}"
    assign = dialog_button("批量指派谈话", "批量指派谈话人", assign_form(c), "", level="default")
    assign["dialog"]["body"]["api"] = many(f"{base}/assign")
    reject = dialog_button("批量审核谈话记录-不通过", "批量审核谈话记录不通过", [
        {"type": "textarea", "name": "reason", "label": "审核不通过理由", "required": True}], "", level="default")
    reject["dialog"]["body"]["api"] = many(f"{base}/review", approve=False)
    return ([] if c.task else [assign]) + [
        {"type": "button", "label": "批量审核谈话记录-通过", "actionType": "ajax", "confirmText": "确定审核通过所选人员的谈话记录？",
         "api": many(f"{base}/review", approve=True)}, reject]


def detail_panels(c) -> list[dict]:
    k = c.key
    return [{"type": "panel", "title": c.record_title, "visibleOn": f"this.{k}", "body": {"type": "property", "column": 2, "items": [
        {"label": "谈话人", "content": f"${{{k}.talker_name}}"}, {"label": "状态", "content": f"${{{k}.status_label}}"},
        {"label": "谈话时间", "content": f"${{{k}.scheduled_at | xftime}}"}, {"label": "地点", "content": f"${{{k}.place}}"},
        {"label": "谈话日期", "content": f"${{{k}.talk_date}}"}, {"label": "截止时间", "content": f"${{{k}.deadline | xftime}}"},
        {"label": "谈话记录", "content": f"${{{k}.content}}", "span": 2}]}}]


TALKER_TASKS = {"assigned": ("schedule_talk", "安排谈话", "请安排与{name}的{title}日程"),
                "scheduled": ("submit_talk_record", "提交谈话记录", "请提交与{name}的{record}"),
                "rejected": ("resubmit_talk_record", "重新提交谈话记录", "与{name}的{record}被退回，请修改后重新提交")}


async def todo_items(c, session, actor, limit: int | None = None) -> TodoItems:
    """The talker's to-dos of this component: the ``limit`` soonest due (all without one) and how
    many there are (core/todos.py)."""
    return (await todo_pages([c], session, actor, limit))[0]


async def todo_pages(uses: list, session, actor, limit: int | None = None) -> list[TodoItems]:
    """The talker's to-dos of every use in ``uses`` (talker mode), one ``TodoItems`` per use in
    order, in ONE statement whatever the number of uses and talks (issue 11): for each use its
    open talks (an index range read of ``dev_talk_todo``, kept by triggers, in deadline order
    that stops at ``limit``, with a count over the same index) and, for a use with a task, the
    task periods with no talk opened yet (likewise cut at ``limit`` and counted)."""
    items: list[list] = [[] for _ in uses]
    totals = [0] * len(uses)
    # Most people are no one's talker: read with their record (core/workflow/own_record.py).
    if not (await own_record.may_have(session, actor.id, "talk_todo")
            or (any(c.task for c in uses) and await own_record.may_have(session, actor.id, "current_assignment"))):
        return [TodoItems([], 0) for _ in uses]
    # A use with no row in the page has nothing of that kind (the page asks for at least one).
    params = {"user_id": actor.id, "limit": 2**31 - 1 if limit is None else max(limit, 1)}
    counted: set[tuple[int, int]] = set()
    for i, part, object_id, status, due, name, total in (
            await (await session.connection()).execute(_todo_statement(uses), params)).all():
        c = uses[i]
        if (i, part) not in counted:
            totals[i] += total
            counted.add((i, part))
        if part == 0:
            kind, label, title = TALKER_TASKS[status]
            items[i].append(todo(kind, label, title.format(name=name, title=c.title, record=c.record_title), due_at=due,
                                 object_type="talk", object_id=object_id, link=f"/mp/talks/{object_id}"))
        else:  # a task period with no talk opened yet
            items[i].append(todo("schedule_talk", "安排谈话", f"请安排与{name}的{c.title}", due_at=task_store._as_datetime(due),
                                 object_id=object_id, link=f"/mp/talks/new?kind={c.kind}&record_id={object_id}"))
    # Talks alone come in deadline order already; with task periods the two parts are merged.
    with_periods = {i for i, part in counted if part == 1}
    return [TodoItems([item for _, item in soonest(got, limit)] if i in with_periods else got[:limit], total)
            for i, (got, total) in enumerate(zip(items, totals))]


own_record.probe("talk_todo", lambda: exists().where(TalkTodo.user_id == bindparam("user_id")))
own_record.probe("current_assignment", lambda: exists().where(Assignment.user_id == bindparam("user_id"),
                                                              Assignment.until.is_(None)))


def _todo_statement(uses: list):
    """The to-do statement of ``uses``, built once per list of uses (SQLAlchemy computes a
    statement's cache key once per statement object): rows of (use's index, part (0 a talk,
    1 a task period), talk or record id, talk status, due, person's name, part's total)."""
    built = uses[0].__dict__.setdefault("_todo_statement", {})
    key = tuple(map(id, uses))
    if key in built:
        return built[key]
    limit = bindparam("limit", type_=Integer, literal_execute=True)
    parts = []
    for i, c in enumerate(uses):
        mine = (TalkTodo.user_id == bindparam("user_id"), TalkTodo.kind == c.kind, TalkTodo.record_stage == c.stage,
                TalkTodo.record_step == c.step, TalkTodo.status.in_(tuple(TALKER_TASKS)))
        count = select(func.count()).select_from(TalkTodo).where(*mine)
        # The page is cut from the index first and only then joined for the people's names:
        # joined first, PostgreSQL's planner preferred to join every talk and sort them all.
        first = (select(TalkTodo.talk_id, TalkTodo.status, TalkTodo.deadline).where(*mine)
                 .order_by(TalkTodo.deadline, TalkTodo.talk_id).limit(limit).subquery())
        parts.append(select(literal(i, Integer).label("use"), literal(0, Integer).label("part"), first.c.talk_id.label("id"),
                            first.c.status, first.c.deadline.label("due"), User.name, count.scalar_subquery().label("total"))
                     .join(Talk, Talk.id == first.c.talk_id).join(User, User.id == Talk.user_id))
        if c.task:
            opened = select(Talk.record_id).where(Talk.kind == c.kind, Talk.status.in_(OPEN))
            due = func.min(Task.due_at)
            page = (select(DevelopmentRecord.id.label("rid"), User.name.label("name"), due.label("due"),
                           func.count().over().label("total"))
                    .join(User, User.id == DevelopmentRecord.user_id)
                    .join(Assignment, and_(Assignment.record_id == DevelopmentRecord.id, Assignment.role == c.role,
                                           Assignment.until.is_(None)))
                    .join(Task, and_(Task.record_id == DevelopmentRecord.id, Task.stage == c.stage, Task.step == c.step,
                                     Task.key == c.task, Task.status == "open"))
                    .where(Assignment.user_id == bindparam("user_id"), DevelopmentRecord.stage == c.stage,
                           DevelopmentRecord.step == c.step, DevelopmentRecord.status == "active",
                           DevelopmentRecord.id.notin_(opened))
                    .group_by(DevelopmentRecord.id, User.name)
                    .order_by(due.is_(None), due, DevelopmentRecord.id).limit(limit).subquery())
            parts.append(select(literal(i, Integer).label("use"), literal(1, Integer).label("part"), page.c.rid,
                                literal("", String).label("status"), page.c.due, page.c.name, page.c.total))
    rows = union_all(*parts).subquery()
    # Each part in its own order: talks by (deadline, id), task periods undated last.
    statement = select(rows).order_by(rows.c.use, rows.c.part, rows.c.due.is_(None), rows.c.due, rows.c.id)
    built[key] = statement
    return statement


def pages(c) -> list[type]:
    """批量审核谈话记录: people with a submitted record on the left, the chosen one's detail right."""
    if not c.batch_page:
        return []
    from fastapi import Request
    from fastapi_amis_admin.amis.components import Page as AmisPage, PageSchema

    from core.admin_site import XfPage
    from core.amis_crud import crud
    from core.outbox import read_tracker

    stage, base, k = c.stage_def, f"{c.stage_def.api_prefix}/{c.path}", c.key
    label = f"审核{c.record_title.strip('《》')}"

    class TalkReviewPage(XfPage):
        page_schema = PageSchema(label=f"{label}（{stage.people_label}）", icon="fa fa-comments-o")
        page_path = f"/{stage.slug or stage.key}_{c.kind}_review"
        permission = c.permission

        async def get_page(self, request: Request) -> AmisPage:
            reject = dialog_button("审核不通过", "审核不通过", [
                {"type": "textarea", "name": "reason", "label": "审核不通过理由", "required": True}], "", level="danger")
            reject["dialog"]["body"]["api"] = many(f"{base}/review", approve=False)
            left = crud(f"get:{stage.api_prefix}?step={c.step}&status=active", [
                {"name": "name", "label": "姓名"}, {"name": "student_no", "label": "学号"},
                {"name": f"{k}_status_label", "label": "谈话记录"}, {"name": f"{k}_talker", "label": "谈话人"}],
                per_page=50, bulk_actions=[
                {"type": "button", "label": "审核通过", "level": "primary", "actionType": "ajax",
                 "confirmText": "确定审核通过所选 ${selectedItems.length} 人的谈话记录？", "api": many(f"{base}/review", approve=True)},
                reject])
            left["onEvent"] = {"rowClick": {"actions": [{"actionType": "setValue", "componentId": f"{c.kind}-detail",
                                                         "args": {"value": {"id": "${event.data.item.id}"}}}]}}
            right = {"type": "form", "id": f"{c.kind}-detail", "wrapWithPanel": False, "body": [
                {"type": "tpl", "tpl": f"请点击左侧列表中的{stage.people_label}查看谈话记录", "visibleOn": "!this.id"},
                {**detail_block(stage), "visibleOn": "this.id", "sendOn": "this.id"}]}
            return AmisPage(title=self.page_schema.label, body=[
                {"type": "grid", "columns": [{"md": 5, "body": left}, {"md": 7, "body": right}]}, read_tracker(stage.page_url)])

    TalkReviewPage.__name__ = TalkReviewPage.__qualname__ = f"TalkReview_{stage.key}_{c.kind}"
    return [TalkReviewPage]
