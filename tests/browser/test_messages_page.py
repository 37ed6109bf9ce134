"""我的消息 and the top-bar bell clicked as the committee (manual 7.2 消息, MSG-2)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.browser.conftest import COMMITTEE
from tests.browser.harness import unique

READ = re.compile(r"/api/pc/v1/messages/\d+/read")
ONE = re.compile(r"/api/pc/v1/messages/\d+")
LATEST = "/api/pc/v1/messages/latest"


def college_now_texts() -> set[str]:
    """"YYYY-MM-DD HH:mm" of now in the college's zone, allowing for a minute turning over."""
    now = datetime.now(ZoneInfo("Asia/Shanghai"))
    return {(now + timedelta(minutes=d)).strftime("%Y-%m-%d %H:%M") for d in (-1, 0, 1)}


def open_page(admin):
    return admin.open("消息中心", "我的消息")


def test_view_marks_read_and_shows_college_time(committee, server):
    title = unique("测试消息")
    server.notify([COMMITTEE], title, "消息正文")
    crud = open_page(committee)
    row = crud.row(title)
    assert row.cell("状态") == "未读" and row.cell("类型") == "通知"
    assert row.cell("时间") in college_now_texts(), row.cell("时间")
    with committee.api("get", ONE):
        dialog = row.click("查看", "消息详情")
    text = dialog.text()
    assert "消息正文" in text and any(t in text for t in college_now_texts()), text
    with crud.reloading():
        dialog.close()
    assert crud.row(title).cell("状态") == "已读"


def test_mark_one_read_filter_unread_and_mark_all(committee, server):
    first, second = unique("测试消息"), unique("测试消息")
    server.notify([COMMITTEE], first)
    server.notify([COMMITTEE], second, kind="urge")
    committee.home()  # the bell counts at page load (and every minute)
    crud = open_page(committee)
    unread = int(badge(committee).inner_text())
    with crud.reloading(), committee.api("post", READ), committee.page.expect_response(lambda r: LATEST in r.url):
        crud.row(first).button("标为已读").click()
    assert crud.row(first).cell("状态") == "已读" and "标为已读" not in crud.row(first).buttons()
    expect(badge(committee)).to_have_text(str(unread - 1))  # the bell follows

    crud.filter({"只看未读": True, "类型": "催交提醒"})
    assert crud.has_row(second) and not crud.has_row(first)
    assert all("催交提醒" in r for r in crud.rows())
    with crud.reloading(), committee.api("post", "/api/pc/v1/messages/read-all"):
        crud.root.locator(".cxd-Crud-toolbar").get_by_role("button", name="全部标为已读").click()
    assert not crud.has_row(second)


def bell(admin):
    return admin.page.locator(".cxd-Layout-header").get_by_role("button", name=re.compile("消息"))


def badge(admin):
    return admin.page.locator(".cxd-Layout-header .cxd-Service .cxd-Badge-text")


def test_bell_drawer_marks_read_opens_the_link_and_lists_all(committee, server):
    kept, opened, done = unique("铃铛消息"), unique("铃铛消息"), unique("铃铛消息")
    server.notify([COMMITTEE], done)
    server.notify([COMMITTEE], opened, link="/admin/org_mgmt/page/orgs")
    server.notify([COMMITTEE], kept)
    committee.home()  # the bell counts at page load (and every minute)
    expect(badge(committee)).to_have_text(re.compile(r"^[1-9]\d*$"))
    bell(committee).click()
    drawer = committee.dialog("未读消息")
    for title in (kept, opened, done):
        expect(drawer.root.get_by_text(title)).to_be_visible()
    item = drawer.root.locator(".cxd-ListItem").filter(has_text=done)
    assert any(t in item.inner_text() for t in college_now_texts()), item.inner_text()
    with committee.api("post", READ), committee.page.expect_response(lambda r: LATEST in r.url):
        item.get_by_role("button", name="标为已读").click()
    expect(drawer.root.get_by_text(done)).to_have_count(0)

    link_item = drawer.root.locator(".cxd-ListItem").filter(has_text=opened)
    assert "打开" in link_item.inner_text()
    assert "打开" not in drawer.root.locator(".cxd-ListItem").filter(has_text=kept).inner_text()
    with committee.api("post", READ):
        committee.follow("/admin/org_mgmt/page/orgs", "党群组织管理", link_item.get_by_role("button", name="打开").click)
    drawer.closed()

    bell(committee).click()
    drawer = committee.dialog("未读消息")
    expect(drawer.root.get_by_text(opened)).to_have_count(0)
    expect(drawer.root.get_by_text(kept)).to_be_visible()
    with committee.api("post", "/api/pc/v1/messages/read-all"):
        committee.button("全部标为已读", drawer.root).click()
    expect(drawer.root.get_by_text("暂无未读消息")).to_be_visible()
    crud = committee.follow("/admin/messaging/page/messages", "我的消息", committee.button("查看全部消息", drawer.root).click)
    assert crud.row(kept).cell("状态") == "已读"
