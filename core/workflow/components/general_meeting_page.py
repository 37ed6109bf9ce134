"""The 组织生活 admin page (one for every use of ``GeneralMeeting``): 创建组织生活, 设置基本信息,
导入人员, 表决对象, 生成表决票, 保存并发布, the 签到码 and 签退码 during the meeting, 参会情况
with 补录/请假, 确认参会名单, 组织生活记录 and the PDFs."""
from __future__ import annotations

from fastapi import Request
from fastapi_amis_admin.amis.components import Page, PageSchema

from core.admin_site import XfPage
from core.amis_crud import crud, datetime_column, dialog_button, operations
from core.outbox import read_tracker
from core.workflow.components.general_meeting import SCOPES, STATE_LABELS, TYPES

PAGE_PATH = "/org_life"
PAGE_URL = f"/admin/development/page{PAGE_PATH}"
API = "/api/pc/v1/development/org-life"

OPTIONS_ADAPTOR = ("return {...payload, data: {options: (payload.data.items || []).map(function (i) {"
                   "return {label: i.name + '（' + (i.student_no || '') + '）', value: i.record_id};}),"
                   " value: (payload.data.items || []).filter(function (i) {return i.chosen;})"
                   ".map(function (i) {return i.record_id;})}};")


def _options(labels: dict) -> list[dict]:
    return [{"label": label, "value": code} for code, label in labels.items()]


def base_form(uses) -> list[dict]:
    votes = [{"label": c.vote_label, "value": c.vote} for c in uses]
    return [
        {"type": "select", "name": "branch_id", "label": "党支部", "source": "get:/api/pc/v1/orgs/options?kind=party",
         "visibleOn": "this.__scope === 'all'", "description": "学院党委创建时选择召开会议的党支部"},
        {"type": "select", "name": "type", "label": "类型", "required": True, "options": _options(TYPES), "value": "general"},
        {"type": "input-text", "name": "title", "label": "会议名称", "required": True, "maxLength": 200},
        {"type": "group", "body": [
            {"type": "input-datetime", "name": "start_at", "label": "开始时间", "required": True, "format": "YYYY-MM-DDTHH:mm:ss"},
            {"type": "input-datetime", "name": "end_at", "label": "结束时间", "required": True, "format": "YYYY-MM-DDTHH:mm:ss"}]},
        {"type": "input-text", "name": "place", "label": "会议地点", "required": True, "maxLength": 200},
        {"type": "group", "body": [
            {"type": "input-text", "name": "host", "label": "主持人", "maxLength": 64},
            {"type": "input-text", "name": "recorder", "label": "记录人", "maxLength": 64}]},
        {"type": "radios", "name": "scope", "label": "发布范围", "required": True, "options": _options(SCOPES), "value": "branch",
         "description": "支部内均可参加：表决人员、积极分子、发展对象、预备党员、正式党员；仅党员：表决人员、预备党员和正式党员"},
        {"type": "switch", "name": "has_vote", "label": "是否含投票表决", "onText": "是", "offText": "否"},
        {"type": "select", "name": "vote", "label": "表决内容", "options": votes, "visibleOn": "this.has_vote",
         "requiredOn": "this.has_vote"},
        {"type": "textarea", "name": "content", "label": "会议内容", "maxLength": 2000},
    ]


def qr_dialog(kind: str, label: str) -> dict:
    return {"type": "button", "label": f"{label}码", "level": "link", "actionType": "dialog",
            "visibleOn": "this.state === 'published'",
            "dialog": {"title": f"{label}码 - ${{title}}", "size": "md", "actions": [], "body": {
                "type": "service", "api": f"get:{API}/${{id}}/code/{kind}", "body": [
                    {"type": "tpl", "tpl": f"<img src='{API}/${{id}}/qr/{kind}' width='360' height='360' alt='{label}码'>",
                     "className": "block text-center"},
                    {"type": "tpl", "tpl": f"请参会人员用手机扫码{label}（微信或手机相机均可），有效期：${{valid_text}}",
                     "className": "block mt-2"},
                    {"type": "link", "href": "${url}", "body": "${url}", "blank": True}]}}}


