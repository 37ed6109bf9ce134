"""The 发展对象 page's row actions beside the batch paths (manual 6.3): 指定入党介绍人 on one row
and on a batch, with the refusals the manual states (two different formal members of the
branch: one person is refused beside the field, a student who is no formal member is not
offered); 进入支委会议 on one row; 流转党委备案 with the branch opinion and the committee's
不通过 (党委备案-不通过); 考察通过 into the reception stage — each checked by its effect."""
from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from tests.activist_helpers import in_server_db
from tests.browser.harness import unique
from tests.browser.matching import exact
from tests.browser.test_candidate_pages import CAN, candidates_page, place, wall_now, where

DEV = "/api/pc/v1/development"


def test_introducers_assigned_on_a_row_and_on_a_batch_with_the_manuals_refusals(branch_admin, server):
    (one, name1, _), (two, name2, _), (three, name3, _) = place(server, "zhibu04", 3, "introducers")
    crud = candidates_page(branch_admin, name1[:-1])
    dialog = crud.row(name1).click("指定入党介绍人", f"指定入党介绍人 - {name1}")
    offered = dialog.options("入党介绍人")
    assert len(offered) >= 2
    assert not any(name in o for o in offered for name in (name1, name2, name3))  # no formal members: not offered
    dialog.fill("入党介绍人", [offered[0]])
    with branch_admin.api("post", f"{CAN}/introducer/assign", status=422):
        dialog.submit()
    expect(dialog.error("入党介绍人")).to_have_text("请选择2名不同的入党介绍人")
    assert where(server, one) == ("introducers", "active")
    dialog.fill("入党介绍人", [offered[1]])
    with crud.reloading(), branch_admin.api("post", f"{CAN}/introducer/assign"):
        dialog.submit()
    assert where(server, one) == ("cultivation", "active")
    chosen = {o.split("（")[0] for o in offered[:2]}
    assert set(crud.row(name1).cell("入党介绍人").split("、")) == chosen

    crud.tick(name2, name3)
    crud.bulk("批量指定入党介绍人").click()
    dialog = branch_admin.dialog("批量指定入党介绍人")
    dialog.fill("入党介绍人", offered[:2])
    with crud.reloading(), branch_admin.api("post", f"{CAN}/introducer/assign"):
        dialog.submit()
    assert where(server, two) == where(server, three) == ("cultivation", "active")
    assert set(crud.row(name3).cell("入党介绍人").split("、")) == chosen


def test_committee_meeting_on_one_row(branch_admin, server):
    (one, name1, _), = place(server, "zhibu04", 1, "committee_meeting")
    crud = candidates_page(branch_admin, name1)
    dialog = crud.row(name1).click("进入支委会议", "进入支委会议")
    dialog.fill("会议时间", (wall_now() - timedelta(hours=3)).strftime("%Y-%m-%d %H:%M")).fill("会议地点", "党员活动室")
    dialog.fill("应到人数", "5").fill("实到人数", "4").fill("出席人员", "支委4人").fill("缺席人员及原因", "1人因公出差")
    row = dialog.root.locator(".cxd-InputTable tbody tr").filter(has_text=name1)
    dialog._open_select(row)
    branch_admin.page.locator(".cxd-PopOver .cxd-Select-menu").last.locator(".cxd-Select-option").filter(
        has_text=exact("通过")).first.click()
    dialog.close_popover()
    with crud.reloading(), branch_admin.api("post", f"{CAN}/committee-meeting"):
        dialog.submit()
    assert where(server, one) == ("filing", "active")
    assert crud.row(name1).cell("当前环节") == "上级党委备案"


