"""党员评价 clicked as the committee (manual ch. 3 PC端): 数据管理 (a new 评价年份 typed in the
dialog, 批量导入, 数据编辑, 生成评价报告 leading to 评价结果) and 评价结果 (the three levels' charts:
the chart API's typed figures drawn by ECharts through the page's adaptor, rank axes inverted)."""
from __future__ import annotations

import random
import re
from io import BytesIO

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.browser.harness import unique

API = "/api/pc/v1/evaluation"
RESULTS = "/admin/evaluation/page/results"


def people(api) -> list[tuple[str, str, str]]:
    users = api.get("/api/pc/v1/users", per_page=500)["items"]
    branches = {o["value"]: o["label"] for o in api.get("/api/pc/v1/orgs/options", kind="party")["options"]}
    return [(u["name"], u["student_no"], branches[u["party_branch_id"]]) for u in users
            if u["student_no"] and u["party_branch_id"] in branches]


def workbook(period: dict, rows, seed: int) -> bytes:
    rng = random.Random(seed)
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "学号", "党支部"] + [m["name"] for m in period["metrics"]])
    for row in rows:
        ws.append(list(row) + [round(rng.uniform(60, 100), 1) for _ in period["metrics"]])
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def import_through_api(api, period: dict, seed: int) -> None:
    r = api.request.post(f"{api.base}{API}/periods/{period['id']}/import",
                         multipart={"file": {"name": "d.xlsx", "mimeType": "application/octet-stream",
                                             "buffer": workbook(period, people(api), seed)}})
    assert r.ok, r.text()


def period(api, year: str, name: str) -> dict:
    return api.post(f"{API}/periods", {"year": year, "name": name})["data"]


@pytest.fixture(scope="module")
def reports(committee_api) -> list[dict]:
    """Two published periods of 2025-2026学年 with data for every demo student."""
    made = []
    for i, name in enumerate(("第一学期", "第二学期")):
        p = period(committee_api, "2025-2026学年", name)
        import_through_api(committee_api, p, seed=i)
        committee_api.post(f"{API}/periods/{p['id']}/generate", {})
        committee_api.post(f"{API}/periods/{p['id']}/publish", {})
        made.append(p)
    return made


def chart_options(page, at_least: int) -> list[dict]:
    """The ECharts option of every chart on the page (the figures and axes actually drawn). amis
    draws a chart when it scrolls into view, so each is scrolled to first."""
    charts = page.locator(".cxd-Chart")
    expect(charts.nth(at_least - 1)).to_be_attached(timeout=20_000)
    for i in range(charts.count()):
        if charts.nth(i).is_visible():
            charts.nth(i).scroll_into_view_if_needed()
    options = """() => Array.from(document.querySelectorAll('.cxd-Chart')).map(el => {
        const holder = el.querySelector('[_echarts_instance_]');
        const chart = holder && window.echarts && window.echarts.getInstanceByDom(holder);
        const o = chart && chart.getOption();
        if (!o || !o.title || !o.title.length) return null;  // not drawn yet, or still without its data
        return {title: o.title[0].text, inverse: !!o.yAxis[0].inverse, categories: o.xAxis[0].data,
                series: o.series.map(s => s.data.length)};
    })"""
    page.wait_for_function(f"() => ({options})().filter(x => x).length >= {at_least}", timeout=20_000)
    return [o for o in page.evaluate(options) if o]


def test_report_charts_at_three_levels(committee, reports):
    committee.goto(f"{RESULTS}?period_id={reports[1]['id']}", "评价结果")
    page = committee.page
    college = chart_options(page, 1)
    assert college[0]["title"].startswith("各支部学院前 20% 党员人数") and not college[0]["inverse"]
    expect(page.get_by_text("党员个人排名 TOP10（并列者全部列入）")).to_be_visible()

    page.locator(".cxd-Tabs-link").filter(has_text="党支部评价报告").first.click()
    charts = {o["title"]: o for o in chart_options(page, 3)}
    history = charts["支部历史排名变化（学院内综合排名）"]
    cats = history["categories"]  # the living demo's earlier year comes first
    assert history["inverse"] and "2025-2026学年\n第一学期" in cats
    assert cats[cats.index("2025-2026学年\n第一学期") + 1] == "2025-2026学年\n第二学期"
    expect(page.locator(".cxd-Panel").filter(has_text="支部内党员排名").locator("tbody tr").first).to_be_visible()

    page.locator(".cxd-Tabs-link").filter(has_text="党员个人评价报告").first.click()
    page.get_by_role("button", name="查看").first.click()
    dialog = committee.dialog()
    expect(dialog.root.get_by_text("评价意见")).to_be_visible()
    trend = [o for o in chart_options(page, 4) if o["title"] == "排名变化趋势（学院内）"]
    assert trend and trend[0]["inverse"] and len(trend[0]["series"]) == 7  # 综合 and the six default metrics
    dialog.close()
    page.wait_for_load_state("networkidle")  # leaving a page cancels its pending requests


def test_new_year_is_typed_into_the_period_dialog(committee):
    crud = committee.open("党员评价", "数据管理")
    year, term = unique("测试") + "学年", "第一学期"
    dialog = crud.header("编辑时段", "添加评价时段")
    dialog.fill("评价年份", year).fill("评价学期", term)
    with crud.reloading(), committee.api("post", f"{API}/periods"):
        dialog.submit("保存")  # the manual's button
    committee.toast("添加成功")
    row = crud.row(year)
    assert row.cell("评价学期") == term and row.cell("数据条数") == "0"
    assert "生成评价报告" not in row.buttons()  # no data yet: nothing to generate


