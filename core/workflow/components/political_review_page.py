"""The 政审管理 page of a political review use: the committee's list and 新增政审; the detail
dialog shows what the review's state asks — 确定政审名单, the relatives each person filled and
确认信息填报, 生成函调信 with its exports and 流转支部, the branch's 政审意见 and 流转党委审议,
the committee's results with scans and 完成政审. Plus the 政审管理 button of the stage's list
and the to-do items of the committee, the branches and the people."""
from __future__ import annotations

from fastapi import Request
from fastapi_amis_admin.amis.components import Page, PageSchema
from sqlalchemy import bindparam, exists, func, select

from core.admin_site import XfPage, request_actor
from core.amis_crud import crud, operations, upload_receiver
from core.outbox import read_tracker
from core.workflow.components.political_review import RESULTS, STATES, PoliticalReview
from core.workflow import own_record
from core.workflow.kit import todo
from core.workflow.models import Batch, BatchEntry

CANDIDATES = ("return {...payload, data: {options: (payload.data.items || []).map(function (i) {"
              "return {label: i.name + '（' + (i.student_no || '') + (i.branch_name ? '，' + i.branch_name : '') + '）',"
              " value: i.record_id};})}};")


def review_path(c: PoliticalReview) -> str:
    return f"/{c.stage_def.slug or c.stage}_{c.path}"


def action(label: str, api: str, *, visible: str, confirm: str = "", level: str = "primary") -> dict:
    btn = {"type": "button", "label": label, "level": level, "actionType": "ajax", "api": api, "visibleOn": visible,
           "reload": "review-detail"}
    if confirm:
        btn["confirmText"] = confirm
    return btn


def relatives_tpl() -> str:
    return ("${relatives.length ? ARRAYMAP(relatives, item => item.relation + '：' + item.name + '，' + item.work_unit + '，'"
            " + item.political_status + '，' + item.phone) : '未填写'}")


def detail_body(c: PoliticalReview, base: str) -> list[dict]:
    one = f"{base}/${{id}}"
    people = {"type": "form", "title": "确定政审名单", "visibleOn": "this.can.choose", "api": f"put:{one}/people",
              "reload": "review-detail", "body": [
                  {"type": "transfer", "name": "record_ids", "label": "政审名单", "searchable": True, "joinValues": False,
                   "extractValue": True, "value": "${entries|pluck:record_id}",
                   "source": {"method": "get", "url": f"{one}/candidates", "adaptor": CANDIDATES}}]}
    table = {"type": "table", "source": "${entries}", "columns": [
        {"name": "name", "label": "姓名"}, {"name": "student_no", "label": "学号"}, {"name": "branch_name", "label": "党支部"},
        {"name": "relatives", "label": "直系亲属", "type": "tpl", "tpl": relatives_tpl()},
        {"name": "letters_url", "label": "函调信", "type": "tpl",
         "tpl": "${letters_url ? '<a href=\"' + letters_url + '\" target=\"_blank\">查看</a>' : ''}"},
        {"name": "opinion", "label": "政审意见"},
        {"name": "outcome_label", "label": "审议结果"}]}
    letters = {"type": "form", "title": "下发函调信", "visibleOn": "this.can.letters", "api": f"post:{one}/letters",
               "reload": "review-detail", "data": {"&": "${recipient}"}, "body": [
                   {"type": "input-text", "name": "recipient", "label": "党支部收件人", "required": True},
                   {"type": "input-text", "name": "phone", "label": "收件人电话", "required": True},
                   {"type": "input-text", "name": "address", "label": "收件地址", "required": True},
                   {"type": "input-date", "name": "signature_date", "label": "落款时间", "required": True,
                    "format": "YYYY-MM-DD", "value": "${signature_date}"}],
               "actions": [{"type": "submit", "label": "生成函调信", "level": "primary"}]}
    exports = [{"type": "button", "label": label, "actionType": "url", "blank": True, "visibleOn": "this.letters_url",
                "url": f"{one}/letters?format={fmt}"} for label, fmt in (("导出函调信（PDF）", "pdf"), ("导出函调信（每人一个文件）", "zip"))]
    opinions = {"type": "form", "title": "填写政审意见", "visibleOn": "this.can.opinions", "api": f"put:{one}/opinions",
                "reload": "review-detail", "data": {"items": "${entries|pick:record_id~record_id,name~name,opinion~opinion}"},
                "body": [{"type": "input-table", "name": "items", "label": "政审意见", "needConfirm": False,
                          "changeImmediately": True, "columns": [
                    {"name": "name", "label": "姓名", "type": "static"},
                    {"name": "opinion", "label": "政审意见", "type": "textarea", "required": True, "changeImmediately": True}]}],
                "actions": [{"type": "submit", "label": "保存政审意见"}]}
    results = {"type": "form", "title": "党委审议", "visibleOn": "this.can.results", "api": f"put:{one}/results",
               "reload": "review-detail", "data": {"items": "${entries|pick:record_id~record_id,name~name,outcome~outcome}"},
               "body": [{"type": "input-table", "name": "items", "label": "审议结果", "needConfirm": False,
                         "changeImmediately": True, "columns": [
                   {"name": "name", "label": "姓名", "type": "static"},
                   {"name": "outcome", "label": "审议结果", "type": "select", "required": True, "changeImmediately": True,
                    "options": [{"label": v, "value": k} for k, v in RESULTS.items()]},
                   {"name": "note", "label": "说明", "type": "input-text", "changeImmediately": True}]},
                   {"type": "input-file", "name": "files", "label": "审议结果扫描件", "required": True, "multiple": True,
                    "receiver": upload_receiver("political_review"), "joinValues": False, "extractValue": True,
                    "accept": ".jpg,.jpeg,.png,.pdf"}],
               "actions": [{"type": "submit", "label": "保存审议结果"}]}
    remove = {"type": "form", "title": "移出政审名单", "visibleOn": "this.can.remove && this.entries.length",
              "api": f"post:{one}/remove", "reload": "review-detail", "body": [
                  {"type": "select", "name": "record_id", "label": "人员", "required": True, "source": "${entries}",
                   "labelField": "name", "valueField": "record_id"},
                  {"type": "input-text", "name": "reason", "label": "移出原因", "required": True}],
              "actions": [{"type": "submit", "label": "移出", "level": "danger"}]}
    buttons = [
        action("确定政审名单", f"post:{one}/confirm-list", visible="this.can.confirm_list",
               confirm="确定后将通知名单中的人员填写政审信息，名单不能再修改，确定？"),
        action("确认信息填报", f"post:{one}/confirm-info", visible="this.can.confirm_info"),
        action("流转支部填写政审意见", f"post:{one}/to-branches", visible="this.can.to_branches"),
        action("流转党委审议", f"post:{one}/submit-opinions", visible="this.can.opinions"),
        action("完成政审", f"post:{one}/complete", visible="this.can.complete", level="success",
               confirm="完成后，通过的人员完成政治审查，不通过的人员状态变为“政治审查-不通过”，确定？"),
        *exports]
    return [{"type": "property", "column": 3, "items": [{"label": "状态", "content": "${state_label}"},
                                                        {"label": "人数", "content": "${people_count}"},
                                                        {"label": "已填写", "content": "${filled_count}"}]},
            {"type": "button-toolbar", "buttons": buttons}, people, letters, opinions, results, table, remove]