def test_filing_with_the_branch_opinion_refused_by_the_committee(branch_admin, committee, server):
    (one, name1, _), = place(server, "zhibu04", 1, "filing")
    crud = candidates_page(branch_admin, name1)
    crud.row(name1).button("流转党委备案").click()
    with branch_admin.api("post", f"{CAN}/filing") as made:
        branch_admin.dialog(f"流转党委备案 - {name1}").submit()
    title = made.json()["data"]["title"]
    filing = branch_admin.follow("/admin/development/page/candidates_filing", "备案管理（发展对象）",
                                 lambda: crud.row(name1).button("查看备案进度").click())
    dialog = filing.row(title).click("确认并生成发展对象备案表", f"确认并生成发展对象备案表 - {title}")
    expect(dialog.root.locator("tbody tr").filter(has_text=name1)).to_have_count(1)
    opinion = unique("同意报学院党委备案")
    dialog.fill("备案填表时间", wall_now().date().isoformat()).fill("党支部意见", opinion)
    with filing.reloading(), branch_admin.api("post", re.compile(rf"{CAN}/filing/\d+/generate")):
        dialog.submit()
    filing.row(title).confirm("提交备案")

    decided = committee.open("党员发展", "备案管理（发展对象）")
    dialog = decided.row(title).click("确认备案结果", f"确认备案结果 - {title}")
    row = dialog.root.locator("tbody tr").filter(has_text=name1)
    expect(row).to_have_count(1)
    dialog.fill("备案时间", wall_now().date().isoformat()).fill("学院党委意见", "材料不全")
    dialog._open_select(row)
    committee.page.locator(".cxd-PopOver .cxd-Select-menu").last.locator(".cxd-Select-option").filter(
        has_text=exact("不通过")).first.click()
    dialog.close_popover()
    box = row.locator("input[type=text]").last
    box.fill("缺少支部大会记录")
    box.press("Tab")
    with decided.reloading(), committee.api("post", re.compile(rf"{CAN}/filing/\d+/decide")):
        dialog.submit()
    assert where(server, one) == ("filing", "党委备案-不通过")
    dialog = decided.row(title).click("详情", f"备案详情 - {title}")
    expect(dialog.root.get_by_text(opinion)).to_be_visible()  # the branch's opinion stays with the filing
    expect(dialog.root.locator("tbody tr").filter(has_text=name1).get_by_text("不通过")).to_be_visible()
    dialog.close()
    assert candidates_page(branch_admin, name1).row(name1).cell("状态") == "党委备案-不通过"


def test_cultivation_passed_enters_the_reception_stage(branch_admin, server):
    (one, name1, _), = place(server, "zhibu04", 1, "cultivation")

    async def tasks_done(session):  # every task of the step handed in and approved
        from sqlalchemy import update

        from core.models import utcnow
        from core.workflow.models import Task

        await session.execute(update(Task).where(Task.record_id == one).values(status="done", done_at=utcnow()))
    in_server_db(server.data_dir, tasks_done)
    crud = candidates_page(branch_admin, name1)
    with crud.reloading(), branch_admin.api("post", f"{CAN}/cultivation/pass"):
        crud.row(name1).confirm("考察通过")
    stage_step = in_server_db(server.data_dir, lambda s: _stage_of(s, one))
    assert stage_step[0] == "reception"
    assert not crud.has_row(name1)


async def _stage_of(session, record_id: int) -> tuple[str, str]:
    from core.workflow.models import DevelopmentRecord

    r = await session.get(DevelopmentRecord, record_id)
    return r.stage, r.step


