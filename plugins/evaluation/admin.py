"""Pages of the 党员评价 menu group: 数据管理 (periods, import, metrics, data edit, generate); 评价结果 is in
admin_results.py."""
from __future__ import annotations

from fastapi import Request
from fastapi_amis_admin.amis.components import Page, PageSchema

from sqlalchemy import select

from core.sdk import XfApp, XfPage, ajax_button, crud, dialog_button, operations
from plugins.evaluation.admin_results import ResultPage
from plugins.evaluation.metrics import with_range
from plugins.evaluation.models import MAX_METRICS, EvalPeriod

API = "/api/pc/v1/evaluation"


class DataPage(XfPage):
    page_schema = PageSchema(label="数据管理", icon="fa fa-database")
    page_path = "/data"
    permission = "eval.data.view"

    async def get_page(self, request: Request) -> Page:
        # A new 评价年份 is typed straight into the box (the existing ones are offered while typing):
        # a creatable select needed five clicks and a dialog of its own.
        add = dialog_button("编辑时段", "添加评价时段", [
            {"type": "input-text", "name": "year", "label": "评价年份", "required": True, "clearable": True,
             "source": {"method": "get", "url": f"{API}/years", "adaptor": "return {...payload, data: payload.data.items.map(y => ({label: y.name, value: y.name}))}"},
             "description": "输入新的年份（如 2025-2026学年），或选择已有年份"},
            {"type": "input-text", "name": "name", "label": "评价学期", "required": True},
        ], f"post:{API}/periods", icon="fa fa-plus", submit_text="保存")
        periods = crud(f"get:{API}/periods", [
            {"name": "year_name", "label": "评价年份"},
            {"name": "name", "label": "评价学期"},
            {"name": "record_count", "label": "数据条数"},
            {"name": "status_label", "label": "报告状态"},
            {"type": "tpl", "label": "提醒", "tpl": "${stale ? '<span class=\"text-danger\">数据已修改，请重新生成评价报告</span>' : ''}"},
            operations(
                dialog_button("重命名", "重命名评价学期", [{"type": "input-text", "name": "name", "label": "评价学期", "required": True}],
                              f"put:{API}/periods/${{id}}", level="link"),
                dialog_button("移动", "移动到其他评价年份", [{"type": "select", "name": "year_id", "label": "评价年份", "required": True,
                                                      "source": {"method": "get", "url": f"{API}/years", "adaptor": "return {...payload, data: payload.data.options}"}}],
                              f"put:{API}/periods/${{id}}", level="link"),
                dialog_button("批量导入", "数据导入", [
                    {"type": "tpl", "tpl": "<a href='" + API + "/periods/${id}/template' target='_blank'>下载导入模板</a>"},
                    {"type": "radios", "name": "mode", "label": "导入方式", "value": "full",
                     "options": [{"label": "全部导入", "value": "full"}, {"label": "局部导入", "value": "partial"}]},
                    {"type": "radios", "name": "training_type", "label": "培养类型", "options": ["研究生", "本科生"],
                     "visibleOn": "this.mode === 'partial'", "requiredOn": "this.mode === 'partial'"},
                    {"type": "input-file", "name": "file", "label": "选择文件", "accept": ".xlsx", "asBlob": True, "required": True},
                    {"type": "tpl", "tpl": "注：姓名、学号、党支部是必填项，为空则禁止导入；数据文件中的用户必须已添加至用户管理中；若选择局部导入，培养类型为必选项。"},
                ], f"post:{API}/periods/${{id}}/import", level="link", size="lg", submit_text="确定导入"),
                {"type": "button", "label": "评价指标", "level": "link", "actionType": "dialog", "dialog": {
                    "title": "评价指标", "size": "lg", "body": metrics_form()}},
                {"type": "button", "label": "编辑数据", "level": "link", "actionType": "dialog", "visibleOn": "this.record_count > 0",
                 "dialog": {"title": "数据编辑", "size": "xl", "actions": [],
                            "body": {"type": "service", "schemaApi": "post:/admin/evaluation/page/records?period_id=${id}"}}},
                ajax_button("生成评价报告", f"post:{API}/periods/${{id}}/generate", "确定生成该评价时段的评价报告吗？",
                            class_name="text-primary", visible_on="this.record_count > 0",
                            redirect="/admin/evaluation/page/results?period_id=${id}"),  # the manual: on to 评价结果
                ajax_button("删除", f"delete:{API}/periods/${{id}}", "确定删除评价学期“${name}”及其数据和报告吗？"),
            ),
        ], header=[add])
        return Page(title="数据管理", body=[periods])


