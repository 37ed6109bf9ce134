"""Evaluation reports in the mobile web app (/m/, issue 12) on a phone in headless Chromium,
on the server of tests/test_mobile_ui.py (tests/mobile/site.py: the demo college with two
published evaluation periods): a student reads their own report and is refused another
level's or another member's; the committee switches levels, metrics and thresholds; a branch
admin opens its own branch and logs out. Every test ends with no console error, no refused
request it did not provoke and no request off 127.0.0.1; screenshots are in test-artifacts/m/.
"""
from __future__ import annotations

import pytest
from playwright import sync_api

from tests.mobile import data as d
from tests.mobile.phone import launched_chromium, phone
from tests.mobile.site import mobile_site

expect = sync_api.expect


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with mobile_site(tmp_path_factory.mktemp("mobile_reports")) as s:
        yield s


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as b:
        yield b


def test_student_reads_own_evaluation_report(site, browser):
    base, _ = site
    with phone(browser, base) as ph:
        ph.open()
        ph.login("2023200001", d.DEMO_PASSWORD)
        ph.page.locator(".tab").filter(has_text="评价").tap()
        reports = ph.screen("/evaluation")
        names = reports.locator(".period-name")
        expect(names).to_have_count(2)
        assert names.all_inner_texts() == ["第二学期", "第一学期"]  # latest first by default
        expect(reports.locator(".period-rank").first).to_contain_text("我的学院综合排名")
        ph.tap("时间最早", reports)
        reports = ph.screen("/evaluation")
        expect(reports.locator(".period-name").first).to_have_text("第一学期")
        reports.locator("select[name=year]").select_option("2025-2026学年")
        reports = ph.screen("/evaluation")
        expect(reports.locator(".period")).to_have_count(2)
        ph.shot("evaluation-list")
        reports.locator(".period").filter(has_text="第二学期").tap()
        report = ph.screen("/evaluation/:pid/members/:uid")
        for title in ("基础信息", "评价意见", "评价指标排名", "排名变化趋势"):
            expect(report.locator(".card-title").filter(has_text=title)).to_be_visible()
        expect(report.get_by_text("2023200001")).to_be_visible()
        lines = report.locator(".chart svg .series")
        expect(lines).to_have_count(7)  # 综合 and the six default metrics
        expect(lines.first.locator("circle")).to_have_count(2)  # two periods
        ph.tap("支部内排名", report)
        expect(report.locator(".chart svg .series")).to_have_count(7)
        ph.shot("evaluation-individual")
        ph.assert_clean()


def test_committee_switches_levels_metrics_and_thresholds(site, browser):
    base, _ = site
    with phone(browser, base) as ph:
        ph.open()
        ph.login("dangwei", d.DEMO_PASSWORD)
        ph.page.locator(".tab").filter(has_text="评价").tap()
        ph.screen("/evaluation").locator(".period").first.tap()
        college = ph.screen("/evaluation/:pid/college")
        for title in ("党总支概况", "评价概要", "支部排名情况", "学院内排名前20%", "党员个人排名 TOP10"):
            expect(college.locator(".card-title").filter(has_text=title)).to_be_visible()
        expect(college.locator(".bar-row")).to_have_count(8)  # the demo's eight party branches
        with ph.page.expect_response(lambda r: "/college?" in r.url and "threshold=30" in r.url):
            ph.tap("前30%", college)
        expect(college.locator(".card-title").filter(has_text="学院内排名前30%")).to_be_visible()
        with ph.page.expect_response(lambda r: "/college?" in r.url and "metric=m1" in r.url):
            college.locator(".switches").first.get_by_role("tab", name="学习成绩").tap()
        expect(college.locator(".card-title").filter(has_text="（学习成绩）").first).to_be_visible()
        ph.shot("evaluation-college")
        ph.tap("二级支部", college)
        ph.screen("/evaluation/:pid/branches").locator(".row").first.tap()
        branch = ph.screen("/evaluation/:pid/branches/:bid")
        for title in ("党支部概况", "评价概要", "支部历史排名变化", "党员人数", "支部内党员排名"):
            expect(branch.locator(".card-title").filter(has_text=title)).to_be_visible()
        expect(branch.locator(".chart svg .series circle")).to_have_count(2)  # rank history over both periods
        branch.locator("tbody tr.tap").first.tap()
        ph.screen("/evaluation/:pid/members/:uid")
        ph.shot("evaluation-member-from-branch")
        ph.assert_clean()


def test_student_cannot_open_the_college_report_or_another_students(site, browser):
    """Rights come from the API; the app only mirrors them. A student opening another level or
    another member's report (a forwarded link) gets a refusal, never the data."""
    base, _ = site
    c = d.client(base, "dangwei")
    pid = d.data(c.get("/api/mp/v1/evaluation/reports"))["items"][0]["id"]
    other = next(m for m in d.data(c.get(f"/api/mp/v1/evaluation/reports/{pid}/members", params={"per_page": 50}))["items"]
                 if m["student_no"] != "2023200001")
    with phone(browser, base) as ph:
        ph.open(f"/evaluation/{pid}/college")
        ph.login("2023200001", d.DEMO_PASSWORD, then="/evaluation/:pid/college")
        expect(ph.page.get_by_text("您没有权限打开此页面")).to_be_visible()
        ph.expect_refusal(404, f"/api/mp/v1/evaluation/reports/{pid}/members/{other['user_id']}")
        ph.open(f"/evaluation/{pid}/members/{other['user_id']}")
        screen = ph.screen("/evaluation/:pid/members/:uid")
        expect(screen.locator(".state.error")).to_be_visible()
        expect(screen.get_by_text(other["name"])).to_have_count(0)
        ph.shot("evaluation-refused")
        ph.assert_clean()


def test_branch_admin_opens_its_own_branch_and_logs_out(site, browser):
    base, _ = site
    me = d.data(d.client(base, "zhibu04").get("/api/mp/v1/me"))
    with phone(browser, base) as ph:
        ph.open()
        ph.login("zhibu04", d.DEMO_PASSWORD)
        ph.page.locator(".tab").filter(has_text="评价").tap()
        ph.screen("/evaluation").locator(".period").first.tap()
        branch = ph.screen("/evaluation/:pid/branches/:bid")
        assert ph.page.url.endswith(f"/branches/{me['party_branch_id']}")
        expect(branch.get_by_role("tab", name="学院党委")).to_have_count(0)  # the committee's level only
        ph.tap("党员个人", branch)
        members = ph.screen("/evaluation/:pid/members")
        expect(members.locator(".row").first).to_be_visible()
        ph.open("/me")
        token = ph.page.evaluate("localStorage.getItem('xf_m_token')")
        ph.tap("退出登录", ph.screen("/me"))
        ph.tap("退出", ph.page.locator(".dialog"))
        ph.screen("/login")
        assert ph.page.evaluate("localStorage.getItem('xf_m_token')") is None
        ph.assert_clean()
    import httpx

    assert httpx.get(f"{base}/api/mp/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401  # ended
