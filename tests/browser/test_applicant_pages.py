"""入党申请人 clicked as a branch admin, as manual 6.1 describes it: the row buttons 审核入党申请
(通过; 不通过 with its reason shown on the row, the button kept), 指派谈话 (a typed date-time
that stays, Enter in it not submitting), 审核谈话, the batch actions (审核 通过 and 不通过,
谈话记录 通过 and 不通过, 催交), 新增入党申请 (代理上传), 重新发展 and the 时间轴 of 详情."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.activist_helpers import local_now, today
from tests.browser import dev_people
from tests.browser.harness import Api

APPLICANTS = dev_people.APPLICANTS
GROUP, PAGE = "党员发展", "入党申请人"


@pytest.fixture(scope="module")
def branch_api(branch_context, server) -> Api:
    return Api(branch_context.request, server.base)


@pytest.fixture(scope="module")
def talker(branch_api) -> tuple[int, str]:
    """A formal party member of zhibu04's branch: (user id, option label)."""
    option = branch_api.get(f"{APPLICANTS}/talkers")["options"][0]
    return option["value"], option["label"]


def open_list(admin, name: str):
    return admin.open(GROUP, PAGE).filter({"姓名": name})


def test_letter_approved_from_its_row_button(branch_admin, server):
    (_, rid, name), = dev_people.applicants(server, "zhibu04", 1)
    crud = open_list(branch_admin, name)
    dialog = crud.row(name).click("审核入党申请", f"审核入党申请 - {name}")
    expect(dialog.root.get_by_text("待审核").first).to_be_visible()  # the detail block, read from the API
    dialog.fill("审核结果", "审核通过")
    with crud.reloading(), branch_admin.api("post", f"{APPLICANTS}/review"):
        dialog.submit()
    assert crud.row(name).cell("当前环节") == "党组织派人谈话"
    assert dev_people.where(server, [rid])[rid] == ("applicant", "talk", "active")


def test_letter_rejected_shows_its_reason_and_keeps_the_button(branch_admin, server):
    (_, rid, name), = dev_people.applicants(server, "zhibu04", 1)
    crud = open_list(branch_admin, name)
    dialog = crud.row(name).click("审核入党申请", f"审核入党申请 - {name}")
    dialog.fill("审核结果", "审核不通过")
    dialog.submit()  # no reason: the form refuses it beside the field
    expect(dialog.error("审核不通过理由")).to_be_visible()
    branch_admin.no_toast("依赖的部分字段没有通过验证")
    dialog.fill("审核不通过理由", "申请书缺少落款签名")
    with crud.reloading(), branch_admin.api("post", f"{APPLICANTS}/review"):
        dialog.submit()
    row = crud.row(name)
    assert row.cell("入党申请书") == "审核不通过（申请书缺少落款签名）"
    kept = row.loc.locator(".cxd-Button").filter(has_text="审核入党申请")
    expect(kept).to_be_visible()  # kept, disabled until the letter comes again
    expect(kept).to_have_class(re.compile(r"\bis-disabled\b"))
    assert dev_people.where(server, [rid])[rid] == ("applicant", "application", "active")


def test_talk_assigned_from_its_row_button_with_a_typed_deadline(branch_admin, server, talker):
    (_, rid, name), = dev_people.applicants(server, "zhibu04", 1, step="talk", letter="approved")
    crud = open_list(branch_admin, name)
    dialog = crud.row(name).click("指派谈话", f"指派谈话人 - {name}")
    dialog.fill("谈话人", talker[1])
    deadline = (local_now() + timedelta(days=5)).strftime("%Y-%m-%d") + " 17:30"
    box = dialog.type_into("谈话记录截止提交时间", deadline)
    box.press("Enter")  # Enter in a date box keeps the dialog open and sends nothing
    box.press("Tab")  # blur: the typed value stays
    dialog.close_popover()
    expect(dialog.item("谈话记录截止提交时间").locator("input").first).to_have_value(deadline)
    expect(dialog.root).to_be_visible()
    with crud.reloading(), branch_admin.api("post", f"{APPLICANTS}/talk/assign") as call:
        dialog.submit()
    assert call.response.request.post_data_json["deadline"] == deadline
    assert call.response.request.post_data_json["record_ids"] == [rid]
    row = crud.row(name)
    assert row.cell("谈话人") == talker[1].split("（")[0]
    assert row.cell("谈话") == "待安排"


