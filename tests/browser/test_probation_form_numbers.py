"""入党志愿书管理 (manual 6.4) clicked: the committee registers a number range for the year on the
入党志愿书编号 page, assigns numbers on the 预备党员接收 list (a number already used is refused
beside the field and nothing changes), issues the form, sees the register; the branch admin
then confirms the paper form's submission and the person moves on to 支部大会讨论."""
from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from tests.activist_helpers import today
from tests.browser.conftest import BRANCH_ADMIN
from tests.browser.dev_people import where
from tests.browser.harness import unique
from tests.browser.probation_people import at_step
from tests.browser.tables import Crud

FORM = "/api/pc/v1/development/reception/application-form"


def test_range_assign_clash_issue_and_paper_confirmed(committee, branch_admin, server):
    (_, first_id, first), (_, second_id, second) = at_step(server, BRANCH_ADMIN, 2, "reception", "application_form")
    start = 100_000_000 + uuid.uuid4().int % 800_000_000  # a range no other test registers
    year = today().year
    note = unique("编号段")

    ranges = committee.open("党员发展", "入党志愿书编号")
    dialog = ranges.header("登记编号段", "登记入党志愿书编号段")
    dialog.fill("年度", year).fill("起始编号", start).fill("截止编号", start + 9).fill("备注", note)
    with ranges.reloading(), committee.api("post", f"{FORM}/ranges"):
        dialog.submit()
    row = ranges.row(note)
    assert (row.cell("起始编号"), row.cell("总数"), row.cell("剩余")) == (str(start), "10", "10")

    people = committee.open("党员发展", "预备党员接收").filter({"姓名": first[:-1]})
    dialog = people.row(first).click("分配编号", f"分配入党志愿书编号 - {first}")
    dialog.fill("编号", start)
    with people.reloading(), committee.api("post", f"{FORM}/assign"):
        dialog.submit()
    assert people.row(first).cell("入党志愿书编号") == str(start)

    dialog = people.row(second).click("分配编号", f"分配入党志愿书编号 - {second}")
    dialog.fill("编号", start)
    with committee.api("post", f"{FORM}/assign", status=409):
        dialog.submit()
    expect(dialog.error("编号")).to_contain_text(f"以下编号已被使用，不能重复分配：{start}")
    dialog.fill("编号", start + 1)
    with people.reloading(), committee.api("post", f"{FORM}/assign"):
        dialog.submit()
    assert people.row(second).cell("入党志愿书编号") == str(start + 1)

    with people.reloading(), committee.api("post", f"{FORM}/issue"):
        people.row(first).confirm("下发入党志愿书")
    assert people.row(first).cell("入党志愿书") == "已下发"
    assert people.row(second).cell("入党志愿书") == "已分配编号"

    ranges = committee.open("党员发展", "入党志愿书编号")
    assert ranges.row(note).cell("已使用") == "2"
    register = Crud(committee, committee.page.locator(".cxd-Crud").nth(1), f"get:{FORM}/numbers")
    line = register.row(first)
    assert line.cell("编号") == str(start) and line.cell("状态") == "已下发"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", line.cell("下发时间")), line.cell("下发时间")

    # The branch registers the paper form it received (no upload).
    branch = branch_admin.open("党员发展", "预备党员接收").filter({"姓名": first[:-1]})
    assert "确认志愿书提交" not in branch.row(second).buttons()  # not issued yet
    dialog = branch.row(first).click("确认志愿书提交", f"确认入党志愿书提交 - {first}")
    dialog.fill("提交时间", today().isoformat())
    with branch.reloading(), branch_admin.api("post", f"{FORM}/confirm"):
        dialog.submit()
    assert where(server, [first_id, second_id]) == {first_id: ("reception", "general_meeting", "active"),
                                                    second_id: ("reception", "application_form", "active")}
    assert branch.row(first).cell("当前环节") == "支部大会讨论"
