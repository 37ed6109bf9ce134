"""The activist stage's phone screens (/m/, manual 6.2 小程序端) in headless Chromium: 推优
(generate the form, upload the scan, withdraw), 培育考察 (three cards, 立即提交 a thought report),
培训班 (sign up, cancel), and the contact's quarterly talk from the to-do card (open, schedule,
record, withdraw). State is made through the API and, for the stage's earlier steps, written
into the server's database (time moved, never waited for)."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from playwright import sync_api

from tests.live_server import demo_server
from tests.mobile import data as d
from tests.mobile.phone import launched_chromium, phone, talk_from_todo

ROOT = Path(__file__).resolve().parent.parent
expect = sync_api.expect
PROFILE = {"phone": "13800138000", "ethnicity": "汉族", "birth_date": "2004-05-06", "id_card": "440106200405061234",
           "native_place": "广东广州", "grade": "2022级", "enrollment_date": "2022-09-01"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("mobile_activist")
    data_dir = tmp / "data"
    with demo_server(data_dir, 30, d.DEMO_PASSWORD) as base:
        yield base, data_dir


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as b:
        yield b


@pytest.fixture
def picture(tmp_path) -> Path:
    from PIL import Image

    path = tmp_path / "scan.jpg"
    Image.new("RGB", (1200, 1600), (250, 250, 245)).save(path, quality=85)
    return path


def in_db(data_dir, fn):
    """Run ``await fn(session)`` on the server's database and commit (its own event loop:
    Playwright's sync API holds this thread's)."""
    from core.db import Database
    from core.settings import Settings

    async def run():
        db = Database(Settings(data_dir=data_dir, env="test", database_url=""))
        try:
            async with db.sessionmaker() as s:
                result = await fn(s)
                await s.commit()
                return result
        finally:
            await db.engine.dispose()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(run())).result()


def local_now() -> datetime:
    return (datetime.now(timezone.utc) + timedelta(hours=8)).replace(tzinfo=None, microsecond=0)


def activist(site, step: str) -> dict:
    """A new student whose profile is complete and who stands at activist/``step`` (with the
    step's tasks and a cultivation contact); answers the student with ``record_id`` and ``contact``."""
    base, data_dir = site
    student = d.new_student(base)
    c = d.client(base, student["username"], student["password"])
    d.data(c.post("/api/mp/v1/profile/submit", json={"name": student["name"], "student_no": student["username"],
                                                    "gender": "女", "political_status": "共青团员", **PROFILE}))
    branch = d.branch_admin_of(base, student)
    contact_id = d.data(branch.get("/api/pc/v1/development/activists/contact/candidates"))["options"][0]["value"]

    async def place(s):
        from core.workflow import assignments, tasks as task_store
        from core.workflow.models import DevelopmentRecord
        from plugins.dev_activist.stage import STAGE

        milestones = {"applied_at": (date.today() - timedelta(days=700)).isoformat(),
                      "activist_at": (date.today() - timedelta(days=400)).isoformat()}
        record = DevelopmentRecord(user_id=student["id"], stage="activist", step=step, milestones=milestones)
        s.add(record)
        await s.flush()
        await task_store.create_for(s, [record], "activist", next(x for x in STAGE.steps if x.key == step), datetime.utcnow())
        await assignments.assign(s, [record.id], "contact", user_ids=[contact_id])
        return record.id
    record_id = in_db(data_dir, place)
    contact = d.data(d.client(base, "dangwei").get(f"/api/pc/v1/users/{contact_id}"))
    return {**student, "record_id": record_id, "contact": {**contact, "password": d.DEMO_PASSWORD}}


def test_recommendation_form_generated_uploaded_and_withdrawn(site, browser, picture):
    base, _ = site
    student = activist(site, "recommendation")
    with phone(browser, base) as ph:
        ph.open()
        ph.login(student["username"], student["password"])
        card = ph.page.locator(".todo").filter(has_text="推优登记表")
        expect(card).to_be_visible()
        ph.tap("去处理", card)
        screen = ph.screen("/development/recommendation")
        with ph.page.expect_download() as got:
            ph.tap("生成推优登记表", screen)
        assert got.value.suggested_filename.startswith("推优登记表")
        screen.locator('input[data-pick="album"]').set_input_files(str(picture))
        expect(screen.locator("form .thumb img")).to_have_count(1)
        screen.locator("[name=signed_date]").fill(date.today().isoformat())
        ph.shot("recommendation-filled")
        ph.tap("提交", screen)
        screen = ph.screen("/development/recommendation")
        expect(screen.locator(".tag").filter(has_text="待审核")).to_be_visible()
        ph.tap("撤回", screen)
        ph.tap("撤回", ph.page.locator(".dialog"))
        expect(ph.screen("/development/recommendation").locator(".tag").filter(has_text="已撤回")).to_be_visible()
        ph.assert_clean()


def test_cultivation_cards_and_a_thought_report(site, browser, picture):
    base, _ = site
    student = activist(site, "cultivation")
    with phone(browser, base) as ph:
        ph.open()
        ph.login(student["username"], student["password"])
        ph.page.locator('.tile[data-to="/development/cultivation"]').tap()
        screen = ph.screen("/development/cultivation")
        cards = screen.locator("[data-card]")
        expect(cards).to_have_count(3)
        report = screen.locator('[data-card="report"]')
        expect(report.locator(".tag").first).to_have_text("0/4")
        ph.tap("查看记录", report)
        expect(report.get_by_text("思想汇报（第四季度）")).to_be_visible()
        ph.shot("cultivation-cards")
        ph.tap("立即提交", report)
        form = ph.screen("/development/thought-reports")
        expect(form.get_by_text("各季度情况")).to_be_visible()
        form.locator('input[data-pick="album"]').set_input_files(str(picture))
        expect(form.locator("form .thumb img")).to_have_count(1)
        form.locator("[name=signed_date]").fill(date.today().isoformat())
        ph.tap("提交", form)
        expect(ph.screen("/development/thought-reports").locator(".tag").filter(has_text="待审核")).to_be_visible()
        ph.open("/development/cultivation")
        screen = ph.screen("/development/cultivation")
        ph.tap("查看记录", screen.locator('[data-card="talk"]'))
        expect(screen.get_by_text("培养联系人安排谈话后，这里会显示谈话时间和地点")).to_be_visible()
        ph.assert_clean()


def test_training_signup_and_cancel(site, browser):
    base, data_dir = site
    student = activist(site, "cultivation")
    committee = d.client(base, "dangwei")
    branch_id = d.data(d.branch_admin_of(base, student).get("/api/mp/v1/me"))["party_branch_id"]
    start = local_now() + timedelta(hours=1)
    klass = d.data(committee.post("/api/pc/v1/development/training/classes", json={
        "class_type": "activist", "title": "手机报名培训班", "publish": True, "place": "报告厅",
        "signup_start": start.isoformat(timespec="minutes"), "signup_end": (start + timedelta(days=2)).isoformat(timespec="minutes"),
        "train_start": (start + timedelta(days=3)).isoformat(timespec="minutes"), "train_end": (start + timedelta(days=4)).isoformat(timespec="minutes"),
        "quotas": [{"branch_id": branch_id, "quota": 5}]}))

    async def open_signup(s):
        from sqlalchemy import update

        from core.workflow.components.training_models import TrainingClass

        await s.execute(update(TrainingClass).where(TrainingClass.id == klass["id"]).values(
            signup_start=datetime.utcnow() - timedelta(hours=1)))
    in_db(data_dir, open_signup)
    with phone(browser, base) as ph:
        ph.open("/training")
        ph.login(student["username"], student["password"], then="/training")
        screen = ph.screen("/training")
        card = screen.locator(f'[data-class-id="{klass["id"]}"]')
        expect(card.get_by_text("报名中")).to_be_visible()
        ph.tap("报名", card)
        expect(ph.page.locator(".toast").filter(has_text="报名成功")).to_be_visible()
        card = ph.screen("/training").locator(f'[data-class-id="{klass["id"]}"]')
        expect(card.locator(".tag").filter(has_text="已报名")).to_be_visible()
        ph.shot("training-signed-up")
        ph.tap("取消报名", card)
        ph.tap("取消报名", ph.page.locator(".dialog"))
        expect(ph.page.locator(".toast").filter(has_text="已取消报名")).to_be_visible()
        expect(ph.screen("/training").locator(f'[data-class-id="{klass["id"]}"]').get_by_role("button", name="报名", exact=True)).to_be_visible()
        ph.assert_clean()


def test_contact_opens_schedules_and_records_a_quarterly_talk(site, browser):
    base, _ = site
    student = activist(site, "cultivation")
    contact = student["contact"]
    with phone(browser, base) as ph:
        ph.open()
        ph.login(contact["username"], contact["password"])
        talk_from_todo(ph, student["name"], local_now().isoformat(timespec="minutes"),
                       "第一季度谈话：学习态度端正，积极参加支部活动。")
        ph.shot("quarterly-talk-submitted")
        ph.tap("撤回", ph.page.locator('[data-screen="/talks/:id"]'))
        ph.tap("撤回", ph.page.locator(".dialog"))
        expect(ph.page.locator(".toast").filter(has_text="已撤回")).to_be_visible()
        expect(ph.page.locator('[data-screen="/talks/:id"][data-ready]').get_by_role("button", name="提交", exact=True)).to_be_visible()
        ph.assert_clean()
