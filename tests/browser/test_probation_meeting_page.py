"""组织生活 (GeneralMeeting's admin page) clicked as a branch admin through a reception general
meeting, as manual 6.4 支部大会讨论 describes it: 创建组织生活 (类型, 发布范围, 是否含投票表决,
表决内容), 导入人员, 表决对象, 生成表决票 (the ballot PDF), 保存并发布, the 签到码 and 签退码
with their QR image, 补录 and 请假 after the meeting, 确认参会名单, then the 组织生活记录 where a
result breaking the majority rule (exactly half of 应到 voting yes) is refused with the rule's
message and a valid one is recorded; the person the meeting refused (不同意接收) goes back with
重新流转表决."""
from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.activist_helpers import in_server_db, local_now, today
from tests.browser.conftest import BRANCH_ADMIN
from tests.browser.dev_people import where
from tests.browser.harness import unique
from tests.browser.probation_people import at_step, end_meeting, meeting_ready_to_record, members
from tests.browser.tables import Crud

API = "/api/pc/v1/development/org-life"
ONE = re.compile(API + r"/\d+$")


def milestones(server, record_id: int) -> dict:
    from core.workflow.models import DevelopmentRecord

    async def read(s):
        return dict((await s.get(DevelopmentRecord, record_id)).milestones)

    return in_server_db(server.data_dir, read)


def meeting_action(api: str) -> re.Pattern:
    return re.compile(API + r"/\d+/" + api + "$")


