"""Pages of the applicant stage in the 党员发展 menu group: 入党申请人 (list with the manual's
actions, single and batch) and 批量审核 (list left, detail right)."""
from __future__ import annotations

from fastapi import Request
from fastapi_amis_admin.amis.components import Page, PageSchema

from core.admin_site import XfPage
from core.amis_crud import crud, dialog_button, operations
from core.outbox import read_tracker
from core.workflow.people import APPLICANTS_PAGE

API = "/api/pc/v1/development/applicants"
STEP_OPTIONS = [{"label": "递交入党申请书", "value": "application"}, {"label": "党组织派人谈话", "value": "talk"},
                {"label": "申请人公示", "value": "publicity"}]


def review_form(ids: str, material: str) -> list[dict]:
    return [
        {"type": "hidden", "name": "record_ids", "value": ids},
        {"type": "radios", "name": "approve", "label": "审核结果", "required": True,
         "options": [{"label": "审核通过", "value": True}, {"label": "审核不通过", "value": False}]},
        {"type": "textarea", "name": "reason", "label": "审核不通过理由", "visibleOn": "this.approve === false",
         "requiredOn": "this.approve === false", "placeholder": f"请填写{material}审核不通过的理由，将通知相关人员重新提交"},
    ]


def detail_block() -> dict:
    return {"type": "service", "api": f"get:{API}/${{id}}/detail", "body": [
        {"type": "property", "column": 2, "items": [
            {"label": "姓名", "content": "${name}"}, {"label": "学号", "content": "${student_no}"},
            {"label": "性别", "content": "${gender}"}, {"label": "出生日期", "content": "${birth_date}"},
            {"label": "当前环节", "content": "${step_title}"}, {"label": "状态", "content": "${status_label}"}]},
        {"type": "panel", "title": "入党申请书", "visibleOn": "this.letter", "body": [
            {"type": "tpl", "tpl": "落款时间：${letter.signed_date}　状态：${letter.status_label}${letter.by_proxy ? '（代理上传）' : ''}"
                                   "${letter.reason ? '　退回原因：' + letter.reason : ''}"},
            {"type": "images", "source": "${letter.files}", "src": "${url}", "originalSrc": "${url}", "enlargeAble": True},
        ]},
        {"type": "panel", "title": "谈话记录", "visibleOn": "this.talk", "body": {"type": "property", "column": 2, "items": [
            {"label": "谈话人", "content": "${talk.talker_name}"}, {"label": "状态", "content": "${talk.status_label}"},
            {"label": "谈话时间", "content": "${talk.scheduled_at}"}, {"label": "地点", "content": "${talk.place}"},
            {"label": "谈话日期", "content": "${talk.talk_date}"}, {"label": "截止时间", "content": "${talk.deadline}"},
            {"label": "谈话记录", "content": "${talk.content}", "span": 2}]}},
        {"type": "each", "source": "${warnings}", "visibleOn": "this.warnings && this.warnings.length",
         "items": {"type": "alert", "level": "warning", "body": "${item}"}},
    ]}


def timeline_dialog() -> dict:
    return {"type": "button", "label": "详情", "level": "link", "actionType": "dialog", "dialog": {
        "title": "时间轴 - ${name}", "size": "lg", "actions": [],
        "body": {"type": "service", "api": "get:/api/pc/v1/development/records/${id}/timeline", "body": [
            {"type": "each", "source": "${stages}", "items": {"type": "panel", "title": "${title}", "body": [
                {"type": "steps", "source": "${steps}", "status": "${step_states}", "visibleOn": "this.has_steps"},
                {"type": "tpl", "tpl": "${status === 'current' ? '已进入本阶段，等待开展' : '尚未开始'}", "visibleOn": "!this.has_steps"}]}},
            {"type": "timeline", "source": "${events}", "reverse": True},
            {"type": "table", "title": "发展党员工作细则（25步）", "source": "${regulation}", "columns": [
                {"name": "no", "label": "步骤"}, {"name": "title", "label": "内容"},
                {"name": "done", "label": "状态", "type": "mapping", "map": {"true": "已完成", "false": "未完成"}},
                {"name": "date", "label": "完成时间"}]},
        ]}}}


def talk_assign_form(ids: str) -> list[dict]:
    return [
        {"type": "hidden", "name": "record_ids", "value": ids},
        {"type": "select", "name": "talker_id", "label": "谈话人", "required": True, "searchable": True,
         "source": f"get:{API}/talkers", "description": "须为本支部正式党员"},
        {"type": "input-datetime", "name": "deadline", "label": "谈话记录截止提交时间", "required": True,
         "format": "YYYY-MM-DDTHH:mm:ss", "minDate": "${NOW}"},
    ]


