"""Pages of the 党员评价 menu group: 数据管理 (periods, import, edit, generate) and 评价结果 (reports, charts, PDF, publish)."""
from __future__ import annotations

from fastapi import Request
from fastapi_amis_admin.amis.components import Page, PageSchema

from core.admin_site import XfApp, XfPage
from core.amis_crud import ajax_button, crud, dialog_button, operations
from plugins.evaluation.models import MAX_METRICS

API = "/api/pc/v1/evaluation"


class DataPage(XfPage):
    page_schema = PageSchema(label="数据管理", icon="fa fa-database")
    page_path = "/data"
    permission = "eval.data.view"

    async def get_page(self, request: Request) -> Page:
        add = dialog_button("编辑时段", "添加评价时段", [
            {"type": "select", "name": "year", "label": "评价年份", "creatable": True, "required": True,
             "source": {"method": "get", "url": f"{API}/years", "adaptor": "return {...payload, data: payload.data.items.map(y => ({label: y.name, value: y.name}))}"},
             "description": "选择已有年份，或输入新的年份（如 2025-2026学年）"},
            {"type": "input-text", "name": "name", "label": "评价学期", "required": True},
        ], f"post:{API}/periods", icon="fa fa-plus")
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
                ], f"post:{API}/periods/${{id}}/import", level="link", size="lg"),
                {"type": "button", "label": "评价指标", "level": "link", "actionType": "dialog", "dialog": {
                    "title": "评价指标", "size": "lg", "body": metrics_form()}},
                {"type": "button", "label": "编辑数据", "level": "link", "actionType": "dialog", "visibleOn": "this.record_count > 0",
                 "dialog": {"title": "数据编辑", "size": "xl", "actions": [],
                            "body": {"type": "service", "schemaApi": f"get:{API}/periods/${{id}}/records/schema"}}},
                ajax_button("生成评价报告", f"post:{API}/periods/${{id}}/generate", "确定生成该评价时段的评价报告吗？",
                            class_name="text-primary", visible_on="this.record_count > 0"),
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
             "needConfirm": False, "minLength": 1, "maxLength": MAX_METRICS, "addButtonText": "添加指标",
             "columns": [
                 {"name": "name", "label": "指标名称", "type": "input-text", "required": True},
                 {"name": "weight", "label": "权重", "type": "input-number", "min": 0, "precision": 4, "step": 0.05, "value": 0.1},
                 {"name": "higher_better", "label": "方向", "type": "select", "value": True,
                  "options": [{"label": "越高越好", "value": True}, {"label": "越低越好", "value": False}]},
             ]},
            {"type": "tpl", "className": "text-muted", "tpl": (
                f"综合得分 = Σ 权重 × 指标值（“越低越好”的指标按负值计入），排名采用并列名次。最多 {MAX_METRICS} 个指标；"
                "指标名称即导入模板的列名。已导入数据后增删指标，请下载新的导入模板重新导入。")},
        ]}


def records_schema(period: dict) -> dict:
    """The data-edit list of one period, with a column and an input per metric, labelled by its name.
    Served by ``GET /periods/{id}/records/schema`` because the metrics differ between periods."""
    metrics = period["metrics"]
    columns = [{"name": "name", "label": "姓名"}, {"name": "student_no", "label": "学号"},
               {"name": "branch_name", "label": "党支部"}, {"name": "training_type", "label": "培养类型"}]
    columns += [{"name": m["key"], "label": m["name"]} for m in metrics]
    inputs = [{"type": "input-number", "name": m["key"], "label": m["name"], "precision": 2, "required": True,
               "description": "越低越好" if not m["higher_better"] else None} for m in metrics]
    columns.append(operations(dialog_button("编辑", "编辑数据", [
        {"type": "alert", "level": "info", "body": "编辑数据后，请再次点击“生成评价报告”更新报告。"},
        {"type": "static", "name": "name", "label": "姓名"}, {"type": "static", "name": "student_no", "label": "学号"},
        *inputs], f"put:{API}/records/${{id}}", level="link")))
    return {"type": "crud", "name": "records", "api": f"get:{API}/periods/{period['id']}/records", "syncLocation": False,
            "perPage": 20, "perPageField": "per_page", "pageField": "page", "columns": columns, "placeholder": "暂无数据",
            "headerToolbar": ["reload"], "footerToolbar": ["statistics", "switch-per-page", "pagination"],
            "filter": {"title": "", "mode": "inline", "wrapWithPanel": False, "body": [
                {"type": "input-text", "name": "name", "label": "姓名/学号", "clearable": True},
                {"type": "submit", "label": "查询", "level": "primary"}]}}


# amis expression for a rank change (positive = moved up), e.g. ↑2 / ↓1 / 持平 / -
_CHANGE = "{v} === null || {v} === undefined ? '-' : ({v} > 0 ? '↑' + {v} : ({v} < 0 ? '↓' + (-{v}) : '持平'))"


