"""Signing in, and every menu page opening cleanly for the committee and for a branch admin
(no console error, no refused or failed request, nothing loaded from outside 127.0.0.1)."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD, new_context
from tests.browser.harness import Admin

PLATFORM_PAGES = [("用户管理", "用户管理"), ("用户管理", "机构管理"), ("用户管理", "角色管理"),
                  ("党务管理", "党群组织管理"), ("党务管理", "党小组管理"), ("党务管理", "党员基础信息管理"),
                  ("消息中心", "我的消息")]
COMMITTEE_ONLY = [("用户管理", "机构管理"), ("用户管理", "角色管理"), ("党务管理", "党群组织管理"), ("党务管理", "党小组管理")]


def open_every_page(admin) -> list[tuple[str, str]]:
    menu = admin.menu()
    for group, label in menu:
        admin.open(group, label, title="")
        admin.page.wait_for_load_state("networkidle")  # what the page loads after its rows, too
    return list(menu)


def test_every_menu_page_opens_for_the_committee(committee):
    opened = open_every_page(committee)
    assert set(PLATFORM_PAGES) <= set(opened), opened


def test_every_menu_page_opens_for_a_branch_admin(branch_admin):
    opened = open_every_page(branch_admin)
    assert {("用户管理", "用户管理"), ("党务管理", "党员基础信息管理"), ("消息中心", "我的消息")} <= set(opened)
    assert not set(COMMITTEE_ONLY) & set(opened), opened


def test_login_page_csp_wrong_password_and_sign_in(browser, server):
    context = new_context(browser, server, None)
    try:
        admin = Admin(context.new_page(), server.base)
        first = admin.page.goto(server.base + "/admin/")
        assert urlsplit(admin.page.url).path == "/admin/login", admin.page.url
        # every admin page runs under the Content-Security-Policy; a violation is a console error
        assert "script-src 'self' 'unsafe-eval'" in first.headers["content-security-policy"]
        admin.page.get_by_placeholder("请输入账号").fill("dangwei")
        admin.page.get_by_placeholder("请输入密码").fill("Wrong@2026x")
        with admin.api("post", "/api/pc/v1/auth/login", status=401):
            admin.page.get_by_role("button", name="登录").click()
        admin.toast("账号或密码错误")
        assert urlsplit(admin.page.url).path == "/admin/login"
        admin.page.get_by_placeholder("请输入密码").fill(DEMO_PASSWORD)
        with admin.api("post", "/api/pc/v1/auth/login"):
            admin.page.get_by_role("button", name="登录").click()
        admin.page.wait_for_url(re.compile(r"/admin/(#.*)?$"))
        expect(admin.page.locator(".cxd-AsideNav")).to_be_visible()
        expect(admin.page.get_by_text("学院党委管理员").first).to_be_visible()
        assert not admin.problems(), admin.problems()
    finally:
        context.close()
