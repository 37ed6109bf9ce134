"""党群组织管理 clicked as the committee (manual ch. 4, ORG-1..4)."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.harness import unique

LIST = "/api/pc/v1/orgs"
ONE = re.compile(r"/api/pc/v1/orgs/\d+")
STATUS = re.compile(r"/api/pc/v1/orgs/\d+/status")
ALLOWED = "/api/pc/v1/orgs/allowed-institutions"


def open_page(admin):
    return admin.open("党务管理", "党群组织管理")


def own_institution(api, kind: str) -> str:
    """A new 党支部/团支部 institution; an organisation of the same name may link it without
    moving any demo student to another branch."""
    name = unique("测试支部")
    api.post("/api/pc/v1/institutions", {"name": name, "type": kind, "training_type": "本科生"})
    return name


def test_new_party_branch_loads_and_reloads_linkable_institutions(committee, committee_api):
    name = own_institution(committee_api, "党支部")
    crud = open_page(committee)
    dialog = crud.header("新增党组织", "新增党组织")
    dialog.fill("组织名称", name).fill("书记", "张书记")
    with committee.api("get", ALLOWED):
        dialog.fill("培养类型", "本科生")
    offered = dialog.options("关联机构")
    assert f"{name}（党支部）" in offered and "计科2201团支部（团支部）" in offered
    assert not any("研究所" in o for o in offered)
    with committee.api("get", ALLOWED):
        dialog.fill("培养类型", "研究生")
    offered = dialog.options("关联机构")
    assert f"{name}（党支部）" in offered and "人工智能研究所（研究所）" in offered
    assert not any("团支部（团支部）" in o for o in offered)
    dialog.fill("关联机构", [f"{name}（党支部）"])
    with crud.reloading(), committee.api("post", LIST):
        dialog.submit()
    committee.toast("新增成功")
    row = crud.filter({"组织名称": name}).row(name)
    assert row.cell("组织类别") == "党组织" and row.cell("培养类型") == "研究生" and row.cell("关联机构") == name
    assert row.cell("上级组织") == "计算机学院党委" and row.switch_on()


def test_edit_reloads_options_when_training_type_changes(committee, committee_api):
    name = own_institution(committee_api, "团支部")
    crud = open_page(committee)
    dialog = crud.header("新增团组织", "新增团组织")
    dialog.fill("组织名称", name)
    with committee.api("get", ALLOWED):
        dialog.fill("培养类型", "本科生")
    assert "计科2201班（班级）" in dialog.options("关联机构")
    dialog.fill("关联机构", [f"{name}（团支部）"])
    with crud.reloading(), committee.api("post", LIST):
        dialog.submit()
    crud = crud.filter({"组织名称": name})
    with committee.api("get", ALLOWED):  # the edit dialog loads the options of the saved 培养类型
        dialog = crud.row(name).click("编辑", "编辑组织")
    assert dialog.value("关联机构") == f"{name}（团支部）"
    with committee.api("get", ALLOWED):
        dialog.fill("培养类型", "研究生")
    assert dialog.value("关联机构") == ""  # the old choice was cleared
    offered = dialog.options("关联机构")
    assert "人工智能研究所（研究所）" in offered and "计科2201班（班级）" not in offered
    dialog.fill("关联机构", [f"{name}（团支部）"])
    with crud.reloading(), committee.api("put", ONE):
        dialog.submit()
    committee.toast("保存成功")
    assert crud.row(name).cell("培养类型") == "研究生"


def test_switch_refused_while_linked_then_disable_enable_and_delete(committee, committee_api):
    name = own_institution(committee_api, "党支部")
    institution = next(o["value"] for o in committee_api.get(ALLOWED, kind="party", training_type="本科生", name=name)["options"]
                       if o["label"].startswith(name))
    committee_api.post(LIST, {"name": name, "kind": "party", "training_type": "本科生", "institution_ids": [institution]})
    crud = open_page(committee).filter({"组织名称": name})
    with committee.api("post", STATUS, status=409):
        crud.row(name).switch().click()
    committee.toast("该组织还有关联机构，不能停用")
    assert crud.reload().row(name).switch_on()
    with committee.api("delete", ONE, status=409):
        crud.row(name).confirm("删除")
    committee.toast("正在启用的组织不支持删除")

    with committee.api("get", ALLOWED):
        dialog = crud.row(name).click("编辑", "编辑组织")
    dialog.fill("状态", False).clear("关联机构")
    with crud.reloading(), committee.api("put", ONE):
        dialog.submit()
    row = crud.row(name)
    assert not row.switch_on() and row.cell("关联机构") == "-"
    with committee.api("post", STATUS):
        row.switch().click()
    committee.toast("已开启")
    with committee.api("post", STATUS):
        crud.row(name).switch().click()
    committee.toast("已停用")
    with crud.reloading(), committee.api("delete", ONE):
        crud.row(name).confirm("删除")
    committee.toast("删除成功")
    assert not crud.has_row(name)


def test_view_dialog_and_builtin_organisations(committee):
    crud = open_page(committee)
    row = crud.row("计算机学院党委")
    assert "删除" not in row.buttons()
    expect(row.switch()).to_have_class(re.compile(r"\bis-disabled\b"))
    dialog = crud.filter({"组织名称": "本科生第一党支部"}).row("本科生第一党支部").click("查看", "查看组织")
    text = dialog.text()
    assert "计算机学院党委" in text and "本科生" in text and "开启" in text
    assert re.search(r"创建时间\s*\d{4}-\d{2}-\d{2} \d{2}:\d{2}", text), text
    dialog.close()


def test_duplicate_name_refused_beside_the_field(committee):
    crud = open_page(committee)
    dialog = crud.header("新增团组织", "新增团组织")
    dialog.fill("组织名称", "本科生第一党支部")
    with committee.api("get", ALLOWED):
        dialog.fill("培养类型", "本科生")
    dialog.fill("关联机构", ["计科2201班（班级）"])
    with committee.api("post", LIST, status=409):
        dialog.submit()
    expect(dialog.error("组织名称")).to_have_text("组织名称“本科生第一党支部”已存在，不可重复")
    dialog.close()
