"""机构管理 clicked as the committee (manual 2.2, UM-5, UM-6)."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.harness import unique

LIST = "/api/pc/v1/institutions"
STATUS = re.compile(r"/api/pc/v1/institutions/\d+/status")
ONE = re.compile(r"/api/pc/v1/institutions/\d+")


def open_page(admin):
    return admin.open("用户管理", "机构管理")


def test_create_shows_the_college_as_parent_and_requires_training_type(committee):
    crud = open_page(committee)
    name = unique("测试班级")
    dialog = crud.header("新增", "新增机构")
    assert dialog.value("上级机构") == "计算机学院"
    dialog.fill("机构名称", name).fill("机构类型", "班级")
    dialog.submit()
    expect(dialog.error("培养类型")).to_have_text("这是必填项")  # refused in the browser, nothing sent
    dialog.fill("培养类型", "本科生").fill("备注", "点击测试")
    with crud.reloading(), committee.api("post", LIST):
        dialog.submit()
    dialog.closed()
    committee.toast("新增成功")
    row = crud.filter({"机构名称": name}).row(name)
    assert row.cell("上级机构") == "计算机学院" and row.cell("培养类型") == "本科生"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", row.cell("创建时间")), row.cell("创建时间")
    assert row.switch_on()


def test_switch_disables_enables_and_delete_needs_disabled(committee, committee_api):
    name = unique("测试研究所")
    committee_api.post(LIST, {"name": name, "type": "研究所", "training_type": "研究生"})
    crud = open_page(committee).filter({"机构名称": name})
    with committee.api("delete", ONE, status=409):
        crud.row(name).confirm("删除")
    committee.toast("正在启用的机构不支持删除")
    with committee.api("post", STATUS):
        crud.row(name).switch().click()
    committee.toast("已停用")
    assert not crud.reload().row(name).switch_on()
    with committee.api("post", STATUS):
        crud.row(name).switch().click()
    committee.toast("已开启")
    assert crud.reload().row(name).switch_on()
    with committee.api("post", STATUS):
        crud.row(name).switch().click()
    with crud.reloading(), committee.api("delete", ONE):
        crud.row(name).confirm("删除")
    committee.toast("删除成功")
    assert not crud.has_row(name)


def test_switch_refused_with_users_flips_back(committee):
    crud = open_page(committee).filter({"机构名称": "人工智能研究所"})
    row = crud.row("人工智能研究所")
    assert row.switch_on()
    with committee.api("post", STATUS, status=409):
        row.switch().click()
    committee.toast("不能停用")
    expect(row.switch()).to_have_class(re.compile(r"\bis-checked\b"))
    assert crud.reload().row("人工智能研究所").switch_on()


def test_college_cannot_be_disabled_or_deleted(committee):
    row = open_page(committee).row("计算机学院")
    expect(row.switch()).to_have_class(re.compile(r"\bis-disabled\b"))
    assert "删除" not in row.buttons() and "编辑" in row.buttons()


def test_edit_saves_and_duplicate_name_is_refused_beside_the_field(committee, committee_api):
    name, other = unique("测试班级"), unique("测试班级")
    for n in (name, other):
        committee_api.post(LIST, {"name": n, "type": "班级", "training_type": "本科生"})
    crud = open_page(committee).filter({"机构名称": "测试班级"})
    dialog = crud.row(name).click("编辑", "编辑机构")
    assert dialog.value("机构名称") == name and dialog.value("上级机构") == "计算机学院"
    dialog.fill("机构名称", other)
    with committee.api("put", ONE, status=409):
        dialog.submit()
    expect(dialog.error("机构名称")).to_have_text(f"机构名称“{other}”已存在")
    dialog.fill("机构名称", name).fill("排序", 7).fill("备注", "已编辑")
    with crud.reloading(), committee.api("put", ONE):
        dialog.submit()
    dialog.closed()
    committee.toast("保存成功")
    assert crud.row(name).text
