"""Pages under 党员发展: 一人一档 (a person's dossier, batch exports with their progress and
download) and 历史数据导入 (template, dry run, confirm)."""
from __future__ import annotations

from fastapi import Request
from fastapi_amis_admin.amis.components import Page, PageSchema

from core.sdk import XfPage, crud, datetime_column, operations

API = "/api/pc/v1/development/dossiers"
IMPORT_API = "/api/pc/v1/development/history-import"
STAGES = [{"label": "全部阶段", "value": ""}, {"label": "申请入党", "value": "applicant"},
          {"label": "入党积极分子的确定和培养教育", "value": "activist"}, {"label": "发展对象的确定和考察", "value": "candidate"},
          {"label": "预备党员的接收", "value": "reception"}, {"label": "预备党员的教育考察和转正", "value": "conversion"}]


def _download(label: str, url: str, visible_on: str | None = None) -> dict:
    btn = {"type": "button", "label": label, "level": "link", "actionType": "download", "api": f"get:{url}"}
    if visible_on:
        btn["visibleOn"] = visible_on
    return btn


class DossierPage(XfPage):
    page_schema = PageSchema(label="一人一档", icon="fa fa-archive")
    page_path = "/dossiers"
    permission = "dev.dossier"

    async def get_page(self, request: Request) -> Page:
        export_form = {"type": "form", "title": "批量导出", "mode": "inline", "api": f"post:{API}/exports", "reload": "exports",
                       "submitText": "开始导出", "body": [
                           {"type": "select", "name": "branch_id", "label": "党支部", "clearable": True, "placeholder": "全院（学院党委）",
                            "source": {"method": "get", "url": "/api/pc/v1/orgs/options?kind=party&level=branch",
                                       "adaptor": "return {...payload, data: payload.data.options}"}},
                           {"type": "select", "name": "stage", "label": "发展阶段", "value": "", "options": STAGES},
                           {"type": "select", "name": "batch_id", "label": "批次", "clearable": True, "searchable": True,
                            "placeholder": "不限", "source": {"method": "get", "url": f"{API}/exports/options",
                                                              "adaptor": "return {...payload, data: payload.data.options}"}}]}
        exports = crud(f"get:{API}/exports", [
            {"name": "title", "label": "导出内容"},
            {"name": "state_label", "label": "状态"},
            {"type": "progress", "name": "percent", "label": "进度"},
            {"type": "tpl", "label": "人数", "tpl": "${done}/${total}"},
            datetime_column("created_at", "创建时间"),
            operations(_download("下载", "${download_url}", "this.state === 'done'")),
        ])
        exports.update({"id": "exports", "name": "exports", "interval": 2000, "silentPolling": True,
                        "stopAutoRefreshWhen": "${items && !ARRAYSOME(items, item => item.state === 'queued' || item.state === 'running')}"})
        people = crud(f"get:{API}/people", [
            {"name": "name", "label": "姓名"}, {"name": "student_no", "label": "学号"},
            {"name": "stage_title", "label": "发展阶段"}, {"name": "step_title", "label": "当前环节"}, {"name": "status", "label": "状态"},
            operations(_download("下载档案", "${download_url}")),
        ], filters=[{"type": "input-text", "name": "name", "label": "姓名", "clearable": True},
                    {"type": "input-text", "name": "student_no", "label": "学号", "clearable": True}])
        people.update({"id": "people", "name": "people"})
        return Page(title="一人一档", body=[
            {"type": "alert", "level": "info", "body": "一人一档：按发展顺序合并每个人的全部材料（封面列出二十五个环节及日期和缺少的材料，每个阶段一个书签）。"
                                                      "批量导出在后台生成，完成后在下方列表下载。"},
            export_form, exports, {"type": "divider"}, {"type": "tpl", "tpl": "<h4>人员档案</h4>"}, people])


class HistoryImportPage(XfPage):
    page_schema = PageSchema(label="历史数据导入", icon="fa fa-upload")
    page_path = "/history-import"
    permission = "dev.history_import"

    async def get_page(self, request: Request) -> Page:
        preview = {"type": "table", "source": "${preview}", "visibleOn": "this.preview", "columns": [
            {"name": "row", "label": "行号"}, {"name": "student_no", "label": "学号"}, {"name": "name", "label": "姓名"},
            {"name": "action", "label": "人员"}, {"name": "stage_title", "label": "当前阶段"}, {"name": "step_title", "label": "当前环节"},
            {"name": "passed", "label": "已完成环节"},
            {"type": "tpl", "label": "时间提醒", "tpl": "<span class='text-warning'>${warnings | join:'；'}</span>"}]}
        form = {"type": "form", "title": "", "api": {"method": "post", "url": IMPORT_API, "dataType": "form-data"},
                # Explicit: amis adds no submit button of its own to a form whose body holds a button (下载导入模板).
                "actions": [{"type": "submit", "label": "提交", "level": "primary"}], "body": [
                    {"type": "button", "label": "下载导入模板", "actionType": "download", "api": f"get:{IMPORT_API}/template",
                     "icon": "fa fa-download"},
                    {"type": "input-file", "name": "file", "label": "导入文件", "accept": ".xlsx", "asBlob": True, "required": True},
                    {"type": "radios", "name": "dry_run", "label": "操作", "value": "true", "options": [
                        {"label": "预检（只检查，不写入）", "value": "true"}, {"label": "确认导入", "value": "false"}]},
                    {"type": "tpl", "tpl": "全部正确才会导入，任何一行有问题都不做任何修改，并按行列出问题。"
                                           "预检通过后选择“确认导入”再次提交同一文件。导入的人员从当前环节继续发展流程，时间轴上已完成的环节标为“导入”。"},
                    {"type": "tpl", "visibleOn": "this.rows",
                     "tpl": "${dry_run ? '预检结果' : '导入结果'}：${rows}人，新建人员${people_created}人，带时间提醒${warnings}人"},
                    preview]}
        return Page(title="历史数据导入", body=[form])