def test_talk_record_reviewed_from_its_row_button(branch_admin, server, talker):
    (_, rid, name), = dev_people.applicants(server, "zhibu04", 1, step="talk", letter="approved")
    dev_people.talks(server, [rid], talker[0])
    crud = open_list(branch_admin, name)
    dialog = crud.row(name).click("审核谈话", f"审核谈话记录 - {name}")
    expect(dialog.root.get_by_text("谈了入党动机和对党的认识。")).to_be_visible()
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", dialog.text()), "a raw ISO time in the talk record"
    assert re.search(r"截止时间\s*\d{4}-\d{2}-\d{2} \d{2}:\d{2}", dialog.text()), dialog.text()
    dialog.fill("审核结果", "审核通过")
    with crud.reloading(), branch_admin.api("post", f"{APPLICANTS}/talk/review"):
        dialog.submit()
    assert crud.row(name).cell("当前环节") == "申请人公示"
    assert dev_people.where(server, [rid])[rid] == ("applicant", "publicity", "active")


def test_batch_talk_review_passes_and_fails(branch_admin, server, talker):
    people = dev_people.applicants(server, "zhibu04", 3, step="talk", letter="approved")
    dev_people.talks(server, [rid for _, rid, _ in people], talker[0])
    (_, r1, n1), (_, r2, n2), (_, r3, n3) = people
    prefix = n1[:-1]
    crud = open_list(branch_admin, prefix)
    crud.tick(n1)
    crud.bulk("批量审核谈话记录-通过").click()
    with crud.reloading(), branch_admin.api("post", f"{APPLICANTS}/talk/review") as call:
        branch_admin.button("确认", branch_admin.page.locator(".cxd-Modal").last).first.click()
    assert call.response.request.post_data_json["approve"] is True
    assert crud.row(n1).cell("当前环节") == "申请人公示"
    crud.tick(n2, n3)
    crud.bulk("批量审核谈话记录-不通过").click()
    dialog = branch_admin.dialog("批量审核谈话记录不通过")
    dialog.fill("审核不通过理由", "谈话记录过于简略")
    with crud.reloading(), branch_admin.api("post", f"{APPLICANTS}/talk/review") as call:
        dialog.submit()
    assert sorted(int(i) for i in call.response.request.post_data_json["record_ids"]) == sorted([r2, r3])
    for name in (n2, n3):
        assert crud.row(name).cell("谈话") == "审核不通过（谈话记录过于简略）"
        assert crud.row(name).cell("当前环节") == "党组织派人谈话"
    assert dev_people.where(server, [r1, r2, r3]) == {
        r1: ("applicant", "publicity", "active"), r2: ("applicant", "talk", "active"), r3: ("applicant", "talk", "active")}


def test_batch_letter_review_passes_fails_and_urges(branch_admin, server):
    people = dev_people.applicants(server, "zhibu04", 3)
    (_, r1, n1), (_, r2, n2), (_, r3, n3) = people
    crud = open_list(branch_admin, n1[:-1])
    crud.tick(n1)
    crud.bulk("批量审核入党申请-通过").click()
    with crud.reloading(), branch_admin.api("post", f"{APPLICANTS}/review"):
        branch_admin.button("确认", branch_admin.page.locator(".cxd-Modal").last).first.click()
    assert crud.row(n1).cell("当前环节") == "党组织派人谈话"
    crud.tick(n2)
    crud.bulk("批量审核入党申请-不通过").click()
    dialog = branch_admin.dialog("批量审核不通过")
    dialog.fill("审核不通过理由", "请用黑色签字笔书写")
    with crud.reloading(), branch_admin.api("post", f"{APPLICANTS}/review"):
        dialog.submit()
    assert crud.row(n2).cell("入党申请书") == "审核不通过（请用黑色签字笔书写）"
    crud.tick(n2)  # the rejected letter: its author is reminded
    with branch_admin.api("post", f"{APPLICANTS}/urge") as call:
        crud.bulk("催交入党申请书").click()
    assert [int(i) for i in call.response.request.post_data_json["record_ids"]] == [r2]
    crud.tick(n3)  # a letter waiting for review: nothing to urge
    with branch_admin.api("post", f"{APPLICANTS}/urge", status=409):
        crud.bulk("催交入党申请书").click()
    branch_admin.toast("无需催交")


def test_proxy_application_from_the_header(branch_admin, server, tmp_path):
    from PIL import Image

    (uid, username, name), = dev_people.students(server, "zhibu04", 1)
    picture = tmp_path / "入党申请书.png"
    Image.new("RGB", (64, 64), (250, 250, 250)).save(picture)
    crud = branch_admin.open(GROUP, PAGE)
    dialog = crud.header("新增入党申请", "新增入党申请（代理上传）")
    dialog.fill("学生", f"{name}（{username}）")
    with branch_admin.api("post", "/api/files"):
        dialog.item("入党申请书").locator("input[type=file]").set_input_files(str(picture))
    dialog.fill("落款时间", (today() - timedelta(days=2)).isoformat())
    with crud.reloading(), branch_admin.api("post", f"{APPLICANTS}/proxy") as call:
        dialog.submit()
    rid = call.json()["data"]["record_id"]
    crud.filter({"姓名": name})
    assert crud.row(name).cell("入党申请书") == "待审核"
    assert dev_people.where(server, [rid])[rid] == ("applicant", "application", "active")


