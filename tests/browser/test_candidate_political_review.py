"""政审管理 after the list (manual 6.3, 政治审查) clicked by the committee and the branch admin:
确认信息填报, the letter form (branch recipient, phone, address, signing date) → 生成函调信, both
exports (one merged PDF, a zip of one file per person), 流转支部填写政审意见, the branch's opinions
and 流转党委审议, the committee's results with an uploaded scan and 完成政审: 通过 completes the
person's political review task, 不通过 shows `政治审查-不通过` on the 发展对象 list."""
from __future__ import annotations

import re

from playwright.sync_api import Locator, expect

from tests.activist_helpers import in_server_db
from tests.browser.forms import Dialog
from tests.browser.harness import unique
from tests.browser.matching import exact
from tests.browser.test_candidate_pages import CAN, candidates_page, place, wall_now, where

PR = f"{CAN}/political-review"
SCAN = b"%PDF-1.4\n% political review result\n"


def relatives(tag: str) -> list[dict]:
    return [{"name": f"{tag}父", "relation": "父亲", "work_unit": f"{tag}市第一中学", "political_status": "中共党员",
             "phone": "13800000001"},
            {"name": f"{tag}母", "relation": "母亲", "work_unit": f"{tag}县人民医院", "political_status": "群众",
             "phone": "13800000002"}]


def review_filled(committee_api, server, people) -> dict:
    """A review whose list is confirmed and whose people filled their two relatives (on the MP)."""
    review = committee_api.post(PR, {"title": unique("政审")})["data"]
    committee_api.call("put", f"{PR}/{review['id']}/people", {"record_ids": [r for r, _, _ in people]})
    committee_api.post(f"{PR}/{review['id']}/confirm-list", {})

    async def filled(session):
        from sqlalchemy import select

        from core.workflow.models import BatchEntry

        entries = (await session.execute(select(BatchEntry).where(BatchEntry.batch_id == review["id"]))).scalars().all()
        tags = {r: name for r, name, _ in people}
        for e in entries:
            e.data = {**(e.data or {}), "relatives": relatives(tags[e.record_id]), "filled_at": "2026-11-28T10:00:00+08:00"}
    in_server_db(server.data_dir, filled)
    return review


def open_detail(admin, title: str, page=None) -> tuple:
    """The review's 详情 dialog, from the 政审管理 page (opened, or re-read when already open)."""
    page = page.reload() if page is not None else admin.open("党员发展", "政审管理")
    with admin.api("get", re.compile(rf"{PR}/\d+$")):
        return page, page.row(title).click("详情", title)


def section(admin, detail: Dialog, title: str) -> Dialog:
    panel = detail.root.locator(".cxd-Panel").filter(has=admin.page.locator(".cxd-Panel-title", has_text=exact(title)))
    expect(panel.first).to_be_visible()
    return Dialog(admin, panel.first)


def press(admin, scope: Locator, label: str, method: str, path: str, confirm: bool = False):
    with admin.api(method, re.compile(rf"{PR}/\d+/{path}$")) as call:
        admin.button(label, scope).first.click()
        if confirm:
            admin.page.locator(".cxd-Modal").last.get_by_role("button", name="确认").click()
    return call


def download(admin, label: str, scope: Locator, fmt: str):
    with admin.page.context.expect_event(
            "response", predicate=lambda r: re.search(rf"{PR}/\d+/letters\?format={fmt}$", r.url) is not None) as got:
        admin.button(label, scope).first.click()
    for extra in admin.page.context.pages:
        if extra is not admin.page:
            extra.close()
    return got.value


def test_political_review_from_the_filled_list_to_the_committees_results(committee, branch_admin, committee_api, server):
    people = place(server, "zhibu04", 2, "cultivation")
    (one, name1, _), (two, name2, _) = people
    review = review_filled(committee_api, server, people)

    page, detail = open_detail(committee, review["title"])
    expect(detail.root.get_by_text(f"父亲：{name1}父").first).to_be_visible()  # what the people filled
    press(committee, detail.root, "确认信息填报", "post", "confirm-info")
    letters = section(committee, detail, "下发函调信")
    letters.fill("党支部收件人", "王老师").fill("收件人电话", "010-62780000")
    letters.fill("收件地址", "计算机学院党委办公室").fill("落款时间", wall_now().date().isoformat())
    with committee.api("post", re.compile(rf"{PR}/\d+/letters$")) as made:
        letters.submit("生成函调信")
    assert made.json()["data"]["letter_count"] == 4  # one letter per relative
    merged = download(committee, "导出函调信（PDF）", detail.root, "pdf")
    assert merged.status == 200 and merged.headers["content-type"] == "application/pdf"
    zipped = download(committee, "导出函调信（每人一个文件）", detail.root, "zip")
    assert zipped.status == 200 and zipped.headers["content-type"] == "application/zip"
    press(committee, detail.root, "流转支部填写政审意见", "post", "to-branches")
    expect(detail.root.get_by_text("流转支部填写政审意见")).to_have_count(0)
    detail.close()

    _, detail = open_detail(branch_admin, review["title"])
    opinions = section(branch_admin, detail, "填写政审意见")
    for name, text in ((name1, "政治立场坚定，表现良好"), (name2, "同意")):
        box = opinions.root.locator("tbody tr").filter(has_text=name).locator("textarea")
        box.fill(text)
        box.press("Tab")
    with branch_admin.api("put", re.compile(rf"{PR}/\d+/opinions$")):
        opinions.submit("保存政审意见")
    saved = detail.root.locator("tbody tr").filter(has_text=name1).locator(".cxd-PlainField")  # the list's 政审意见
    expect(saved.filter(has_text=exact("政治立场坚定，表现良好"))).to_have_count(1)
    press(branch_admin, detail.root, "流转党委审议", "post", "submit-opinions")
    detail.close()

    _, detail = open_detail(committee, review["title"], page)
    results = section(committee, detail, "党委审议")
    for name, outcome in ((name1, "通过"), (name2, "不通过")):
        row = results.root.locator("tbody tr").filter(has_text=name)
        results._open_select(row)
        committee.page.locator(".cxd-PopOver .cxd-Select-menu").last.locator(".cxd-Select-option").filter(
            has_text=exact(outcome)).first.click()
        results.close_popover()
        expect(row.locator(".cxd-Select-value")).to_have_text(exact(outcome))
    note = results.root.locator("tbody tr").filter(has_text=name2).locator("input[type=text]").last
    note.fill("直系亲属情况需进一步核实")
    note.press("Tab")
    with committee.api("post", "/api/files"):
        results.root.locator("input[type=file]").set_input_files(
            {"name": "审议结果.pdf", "mimeType": "application/pdf", "buffer": SCAN})
    with committee.api("put", re.compile(rf"{PR}/\d+/results$")) as saved:
        results.submit("保存审议结果")
    outcomes = {e["name"]: e["outcome_label"] for e in saved.json()["data"]["entries"]}
    assert outcomes == {name1: "通过", name2: "不通过"}
    call = press(committee, detail.root, "完成政审", "post", "complete", confirm=True)
    assert (call.json()["data"]["passed"], call.json()["data"]["failed"]) == (1, 1)
    detail.close()

    assert where(server, one) == ("cultivation", "active")
    assert where(server, two) == ("cultivation", "政治审查-不通过")
    crud = candidates_page(committee, name1[:-1])
    assert crud.row(name2).cell("状态") == "政治审查-不通过"
    assert crud.row(name1).cell("状态") != "政治审查-不通过"
