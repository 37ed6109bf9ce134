"""申请人公示 (公示管理, manual 6.1.3) clicked as a branch admin: 公示设置, 新增公示, 设置公示内容
(the list of people and their 简要表现情况), 确认并生成公示, 登记异议, 生成公示报告 once the period
ended, 完成公示 (the people enter the activist stage), and 删除 of a draft."""
from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from tests.activist_helpers import in_server_db, today
from tests.browser import dev_people
from tests.browser.harness import unique
from tests.browser.matching import TIMEOUT

PREFIX = f"{dev_people.APPLICANTS}/publicity"


def confirm(admin) -> None:
    box = admin.page.locator(".cxd-Modal").filter(has=admin.page.locator(".cxd-Modal-footer")).last
    expect(box).to_be_visible(timeout=TIMEOUT)
    admin.button("确认", box.locator(".cxd-Modal-footer")).first.click()


def ended(server, publicity_id: int) -> None:
    """The publicity's period moved into the past (it ended yesterday)."""
    from sqlalchemy import update

    from core.workflow.models import Batch

    async def go(s):
        b = await s.get(Batch, publicity_id)
        shift = b.end_at - b.start_at + timedelta(days=1)
        await s.execute(update(Batch).where(Batch.id == publicity_id).values(start_at=b.start_at - shift, end_at=b.end_at - shift))
    in_server_db(server.data_dir, go)


def test_publicity_from_settings_to_completion(branch_admin, server):
    people = dev_people.applicants(server, "zhibu04", 2, step="publicity", letter="approved")
    (_, r1, n1), (_, r2, n2) = people
    crud = branch_admin.open("党员发展", "申请人公示")

    d = crud.header("公示设置", "公示设置（新增公示时自动填入）")
    d.fill("联系人", "王老师").fill("联系电话", "020-12345678")
    with branch_admin.api("put", f"{PREFIX}/settings"):
        d.submit()
    d.closed()

    with crud.reloading(), branch_admin.api("post", PREFIX) as call:
        branch_admin.button("新增公示", crud.root.locator(".cxd-Crud-toolbar")).first.click()
    pid = call.json()["data"]["id"]
    row = crud.row(call.json()["data"]["title"])
    assert row.cell("公示状态") == "待生成公示文件"

    with branch_admin.api("get", f"{PREFIX}/{pid}"):
        row.button("设置公示内容").click()
    d = branch_admin.dialog()
    assert d.value("联系人") == "王老师"  # from 公示设置
    title = unique("入党申请人公示")
    d.fill("公示标题", title)
    table = d.item("公示名单")
    for k, name in enumerate((n1, n2)):
        branch_admin.button("新增", table).last.click()
        line = table.locator("tbody tr").nth(k)
        line.locator(".cxd-Select").first.click()
        branch_admin.page.locator(".cxd-PopOver .cxd-Select-option").filter(has_text=name).first.click()
        line.locator("input[type=text]").last.fill("积极参加组织生活，表现良好")
    d.fill("落款日期", today().isoformat()).fill("公示开始日期", today().isoformat())
    with crud.reloading(), branch_admin.api("put", f"{PREFIX}/{pid}/content") as call:
        d.submit()
    assert sorted(p["record_id"] for p in call.response.request.post_data_json["people"]) == sorted([r1, r2])
    row = crud.row(title)
    assert row.cell("人数") == "2"

    row.button("确认并生成公示").click()
    with crud.reloading(), branch_admin.api("post", f"{PREFIX}/{pid}/generate"):
        confirm(branch_admin)
    row = crud.row(title)
    assert row.cell("公示状态").startswith("公示中（距公示期结束")
    assert "导出公示文件" in row.buttons() and "删除" not in row.buttons()

    row.button("登记异议").click()
    d = branch_admin.dialog(f"登记异议 - {title}")
    d.fill("人员", n2).fill("异议情况", "群众反映其近期表现有待观察")
    with crud.reloading(), branch_admin.api("post", f"{PREFIX}/{pid}/objection"):
        d.submit()
    assert crud.row(title).cell("人数") == "1" and crud.row(title).cell("异议人数") == "1"

    ended(server, pid)
    row = crud.reload().row(title)
    assert row.cell("公示状态") == "公示期结束"
    d = row.click("生成公示报告", "生成公示报告")
    d.fill("补充说明", "公示期间收到一条异议，已核实处理。")
    with crud.reloading(), branch_admin.api("post", f"{PREFIX}/{pid}/report"):
        d.submit()
    row = crud.row(title)
    row.button("完成公示").click()
    with crud.reloading(), branch_admin.api("post", f"{PREFIX}/{pid}/complete"):
        confirm(branch_admin)
    assert crud.row(title).cell("公示状态") == "已完成"
    where = dev_people.where(server, [r1, r2])
    assert where[r1][0] == "activist" and where[r2] == ("applicant", "publicity", "active")


def test_a_draft_publicity_is_deleted(branch_admin):
    crud = branch_admin.open("党员发展", "申请人公示")
    with crud.reloading(), branch_admin.api("post", PREFIX) as call:
        branch_admin.button("新增公示", crud.root.locator(".cxd-Crud-toolbar")).first.click()
    pid = call.json()["data"]["id"]
    drafts = crud.root.locator("tbody tr").filter(has=branch_admin.button("设置公示内容"))
    before = drafts.count()
    with crud.reloading(), branch_admin.api("delete", f"{PREFIX}/{pid}"):
        crud.row(call.json()["data"]["title"]).confirm("删除")  # the newest is listed first
    expect(drafts).to_have_count(before - 1)
