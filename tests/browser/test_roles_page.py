"""角色管理 and 设置权限 clicked as the committee (manual 2.3, UM-7, UM-8)."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.harness import unique

LIST = "/api/pc/v1/roles"
ONE = re.compile(r"/api/pc/v1/roles/\d+")
PERMISSIONS = re.compile(r"/api/pc/v1/roles/\d+/permissions")


def open_page(admin):
    return admin.open("用户管理", "角色管理")


def test_create_edit_delete_and_duplicate_key(committee):
    crud = open_page(committee)
    key, name = unique("r"), unique("测试角色")
    dialog = crud.header("新增", "新增角色")
    dialog.fill("角色名称", name).fill("角色标识", "branch_admin").fill("数据范围", "本支部")
    with committee.api("post", LIST, status=409):
        dialog.submit()
    expect(dialog.error("角色标识")).to_have_text("角色标识“branch_admin”已存在，不可重复添加")
    dialog.fill("角色标识", key)
    with crud.reloading(), committee.api("post", LIST):
        dialog.submit()
    committee.toast("新增成功")
    crud = crud.filter({"角色名称": name})
    assert crud.row(name).cell("数据范围") == "本支部" and crud.row(name).cell("角色标识") == key

    dialog = crud.row(name).click("编辑", "编辑角色")
    dialog.fill("角色描述", "点击测试")
    with crud.reloading(), committee.api("put", ONE):
        dialog.submit()
    assert crud.row(name).cell("角色描述") == "点击测试"

    with crud.reloading(), committee.api("delete", ONE):
        crud.row(name).confirm("删除")
    committee.toast("删除成功")
    assert not crud.has_row(name)


def test_builtin_roles_cannot_be_deleted(committee):
    crud = open_page(committee)
    for name in ("学院党委", "党支部管理员", "学生"):
        assert "删除" not in crud.row(name).buttons()


def test_permission_tree_shows_exactly_what_a_role_holds(committee):
    dialog = open_page(committee).row("党支部管理员").click("设置权限", "设置权限 - 党支部管理员")
    tree = dialog.tree()
    assert tree["用户管理"] == "checked" and tree["用户管理-查看"] == "checked"
    # a held group does not make its children look held, and they stay clickable
    assert tree["用户管理-新增/编辑"] == "unchecked" and tree["用户管理-删除"] == "unchecked"
    assert tree["机构管理-查看"] == "unchecked" and tree["角色管理-新增/编辑/删除/设置权限"] == "unchecked"
    dialog.close()


def test_tick_group_untick_one_child_and_save(committee, committee_api):
    name = unique("测试角色")
    committee_api.post(LIST, {"name": name, "key": unique("r"), "scope": "branch"})
    crud = open_page(committee).filter({"角色名称": name})
    dialog = crud.row(name).click("设置权限", f"设置权限 - {name}")
    assert set(dialog.tree().values()) == {"unchecked"}
    dialog.tick("党务管理")  # the group ticks its children
    tree = dialog.tree()
    assert tree["党务管理"] == tree["党小组管理-查看"] == tree["党员基础信息管理-编辑"] == "checked"
    dialog.tick("党小组管理-新增/编辑/删除")  # one child unticked on its own
    tree = dialog.tree()
    assert tree["党小组管理-新增/编辑/删除"] == "unchecked" and tree["党务管理"] == "checked"
    dialog.tab("小程序端权限").tick("个人信息完善")
    with committee.api("put", PERMISSIONS):
        dialog.submit()
    committee.toast("权限设置成功")

    dialog = crud.row(name).click("设置权限", f"设置权限 - {name}")
    tree = dialog.tree()
    held = {k for k, v in tree.items() if v == "checked"}
    assert {"党务管理", "党群组织管理-查看", "党小组管理-查看", "党员基础信息管理-编辑"} <= held
    assert "党小组管理-新增/编辑/删除" not in held and "用户管理" not in held
    assert dialog.tab("小程序端权限").tree()["个人信息完善"] == "checked"
    dialog.close()
