"""党小组管理 (ORG-5) clicked as the committee; 党员基础信息管理 (manual ch. 5, ORG-6) clicked
as a branch admin."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import BRANCH_ADMIN
from tests.browser.harness import unique

GROUPS = "/api/pc/v1/party-groups"
GROUP = re.compile(r"/api/pc/v1/party-groups/\d+")
MEMBER = re.compile(r"/api/pc/v1/members/\d+")


def test_party_group_create_edit_duplicate_and_delete(committee):
    crud = committee.open("党务管理", "党小组管理")
    name = unique("第一党小组")
    dialog = crud.header("新增", "新增党小组")
    offered = dialog.options("所属党支部")
    assert "本科生第一党支部" in offered and "计算机学院党委" not in offered  # groups live under branches
    dialog.fill("党小组名称", name).fill("所属党支部", "本科生第一党支部").fill("组长", "李组长")
    with crud.reloading(), committee.api("post", GROUPS):
        dialog.submit()
    committee.toast("新增成功")
    row = crud.row(name)
    assert row.cell("所属党支部") == "本科生第一党支部" and row.cell("组长") == "李组长"

    dialog = crud.header("新增", "新增党小组")
    dialog.fill("党小组名称", name).fill("所属党支部", "本科生第一党支部")
    with committee.api("post", GROUPS, status=409):
        dialog.submit()
    expect(dialog.error("党小组名称")).to_have_text(f"该党支部下已有名为“{name}”的党小组")
    dialog.close()

    dialog = crud.row(name).click("编辑", "编辑党小组")
    assert dialog.value("所属党支部") == "本科生第一党支部"
    dialog.fill("组长", "王组长")
    with crud.reloading(), committee.api("put", GROUP):
        dialog.submit()
    assert crud.row(name).cell("组长") == "王组长"
    with crud.reloading(), committee.api("delete", GROUP):
        crud.row(name).confirm("删除")
    committee.toast("删除成功")
    assert not crud.has_row(name)


def a_student_of_my_branch(api) -> dict:
    me = api.get("/api/pc/v1/users", username=BRANCH_ADMIN)["items"][0]
    students = [m for m in api.get("/api/pc/v1/members", per_page=500)["items"] if m["party_branch_id"] == me["party_branch_id"]]
    return students[-1]


def test_member_view_and_edit_submit(branch_admin, committee_api):
    student = a_student_of_my_branch(committee_api)
    crud = branch_admin.open("党务管理", "党员基础信息管理").filter({"学号": student["student_no"]})
    assert crud.row(student["name"]).cell("所属党支部") == "本科生第一党支部"
    with branch_admin.api("get", MEMBER):
        dialog = crud.row(student["name"]).click("查看", "查看基础信息")
    assert student["student_no"] in dialog.text()
    dialog.close()

    with branch_admin.api("get", MEMBER):
        dialog = crud.row(student["name"]).click("编辑", "编辑基础信息")
    values = {"手机号码": "13800001234", "性别": "女", "民族": "汉族", "身份证号": "110101200303030022",
              "籍贯": "北京", "年级": "2022级", "政治面貌": "共青团员", "家庭住址": "北京市海淀区"}
    for label, value in values.items():
        dialog.fill(label, value)
    dialog.fill("出生日期", "2003-03-04").fill("入学时间", "2022-09-01")
    with branch_admin.api("put", MEMBER, status=422):
        dialog.submit("提交")
    expect(dialog.error("出生日期")).to_have_text("出生日期与身份证号不一致")
    dialog.fill("出生日期", "2003-03-03")
    with crud.reloading(), branch_admin.api("put", MEMBER):
        dialog.submit("提交")
    branch_admin.toast("提交成功")
    assert crud.row(student["name"]).cell("信息完善") == "已完善"


def test_member_list_holds_only_my_branch(branch_admin, committee_api):
    crud = branch_admin.open("党务管理", "党员基础信息管理")
    mine = a_student_of_my_branch(committee_api)
    others = [m for m in committee_api.get("/api/pc/v1/members", per_page=500)["items"]
              if m["party_branch_id"] != mine["party_branch_id"]]
    assert crud.filter({"学号": mine["student_no"]}).has_row(mine["name"])
    crud.filter({"学号": others[0]["student_no"]})
    assert not crud.has_row(others[0]["name"])
