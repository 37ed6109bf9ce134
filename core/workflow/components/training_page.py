"""The 培训管理 page (DEV-9): the committee creates and publishes classes, flows them to the
branches' screening, confirms the list, starts and ends the training and records results;
a branch screens its signups (上移/下移, 提交党委). Also the training column of the stage's
list and the to-dos of students, branches and the committee."""
from __future__ import annotations

from fastapi import Request
from fastapi_amis_admin.amis.components import Page, PageSchema
from sqlalchemy import func, select

from core import clock
from core.admin_site import XfPage, request_actor
from core.amis_crud import crud, datetime_column, dialog_button, operations
from core.outbox import read_tracker
from core.workflow.components.base import ListColumn
from core.workflow.components.training_api import PREFIX
from core.workflow.components.training_models import STATE_LABELS, TrainingClass, TrainingQuota, TrainingSignup
from core.workflow import tasks as task_store
from core.workflow.kit import todo
from core.workflow.own_record import own_record_at

PAGE_PATH = "/training"
PAGE_URL = f"/admin/development/page{PAGE_PATH}"
# The selected signups as one result row each, 结业 today by default (确认培训结果).
RESULTS_ADAPTOR = ("var today = new Date(); var d = today.getFullYear() + '-' + ('0' + (today.getMonth() + 1)).slice(-2)"
                   " + '-' + ('0' + today.getDate()).slice(-2);"
                   "payload.data = {items: (payload.data.items || []).map(function (s) { return {signup_id: s.id,"
                   " name: s.name, branch_name: s.branch_name, result: 'passed', result_date: d}; })}; return payload;")


def class_form(svc) -> list[dict]:
    return [
        {"type": "select", "name": "class_type", "label": "培训班类型", "required": True,
         "options": [{"label": c.title, "value": key} for key, c in svc.types.items()]},
        {"type": "input-text", "name": "title", "label": "培训班名称", "required": True},
        {"type": "textarea", "name": "intro", "label": "培训简介", "minRows": 2},
        {"type": "input-text", "name": "place", "label": "培训地点"},
        {"type": "group", "body": [
            {"type": "input-datetime", "name": "signup_start", "label": "报名开始时间", "required": True, "format": "YYYY-MM-DDTHH:mm:ss"},
            {"type": "input-datetime", "name": "signup_end", "label": "报名截止时间", "required": True, "format": "YYYY-MM-DDTHH:mm:ss"}]},
        {"type": "group", "body": [
            {"type": "input-datetime", "name": "train_start", "label": "培训开始时间", "required": True, "format": "YYYY-MM-DDTHH:mm:ss"},
            {"type": "input-datetime", "name": "train_end", "label": "培训结束时间", "required": True, "format": "YYYY-MM-DDTHH:mm:ss"}]},
        # changeImmediately on the table and its cells: amis debounces a control's change by
        # 250 ms, and a dialog confirmed within that time after the last cell was edited sent
        # the row without it (`quotas: [{}]`, issue 10).
        {"type": "input-table", "name": "quotas", "label": "发布范围及支部名额", "addable": True, "removable": True,
         "editable": True, "needConfirm": False, "changeImmediately": True, "columns": [
             {"name": "branch_id", "label": "党支部", "type": "select", "required": True, "searchable": True,
              "changeImmediately": True, "source": "get:/api/pc/v1/orgs/options?kind=party"},
             {"name": "quota", "label": "名额", "type": "input-number", "min": 1, "required": True,
              "changeImmediately": True}]},
        {"type": "switch", "name": "publish", "label": "保存并发布", "value": True},
    ]


def _ajax(label: str, path: str, confirm: str, visible_on: str) -> dict:
    return {"type": "button", "label": label, "level": "link", "actionType": "ajax", "confirmText": confirm,
            "api": f"post:{PREFIX}/classes/${{id}}/{path}", "visibleOn": visible_on}


