"""What a ``ReviewComponent`` mounts: PC routes (review, urge, proxy upload), MP routes
(status, submit, withdraw), list columns, row/batch/header actions, the 批量审核 page and
to-do items."""

from datetime import date
from typing import Optional

from fastapi import APIRouter, Query, Request
from fastapi_amis_admin.amis.components import Page, PageSchema
from pydantic import BaseModel, Field, create_model
from sqlalchemy import func, select

from core.admin_site import XfPage
from core.amis_crud import crud, dialog_button, upload_receiver
from core.auth import Requires, get_user_in_scope, scope_condition
from core.db import SessionDep
from core.errors import fail
from core.models import StudentProfile, User
from core.outbox import read_tracker
from core.responses import Envelope, Option, Options, ok
from core.workflow.components import review_result
from core.workflow.components.base import ListColumn
from core.workflow.components.review import STATUS_LABELS, Submission, SubmissionOut, submission_out
from core.workflow.deps import EngineDep
from core.workflow import own_record
from core.workflow.kit import todo
from core.workflow.models import DevelopmentRecord
from core.workflow.schemas import CountOut, Decision, RecordIds, RecordOut, UrgeOut, record_out
from core.workflow.stage_list import ROW, components_of, detail_block


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


def _prefix(c) -> str:
    return f"/{c.path}" if c.path else ""


def pc_routes(c, router: APIRouter) -> None:
    p = _prefix(c)
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


def columns(c) -> list[ListColumn]:
    k = c.key
    return [ListColumn(f"{k}_signed_date", "落款时间"),
            ListColumn(f"{k}_status_label", c.title, amis={"type": "tpl", "tpl": f"${{{k}_status_label || '未提交'}}"
                                                               f"${{{k}_reason ? '（' + {k}_reason + '）' : ''}}"}),
            ListColumn(f"{k}_status", f"{c.title}状态代码", show=False),
            ListColumn(f"{k}_reason", "退回原因", show=False),
            *([ListColumn(f"{k}_opened", c.open_label, bool | None, show=False)] if c.open_label else [])]


def review_form(material: str) -> list[dict]:
    return [
        {"type": "radios", "name": "approve", "label": "审核结果", "required": True,
         "options": [{"label": "审核通过", "value": True}, {"label": "审核不通过", "value": False}]},
        {"type": "textarea", "name": "reason", "label": "审核不通过理由", "visibleOn": "this.approve === false",
         "requiredOn": "this.approve === false", "placeholder": f"请填写{material}审核不通过的理由，将通知相关人员重新提交"},
    ]


def result_form(c) -> list[dict]:
    """处理结果: 通过 with the date, 退回 with a reason (the person resubmits), 不通过."""
    label = c.date_label or "日期"
    return [
        {"type": "radios", "name": "result", "label": "处理结果", "required": True,
         "options": [{"label": "通过", "value": "pass"}, {"label": "退回", "value": "return"}, {"label": "不通过", "value": "fail"}]},
        {"type": "input-date", "name": "day", "label": label, "format": "YYYY-MM-DD", "maxDate": "${NOW}",
         "visibleOn": "this.result === 'pass'", "requiredOn": "this.result === 'pass'"},
        {"type": "textarea", "name": "reason", "label": "原因", "visibleOn": "this.result && this.result !== 'pass'",
         "requiredOn": "this.result === 'return'", "placeholder": f"退回时必填，将通知本人修改后重新提交{c.title}"},
    ]


def decision_form(c) -> tuple[str, list[dict]]:
    """The route and form of the component's decision (审核 or 处理结果)."""
    base = f"{c.stage_def.api_prefix}{_prefix(c)}"
    return (f"{base}/result", result_form(c)) if c.result_mode else (f"{base}/review", review_form(c.title))


def one(url: str) -> dict:
    """A row dialog's submit: the form's fields plus the row as a one-element list."""
    return {"method": "post", "url": url, "data": {"&": "$$", "record_ids": [ROW]}}


def many(url: str, **fixed) -> dict:
    return {"method": "post", "url": url, "data": {"&": "$$", "record_ids": "${ids|split}", **fixed}}


