"""The routes a ``ReviewComponent`` mounts: PC (result or review, delete, urge, proxy upload,
proxy start of a record) and MP (status, submit, template, withdraw), with what they take.
Its list columns, actions, page and to-dos are in ``review_kit.py``."""

from datetime import date
from typing import Optional

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field, create_model
from sqlalchemy import select

from core.auth import Requires, get_user_in_scope, scope_condition
from core.db import SessionDep
from core.errors import fail
from core.models import StudentProfile, User
from core.responses import Envelope, Option, Options, ok
from core.workflow.components import review_result
from core.workflow.components.review import SubmissionOut, submission_out
from core.workflow.deps import EngineDep
from core.workflow.models import DevelopmentRecord
from core.workflow.schemas import CountOut, Decision, RecordIds, RecordOut, UrgeOut, record_out
from core.workflow.stage_list import components_of


class SubmitIn(BaseModel):
    files: list[str] = Field(default_factory=list, title="材料图片或 PDF")
    signed_date: Optional[date] = Field(None, title="落款时间")


class ProxyStartIn(SubmitIn):
    user_id: int = Field(title="学生")


class ProxyIn(SubmitIn):
    record_id: int = Field(title="发展记录")


class Started(BaseModel):
    record_id: int


class ResultIn(BaseModel):
    """处理结果 (single or batch): 通过 with the date, 退回 with a reason, 不通过."""

    record_ids: list[int] = Field(min_length=1, title="人员")
    result: str = Field(pattern="^(pass|return|fail)$", title="处理结果（pass 通过 / return 退回 / fail 不通过）")
    day: Optional[date] = Field(None, title="日期")
    reason: str = Field("", max_length=500, title="原因")


class DeleteIn(BaseModel):
    record_ids: list[int] = Field(min_length=1, title="人员")
    reason: str = Field("", max_length=500, title="删除原因")


def route_prefix(c) -> str:
    return f"/{c.path}" if c.path else ""


def pc_routes(c, router: APIRouter) -> None:
    p = route_prefix(c)
    reviewer = Requires(c.permission)

    if c.result_mode:
        @router.post(f"{p}/result", response_model=Envelope[CountOut], summary=f"{c.review_label}（通过/退回/不通过，单个或批量）")
        async def result(body: ResultIn, session: SessionDep, engine: EngineDep, actor: reviewer):
            await review_result.decide(c, session, engine, actor, body.record_ids, result=body.result, day=body.day,
                                       reason=body.reason)
            await session.commit()
            return ok({"count": len(body.record_ids)}, {"pass": "已通过", "return": "已退回，可修改后重新提交",
                                                        "fail": "已处理为不通过"}[body.result])
    else:
        @router.post(f"{p}/review", response_model=Envelope[CountOut], summary=f"{c.review_label}（单个或批量）")
        async def review(body: Decision, session: SessionDep, engine: EngineDep, actor: reviewer):
            await c.review(session, engine, actor, body.record_ids, approve=body.approve, reason=body.reason)
            await session.commit()
            return ok({"count": len(body.record_ids)}, "审核通过" if body.approve else "已退回，可修改后重新提交")

    if c.deletable:
        @router.post(f"{p}/delete", response_model=Envelope[CountOut], summary=f"删除{c.title}（党支部，单个或批量）")
        async def delete(body: DeleteIn, session: SessionDep, engine: EngineDep, actor: reviewer):
            await review_result.delete(c, session, engine, actor, body.record_ids, reason=body.reason)
            await session.commit()
            return ok({"count": len(body.record_ids)}, f"已删除，已通知重新提交{c.title}")

    if c.open_label:
        from core.workflow.components import review_open

        review_open.routes(c, router, p, reviewer)

    @router.post(f"{p}/urge", response_model=Envelope[UrgeOut], summary=f"催交{c.title}")
    async def urge(body: RecordIds, session: SessionDep, engine: EngineDep, actor: reviewer):
        result = await c.urge(session, engine, actor, body.record_ids)
        await session.commit()
        return ok({"sent": len(result.sent), "skipped": len(result.skipped)},
                  f"已提醒 {len(result.sent)} 人" + (f"，{len(result.skipped)} 人近期已提醒过" if result.skipped else ""))

    if not c.proxy:
        return
    proxy = Requires(c.proxy_permission or c.permission)
    if not c.starts_record:
        @router.post(f"{p}/proxy", response_model=Envelope[SubmissionOut], summary=f"代理上传{c.title}")
        async def proxy_upload(body: ProxyIn, session: SessionDep, engine: EngineDep, actor: proxy):
            (record,), users = await engine.load(session, actor, [body.record_id])
            sub = await c.submit(session, engine, actor, record, users[record.user_id], files=body.files,
                                 signed_date=body.signed_date, by_proxy=True)
            await session.commit()
            return ok(submission_out(sub), f"已代理上传{c.title}")
        return

    @router.get(f"{p}/proxy-candidates", response_model=Envelope[Options], summary="可代理申请的学生（符合申请条件且未申请）")
    async def proxy_candidates(session: SessionDep, engine: EngineDep, actor: proxy,
                               keyword: str = Query("", max_length=64, title="姓名或学号")):
        q = (select(User).join(StudentProfile, StudentProfile.user_id == User.id)
             .where(StudentProfile.complete.is_(True), User.deleted_at.is_(None), User.party_branch_id.is_not(None),
                    ~User.id.in_(select(DevelopmentRecord.user_id)), scope_condition(actor)))
        if keyword:
            q = q.where(User.name.contains(keyword) | User.student_no.contains(keyword))
        users = list((await session.execute(q.order_by(User.student_no).limit(200))).scalars())
        refused = await engine.start_problems(session, actor, users, stage=c.stage)
        return ok({"options": [Option(label=f"{u.name}（{u.student_no or u.username}）", value=u.id)
                               for u in users if u.id not in refused]})

    @router.post(f"{p}/proxy", response_model=Envelope[Started], summary=c.proxy_label or f"代理上传{c.title}")
    async def proxy_start(body: ProxyStartIn, session: SessionDep, engine: EngineDep, actor: proxy):
        user = await get_user_in_scope(session, actor, body.user_id)
        if await engine.record_of(session, user.id) is not None:
            raise fail(409, f"{user.name}已提交过{c.title}，不能重复申请")
        (record,) = await engine.start(session, actor, [user], stage=c.stage, title=f"党支部代理递交{c.title}")
        await c.submit(session, engine, actor, record, user, files=body.files, signed_date=body.signed_date, by_proxy=True)
        await session.commit()
        return ok({"record_id": record.id}, f"已代理提交{c.title}")


