"""The 党员评价 admin pages in headless Chromium, with reports in the database: the chart API's typed
figures become ECharts charts through the page's adaptor (rank axes inverted), the 数据编辑 dialog
loads its per-period columns from the admin page, and nothing fails in the browser."""
from __future__ import annotations

import random
import re
from io import BytesIO

import httpx
from openpyxl import Workbook
from playwright import sync_api

from tests.test_admin_ui import DEMO_PASSWORD, Watcher, _login_form, _menu_urls, browser, server  # noqa: F401 (fixtures)

API = "/api/pc/v1/evaluation"


def _reports(base: str) -> list[dict]:
    """Two published periods with data for every demo student, through the API."""
    token = httpx.post(f"{base}/api/mp/v1/auth/login", json={"username": "dangwei", "password": DEMO_PASSWORD}).json()["token"]
    c = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    users = c.get("/api/pc/v1/users", params={"per_page": 500}).json()["data"]["items"]
    branches = {o["value"]: o["label"] for o in c.get("/api/pc/v1/orgs/options", params={"kind": "party"}).json()["data"]["options"]}
    people = [(u["name"], u["student_no"], branches[u["party_branch_id"]]) for u in users
              if u["student_no"] and u["party_branch_id"] in branches]
    rng, periods = random.Random(5), []
    for name in ("第一学期", "第二学期"):
        p = c.post(f"{API}/periods", json={"year": "2025-2026学年", "name": name}).json()["data"]
        wb = Workbook()
        ws = wb.active
        ws.append(["姓名", "学号", "党支部"] + [m["name"] for m in p["metrics"]])
        for row in people:
            ws.append(list(row) + [round(rng.uniform(60, 100), 1) for _ in p["metrics"]])
        buf = BytesIO()
        wb.save(buf)
        assert c.post(f"{API}/periods/{p['id']}/import", files={"file": ("d.xlsx", buf.getvalue())}).status_code == 200
        assert c.post(f"{API}/periods/{p['id']}/generate").status_code == 200
        assert c.post(f"{API}/periods/{p['id']}/publish").status_code == 200
        periods.append(p)
    return periods


def _chart_options(page, at_least: int) -> list[dict]:
    """The ECharts option of every chart on the page (the figures and axes actually drawn). amis
    draws a chart when it scrolls into view, so each is scrolled to first."""
    charts = page.locator(".cxd-Chart")
    sync_api.expect(charts.nth(at_least - 1)).to_be_attached(timeout=20_000)
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
    return page.evaluate(options)


def test_report_charts_and_data_edit_render(server, browser):
    _reports(server)
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    watch = Watcher(page)
    try:
        page.goto(server + "/admin/login")
        _login_form(page, "dangwei", DEMO_PASSWORD)
        page.wait_for_url(re.compile(r"/admin/(#.*)?$"), timeout=15_000)
        sync_api.expect(page.locator(".cxd-AsideNav")).to_be_visible(timeout=15_000)
        page.wait_for_load_state("networkidle")  # the home page's own requests finish before we navigate away
        urls = _menu_urls(page.evaluate("() => document.documentElement.outerHTML"))

        page.goto(server + "/admin/#" + urls[("党员评价", "评价结果")])
        page.wait_for_load_state("networkidle")
        college = [o for o in _chart_options(page, 1) if o]
        assert college and college[0]["title"].startswith("各支部学院前 20% 党员人数") and not college[0]["inverse"]
        sync_api.expect(page.get_by_text("党员个人排名 TOP10（并列者全部列入）")).to_be_visible()

        page.locator(".cxd-Tabs-link").filter(has_text="党支部评价报告").first.click()
        page.wait_for_load_state("networkidle")
        charts = {o["title"]: o for o in _chart_options(page, 3) if o}
        history = charts["支部历史排名变化（学院内综合排名）"]
        assert history["inverse"] and history["categories"] == ["2025-2026学年\n第一学期", "2025-2026学年\n第二学期"]
        sync_api.expect(page.locator(".cxd-Panel").filter(has_text="支部内党员排名").locator("tbody tr").first).to_be_visible()

        page.locator(".cxd-Tabs-link").filter(has_text="党员个人评价报告").first.click()
        page.get_by_role("button", name="查看").first.click()
        dialog = page.locator(".cxd-Modal")
        sync_api.expect(dialog.get_by_text("评价意见")).to_be_visible(timeout=15_000)
        trend = [o for o in _chart_options(page, 4) if o and o["title"] == "排名变化趋势（学院内）"]
        assert trend and trend[0]["inverse"] and len(trend[0]["series"]) == 7  # 综合 and the six default metrics
        dialog.locator(".cxd-Modal-close").first.click()
        page.wait_for_load_state("networkidle")  # leaving a page cancels its pending requests

        page.goto(server + "/admin/#" + urls[("党员评价", "数据管理")])
        page.get_by_role("button", name="编辑数据").first.click()
        modal = page.locator(".cxd-Modal").filter(has_text="数据编辑")
        sync_api.expect(modal.locator("thead").get_by_text("学习成绩").first).to_be_visible(timeout=15_000)
        sync_api.expect(modal.locator("tbody tr").filter(has_text=re.compile(r"\d{10}")).first).to_be_visible(timeout=15_000)

        assert not watch.errors, "browser errors:\n" + "\n".join(watch.errors)
        assert not watch.failed, "failed requests:\n" + "\n".join(watch.failed)
        assert not watch.foreign_hosts(), sorted(watch.foreign_hosts())
    finally:
        context.close()
