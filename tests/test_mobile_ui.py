"""The mobile web app (/m/, issue 12) on a phone in headless Chromium (375×667, touch).

A private ``xianfeng run`` with the demo college and two published evaluation periods serves
the app (tests/mobile/site.py); each test makes the state it needs through the API, as the
admins would, and drives the phone like a person: a student signs in, completes the profile,
applies with a picture, sees the talk time and the timeline; a talker schedules the talk and
submits the record; the personal centre, the admin's QR code, a plugin's screen. Evaluation
reports are in tests/test_mobile_reports_ui.py. Every test ends with no console error, no
refused request it did not provoke and no request off 127.0.0.1; screenshots are in
test-artifacts/m/.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from playwright import sync_api

from tests.mobile import data as d
from tests.mobile.phone import launched_chromium, phone
from tests.mobile.site import mobile_site

expect = sync_api.expect


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with mobile_site(tmp_path_factory.mktemp("mobile_ui")) as s:
        yield s


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as b:
        yield b


PROFILE = {"phone": "13800138000", "ethnicity": "汉族", "birth_date": "2004-05-06", "id_card": "440106200405061234",
           "native_place": "广东广州", "grade": "2022级", "enrollment_date": "2022-09-01"}


def _complete_profile_by_api(base: str, student: dict) -> None:
    c = d.client(base, student["username"], student["password"])
    d.data(c.post("/api/mp/v1/profile/submit", json={
        "name": student["name"], "student_no": student["username"], "gender": "男", "political_status": "共青团员", **PROFILE}))


def _apply_by_api(base: str, student: dict, png: bytes) -> None:
    c = d.client(base, student["username"], student["password"])
    token = d.data(c.post("/api/files", files={"file": ("letter.png", png, "image/png")}))["file"]["token"]
    d.data(c.post("/api/mp/v1/development/apply", json={"files": [token], "signed_date": date.today().isoformat()}))


@pytest.fixture
def picture(tmp_path) -> Path:
    from PIL import Image

    path = tmp_path / "letter.jpg"
    Image.new("RGB", (2400, 3200), (250, 250, 245)).save(path, quality=90)  # a phone photo's size: scaled before upload
    return path


@pytest.fixture
def tiny_png_bytes() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 20, 20)).save(buf, format="PNG")
    return buf.getvalue()


def test_login_says_wrong_password_and_continues_to_the_screen_asked_for(site, browser):
    base, _ = site
    with phone(browser, base) as ph:
        ph.open("/messages")  # a link or QR code to a screen while signed out
        ph.screen("/login")
        assert "next=" in ph.page.url
        ph.expect_refusal(401, "/api/mp/v1/auth/login")
        ph.page.locator("input[name=username]").fill("2023200001")
        ph.page.locator("input[name=password]").fill("Wrong@2026x")
        ph.tap("登录")
        expect(ph.page.locator(".dialog").get_by_text("账号或密码错误")).to_be_visible()
        ph.shot("login-wrong-password")
        ph.tap("我知道了")
        ph.page.locator("input[name=password]").fill(d.DEMO_PASSWORD)
        ph.tap("登录")
        ph.screen("/messages")
        ph.assert_clean()


def test_first_login_profile_prompt_later_draft_and_submit(site, browser):
    base, _ = site
    student = d.new_student(base)
    with phone(browser, base) as ph:
        ph.open()
        ph.login(student["username"], student["password"])
        dialog = ph.page.locator(".dialog")
        expect(dialog.locator(".dialog-title")).to_have_text("完善个人信息")
        ph.shot("profile-prompt")
        with ph.page.expect_response(lambda r: r.url.endswith("/api/mp/v1/profile/later")) as later:
            ph.tap("稍后处理", dialog)
        assert later.value.json()["profile"]["ask"] is False
        expect(dialog).to_have_count(0)
        expect(ph.page.get_by_text("个人信息尚未完善")).to_be_visible()
        ph.page.reload()  # the same login: not asked again
        ph.screen("/home")
        expect(ph.page.get_by_text("个人信息尚未完善")).to_be_visible()
        ph.page.wait_for_timeout(300)
        expect(ph.page.locator(".dialog")).to_have_count(0)

        ph.page.get_by_role("button", name="去完善").tap()
        form = ph.screen("/profile")
        expect(form.locator("[name=name]")).to_have_value(student["name"])
        form.locator("[name=student_no]").fill(student["username"])  # filled once by the student, then fixed
        for name, value in PROFILE.items():
            form.locator(f"[name={name}]").fill(value)
        form.locator("label[for='f-gender-女']").tap()
        ph.tap("暂存")
        expect(ph.page.locator(".toast").filter(has_text="已暂存")).to_be_visible()
        ph.expect_refusal(422, "/api/mp/v1/profile/submit")
        ph.tap("提交")  # 政治面貌 not chosen yet: refused, the field says why
        error = ph.page.locator('[data-field="political_status"] .field-error')
        expect(error).to_have_text("政治面貌不能为空")
        ph.shot("profile-refused")
        ph.page.reload()  # the draft is kept by the server
        form = ph.screen("/profile")
        expect(form.locator("[name=ethnicity]")).to_have_value("汉族")
        expect(form.locator("#f-gender-女")).to_be_checked()
        form.locator("label[for='f-political_status-共青团员']").tap()
        ph.tap("提交")
        ph.screen("/home")
        expect(ph.page.get_by_text("个人信息尚未完善")).to_have_count(0)
        ph.open("/profile")
        expect(ph.screen("/profile").locator("[name=student_no]")).to_have_attribute("readonly", "")
        ph.assert_clean()
    c = d.client(base, student["username"], student["password"])
    assert d.data(c.get("/api/mp/v1/profile"))["complete"] is True


def test_student_applies_with_a_picture_withdraws_and_resubmits_after_rejection(site, browser, picture):
    base, _ = site
    student = d.new_student(base)
    _complete_profile_by_api(base, student)
    with phone(browser, base) as ph:
        ph.open()
        ph.login(student["username"], student["password"])
        ph.page.locator('.tile[data-to="/development/apply"]').tap()
        apply = ph.screen("/development/apply")
        expect(apply.get_by_text("年满18周岁")).to_be_visible()
        camera = apply.locator('input[data-pick="camera"]')
        assert camera.get_attribute("accept") == "image/*" and camera.get_attribute("capture") == "environment"
        with ph.page.expect_response(lambda r: r.url.endswith("/api/files") and r.request.method == "POST") as sent:
            apply.locator('input[data-pick="album"]').set_input_files(str(picture))
        uploaded = sent.value.json()["file"]
        assert uploaded["type"] == "jpg" and uploaded["purpose"] == "application_letter"
        assert uploaded["size"] < picture.stat().st_size  # scaled down on the phone
        expect(apply.locator("form .thumb img")).to_have_count(1)
        apply.locator("[name=signed_date]").fill(date.today().isoformat())
        ph.shot("apply-filled")
        ph.tap("提交", apply)
        apply = ph.screen("/development/apply")
        expect(apply.locator(".tag").filter(has_text="待审核")).to_be_visible()
        expect(apply.locator(".thumb img")).to_have_count(1)  # the stored picture, fetched with the token
        expect(apply.locator("form")).to_have_count(0)  # nothing to submit while it waits for review

        ph.tap("撤回", apply)
        ph.tap("撤回", ph.page.locator(".dialog"))
        apply = ph.screen("/development/apply")
        expect(apply.locator(".tag").filter(has_text="已撤回")).to_be_visible()

        apply.locator('input[data-pick="camera"]').set_input_files(str(picture))
        expect(apply.locator("form .thumb img")).to_have_count(1)
        apply.locator("[name=signed_date]").fill(date.today().isoformat())
        ph.tap("提交", apply)
        expect(ph.screen("/development/apply").locator(".tag").filter(has_text="待审核")).to_be_visible()

        d.reject_letter(base, student, "落款日期不清楚，请重新拍照")
        ph.page.reload()
        apply = ph.screen("/development/apply")
        expect(apply.get_by_text("退回原因：落款日期不清楚，请重新拍照")).to_be_visible()
        expect(apply.get_by_text("重新提交入党申请书")).to_be_visible()
        ph.shot("apply-rejected")
        apply.locator('input[data-pick="album"]').set_input_files(str(picture))
        expect(apply.locator("form .thumb img")).to_have_count(1)
        apply.locator("[name=signed_date]").fill(date.today().isoformat())
        ph.tap("提交", apply)
        expect(ph.screen("/development/apply").locator(".tag").filter(has_text="待审核")).to_be_visible()
        ph.assert_clean()


def test_talker_schedules_and_submits_the_record_the_student_sees_time_and_timeline(site, browser, tiny_png_bytes):
    base, data_dir = site
    student = d.new_student(base)
    _complete_profile_by_api(base, student)
    _apply_by_api(base, student, tiny_png_bytes)
    talker = d.approve_and_assign_talker(base, student)
    when = (datetime.now() + timedelta(days=3)).replace(hour=15, minute=30, second=0, microsecond=0)
    with phone(browser, base) as ph:
        ph.open()
        ph.login(talker["username"], talker["password"])
        card = ph.page.locator(".todo").filter(has_text=student["name"])
        expect(card.get_by_text("安排谈话")).to_be_visible()
        ph.shot("talker-home")
        card.get_by_role("button", name="安排").tap()
        talk = ph.screen("/talks/:id")
        expect(talk.get_by_text(student["name"])).to_be_visible()
        talk.locator("[name=place]").fill("党员活动室 302")
        talk.locator("[name=scheduled_at]").fill(when.strftime("%Y-%m-%dT%H:%M"))
        ph.tap("确认安排谈话日程", talk)
        talk = ph.screen("/talks/:id")
        expect(talk.get_by_text("已安排")).to_be_visible()
        talk.locator("[name=talk_date]").fill(date.today().isoformat())
        talk.locator("[name=content]").fill("入党动机端正，对党的认识较为深刻，学习刻苦。")
        ph.shot("talker-record")
        ph.tap("提交", talk)
        expect(ph.screen("/talks/:id").get_by_text("谈话记录已提交，等待党支部审核")).to_be_visible()
        ph.assert_clean()
    d.deliver_messages(data_dir)  # what the worker does between the talker's phone and the student's
    with phone(browser, base) as ph:
        ph.open()
        ph.login(student["username"], student["password"])
        ph.page.locator('.tile[data-to="/development/apply"]').tap()
        apply = ph.screen("/development/apply")
        expect(apply.get_by_text("党员活动室 302")).to_be_visible()
        expect(apply.get_by_text(when.strftime("%Y-%m-%d %H:%M"))).to_be_visible()
        ph.shot("student-talk-time")
        ph.tap("查看入党进度（时间轴）", apply)
        timeline = ph.screen("/development")
        expect(timeline.locator(".stage")).to_have_count(5)
        expect(timeline.locator(".step-done").filter(has_text="递交入党申请书")).to_be_visible()
        expect(timeline.locator(".step-current").filter(has_text="党组织派人谈话")).to_be_visible()
        ph.shot("timeline")
        ph.tap("二十五步", timeline)
        expect(timeline.locator(".reg")).to_have_count(25)
        expect(timeline.locator(".reg.is-done")).to_have_count(1)
        ph.tap("操作记录", timeline)
        expect(timeline.locator(".event-title").filter(has_text="入党申请书审核通过")).to_be_visible()
        ph.open("/home")
        ph.screen("/home")
        expect(ph.page.locator('.tab [data-badge="messages"]')).to_be_visible()  # unread messages
        ph.page.locator(".tab").filter(has_text="消息").tap()
        messages = ph.screen("/messages")
        messages.locator(".row").filter(has_text="谈话日程已安排").first.tap()
        message = ph.screen("/messages/:id")
        expect(message.locator(".message-body")).to_contain_text("党员活动室 302")
        ph.shot("message-detail")
        ph.assert_clean()


def test_personal_centre_avatar_and_password_change(site, browser, picture):
    base, _ = site
    student = d.new_student(base)
    with phone(browser, base) as ph:
        ph.open("/me")
        ph.login(student["username"], student["password"], then="/me")
        me = ph.screen("/me")
        with ph.page.expect_response(lambda r: r.url.endswith("/api/mp/v1/personal/avatar")) as saved:
            me.locator('input[data-pick="avatar"]').set_input_files(str(picture))
        assert saved.value.status == 200
        expect(me.locator(".avatar-img")).to_be_visible()
        assert me.locator(".avatar-img").get_attribute("src").startswith("blob:")  # fetched with the token
        ph.shot("me-avatar")
        me.get_by_role("button", name="修改密码").tap()
        form = ph.screen("/me/password")
        ph.expect_refusal(422, "/api/mp/v1/personal/password")
        form.locator("[name=old_password]").fill("Wrong@2026x")
        form.locator("[name=new_password]").fill("Next@2026xy")
        form.locator("[name=confirm_password]").fill("Next@2026xy")
        ph.tap("保存", form)
        expect(form.locator('[data-field="old_password"] .field-error')).to_have_text("原始密码不正确")
        form.locator("[name=old_password]").fill(student["password"])
        ph.tap("保存", form)
        expect(form.get_by_text("密码修改成功，请重新登录")).to_be_visible()
        ph.screen("/login", timeout=10_000)  # three seconds later
        ph.login(student["username"], "Next@2026xy")
        ph.assert_clean()


def test_admin_qr_code_opens_the_mobile_screen(site, browser):
    """The 工作台 shows a QR code; what a phone camera reads from it opens the app's screen."""
    import io

    import zxingcpp
    from PIL import Image

    from tests.browser.chromium import login_form as _login_form

    base, _ = site
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        page = desk.new_page()
        page.goto(base + "/admin/login")
        _login_form(page, "zhibu04", d.DEMO_PASSWORD)
        qr = page.locator(".xf-m-qr").locator("canvas, svg").first
        expect(qr).to_be_visible(timeout=20_000)
        read = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
        assert [r.text for r in read] == [f"{base}/m/#/home"]
        link = d.data(d.client(base, "zhibu04").get("/api/pc/v1/mobile/link", params={"screen": "/evaluation"}))
        assert link == {"screen": "/evaluation", "url": f"{base}/m/#/evaluation"}
    finally:
        desk.close()
    with phone(browser, base) as ph:
        ph.page.goto(read[0].text)
        ph.login("2023200001", d.DEMO_PASSWORD, then="/home")
        ph.page.goto(link["url"])  # a QR code of another screen, on a phone already signed in
        ph.screen("/evaluation")
        ph.shot("qr-opened")
        ph.assert_clean()


def test_a_plugins_screen_has_its_tile_and_draws(site, browser):
    base, _ = site
    with phone(browser, base) as ph:
        ph.open()
        ph.login("2023200001", d.DEMO_PASSWORD)
        ph.page.locator('.tile[data-to="/guestbook"]').tap()
        screen = ph.screen("/guestbook")
        expect(screen.locator(".card-title")).to_have_text("欢迎留言")
        ph.open("/guestbook/%E5%85%A5%E5%85%9A")
        expect(ph.screen("/guestbook/:topic").locator(".guestbook")).to_contain_text("话题：入党")
        ph.assert_clean()
