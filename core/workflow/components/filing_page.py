"""The amis page of one filing use (备案管理 / 预审管理 / 审批管理), its buttons on the stage's
list (流转党委备案, 查看备案进度, the batch button), its list column and its to-dos."""

from fastapi import Request
from fastapi_amis_admin.amis.components import Page, PageSchema
from sqlalchemy import func, select

from core.admin_site import XfPage, request_actor
from core.amis_crud import crud, dialog_button, operations
from core.outbox import read_tracker
from core.workflow.cohort import COMPLETED
from core.workflow.components.base import ListColumn
from core.workflow.components.filing import Filing
from core.workflow.kit import todo
from core.workflow.models import Batch, BatchEntry, DevelopmentRecord
from core.workflow.people import at_step

CANDIDATE_OPTIONS = ("return {...payload, data: {options: (payload.data.items || []).map(function (i) {"
                     "return {label: i.name + '（' + (i.student_no || '') + '）', value: i.record_id};})}};")
# The detail answer turned into the dialogs' form values: the chosen people (确认并生成) and one
# result row per person, 通过 by default (确认结果).
DETAIL_ADAPTOR = ("var d = payload.data || {}; d.people = d.entries || [];"
                  "d.items = (d.entries || []).map(function (e) { return {record_id: e.record_id, name: e.name,"
                  " student_no: e.student_no, result: e.result || 'pass', opinion: e.opinion}; }); return payload;")
RESULT_OPTIONS = [{"label": "通过", "value": "pass"}, {"label": "不通过", "value": "fail"}]


def page_path(c: Filing) -> str:
    return f"/{c.stage_def.slug or c.stage}_{c.path}"


def generate_form(c: Filing, prefix: str) -> list[dict]:
    columns = [{"name": "record_id", "label": c.people_label, "type": "select", "required": True, "searchable": True,
                "source": {"method": "get", "url": f"{prefix}/${{__super.id}}/candidates", "adaptor": CANDIDATE_OPTIONS}}]
    if c.variant == "pre_review":
        columns.append({"name": "result", "label": f"{c.word}结果", "type": "select", "required": True, "options": RESULT_OPTIONS,
                        "value": "pass"})
    columns.append({"name": "opinion", "label": "意见（不通过须填写原因）" if c.variant == "pre_review" else "备注",
                    "type": "input-text"})
    return [
        {"type": "input-date", "name": "filing_date", "label": f"{c.word}填表时间", "required": True, "format": "YYYY-MM-DD",
         "maxDate": "${NOW}"},
        {"type": "input-table", "name": "people", "label": f"{c.word}名单", "addable": True, "removable": True,
         "editable": True, "needConfirm": False, "columns": columns},
        {"type": "textarea", "name": "opinion", "label": "党支部意见", "minRows": 2},
    ]


def decide_form(c: Filing) -> list[dict]:
    body: list[dict] = [
        {"type": "input-date", "name": "decided_on", "label": f"{c.word}时间", "required": True, "format": "YYYY-MM-DD",
         "maxDate": "${NOW}"},
        {"type": "textarea", "name": "opinion", "label": f"{c.authority}意见" if c.committee_decides else "说明", "minRows": 2},
    ]
    if c.variant in ("filing", "approval"):
        # changeImmediately: amis debounces a cell's change by 250 ms, and a dialog confirmed
        # within that time sent the row as it was (a 不通过 recorded as 通过).
        body.append({"type": "input-table", "name": "items", "label": f"{c.word}结果", "needConfirm": False, "editable": True,
                     "changeImmediately": True,
                     "columns": [{"name": "name", "label": "姓名", "type": "static"},
                                 {"name": "student_no", "label": "学号", "type": "static"},
                                 {"name": "result", "label": "结果", "type": "select", "required": True,
                                  "options": RESULT_OPTIONS, "changeImmediately": True},
                                 {"name": "opinion", "label": "意见（不通过须填写原因）", "type": "input-text",
                                  "changeImmediately": True}]})
    elif c.variant == "pre_review":
        body.append(people_table(c))
    return body