def row_actions(c) -> list[dict]:
    url, form = decision_form(c)
    base = f"{c.stage_def.api_prefix}{_prefix(c)}"
    k, here = c.key, f"this.step === '{c.step}' && this.status === 'active'"
    btn = dialog_button(c.review_label, f"{c.review_label} - ${{name}}", [detail_block(c.stage_def), *form],
                        "", level="link", size="lg",
                        visible_on=f"{here} && (this.{k}_status === 'submitted' || this.{k}_status === 'rejected')")
    btn["dialog"]["body"]["api"] = one(url)
    btn["disabledOn"] = f"this.{k}_status === 'rejected'"
    btn["disabledTip"] = "已退回，等待重新提交"
    actions = [btn]
    if c.open_label:
        from core.workflow.components import review_open

        actions.insert(0, review_open.row_action(c, f"{base}/open"))
    if c.proxy and not c.starts_record:
        proxy = dialog_button(f"代理上传{c.title}", f"代理上传{c.title} - ${{name}}", proxy_fields(c), "", level="link",
                              visible_on=f"{here} && this.{k}_status !== 'submitted'")
        proxy["dialog"]["body"]["api"] = {"method": "post", "url": f"{base}/proxy", "data": {"&": "$$", "record_id": ROW}}
        actions.append(proxy)
    if c.deletable:
        delete = dialog_button(f"删除{c.title}", f"删除{c.title} - ${{name}}", [
            {"type": "textarea", "name": "reason", "label": "删除原因", "required": True,
             "placeholder": f"将通知本人重新提交{c.title}"}], "", level="link",
            visible_on=f"{here} && (this.{k}_status === 'submitted' || this.{k}_status === 'rejected')")
        delete["dialog"]["body"]["api"] = one(f"{base}/delete")
        actions.append(delete)
    return actions


def proxy_fields(c) -> list[dict]:
    return [{"type": "input-image", "name": "files", "label": c.title, "required": True, "multiple": True,
             "maxLength": c.max_files, "receiver": upload_receiver(c.kind), "joinValues": False, "extractValue": True,
             "accept": ".jpg,.jpeg,.png,.pdf"},
            {"type": "input-date", "name": "signed_date", "label": "落款时间", "required": True, "format": "YYYY-MM-DD",
             "maxDate": "${NOW}"}]


def bulk_actions(c) -> list[dict]:
    base = f"{c.stage_def.api_prefix}{_prefix(c)}"
    if c.open_label:
        from core.workflow.components import review_open

        return [review_open.bulk_action(c, f"{base}/open"), *bulk_decisions(c, base)]
    return bulk_decisions(c, base)


def bulk_decisions(c, base: str) -> list[dict]:
    if c.result_mode:
        decide = dialog_button(f"批量{c.review_label}", f"批量{c.review_label}", result_form(c), "", level="default")
        decide["dialog"]["body"]["api"] = many(f"{base}/result")
        return [decide, {"type": "button", "label": f"催交{c.title}", "actionType": "ajax", "api": many(f"{base}/urge")}]
    reject = dialog_button(f"批量{c.review_label}-不通过", "批量审核不通过", [
        {"type": "textarea", "name": "reason", "label": "审核不通过理由", "required": True}], "", level="default")
    reject["dialog"]["body"]["api"] = many(f"{base}/review", approve=False)
    return [
        {"type": "button", "label": f"批量{c.review_label}-通过", "actionType": "ajax",
         "confirmText": f"确定审核通过所选 ${{selectedItems.length}} 人的{c.title}？", "api": many(f"{base}/review", approve=True)},
        reject,
        {"type": "button", "label": f"催交{c.title}", "actionType": "ajax", "api": many(f"{base}/urge")},
    ]


def header_actions(c) -> list[dict]:
    if not (c.proxy and c.starts_record):
        return []
    base = f"{c.stage_def.api_prefix}{_prefix(c)}"
    label = c.proxy_label or f"代理上传{c.title}"
    return [dialog_button(label, f"{label}（代理上传）", [
        {"type": "select", "name": "user_id", "label": "学生", "required": True, "searchable": True,
         "source": f"get:{base}/proxy-candidates", "description": "只显示符合申请条件且未提交过申请的学生"},
        {"type": "input-image", "name": "files", "label": c.title, "required": True, "multiple": True, "maxLength": c.max_files,
         "receiver": upload_receiver(c.kind), "joinValues": False, "extractValue": True,
         "accept": ".jpg,.jpeg,.png,.pdf"},
        {"type": "input-date", "name": "signed_date", "label": "落款时间", "required": True, "format": "YYYY-MM-DD", "maxDate": "${NOW}"},
    ], f"post:{base}/proxy", icon="fa fa-plus")]