def proxy_talk_form() -> list[dict]:
    return [
        {"type": "hidden", "name": "record_id", "value": "${id}"},
        {"type": "input-text", "name": "place", "label": "谈话地点", "required": True},
        {"type": "input-datetime", "name": "scheduled_at", "label": "谈话时间", "required": True, "format": "YYYY-MM-DDTHH:mm:ss"},
        {"type": "input-date", "name": "talk_date", "label": "谈话日期", "required": True, "format": "YYYY-MM-DD", "maxDate": "${NOW}"},
        {"type": "textarea", "name": "content", "label": "谈话记录", "required": True, "minRows": 6},
    ]


def proxy_apply_form() -> list[dict]:
    return [
        {"type": "select", "name": "user_id", "label": "学生", "required": True, "searchable": True,
         "source": f"get:{API}/proxy-candidates", "description": "只显示已完善基础信息且未提交过入党申请的学生"},
        {"type": "input-image", "name": "files", "label": "入党申请书", "required": True, "multiple": True, "maxLength": 9,
         "receiver": "post:/api/files", "joinValues": False, "extractValue": True, "accept": ".jpg,.jpeg,.png"},
        {"type": "input-date", "name": "signed_date", "label": "落款时间", "required": True, "format": "YYYY-MM-DD", "maxDate": "${NOW}"},
    ]


class ApplicantPage(XfPage):
    page_schema = PageSchema(label="入党申请人", icon="fa fa-file-text-o")
    page_path = "/applicants"
    permission = "dev.applicant"

    async def get_page(self, request: Request) -> Page:
        one = "${id}"
        columns = [
            {"name": "name", "label": "姓名"},
            {"name": "student_no", "label": "学号"},
            {"name": "applied_at", "label": "申请时间"},
            {"name": "step_title", "label": "当前环节"},
            {"name": "letter_status_label", "label": "申请书"},
            {"name": "talk_status_label", "label": "谈话"},
            {"name": "talker_name", "label": "谈话人"},
            {"name": "status_label", "label": "状态", "classNameExpr": "${status === 'failed' ? 'text-danger' : ''}"},
            {"name": "warnings", "label": "时间提醒", "type": "tpl", "tpl": "${warnings|join:；}", "className": "text-warning"},
            operations(
                timeline_dialog(),
                dialog_button("审核入党申请", "审核入党申请 - ${name}", [detail_block(), *review_form(one, "入党申请书")],
                              f"post:{API}/review", level="link", size="lg",
                              visible_on="this.step === 'application' && this.letter_status === 'submitted'"),
                dialog_button("指派谈话", "指派谈话人 - ${name}", talk_assign_form(one), f"post:{API}/talk/assign", level="link",
                              visible_on="this.step === 'talk' && this.status === 'active' && (!this.talk_status || this.talk_status === 'assigned' || this.talk_status === 'scheduled')"),
                dialog_button("上传谈话", "上传谈话 - ${name}", proxy_talk_form(), f"post:{API}/talk/proxy", level="link",
                              visible_on="this.step === 'talk' && this.talk_status && this.talk_status !== 'submitted'"),
                {"type": "button", "label": "确认谈话", "level": "link", "actionType": "ajax", "confirmText": "确认该谈话记录已上传完整？",
                 "api": {"method": "post", "url": f"{API}/talk/confirm", "data": {"record_id": "${id}"}},
                 "visibleOn": "this.talk_status === 'proxy_draft'"},
                dialog_button("审核谈话", "审核谈话记录 - ${name}", [detail_block(), *review_form(one, "谈话记录")],
                              f"post:{API}/talk/review", level="link", size="lg", visible_on="this.talk_status === 'submitted'"),
                {"type": "button", "label": "公示管理", "level": "link", "actionType": "link",
                 "link": "/admin/development/page/applicant_publicity", "visibleOn": "this.step === 'publicity'"},
                {"type": "button", "label": "重新发展", "level": "link", "actionType": "ajax", "confirmText": "确定让${name}重新发展？",
                 "api": {"method": "post", "url": "/api/pc/v1/development/redevelop", "data": {"record_ids": ["${id}"]}},
                 "visibleOn": "this.status === 'failed'"},
            ),
        ]
        bulk = [
            {"type": "button", "label": "批量审核入党申请-通过", "actionType": "ajax", "confirmText": "确定审核通过所选 ${selectedItems.length} 人的入党申请？",
             "api": {"method": "post", "url": f"{API}/review", "data": {"record_ids": "${ids|split}", "approve": True}}},
            dialog_button("批量审核入党申请-不通过", "批量审核不通过", [
                {"type": "hidden", "name": "record_ids", "value": "${ids|split}"}, {"type": "hidden", "name": "approve", "value": False},
                {"type": "textarea", "name": "reason", "label": "审核不通过理由", "required": True}], f"post:{API}/review", level="default"),
            dialog_button("批量指派谈话", "批量指派谈话人", talk_assign_form("${ids|split}"), f"post:{API}/talk/assign", level="default"),
            {"type": "button", "label": "批量审核谈话记录-通过", "actionType": "ajax", "confirmText": "确定审核通过所选人员的谈话记录？",
             "api": {"method": "post", "url": f"{API}/talk/review", "data": {"record_ids": "${ids|split}", "approve": True}}},
            {"type": "button", "label": "催交入党申请书", "actionType": "ajax",
             "api": {"method": "post", "url": f"{API}/urge", "data": {"record_ids": "${ids|split}"}}},
        ]
        filters = [
            {"type": "input-text", "name": "name", "label": "姓名", "clearable": True},
            {"type": "input-text", "name": "student_no", "label": "学号", "clearable": True},
            {"type": "select", "name": "step", "label": "环节", "clearable": True, "options": STEP_OPTIONS},
            {"type": "select", "name": "status", "label": "状态", "clearable": True,
             "options": [{"label": "进行中", "value": "active"}, {"label": "不通过", "value": "failed"}]},
        ]
        header = [dialog_button("新增入党申请", "新增入党申请（代理上传）", proxy_apply_form(), f"post:{API}/proxy", icon="fa fa-plus")]
        listing = crud(f"get:{API}", columns, filters=filters, header=header, bulk_actions=bulk)
        return Page(title="入党申请人", body=[listing, read_tracker(APPLICANTS_PAGE)])