def people_table(c: Filing) -> dict:
    columns = [{"name": "name", "label": "姓名"}, {"name": "student_no", "label": "学号"}, {"name": "branch_name", "label": "党支部"}]
    columns += [{"name": f"dates.{k}", "label": label} for k, label in c.form_milestones]
    columns += [{"name": "result_label", "label": f"{c.word}结果"}, {"name": "opinion", "label": "意见"}]
    return {"type": "table", "source": "${entries}", "columns": columns}


def page_body(c: Filing, prefix: str, committee: bool) -> dict:
    detail = {"method": "get", "url": f"{prefix}/${{id}}", "adaptor": DETAIL_ADAPTOR}
    generate = dialog_button(f"确认并生成{c.form_title}", f"确认并生成{c.form_title} - ${{title}}", generate_form(c, prefix),
                             f"post:{prefix}/${{id}}/generate", level="link", size="lg", visible_on="this.state === 'draft'")
    generate["dialog"]["body"]["initApi"] = detail
    buttons = [
        dialog_button("详情", f"{c.word}详情 - ${{title}}", [
            {"type": "property", "column": 2, "items": [
                {"label": "党支部", "content": "${branch_name}"}, {"label": "状态", "content": "${state_label}"},
                {"label": "填表时间", "content": "${filing_date}"}, {"label": f"{c.word}时间", "content": "${decided_on}"},
                {"label": "党支部意见", "content": "${branch_opinion}", "span": 2},
                {"label": f"{c.authority}意见", "content": "${decision_opinion}", "span": 2}]},
            people_table(c)], "", level="link", size="lg", init_api=f"get:{prefix}/${{id}}"),
        generate,
        {"type": "button", "label": f"下载{c.form_title}", "level": "link", "actionType": "url", "blank": True,
         "url": "${document_url}", "visibleOn": "this.document_url"},
        {"type": "button", "label": f"提交{c.word}", "level": "link", "actionType": "ajax",
         "confirmText": f"确认{c.form_title}无误并提交{c.word}？", "api": f"post:{prefix}/${{id}}/submit",
         "visibleOn": "this.state === 'draft' && this.document_url && this.people_count > 0"},
    ]
    if c.committee_decides and committee:
        decide = dialog_button(f"确认{c.word}结果", f"确认{c.word}结果 - ${{title}}", decide_form(c), f"post:{prefix}/${{id}}/decide",
                               level="link", size="lg", visible_on="this.state === 'submitted'")
        decide["dialog"]["body"]["initApi"] = detail
        buttons.append(decide)
    if not c.committee_decides:
        buttons.append(dialog_button(f"填写{c.word}结果", f"填写{c.word}结果 - ${{title}}", decide_form(c),
                                     f"post:{prefix}/${{id}}/confirm", level="link", visible_on="this.state === 'submitted'"))
    buttons.append({"type": "button", "label": "删除", "level": "link", "className": "text-danger", "actionType": "ajax",
                    "confirmText": f"确定删除这条待提交的{c.word}？", "api": f"delete:{prefix}/${{id}}",
                    "visibleOn": "this.state === 'draft'"})
    columns = [{"name": "title", "label": f"{c.word}名称"}, {"name": "branch_name", "label": "党支部"},
               {"name": "people_count", "label": "人数"}, {"name": "filing_date", "label": "填表时间"},
               {"name": "state_label", "label": "状态"}, {"name": "decided_on", "label": f"{c.word}时间"},
               {"name": "passed", "label": "通过"}, {"name": "failed", "label": "不通过"}, operations(*buttons)]
    header = [] if committee else [dialog_button(f"新增{c.word}", f"新增{c.word}", [
        {"type": "input-date", "name": "filing_date", "label": f"{c.word}填表时间", "format": "YYYY-MM-DD", "maxDate": "${NOW}"}],
        f"post:{prefix}", level="primary", icon="fa fa-plus")]
    filters = [{"type": "select", "name": "state", "label": "状态", "clearable": True,
                "options": [{"label": "待提交", "value": "draft"}, {"label": f"{c.word}中", "value": "submitted"},
                            {"label": "已完成", "value": COMPLETED}]}]
    return crud(f"get:{prefix}", columns, filters=filters, header=header)