def attendance_dialog() -> dict:
    mark = lambda label, action, extra: dialog_button(  # noqa: E731
        f"批量{label}", f"{label}", [{"type": "hidden", "name": "action", "value": action}, *extra],
        "", level="default")
    supplement, leave = mark("补录", "supplement", []), mark("请假", "leave", [
        {"type": "input-text", "name": "note", "label": "请假原因", "required": True, "maxLength": 200}])
    for btn in (supplement, leave):
        btn["dialog"]["body"]["api"] = {"method": "post", "url": f"{API}/${{meeting_id}}/attendance",
                                        "data": {"&": "$$", "user_ids": "${ids|split}"}}
    listing = crud(f"get:{API}/${{meeting_id}}/attendance", [
        {"name": "name", "label": "姓名"}, {"name": "student_no", "label": "学号"},
        {"name": "voter", "label": "表决人员", "type": "mapping", "map": {"true": "是", "false": ""}},
        {"name": "status_label", "label": "参会情况"}, datetime_column("signed_in_at", "签到时间"),
        datetime_column("signed_out_at", "签退时间"), {"name": "note", "label": "请假原因"},
    ], bulk_actions=[supplement, leave], per_page=500)
    listing.update({"primaryField": "user_id", "id": "attendance", "name": "attendance"})
    return {"type": "button", "label": "参会情况", "level": "link", "actionType": "dialog",
            "visibleOn": "this.state !== 'draft'",
            "dialog": {"title": "参会情况 - ${title}", "size": "xl", "actions": [], "data": {"meeting_id": "${id}", "title": "${title}"},
                       "body": [{"type": "tpl", "tpl": "会议结束后可补录、请假；确认参会名单时，未签到、未补录、未请假的人员记为缺席。",
                                 "className": "block mb-2 text-muted"}, listing]}}


def record_dialog() -> dict:
    btn = dialog_button("组织生活记录", "组织生活记录 - ${title}", [
        {"type": "tpl", "tpl": "应到（有表决权的正式党员）${counts.voters}人，实到${counts.present_voters}人。"
                               "赞成票超过应到人数的半数方为通过。", "visibleOn": "this.has_vote", "className": "block mb-2"},
        {"type": "input-table", "name": "items", "label": "表决结果", "visibleOn": "this.has_vote", "editable": True,
         "needConfirm": False, "columns": [
             {"name": "name", "label": "姓名", "type": "static"},
             {"name": "student_no", "label": "学号", "type": "static"},
             # changeImmediately: a cell's value reaches the form at once, not after amis' lazy-change
             # delay, so 确认 pressed right after typing the last count sends that count.
             {"name": "outcome", "label": "表决结果", "type": "select", "source": "${outcomes}", "required": True,
              "changeImmediately": True},
             {"name": "yes", "label": "赞成", "type": "input-number", "min": 0, "required": True, "changeImmediately": True},
             {"name": "no", "label": "反对", "type": "input-number", "min": 0, "required": True, "changeImmediately": True},
             {"name": "abstain", "label": "弃权", "type": "input-number", "min": 0, "required": True, "changeImmediately": True}]},
        {"type": "textarea", "name": "minutes", "label": "会议记录", "minRows": 6, "maxLength": 5000},
    ], f"post:{API}/${{id}}/record", level="link", size="xl", visible_on="this.state === 'confirmed'")
    btn["dialog"]["body"]["initApi"] = {"method": "get", "url": f"{API}/${{id}}",
                                        "responseData": {"&": "$$", "items": "${people}"}}
    return btn