def mp_routes(c, router: APIRouter) -> None:
    if not c.mp_path:
        return
    student = Requires(c.mp_permission or "mp.dev")
    others = [o for o in components_of(c.stage_def) if o is not c and o.summary_model is not None]
    name = "".join(x.capitalize() for x in f"{c.stage}_{c.key}".split("_"))
    Status = create_model(
        f"{name}Status",
        conditions=(list[str], ...), eligible=(bool, Field(description="现在可以提交")),
        problems=(list[str], Field(description="不能提交的原因")), record=(Optional[RecordOut], None),
        template_title=(Optional[str], Field(None, description="可生成的模板（如 推优登记表）；空为无")),
        periods=(list[review_result.TaskPeriodOut], Field(default_factory=list, description="按期任务的各期（如 各季度思想汇报）")),
        history=(list[SubmissionOut], Field(default_factory=list, description="按期任务的历次提交，新的在前")),
        **{c.key: (Optional[SubmissionOut], None)}, **{o.key: (Optional[o.summary_model], None) for o in others})
    Submitted = create_model(f"{name}Submitted",
                             msg=(str, ...), **{c.key: (SubmissionOut, ...)})

    @router.get(f"/{c.mp_path}", response_model=Status, summary=f"{c.title}：条件与进度")
    async def status(session: SessionDep, engine: EngineDep, actor: student):
        record = await engine.record_of(session, actor.id)
        last = (await c.latest(session, [record.id])).get(record.id) if record else None
        problems = list((await engine.start_problems(session, actor, [actor.user], stage=c.stage)).get(actor.id, [])) \
            if record is None and c.starts_record else []
        problems += await c.problems(session, record, last)
        answer = {"conditions": list(c.conditions), "eligible": not problems, "problems": problems,
                  "record": record_out(record, engine.registry) if record else None,
                  c.key: submission_out(last) if last else None, "template_title": c.template_title or None}
        if c.task and record is not None:
            answer["periods"] = await review_result.periods(session, record, c.task)
            answer["history"] = [submission_out(x) for x in await review_result.history(c, session, record.id)]
        for o in others:
            answer[o.key] = await o.mp_summary(session, record) if record else None
        return answer

    @router.post(f"/{c.mp_path}", response_model=Submitted, summary=f"提交（或重新提交）{c.title}")
    async def submit(body: SubmitIn, session: SessionDep, engine: EngineDep, actor: student):
        record = await engine.record_of(session, actor.id)
        user = actor.user
        if record is None:
            if not c.starts_record:
                raise fail(409, "您还没有发展记录")
            if user.party_branch_id is None:
                raise fail(409, "您还没有所属党支部，请联系管理员")
            # The engine's guards (profile complete, 18 or older...) refuse with the reasons.
            (record,) = await engine.start(session, actor, [user], stage=c.stage, title=f"递交{c.title}")
        sub = await c.submit(session, engine, actor, record, user, files=body.files, signed_date=body.signed_date)
        await session.commit()
        return {"msg": "提交成功，请等待党支部审核", c.key: submission_out(sub)}

    if c.template is not None:
        @router.post(f"/{c.mp_path}/template", response_model=review_result.TemplateOut,
                     summary=f"生成{c.template_title or c.title}（按个人信息预填，下载打印后填写）")
        async def template(session: SessionDep, engine: EngineDep, actor: student):
            out = await review_result.template_file(c, session, engine, actor, await engine.record_of(session, actor.id))
            await session.commit()
            return out

    @router.post(f"/{c.mp_path}/withdraw", response_model=Submitted, summary=f"撤回{c.title}（审核前）")
    async def withdraw(session: SessionDep, engine: EngineDep, actor: student):
        record = await engine.record_of(session, actor.id)
        if record is None:
            raise fail(409, f"您还没有提交{c.title}")
        sub = await c.withdraw(session, engine, actor, record)
        await session.commit()
        return {"msg": "已撤回", c.key: submission_out(sub)}
