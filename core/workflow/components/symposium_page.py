"""What a symposium use shows in the admin UI: the 座谈会管理 page (list, arrange, the detail
with the people, 批量导出记录表 as PDF or zip, 批量上传记录, single upload, 完成座谈会), its
column, row and batch buttons on the stage's list, and the branch's to-do items."""
from __future__ import annotations

from fastapi import Request
from fastapi_amis_admin.amis.components import Page, PageSchema
from sqlalchemy import func, select

from core.admin_site import XfPage
from core.amis_crud import crud, dialog_button, operations
from core.outbox import read_tracker
from core.workflow.cohort import COMPLETED
from core.workflow.components.base import ListColumn
from core.workflow.components.symposium import STATES, SymposiumComponent
from core.workflow.kit import todo
from core.workflow.models import Batch

CANDIDATES = ("return {...payload, data: {options: (payload.data.items || []).map(function (i) {"
              "return {label: i.name + '（' + (i.student_no || '') + (i.branch_name ? '，' + i.branch_name : '') + '）',"
              " value: i.record_id};})}};")


def symposium_path(c: SymposiumComponent) -> str:
    return f"/{c.stage_def.slug or c.stage}_{c.path}"


def prefix(c: SymposiumComponent) -> str:
    return f"{c.stage_def.api_prefix}/{c.path}"


def meeting_fields() -> list[dict]:
    return [{"type": "input-datetime", "name": "held_at", "label": "座谈会时间", "required": True,
             "format": "YYYY-MM-DDTHH:mm:ss", "inputFormat": "YYYY-MM-DD HH:mm"},
            {"type": "input-text", "name": "place", "label": "座谈会地点", "required": True, "maxLength": 100}]


def people_table(c: SymposiumComponent) -> dict:
    """The people of one symposium with their scans; export and upload act on the ticked ones."""
    base = prefix(c)
    ticked = "${ids}"
    upload_one = dialog_button("上传", "上传记录表 - ${name}", [
        {"type": "input-file", "name": "file", "label": c.form.title, "required": True, "asBlob": True,
         "accept": ".jpg,.jpeg,.png,.pdf", "description": "图片或 PDF，文件名不限"}], "", level="link")
    upload_one["dialog"]["body"]["api"] = {"method": "post", "url": f"{base}/${{symposium_id}}/scans/${{record_id}}",
                                           "dataType": "form-data"}
    upload_many = dialog_button("批量上传记录", "批量上传记录表扫描件", [
        {"type": "alert", "level": "info", "body": "文件名必须为“姓名+学号”（如 张三20230001.pdf），可一次选择多个文件或一个 zip 压缩包；"
                                                   "有无法识别的文件时，本次不保存任何文件。"},
        {"type": "hidden", "name": "record_ids", "value": ticked},
        {"type": "input-file", "name": "files", "label": "记录表扫描件", "required": True, "multiple": True, "asBlob": True,
         "accept": ".jpg,.jpeg,.png,.pdf,.zip"}], "", level="primary")
    upload_many["dialog"]["body"]["api"] = {"method": "post", "url": f"{base}/${{symposium_id}}/scans", "dataType": "form-data"}
    exports = [{"type": "button", "label": label, "actionType": "url", "blank": True,
                "url": f"{base}/${{symposium_id}}/forms?format={fmt}&record_ids={ticked}"}
               for label, fmt in (("批量导出记录表（PDF）", "pdf"), ("批量导出记录表（每人一个文件）", "zip"))]
    return {"type": "crud", "name": "people", "source": "${entries}", "primaryField": "record_id", "syncLocation": False,
            "headerToolbar": ["bulkActions"], "bulkActions": [*exports, upload_many],
            "columns": [{"name": "name", "label": "姓名"}, {"name": "student_no", "label": "学号"},
                        {"name": "branch_name", "label": "党支部"},
                        {"name": "scan.name", "label": "记录表", "type": "tpl",
                         "tpl": "${scan ? '<a href=\"' + scan.url + '\" target=\"_blank\">已上传</a>' : '未上传'}"},
                        operations(upload_one)]}


def detail_dialog(c: SymposiumComponent) -> dict:
    base = prefix(c)
    body = {"type": "service", "api": {"method": "get", "url": f"{base}/${{id}}",
                                       "responseData": {"&": "$$", "symposium_id": "${id}"}}, "body": [
        {"type": "property", "column": 3, "items": [{"label": "座谈会时间", "content": "${held_at|xftime}"},
                                                    {"label": "座谈会地点", "content": "${place}"},
                                                    {"label": "状态", "content": "${state_label}"}]},
        people_table(c),
        {"type": "button", "label": "完成座谈会", "level": "success", "actionType": "ajax", "visibleOn": "this.can.complete",
         "confirmText": "完成后名单中的人员将进入下一环节，确定完成座谈会？", "api": f"post:{base}/${{id}}/complete",
         "reload": "crud"}]}
    return {"type": "button", "label": "座谈会管理", "level": "link", "actionType": "dialog",
            "dialog": {"title": "座谈会管理 - ${title}", "size": "xl", "actions": [], "body": body}}