def test_autobiography_reviewed_on_a_row_and_refused_on_a_batch_with_the_reason(branch_admin, server):
    people = place(server, "zhibu04", 3, "cultivation")
    (one, name1, _), (two, name2, _), (three, name3, _) = people

    async def handed_in(session):  # each person's 自传, waiting for the branch
        from sqlalchemy import select

        from core.models import utcnow
        from core.workflow.components.review import Submission
        from core.workflow.models import DevelopmentRecord

        for record_id, _, _ in people:
            user_id = (await session.execute(select(DevelopmentRecord.user_id).where(DevelopmentRecord.id == record_id))).scalar_one()
            session.add(Submission(record_id=record_id, user_id=user_id, kind="autobiography", files=[],
                                   signed_date=utcnow().date()))
    in_server_db(server.data_dir, handed_in)

    def state(record_id: int) -> tuple[str, str]:
        async def go(session):
            from sqlalchemy import select

            from core.workflow.components.review import Submission

            s = (await session.execute(select(Submission).where(Submission.record_id == record_id,
                                                                Submission.kind == "autobiography"))).scalar_one()
            return s.status, s.reason
        return in_server_db(server.data_dir, go)

    crud = candidates_page(branch_admin, name1[:-1])
    dialog = crud.row(name1).click("审核自传", f"审核自传 - {name1}")
    dialog.fill("审核结果", "审核通过")
    with crud.reloading(), branch_admin.api("post", f"{CAN}/autobiography/review"):
        dialog.submit()
    assert state(one) == ("approved", "")
    assert "审核自传" not in crud.row(name1).buttons()

    crud.tick(name2, name3)
    crud.bulk("批量审核自传-不通过").click()
    dialog = branch_admin.dialog("批量审核不通过")
    dialog.submit()  # a refusal needs its reason: the form says so beside the field and sends nothing
    expect(dialog.error("审核不通过理由")).to_be_visible()
    assert state(two) == ("submitted", "")
    dialog.fill("审核不通过理由", "请补充家庭主要成员情况")
    with crud.reloading(), branch_admin.api("post", f"{CAN}/autobiography/review"):
        dialog.submit()
    assert state(two) == state(three) == ("rejected", "请补充家庭主要成员情况")
    expect(crud.row(name3).loc.get_by_text("请补充家庭主要成员情况")).to_be_visible()


def test_recommendation_again_handled_deleted_and_uploaded_by_proxy(branch_admin, server, tmp_path):
    from PIL import Image

    picture = tmp_path / "推优登记表.png"
    Image.new("RGB", (64, 64), (240, 240, 240)).save(picture)
    people = place(server, "zhibu04", 4, "recommendation")
    (one, name1, _), (two, name2, _), (three, name3, _), (four, name4, _) = people

    async def forms(session):  # three 推优登记表 handed in; the fourth person has none
        from sqlalchemy import select

        from core.models import utcnow
        from core.workflow.components.review import Submission
        from core.workflow.models import DevelopmentRecord

        for record_id, _, _ in people[:3]:
            user_id = (await session.execute(select(DevelopmentRecord.user_id).where(DevelopmentRecord.id == record_id))).scalar_one()
            session.add(Submission(record_id=record_id, user_id=user_id, kind="candidate_recommendation_form", files=[],
                                   signed_date=utcnow().date()))
    in_server_db(server.data_dir, forms)

    crud = candidates_page(branch_admin, name1[:-1])
    dialog = crud.row(name1).click("推优管理", f"推优管理 - {name1}")
    expect(dialog.root.get_by_text(name1).first).to_be_visible()  # the branch sees whose form it handles
    dialog.fill("处理结果", "通过").fill("推优时间", wall_now().date().isoformat())
    with crud.reloading(), branch_admin.api("post", f"{CAN}/recommendation/result"):
        dialog.submit()
    assert where(server, one) == ("symposium", "active")
    assert crud.row(name1).cell("当前环节") == "入党重点发展对象座谈会"

    dialog = crud.row(name2).click("推优管理", f"推优管理 - {name2}")
    dialog.fill("处理结果", "退回").fill("原因", "请补充团支部意见")
    with crud.reloading(), branch_admin.api("post", f"{CAN}/recommendation/result"):
        dialog.submit()
    assert where(server, two) == ("recommendation", "active")
    expect(crud.row(name2).loc.get_by_text("请补充团支部意见")).to_be_visible()

    dialog = crud.row(name3).click("删除推优登记表", f"删除推优登记表 - {name3}")
    dialog.fill("删除原因", "扫描件不清晰")
    with crud.reloading(), branch_admin.api("post", f"{CAN}/recommendation/delete"):
        dialog.submit()
    expect(crud.row(name3).loc.get_by_text("已删除")).to_be_visible()

    dialog = crud.row(name4).click("代理上传推优登记表", f"代理上传推优登记表 - {name4}")
    with branch_admin.api("post", "/api/files"):
        dialog.root.locator("input[type=file]").set_input_files(str(picture))
    dialog.fill("落款时间", wall_now().date().isoformat())
    with crud.reloading(), branch_admin.api("post", f"{CAN}/recommendation/proxy") as call:
        dialog.submit()
    assert call.json()["data"]["by_proxy"] is True
    expect(crud.row(name4).loc.get_by_text("待审核")).to_be_visible()