def pages(c: Filing) -> list[type]:
    prefix = f"{c.stage_def.api_prefix}/{c.path}"
    label = c.page_title

    class FilingPage(XfPage):
        page_schema = PageSchema(label=label, icon="fa fa-archive")
        page_path = page_path(c)
        permission = c.permission

        async def get_page(self, request: Request) -> Page:
            actor = await request_actor(request)
            committee = bool(actor and actor.scope == "all" and actor.can(c.decide_permission))
            return Page(title=label, body=[page_body(c, prefix, committee),
                                           read_tracker(f"/admin/development/page{self.page_path}")])

    FilingPage.__name__ = FilingPage.__qualname__ = f"Filing_{c.stage}_{c.kind}"
    return [FilingPage]


def columns(c: Filing) -> list[ListColumn]:
    k = c.key
    return [ListColumn(f"{k}_state_label", f"{c.word}状态"), ListColumn(f"{k}_state", f"{c.word}状态代码", show=False),
            ListColumn(f"{k}_batch_id", f"{c.word}编号", type=int | None, show=False)]


def _flow(c: Filing, data_ids) -> dict:
    return {"method": "post", "url": f"{c.stage_def.api_prefix}/{c.path}", "data": {"&": "$$", "record_ids": data_ids}}


def row_actions(c: Filing) -> list[dict]:
    here = f"this.step === '{c.step}' && this.status === 'active'"
    flow = dialog_button(c.flow_label, f"{c.flow_label} - ${{name}}", [
        {"type": "tpl", "tpl": f"将新增一条{c.word}（待提交），请在“{c.page_title}”中确认名单并生成{c.form_title}。"},
        {"type": "input-date", "name": "filing_date", "label": f"{c.word}填表时间", "format": "YYYY-MM-DD", "maxDate": "${NOW}"}],
        "", level="link", visible_on=f"{here} && !this.{c.key}_state || {here} && this.{c.key}_state === '{COMPLETED}'")
    flow["dialog"]["body"]["api"] = _flow(c, ["${id}"])
    return [flow, {"type": "button", "label": c.progress_label, "level": "link", "actionType": "link",
                   "link": f"/admin/development/page{page_path(c)}", "visibleOn": f"this.{c.key}_state"}]


def bulk_actions(c: Filing) -> list[dict]:
    flow = dialog_button(f"批量{c.flow_label}", f"批量{c.flow_label}", [
        {"type": "tpl", "tpl": f"将所选人员加入一条新的{c.word}（待提交）。"},
        {"type": "input-date", "name": "filing_date", "label": f"{c.word}填表时间", "format": "YYYY-MM-DD", "maxDate": "${NOW}"}],
        "", level="default")
    flow["dialog"]["body"]["api"] = _flow(c, "${ids|split}")
    return [flow]


async def todo_items(c: Filing, session, actor) -> list:
    items = []
    link = f"/admin/#/admin/development/page{page_path(c)}"
    if actor.scope == "branch" and actor.can(c.permission):
        busy = select(BatchEntry.record_id).join(Batch, Batch.id == BatchEntry.batch_id).where(
            Batch.kind == c.kind, Batch.state != COMPLETED, BatchEntry.removed_at.is_(None))
        q = at_step(actor, c.stage, c.step).where(DevelopmentRecord.id.notin_(busy))
        waiting = (await session.execute(select(func.count()).select_from(q.subquery()))).scalar_one()
        if waiting:
            items.append(todo("filing", c.flow_label, f"有 {waiting} 名{c.people_label}等待{c.flow_label}", link=link,
                              object_type="filing"))
        if not c.committee_decides:
            open_ = (await session.execute(select(func.count()).select_from(Batch).where(
                Batch.kind == c.kind, Batch.state == "submitted", Batch.branch_id == actor.branch_id))).scalar_one()
            if open_:
                items.append(todo("filing_result", f"填写{c.word}结果", f"有 {open_} 份{c.word}待填写结果", link=link,
                                  object_type="filing"))
    if c.committee_decides and actor.scope == "all" and actor.can(c.decide_permission):
        pending = (await session.execute(select(func.count()).select_from(Batch).where(
            Batch.kind == c.kind, Batch.state == "submitted"))).scalar_one()
        if pending:
            items.append(todo("filing_decide", f"确认{c.word}结果", f"有 {pending} 份{c.title}待确认", link=link,
                              object_type="filing"))
    return items

