"""预备党员转正 list clicked as a branch admin (manual 6.5): 编入党小组 for one member and as a batch,
then the oath: 流转入党宣誓 and 填写宣誓时间; the conversion application opened, uploaded by the
member on the phone and confirmed with its date; each checked on the page and in the database."""
from __future__ import annotations

import re
from datetime import timedelta

from tests.activist_helpers import in_server_db, today
from tests.browser.conftest import BRANCH_ADMIN, new_context
from tests.browser.dev_people import where
from tests.browser.harness import unique
from tests.browser.probation_people import at_step, branch_id, username

CONVERSION = "/api/pc/v1/development/conversion"
DATES = {"received_at": 60, "approved_at": 50, "higher_filed_at": 40}


def milestones(server, record_id: int) -> dict:
    from core.workflow.models import DevelopmentRecord

    async def read(s):
        return dict((await s.get(DevelopmentRecord, record_id)).milestones)

    return in_server_db(server.data_dir, read)


def members_at(server, n: int, step: str):
    dates = {k: (today() - timedelta(days=d)).isoformat() for k, d in DATES.items()}
    return at_step(server, BRANCH_ADMIN, n, "conversion", step, milestones=dates, status="中共预备党员")


def test_party_group_single_and_batch(branch_admin, server, committee_api):
    group = unique("第一党小组")
    committee_api.post("/api/pc/v1/party-groups", {"name": group, "branch_id": branch_id(server, BRANCH_ADMIN)})
    (_, one_id, one), (_, two_id, two), (_, three_id, three) = members_at(server, 3, "party_group")
    crud = branch_admin.open("党员发展", "预备党员转正").filter({"姓名": one[:-1]})

    dialog = crud.row(one).click("指定党小组", f"指定党小组 - {one}")
    assert group in dialog.options("党小组")
    dialog.fill("党小组", group)
    with crud.reloading(), branch_admin.api("post", f"{CONVERSION}/party-group/assign"):
        dialog.submit()
    branch_admin.toast("已指定党小组")
    assert crud.row(one).cell("当前环节") == "入党宣誓"

    crud.tick(two, three)
    crud.bulk("批量指定党小组").click()
    dialog = branch_admin.dialog("批量指定党小组")
    dialog.fill("党小组", group)
    with crud.reloading(), branch_admin.api("post", f"{CONVERSION}/party-group/assign"):
        dialog.submit()
    assert crud.row(two).cell("当前环节") == "入党宣誓" and crud.row(three).cell("当前环节") == "入党宣誓"
    assert {v[:2] for v in where(server, [one_id, two_id, three_id]).values()} == {("conversion", "oath")}


def test_oath_flowed_then_dated(branch_admin, server):
    (_, rid, name), = members_at(server, 1, "oath")
    crud = branch_admin.open("党员发展", "预备党员转正").filter({"姓名": name})
    assert "填写宣誓时间" not in crud.row(name).buttons()  # only after 流转入党宣誓
    with crud.reloading(), branch_admin.api("post", f"{CONVERSION}/oath/flow"):
        crud.row(name).confirm("流转入党宣誓")
    branch_admin.toast("已流转入党宣誓")
    assert "流转入党宣誓" not in crud.row(name).buttons()

    day = today() - timedelta(days=1)
    dialog = crud.row(name).click("填写宣誓时间", f"填写宣誓时间 - {name}")
    dialog.fill("宣誓时间", day.isoformat())
    with crud.reloading(), branch_admin.api("post", re.compile(rf"{CONVERSION}/oath")):
        dialog.submit()
    assert where(server, [rid])[rid] == ("conversion", "cultivation", "active")
    assert milestones(server, rid)["oath_at"] == day.isoformat()
    assert crud.row(name).cell("入党宣誓时间") == day.isoformat()


def png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 64), "white").save(out, format="PNG")
    return out.getvalue()


def test_conversion_application_opened_uploaded_and_confirmed_with_a_date(branch_admin, server, browser):
    dates = {k: (today() - timedelta(days=d)).isoformat() for k, d in {**DATES, "oath_at": 30}.items()}
    (user_id, rid, name), = at_step(server, BRANCH_ADMIN, 1, "conversion", "conversion_application", milestones=dates,
                                    status="中共预备党员", can_login=True)
    crud = branch_admin.open("党员发展", "预备党员转正").filter({"姓名": name})
    assert "处理转正申请" not in crud.row(name).buttons()
    with crud.reloading(), branch_admin.api("post", f"{CONVERSION}/conversion-application/open"):
        crud.row(name).confirm("开放转正申请")
    branch_admin.toast("已开放转正申请")
    assert "开放转正申请" not in crud.row(name).buttons()

    day = today() - timedelta(days=1)
    member = new_context(browser, server, username(server, user_id))
    try:
        up = member.request.post(server.base + "/api/files", multipart={
            "file": {"name": "转正申请书.png", "mimeType": "image/png", "buffer": png()}})
        assert up.status == 200, up.text()
        sent = member.request.post(server.base + "/api/mp/v1/development/conversion-application",
                                   data={"files": [up.json()["file"]["token"]], "signed_date": day.isoformat()})
        assert sent.status == 200, sent.text()
    finally:
        member.close()

    crud.reload()
    dialog = crud.row(name).click("处理转正申请", f"处理转正申请 - {name}")
    assert dialog.item("处理结果").locator("label").all_inner_texts()[1:] == ["通过", "退回"]  # the manual has no 不通过 here
    dialog.fill("处理结果", "通过").fill("转正申请时间", day.isoformat())
    with crud.reloading(), branch_admin.api("post", f"{CONVERSION}/conversion-application/result"):
        dialog.submit()
    branch_admin.toast("已通过")
    assert where(server, [rid])[rid] == ("conversion", "symposium", "active")
    assert milestones(server, rid)["conversion_applied_at"] == day.isoformat()


def test_committee_assigns_a_party_group_of_the_members_branch(committee, server, committee_api):
    """The committee sees every branch: the row's 指定党小组 offers the groups of that member's branch."""
    group = unique("第二党小组")
    committee_api.post("/api/pc/v1/party-groups", {"name": group, "branch_id": branch_id(server, BRANCH_ADMIN)})
    (_, rid, name), = members_at(server, 1, "party_group")
    crud = committee.open("党员发展", "预备党员转正").filter({"姓名": name})
    dialog = crud.row(name).click("指定党小组", f"指定党小组 - {name}")
    dialog.fill("党小组", group)
    with crud.reloading(), committee.api("post", f"{CONVERSION}/party-group/assign"):
        dialog.submit()
    assert where(server, [rid])[rid] == ("conversion", "oath", "active")
