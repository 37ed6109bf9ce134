"""The 评价结果 page (EV-5..EV-7): the three report levels in tabs, charts, PDF export, publish/withdraw.

The chart API answers typed figures (``ChartData``); ``CHART_ADAPTOR`` turns them into the
ECharts option amis' ``chart`` renders, so the API schema stays typed and the drawing choices
(inverted rank axis, wrapped period labels, legend) live with the page.
"""
from __future__ import annotations

from fastapi import Request
from fastapi_amis_admin.amis.components import Page, PageSchema

from core.sdk import XfPage, ajax_button, crud, operations

API = "/api/pc/v1/evaluation"

# amis expression for a rank change (positive = moved up), e.g. ↑2 / ↓1 / 持平 / -
_CHANGE = "{v} === null || {v} === undefined ? '-' : ({v} > 0 ? '↑' + {v} : ({v} < 0 ? '↓' + (-{v}) : '持平'))"

# ChartData -> ECharts option. Ranks: axis inverted with rank 1 at the top and half a step of room
# at both ends (min 0.5 / max last + 0.5, the non-integer end labels hidden), so no point sits on
# an axis. Period labels break at their space ("2025-2026学年" / "第一学期") instead of being cut.
CHART_ADAPTOR = """
const d = payload.data || {categories: [], series: []};
const many = d.categories.length > 6;
const cats = d.categories.map(c => String(c).replace(' ', '\\n'));
const values = [].concat(...d.series.map(s => s.values)).filter(v => v !== null && v !== undefined);
const top = Math.max(1, d.rank_total || 0, ...values);
const legend = d.series.length > 1;
const cfg = {
  title: {text: d.title, left: 'center', textStyle: {fontSize: 14}},
  tooltip: {trigger: 'axis'},
  grid: {left: 16, right: 24, top: 56, bottom: legend ? 48 : 16, containLabel: true},
  xAxis: {type: 'category', data: cats, axisLabel: {interval: 0, rotate: many && !d.ranks ? 30 : 0, fontSize: 11}},
  yAxis: d.ranks
    ? {type: 'value', name: '名次', nameLocation: 'start', inverse: true, min: 0.5, max: top + 0.5, minInterval: 1,
       axisLabel: {showMinLabel: false, showMaxLabel: false}}
    : {type: 'value', name: d.unit, minInterval: 1},
  legend: legend ? {type: 'scroll', bottom: 0} : {show: false},
  series: d.series.map(s => d.ranks
    ? {type: 'line', name: s.name, data: s.values, connectNulls: true, symbolSize: 7,
       label: {show: !legend, position: 'top'}}
    : {type: 'bar', name: s.name, data: s.values, barMaxWidth: 40, itemStyle: {color: '#c0392b'},
       label: {show: true, position: 'top'}})
};
return {...payload, data: cfg};
"""


def chart(url: str, send_on: str | None = None, height: int = 340) -> dict:
    api = {"method": "get", "url": url, "adaptor": CHART_ADAPTOR}
    if send_on:
        api["sendOn"] = send_on
    return {"type": "chart", "api": api, "height": height}


def _metric_pick() -> list[dict]:
    return [
        {"type": "select", "name": "metric", "label": "指标", "value": "composite", "submitOnChange": True,
         "source": {"method": "get", "url": f"{API}/periods/${{period_id}}", "adaptor": (
             "return {...payload, data: [{label: '综合', value: 'composite'}].concat("
             "payload.data.metrics.map(m => ({label: m.name, value: m.key})))};")}},
        {"type": "select", "name": "threshold", "label": "排名阈值", "value": 20, "submitOnChange": True,
         "options": [{"label": f"前{t}%", "value": t} for t in (10, 20, 30)]},
    ]


