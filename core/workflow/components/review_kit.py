"""What a ``ReviewComponent`` shows: list columns, row/batch/header actions, the 批量审核 page
and to-do items. Its PC and MP routes are in ``review_api.py``."""

from fastapi import Request
from fastapi_amis_admin.amis.components import Page, PageSchema
from sqlalchemy import func, select

from core.admin_site import XfPage
from core.amis_crud import crud, dialog_button, upload_receiver
from core.auth import scope_condition
from core.models import User
from core.outbox import read_tracker
from core.workflow.components.base import ListColumn
from core.workflow import own_record
from core.workflow.components.review import STATUS_LABELS, Submission
from core.workflow.components.review_api import route_prefix
from core.workflow.kit import todo
from core.workflow.models import DevelopmentRecord
from core.workflow.stage_list import ROW, detail_block


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
    """处理结果: 通过 with the date, 退回 with a reason (the person resubmits), and 不通过 where the
    step declares that outcome (转正申请 has none: offered, it could only be refused)."""
    label = c.date_label or "日期"
    step = getattr(c, "step_def", None)
    results = [{"label": "通过", "value": "pass"}, {"label": "退回", "value": "return"}]
    if step is None or step.outcome(c.fail_outcome) is not None:
        results.append({"label": "不通过", "value": "fail"})
    return [
        {"type": "radios", "name": "result", "label": "处理结果", "required": True, "options": results},
        {"type": "input-date", "name": "day", "label": label, "format": "YYYY-MM-DD", "maxDate": "${NOW}",
         "visibleOn": "this.result === 'pass'", "requiredOn": "this.result === 'pass'"},
        {"type": "textarea", "name": "reason", "label": "原因", "visibleOn": "this.result && this.result !== 'pass'",
         "requiredOn": "this.result === 'return'", "placeholder": f"退回时必填，将通知本人修改后重新提交{c.title}"},
    ]


def decision_form(c) -> tuple[str, list[dict]]:
    """The route and form of the component's decision (审核 or 处理结果)."""
    base = f"{c.stage_def.api_prefix}{route_prefix(c)}"
    return (f"{base}/result", result_form(c)) if c.result_mode else (f"{base}/review", review_form(c.title))


def one(url: str) -> dict:
    """A row dialog's submit: the form's fields plus the row as a one-element list."""
    return {"method": "post", "url": url, "data": {"&": "$$", "record_ids": [ROW]}}


def many(url: str, **fixed) -> dict:
    return {"method": "post", "url": url, "data": {"&": "$$", "record_ids": "${ids|split}", **fixed}}


def row_actions(c) -> list[dict]:
    url, form = decision_form(c)
    base = f"{c.stage_def.api_prefix}{route_prefix(c)}"
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
    base = f"{c.stage_def.api_prefix}{route_prefix(c)}"
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
    base = f"{c.stage_def.api_prefix}{route_prefix(c)}"
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
    stage, base = c.stage_def, f"{c.stage_def.api_prefix}{route_prefix(c)}"
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
