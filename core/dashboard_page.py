"""The 工作台 page's amis body (issue 16) over ``GET /api/pc/v1/dashboard``: the committee sees
the college, a branch admin its branch and its to-do list. The people table's columns come
from the stage registry (``core.dashboard.columns_of``), the same list the API counts in, so a
stage registered later gets its columns without a change here. Every number links to the
stage list filtered by branch, step and status."""
from __future__ import annotations

from core.dashboard import columns_of
from core.workflow.stages import StageRegistry

LIGHT_LABELS = {"red": "<span class='label label-danger'>红</span>", "yellow": "<span class='label label-warning'>黄</span>"}


def _link(count: str, link: str, cls: str = "") -> str:
    return f"<a class='xf-dash-link {cls}' href='${{{link}}}'>${{{count}}}</a>"


def people_table(registry: StageRegistry) -> dict:
    columns = [{"name": "name", "label": "党支部", "fixed": "left"}]
    for i, c in enumerate(columns_of(registry)):
        columns.append({"name": f"c{i}", "label": c.title, "groupName": c.stage_title, "type": "tpl",
                        "tpl": _link(f"cells[{i}].count", f"cells[{i}].link")})
    columns += [{"name": "done", "label": "已完成发展"}, {"name": "total", "label": "合计"}]
    return {"type": "table", "source": "${branches}", "columns": columns, "className": "xf-dash-people",
            "affixHeader": False, "placeholder": "暂无发展对象"}


def summary_cards() -> dict:
    def card(title: str, body: str) -> dict:
        return {"type": "panel", "title": title, "body": {"type": "tpl", "tpl": body}, "className": "xf-dash-card"}

    stages = {"type": "each", "source": "${stage_totals}", "items": {
        "type": "tpl", "tpl": "<div><a href='${link}'>${title}</a>：<b>${count}</b> 人</div>"}}
    return {"type": "grid", "columns": [
        {"md": 4, "body": {"type": "panel", "title": "各阶段在发展人数", "body": stages, "className": "xf-dash-stages"}},
        {"md": 4, "body": card("逾期事项", "<div class='text-danger' style='font-size:2em'>${overdue_total}</div>项")},
        {"md": 4, "body": card("时间提醒",
                               "<span class='label label-danger'>红 ${lights.red}</span> "
                               "<span class='label label-warning'>黄 ${lights.yellow}</span> "
                               "<span class='label label-success'>绿 ${lights.green}</span>")},
    ]}


def overdue_block() -> dict:
    return {"type": "panel", "title": "逾期事项", "className": "xf-dash-overdue", "body": [
        {"type": "table", "source": "${overdue_groups}", "placeholder": "没有逾期事项", "columns": [
            {"name": "category_label", "label": "类别"}, {"name": "label", "label": "事项"},
            {"name": "count", "label": "数量", "type": "tpl", "tpl": _link("count", "link")}]},
        {"type": "table", "source": "${overdue}", "visibleOn": "this.overdue && this.overdue.length", "columns": [
            {"name": "category_label", "label": "类别"}, {"name": "title", "label": "内容"},
            {"name": "branch_name", "label": "党支部"},
            {"name": "due_at", "label": "截止时间", "type": "tpl", "tpl": "${due_at|xftime}"},
            {"name": "link", "label": "操作", "type": "tpl", "tpl": "<a href='${link}'>处理</a>"}]},
    ]}


def lights_block() -> dict:
    return {"type": "panel", "title": "时间提醒（红：已违反或已超期限；黄：期限将至）", "className": "xf-dash-lights", "body": {
        "type": "table", "source": "${light_items}", "placeholder": "全部正常（绿）", "columns": [
            {"name": "color", "label": "提醒", "type": "mapping", "map": LIGHT_LABELS},
            {"name": "name", "label": "姓名"}, {"name": "branch_name", "label": "党支部"},
            {"name": "stage_title", "label": "阶段"}, {"name": "reason", "label": "说明"},
            {"name": "link", "label": "操作", "type": "tpl", "tpl": "<a href='${link}'>查看</a>"}]}}


def classes_block() -> dict:
    return {"type": "panel", "title": "培训班", "className": "xf-dash-classes", "body": {
        "type": "table", "source": "${classes}", "placeholder": "暂无进行中的培训班", "columns": [
            {"name": "title", "label": "培训班"}, {"name": "type_title", "label": "类型"},
            {"name": "state_label", "label": "状态"},
            {"name": "train_start", "label": "培训开始", "type": "tpl", "tpl": "${train_start|xfdate}"},
            {"name": "quota", "label": "名额"}, {"name": "signed_up", "label": "报名"},
            {"name": "fill", "label": "入选/名额"}, {"name": "passed", "label": "结业"},
            {"name": "link", "label": "操作", "type": "tpl", "tpl": "<a href='${link}'>培训管理</a>"}]}}


def panels_block() -> dict:
    return {"type": "each", "source": "${panels}", "items": {
        "type": "panel", "title": "${title}", "className": "xf-dash-panel", "body": {
            "type": "table", "source": "${items}", "columns": [
                {"name": "label", "label": "项目"}, {"name": "value", "label": "情况"},
                {"name": "link", "label": "操作", "type": "tpl", "tpl": "${link ? \"<a href='\" + link + \"'>查看</a>\" : ''}"}]}}}


def todos_block() -> dict:
    return {"type": "panel", "title": "待办事项（${todo_total}）", "visibleOn": "this.scope === 'branch'",
            "className": "xf-dash-todos", "body": {
                "type": "table", "source": "${todos}", "placeholder": "暂无待办", "columns": [
                    {"name": "kind_label", "label": "类型"}, {"name": "title", "label": "事项"},
                    {"name": "due_at", "label": "截止时间", "type": "tpl", "tpl": "${due_at|xftime}"}]}}


def dashboard_body(registry: StageRegistry) -> dict:
    return {"type": "service", "api": "get:/api/pc/v1/dashboard", "className": "xf-dashboard", "body": [
        {"type": "tpl", "tpl": "<h4>${scope === 'all' ? '全院概况' : branch_name + '概况'}</h4>"},
        summary_cards(),
        {"type": "panel", "title": "各党支部发展情况", "body": [
            {"type": "chart", "api": "get:/api/pc/v1/dashboard/chart", "height": 320, "className": "xf-dash-chart"},
            people_table(registry)]},
        todos_block(), overdue_block(), lights_block(), classes_block(), panels_block(),
    ]}
