"""The 发展对象 page (manual 6.3) clicked as the branch admin and the committee: the condition
check's row and batch buttons, 座谈会管理 (arrange for the ticked people, batch upload of the
scans by 姓名+学号, 完成座谈会), 进入支委会议 (time, place, attendance and each person's
result), the committee's publicity with a contact person per branch (批量填写支部联系人信息)
and 政审管理 (新增政审, 确定政审名单) — each checked by its effect."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from playwright.sync_api import expect

from tests.activist_helpers import in_server_db
from tests.browser.harness import unique
from tests.browser.matching import exact

CAN = "/api/pc/v1/development/candidates"
SCAN = b"%PDF-1.4\n% scan\n"


def wall_now() -> datetime:
    return (datetime.now(timezone.utc) + timedelta(hours=8)).replace(tzinfo=None, microsecond=0)


def place(server, username: str, n: int, step: str) -> list[tuple[int, str, str]]:
    """``n`` new students of ``username``'s branch at the candidate stage's ``step`` (with its
    tasks): [(record id, name, 学号)]."""
    prefix = unique("cb").replace("-", "")

    async def go(session):
        from sqlalchemy import insert, select

        from core.models import Role, StudentProfile, User, UserRole, utcnow
        from core.workflow import tasks as task_store
        from core.workflow.models import DevelopmentRecord
        from plugins.dev_candidate.stage import STAGE

        branch_id = (await session.execute(select(User.party_branch_id).where(User.username == username))).scalar_one()
        await session.execute(insert(User), [{"username": f"{prefix}{i:02d}", "name": f"对象{prefix[-4:]}{i}", "password_hash": "",
                                              "party_branch_id": branch_id, "student_no": f"{prefix}{i:02d}"} for i in range(n)])
        users = (await session.execute(select(User).where(User.username.like(f"{prefix}%")).order_by(User.id))).scalars().all()
        role = (await session.execute(select(Role.id).where(Role.key == "student"))).scalar_one()
        await session.execute(insert(UserRole), [{"user_id": u.id, "role_id": role} for u in users])
        await session.execute(insert(StudentProfile), [{"user_id": u.id, "complete": True, "birth_date": date(2003, 5, 1),
                                                        "gender": "男", "political_status": "共青团员", "draft": {}} for u in users])
        milestones = {"applied_at": "2024-03-01", "activist_at": "2024-09-01", "candidate_at": "2025-10-01"}
        records = [DevelopmentRecord(user_id=u.id, stage="candidate", step=step, milestones=dict(milestones)) for u in users]
        session.add_all(records)
        await session.flush()
        await task_store.create_for(session, records, "candidate", next(s for s in STAGE.steps if s.key == step), utcnow())
        return [(r.id, u.name, u.student_no) for u, r in zip(users, records)]
    return in_server_db(server.data_dir, go)


def where(server, record_id: int) -> tuple[str, str]:
    async def go(session):
        from core.workflow.models import DevelopmentRecord

        r = await session.get(DevelopmentRecord, record_id)
        return r.step, r.failure_code or r.status
    return in_server_db(server.data_dir, go)


def candidates_page(admin, name: str):
    return admin.open("党员发展", "发展对象").filter({"姓名": name})


def test_condition_check_row_and_batch_buttons(branch_admin, server):
    (one, name1, _), (two, name2, _), (three, name3, _) = place(server, "zhibu04", 3, "condition")
    crud = candidates_page(branch_admin, name1[:-1])
    with crud.reloading(), branch_admin.api("post", f"{CAN}/condition"):
        crud.row(name1).confirm("审核通过")
    assert where(server, one) == ("recommendation", "active")
    dialog = crud.row(name2).click("审核不通过")
    with crud.reloading(), branch_admin.api("post", f"{CAN}/condition"):
        dialog.fill("说明", "近期表现有待观察").submit()
    assert where(server, two) == ("condition", "发展条件-不通过")
    crud.tick(name3)
    crud.bulk("批量审核通过").click()
    with crud.reloading(), branch_admin.api("post", f"{CAN}/condition"):
        branch_admin.dialog("批量审核通过").submit()
    assert where(server, three) == ("recommendation", "active")


def test_symposium_arranged_for_the_ticked_people_scans_uploaded_by_name_then_completed(branch_admin, server):
    people = place(server, "zhibu04", 2, "symposium")
    (one, name1, no1), (two, name2, no2) = people
    crud = candidates_page(branch_admin, name1[:-1])
    crud.tick(name1, name2)
    crud.bulk("座谈会管理").click()
    dialog = branch_admin.dialog("安排座谈会（所选人员）")
    room = unique("学院会议室")
    dialog.fill("座谈会时间", (wall_now() - timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")).fill("座谈会地点", room)
    with branch_admin.api("post", f"{CAN}/symposium"):
        dialog.submit()
    dialog.closed()

    row = candidates_page(branch_admin, name1[:-1]).row(name1)
    page = branch_admin.follow("/admin/development/page/candidates_symposium", "座谈会管理（发展对象）",
                               lambda: row.button("座谈会管理").click())
    with branch_admin.api("get", re.compile(rf"{CAN}/symposium/\d+$")):
        detail = page.row(room).click("座谈会管理")
    from tests.browser.tables import Crud

    table = Crud(branch_admin, detail.root.locator(".cxd-Crud").first, None)
    table.tick(name1, name2)
    table.bulk("批量上传记录").click()
    upload = branch_admin.dialog("批量上传记录表扫描件")
    upload.root.locator("input[type=file]").set_input_files([
        {"name": f"{name1}{no1}.pdf", "mimeType": "application/pdf", "buffer": SCAN},
        {"name": f"{name2}-{no1}.pdf", "mimeType": "application/pdf", "buffer": SCAN}])  # someone else's 学号
    with branch_admin.api("post", re.compile(rf"{CAN}/symposium/\d+/scans$"), status=422):
        upload.submit()
    branch_admin.toast("本次未保存任何文件")
    upload.close()
    table.bulk("批量上传记录").click()
    upload = branch_admin.dialog("批量上传记录表扫描件")
    upload.root.locator("input[type=file]").set_input_files([
        {"name": f"{name1}{no1}.pdf", "mimeType": "application/pdf", "buffer": SCAN},
        {"name": f"{name2}{no2}.pdf", "mimeType": "application/pdf", "buffer": SCAN}])
    with branch_admin.api("post", re.compile(rf"{CAN}/symposium/\d+/scans$")):
        upload.submit()
    detail.close()
    with branch_admin.api("get", re.compile(rf"{CAN}/symposium/\d+$")):
        detail = page.row(room).click("座谈会管理")
    expect(detail.root.get_by_text("已上传")).to_have_count(2)
    with branch_admin.api("post", re.compile(rf"{CAN}/symposium/\d+/complete$")):
        branch_admin.button("完成座谈会", detail.root).click()
        branch_admin.page.locator(".cxd-Modal").last.get_by_role("button", name="确认").click()
    assert where(server, one) == ("committee_meeting", "active") and where(server, two) == ("committee_meeting", "active")


def test_committee_meeting_records_each_persons_vote(branch_admin, server):
    (one, name1, _), (two, name2, _) = place(server, "zhibu04", 2, "committee_meeting")
    crud = candidates_page(branch_admin, name1[:-1])
    crud.tick(name1, name2)
    crud.bulk("批量进入支委会议").click()
    dialog = branch_admin.dialog("批量进入支委会议")
    dialog.fill("会议时间", (wall_now() - timedelta(hours=3)).strftime("%Y-%m-%d %H:%M")).fill("会议地点", "党员活动室")
    dialog.fill("应到人数", "5").fill("实到人数", "5").fill("出席人员", "支委5人")
    rows = dialog.root.locator(".cxd-InputTable tbody tr")
    for name, result in ((name1, "通过"), (name2, "不通过")):
        row = rows.filter(has_text=name)
        dialog._open_select(row)
        branch_admin.page.locator(".cxd-PopOver .cxd-Select-menu").last.locator(".cxd-Select-option").filter(
            has_text=exact(result)).first.click()
        dialog.close_popover()
        expect(row.locator(".cxd-Select-value")).to_have_text(exact(result))
    with crud.reloading(), branch_admin.api("post", f"{CAN}/committee-meeting"):
        dialog.submit()
    assert where(server, one) == ("filing", "active")
    assert where(server, two) == ("committee_meeting", "支委会议-不通过")
    assert crud.row(name2).cell("状态") == "支委会议-不通过"


def test_committee_publicity_contacts_filled_once_per_branch(committee, server):
    mine = place(server, "zhibu04", 2, "publicity")
    theirs = place(server, "zhibu05", 1, "publicity")
    page = committee.open("党员发展", "发展对象公示")
    with page.reloading(), committee.api("post", f"{CAN}/publicity") as call:
        committee.button("新增公示", page.root).click()
    title = call.json()["data"]["title"]
    dialog = page.row(title).click("设置公示内容")
    table = dialog.root.locator(".cxd-InputTable").first
    for record_id, name, no in mine + theirs:
        committee.button("新增", table).first.click()
        row = table.locator("tbody tr").last
        dialog._open_select(row)
        committee.page.locator(".cxd-PopOver .cxd-Select-menu").last.locator(".cxd-Select-option").filter(
            has_text=no).first.click()
        dialog.close_popover()
        row.locator("input[type=text]").first.fill("学习成绩优良，积极参加组织活动")
    dialog.fill("落款日期", wall_now().date().isoformat()).fill("公示开始日期", (wall_now().date() + timedelta(days=1)).isoformat())
    with committee.api("put", re.compile(rf"{CAN}/publicity/\d+/content$")):
        dialog.submit()
    dialog = page.row(title).click("设置公示内容")
    dialog.tab("批量填写支部联系人信息")
    branches = dialog.root.locator("[name=branch_contacts], .cxd-InputTable").last.locator("tbody tr")
    expect(branches).to_have_count(2)
    for branch, contact, phone in (("本科生第一党支部", "王老师", "13800000001"), ("本科生第二党支部", "李老师", "13800000002")):
        row = branches.filter(has_text=branch)
        for box, text in zip((row.locator("input").nth(0), row.locator("input").nth(1)), (contact, phone)):
            box.click()
            box.press_sequentially(text)
            expect(box).to_have_value(text)
    with committee.api("put", re.compile(rf"{CAN}/publicity/\d+/content$")) as saved:
        dialog.submit()
    entries = {e["record_id"]: (e["contact"], e["phone"]) for e in saved.json()["data"]["entries"]}
    assert {entries[r] for r, _, _ in mine} == {("王老师", "13800000001")}
    assert {entries[r] for r, _, _ in theirs} == {("李老师", "13800000002")}


def test_political_review_created_and_its_list_confirmed(committee, server):
    people = place(server, "zhibu04", 2, "cultivation")
    page = committee.open("党员发展", "政审管理")
    with page.reloading(), committee.api("post", f"{CAN}/political-review") as call:
        committee.button("新增政审", page.root).click()
    review = call.json()["data"]
    with committee.api("get", re.compile(rf"{CAN}/political-review/\d+$")):
        detail = page.row(review["title"]).click("详情")
    picker = detail.root.locator(".cxd-Transfer")
    for _, name, _ in people:
        picker.get_by_text(name).first.click()
    with committee.api("put", re.compile(rf"{CAN}/political-review/\d+/people$")):
        committee.button("提交", detail.root).first.click()
    with committee.api("post", re.compile(rf"{CAN}/political-review/\d+/confirm-list$")):
        committee.button("确定政审名单", detail.root).click()
        committee.page.locator(".cxd-Modal").last.get_by_role("button", name="确认").click()
    expect(detail.root.get_by_text("填报政审信息").first).to_be_visible()
    assert all(name in detail.text() for _, name, _ in people)