def _college_tab() -> dict:
    return {"title": "学院党委评价报告", "visibleOn": "this.can_college", "body": [
        {"type": "service", "name": "college_view", "api": f"get:{API}/reports/${{period_id}}/college", "body": [
            {"type": "button-toolbar", "buttons": [
                {"type": "button", "label": "导出", "icon": "fa fa-download", "actionType": "url", "blank": True,
                 "url": f"{API}/reports/${{period_id}}/college/pdf"},
                {"type": "tpl", "tpl": "<span class='label ${period.published ? \"label-success\" : \"label-default\"}'>"
                                       "${period.published ? '已发布' : '未发布'}</span>"},
                {**ajax_button("发布报告", f"post:{API}/periods/${{period_id}}/publish", "确定发布该评价报告吗？发布后党支部和学生可以查看。",
                               level="primary", class_name="", visible_on="this.can_publish && !this.period.published"),
                 "reload": "college_view"},
                {**ajax_button("撤回报告", f"post:{API}/periods/${{period_id}}/withdraw",
                               "撤回报告后，党支部以及学生个人将无法查看报告。确定撤回吗？",
                               level="danger", class_name="", visible_on="this.can_publish && this.period.published"),
                 "reload": "college_view"},
            ]},
            {"type": "panel", "title": "党总支概况与评价概要", "body": [
                {"type": "tpl", "tpl": "<p><b>${overview.name}</b>：参与评价党员 ${overview.student_count} 人，"
                                       "党支部 ${overview.branch_count} 个。</p><p>${summary}</p>"}]},
            chart(f"{API}/reports/${{period_id}}/chart?kind=branch_top"),
            {"type": "table", "title": "支部排名情况（学院前20%党员人数）", "source": "${branch_ranking}", "columns": [
                {"name": "rank", "label": "排名"}, {"name": "name", "label": "党支部"}, {"name": "member_count", "label": "参评人数"},
                {"name": "top_count", "label": "前20%人数"},
                {"name": "change", "label": "较上期", "type": "tpl", "tpl": "${" + _CHANGE.format(v="change") + "}"}]},
            {"type": "panel", "title": "党员个人排名 TOP10（并列者全部列入）", "body": {"type": "tabs", "source": "${top10}", "tabs": [{
                "title": "${name}", "body": [
                    {"type": "tpl", "visibleOn": "this.note", "tpl": "<p class='text-muted'>${note}</p>"},
                    {"type": "table", "source": "${items}", "columns": [
                        {"name": "rank", "label": "排名", "type": "tpl",
                         "tpl": "${rank}${tie_count > 1 ? '（并列 ' + tie_count + ' 人）' : ''}"},
                        {"name": "name", "label": "姓名"}, {"name": "branch_name", "label": "党支部"},
                        {"name": "value", "label": "得分"}, {"name": "composite_rank", "label": "综合排名"},
                        {"name": "composite_change", "label": "综合较上期", "type": "tpl",
                         "tpl": "${" + _CHANGE.format(v="composite_change") + "}"}]}]}]}},
        ]},
        {"type": "panel", "title": "学院内排名靠前的党员", "body": crud(
            f"get:{API}/reports/${{period_id}}/college/top?metric=${{metric}}&threshold=${{threshold}}", [
                {"name": "rank", "label": "排名"}, {"name": "name", "label": "姓名"}, {"name": "student_no", "label": "学号"},
                {"name": "branch_name", "label": "党支部"}, {"name": "value", "label": "得分"}],
            filters=_metric_pick(), header=[{"type": "button", "label": "导出名单", "icon": "fa fa-file-excel-o",
                                             "actionType": "url", "blank": True,
                                             "url": f"{API}/reports/${{period_id}}/college/top.xlsx?metric=${{metric}}&threshold=${{threshold}}"}])},
    ]}


