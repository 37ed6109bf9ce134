"""The activist stage's admin pages clicked as the manual describes them (6.2): 备案管理 (the
branch's 流转党委备案, 确认并生成备案表, 下载, 提交备案; the committee's 确认备案结果 and 详情),
培训管理 (创建培训班, 发布, 流转支部筛选, the branch's 上移 and 提交党委, 确认入选名单, 开始培训,
结束培训, 确认培训结果, 删除), the 积极分子 list's row and batch actions, 培育考察 (详情 with
审核思想汇报, 催交, 考察通过) and 审核谈话记录 (list left, detail right). Each click is checked
by its effect: the answer, the row's new state, the message shown.

The shared browser server (docs/testing.md); each test places its own students at the step
its page acts on (tests/activist_helpers.place_students) with unique names."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from playwright.sync_api import expect

from tests.activist_helpers import in_server_db, local_now, place_students, today
from tests.browser.forms import Dialog
from tests.browser.harness import unique
from tests.browser.matching import TIMEOUT

GROUP = "党员发展"
DEV = "/api/pc/v1/development"
ACT = f"{DEV}/activists"
TRAINING = f"{DEV}/training"


def branch_id(server, username: str = "zhibu04") -> int:
    from sqlalchemy import select

    from core.models import User

    async def read(s):
        return (await s.execute(select(User.party_branch_id).where(User.username == username))).scalar_one()
    return in_server_db(server.data_dir, read)


def people(server, n: int, step: str, admin: str = "zhibu04") -> list[tuple[int, int, str]]:
    """``n`` new students of ``admin``'s branch at activist/``step``: [(user id, record id, name)]."""
    branch, prefix = branch_id(server, admin), unique("u")
    return in_server_db(server.data_dir, lambda s: place_students(s, branch, n, step, prefix=prefix))


def activists(admin, name: str):
    """The 积极分子 list, filtered to ``name`` (a unique prefix shows a test's own people)."""
    return admin.open(GROUP, "积极分子").filter({"姓名": name})


def dialog(admin, title: str) -> Dialog:
    """The open dialog whose title starts with ``title`` (row dialogs add the person's name)."""
    page = admin.page
    modal = page.locator(".cxd-Modal, .cxd-Drawer").filter(has=page.locator(
        ".cxd-Modal-title, .cxd-Drawer-title", has_text=re.compile(rf"^\s*{re.escape(title)}")))
    expect(modal.last).to_be_visible(timeout=TIMEOUT)
    return Dialog(admin, modal.last)


def row_dialog(row, label: str, title: str) -> Dialog:
    """A row action opening a dialog whose title starts with ``title``."""
    row.button(label).click()
    return dialog(row.admin, title)


def confirm(admin) -> None:
    """Confirm the 确认 popup of an ajax button."""
    box = admin.page.locator(".cxd-Modal").filter(has=admin.page.locator(".cxd-Modal-footer")).last
    expect(box).to_be_visible(timeout=TIMEOUT)
    admin.button("确认", box.locator(".cxd-Modal-footer")).first.click()