class BatchReviewPage(XfPage):
    """批量审核: pending letters on the left, the chosen one's detail on the right."""

    page_schema = PageSchema(label="批量审核入党申请", icon="fa fa-check-square-o")
    page_path = "/batch_review"
    permission = "dev.applicant.review"

    async def get_page(self, request: Request) -> Page:
        left = crud(f"get:{API}?step=application&status=active", [
            {"name": "name", "label": "姓名"}, {"name": "student_no", "label": "学号"},
            {"name": "letter_status_label", "label": "申请书"}], per_page=50, bulk_actions=[
            {"type": "button", "label": "审核通过", "level": "primary", "actionType": "ajax",
             "confirmText": "确定审核通过所选 ${selectedItems.length} 人？",
             "api": {"method": "post", "url": f"{API}/review", "data": {"record_ids": "${ids|split}", "approve": True}}},
            dialog_button("审核不通过", "审核不通过", [
                {"type": "hidden", "name": "record_ids", "value": "${ids|split}"}, {"type": "hidden", "name": "approve", "value": False},
                {"type": "textarea", "name": "reason", "label": "审核不通过理由", "required": True}], f"post:{API}/review", level="danger"),
        ])
        left["onEvent"] = {"rowClick": {"actions": [{"actionType": "setValue", "componentId": "review-detail",
                                                     "args": {"value": {"id": "${event.data.item.id}"}}}]}}
        right = {"type": "form", "id": "review-detail", "wrapWithPanel": False, "body": [
            {"type": "tpl", "tpl": "请点击左侧列表中的申请人查看入党申请书", "visibleOn": "!this.id"},
            {**detail_block(), "visibleOn": "this.id", "sendOn": "this.id"}]}
        return Page(title="批量审核入党申请", body={"type": "grid", "columns": [{"md": 5, "body": left}, {"md": 7, "body": right}]})


class ApplicantPublicityPage(XfPage):
    """申请人公示 (公示管理)."""

    page_schema = PageSchema(label="申请人公示", icon="fa fa-bullhorn")
    page_path = "/applicant_publicity"
    permission = "dev.applicant.publicity"

    async def get_page(self, request: Request) -> Page:
        from core.workflow.components.publicity_page import publicity_page_body
        from plugins.dev_applicant.stage import PUBLICITY

        return Page(title="申请人公示", body=[publicity_page_body(PUBLICITY, f"{API}/publicity"), read_tracker(self.page_schema.url)])
