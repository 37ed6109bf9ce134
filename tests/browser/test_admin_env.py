"""What core/static/admin-env.js gives every admin page, tried on the widgets test page: a
typed date-time is kept, Enter in a date box does not submit, the server's field errors show
beside their fields without amis' generic toast, times show in the college's zone."""
from __future__ import annotations

from playwright.sync_api import expect

API = "/api/pc/v1/widgets/echo"


def widgets(admin):
    admin.open("控件测试", "控件")
    return admin.form("控件")


def test_typed_datetime_and_date_are_kept_and_sent(committee):
    form = widgets(committee)
    form.fill("名称", "谈话")
    box = form.type_into("谈话时间", "2026-12-01 10:00")
    box.press("Tab")
    expect(box).to_have_value("2026-12-01 10:00")
    date_box = form.type_into("谈话日期", "2026-12-02")
    date_box.press("Enter")  # must not submit the form
    expect(date_box).to_have_value("2026-12-02")
    form.fill("名称", "谈话人")  # blur the date box
    expect(box).to_have_value("2026-12-01 10:00")
    with committee.api("post", API) as call:
        form.submit("提交")
    assert call.json()["data"] == {"scheduled_at": "2026-12-01T10:00:00+08:00", "talk_date": "2026-12-02", "notes": []}
    committee.toast("已保存：2026-12-01 10:00，2026-12-02")


def test_a_table_cell_edited_just_before_submit_is_sent(committee):
    form = widgets(committee)
    form.fill("名称", "备注")
    table = form.item("备注表")
    table.locator(".cxd-InputTable-toolbar button").filter(has_text="新增").click()
    table.locator("tbody input").last.fill("第一条")
    with committee.api("post", API) as call:  # at once: no blur, no pause after the last key
        form.submit("提交")
    assert call.response.request.post_data_json["notes"] == [{"text": "第一条"}]
    assert call.json()["data"]["notes"] == ["第一条"]


def test_existing_time_is_shown_in_the_college_zone(committee):
    form = widgets(committee)
    assert form.value("已有时间") == "2026-11-28 18:00"
    assert form.value("固定时间") == "2026-11-28 18:00"


def test_field_error_from_the_server_shows_beside_the_field_only(committee):
    form = widgets(committee)
    form.fill("名称", "错误")
    with committee.api("post", API, status=422):
        form.submit("提交")
    expect(form.error("名称")).to_have_text("名称不能为“错误”")
    committee.toast("名称不能为“错误”")
    committee.no_toast("依赖的部分字段没有通过验证")


def test_required_field_refused_in_the_browser_without_generic_toast(committee):
    form = widgets(committee)
    form.submit("提交")
    expect(form.error("名称")).to_have_text("这是必填项")
    committee.no_toast("依赖的部分字段没有通过验证")


def test_refusal_without_field_is_a_toast(committee):
    form = widgets(committee)
    form.fill("名称", "冲突")
    with committee.api("post", API, status=409):
        form.submit("提交")
    committee.toast("当前状态不允许该操作")


def test_batch_action_on_ticked_rows(committee):
    crud = committee.open("控件测试", "控件")
    crud.tick("甲", "丙")
    with committee.api("post", "/api/pc/v1/widgets/batch") as call:
        crud.bulk("批量处理").click()
    assert call.response.request.post_data_json["ids"] == "1,3"
    committee.toast("已处理：甲、丙")
