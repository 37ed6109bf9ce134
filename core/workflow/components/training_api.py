"""Routes of the training class (DEV-9), mounted once for every declared class type: the
培训管理 routes under ``/api/pc/v1/development/training`` (the committee creates, publishes,
flows to screening, confirms, starts, ends and records results; a branch orders and submits
its signups) and the student's MP routes under ``/api/mp/v1/development/training``."""

from datetime import date, datetime
from typing import Optional

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import delete as sa_delete, select

from core.auth import Requires
from core.clock import LocalDateTime
from core.db import SessionDep
from core.errors import fail
from core.models import utcnow
from core.responses import Empty, Envelope, Page, PagingDep, ok
from core.workflow.components import training_flow as flow
from core.workflow.components.training import TrainingService, TrainingSummary
from core.workflow.components.training_models import (RESULT_LABELS, SIGNUP_LABELS, STATE_LABELS, TrainingClass, TrainingQuota,
                                                      TrainingSignup, class_state)
from core.workflow.deps import EngineDep

PREFIX = "/api/pc/v1/development/training"


class QuotaIn(BaseModel):
    branch_id: int = Field(title="党支部")
    quota: int = Field(ge=1, le=10000, title="名额")


class ClassIn(BaseModel):
    class_type: str = Field(max_length=20, title="培训班类型")
    title: str = Field(min_length=1, max_length=200, title="培训班名称")
    intro: str = Field("", max_length=2000, title="培训简介")
    place: str = Field("", max_length=200, title="培训地点")
    signup_start: datetime = Field(title="报名开始时间")
    signup_end: datetime = Field(title="报名截止时间")
    train_start: datetime = Field(title="培训开始时间")
    train_end: datetime = Field(title="培训结束时间")
    quotas: list[QuotaIn] = Field(default_factory=list, title="发布范围及支部名额")
    publish: bool = Field(False, title="保存并发布")


class MoveIn(BaseModel):
    direction: str = Field(pattern="^(up|down)$", title="调整方向（up 上移 / down 下移）")


class ResultItem(BaseModel):
    signup_id: int = Field(title="报名记录")
    result: str = Field(max_length=10, title="结业情况（passed 结业 / failed 未结业）")
    result_date: Optional[date] = Field(None, title="结业时间")


class ResultsIn(BaseModel):
    items: list[ResultItem] = Field(default_factory=list, title="培训结果")


class QuotaOut(BaseModel):
    branch_id: int
    branch_name: str
    quota: int
    signups: int
    submitted: bool


class ClassOut(BaseModel):
    id: int
    class_type: str
    type_title: str
    title: str
    intro: str
    place: str
    signup_start: LocalDateTime
    signup_end: LocalDateTime
    train_start: LocalDateTime
    train_end: LocalDateTime
    state: str = Field(description="draft | pending | signup | signup_closed | screening | ready | training | ended | finished")
    state_label: str
    signups: int
    selected: int


class ClassCan(BaseModel):
    edit: bool
    publish: bool
    delete: bool
    screening: bool
    confirm: bool
    start: bool
    end: bool
    results: bool
    screen: bool = Field(description="本支部可调整顺序并提交党委")


class ClassDetail(ClassOut):
    quotas: list[QuotaOut]
    can: ClassCan


class SignupOut(BaseModel):
    id: int
    record_id: int
    user_id: int
    name: str
    student_no: str
    branch_id: Optional[int] = None
    branch_name: str
    status: str = Field(description="signed_up | selected | not_selected")
    status_label: str
    result: str = Field(description="passed | failed | 空")
    result_label: str
    result_date: Optional[date] = None
    within_quota: bool = Field(description="按当前顺序在支部名额内（入选）")


class Moved(BaseModel):
    selected: int = 0
    not_selected: int = 0
    passed: int = 0
    failed: int = 0


class MpClass(BaseModel):
    id: int
    type_title: str
    title: str
    intro: str
    place: str
    signup_start: LocalDateTime
    signup_end: LocalDateTime
    train_start: LocalDateTime
    train_end: LocalDateTime
    state: str
    state_label: str
    my_status: Optional[str] = Field(None, description="signed_up | selected | not_selected | passed | failed")
    my_status_label: Optional[str] = None
    result_date: Optional[date] = None
    can_sign_up: bool
    can_cancel: bool


