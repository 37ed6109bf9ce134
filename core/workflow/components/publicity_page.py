"""The amis page of one publicity use (公示管理): settings, create, content, generate, export,
objection, report, complete; and the 公示管理 button of the stage's list."""

from fastapi import Request
from fastapi_amis_admin.amis.components import Page, PageSchema

from core.admin_site import XfPage
from core.amis_crud import crud, dialog_button, operations
from core.outbox import read_tracker
from core.workflow.components.publicity import STATES, PublicityComponent

CANDIDATE_OPTIONS = ("return {...payload, data: {options: (payload.data.items || []).map(function (i) {"
                     "return {label: i.name + '（' + (i.student_no || '') + (i.branch_name ? '，' + i.branch_name : '') + '）',"
                     " value: i.record_id};})}};")


def settings_form(prefix: str) -> list[dict]:
    return [
        {"type": "input-text", "name": "title", "label": "公示标题", "required": True},
        {"type": "textarea", "name": "intro", "label": "公示说明", "minRows": 3},
        {"type": "input-text", "name": "organiser", "label": "发布单位"},
        {"type": "input-text", "name": "contact", "label": "联系人"},
        {"type": "input-text", "name": "phone", "label": "联系电话"},
        {"type": "input-text", "name": "objection", "label": "异议反映邮箱/地址"},
        {"type": "input-number", "name": "working_days", "label": "公示期（工作日）", "min": 1, "max": 30},
    ]


def content_form(component: PublicityComponent, prefix: str) -> list[dict]:
    columns = [
        {"name": "record_id", "label": component.people_label, "type": "select", "required": True, "searchable": True,
         "source": {"method": "get", "url": f"{prefix}/${{__super.id}}/candidates", "adaptor": CANDIDATE_OPTIONS}},
        {"name": "brief", "label": "简要表现情况", "type": "input-text", "required": True},
    ]
    if component.with_contact:
        columns += [{"name": "contact", "label": "联系人", "type": "input-text"},
                    {"name": "phone", "label": "联系电话", "type": "input-text"}]
    people = {"type": "input-table", "name": "people", "label": "公示名单", "addable": True, "removable": True, "editable": True,
              "needConfirm": False, "columns": columns}
    if component.with_contact:
        # 批量填写支部联系人信息: one row per branch of the saved list fills all its people.
        people = {"type": "tabs", "tabs": [
            {"title": "公示名单", "body": [people]},
            {"title": "批量填写支部联系人信息", "body": [
                {"type": "alert", "level": "info",
                 "body": "为每个党支部填写一次联系人和联系电话，保存后自动填入公示名单中该支部所有人员（先保存名单再按支部填写）。"},
                {"type": "input-table", "name": "branch_contacts", "label": "支部联系人", "needConfirm": False,
                 "addable": False, "removable": False, "columns": [
                     {"name": "branch_name", "label": "党支部", "type": "static"},
                     {"name": "contact", "label": "联系人", "type": "input-text", "changeImmediately": True},
                     {"name": "phone", "label": "联系电话", "type": "input-text", "changeImmediately": True}]}]}]}
    return [
        {"type": "input-text", "name": "title", "label": "公示标题", "required": True},
        {"type": "textarea", "name": "intro", "label": "公示说明", "minRows": 3},
        {"type": "group", "body": [
            {"type": "input-text", "name": "organiser", "label": "发布单位"},
            {"type": "input-text", "name": "contact", "label": "联系人"},
            {"type": "input-text", "name": "phone", "label": "联系电话"}]},
        {"type": "group", "body": [
            {"type": "input-date", "name": "signature_date", "label": "落款日期", "required": True, "format": "YYYY-MM-DD"},
            {"type": "input-date", "name": "start_date", "label": "公示开始日期", "required": True, "format": "YYYY-MM-DD", "minDate": "${NOW}"},
            {"type": "input-date", "name": "end_date", "label": "公示结束日期", "format": "YYYY-MM-DD",
             "description": "不填则按公示设置的工作日自动计算"}]},
        people,
    ]