def _branch_tab() -> dict:
    # The branch list (and the first branch_id) come from a service so the report below sees branch_id at once.
    report = f"{API}/reports/${{period_id}}/branches/${{branch_id}}"
    return {"title": "党支部评价报告", "body": {"type": "service", "api": f"get:{API}/reports/${{period_id}}/branches?per_page=500", "body": [
        {"type": "form", "wrapWithPanel": False, "target": "branch_view", "body": [
            {"type": "select", "name": "branch_id", "label": "党支部", "source": "${options}", "submitOnChange": True}]},
        {"type": "service", "name": "branch_view", "id": "branch_view", "api": {"method": "get", "url": report, "sendOn": "this.branch_id"},
         "body": [
             {"type": "button", "label": "导出", "icon": "fa fa-download", "actionType": "url", "blank": True, "url": f"{report}/pdf"},
             {"type": "panel", "title": "党支部概况", "body": {"type": "tpl", "tpl": (
                 "<b>${overview.name}</b>（${overview.training_type}）：参与评价党员 ${overview.student_count} 人，"
                 "学院综合排名第 ${overview.rank} 名" + "${overview.change === null ? '' : '，较上期' + (" + _CHANGE.format(v="overview.change") + ")}。")}},
             {"type": "table", "title": "评价概要（各指标在学院中的排名）", "source": "${summary}", "columns": [
                 {"name": "name", "label": "指标"}, {"name": "rank", "label": "学院排名", "type": "tpl", "tpl": "${rank}/${branch_total}"},
                 {"name": "top_count", "label": "前20%人数"}, {"name": "average", "label": "平均分"}]},
             chart(f"{API}/reports/${{period_id}}/chart?kind=branch_history&branch_id=${{branch_id}}", "this.branch_id"),
             chart(f"{API}/reports/${{period_id}}/chart?kind=branch_top_history&branch_id=${{branch_id}}", "this.branch_id"),
             {"type": "panel", "title": "支部内党员排名", "body": crud({"method": "get", "url": f"{report}/members", "sendOn": "this.branch_id"}, [
                 {"name": "branch_rank", "label": "支部排名"}, {"name": "name", "label": "姓名"}, {"name": "student_no", "label": "学号"},
                 {"name": "value", "label": "综合得分"}, {"name": "college_rank", "label": "学院排名"},
                 {"name": "composite_change", "label": "综合较上期", "type": "tpl",
                  "tpl": "${" + _CHANGE.format(v="composite_change") + "}"}])},
         ]},
    ]}}


def _member_tab() -> dict:
    return {"title": "党员个人评价报告", "body": crud(f"get:{API}/reports/${{period_id}}/members", [
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
                    chart(f"{API}/reports/${{period_id}}/chart?kind=member_trend&user_id=${{user_id}}"),
                ]}},
            {"type": "button", "label": "导出", "level": "link", "actionType": "url", "blank": True,
             "url": f"{API}/reports/${{period_id}}/members/${{user_id}}/pdf"},
        ),
    ], filters=[{"type": "input-text", "name": "name", "label": "姓名/学号", "clearable": True}])}


class ResultPage(XfPage):
    page_schema = PageSchema(label="评价结果", icon="fa fa-bar-chart")
    page_path = "/results"
    permission = "eval.report.view"

    async def get_page(self, request: Request) -> Page:
        # ?period_id= (from 生成评价报告 in 数据管理) chooses the period shown first.
        body = {"type": "service", "api": {"method": "get", "url": f"{API}/reports", "data": {"period_id": "${period_id}"}}, "body": [
            {"type": "form", "wrapWithPanel": False, "target": "report_tabs", "body": [
                {"type": "select", "name": "period_id", "label": "评价时段", "source": "${options}", "submitOnChange": True}]},
            # period_id comes from the outer service (latest period) and then from the select above;
            # the target must not be hidden by visibleOn, or it never receives the chosen period.
            {"type": "service", "id": "report_tabs", "name": "report_tabs",
             # Shown once /reports answered (a ?period_id= in the address is known before can_college:
             # tabs shown earlier would open on 党支部 and keep it).
             "body": [{"type": "tabs", "visibleOn": "this.period_id && typeof this.can_college === 'boolean'", "mountOnEnter": True,
                       "tabs": [_college_tab(), _branch_tab(), _member_tab()]},
                      {"type": "tpl", "visibleOn": "!this.period_id", "tpl": "<p class='text-muted'>暂无可查看的评价报告</p>"}]},
        ]}
        return Page(title="评价结果", body=body)