def metrics_form() -> dict:
    """Edit a period's metrics (names, weights, direction) until its first report is generated."""
    locked = "this.metrics_locked"
    return {"type": "form", "initApi": f"get:{API}/periods/${{id}}", "api": {
        "method": "put", "url": f"{API}/periods/${{id}}/metrics", "data": {"metrics": "${metrics}"}},
        "disabledOn": locked, "body": [
            {"type": "alert", "level": "warning", "visibleOn": locked,
             "body": "该评价时段已生成过评价报告，评价指标不能再修改。"},
            {"type": "input-table", "name": "metrics", "label": False, "addable": True, "removable": True, "draggable": True,
             "needConfirm": False, "minLength": 1, "maxLength": MAX_METRICS, "footerAddBtn": {"label": "添加指标"},
             # changeImmediately: a cell's typing reaches the table at once, so 确认 pressed right
             # after typing sends it (amis otherwise debounces the cell and submits without it).
             "columns": [
                 {"name": "name", "label": "指标名称", "type": "input-text", "required": True, "changeImmediately": True},
                 {"name": "weight", "label": "权重", "type": "input-number", "min": 0, "precision": 4, "step": 0.05, "value": 0.1,
                  "changeImmediately": True},
                 {"name": "higher_better", "label": "方向", "type": "select", "value": True,
                  "options": [{"label": "越高越好", "value": True}, {"label": "越低越好", "value": False}]},
                 {"name": "min", "label": "最小值", "type": "input-number", "value": 0, "precision": 2, "changeImmediately": True},
                 {"name": "max", "label": "最大值", "type": "input-number", "value": 100, "precision": 2, "changeImmediately": True},
             ]},
            {"type": "tpl", "className": "text-muted", "tpl": (
                f"综合得分 = Σ 权重 × 指标值（“越低越好”的指标按负值计入），排名采用并列名次。最多 {MAX_METRICS} 个指标；"
                "指标名称即导入模板的列名；导入和编辑时超出取值范围（默认 0～100）的值会被拒绝。"
                "已导入数据后增删指标，请下载新的导入模板重新导入。")},
        ]}


class RecordsPage(XfPage):
    """数据编辑 of one period (EV-3): a column and an input per metric, labelled by its name. An admin
    page (opened in the 编辑数据 dialog with ``?period_id=``), not an API route, because its columns
    depend on the period's metrics; hidden from the menu."""

    page_schema = PageSchema(label="数据编辑", icon="fa fa-pencil", visible=False)
    page_path = "/records"
    permission = "eval.data.view"

    async def get_page(self, request: Request) -> Page:
        raw = request.query_params.get("period_id", "")
        found = None
        if raw.isascii() and raw.isdigit() and int(raw) < 2**63:
            async with request.app.state.db.sessionmaker() as session:
                found = (await session.execute(select(EvalPeriod).where(EvalPeriod.id == int(raw)))).scalar_one_or_none()
        if found is None:
            return Page(title="数据编辑", body={"type": "tpl", "tpl": "请从“数据管理”中选择评价时段后点击“编辑数据”。"})
        return Page(body=records_crud(found.id, with_range(found.metrics)))


def records_crud(period_id: int, metrics: list[dict]) -> dict:
    columns = [{"name": "name", "label": "姓名"}, {"name": "student_no", "label": "学号"},
               {"name": "branch_name", "label": "党支部"}, {"name": "training_type", "label": "培养类型"}]
    columns += [{"name": m["key"], "label": m["name"]} for m in metrics]
    inputs = [{"type": "input-number", "name": m["key"], "label": m["name"], "precision": 2, "required": True,
               "min": m["min"], "max": m["max"],
               "description": f"取值范围 {m['min']:g}～{m['max']:g}" + ("，越低越好" if not m["higher_better"] else "")}
              for m in metrics]
    columns.append(operations(dialog_button("编辑", "编辑数据", [
        {"type": "alert", "level": "info", "body": "编辑数据后，请再次点击“生成评价报告”更新报告。"},
        {"type": "static", "name": "name", "label": "姓名"}, {"type": "static", "name": "student_no", "label": "学号"},
        *inputs], f"put:{API}/records/${{id}}", level="link")))
    return {"type": "crud", "name": "records", "api": f"get:{API}/periods/{period_id}/records", "syncLocation": False,
            "perPage": 20, "perPageField": "per_page", "pageField": "page", "columns": columns, "placeholder": "暂无数据",
            "headerToolbar": ["reload"], "footerToolbar": ["statistics", "switch-per-page", "pagination"],
            "filter": {"title": "", "mode": "inline", "wrapWithPanel": False, "body": [
                {"type": "input-text", "name": "name", "label": "姓名/学号", "clearable": True},
                {"type": "submit", "label": "查询", "level": "primary"}]}}


class EvaluationApp(XfApp):
    page_schema = PageSchema(label="党员评价", icon="fa fa-star", sort=70)
    router_prefix = "/evaluation"

    def __init__(self, app):
        super().__init__(app)
        self.register_admin(DataPage, ResultPage, RecordsPage)
