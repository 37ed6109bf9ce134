"""历史数据导入 (plugins/dossier) clicked as the college committee: 下载导入模板 gives the xlsx,
a file with a problem is refused naming its row and column and creates nobody, 预检 shows what
would be created (and writes nothing), 确认导入 creates the person, who then shows in the stage
list at the imported step with the imported steps marked 导入 on the timeline."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.harness import unique
from tests.history_helpers import XLSX, filled, person_row

URL = "/api/pc/v1/development/history-import"
BRANCH = "本科生第一党支部"


def attach(admin, data: bytes) -> None:
    """Choose the file in 导入文件 as a person does (the file chooser)."""
    form = admin.page.locator(".cxd-Page-body .cxd-Form").first
    form.locator("input[type=file]").set_input_files({"name": "历史数据.xlsx", "mimeType": XLSX, "buffer": data})
    expect(form).to_contain_text("历史数据.xlsx")


def people_named(committee_api, name: str) -> list[dict]:
    return committee_api.get("/api/pc/v1/development/dossiers/people", name=name)["items"]


def test_template_refusal_dry_run_and_import(committee, committee_api):
    committee.open("党员发展", "历史数据导入")
    with committee.api("get", f"{URL}/template") as call:
        committee.button("下载导入模板").click()
    assert call.response.headers["content-type"] == XLSX
    template = call.response.body()

    # A date before the previous step's: refused with its row and column, nobody created.
    row = person_row(BRANCH, 姓名=unique("导入"))
    bad = dict(row, **{"申请入党-党组织派人谈话": "2024-02-01"})
    attach(committee, filled(template, [bad]))
    with committee.api("post", URL, status=422):
        committee.button("提交").click()
    committee.toast("导入失败，数据未做任何修改：第")
    assert any("【申请入党-党组织派人谈话】" in t and "早于前一环节" in t for t in committee.toasts()), committee.toasts()
    assert people_named(committee_api, row["姓名"]) == []

    # 预检: what would be created, still nothing written.
    attach(committee, filled(template, [row]))
    with committee.api("post", URL) as call:
        committee.button("提交").click()
    assert call.json()["data"]["dry_run"] is True
    committee.toast("预检通过：将导入1人（新建人员1人）")
    body = committee.page.locator(".cxd-Page-body")
    expect(body).to_contain_text("预检结果：1人，新建人员1人")
    preview = body.locator("table tbody tr").filter(has_text=row["姓名"])
    expect(preview).to_contain_text("新建人员")
    expect(preview).to_contain_text("指定培养联系人")
    assert people_named(committee_api, row["姓名"]) == []

    # 确认导入 with the same file.
    committee.page.locator(".cxd-Page-body label").filter(has_text="确认导入").first.click()
    with committee.api("post", URL) as call:
        committee.button("提交").click()
    assert call.json()["data"]["dry_run"] is False
    committee.toast("导入成功：1人已按当前环节继续发展流程")
    expect(body).to_contain_text("导入结果：1人，新建人员1人")
    (person,) = people_named(committee_api, row["姓名"])

    crud = committee.open("党员发展", "积极分子").filter({"姓名": row["姓名"]})
    assert crud.row(row["姓名"]).cell("当前环节") == "指定培养联系人"
    with committee.api("get", f"/api/pc/v1/development/records/{person['record_id']}/timeline"):
        crud.row(row["姓名"]).button("详情").click()
    text = committee.dialog(f"时间轴 - {row['姓名']}").text()
    assert "导入：递交入党申请书" in text and "导入：当前环节“指定培养联系人”" in text, text