class MpTraining(BaseModel):
    eligible: bool = Field(description="现在可以报名培训班")
    problems: list[str]
    summary: Optional[TrainingSummary] = None
    classes: list[MpClass]


class MpDone(BaseModel):
    msg: str
    training: MpTraining


def class_out(svc: TrainingService, c: TrainingClass, counts: dict[str, int], now: datetime) -> dict:
    state = class_state(c, now)
    return {"id": c.id, "class_type": c.class_type, "type_title": svc.type_title(c.class_type), "title": c.title,
            "intro": c.intro, "place": c.place, "signup_start": c.signup_start, "signup_end": c.signup_end,
            "train_start": c.train_start, "train_end": c.train_end, "state": state, "state_label": STATE_LABELS[state],
            "signups": sum(n for k, n in counts.items() if k != "cancelled"), "selected": counts.get("selected", 0)}


async def detail_of(svc: TrainingService, session, actor, c: TrainingClass) -> dict:
    now = utcnow()
    state = class_state(c, now)
    quotas = (await svc.quotas(session, [c.id]))[c.id]
    names = await svc.branch_names(session, [q.branch_id for q in quotas])
    rows = await svc.signups(session, c.id)
    per_branch: dict[int, int] = {}
    for s, _ in rows:
        per_branch[s.branch_id] = per_branch.get(s.branch_id, 0) + 1
    committee = actor.scope == "all" and actor.can("dev.training.manage")
    mine = next((q for q in quotas if actor.scope == "branch" and q.branch_id == actor.branch_id), None)
    if actor.scope == "branch":
        quotas = [q for q in quotas if q.branch_id == actor.branch_id]
    return {**class_out(svc, c, (await flow.counts(session, [c.id]))[c.id], now),
            "quotas": [{"branch_id": q.branch_id, "branch_name": names.get(q.branch_id, ""), "quota": q.quota,
                        "signups": per_branch.get(q.branch_id, 0), "submitted": q.submitted_at is not None} for q in quotas],
            "can": {"edit": committee and state in ("draft", "pending"), "publish": committee and state == "draft",
                    "delete": committee and state in ("draft", "pending") and not rows,
                    "screening": committee and state == "signup_closed", "confirm": committee and state == "screening",
                    "start": committee and state == "ready", "end": committee and state == "training",
                    "results": committee and state == "ended",
                    "screen": bool(mine and state == "screening" and mine.submitted_at is None and actor.can("dev.training.screen"))}}


