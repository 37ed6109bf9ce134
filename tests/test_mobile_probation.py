"""The probation issue's phone screens (/m/) in headless Chromium (375×667, touch), on a private
`xianfeng run` with the throwaway stages of tests/plugins/probation_stage.py: a member scans the
meeting's 签到码 (and a wrong code), sees the meeting in 组织生活 with the attendance; a
发展对象 opens the issued 入党志愿书 from the to-do (number, template download); a 预备党员 submits
the committee talk time. State is made through the API, records through the server's database."""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from playwright import sync_api

from tests.live_server import demo_server
from tests.mobile import data as d
from tests.mobile.phone import launched_chromium, phone
from tests.probation_helpers import ORG_LIFE, RECEPTION_API, stage_owners

ROOT = Path(__file__).resolve().parent.parent
expect = sync_api.expect


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("mobile_probation")
    data_dir = tmp / "data"
    extra = {"XIANFENG_PLUGINS__EXTRA": '["tests.plugins.probation_stage"]',
             "XIANFENG_PLUGINS__DISABLED": json.dumps(stage_owners(tmp)), "PYTHONPATH": str(ROOT)}
    with demo_server(data_dir, 30, d.DEMO_PASSWORD, **extra) as base:
        yield base, data_dir / "xianfeng.db"


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as b:
        yield b


def at(minutes: float) -> str:
    return (datetime.now(timezone.utc) + timedelta(minutes=minutes)).isoformat()


def branch_people(base: str) -> tuple[list[dict], list[dict]]:
    """(formal members, other students) of branch A's demo students, as the committee sees them."""
    c, branch = d.client(base, "dangwei"), d.client(base, "zhibu04")
    members = {o["value"] for o in d.data(branch.get(f"{RECEPTION_API}/talkers"))["options"]}
    me = d.data(branch.get("/api/pc/v1/me"))
    users = [u for u in d.data(c.get("/api/pc/v1/users", params={"per_page": 500}))["items"]
             if u["party_branch_id"] == me["party_branch_id"] and (u["student_no"] or "").isdigit()]
    return [u for u in users if u["id"] in members], [u for u in users if u["id"] not in members]


def place(db: Path, user_id: int, stage: str, step: str, milestones: dict | None = None) -> None:
    """A development record at a step of the throwaway stages (earlier stages have no plugin here)."""
    now = datetime.now(timezone.utc).replace(tzinfo=None).isoformat(sep=" ")
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO dev_record (user_id, stage, step, status, failure_code, failure_final, version, step_entered_at,"
                     " milestones, warnings, created_at, updated_at) VALUES (?, ?, ?, 'active', '', 0, 1, ?, ?, '[]', ?, ?)",
                     (user_id, stage, step, now, json.dumps(milestones or {}), now, now))


def record_of(base: str, user_id: int) -> int:
    rows = d.data(d.client(base, "zhibu04").get(RECEPTION_API, params={"per_page": 500}))["items"]
    return next(r["id"] for r in rows if r["user_id"] == user_id)


def test_member_scans_the_sign_in_code_and_sees_the_meeting(site, browser):
    base, _ = site
    members, _ = branch_people(base)
    member = members[0]
    branch = d.client(base, "zhibu04")
    mid = d.data(branch.post(ORG_LIFE, json={"type": "lecture", "title": "专题党课：学习党章", "start_at": at(-10), "end_at": at(50),
                                              "place": "党员活动室 302", "scope": "members"}))["id"]
    d.data(branch.post(f"{ORG_LIFE}/{mid}/publish"))
    sign_in = d.data(branch.get(f"{ORG_LIFE}/{mid}/code/sign-in"))["url"]
    sign_out = d.data(branch.get(f"{ORG_LIFE}/{mid}/code/sign-out"))["url"]
    assert sign_in.startswith(f"{base}/m/#/org-life/{mid}/sign-in?code=")
    with phone(browser, base) as ph:
        ph.page.goto(sign_in)  # what the phone's camera opens
        ph.login(member["username"], d.DEMO_PASSWORD, then="/org-life/:id/sign-in")
        done = ph.screen("/org-life/:id/sign-in")
        expect(done.get_by_text("签到成功")).to_be_visible()
        expect(done.get_by_text("已签到")).to_be_visible()
        ph.shot("meeting-signed-in")
        # the sign-in code shown as a sign-out code is refused, saying why
        ph.expect_refusal(409, f"/org-life/{mid}/sign-out")
        ph.page.goto(sign_in.replace("/sign-in?", "/sign-out?"))
        refused = ph.screen("/org-life/:id/sign-out")
        expect(refused.get_by_text("这是签到码，请扫描签退码")).to_be_visible()
        ph.page.goto(sign_out)
        expect(ph.screen("/org-life/:id/sign-out").get_by_text("签退成功")).to_be_visible()
        ph.tap("查看会议详情")
        detail = ph.screen("/org-life/:id")
        expect(detail.get_by_text("党员活动室 302")).to_be_visible()
        expect(detail.get_by_text("已签退")).to_be_visible()
        ph.shot("meeting-detail")
        ph.open("/home")
        ph.page.locator('.tile[data-to="/org-life"]').tap()
        listing = ph.screen("/org-life")
        expect(listing.locator(".row").filter(has_text="专题党课：学习党章")).to_be_visible()
        ph.assert_clean()