def test_redevelop_a_failed_record(branch_admin, server):
    (_, rid, name), = dev_people.applicants(server, "zhibu04", 1, step="talk", letter="approved")
    dev_people.fail(server, rid, "谈话-不通过")
    crud = open_list(branch_admin, name)
    assert crud.row(name).cell("状态") == "谈话-不通过"
    with crud.reloading(), branch_admin.api("post", "/api/pc/v1/development/redevelop"):
        crud.row(name).confirm("重新发展")
    assert crud.row(name).cell("状态") == "进行中"
    assert "重新发展" not in crud.row(name).buttons()
    assert dev_people.where(server, [rid])[rid][2] == "active"


def test_timeline_dialog_shows_steps_and_local_times(branch_admin, server):
    (_, rid, name), = dev_people.applicants(server, "zhibu04", 1)
    crud = open_list(branch_admin, name)
    dialog = crud.row(name).click("审核入党申请", f"审核入党申请 - {name}")
    dialog.fill("审核结果", "审核通过")
    with crud.reloading(), branch_admin.api("post", f"{APPLICANTS}/review"):
        dialog.submit()
    with branch_admin.api("get", f"/api/pc/v1/development/records/{rid}/timeline"):
        crud.row(name).button("详情").click()
    dialog = branch_admin.dialog(f"时间轴 - {name}")
    text = dialog.text()
    assert "递交入党申请书" in text and "党组织派人谈话" in text and "入党申请书审核通过" in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text), "a raw ISO time on the timeline"
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}\s+入党申请书审核通过", text), text  # the event's local time
    dialog.close()


def test_talk_uploaded_by_the_branch_then_confirmed(branch_admin, server, talker):
    (_, rid, name), = dev_people.applicants(server, "zhibu04", 1, step="talk", letter="approved")
    dev_people.talks(server, [rid], talker[0], status="assigned")
    crud = open_list(branch_admin, name)
    dialog = crud.row(name).click("上传谈话", f"上传谈话 - {name}")
    held = (today() - timedelta(days=1)).isoformat()
    dialog.fill("谈话地点", "党员活动室").fill("谈话时间", f"{held} 15:30").fill("谈话日期", held)
    dialog.fill("谈话记录", "谈话人与申请人谈了入党动机。")
    with crud.reloading(), branch_admin.api("post", f"{APPLICANTS}/talk/proxy") as call:
        dialog.submit()
    assert call.response.request.post_data_json["scheduled_at"] == f"{held} 15:30"  # the college's wall-clock time
    row = crud.row(name)
    assert "确认谈话" in row.buttons() and "审核谈话" not in row.buttons()
    with crud.reloading(), branch_admin.api("post", f"{APPLICANTS}/talk/confirm"):
        row.confirm("确认谈话")
    row = crud.row(name)
    assert row.cell("谈话") == "待审核" and "审核谈话" in row.buttons()


def test_batch_review_page_list_left_detail_right(branch_admin, server):
    (_, r1, n1), (_, r2, n2) = dev_people.applicants(server, "zhibu04", 2)
    crud = branch_admin.open("党员发展", "批量审核入党申请")
    with branch_admin.api("get", f"{APPLICANTS}/{r1}/detail"):
        crud.row(n1).loc.locator("td").nth(1).click()
    detail = branch_admin.page.locator(".cxd-Grid-col--md7")
    expect(detail.get_by_text(n1).first).to_be_visible()
    crud.tick(n1)
    crud.bulk("审核通过").click()
    with crud.reloading(), branch_admin.api("post", f"{APPLICANTS}/review"):
        branch_admin.button("确认", branch_admin.page.locator(".cxd-Modal").last).first.click()
    expect(crud.root.locator("tbody tr").filter(has_text=n1)).to_have_count(0)  # on to the talk
    crud.tick(n2)
    crud.bulk("审核不通过").click()
    dialog = branch_admin.dialog("审核不通过")
    dialog.fill("审核不通过理由", "缺少本人签名")
    with crud.reloading(), branch_admin.api("post", f"{APPLICANTS}/review"):
        dialog.submit()
    assert "审核不通过" in crud.row(n2).cell("入党申请书")
    assert dev_people.where(server, [r1, r2]) == {r1: ("applicant", "talk", "active"),
                                                  r2: ("applicant", "application", "active")}