def test_filing_clicked_by_the_branch_and_the_committee(branch_admin, committee, server):
    (u1, r1, n1), (u2, r2, n2) = people(server, 2, "filing")
    crud = activists(branch_admin, n1)
    crud.row(n1).button("流转党委备案").click()
    d = dialog(branch_admin, "流转党委备案")
    with branch_admin.api("post", f"{ACT}/filing") as made:
        d.submit()
    assert [e["record_id"] for e in made.json()["data"]["entries"]] == [r1]
    title = made.json()["data"]["title"]

    filing = branch_admin.follow("/admin/development/page/activists_filing", "备案管理（积极分子）",
                                 lambda: crud.row(n1).button("查看备案进度").click())
    d = filing.row(title).click("确认并生成入党积极分子备案表")
    expect(d.root.locator("tbody tr").filter(has_text=n1)).to_have_count(1)  # the chosen person, read back
    d.fill("备案填表时间", today().isoformat())
    d.fill("党支部意见", "同意报学院党委备案")
    with filing.reloading(), branch_admin.api("post", re.compile(rf"{DEV}/activists/filing/\d+/generate")):
        d.submit()
    row = filing.row(title)
    with branch_admin.page.context.expect_event(
            "response", predicate=lambda r: re.search(r"/filing/\d+/form$", r.url) is not None) as pdf:
        row.button("下载入党积极分子备案表").click()
    assert pdf.value.status == 200 and pdf.value.headers["content-type"] == "application/pdf"
    for extra in branch_admin.page.context.pages:
        if extra is not branch_admin.page:
            extra.close()
    row.button("提交备案").click()
    with filing.reloading(), branch_admin.api("post", re.compile(r".*/filing/\d+/submit")):
        confirm(branch_admin)
    expect(filing.row(title).loc.get_by_text("备案中")).to_be_visible(timeout=TIMEOUT)
    assert "确认备案结果" not in filing.row(title).buttons()  # the committee's button

    decided = committee.open(GROUP, "备案管理（积极分子）")
    d = row_dialog(decided.row(title), "确认备案结果", "确认备案结果")
    expect(d.root.locator("tbody tr").filter(has_text=n1)).to_have_count(1)
    d.fill("备案时间", today().isoformat())
    d.fill("学院党委意见", "同意备案")
    with decided.reloading(), committee.api("post", re.compile(r".*/filing/\d+/decide")) as call:
        d.submit()
    assert call.json()["data"]["advanced"] == 1
    row = decided.row(title)
    expect(row.loc.get_by_text("已完成")).to_be_visible(timeout=TIMEOUT)
    d = row_dialog(row, "详情", "备案详情")
    expect(d.root.get_by_text("同意报学院党委备案")).to_be_visible()
    expect(d.root.locator("tbody tr").filter(has_text=n1).get_by_text("通过")).to_be_visible()
    d.close()

    # the batch button on the list, and 删除 of a batch still to submit
    crud = activists(branch_admin, n2)
    crud.tick(n2)
    crud.bulk("批量流转党委备案").click()
    d = dialog(branch_admin, "批量流转党委备案")
    with branch_admin.api("post", f"{ACT}/filing") as made:
        d.submit()
    second = made.json()["data"]["title"]
    filing = branch_admin.open(GROUP, "备案管理（积极分子）")
    drafts = filing.root.locator("tbody tr").filter(has_text=second).filter(has=branch_admin.button("删除"))
    expect(drafts).to_have_count(1)
    with filing.reloading(), branch_admin.api("delete", re.compile(r".*/filing/\d+")):
        filing.row(second).confirm("删除")  # the newest batch is listed first
    expect(drafts).to_have_count(0)


def test_training_class_clicked_from_publication_to_results(branch_admin, committee, committee_api, server):
    (u1, r1, n1), (u2, r2, n2), (u3, r3, n3) = people(server, 3, "cultivation")
    branch = branch_id(server)
    start = local_now() + timedelta(hours=1)
    title = unique("界面培训班")
    klass = committee_api.post(f"{TRAINING}/classes", {
        "class_type": "activist", "title": title, "place": "报告厅", "publish": False,
        "signup_start": start.isoformat(timespec="minutes"), "signup_end": (start + timedelta(days=2)).isoformat(timespec="minutes"),
        "train_start": (start + timedelta(days=3)).isoformat(timespec="minutes"),
        "train_end": (start + timedelta(days=4)).isoformat(timespec="minutes"),
        "quotas": [{"branch_id": branch, "quota": 2}]})["data"]
    crud = committee.open(GROUP, "培训管理")
    crud.row(title).button("发布").click()
    with crud.reloading(), committee.api("post", re.compile(r".*/classes/\d+/publish")) as call:
        confirm(committee)
    assert call.json()["data"]["state_label"] == "待开始"

    async def signups_closed(s):  # three signups in the branch, then the deadline passed
        from sqlalchemy import insert, update

        from core.workflow.components.training_models import TrainingClass, TrainingSignup

        now = datetime.utcnow()
        await s.execute(update(TrainingClass).where(TrainingClass.id == klass["id"]).values(
            signup_start=now - timedelta(days=3), signup_end=now - timedelta(hours=1)))
        await s.execute(insert(TrainingSignup), [
            {"class_id": klass["id"], "record_id": rid, "user_id": uid, "branch_id": branch, "stage": "activist",
             "step": "cultivation", "status": "signed_up", "sort": k, "result": "", "created_at": now, "updated_at": now}
            for k, (uid, rid) in enumerate([(u1, r1), (u2, r2), (u3, r3)])])
    in_server_db(server.data_dir, signups_closed)
    crud.reload().row(title).button("流转支部筛选").click()
    with crud.reloading(), committee.api("post", re.compile(r".*/classes/\d+/screening")) as call:
        confirm(committee)
    assert call.json()["data"]["state_label"] == "支部筛选中"

    mine = branch_admin.open(GROUP, "培训管理")
    d = row_dialog(mine.row(title), "筛选报名名单", "筛选报名名单")
    last = d.root.locator("tbody tr").filter(has_text=n3)
    expect(last.get_by_text("未入选")).to_be_visible(timeout=TIMEOUT)
    with branch_admin.api("post", re.compile(r".*/signups/\d+/move")):
        branch_admin.button("上移", last).first.click()
    expect(d.root.locator("tbody tr").nth(1)).to_contain_text(n3, timeout=TIMEOUT)
    expect(d.root.locator("tbody tr").filter(has_text=n3).get_by_text("入选", exact=True)).to_be_visible(timeout=TIMEOUT)
    branch_admin.button("提交党委", d.root).first.click()
    with branch_admin.api("post", re.compile(r".*/classes/\d+/submit")):
        confirm(branch_admin)

    crud = crud.reload()
    for label, path, state in (("确认入选名单", "confirm", "待培训"), ("开始培训", "start", "培训中"), ("结束培训", "end", "已结束")):
        crud.row(title).button(label).click()
        with crud.reloading(), committee.api("post", re.compile(rf".*/classes/\d+/{path}")):
            confirm(committee)
        expect(crud.row(title).loc.get_by_text(state, exact=True)).to_be_visible(timeout=TIMEOUT)
    d = row_dialog(crud.row(title), "确认培训结果", "确认培训结果")
    expect(d.root.locator("tbody tr")).to_have_count(2, timeout=TIMEOUT)
    with crud.reloading(), committee.api("post", re.compile(r".*/classes/\d+/results")) as call:
        d.submit()
    assert call.json()["data"]["passed"] == 2
    expect(crud.row(title).loc.get_by_text("已完成")).to_be_visible(timeout=TIMEOUT)
    d = row_dialog(crud.row(title), "详情", "培训班详情")
    expect(d.root.get_by_text("已提交").first).to_be_visible()
    d.close()


