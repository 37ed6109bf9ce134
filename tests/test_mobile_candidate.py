"""The candidate stage's phone screens (/m/, manual 6.3 小程序端) in headless Chromium: 自传撰写
(upload, withdraw before review, resubmit after the branch's 不通过 with its reason), the
introducer's talk from the to-do card (schedule, record) and the 发展对象培训班 signup. State is
made through the API and, for the stage's earlier steps, written into the server's database."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from playwright import sync_api

from tests.mobile import data as d
from tests.mobile.phone import launched_chromium, phone, talk_from_todo
from tests.test_mobile_activist import PROFILE, in_db, local_now, site  # noqa: F401  (the module's server)

expect = sync_api.expect
CAN = "/api/pc/v1/development/candidates"


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as b:
        yield b


@pytest.fixture
def picture(tmp_path) -> Path:
    from PIL import Image

    path = tmp_path / "autobiography.jpg"
    Image.new("RGB", (1200, 1600), (250, 250, 245)).save(path, quality=85)
    return path


def candidate(site, step: str = "cultivation") -> dict:
    """A new student with a complete profile at candidate/``step`` (with the step's tasks) and two
    introducers; answers the student with ``record_id``, ``introducer`` (the first, with password)
    and the branch admin's client as ``branch``."""
    base, data_dir = site
    student = d.new_student(base)
    c = d.client(base, student["username"], student["password"])
    d.data(c.post("/api/mp/v1/profile/submit", json={"name": student["name"], "student_no": student["username"],
                                                    "gender": "男", "political_status": "共青团员", **PROFILE}))
    branch = d.branch_admin_of(base, student)
    introducers = [o["value"] for o in d.data(branch.get(f"{CAN}/introducer/candidates"))["options"][:2]]

    async def place(s):
        from core.workflow import assignments, tasks as task_store
        from core.workflow.models import DevelopmentRecord
        from plugins.dev_candidate.stage import STAGE

        today = date.today()
        milestones = {"applied_at": (today - timedelta(days=800)).isoformat(),
                      "activist_at": (today - timedelta(days=500)).isoformat(),
                      "candidate_at": (today - timedelta(days=10)).isoformat()}
        record = DevelopmentRecord(user_id=student["id"], stage="candidate", step=step, milestones=milestones)
        s.add(record)
        await s.flush()
        await task_store.create_for(s, [record], "candidate", next(x for x in STAGE.steps if x.key == step), datetime.utcnow())
        await assignments.assign(s, [record.id], "introducer", user_ids=introducers)
        return record.id
    record_id = in_db(data_dir, place)
    introducer = d.data(d.client(base, "dangwei").get(f"/api/pc/v1/users/{introducers[0]}"))
    return {**student, "record_id": record_id, "branch": branch,
            "introducer": {**introducer, "password": d.DEMO_PASSWORD}}


def hand_in(ph, screen, picture) -> None:
    screen.locator('input[data-pick="album"]').set_input_files(str(picture))
    expect(screen.locator("form .thumb img")).to_have_count(1)
    screen.locator("[name=signed_date]").fill(date.today().isoformat())
    ph.tap("提交", screen)


def test_autobiography_uploaded_withdrawn_and_resubmitted_after_the_branchs_refusal(site, browser, picture):
    base, _ = site
    student = candidate(site)
    with phone(browser, base) as ph:
        ph.open()
        ph.login(student["username"], student["password"])
        ph.page.locator('.tile[data-to="/development/autobiography"]').tap()
        screen = ph.screen("/development/autobiography")
        hand_in(ph, screen, picture)
        screen = ph.screen("/development/autobiography")
        expect(screen.locator(".tag").filter(has_text="待审核")).to_be_visible()
        ph.tap("撤回", screen)
        ph.tap("撤回", ph.page.locator(".dialog"))
        screen = ph.screen("/development/autobiography")
        expect(screen.locator(".tag").filter(has_text="已撤回")).to_be_visible()
        hand_in(ph, screen, picture)
        expect(ph.screen("/development/autobiography").locator(".tag").filter(has_text="待审核")).to_be_visible()

        d.data(student["branch"].post(f"{CAN}/autobiography/review", json={
            "record_ids": [student["record_id"]], "approve": False, "reason": "请补充家庭主要成员情况"}))
        ph.page.reload()  # the branch decided meanwhile: the screen reads the submission again
        screen = ph.screen("/development/autobiography")
        expect(screen.get_by_text("退回原因：请补充家庭主要成员情况")).to_be_visible()
        expect(screen.get_by_text("重新提交自传")).to_be_visible()
        hand_in(ph, screen, picture)
        expect(ph.screen("/development/autobiography").locator(".tag").filter(has_text="待审核")).to_be_visible()
        ph.shot("candidate-autobiography-resubmitted")
        ph.assert_clean()


def test_introducer_schedules_and_records_the_talk_from_the_todo(site, browser):
    base, data_dir = site
    student = candidate(site)
    introducer = student["introducer"]
    with phone(browser, base) as ph:
        ph.open()
        ph.login(introducer["username"], introducer["password"])
        talk_from_todo(ph, student["name"], local_now().isoformat(timespec="minutes"),
                       "入党介绍人谈话：对党的认识进一步加深，学习工作表现突出。")
        ph.shot("introducer-talk-submitted")
        ph.assert_clean()

    async def talk(s):
        from sqlalchemy import select

        from core.workflow.components.talk import Talk

        return (await s.execute(select(Talk.kind, Talk.status, Talk.content).where(
            Talk.record_id == student["record_id"]))).all()
    assert [(k, st, c[:7]) for k, st, c in in_db(data_dir, talk)] == [("introducer_talk", "submitted", "入党介绍人谈话")]


def test_candidate_signs_up_for_the_party_school(site, browser):
    base, data_dir = site
    student = candidate(site)
    committee = d.client(base, "dangwei")
    branch_id = d.data(student["branch"].get("/api/mp/v1/me"))["party_branch_id"]
    start = local_now() + timedelta(hours=1)
    klass = d.data(committee.post("/api/pc/v1/development/training/classes", json={
        "class_type": "candidate", "title": "发展对象培训班（手机报名）", "publish": True, "place": "党校报告厅",
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
        card = ph.screen("/training").locator(f'[data-class-id="{klass["id"]}"]')
        expect(card.get_by_text("报名中")).to_be_visible()
        ph.tap("报名", card)
        expect(ph.page.locator(".toast").filter(has_text="报名成功")).to_be_visible()
        card = ph.screen("/training").locator(f'[data-class-id="{klass["id"]}"]')
        expect(card.locator(".tag").filter(has_text="已报名")).to_be_visible()
        ph.shot("candidate-training-signed-up")
        ph.assert_clean()

    async def signed(s):
        from sqlalchemy import select

        from core.workflow.components.training_models import TrainingSignup

        return (await s.execute(select(TrainingSignup.stage, TrainingSignup.status).where(
            TrainingSignup.class_id == klass["id"], TrainingSignup.record_id == student["record_id"]))).one()
    assert tuple(in_db(data_dir, signed)) == ("candidate", "signed_up")