def _chart(api: str, height: int = 320) -> dict:
    return {"type": "chart", "api": api, "height": height}


class ResultPage(XfPage):
    page_schema = PageSchema(label="评价结果", icon="fa fa-bar-chart")
    page_path = "/results"
    permission = "eval.report.view"

    async def get_page(self, request: Request) -> Page:
        metric_pick = [
            {"type": "select", "name": "metric", "label": "指标", "value": "composite", "submitOnChange": True,
             "source": {"method": "get", "url": f"{API}/periods/${{period_id}}", "adaptor": (
                 "return {...payload, data: [{label: '综合', value: 'composite'}].concat("
                 "payload.data.metrics.map(m => ({label: m.name, value: m.key})))};")}},
            {"type": "select", "name": "threshold", "label": "排名阈值", "value": 20, "submitOnChange": True,
             "options": [{"label": f"前{t}%", "value": t} for t in (10, 20, 30)]},
        ]
        college_tab = {"title": "学院党委评价报告", "visibleOn": "this.can_college", "body": [
            {"type": "service", "name": "college_view", "api": f"get:{API}/reports/${{period_id}}/college", "body": [
                {"type": "button-toolbar", "buttons": [
                    {"type": "button", "label": "导出", "icon": "fa fa-download", "actionType": "url", "blank": True,
                     "url": f"{API}/reports/${{period_id}}/college/pdf"},
                    {"type": "tpl", "tpl": "<span class='label ${period.published ? \"label-success\" : \"label-default\"}'>"
                                           "${period.published ? '已发布' : '未发布'}</span>"},
                    {**ajax_button("发布报告", f"post:{API}/periods/${{period_id}}/publish", "确定发布该评价报告吗？发布后党支部和学生可以查看。",
                                level="primary", class_name="", visible_on="this.can_publish && !this.period.published"), "reload": "college_view"},
                    {**ajax_button("撤回报告", f"post:{API}/periods/${{period_id}}/withdraw", "撤回报告后，党支部以及学生个人将无法查看报告。确定撤回吗？",
                                level="danger", class_name="", visible_on="this.can_publish && this.period.published"), "reload": "college_view"},
                ]},
                {"type": "panel", "title": "党总支概况与评价概要", "body": [
                    {"type": "tpl", "tpl": "<p><b>${overview.name}</b>：参与评价党员 ${overview.student_count} 人，"
                                           "党支部 ${overview.branch_count} 个。</p><p>${summary}</p>"}]},
                _chart(f"get:{API}/reports/${{period_id}}/chart?kind=branch_top"),
                {"type": "table", "title": "支部排名情况（学院前20%党员人数）", "source": "${branch_ranking}", "columns": [
                    {"name": "rank", "label": "排名"}, {"name": "name", "label": "党支部"}, {"name": "member_count", "label": "参评人数"},
                    {"name": "top_count", "label": "前20%人数"},
                    {"name": "change", "label": "较上期", "type": "tpl", "tpl": "${" + _CHANGE.format(v="change") + "}"}]},
                {"type": "panel", "title": "党员个人排名 TOP10", "body": {"type": "tabs", "source": "${top10}", "tabs": [{
                    "title": "${name}", "body": {"type": "table", "source": "${items}", "columns": [
                        {"name": "rank", "label": "排名"}, {"name": "name", "label": "姓名"}, {"name": "branch_name", "label": "党支部"},
                        {"name": "value", "label": "得分"}, {"name": "composite_rank", "label": "综合排名"},
                        {"name": "composite_change", "label": "综合较上期", "type": "tpl",
                         "tpl": "${" + _CHANGE.format(v="composite_change") + "}"}]}}]}},
            ]},
            {"type": "panel", "title": "学院内排名靠前的党员", "body": crud(
                f"get:{API}/reports/${{period_id}}/college/top?metric=${{metric}}&threshold=${{threshold}}", [
                    {"name": "rank", "label": "排名"}, {"name": "name", "label": "姓名"}, {"name": "student_no", "label": "学号"},
                    {"name": "branch_name", "label": "党支部"}, {"name": "value", "label": "得分"}],
                filters=metric_pick, header=[{"type": "button", "label": "导出名单", "icon": "fa fa-file-excel-o",
                                              "actionType": "url", "blank": True,
                                              "url": f"{API}/reports/${{period_id}}/college/top.xlsx?metric=${{metric}}&threshold=${{threshold}}"}])},
        ]}
        # The branch list (and the first branch_id) come from a service so the report below sees branch_id at once.
        branch_tab = {"title": "党支部评价报告", "body": {"type": "service", "api": f"get:{API}/reports/${{period_id}}/branches", "body": [
            {"type": "form", "wrapWithPanel": False, "target": "branch_view", "body": [
                {"type": "select", "name": "branch_id", "label": "党支部", "source": "${options}", "submitOnChange": True}]},
            {"type": "service", "name": "branch_view", "id": "branch_view", "api": {"method": "get", "url": f"{API}/reports/${{period_id}}/branches/${{branch_id}}", "sendOn": "this.branch_id"}, "body": [
                {"type": "button", "label": "导出", "icon": "fa fa-download", "actionType": "url", "blank": True,
                 "url": f"{API}/reports/${{period_id}}/branches/${{branch_id}}/pdf"},
                {"type": "panel", "title": "党支部概况", "body": {"type": "tpl", "tpl": (
                    "<b>${overview.name}</b>（${overview.training_type}）：参与评价党员 ${overview.student_count} 人，"
                    "学院综合排名第 ${overview.rank} 名" + "${overview.change === null ? '' : '，较上期' + (" + _CHANGE.format(v="overview.change") + ")}。")}},
                {"type": "table", "title": "评价概要（各指标在学院中的排名）", "source": "${summary}", "columns": [
                    {"name": "name", "label": "指标"}, {"name": "rank", "label": "学院排名", "type": "tpl", "tpl": "${rank}/${branch_total}"},
                    {"name": "top_count", "label": "前20%人数"}, {"name": "average", "label": "平均分"}]},
                _chart({"method": "get", "url": f"{API}/reports/${{period_id}}/chart?kind=branch_history&branch_id=${{branch_id}}", "sendOn": "this.branch_id"}),
                _chart({"method": "get", "url": f"{API}/reports/${{period_id}}/chart?kind=branch_top_history&branch_id=${{branch_id}}", "sendOn": "this.branch_id"}),
                {"type": "table", "title": "支部内党员排名", "source": "${members}", "columns": [
                    {"name": "branch_rank", "label": "支部排名"}, {"name": "name", "label": "姓名"}, {"name": "student_no", "label": "学号"},
                    {"name": "value", "label": "综合得分"}, {"name": "college_rank", "label": "学院排名"},
                    {"name": "composite_change", "label": "综合较上期", "type": "tpl", "tpl": "${" + _CHANGE.format(v="composite_change") + "}"}]},
            ]},
        ]}}
        member_tab = {"title": "党员个人评价报告", "body": crud(f"get:{API}/reports/${{period_id}}/members", [
            {"name": "name", "label": "姓名"}, {"name": "student_no", "label": "学号"}, {"name": "branch_name", "label": "党支部"},
            {"name": "score", "label": "综合得分"}, {"name": "college_rank", "label": "学院排名"}, {"name": "branch_rank", "label": "支部排名"},
            operations(
                {"type": "button", "label": "查看", "level": "link", "actionType": "dialog", "dialog": {
                    "title": "党员个人评价报告", "size": "lg", "actions": [], "body": [
                        {"type": "service", "api": f"get:{API}/reports/${{period_id}}/members/${{user_id}}", "body": [
                            {"type": "property", "title": "基础信息", "items": [
                                {"label": "姓名", "content": "${basic.name}"}, {"label": "学号", "content": "${basic.student_no}"},
                                {"label": "党支部", "content": "${basic.branch_name}"}]},
                            {"type": "tpl", "tpl": "<h4>评价意见</h4><p>${opinion}</p>"},
                            {"type": "table", "title": "评价指标排名", "source": "${metric_ranks}", "columns": [
                                {"name": "name", "label": "指标"}, {"name": "value", "label": "得分"},
                                {"name": "college_rank", "label": "学院排名"}, {"name": "branch_rank", "label": "支部排名"}]},
                        ]},
                        _chart(f"get:{API}/reports/${{period_id}}/chart?kind=member_trend&user_id=${{user_id}}"),
                    ]}},
                {"type": "button", "label": "导出", "level": "link", "actionType": "url", "blank": True,
                 "url": f"{API}/reports/${{period_id}}/members/${{user_id}}/pdf"},
            ),
        ], filters=[{"type": "input-text", "name": "name", "label": "姓名/学号", "clearable": True}])}
        body = {"type": "service", "api": f"get:{API}/reports", "body": [
            {"type": "form", "wrapWithPanel": False, "target": "report_tabs", "body": [
                {"type": "select", "name": "period_id", "label": "评价时段", "source": "${options}", "submitOnChange": True}]},
            # period_id comes from the outer service (latest period) and then from the select above;
            # the target must not be hidden by visibleOn, or it never receives the chosen period.
            {"type": "service", "id": "report_tabs", "name": "report_tabs",
             "body": [{"type": "tabs", "visibleOn": "this.period_id", "mountOnEnter": True,
                       "tabs": [college_tab, branch_tab, member_tab]},
                      {"type": "tpl", "visibleOn": "!this.period_id", "tpl": "<p class='text-muted'>暂无可查看的评价报告</p>"}]},
        ]}
        return Page(title="评价结果", body=body)


class EvaluationApp(XfApp):
    page_schema = PageSchema(label="党员评价", icon="fa fa-star", sort=70)
    router_prefix = "/evaluation"

    def __init__(self, app):
        super().__init__(app)
        self.register_admin(DataPage, ResultPage)