def pc_router(svc: TrainingService) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["管理端-培训管理"])
    viewer = Requires("dev.training")

    async def answer(session, actor, c, msg):
        await session.commit()
        return ok(await detail_of(svc, session, actor, c), msg)

    @router.get("/classes", response_model=Envelope[Page[ClassOut]], summary="培训班列表（状态按时间计算）")
    async def list_classes(session: SessionDep, actor: viewer, paging: PagingDep,
                           class_type: str = Query("", max_length=20, title="培训班类型"),
                           state: str = Query("", max_length=16, title="状态")):
        q = select(TrainingClass).where(TrainingClass.class_type.in_(list(svc.types)))
        if class_type:
            q = q.where(TrainingClass.class_type == class_type)
        if actor.scope != "all":
            q = q.where(TrainingClass.state != "draft", TrainingClass.id.in_(
                select(TrainingQuota.class_id).where(TrainingQuota.branch_id == actor.branch_id)))
        classes = list((await session.execute(q.order_by(TrainingClass.id.desc()))).scalars())
        now = utcnow()
        if state:
            classes = [c for c in classes if class_state(c, now) == state]
        page = classes[paging.offset:paging.offset + paging.per_page]
        counts = await flow.counts(session, [c.id for c in page])
        return ok(paging.page_of([class_out(svc, c, counts[c.id], now) for c in page], len(classes)))

    @router.post("/classes", response_model=Envelope[ClassDetail], summary="创建培训班（保存或保存并发布）")
    async def create(body: ClassIn, session: SessionDep, actor: viewer):
        c = await svc.save(session, actor, None, **body.model_dump(exclude={"quotas"}), quotas=[q.model_dump() for q in body.quotas])
        return await answer(session, actor, c, "培训班已发布" if body.publish else "培训班已保存")

    @router.get("/classes/{class_id:int}", response_model=Envelope[ClassDetail], summary="培训班详情")
    async def get_one(class_id: int, session: SessionDep, actor: viewer):
        return ok(await detail_of(svc, session, actor, await svc.get(session, actor, class_id)))

    @router.put("/classes/{class_id:int}", response_model=Envelope[ClassDetail], summary="修改培训班（报名开始前）")
    async def edit(class_id: int, body: ClassIn, session: SessionDep, actor: viewer):
        c = await svc.get(session, actor, class_id)
        await svc.save(session, actor, c, **body.model_dump(exclude={"quotas"}), quotas=[q.model_dump() for q in body.quotas])
        return await answer(session, actor, c, "培训班已保存")

    @router.delete("/classes/{class_id:int}", response_model=Envelope[Empty], summary="删除培训班（报名开始前且无人报名）")
    async def delete(class_id: int, session: SessionDep, actor: viewer):
        c = await svc.get(session, actor, class_id)
        svc.require_committee(actor)
        if class_state(c) not in ("draft", "pending") or await svc.signups(session, c.id, None, ("signed_up", "cancelled")):
            raise fail(409, "培训班已开始报名，不能删除")
        # The quotas go first, in their own statement: with no ORM relationship between the two
        # tables the unit of work may delete the class first and break the quotas' foreign key.
        await session.execute(sa_delete(TrainingQuota).where(TrainingQuota.class_id == c.id))
        await session.execute(sa_delete(TrainingClass).where(TrainingClass.id == c.id))
        await session.commit()
        return ok(None, "删除成功")

    def action(path: str, summary: str, msg: str, run):
        async def act(class_id: int, session: SessionDep, actor: viewer):
            c = await svc.get(session, actor, class_id)
            await run(session, actor, c)
            return await answer(session, actor, c, msg)
        act.__name__ = f"training_{path}"
        router.post(f"/classes/{{class_id:int}}/{path}", response_model=Envelope[ClassDetail], summary=summary)(act)

    async def publish(session, actor, c):
        svc.require_committee(actor)
        if c.state != "draft":
            raise fail(409, "培训班已发布")
        await svc.set_state(session, c, ("draft",), "published", published_at=utcnow())

    action("publish", "发布培训班", "培训班已发布", publish)
    action("screening", "流转支部筛选（报名截止后）", "已流转支部筛选，等待各党支部提交入选名单",
           lambda s, a, c: flow.to_screening(svc, s, a, c))
    action("confirm", "确认入选名单（各党支部提交后）", "入选名单已确认，培训班进入待培训", lambda s, a, c: flow.confirm(svc, s, a, c))
    action("start", "开始培训", "培训班已开始培训", lambda s, a, c: flow.start(svc, s, a, c))
    action("end", "结束培训（提前结束）", "培训班已结束", lambda s, a, c: flow.end(svc, s, a, c))
    action("submit", "提交党委（党支部提交入选名单）", "入选名单已提交党委", lambda s, a, c: flow.submit(svc, s, a, c))

    @router.get("/classes/{class_id:int}/signups", response_model=Envelope[Page[SignupOut]],
                summary="报名名单（党支部看本支部，按入选顺序）")
    async def signups(class_id: int, session: SessionDep, actor: viewer,
                      branch_id: Optional[int] = Query(None, title="党支部（学院党委筛选）"),
                      status: str = Query("", max_length=12, title="报名状态")):
        c = await svc.get(session, actor, class_id)
        branch = actor.branch_id if actor.scope != "all" else branch_id
        rows = await svc.signups(session, c.id, branch)
        if status:
            rows = [(s, u) for s, u in rows if s.status == status]
        quotas = {q.branch_id: q.quota for q in (await svc.quotas(session, [c.id]))[c.id]}
        names = await svc.branch_names(session, [s.branch_id for s, _ in rows])
        place: dict[int, int] = {}
        items = []
        for s, u in rows:
            place[s.branch_id] = place.get(s.branch_id, 0) + 1
            within = s.status == "selected" or (s.status == "signed_up" and place[s.branch_id] <= quotas.get(s.branch_id, 0))
            items.append({"id": s.id, "record_id": s.record_id, "user_id": u.id, "name": u.name, "student_no": u.student_no or "",
                          "branch_id": s.branch_id, "branch_name": names.get(s.branch_id, ""), "status": s.status,
                          "status_label": SIGNUP_LABELS.get(s.status, s.status), "result": s.result,
                          "result_label": RESULT_LABELS.get(s.result, ""), "result_date": s.result_date, "within_quota": within})
        return ok({"items": items, "total": len(items), "page": 1, "per_page": max(len(items), 1)})

    @router.post("/classes/{class_id:int}/signups/{signup_id:int}/move", response_model=Envelope[Empty], summary="上移/下移报名人员")
    async def move(class_id: int, signup_id: int, body: MoveIn, session: SessionDep, actor: viewer):
        c = await svc.get(session, actor, class_id)
        await flow.move(svc, session, actor, c, signup_id, body.direction)
        await session.commit()
        return ok(None, "已上移" if body.direction == "up" else "已下移")

    @router.post("/classes/{class_id:int}/results", response_model=Envelope[Moved], summary="确认培训结果（结业/未结业）")
    async def results(class_id: int, body: ResultsIn, session: SessionDep, engine: EngineDep, actor: viewer):
        c = await svc.get(session, actor, class_id)
        passed, failed = await flow.results(svc, session, engine, actor, c, [i.model_dump() for i in body.items])
        await session.commit()
        return ok({"passed": passed, "failed": failed}, f"培训结果已确认：结业{passed}人，未结业{failed}人")

    return router


