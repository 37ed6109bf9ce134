"""用户管理 clicked as the committee and as a branch admin (manual 2.1, UM-1, UM-2, UM-4)."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import BRANCH_ADMIN, COMMITTEE, OTHER_BRANCH_ADMIN
from tests.browser.harness import unique

LIST = "/api/pc/v1/users"
ONE = re.compile(r"/api/pc/v1/users/\d+")
INSTITUTIONS_OF = re.compile(r"/api/pc/v1/orgs/\d+/institutions")


def open_page(admin):
    return admin.open("用户管理", "用户管理")


def test_create_edit_and_delete_a_user(committee):
    crud = open_page(committee)
    username = unique("u")
    dialog = crud.header("新增用户", "新增用户")
    dialog.fill("账号", username).fill("姓名", "点击测试").fill("密码", "weak")
    dialog.submit()
    expect(dialog.error("密码")).to_contain_text("密码需同时包含大小写字母、数字和特殊字符")
    expect(dialog.item("所属机构").locator(".cxd-Select")).to_have_class(re.compile(r"\bis-disabled\b"))
    dialog.fill("密码", "Click@2026x").fill("角色", "学生")
    with committee.api("get", INSTITUTIONS_OF):  # institutions follow the chosen organisation
        dialog.fill("所属组织", "计科2201团支部")
    assert dialog.options("所属机构") == ["计科2201团支部（团支部）", "计科2201班（班级）"]
    dialog.fill("所属机构", "计科2201班（班级）").fill("学号", "2099" + username[-6:].translate(str.maketrans("abcdef", "123456")))
    with crud.reloading(), committee.api("post", LIST):
        dialog.submit()
    dialog.closed()
    committee.toast("新增成功")
    row = crud.filter({"账号": username}).row(username)
    assert row.cell("角色") == "学生" and row.cell("所属机构") == "计科2201班" and row.cell("状态") == "启用"
    assert row.cell("所属组织") == "计科2201团支部"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", row.cell("创建时间"))

    dialog = row.click("编辑", "编辑用户")
    assert dialog.value("姓名") == "点击测试" and dialog.value("所属机构") == "计科2201班（班级）"
    dialog.fill("姓名", "已改名").fill("状态", False)
    with crud.reloading(), committee.api("put", ONE):
        dialog.submit()
    committee.toast("保存成功")
    row = crud.row(username)
    assert row.cell("姓名") == "已改名" and row.cell("状态") == "禁用"

    with crud.reloading(), committee.api("delete", ONE):
        row.confirm("删除")
    committee.toast("删除成功")
    assert not crud.has_row(username)


def test_existing_account_is_refused_beside_the_field(committee):
    crud = open_page(committee)
    dialog = crud.header("新增用户", "新增用户")
    dialog.fill("账号", BRANCH_ADMIN).fill("姓名", "重复").fill("密码", "Click@2026x").fill("角色", "学生")
    with committee.api("post", LIST, status=409):
        dialog.submit()
    expect(dialog.error("账号")).to_have_text(f"账号“{BRANCH_ADMIN}”已存在")
    committee.no_toast("依赖的部分字段没有通过验证")
    dialog.close()


def test_own_row_has_no_delete(committee):
    row = open_page(committee).filter({"账号": COMMITTEE}).row(COMMITTEE)
    assert "编辑" in row.buttons() and "删除" not in row.buttons()


def test_filter_by_institution(committee):
    crud = open_page(committee).filter({"所属机构": "人工智能研究所（研究所）"})
    rows = crud.rows()
    assert rows and all("人工智能研究所" in r for r in rows)


def test_branch_admin_sees_its_branch_and_only_what_it_may_do(branch_admin):
    crud = open_page(branch_admin)  # opens without a refused request (the watcher checks)
    assert "新增用户" not in crud.toolbar_buttons()
    assert "操作" not in crud.columns()
    # by name: the development pages' tests add students to this branch, so it may not be on page 1
    crud.filter({"姓名": "党支部管理员"})
    assert crud.has_row(BRANCH_ADMIN) and not crud.has_row(OTHER_BRANCH_ADMIN)
    crud.filter_form().fill("姓名", "")
    offered = crud.filter_form().options("所属机构")
    assert "本科生第一党支部（党支部）" in offered and "人工智能研究所（研究所）" not in offered
    crud.filter({"所属机构": "计科2201班（班级）"})
    rows = crud.rows()
    assert rows and all("计科2201班" in r for r in rows)