def create_meeting(admin, title: str, vote_label: str) -> tuple[Crud, int]:
    """创建组织生活: a 党员大会 with a vote, started a few minutes ago."""
    crud = admin.open("党员发展", "组织生活")
    dialog = crud.header("创建组织生活", "设置基本信息")
    start = local_now() - timedelta(minutes=5)
    dialog.fill("类型", "党员大会").fill("会议名称", title)
    dialog.fill("开始时间", start.strftime("%Y-%m-%d %H:%M")).fill("结束时间", (start + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"))
    dialog.fill("会议地点", "党员活动室").fill("主持人", "支部书记").fill("记录人", "组织委员")
    dialog.fill("发布范围", "仅党员（预备党员、党员参加）").fill("是否含投票表决", True).fill("表决内容", vote_label)
    with crud.reloading(), admin.api("post", API) as call:
        dialog.submit()
    meeting = call.json()["data"]
    assert meeting["scope"] == "members" and meeting["has_vote"] and meeting["type_label"] == "党员大会"
    row = crud.row(title)
    assert row.cell("类型") == "党员大会" and row.cell("表决内容") == vote_label and row.cell("状态") == "未发布"
    return crud, meeting["id"]


def import_voters(admin, crud: Crud, title: str, names: list[str]) -> None:
    dialog = crud.row(title).click("导入人员", f"导入表决人员 - {title}")
    box = dialog.item("表决人员")
    for name in names:
        box.locator(".cxd-Transfer-select .cxd-Checkbox, .cxd-Transfer-select [class*=item]").filter(has_text=name).first.click()
    for name in names:
        expect(box.locator(".cxd-Transfer-result")).to_contain_text(name)
    with crud.reloading(), admin.api("put", meeting_action("voters")):
        dialog.submit()
    assert crud.row(title).cell("应到") == str(len(names))


def choose_people(admin, crud: Crud, title: str, names: list[str]) -> None:
    dialog = crud.row(title).click("表决对象", f"选择表决对象 - {title}")
    item = dialog.item("表决对象")
    for name in names:
        item.locator("label").filter(has_text=name).first.click()
    with crud.reloading(), admin.api("put", meeting_action("people")):
        dialog.submit()
    assert crud.row(title).cell("表决对象") == str(len(names))


def ballot_and_publish(admin, crud: Crud, title: str) -> None:
    with crud.reloading(), admin.api("post", meeting_action("ballot")) as call:
        crud.row(title).button("生成表决票").click()
    url = call.json()["data"]["ballot_url"]
    pdf = admin.page.request.get(admin.base + url)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"
    assert "导出表决票" in crud.row(title).buttons()
    with crud.reloading(), admin.api("post", meeting_action("publish")):
        crud.row(title).confirm("保存并发布")
    assert crud.row(title).cell("状态") == "进行中"


def show_codes(admin, crud: Crud, title: str) -> None:
    for kind, label in (("sign-in", "签到"), ("sign-out", "签退")):
        with admin.api("get", meeting_action(f"code/{kind}")):
            dialog = crud.row(title).click(f"{label}码", f"{label}码 - {title}")
        image = dialog.root.locator(f"img[alt={label}码]")
        expect(image).to_be_visible()
        image.evaluate("img => img.decode()")  # the PNG arrived and is a picture
        assert image.evaluate("img => img.naturalWidth") > 100
        expect(dialog.root).to_contain_text(f"请参会人员用手机扫码{label}")
        dialog.close()


def attendance(admin, crud: Crud, title: str, present: list[str], away: str) -> None:
    dialog = crud.row(title).click("参会情况", f"参会情况 - {title}")
    listing = Crud(admin, dialog.root.locator(".cxd-Crud").first, f"get:{API}/${{meeting_id}}/attendance").wait_loaded()
    listing.tick(*present)
    listing.bulk("批量补录").click()
    mark = admin.dialog("补录")
    with admin.api("post", meeting_action("attendance")):
        mark.submit()
    admin.toast(f"已补录{len(present)}人")
    listing.tick(away)
    listing.bulk("批量请假").click()
    mark = admin.dialog("请假")
    mark.fill("请假原因", "外出实习")
    with admin.api("post", meeting_action("attendance")):
        mark.submit()
    admin.toast("已请假1人")
    listing.reload()
    for name in present:
        assert listing.row(name).cell("参会情况") == "补录"
    assert listing.row(away).cell("参会情况") == "请假" and listing.row(away).cell("请假原因") == "外出实习"
    dialog.close()
    with crud.reloading(), admin.api("post", meeting_action("confirm-attendance")):
        crud.row(title).confirm("确认参会名单")
    admin.toast("参会名单已确认")
    assert crud.row(title).cell("实到") == str(len(present))


def set_vote(dialog, name: str, outcome: str, yes: int, no: int, abstain: int) -> None:
    """One person's row of 表决结果 in the 组织生活记录 dialog."""
    table = dialog.item("表决结果")
    headers = [t.strip() for t in table.locator("thead th").all_inner_texts()]
    row = table.locator("tbody tr").filter(has_text=name).first
    cell = lambda label: row.locator("> td").nth(headers.index(label))  # noqa: E731
    cell("表决结果").locator(".cxd-Select").click()
    dialog.page.locator(".cxd-PopOver .cxd-Select-option").filter(has_text=re.compile(rf"^\s*{outcome}\s*$")).first.click()
    for label, value in (("赞成", yes), ("反对", no), ("弃权", abstain)):
        box = cell(label).locator("input").first
        box.click()
        box.fill("")
        box.press_sequentially(str(value))
        box.press("Tab")  # the number is committed when the box loses the focus
        expect(box).to_have_value(str(value))


def test_reception_meeting_from_creation_to_record_and_revote(branch_admin, server):
    voters = members(server, BRANCH_ADMIN, 4)
    (_, agreed_id, agreed), (_, refused_id, refused) = at_step(server, BRANCH_ADMIN, 2, "reception", "general_meeting")
    title = unique("接收预备党员支部大会")
    crud, mid = create_meeting(branch_admin, title, "接收预备党员")
    import_voters(branch_admin, crud, title, [n for _, n in voters])
    choose_people(branch_admin, crud, title, [agreed, refused])
    ballot_and_publish(branch_admin, crud, title)
    show_codes(branch_admin, crud, title)

    end_meeting(server, mid)
    crud.reload()
    assert crud.row(title).cell("状态") == "已结束，待确认参会名单"
    attendance(branch_admin, crud, title, [n for _, n in voters[:3]], voters[3][1])

    # 应到 4, 实到 3: two yes votes are exactly half of 应到, which does not carry 同意接收.
    dialog = crud.row(title).click("组织生活记录", f"组织生活记录 - {title}")
    expect(dialog.root).to_contain_text("应到（有表决权的正式党员）4人，实到3人")
    dialog.fill("会议记录", "讨论接收预备党员。")
    set_vote(dialog, agreed, "同意接收", 2, 1, 0)
    set_vote(dialog, refused, "不同意接收", 0, 3, 0)
    with branch_admin.api("post", meeting_action("record"), status=422):
        dialog.submit()
    branch_admin.toast("表决结果不符合规定")
    expect(dialog.error("表决结果")).to_contain_text(f"{agreed}：赞成2票，未超过应到4人的半数，不能为“同意接收”")
    assert where(server, [agreed_id])[agreed_id] == ("reception", "general_meeting", "active")
    set_vote(dialog, agreed, "同意接收", 3, 0, 0)
    with crud.reloading(), branch_admin.api("post", meeting_action("record")):
        dialog.submit()
    branch_admin.toast("组织生活记录已保存")
    row = crud.row(title)
    assert row.cell("状态") == "已完成" and "导出组织生活记录" in row.buttons()
    states = where(server, [agreed_id, refused_id])
    assert states[agreed_id][:2] == ("reception", "committee_talk")
    assert states[refused_id] == ("reception", "general_meeting", "failed")

    # 重新流转表决: the refused person goes back to the step before the meeting.
    stage = branch_admin.open("党员发展", "预备党员接收").filter({"姓名": refused})
    assert stage.row(refused).cell("状态") == "支部大会-不通过"
    with stage.reloading(), branch_admin.api("post", "/api/pc/v1/development/revote"):
        stage.row(refused).confirm("重新流转表决")
    assert where(server, [refused_id])[refused_id] == ("reception", "application_form", "active")
    assert stage.row(refused).cell("当前环节") == "入党志愿书管理"


def test_conversion_meeting_delay_and_final_refusal(branch_admin, server, committee_api):
    """The conversion vote (manual 6.5): 延迟预备期半年 sends the member back to the pre-review with
    the probation end moved six months; 不同意转正 is final, so the list offers no 重新发展."""
    voters = members(server, BRANCH_ADMIN, 3)
    ended = today().replace(day=1)  # the probation ended on the first of this month
    dates = {"received_at": (today() - timedelta(days=370)).isoformat(), "probation_end": ended.isoformat()}
    (_, delayed_id, delayed), (_, refused_id, refused) = at_step(server, BRANCH_ADMIN, 2, "conversion", "general_meeting",
                                                                 milestones=dates, status="中共预备党员")
    title = unique("预备党员转正支部大会")
    meeting_ready_to_record(server, committee_api, BRANCH_ADMIN, "conversion", [u for u, _ in voters], [u for u, _ in voters],
                            [delayed_id, refused_id], title)
    crud = branch_admin.open("党员发展", "组织生活").filter({"会议名称": title})
    dialog = crud.row(title).click("组织生活记录", f"组织生活记录 - {title}")
    expect(dialog.root).to_contain_text("应到（有表决权的正式党员）3人，实到3人")
    dialog.fill("会议记录", "讨论预备党员转正。")
    set_vote(dialog, delayed, "延迟预备期半年", 2, 1, 0)
    set_vote(dialog, refused, "不同意转正", 1, 2, 0)
    with crud.reloading(), branch_admin.api("post", meeting_action("record")):
        dialog.submit()
    branch_admin.toast("组织生活记录已保存")
    states = where(server, [delayed_id, refused_id])
    assert states == {delayed_id: ("conversion", "pre_review", "active"), refused_id: ("conversion", "general_meeting", "failed")}
    end = milestones(server, delayed_id)["probation_end"]
    later = ended.month + 6
    assert end == date(ended.year + (later - 1) // 12, (later - 1) % 12 + 1, 1).isoformat()

    stage = branch_admin.open("党员发展", "预备党员转正").filter({"姓名": refused})
    row = stage.row(refused)
    assert row.cell("状态") == "支部大会-不通过"
    assert "重新发展" not in row.buttons() and "重新流转表决" not in row.buttons()
