"""工作台, the account menu and 个人中心 (manual 2.1 修改用户信息-个人中心页面, UM-3)."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD, new_context
from tests.browser.harness import Admin, unique

PERSONAL = "/admin/page/personal"


def home_property(admin, label: str) -> str:
    cell = admin.page.locator(".cxd-Property").locator("th, td, .cxd-Property-label").filter(has_text=re.compile(f"^{label}$"))
    expect(cell.first).to_be_visible()
    return cell.first.locator("xpath=following-sibling::*[1]").inner_text().strip()


def test_home_shows_role_names_not_keys(committee, branch_admin):
    assert home_property(committee, "角色") == "学院党委" and home_property(committee, "数据范围") == "全部"
    assert home_property(branch_admin, "角色") == "党支部管理员" and home_property(branch_admin, "数据范围") == "本支部"
    for admin in (committee, branch_admin):
        text = admin.page.locator(".cxd-Page-body").inner_text()
        assert "committee" not in text and "branch_admin" not in text


def account_menu(admin, entry: str):
    admin.page.locator(".cxd-Layout-header .cxd-DropDown").hover()
    return admin.page.locator(".cxd-DropDown-menu").get_by_text(entry, exact=True)


def test_personal_centre_from_the_account_menu_saves_info(branch_admin):
    branch_admin.follow(PERSONAL, "个人中心", account_menu(branch_admin, "个人中心").click)
    form = branch_admin.form("基本信息")  # not amis' default "表单"
    expect(branch_admin.page.get_by_text("表单", exact=True)).to_have_count(0)
    assert form.value("角色") == "党支部管理员"
    form.fill("手机号码", "13900001111")
    with branch_admin.api("put", "/api/pc/v1/personal"):
        form.submit("保存")
    branch_admin.toast("保存成功")


def test_avatar_uploads_through_the_shared_receiver(branch_admin, tmp_path):
    from PIL import Image

    picture = tmp_path / "avatar.png"
    Image.new("RGB", (32, 32), (200, 30, 30)).save(picture)
    branch_admin.follow(PERSONAL, "个人中心", account_menu(branch_admin, "个人中心").click)
    form = branch_admin.form("更换头像")
    with branch_admin.api("post", "/api/files") as uploaded:
        form.root.locator(".cxd-ImageControl input[type=file]").set_input_files(str(picture))
    file = uploaded.json()["file"]
    assert file["type"] == "png" and file["purpose"] == "avatar"
    with branch_admin.api("post", "/api/pc/v1/personal/avatar") as saved, \
            branch_admin.page.expect_response(lambda r: urlsplit(r.url).path == "/api/pc/v1/personal"):
        form.submit("确认修改")
    assert saved.json()["data"]["avatar"] == file["url"]
    branch_admin.toast("头像已更新")
    expect(branch_admin.form("基本信息").root.locator("img")).to_have_attribute("src", re.compile(re.escape(file["url"])))


def test_password_change_ends_the_session_and_the_new_password_works(browser, server, committee_api):
    username = unique("pw")
    committee_api.post("/api/pc/v1/users", {"username": username, "name": "改密测试", "password": DEMO_PASSWORD,
                                            "role_ids": [_role(committee_api, "学生")]})
    context = new_context(browser, server, username)
    try:
        admin = Admin(context.new_page(), server.base)
        admin.home()
        admin.follow(PERSONAL, "个人中心", account_menu(admin, "修改密码").click)
        form = admin.form("修改密码")
        form.fill("原始密码", "Wrong@2026x").fill("新密码", "New@2026xy").fill("确认密码", "New@2026xz")
        form.submit("保存")
        expect(form.error("确认密码")).to_have_text("两次输入的新密码不一致")
        form.fill("确认密码", "New@2026xy")
        with admin.api("post", "/api/pc/v1/personal/password", status=422):
            form.submit("保存")
        expect(form.error("原始密码")).to_have_text("原始密码不正确")
        form.fill("原始密码", DEMO_PASSWORD)
        with admin.api("post", "/api/pc/v1/personal/password"):
            form.submit("保存")
        admin.toast("密码修改成功，3秒后跳转至登录页面")
        admin.page.wait_for_url(re.compile(r"/admin/login"), timeout=15_000)
        admin.page.get_by_placeholder("请输入账号").fill(username)
        admin.page.get_by_placeholder("请输入密码").fill("New@2026xy")
        with admin.api("post", "/api/pc/v1/auth/login"):
            admin.page.get_by_role("button", name="登录").click()
        admin.page.wait_for_url(re.compile(r"/admin/(#.*)?$"))
        expect(admin.page.locator(".cxd-AsideNav")).to_be_visible()

        with admin.api("post", "/api/pc/v1/auth/logout"):
            account_menu(admin, "退出登录").click()
        admin.page.wait_for_url(re.compile(r"/admin/login"))
        assert not admin.problems(), admin.problems()
    finally:
        context.close()


def _role(api, name: str) -> int:
    return next(o["value"] for o in api.get("/api/pc/v1/users/role-options")["options"] if o["label"] == name)