def test_candidate_opens_the_issued_application_form_from_the_todo(site, browser):
    base, db = site
    _, students = branch_people(base)
    student = students[0]
    place(db, student["id"], "reception", "form")
    rid = record_of(base, student["id"])
    committee = d.client(base, "dangwei")
    form = f"{RECEPTION_API}/application-form"
    d.data(committee.post(f"{form}/ranges", json={"year": 2026, "first": 20260001, "last": 20260500}))
    d.data(committee.post(f"{form}/assign", json={"items": [{"record_id": rid, "number": 20260088}]}))
    d.data(committee.post(f"{form}/issue", json={"record_ids": [rid]}))
    with phone(browser, base) as ph:
        ph.open()
        ph.login(student["username"], d.DEMO_PASSWORD)
        card = ph.page.locator(".todo").filter(has_text="入党志愿书")
        expect(card).to_be_visible()
        card.get_by_role("button", name="去处理").tap()
        screen = ph.screen("/development/application-form")
        expect(screen.locator(".big-number")).to_have_text("20260088")
        expect(screen.get_by_text("已下发")).to_be_visible()
        ph.shot("application-form")
        with ph.page.expect_download() as download:
            ph.tap("查看填写模版", screen)
        assert download.value.suggested_filename.endswith("20260088.pdf")
        ph.assert_clean()


def test_probationary_member_submits_the_committee_talk_time(site, browser):
    base, db = site
    members, students = branch_people(base)
    student = students[1]
    place(db, student["id"], "reception", "ctalk", {"received_at": "2026-03-01"})
    rid = record_of(base, student["id"])
    committee = d.client(base, "dangwei")
    talk = f"{RECEPTION_API}/committee-talk"
    d.data(committee.post(f"{talk}/assign", json={"record_ids": [rid], "talker_id": members[0]["id"]}))
    d.data(committee.post(f"{talk}/flow", json={"record_ids": [rid]}))
    when = (datetime.now() + timedelta(days=5)).replace(hour=14, minute=30, second=0, microsecond=0)
    with phone(browser, base) as ph:
        ph.open()
        ph.login(student["username"], d.DEMO_PASSWORD)
        ph.page.locator(".todo").filter(has_text="谈话").get_by_role("button", name="去处理").tap()
        screen = ph.screen("/development/committee-talk")
        expect(screen.get_by_text("谈话前请准备")).to_be_visible()
        expect(screen.get_by_text("待填写谈话时间")).to_be_visible()
        screen.locator("[name=scheduled_at]").fill(when.strftime("%Y-%m-%dT%H:%M"))
        ph.tap("提交", screen)
        screen = ph.screen("/development/committee-talk")
        expect(screen.get_by_text("待确认谈话")).to_be_visible()
        expect(screen.get_by_text(when.strftime("%Y-%m-%d %H:%M"))).to_be_visible()
        ph.shot("committee-talk")
        ph.assert_clean()
    row = next(r for r in d.data(committee.get(RECEPTION_API, params={"per_page": 500}))["items"] if r["id"] == rid)
    assert row["test_committee_talk_status"] == "scheduled"