def page_body(c: SymposiumComponent) -> dict:
    base = prefix(c)
    arrange = dialog_button("安排座谈会", "安排座谈会", [
        {"type": "select", "name": "record_ids", "label": "参加人员", "required": True, "multiple": True, "searchable": True,
         "joinValues": False, "extractValue": True,
         "source": {"method": "get", "url": f"{base}/candidates", "adaptor": CANDIDATES}}, *meeting_fields()],
        f"post:{base}", icon="fa fa-plus", reload="crud")
    edit = dialog_button("修改", "修改座谈会 - ${title}", meeting_fields(), f"put:{base}/${{id}}", level="link",
                         visible_on="this.state === 'draft'", init_api=f"get:{base}/${{id}}")
    columns = [{"name": "title", "label": "座谈会"}, {"name": "branch_name", "label": "党支部"},
               {"name": "held_at", "label": "座谈会时间", "type": "tpl", "tpl": "${held_at|xftime}"},
               {"name": "place", "label": "地点"}, {"name": "people_count", "label": "人数"},
               {"name": "scanned_count", "label": "已上传记录表"}, {"name": "state_label", "label": "状态"},
               operations(detail_dialog(c), edit,
                          {"type": "button", "label": "删除", "level": "link", "className": "text-danger",
                           "actionType": "ajax", "confirmText": "确定删除这次座谈会？已上传的记录表将一并作废。",
                           "api": f"delete:{base}/${{id}}", "visibleOn": "this.state === 'draft'"})]
    filters = [{"type": "select", "name": "state", "label": "状态", "clearable": True,
                "options": [{"label": label, "value": code} for code, label in STATES.items()]}]
    return crud(f"get:{base}", columns, filters=filters, header=[arrange])


def pages(c: SymposiumComponent) -> list[type]:
    label = c.page_title or c.title

    class SymposiumPage(XfPage):
        page_schema = PageSchema(label=label, icon="fa fa-comments")
        page_path = symposium_path(c)
        permission = c.permission

        async def get_page(self, request: Request) -> Page:
            return Page(title=label, body=[page_body(c), read_tracker(c.page_url)])

    SymposiumPage.__name__ = SymposiumPage.__qualname__ = f"Symposium_{c.stage}_{c.kind}"
    return [SymposiumPage]


def columns(c: SymposiumComponent) -> list[ListColumn]:
    return [ListColumn(f"{c.key}_label", "座谈会"), ListColumn(f"{c.key}_id", "座谈会编号", int | None, show=False)]


def row_actions(c: SymposiumComponent) -> list[dict]:
    here = f"this.step === '{c.step}' && this.status === 'active'"
    return [{"type": "button", "label": "座谈会管理", "level": "link", "actionType": "link",
             "link": f"/admin/development/page{symposium_path(c)}", "visibleOn": here}]


def bulk_actions(c: SymposiumComponent) -> list[dict]:
    btn = dialog_button("座谈会管理", "安排座谈会（所选人员）", meeting_fields(), "", level="default")
    btn["dialog"]["body"]["api"] = {"method": "post", "url": prefix(c), "data": {"&": "$$", "record_ids": "${ids|split}"}}
    btn["dialog"]["body"]["redirect"] = f"/admin/development/page{symposium_path(c)}"
    return [btn]


async def todo_items(c: SymposiumComponent, session, actor) -> list:
    if actor.scope == "self" or not actor.can(c.permission):
        return []
    waiting = len(await c.choosable(session, actor))
    open_ = (await session.execute(select(func.count()).select_from(Batch).where(
        Batch.kind == c.kind, Batch.state != COMPLETED, c.scope(actor)))).scalar_one()
    items = []
    link = f"/admin/#/admin/development/page{symposium_path(c)}"
    if waiting:
        items.append(todo("arrange_symposium", "安排座谈会", f"有 {waiting} 名{c.people_label}待安排{c.title}", link=link,
                          object_type=c.stage_def.slug or c.stage))
    if open_:
        items.append(todo("complete_symposium", "完成座谈会", f"有 {open_} 次{c.noun}待上传记录表并完成", link=link,
                          object_type=c.stage_def.slug or c.stage))
    return items

