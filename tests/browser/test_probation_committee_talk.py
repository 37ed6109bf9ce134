"""上级党委派人谈话 (TalkComponent mode="committee", manual 6.4) clicked as the college committee
on the 预备党员接收 list: 指派谈话人, 流转上级党委派人谈话, the time the member submitted on the
phone shown in the college's zone, 确认谈话 with that time edited; the member moves on to
上级党委审批 with the confirmed date."""
from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from tests.activist_helpers import in_server_db, today
from tests.browser.conftest import BRANCH_ADMIN, new_context
from tests.browser.dev_people import where
from tests.browser.probation_people import at_step, members, username

TALK = "/api/pc/v1/development/reception/committee-talk"
MP = "/api/mp/v1/development/committee-talk"


def milestones(server, record_id: int) -> dict:
    from core.workflow.models import DevelopmentRecord

    async def read(s):
        return dict((await s.get(DevelopmentRecord, record_id)).milestones)

    return in_server_db(server.data_dir, read)


def test_assign_flow_submitted_time_shown_then_edited_and_confirmed(committee, server, browser):
    (user_id, rid, name), = at_step(server, BRANCH_ADMIN, 1, "reception", "committee_talk", can_login=True)
    (_, talker), = members(server, BRANCH_ADMIN, 1)
    crud = committee.open("党员发展", "预备党员接收").filter({"姓名": name})
    assert crud.row(name).cell("上级党委派人谈话") == "未指派"

    dialog = crud.row(name).click("指派谈话人", f"指派谈话人 - {name}")
    option = next(o for o in dialog.options("谈话人") if o.startswith(talker))
    dialog.fill("谈话人", option)
    with crud.reloading(), committee.api("post", f"{TALK}/assign"):
        dialog.submit()
    assert crud.row(name).cell("党委谈话人") == talker
    assert "确认谈话" not in crud.row(name).buttons()  # nothing to confirm before the member is asked

    with crud.reloading(), committee.api("post", f"{TALK}/flow"):
        crud.row(name).confirm("流转上级党委派人谈话")
    committee.toast("已流转上级党委派人谈话")

    day = today() - timedelta(days=1)
    member = new_context(browser, server, username(server, user_id))
    try:
        r = member.request.post(server.base + MP, data={"scheduled_at": f"{day.isoformat()}T10:00"})
        assert r.status == 200, r.text()
    finally:
        member.close()

    crud.reload()
    assert crud.row(name).cell("党委谈话时间") == f"{day.isoformat()} 10:00"  # the college's time, whatever the browser's zone
    dialog = crud.row(name).click("确认谈话", f"确认谈话 - {name}")
    expect(dialog.item("谈话时间").locator("input").first).to_have_value(f"{day.isoformat()} 10:00")
    dialog.fill("谈话时间", f"{day.isoformat()} 15:30")
    with crud.reloading(), committee.api("post", f"{TALK}/confirm-time") as call:
        dialog.submit()
    assert call.response.request.post_data_json["items"][0]["scheduled_at"] == f"{day.isoformat()} 15:30"
    assert where(server, [rid])[rid] == ("reception", "approval", "active")
    assert milestones(server, rid)["committee_talked_at"] == day.isoformat()