def test_list_actions_and_cultivation_review(branch_admin, server):
    (cu, cr, cn), = people(server, 1, "condition")
    (mu, mr, mn), = people(server, 1, "committee_meeting")
    (xu, xr, xn), = people(server, 1, "cultivation")

    async def a_report(s):  # the activist's first-quarter thought report, waiting for review
        from core.workflow.components.review import Submission

        s.add(Submission(record_id=xr, user_id=xu, kind="thought_report", files=[], signed_date=today()))
    in_server_db(server.data_dir, a_report)

    crud = activists(branch_admin, cn)
    d = crud.row(cn).click("审核通过")
    with crud.reloading(), branch_admin.api("post", f"{ACT}/condition") as call:
        d.submit()
    assert call.json()["data"]["advanced"] == 1
    assert crud.row(cn).cell("当前环节") == "团支部推优/党员推优"

    crud = crud.filter({"姓名": mn})
    d = crud.row(mn).click("填报支委会议时间")
    d.fill("支委会议时间", (local_now() - timedelta(days=1)).strftime("%Y-%m-%d %H:%M"))
    with crud.reloading(), branch_admin.api("post", f"{ACT}/committee-meeting") as call:
        d.submit()
    assert call.json()["data"]["advanced"] == 1
    assert crud.row(mn).cell("当前环节") == "上级党委备案"

    crud = crud.filter({"姓名": xn})
    crud.row(xn).button("考察通过").click()
    with branch_admin.api("post", re.compile(r".*/cultivation/pass"), status=409) as refused:
        confirm(branch_admin)
    assert "未完成的任务" in refused.json()["msg"]
    branch_admin.toast("未完成的任务")

    title = "培育考察（入党积极分子）"
    cultivation = branch_admin.follow("/admin/development/page/activists_cultivation", title,
                                      lambda: crud.row(xn).button("查看考察进度").click())
    row = cultivation.row(xn)
    expect(row.loc.get_by_text("思想汇报：0/4")).to_be_visible()
    d = row_dialog(row, "详情", "培育考察-详情")
    branch_admin.button("审核思想汇报", d.root).first.click()
    review = dialog(branch_admin, "审核思想汇报")
    review.fill("审核结果", "审核通过")
    with branch_admin.api("post", f"{ACT}/report/review"):
        review.submit()
    review.closed()
    d.close()
    cultivation = cultivation.reload()
    expect(cultivation.row(xn).loc.get_by_text("思想汇报：1/4")).to_be_visible(timeout=TIMEOUT)
    cultivation.tick(xn)
    with branch_admin.api("post", re.compile(r".*/cultivation/urge")) as call:
        cultivation.bulk("催交季度谈话").click()
    assert call.json()["data"]["sent"] == 1

    talks = branch_admin.open(GROUP, "审核培养联系人谈话记录（入党积极分子）")
    with branch_admin.api("get", re.compile(rf"{ACT}/{xr}/detail")):  # the chosen person's detail on the right
        talks.row(xn).loc.click()
    expect(branch_admin.page.get_by_text("当前环节").first).to_be_visible(timeout=TIMEOUT)