def test_import_edit_and_generate_leads_to_the_results(committee, committee_api, tmp_path):
    year = "2999-3000学年"  # after every other period: this test's report is the latest
    p = period(committee_api, year, unique("学期"))
    crud = committee.open("党员评价", "数据管理")
    dialog = crud.row(p["name"]).click("批量导入", "数据导入")
    upload = tmp_path / "data.xlsx"
    upload.write_bytes(workbook(p, people(committee_api), seed=7))
    dialog.item("选择文件").locator("input[type=file]").set_input_files(str(upload))
    with crud.reloading(), committee.api("post", re.compile(rf"{API}/periods/{p['id']}/import")):
        dialog.submit("确定导入")
    row = crud.row(p["name"])
    assert int(row.cell("数据条数")) > 0

    edit = crud.row(p["name"]).click("编辑数据", "数据编辑")
    expect(edit.root.locator("thead").get_by_text("学习成绩").first).to_be_visible()
    expect(edit.root.locator("tbody tr").filter(has_text=re.compile(r"\d{10}")).first).to_be_visible()
    edit.close()

    with committee.api("post", f"{API}/periods/{p['id']}/generate"), \
            committee.page.expect_response(lambda r: f"{API}/reports?" in r.url and f"period_id={p['id']}" in r.url):
        crud.row(p["name"]).confirm("生成评价报告")
    expect(committee.page.locator(".cxd-Page-title").filter(has_text="评价结果")).to_be_visible()
    chosen = committee.page.locator(".cxd-Page-body .cxd-Select").first
    expect(chosen).to_contain_text(f"{year} {p['name']}")
    assert chart_options(committee.page, 1)[0]["title"].startswith("各支部学院前 20% 党员人数")


def test_rename_move_and_delete_a_period(committee, committee_api):
    first_year, second_year = unique("测试") + "学年", unique("测试") + "学年"
    p = period(committee_api, first_year, unique("学期"))
    period(committee_api, second_year, "第一学期")
    crud = committee.open("党员评价", "数据管理")
    new_name = unique("学期")
    dialog = crud.row(p["name"]).click("重命名", "重命名评价学期")
    dialog.fill("评价学期", new_name)
    with crud.reloading(), committee.api("put", f"{API}/periods/{p['id']}"):
        dialog.submit()
    assert crud.row(new_name).cell("评价年份") == first_year

    dialog = crud.row(new_name).click("移动", "移动到其他评价年份")
    dialog.fill("评价年份", second_year)
    with crud.reloading(), committee.api("put", f"{API}/periods/{p['id']}"):
        dialog.submit()
    assert crud.row(new_name).cell("评价年份") == second_year
    assert first_year not in [y["name"] for y in committee_api.get(f"{API}/years")["items"]]  # its last term left

    with crud.reloading(), committee.api("delete", f"{API}/periods/{p['id']}"):
        crud.row(new_name).confirm("删除")
    committee.toast("删除成功")
    assert not crud.has_row(new_name)


def test_metrics_and_one_record_edited(committee, committee_api):
    p = period(committee_api, "2998-2999学年", unique("学期"))
    import_through_api(committee_api, p, seed=3)
    crud = committee.open("党员评价", "数据管理")
    dialog = crud.row(p["name"]).click("评价指标", "评价指标")
    rows = dialog.root.locator(".cxd-InputTable tbody tr")
    expect(rows).to_have_count(len(p["metrics"]))
    committee.button("添加指标", dialog.root).click()
    expect(rows).to_have_count(len(p["metrics"]) + 1)
    rows.last.locator("input").first.fill("社会实践")
    with committee.api("put", f"{API}/periods/{p['id']}/metrics") as saved:
        dialog.submit()
    assert [m["name"] for m in saved.json()["data"]["metrics"]][-1] == "社会实践"

    with committee.page.expect_response(lambda r: f"{API}/periods/{p['id']}/records" in r.url):
        records = crud.row(p["name"]).click("编辑数据", "数据编辑")
    table = records.root.locator(".cxd-Crud")
    first = table.locator("tbody tr").first
    student_no = re.search(r"\d{10}", first.inner_text()).group(0)
    first.get_by_role("button", name="编辑").click()
    edit = committee.dialog("编辑数据")
    assert edit.value("学号") == student_no
    edit.submit()  # the metric added above has no value yet: refused beside it, nothing sent
    expect(edit.error("社会实践")).to_have_text("这是必填项")
    edit.fill("学习成绩", 95.5).fill("社会实践", 80)
    with committee.api("put", re.compile(rf"{API}/records/\d+")), \
            committee.page.expect_response(lambda r: f"{API}/periods/{p['id']}/records" in r.url):
        edit.submit()
    expect(table.locator("tbody tr").filter(has_text=student_no).first).to_contain_text("95.5")
    records.close()


def test_publish_and_withdraw_from_the_results(committee, committee_api):
    p = period(committee_api, "2998-2999学年", unique("学期"))
    import_through_api(committee_api, p, seed=5)
    committee_api.post(f"{API}/periods/{p['id']}/generate", {})
    committee.goto(f"{RESULTS}?period_id={p['id']}", "评价结果")
    toolbar = committee.page.locator(".cxd-ButtonToolbar").first
    expect(toolbar).to_contain_text("未发布")
    with committee.api("post", f"{API}/periods/{p['id']}/publish"):
        committee.button("发布报告", toolbar).click()
        committee.button("确认", committee.page.locator(".cxd-Modal").last).click()
    expect(toolbar).to_contain_text("已发布")
    with committee.api("post", f"{API}/periods/{p['id']}/withdraw"):
        committee.button("撤回报告", toolbar).click()
        committee.button("确认", committee.page.locator(".cxd-Modal").last).click()
    expect(toolbar).to_contain_text("未发布")