def pages(c: PoliticalReview) -> list[type]:
    label = c.page_title or c.title
    base = f"{c.stage_def.api_prefix}/{c.path}"

    class PoliticalReviewPage(XfPage):
        page_schema = PageSchema(label=label, icon="fa fa-shield")
        page_path = review_path(c)
        permission = c.permission

        async def get_page(self, request: Request) -> Page:
            actor = await request_actor(request)
            detail = {"type": "button", "label": "详情", "level": "link", "actionType": "dialog", "dialog": {
                "title": "${title}", "size": "xl", "actions": [],
                "body": {"type": "service", "id": "review-detail", "api": f"get:{base}/${{id}}",
                         "body": detail_body(c, base)}}}
            columns = [{"name": "title", "label": "政审"}, {"name": "people_count", "label": "人数"},
                       {"name": "state_label", "label": "状态"},
                       {"name": "created_at", "label": "创建时间", "type": "tpl", "tpl": "${created_at|xftime}"},
                       operations(detail, {"type": "button", "label": "删除", "level": "link", "className": "text-danger",
                                           "actionType": "ajax", "confirmText": "确定删除这次政审？",
                                           "api": f"delete:{base}/${{id}}", "visibleOn": "this.state === 'draft'"})]
            header = [{"type": "button", "label": "新增政审", "level": "primary", "icon": "fa fa-plus", "actionType": "ajax",
                       "api": f"post:{base}", "reload": "crud"}] if actor is not None and actor.scope == "all" else []
            filters = [{"type": "select", "name": "state", "label": "状态", "clearable": True,
                        "options": [{"label": v, "value": k} for k, v in STATES.items()]}]
            return Page(title=label, body=[crud(f"get:{base}", columns, filters=filters, header=header),
                                           read_tracker(c.page_url)])

    PoliticalReviewPage.__name__ = PoliticalReviewPage.__qualname__ = f"PoliticalReview_{c.stage}_{c.kind}"
    return [PoliticalReviewPage]


def header_actions(c: PoliticalReview) -> list[dict]:
    return [{"type": "button", "label": c.page_title or c.title, "actionType": "link", "icon": "fa fa-shield",
             "link": f"/admin/development/page{review_path(c)}"}]


# Whether the person stands in any cohort at all (most students do not): read with their record.
own_record.probe("review_entry", lambda: exists().where(BatchEntry.user_id == bindparam("user_id"),
                                                        BatchEntry.removed_at.is_(None)))


async def todo_items(c: PoliticalReview, session, actor) -> list:
    items = []
    if actor.scope == "self":
        if not await own_record.may_have(session, actor.id, "review_entry"):
            return items
        found = await c.mine(session, actor.id)
        if found and found[0].state == "filling" and not (found[1].data or {}).get("relatives"):
            items.append(todo("political_review", "政治审查", "请填写直系亲属政审信息", link=f"/mp/development/{c.mp_path}",
                              object_type="political_review", object_id=found[0].id))
        return items
    if not actor.can(c.permission):
        return items
    link = c.page_link
    if actor.scope == "all":
        rows = dict((await session.execute(select(Batch.state, func.count()).where(
            Batch.kind == c.kind, Batch.state.in_(["letters", "review"])).group_by(Batch.state))).all())
        for state, kind, label in (("letters", "send_letters", "下发函调信"), ("review", "decide_review", "党委审议")):
            if rows.get(state):
                items.append(todo(kind, label, f"有 {rows[state]} 次{c.noun}待{label}", link=link,
                                  object_type="political_review"))
        return items
    rows = (await session.execute(select(BatchEntry.batch_id, BatchEntry.data).join(Batch, Batch.id == BatchEntry.batch_id).where(
        Batch.kind == c.kind, Batch.state == "opinion", BatchEntry.branch_id == actor.branch_id,
        BatchEntry.removed_at.is_(None)))).all()
    waiting = len({bid for bid, data in rows if not (data or {}).get("opinion_submitted_at")})
    if waiting:
        items.append(todo("write_opinion", "填写政审意见", f"有 {waiting} 次{c.noun}待填写本支部的政审意见", link=link,
                          object_type="political_review"))
    return items

