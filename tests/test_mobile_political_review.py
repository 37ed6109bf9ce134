"""The 政治审查 phone screen (core/mobile/app/screens/development/political_review.js) on a phone
in headless Chromium, against a private server with the throwaway candidate stage: the to-do
card opens it, a wrong phone number is shown under its field, the two relatives are
submitted and shown, and after 确认信息填报 the form is gone."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright import sync_api
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from tests.candidate_kit import stage_owners
from tests.live_server import demo_server
from tests.mobile import data as d
from tests.mobile.phone import launched_chromium, phone

ROOT = Path(__file__).resolve().parent.parent
API = "/api/pc/v1/development/kit-candidate/political-review"
SCREEN = "/development/kit-political-review"
expect = sync_api.expect


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("mobile_political")
    data_dir = tmp / "data"
    extra = {"XIANFENG_PLUGINS__EXTRA": '["tests.plugins.candidate_kit_stage"]', "PYTHONPATH": str(ROOT),
             "XIANFENG_PLUGINS__DISABLED": json.dumps(stage_owners(tmp, "candidate"))}
    with demo_server(data_dir, 10, d.DEMO_PASSWORD, **extra) as base:
        yield base, data_dir


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as b:
        yield b


def in_review(site) -> tuple[dict, int]:
    """A new student at the throwaway stage's 培育考察 with 政治审查 open, listed in a review
    the committee has confirmed (state 填报政审信息)."""
    from core.models import utcnow
    from core.workflow.models import DevelopmentRecord, Task

    base, data_dir = site
    student = d.new_student(base)
    d.data(d.client(base, student["username"], student["password"]).post("/api/mp/v1/profile/submit", json={
        "name": student["name"], "student_no": student["username"], "gender": "男", "political_status": "共青团员",
        "phone": "13800138000", "ethnicity": "汉族", "birth_date": "2004-05-06", "id_card": "440106200405061234",
        "native_place": "广东广州", "grade": "2022级", "enrollment_date": "2022-09-01"}))  # no 个人信息完善 prompt
    with Session(create_engine(f"sqlite:///{data_dir / 'xianfeng.db'}")) as s:
        record = DevelopmentRecord(user_id=student["id"], stage="candidate", step="cultivation")
        s.add(record)
        s.flush()
        s.add(Task(record_id=record.id, stage="candidate", step="cultivation", key="political_review", title="政治审查",
                   created_at=utcnow()))
        s.commit()
        record_id = record.id
    committee = d.client(base, "dangwei")
    review = d.data(committee.post(API, json={"title": "手机端政审"}))["id"]
    d.data(committee.put(f"{API}/{review}/people", json={"record_ids": [record_id]}))
    d.data(committee.post(f"{API}/{review}/confirm-list"))
    return student, review


def fill(page, i: int, name: str, relation: str, unit: str, status: str, tel: str) -> None:
    page.locator(f'input[name="relatives.{i}.name"]').fill(name)
    page.locator(f'select[name="relatives.{i}.relation"]').select_option(relation)
    page.locator(f'input[name="relatives.{i}.work_unit"]').fill(unit)
    page.locator(f'select[name="relatives.{i}.political_status"]').select_option(status)
    page.locator(f'input[name="relatives.{i}.phone"]').fill(tel)


def test_a_candidate_fills_two_relatives_on_the_phone(site, browser):
    base, _ = site
    student, review = in_review(site)
    with phone(browser, base) as ph:
        ph.open("/home")
        ph.login(student["username"], student["password"], then="/home")
        home = ph.screen("/home")
        card = home.locator("article.todo", has_text="请填写直系亲属政审信息")
        expect(card).to_be_visible()
        card.get_by_role("button", name="去处理").tap()
        screen = ph.screen(SCREEN)
        expect(screen).to_contain_text("填报政审信息")
        fill(ph.page, 0, "张父", "父亲", "某市第一中学", "中共党员", "12345")
        fill(ph.page, 1, "张母", "母亲", "某县人民医院", "群众", "0571-88886666")
        ph.expect_refusal(422, "/api/mp/v1/development/kit-political-review")
        ph.tap("提交", screen)
        error = screen.locator('[data-field="relatives.0.phone"] .field-error')
        expect(error).to_have_text("联系电话应为11位手机号或带区号的固定电话")
        ph.page.locator('input[name="relatives.0.phone"]').fill("13800000001")
        ph.tap("提交", screen)
        screen = ph.screen(SCREEN)
        expect(screen).to_contain_text("已提交，学院党委确认前可以修改。")
        expect(screen.get_by_role("button", name="修改并提交")).to_be_visible()
        ph.shot("political-review-filled")
        me = d.client(base, student["username"], student["password"])
        saved = d.data(me.get("/api/mp/v1/development/kit-political-review"))
        assert [(r["name"], r["relation"], r["phone"]) for r in saved["relatives"]] == [
            ("张父", "父亲", "13800000001"), ("张母", "母亲", "0571-88886666")]
        d.data(d.client(base, "dangwei").post(f"{API}/{review}/confirm-info"))
        ph.page.reload()
        screen = ph.screen(SCREEN)
        expect(screen).to_contain_text("政审信息已确认，正在审查中。")
        expect(screen).to_contain_text("某县人民医院")
        assert screen.locator("form").count() == 0
        ph.assert_clean()
