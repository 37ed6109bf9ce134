"""What a committee meeting use shows in the admin UI: on the stage's list the 进入支委会议
(vote form: 导出表决票, then time, place, attendance and a result per person) or
填报支委会议时间 (time-only form) dialog, for one person or the ticked ones; the page of held
meetings with their minutes and ballots; the branch's to-do item."""
from __future__ import annotations

from fastapi import Request
from fastapi_amis_admin.amis.components import Page, PageSchema
from sqlalchemy import func, select

from core.admin_site import XfPage
from core.amis_crud import crud, operations
from core.outbox import read_tracker
from core.workflow.kit import todo
from core.workflow.people import at_step


def prefix(c) -> str:
    return f"{c.stage_def.api_prefix}/{c.path}"


def meeting_path(c) -> str:
    return f"/{c.stage_def.slug or c.stage}_{c.path}"


def time_field(label: str) -> dict:
    return {"type": "input-datetime", "name": "held_at", "label": label, "required": True, "maxDate": "${NOW}",
            "format": "YYYY-MM-DDTHH:mm:ss", "inputFormat": "YYYY-MM-DD HH:mm"}


def vote_form(c) -> list[dict]:
    """The form's ``items`` (one row per person voted on) come from the dialog's data."""
    options = [{"label": label, "value": key} for key, label in c.options().items()]
    return [
        {"type": "button", "label": "导出表决票", "icon": "fa fa-download", "actionType": "url", "blank": True,
         "url": f"{prefix(c)}/ballot?record_ids=${{items|pluck:record_id|join:,}}&copies=${{copies || 1}}"},
        {"type": "input-number", "name": "copies", "label": "表决票份数", "min": 1, "max": 100, "value": 1,
         "description": "每位表决人一份"},
        {"type": "divider"},
        time_field("会议时间"),
        {"type": "input-text", "name": "place", "label": "会议地点", "required": True, "maxLength": 100},
        {"type": "group", "body": [
            {"type": "input-number", "name": "expected", "label": "应到人数", "required": True, "min": 1},
            {"type": "input-number", "name": "present", "label": "实到人数", "required": True, "min": 1}]},
        {"type": "input-text", "name": "attendees", "label": "出席人员"},
        {"type": "input-text", "name": "absentees", "label": "缺席人员及原因"},
        {"type": "input-table", "name": "items", "label": "表决结果", "needConfirm": False, "columns": [
             {"name": "name", "label": "姓名", "type": "static"},
             {"name": "outcome", "label": "表决结果", "type": "select", "required": True, "options": options,
              "changeImmediately": True},
             {"name": "note", "label": "说明", "type": "input-text", "changeImmediately": True}]},
        {"type": "textarea", "name": "note", "label": "其他记录"},
    ]


def dialog(label: str, body: list[dict], api: dict, data: dict | None = None) -> dict:
    form = {"type": "form", "api": api, "body": body}
    if data:
        form["data"] = data
    return {"type": "button", "label": label, "actionType": "dialog", "dialog": {"title": label, "size": "lg", "body": form}}


def time_form() -> list[dict]:
    return [time_field("支委会议时间"), {"type": "input-text", "name": "place", "label": "会议地点", "maxLength": 100}]


def row_actions(c) -> list[dict]:
    here = f"this.step === '{c.step}' && this.status === 'active'"
    if c.vote:
        btn = dialog("进入支委会议", vote_form(c), {"method": "post", "url": prefix(c)},
                     {"items": [{"record_id": "${id}", "name": "${name}"}]})
    else:
        btn = dialog(c.title, time_form(), {"method": "post", "url": prefix(c), "data": {"&": "$$", "record_ids": ["${id}"]}})
    btn.update(level="link", visibleOn=here)
    return [btn]


def bulk_actions(c) -> list[dict]:
    if c.vote:
        return [dialog("批量进入支委会议", vote_form(c), {"method": "post", "url": prefix(c)},
                       {"items": "${selectedItems|pick:record_id~id,name~name}"})]
    return [dialog(f"批量{c.title}", time_form(), {"method": "post", "url": prefix(c), "data": {"&": "$$", "record_ids": "${ids|split}"}})]


def pages(c) -> list[type]:
    label = f"{c.title}记录"
    base = prefix(c)

    class MeetingPage(XfPage):
        page_schema = PageSchema(label=label, icon="fa fa-users")
        page_path = meeting_path(c)
        permission = c.permission

        async def get_page(self, request: Request) -> Page:
            columns = [{"name": "title", "label": "会议"}, {"name": "branch_name", "label": "党支部"},
                       {"name": "held_at", "label": "会议时间", "type": "tpl", "tpl": "${held_at|xftime}"},
                       {"name": "place", "label": "地点"},
                       {"name": "present", "label": "参会情况", "type": "tpl",
                        "tpl": "${expected ? '应到' + expected + '人，实到' + present + '人' : ''}"},
                       {"name": "people_count", "label": "人数"},
                       operations(
                           {"type": "button", "label": "详情", "level": "link", "actionType": "dialog", "dialog": {
                               "title": "${title}", "size": "lg", "actions": [], "body": {
                                   "type": "service", "api": f"get:{base}/${{id}}", "body": [
                                       {"type": "property", "column": 2, "items": [
                                           {"label": "出席人员", "content": "${attendees}"},
                                           {"label": "缺席人员及原因", "content": "${absentees}"},
                                           {"label": "其他记录", "content": "${note}"}]},
                                       {"type": "table", "source": "${entries}", "columns": [
                                           {"name": "name", "label": "姓名"}, {"name": "student_no", "label": "学号"},
                                           {"name": "outcome_label", "label": "表决结果"}, {"name": "note", "label": "说明"}]}]}}},
                           {"type": "button", "label": "会议记录", "level": "link", "actionType": "url", "blank": True,
                            "url": "${minutes_url}", "visibleOn": "this.minutes_url"},
                           {"type": "button", "label": "表决票", "level": "link", "actionType": "url", "blank": True,
                            "url": "${ballot_url}", "visibleOn": "this.ballot_url"})]
            return Page(title=label, body=[crud(f"get:{base}", columns), read_tracker(c.page_url)])

    MeetingPage.__name__ = MeetingPage.__qualname__ = f"Meeting_{c.stage}_{c.kind}"
    return [MeetingPage]


async def todo_items(c, session, actor) -> list:
    if actor.scope == "self" or not actor.can(c.permission):
        return []
    q = at_step(actor, c.stage, c.step)
    waiting = (await session.execute(select(func.count()).select_from(q.subquery()))).scalar_one()
    if not waiting:
        return []
    return [todo("committee_meeting", c.title, f"有 {waiting} 名{c.people_label}等待{c.title}",
                 link=f"/admin/#{c.page_url}", object_type=c.stage_def.slug or c.stage)]