def test_recommendation_result_delete_proxy_and_condition_refusal(branch_admin, server, tmp_path):
    from PIL import Image

    picture = tmp_path / "推优登记表.png"
    Image.new("RGB", (64, 64), (240, 240, 240)).save(picture)
    (fu, fr, fn), = people(server, 1, "condition")
    rec = people(server, 4, "recommendation")

    async def scans(s):  # three 推优登记表 waiting for the branch; the fourth person has none
        from core.workflow.components.review import Submission

        s.add_all([Submission(record_id=rid, user_id=uid, kind="recommendation_form", files=[], signed_date=today())
                   for uid, rid, _ in rec[:3]])
    in_server_db(server.data_dir, scans)

    crud = activists(branch_admin, fn)
    d = crud.row(fn).click("审核不通过")
    d.root.locator("textarea[name=note]").fill("年龄不满足发展条件")
    with crud.reloading(), branch_admin.api("post", f"{ACT}/condition") as call:
        d.submit()
    assert call.json()["data"]["failed"] == 1
    expect(crud.row(fn).loc.get_by_text("发展条件-不通过")).to_be_visible(timeout=TIMEOUT)

    (u0, r0, n0), (u1, r1, n1), (u2, r2, n2), (u3, r3, n3) = rec
    crud = crud.filter({"姓名": n0[:-1]})
    d = crud.row(n0).click("处理推优结果")
    d.fill("处理结果", "通过")
    d.fill("推优时间", today().isoformat())
    with crud.reloading(), branch_admin.api("post", f"{ACT}/recommendation/result"):
        d.submit()
    expect(crud.row(n0).loc.get_by_text("入党积极分子名单公示")).to_be_visible(timeout=TIMEOUT)

    d = crud.row(n1).click("删除推优登记表")
    d.fill("删除原因", "扫描件不清晰")
    with crud.reloading(), branch_admin.api("post", f"{ACT}/recommendation/delete"):
        d.submit()
    expect(crud.row(n1).loc.get_by_text("已删除")).to_be_visible(timeout=TIMEOUT)

    d = crud.row(n3).click("代理上传推优登记表")
    with branch_admin.api("post", "/api/files"):
        d.root.locator("input[type=file]").set_input_files(str(picture))
    d.fill("落款时间", today().isoformat())
    with crud.reloading(), branch_admin.api("post", f"{ACT}/recommendation/proxy") as call:
        d.submit()
    assert call.json()["data"]["by_proxy"] is True
    expect(crud.row(n3).loc.get_by_text("待审核")).to_be_visible(timeout=TIMEOUT)

    crud.tick(n2, n3)
    crud.bulk("批量处理推优结果").click()
    d = dialog(branch_admin, "批量处理推优结果")
    d.fill("处理结果", "退回")
    d.fill("原因", "请补充团支部意见")
    with crud.reloading(), branch_admin.api("post", f"{ACT}/recommendation/result") as call:
        d.submit()
    assert call.json()["data"]["count"] == 2
    expect(crud.row(n2).loc.get_by_text("审核不通过（请补充团支部意见）")).to_be_visible(timeout=TIMEOUT)


def test_training_class_created_in_its_dialog_and_deleted(committee):
    crud = committee.open(GROUP, "培训管理")
    d = crud.header("创建培训班", "创建培训班")
    d.fill("培训班类型", "积极分子培训班")
    title = unique("对话框培训班")
    d.fill("培训班名称", title)
    start = today() + timedelta(days=1)
    for label, at in (("报名开始时间", start), ("报名截止时间", start + timedelta(days=2)),
                      ("培训开始时间", start + timedelta(days=3)), ("培训结束时间", start + timedelta(days=4))):
        d.fill(label, f"{at.isoformat()} 09:00")
    d.close_popover()
    table = d.item("发布范围及支部名额")
    table.locator(".cxd-InputTable-toolbar button").filter(has_text="新增").click()
    table.locator("tbody .cxd-Select").first.click()
    committee.page.locator(".cxd-PopOver .cxd-Select-option").filter(has_text="本科生第一党支部").first.click()
    table.locator("tbody input").last.fill("3")
    table.locator("tbody input").last.press("Tab")
    with crud.reloading(), committee.api("post", f"{TRAINING}/classes") as call:
        d.submit()
    created = call.json()["data"]
    assert created["state"] == "pending" and created["quotas"][0]["quota"] == 3
    assert created["signup_start"] == f"{start.isoformat()}T09:00:00+08:00"
    assert crud.row(title).cell("培训开始时间") == f"{start + timedelta(days=3)} 09:00"  # the college's time
    with crud.reloading(), committee.api("delete", re.compile(rf"{TRAINING}/classes/\d+")):
        crud.row(title).confirm("删除")
    assert not crud.has_row(title)