def detail_panels(c) -> list[dict]:
    k = c.key
    return [{"type": "panel", "title": c.title, "visibleOn": f"this.{k}", "body": [
        {"type": "tpl", "tpl": f"落款时间：${{{k}.signed_date}}　状态：${{{k}.status_label}}${{{k}.by_proxy ? '（代理上传）' : ''}}"
                               f"${{{k}.reason ? '　退回原因：' + {k}.reason : ''}}"},
        {"type": "images", "source": f"${{{k}.files}}", "src": "${url}", "originalSrc": "${url}", "enlargeAble": True},
    ]}]


def pages(c) -> list[type]:
    if not c.batch_page:
        return []
    stage, base = c.stage_def, f"{c.stage_def.api_prefix}{_prefix(c)}"
    label, k = f"批量{c.review_label}", c.key

    class BatchReviewPage(XfPage):
        """批量审核: pending submissions on the left, the chosen one's detail on the right."""

        page_schema = PageSchema(label=label, icon="fa fa-check-square-o")
        page_path = f"/{stage.slug or stage.key}_{c.kind}_review"
        permission = c.permission

        async def get_page(self, request: Request) -> Page:
            reject = dialog_button("审核不通过", "审核不通过", [
                {"type": "textarea", "name": "reason", "label": "审核不通过理由", "required": True}], "", level="danger")
            reject["dialog"]["body"]["api"] = many(f"{base}/review", approve=False)
            decisions = [{"type": "button", "label": "审核通过", "level": "primary", "actionType": "ajax",
                          "confirmText": "确定审核通过所选 ${selectedItems.length} 人？", "api": many(f"{base}/review", approve=True)},
                         reject]
            if c.result_mode:
                decide = dialog_button(c.review_label, c.review_label, result_form(c), "", level="primary")
                decide["dialog"]["body"]["api"] = many(f"{base}/result")
                decisions = [decide]
            left = crud(f"get:{stage.api_prefix}?step={c.step}&status=active", [
                {"name": "name", "label": "姓名"}, {"name": "student_no", "label": "学号"},
                {"name": f"{k}_status_label", "label": c.title}], per_page=50, bulk_actions=decisions)
            left["onEvent"] = {"rowClick": {"actions": [{"actionType": "setValue", "componentId": f"{c.kind}-detail",
                                                         "args": {"value": {"id": "${event.data.item.id}"}}}]}}
            right = {"type": "form", "id": f"{c.kind}-detail", "wrapWithPanel": False, "body": [
                {"type": "tpl", "tpl": f"请点击左侧列表中的{stage.people_label}查看{c.title}", "visibleOn": "!this.id"},
                {**detail_block(stage), "visibleOn": "this.id", "sendOn": "this.id"}]}
            return Page(title=label, body=[{"type": "grid", "columns": [{"md": 5, "body": left}, {"md": 7, "body": right}]},
                                           read_tracker(stage.page_url)])

    BatchReviewPage.__name__ = BatchReviewPage.__qualname__ = f"BatchReview_{stage.key}_{c.kind}"
    return [BatchReviewPage]


async def todo_items(c, session, actor) -> list:
    items = []
    record = await own_record.own_record_at(session, actor.id, c.stage, c.step)
    if record is not None:
        last = (await c.latest(session, [record.id])).get(record.id)
        if not await c.problems(session, record, last):
            rejected = last is not None and last.status == "rejected"
            items.append(todo("submit", f"提交{c.title}", f"{c.title}被退回，请修改后重新提交" if rejected else f"请上传{c.title}",
                              link=f"/mp/development/{c.mp_path}" if c.mp_path else "/mp/development", object_id=record.id))
    if c.permission and actor.can(c.permission) and actor.scope != "self":
        newest = (select(func.max(Submission.id).label("sid")).where(Submission.kind == c.kind)
                  .group_by(Submission.record_id).subquery())
        pending = (await session.execute(
            select(func.count()).select_from(Submission).join(newest, newest.c.sid == Submission.id)
            .join(User, User.id == Submission.user_id).where(Submission.status == "submitted", scope_condition(actor)))).scalar_one()
        if pending:
            items.append(todo("review", c.review_label, f"有 {pending} 份{c.title}待审核", link=f"/admin/#{c.page_url}",
                              object_type=c.stage_def.slug or c.stage))
    return items


__all__ = ["STATUS_LABELS"]