def publicity_page_body(component: PublicityComponent, prefix: str) -> dict:
    detail_api = {"method": "get", "url": f"{prefix}/${{id}}",
                  "responseData": {"&": "$$", "people": "${entries}", "branch_contacts": "${branches}"}}
    content = dialog_button("设置公示内容", "设置公示内容 - ${title}", content_form(component, prefix), f"put:{prefix}/${{id}}/content",
                            level="link", size="xl", visible_on="this.status === 'draft'")
    content["dialog"]["body"]["initApi"] = detail_api
    columns = [
        {"name": "title", "label": "公示标题"},
        {"name": "branch_name", "label": "党支部"},
        {"name": "people_count", "label": "人数"},
        {"name": "objection_count", "label": "异议人数"},
        {"name": "signature_date", "label": "落款日期"},
        {"name": "start_date", "label": "开始日期"},
        {"name": "end_date", "label": "结束日期"},
        {"name": "state_label", "label": "公示状态", "type": "tpl",
         "tpl": "<span class='label ${state === \"running\" ? \"label-warning\" : (state === \"completed\" ? \"label-success\" : \"label-default\")}'>${state_label}</span>"},
        operations(
            content,
            {"type": "button", "label": "确认并生成公示", "level": "link", "actionType": "ajax", "confirmText": "确认公示内容无误并生成公示文件？",
             "api": f"post:{prefix}/${{id}}/generate", "visibleOn": "this.status === 'draft' && this.people_count > 0"},
            {"type": "button", "label": "导出公示文件", "level": "link", "actionType": "url", "blank": True,
             "url": "${document_url}", "visibleOn": "this.document_url"},
            dialog_button("生成公示报告", "生成公示报告", [
                {"type": "textarea", "name": "note", "label": "补充说明", "placeholder": "如：公示期间未收到任何异议。"}],
                f"post:{prefix}/${{id}}/report", level="link", visible_on="this.state === 'ended'"),
            {"type": "button", "label": "导出公示报告", "level": "link", "actionType": "url", "blank": True,
             "url": "${report_url}", "visibleOn": "this.report_url"},
            dialog_button("登记异议", "登记异议 - ${title}", [
                {"type": "select", "name": "record_id", "label": "人员", "required": True, "source": "${entries}",
                 "labelField": "name", "valueField": "record_id", "description": "移出后仍留在本环节，可参加之后的公示"},
                {"type": "textarea", "name": "reason", "label": "异议情况", "required": True}],
                f"post:{prefix}/${{id}}/objection", level="link", visible_on="this.status === 'published'",
                init_api=f"get:{prefix}/${{id}}"),
            {"type": "button", "label": "完成公示", "level": "link", "actionType": "ajax",
             "confirmText": "完成公示后，名单中的人员将进入下一环节并收到公示结果通知，确定完成？",
             "api": f"post:{prefix}/${{id}}/complete", "visibleOn": "this.state === 'ended' && this.has_report"},
            {"type": "button", "label": "删除", "level": "link", "className": "text-danger", "actionType": "ajax",
             "confirmText": "确定删除这条未生成的公示？", "api": f"delete:{prefix}/${{id}}", "visibleOn": "this.status === 'draft'"},
        ),
    ]
    settings = dialog_button("公示设置", "公示设置（新增公示时自动填入）", settings_form(prefix), f"put:{prefix}/settings",
                             level="default", icon="fa fa-cog", init_api=f"get:{prefix}/settings")
    create = {"type": "button", "label": "新增公示", "level": "primary", "icon": "fa fa-plus", "actionType": "ajax",
              "api": f"post:{prefix}", "reload": "crud"}
    filters = [{"type": "select", "name": "state", "label": "公示状态", "clearable": True,
                "options": [{"label": label, "value": code} for code, label in STATES.items()]}]
    return crud(f"get:{prefix}", columns, filters=filters, header=[settings, create])


def publicity_page_path(component: PublicityComponent) -> str:
    stage = component.stage_def
    return f"/{stage.slug or stage.key}_{component.path}"


def pages(component: PublicityComponent) -> list[type]:
    stage = component.stage_def
    prefix = f"{stage.api_prefix}/{component.path}"
    label = component.page_title or component.title

    class PublicityPage(XfPage):
        page_schema = PageSchema(label=label, icon="fa fa-bullhorn")
        page_path = publicity_page_path(component)
        permission = component.permission

        async def get_page(self, request: Request) -> Page:
            return Page(title=label, body=[publicity_page_body(component, prefix),
                                           read_tracker(f"/admin/development/page{self.page_path}")])

    PublicityPage.__name__ = PublicityPage.__qualname__ = f"Publicity_{stage.key}_{component.kind}"
    return [PublicityPage]


def row_actions(component: PublicityComponent) -> list[dict]:
    return [{"type": "button", "label": "公示管理", "level": "link", "actionType": "link",
             "link": f"/admin/development/page{publicity_page_path(component)}",
             "visibleOn": f"this.step === '{component.step}' && this.status === 'active'"}]