def screening_dialog() -> dict:
    signups = crud(f"get:{PREFIX}/classes/${{id}}/signups", [
        {"name": "name", "label": "姓名"}, {"name": "student_no", "label": "学号"},
        {"name": "status_label", "label": "报名状态"},
        {"name": "within_quota", "label": "按当前顺序", "type": "mapping", "map": {"true": "入选", "false": "未入选"}},
        operations(
            {"type": "button", "label": "上移", "level": "link", "actionType": "ajax",
             "api": {"method": "post", "url": f"{PREFIX}/classes/${{__super.id}}/signups/${{id}}/move", "data": {"direction": "up"}},
             "visibleOn": "this.status === 'signed_up'"},
            {"type": "button", "label": "下移", "level": "link", "actionType": "ajax",
             "api": {"method": "post", "url": f"{PREFIX}/classes/${{__super.id}}/signups/${{id}}/move", "data": {"direction": "down"}},
             "visibleOn": "this.status === 'signed_up'"})], per_page=200)
    signups["id"] = signups["name"] = "signups"
    return {"type": "button", "label": "筛选报名名单", "level": "link", "actionType": "dialog",
            "visibleOn": "this.state === 'screening'", "dialog": {
                "title": "筛选报名名单 - ${title}", "size": "lg", "body": [
                    {"type": "tpl", "tpl": "按顺序前“支部名额”名入选；报名人数不超过名额时全部入选。"}, signups],
                "actions": [{"type": "button", "label": "提交党委", "level": "primary", "actionType": "ajax",
                             "confirmText": "提交后不能再调整入选顺序，确定提交党委？",
                             "api": f"post:{PREFIX}/classes/${{id}}/submit", "close": True}]}}


def results_dialog() -> dict:
    btn = dialog_button("确认培训结果", "确认培训结果 - ${title}", [
        {"type": "input-table", "name": "items", "label": "结业情况", "editable": True, "needConfirm": False, "columns": [
            {"name": "name", "label": "姓名", "type": "static"}, {"name": "branch_name", "label": "党支部", "type": "static"},
            {"name": "result", "label": "结业情况", "type": "select", "required": True,
             "options": [{"label": "结业", "value": "passed"}, {"label": "未结业", "value": "failed"}]},
            {"name": "result_date", "label": "结业时间", "type": "input-date", "format": "YYYY-MM-DD",
             "visibleOn": "this.result === 'passed'"}]}],
        f"post:{PREFIX}/classes/${{id}}/results", level="link", size="lg", visible_on="this.state === 'ended'")
    btn["dialog"]["body"]["initApi"] = {"method": "get", "url": f"{PREFIX}/classes/${{id}}/signups?status=selected",
                                        "adaptor": RESULTS_ADAPTOR}
    return btn


def detail_dialog() -> dict:
    return dialog_button("详情", "培训班详情 - ${title}", [
        {"type": "property", "column": 2, "items": [
            {"label": "培训班类型", "content": "${type_title}"}, {"label": "状态", "content": "${state_label}"},
            {"label": "报名时间", "content": "${signup_start | xftime} 至 ${signup_end | xftime}", "span": 2},
            {"label": "培训时间", "content": "${train_start | xftime} 至 ${train_end | xftime}", "span": 2},
            {"label": "培训地点", "content": "${place}"}, {"label": "报名人数", "content": "${signups}"}]},
        {"type": "table", "source": "${quotas}", "columns": [
            {"name": "branch_name", "label": "党支部"}, {"name": "quota", "label": "名额"}, {"name": "signups", "label": "报名人数"},
            {"name": "submitted", "label": "入选名单", "type": "mapping", "map": {"true": "已提交", "false": "未提交"}}]},
    ], "", level="link", size="lg", init_api=f"get:{PREFIX}/classes/${{id}}")