async def mp_answer(svc: TrainingService, session, engine, actor) -> dict:
    record = await engine.record_of(session, actor.id)
    problems = await svc.problems(session, actor, record)
    mine = {s.class_id: s for s, _ in await svc.mine(session, actor.id)}
    q = select(TrainingClass).join(TrainingQuota, TrainingQuota.class_id == TrainingClass.id).where(
        TrainingClass.class_type.in_(list(svc.types)), TrainingClass.state != "draft",
        TrainingQuota.branch_id == actor.user.party_branch_id)
    now = utcnow()
    classes = []
    for c in (await session.execute(q.order_by(TrainingClass.signup_start.desc()))).scalars():
        state = class_state(c, now)
        s = mine.get(c.id)
        if s is None and state not in ("pending", "signup"):
            continue
        open_problems = await svc.problems(session, actor, record, c) if s is None and state == "signup" else ["-"]
        classes.append({"id": c.id, "type_title": svc.type_title(c.class_type), "title": c.title, "intro": c.intro,
                        "place": c.place, "signup_start": c.signup_start, "signup_end": c.signup_end,
                        "train_start": c.train_start, "train_end": c.train_end, "state": state, "state_label": STATE_LABELS[state],
                        "my_status": (s.result or s.status) if s else None,
                        "my_status_label": (RESULT_LABELS.get(s.result) or SIGNUP_LABELS.get(s.status)) if s else None,
                        "result_date": s.result_date if s else None, "can_sign_up": not open_problems,
                        "can_cancel": bool(s and s.status == "signed_up" and c.state == "published")})
    component = await svc.my_component(session, record) if record else None
    component = component or next((i for i in svc.instances if record and i.stage == record.stage and i.step == record.step), None)
    return {"eligible": not problems, "problems": problems, "classes": classes,
            "summary": await component.summary(session, record) if component and record else None}


def mp_routes(router: APIRouter, svc: TrainingService) -> None:
    student = Requires("mp.dev.training")

    @router.get("/training", response_model=MpTraining, summary="培训班：可报名的培训班、我的报名与结业情况")
    async def training(session: SessionDep, engine: EngineDep, actor: student):
        return await mp_answer(svc, session, engine, actor)

    async def mine_or_404(session, actor, class_id) -> TrainingClass:
        c = await session.get(TrainingClass, class_id)
        if c is None or c.class_type not in svc.types or not await svc.visible(session, actor, c):
            raise fail(404, "培训班不存在或未向您开放")
        return c

    @router.post("/training/{class_id:int}/signup", response_model=MpDone, summary="报名培训班")
    async def sign_up(class_id: int, session: SessionDep, engine: EngineDep, actor: student):
        c = await mine_or_404(session, actor, class_id)
        await svc.sign_up(session, engine, actor, c)
        await session.commit()
        return {"msg": "报名成功，请等待入选结果", "training": await mp_answer(svc, session, engine, actor)}

    @router.post("/training/{class_id:int}/cancel", response_model=MpDone, summary="取消报名（流转支部筛选前）")
    async def cancel(class_id: int, session: SessionDep, engine: EngineDep, actor: student):
        c = await mine_or_404(session, actor, class_id)
        await svc.cancel(session, engine, actor, c)
        await session.commit()
        return {"msg": "已取消报名", "training": await mp_answer(svc, session, engine, actor)}