def page_body(uses) -> dict:
    edit = dialog_button("编辑", "设置基本信息 - ${title}", base_form(uses), f"put:{API}/${{id}}", level="link", size="lg",
                         visible_on="this.state === 'draft'", init_api=f"get:{API}/${{id}}")
    voters = dialog_button("导入人员", "导入表决人员 - ${title}", [
        {"type": "transfer", "name": "user_ids", "label": "表决人员", "searchable": True, "required": True,
         "joinValues": False, "extractValue": True,  # the API takes a list of ids, not amis' "1,2,3"
         "source": f"get:{API}/voter-options?branch_id=${{branch_id}}", "description": "本支部有表决权的正式党员"}],
        f"put:{API}/${{id}}/voters", level="link", size="lg", visible_on="this.state === 'draft' && this.has_vote")
    voters["dialog"]["body"]["initApi"] = {"method": "get", "url": f"{API}/${{id}}",
                                           "responseData": {"user_ids": "${voters|pick:user_id}"}}
    people = dialog_button("表决对象", "选择表决对象 - ${title}", [
        {"type": "checkboxes", "name": "record_ids", "label": "表决对象", "required": True, "checkAll": True,
         "joinValues": False, "extractValue": True,
         "source": {"method": "get", "url": f"{API}/${{id}}/candidates", "adaptor": OPTIONS_ADAPTOR}}],
        f"put:{API}/${{id}}/people", level="link", size="lg", visible_on="this.state === 'draft' && this.has_vote")
    columns = [
        {"name": "title", "label": "会议名称"}, {"name": "type_label", "label": "类型"},
        {"name": "branch_name", "label": "党支部"}, datetime_column("start_at", "开始时间"), {"name": "place", "label": "地点"},
        {"name": "vote_label", "label": "表决内容"}, {"name": "people_count", "label": "表决对象"},
        {"name": "counts.voters", "label": "应到"}, {"name": "counts.present_voters", "label": "实到"},
        {"name": "phase_label", "label": "状态"},
        operations(
            edit, voters, people,
            {"type": "button", "label": "生成表决票", "level": "link", "actionType": "ajax", "api": f"post:{API}/${{id}}/ballot",
             "visibleOn": "this.state === 'draft' && this.has_vote && this.people_count > 0"},
            {"type": "button", "label": "导出表决票", "level": "link", "actionType": "url", "blank": True, "url": "${ballot_url}",
             "visibleOn": "this.ballot_url"},
            {"type": "button", "label": "保存并发布", "level": "link", "actionType": "ajax", "api": f"post:{API}/${{id}}/publish",
             "confirmText": "发布后参会人员将收到会议通知，基本信息、表决人员和表决对象不能再修改。确定发布？",
             "visibleOn": "this.state === 'draft'"},
            qr_dialog("sign-in", "签到"), qr_dialog("sign-out", "签退"), attendance_dialog(),
            {"type": "button", "label": "确认参会名单", "level": "link", "actionType": "ajax",
             "api": f"post:{API}/${{id}}/confirm-attendance", "visibleOn": "this.phase === 'ended'",
             "confirmText": "确认后，未签到、未补录、未请假的人员记为缺席，参会名单不能再修改。确定？"},
            record_dialog(),
            {"type": "button", "label": "导出组织生活记录", "level": "link", "actionType": "url", "blank": True,
             "url": "${record_url}", "visibleOn": "this.record_url"},
            {"type": "button", "label": "删除", "level": "link", "className": "text-danger", "actionType": "ajax",
             "api": f"delete:{API}/${{id}}", "confirmText": "确定删除这条未发布的组织生活？", "visibleOn": "this.state === 'draft'"},
        ),
    ]
    create = dialog_button("创建组织生活", "设置基本信息", base_form(uses), f"post:{API}", level="primary", size="lg",
                           icon="fa fa-plus", reload="crud")
    filters = [
        {"type": "select", "name": "type", "label": "类型", "clearable": True, "options": _options(TYPES)},
        {"type": "select", "name": "vote", "label": "表决内容", "clearable": True,
         "options": [{"label": c.vote_label, "value": c.vote} for c in uses]},
        {"type": "select", "name": "state", "label": "状态", "clearable": True, "options": _options(STATE_LABELS)},
        {"type": "input-text", "name": "title", "label": "会议名称", "clearable": True},
    ]
    return crud(f"get:{API}", columns, filters=filters, header=[create])


def pages(uses) -> list[type]:
    class OrgLifePage(XfPage):
        page_schema = PageSchema(label="组织生活", icon="fa fa-users")
        page_path = PAGE_PATH
        permission = "dev.org_life"

        async def get_page(self, request: Request) -> Page:
            from core.admin_site import request_actor

            actor = await request_actor(request)
            return Page(title="组织生活", data={"__scope": actor.scope if actor else ""},
                        body=[page_body(uses), read_tracker(PAGE_URL)])

    return [OrgLifePage]