def page_body(svc, committee: bool) -> dict:
    buttons = [detail_dialog()]
    if committee:
        buttons += [
            _ajax("发布", "publish", "确定发布该培训班？", "this.state === 'draft'"),
            _ajax("流转支部筛选", "screening", "报名已截止，确定流转各党支部筛选？", "this.state === 'signup_closed'"),
            _ajax("确认入选名单", "confirm", "确认各党支部提交的入选名单？", "this.state === 'screening'"),
            _ajax("开始培训", "start", "确定开始培训？", "this.state === 'ready'"),
            _ajax("结束培训", "end", "培训尚未到结束时间，确定提前结束培训？", "this.state === 'training'"),
            results_dialog(),
            {"type": "button", "label": "删除", "level": "link", "className": "text-danger", "actionType": "ajax",
             "confirmText": "确定删除该培训班？", "api": f"delete:{PREFIX}/classes/${{id}}",
             "visibleOn": "(this.state === 'draft' || this.state === 'pending') && !this.signups"}]
    else:
        buttons.append(screening_dialog())
    columns = [{"name": "title", "label": "培训班名称"}, {"name": "type_title", "label": "类型"},
               {"name": "state_label", "label": "状态"}, datetime_column("signup_end", "报名截止时间"),
               datetime_column("train_start", "培训开始时间"), datetime_column("train_end", "培训结束时间"),
               {"name": "signups", "label": "报名人数"}, {"name": "selected", "label": "入选人数"}, operations(*buttons)]
    header = [dialog_button("创建培训班", "创建培训班", class_form(svc), f"post:{PREFIX}/classes", level="primary",
                            icon="fa fa-plus", size="lg")] if committee else []
    filters = [{"type": "select", "name": "class_type", "label": "类型", "clearable": True,
                "options": [{"label": c.title, "value": k} for k, c in svc.types.items()]},
               {"type": "select", "name": "state", "label": "状态", "clearable": True,
                "options": [{"label": label, "value": code} for code, label in STATE_LABELS.items()]}]
    return crud(f"get:{PREFIX}/classes", columns, filters=filters, header=header)


def pages(svc) -> list[type]:
    class TrainingPage(XfPage):
        page_schema = PageSchema(label="培训管理", icon="fa fa-graduation-cap")
        page_path = PAGE_PATH
        permission = "dev.training"

        async def get_page(self, request: Request) -> Page:
            actor = await request_actor(request)
            committee = bool(actor and actor.scope == "all" and actor.can("dev.training.manage"))
            return Page(title="培训管理", body=[page_body(svc, committee), read_tracker(PAGE_URL)])

    return [TrainingPage]


def columns(c) -> list[ListColumn]:
    return [ListColumn(f"{c.key}_label", "培训班")]


async def todo_items(c, session, actor) -> list:
    """Students at the step with classes open for signup; branches with screening to do; the
    committee with classes to flow, confirm or close (once, from the first declared type)."""
    items = []
    now = clock.utcnow()
    if actor.scope == "self":
        record = await own_record_at(session, actor.id, c.stage, c.step)
        if record is None:
            return []
        if not await task_store.first_open(session, [record], c.task):
            return []
        busy = (await session.execute(select(func.count()).select_from(TrainingSignup).where(
            TrainingSignup.record_id == record.id, TrainingSignup.status.in_(("signed_up", "selected")),
            TrainingSignup.result == ""))).scalar_one()
        open_ = (await session.execute(select(func.count()).select_from(TrainingClass).join(
            TrainingQuota, TrainingQuota.class_id == TrainingClass.id).where(
            TrainingClass.class_type == c.class_type, TrainingClass.state == "published", TrainingClass.signup_start <= now,
            TrainingClass.signup_end > now, TrainingQuota.branch_id == actor.user.party_branch_id))).scalar_one()
        if open_ and not busy:
            items.append(todo("training_signup", "培训班报名", f"{c.title}报名中，请报名参加", link="/mp/training",
                              object_id=record.id))
        return items
    if actor.scope == "branch" and actor.can("dev.training.screen"):
        waiting = (await session.execute(select(func.count()).select_from(TrainingQuota).join(
            TrainingClass, TrainingClass.id == TrainingQuota.class_id).where(
            TrainingClass.class_type == c.class_type, TrainingClass.state == "screening",
            TrainingQuota.branch_id == actor.branch_id, TrainingQuota.submitted_at.is_(None)))).scalar_one()
        if waiting:
            items.append(todo("training_screen", "筛选报名名单", f"有 {waiting} 个{c.title}待筛选报名名单",
                              link=f"/admin/#{PAGE_URL}", object_type="training_class"))
    if actor.scope == "all" and actor.can("dev.training.manage"):
        rows = (await session.execute(select(TrainingClass).where(
            TrainingClass.class_type == c.class_type, TrainingClass.state.in_(("published", "screening", "training"))))).scalars()
        due = [x for x in rows if (x.state == "published" and x.signup_end <= now) or x.state == "screening"
               or (x.state == "training" and x.train_end <= now)]
        if due:
            items.append(todo("training_manage", "培训管理", f"有 {len(due)} 个{c.title}待处理", link=f"/admin/#{PAGE_URL}",
                              object_type="training_class"))
    return items
