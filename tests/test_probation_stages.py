"""The reception and conversion stages (plugins/dev_probation, manual 6.4 and 6.5, PRO-R1..10,
PRO-1..10) over the API: people placed at reception's first step through every step of both
stages to 中共党员 with the probation year moved by the test; the reception vote 不同意 then a
re-vote; both delays; a final 不同意 that refuses 重新发展; the refusals of the new steps
(QR codes, the majority rule at its edge, a 志愿书 number clash, completion refused with the
list then accepted, the conversion application before it is opened); rights from outside."""
import re
from datetime import date

import pytest

from tests.activist_helpers import ok, today
from tests.probation_flow import CONV, MP, REC, Flow, ids, stage_app, vote


@pytest.fixture(scope="module")
def flow(tmp_path_factory):
    with stage_app(tmp_path_factory.mktemp("probation_stages")) as f:
        yield f


def test_two_people_through_every_step_of_both_stages_to_full_member(flow: Flow):
    env = flow.env
    early, filed_now = flow.place(1)[0], flow.place(1, filed_this_semester=True)[0]
    people = [early, filed_now]
    flow.condition(people)
    flow.at(people, "reception", "pre_talk")
    # only the one not filed this semester has the symposium task
    progress = ok(flow.branch.get(f"{REC}/pre-talk-progress/progress", params={"per_page": 100}))["data"]["items"]
    kinds = {row["id"]: {t["key"] for t in row["tasks"]} for row in progress if row["id"] in ids(people)}
    assert kinds == {early.record_id: {"talk", "symposium"}, filed_now.record_id: {"talk"}}, progress
    flow.pre_talk(people)
    flow.at(people, "reception", "publicity")
    flow.publicize(REC, people)
    flow.at(people, "reception", "committee_meeting")
    flow.committee_meeting(people)
    flow.filing(REC, "pre-review", people)
    flow.at(people, "reception", "application_form")
    flow.application_form(people)
    assert early.api.get(f"{MP}/application-form").json()["form"]["status"] == "submitted"
    flow.at(people, "reception", "general_meeting")
    _, r = flow.general_meeting("reception", people, [vote(p.record_id, "agree", 3) for p in people])
    ok(r)
    flow.at(people, "reception", "committee_talk")
    flow.committee_talk(people)
    flow.filing(REC, "approval", people)
    flow.filing(REC, "higher-filing", people)
    flow.at(people, "conversion", "party_group")
    assert env.status_of(early.record_id) == "中共预备党员"
    assert "grouped_at" not in env.records([early.record_id])[early.record_id].milestones
    flow.age(people, 400)  # the probation year: every date so far moves a year and more back
    grouped_on = today()
    flow.to_conversion_meeting(people)
    flow.at(people, "conversion", "general_meeting")
    _, r = flow.general_meeting("conversion", people, [vote(p.record_id, "agree", 4) for p in people])
    ok(r)
    flow.filing(CONV, "approval", people)
    flow.at(people, "conversion", "complete")
    report = ok(flow.branch.post(f"{CONV}/complete/check", json={"record_ids": ids(people)}))["data"]
    assert report["ready"] == 2, [(i["problems"], i.get("warnings")) for i in report["items"]]
    ok(flow.branch.post(f"{CONV}/complete/finish", json={"record_ids": ids(people)}))
    recs = env.records(ids(people))
    assert {r.status for r in recs.values()} == {"done"}
    assert all(env.status_of(p.record_id) == "中共党员" for p in people)
    ends = {i["record_id"]: i["probation_end"] for i in report["items"]}
    received = date.fromisoformat(recs[early.record_id].milestones["received_at"])
    assert ends[early.record_id] == received.replace(year=received.year + 1).isoformat()
    assert recs[early.record_id].milestones["full_member_at"] == ends[early.record_id]
    assert recs[early.record_id].milestones["grouped_at"] in {grouped_on.isoformat(), today().isoformat()}  # 编入党小组


def at_general_meeting(flow: Flow, stage: str, n: int):
    """``n`` people at the general meeting's step of ``stage``, by every step before it."""
    people = flow.place(n)
    flow.condition(people)
    flow.pre_talk(people)
    flow.publicize(REC, people)
    flow.committee_meeting(people)
    flow.filing(REC, "pre-review", people)
    flow.application_form(people)
    if stage == "conversion":
        ok(flow.general_meeting("reception", people, [vote(p.record_id, "agree", 3) for p in people])[1])
        flow.committee_talk(people)
        flow.filing(REC, "approval", people)
        flow.filing(REC, "higher-filing", people)
        flow.age(people, 400)
        flow.to_conversion_meeting(people)
    flow.at(people, stage, "general_meeting")
    return people


def test_reception_vote_refused_then_revoted_and_the_majority_rule_at_its_edge(flow: Flow):
    env = flow.env
    agree, reject = at_general_meeting(flow, "reception", 2)
    # 4 voters, 3 present: exactly half (2 of 4) carries nothing; the record is refused and nothing moves
    mid, r = flow.general_meeting("reception", [agree, reject], [vote(agree.record_id, "agree", 2, 1), vote(reject.record_id, "reject", 1, 2)],
                                  voters=flow.voters[:4], present=3)
    assert r.status_code == 422 and "赞成2票，未超过应到4人的半数" in r.json()["msg"], r.text
    flow.at([agree, reject], "reception", "general_meeting")
    r = flow.branch.post(f"/api/pc/v1/development/org-life/{mid}/record",
                         json={"minutes": "讨论", "items": [vote(agree.record_id, "agree", 3), vote(reject.record_id, "reject", 1, 2)]})
    ok(r)
    assert flow.where([agree])[agree.record_id] == ("reception", "committee_talk", "active")
    assert flow.where([reject])[reject.record_id] == ("reception", "general_meeting", "支部大会-不通过")
    rec = env.records([reject.record_id])[reject.record_id]
    assert not rec.failure_final and "received_at" not in rec.milestones
    assert any("不同意接收" in title for title, _, _ in env.messages(reject.user_id))
    # 重新流转表决: back to 入党志愿书管理 (not by another branch), confirmed again, then a new meeting that agrees
    assert env.other.post("/api/pc/v1/development/revote", json={"record_ids": [reject.record_id]}).status_code == 404
    assert reject.api.post("/api/pc/v1/development/revote", json={"record_ids": [reject.record_id]}).status_code == 403
    ok(flow.branch.post("/api/pc/v1/development/revote", json={"record_ids": [reject.record_id]}))
    flow.at([reject], "reception", "application_form")
    ok(flow.branch.post(f"{REC}/application-form/confirm", json={"record_ids": [reject.record_id], "day": today().isoformat()}))
    ok(flow.general_meeting("reception", [reject], [vote(reject.record_id, "agree", 4)])[1])
    flow.at([reject], "reception", "committee_talk")
    assert env.records([reject.record_id])[reject.record_id].milestones["received_at"] == today().isoformat()


def test_conversion_delays_move_the_probation_end_and_a_final_refusal_refuses_redevelopment(flow: Flow):
    env = flow.env
    half, year, refuse = at_general_meeting(flow, "conversion", 3)
    received = {p.record_id: date.fromisoformat(env.records([p.record_id])[p.record_id].milestones["received_at"])
                for p in (half, year)}
    ok(flow.general_meeting("conversion", [half, year, refuse], [vote(half.record_id, "half", 4), vote(year.record_id, "year", 3),
                                                                 vote(refuse.record_id, "refuse", 1, 4)])[1])
    recs = env.records(ids([half, year, refuse]))

    def plus(day: date, months: int) -> str:
        m = day.month - 1 + months
        return day.replace(year=day.year + m // 12, month=m % 12 + 1).isoformat()
    assert (recs[half.record_id].step, recs[half.record_id].milestones["probation_end"]) == (
        "pre_review", plus(received[half.record_id], 18))
    assert (recs[year.record_id].step, recs[year.record_id].milestones["probation_end"]) == (
        "pre_review", plus(received[year.record_id], 24))
    assert (recs[refuse.record_id].failure_code, recs[refuse.record_id].failure_final) == ("支部大会-不通过", True)
    r = flow.branch.post("/api/pc/v1/development/redevelop", json={"record_ids": [refuse.record_id]})
    assert r.status_code == 409 and "最终结果" in r.json()["msg"]
    assert flow.branch.post("/api/pc/v1/development/revote", json={"record_ids": [refuse.record_id]}).status_code == 409
    assert env.status_of(refuse.record_id) == "中共预备党员"
    # the delayed ones go through the pre-review again and attend a later meeting; the extended probation
    # must have ended before the process can be completed
    flow.filing(CONV, "pre-review", [half])
    ok(flow.general_meeting("conversion", [half], [vote(half.record_id, "agree", 3)])[1])
    flow.filing(CONV, "approval", [half])
    flow.at([half], "conversion", "complete")
    r = flow.branch.post(f"{CONV}/complete/finish", json={"record_ids": [half.record_id]})
    assert r.status_code == 409 and "预备期" in r.text, r.text
    flow.age([half], 200)
    ok(flow.branch.post(f"{CONV}/complete/finish", json={"record_ids": [half.record_id]}))
    assert env.status_of(half.record_id) == "中共党员"


def test_completion_refused_with_the_list_then_accepted(flow: Flow):
    from sqlalchemy import delete

    from core.workflow.models import Document

    env = flow.env
    people = at_general_meeting(flow, "conversion", 2)
    ok(flow.general_meeting("conversion", people, [vote(p.record_id, "agree", 5) for p in people])[1])
    flow.filing(CONV, "approval", people)
    lacking = people[0]

    async def lose(s, e):
        await s.execute(delete(Document).where(Document.record_id == lacking.record_id, Document.kind == "conversion_application"))
    env.run(lose)
    r = flow.branch.post(f"{CONV}/complete/finish", json={"record_ids": ids(people)})
    assert r.status_code == 409 and r.json()["msg"].startswith("以下人员不能完成发展流程"), r.text
    assert [e["label"] for e in r.json()["errors"]] == [lacking.name]
    assert "《转正申请书》" in r.json()["errors"][0]["msg"]
    assert {x.status for x in env.records(ids(people)).values()} == {"active"}  # all or nothing
    assert flow.env.other.post(f"{CONV}/complete/finish", json={"record_ids": [people[1].record_id]}).status_code == 404
    assert people[1].api.post(f"{CONV}/complete/finish", json={"record_ids": [people[1].record_id]}).status_code == 403
    ok(flow.branch.post(f"{CONV}/complete/finish", json={"record_ids": [people[1].record_id]}))
    assert env.status_of(people[1].record_id) == "中共党员"


def test_conversion_application_waits_for_the_branch_to_open_it(flow: Flow):
    people = flow.place(1)
    p = people[0]

    async def to_application(s, e):
        from core.workflow.models import DevelopmentRecord

        (await s.get(DevelopmentRecord, p.record_id)).stage = "conversion"
        (await s.get(DevelopmentRecord, p.record_id)).step = "conversion_application"
    flow.env.run(to_application)
    body = {"files": [flow.file_token(p.api)], "signed_date": today().isoformat()}
    r = p.api.post(f"{MP}/conversion-application", json=body)
    assert r.status_code == 409 and "尚未开放转正申请" in r.json()["msg"]
    assert flow.env.other.post(f"{CONV}/conversion-application/open", json={"record_ids": [p.record_id]}).status_code == 404
    assert p.api.post(f"{CONV}/conversion-application/open", json={"record_ids": [p.record_id]}).status_code == 403
    ok(flow.branch.post(f"{CONV}/conversion-application/open", json={"record_ids": [p.record_id]}))
    assert flow.branch.post(f"{CONV}/conversion-application/open", json={"record_ids": [p.record_id]}).status_code == 409
    assert any(title == "请提交转正申请书" for title, _, _ in flow.env.messages(p.user_id))
    row = next(x for x in ok(flow.branch.get(CONV, params={"per_page": 500}))["data"]["items"] if x["id"] == p.record_id)
    assert row["conversion_application_opened"] is True
    ok(p.api.post(f"{MP}/conversion-application", json=body))
    ok(p.api.post(f"{MP}/conversion-application/withdraw"))
    ok(p.api.post(f"{MP}/conversion-application", json={**body, "files": [flow.file_token(p.api)]}))
    r = flow.branch.post(f"{CONV}/conversion-application/result", json={"record_ids": [p.record_id], "result": "pass"})
    assert r.status_code == 422  # the date
    r = flow.branch.post(f"{CONV}/conversion-application/result", json={"record_ids": [p.record_id], "result": "fail", "reason": "x"})
    assert r.status_code in (409, 422), r.text  # no 不通过 at this step: confirm or return only
    assert flow.where([p])[p.record_id] == ("conversion", "conversion_application", "active")
    ok(flow.branch.post(f"{CONV}/conversion-application/result", json={"record_ids": [p.record_id], "result": "return",
                                                                      "reason": "请补充签名"}))
    assert p.api.get(f"{MP}/conversion-application").json()["conversion_application"]["reason"] == "请补充签名"
    ok(p.api.post(f"{MP}/conversion-application", json={**body, "files": [flow.file_token(p.api)]}))
    ok(flow.branch.post(f"{CONV}/conversion-application/result", json={"record_ids": [p.record_id], "result": "pass",
                                                                      "day": today().isoformat()}))
    assert flow.where([p])[p.record_id] == ("conversion", "symposium", "active")
    assert flow.env.records([p.record_id])[p.record_id].milestones["conversion_applied_at"] == today().isoformat()


def test_qr_sign_in_refusals_on_the_reception_meeting(flow: Flow):
    from datetime import datetime, timedelta

    from core.workflow.components.general_meeting_codes import make_code

    env = flow.env
    people = flow.place(1)
    flow.condition(people)
    flow.pre_talk(people)
    flow.publicize(REC, people)
    flow.committee_meeting(people)
    flow.filing(REC, "pre-review", people)
    flow.application_form(people)
    mid = env.meeting(vote="reception", voters=flow.voters[:3], people=ids(people))
    other = env.meeting(type_="lecture", scope="members")
    voter, person = env.as_user(flow.voters[0]), people[0].api
    code_in, code_out = env.code(mid, "sign-in"), env.code(mid, "sign-out")
    r = env.scan(voter, mid, code_out, "sign-out")
    assert r.status_code == 409 and r.json()["msg"] == "您尚未签到，不能签退"
    r = env.scan(voter, mid, env.code(other, "sign-in"))
    assert r.status_code == 409 and "不是本次会议的签到码" in r.json()["msg"]
    expired = make_code(env.app.state.settings.secret_key, mid, "sign-in", datetime.utcnow() - timedelta(minutes=1))
    r = env.scan(voter, mid, expired)
    assert r.status_code == 409 and r.json()["msg"] == "签到码已过期"
    stranger = env.as_user(env.users(1, "中共党员", branch=env.other)[0])
    r = env.scan(stranger, mid, code_in)
    assert r.status_code == 403 and "不在本次会议的参会名单中" in r.json()["msg"]
    # the person voted on attends whatever the scope; voters and the person sign in and out
    for api in (voter, person):
        assert env.scan(api, mid, code_in).json()["attendance"]["status"] == "signed_in"
    assert env.scan(person, mid, code_out, "sign-out").json()["attendance"]["status"] == "signed_out"
    assert person.get(f"{MP}/org-life/{mid}").json()["attendance"]["status_label"] == "已签退"
    env.end(mid)
    r = env.scan(env.as_user(flow.voters[1]), mid, code_in)
    assert r.status_code == 409 and r.json()["msg"] == "签到码已过期"
    ok(flow.branch.post(f"/api/pc/v1/development/org-life/{mid}/attendance", json={"user_ids": flow.voters[1:2], "action": "supplement"}))
    ok(flow.branch.post(f"/api/pc/v1/development/org-life/{mid}/confirm-attendance"))
    ok(flow.branch.post(f"/api/pc/v1/development/org-life/{mid}/record",
                        json={"minutes": "讨论", "items": [vote(people[0].record_id, "agree", 2)]}))
    flow.at(people, "reception", "committee_talk")


def test_application_form_number_clash_is_refused(flow: Flow):
    a, b = flow.place(2)
    year = flow.form_year()

    async def to_form(s, e):
        from core.workflow.models import DevelopmentRecord

        for p in (a, b):
            (await s.get(DevelopmentRecord, p.record_id)).step = "application_form"
    flow.env.run(to_form)
    c = flow.committee
    number = year * 10000 + 9000
    assert flow.branch.post(f"{REC}/application-form/assign", json={"items": [{"record_id": a.record_id, "number": number}]}).status_code == 403
    r = c.post(f"{REC}/application-form/assign", json={"items": [{"record_id": a.record_id, "number": number},
                                                                  {"record_id": b.record_id, "number": number}]})
    assert r.status_code == 422 and r.json()["msg"] == "同一编号不能分配给多人", r.text
    ok(c.post(f"{REC}/application-form/assign", json={"items": [{"record_id": a.record_id, "number": number}]}))
    r = c.post(f"{REC}/application-form/assign", json={"items": [{"record_id": b.record_id, "number": number}]})
    assert r.status_code in (409, 422) and str(number) in r.json()["msg"], r.text
    r = c.post(f"{REC}/application-form/assign", json={"items": [{"record_id": b.record_id, "number": (year + 50) * 10000 + 1}]})
    assert r.status_code in (409, 422), r.text  # outside every registered range
    r = flow.branch.post(f"{REC}/application-form/confirm", json={"record_ids": [a.record_id], "day": today().isoformat()})
    assert r.status_code == 409 and "尚未下发" in r.json()["msg"]
    ok(c.post(f"{REC}/application-form/issue", json={"record_ids": [a.record_id]}))
    assert a.api.get(f"{MP}/application-form").json()["form"]["number_text"] == str(number)
    assert any("入党志愿书" in title for title, _, _ in flow.env.messages(a.user_id))


def test_rights_from_outside_on_every_route_of_both_stages(flow: Flow):
    from fastapi.routing import APIRoute

    from tests.conftest import Api

    env = flow.env
    student, anonymous = env.student(), Api(env.c, None)
    routes = [(m, r.path) for r in env.app.routes if isinstance(r, APIRoute) and r.path.startswith((REC, CONV)) for m in r.methods]
    assert len(routes) > 60
    for method, path in routes:
        url = re.sub(r"\{[^}]+\}", "1", path)
        kw = {} if method in ("GET", "DELETE") else {"json": {}}
        assert getattr(anonymous, method.lower())(url, **kw).status_code == 401, (method, path)
        assert getattr(student, method.lower())(url, **kw).status_code == 403, (method, path)
    for url in (f"{MP}/probation-reports", f"{MP}/conversion-application"):
        assert anonymous.get(url).status_code == 401
        assert anonymous.post(url, json={}).status_code == 401
    # the other branch's admin reaches none of branch A's people (404), committee-only actions are 403
    p = flow.place(1)[0]
    rid = [p.record_id]
    actions = [
        (f"{REC}/condition", {"record_ids": rid, "outcome": "pass"}, 404),
        (f"{REC}/pre-talk/review", {"record_ids": rid, "approve": True}, 404),
        (f"{REC}/committee-meeting", {"record_ids": rid, "held_at": "2026-01-01T10:00", "place": "x"}, 404),
        (f"{REC}/pre-review", {"record_ids": rid}, 404),
        (f"{REC}/application-form/confirm", {"record_ids": rid, "day": today().isoformat()}, 404),
        (f"{REC}/application-form/assign", {"record_ids": rid, "year": 2026}, 403),
        (f"{REC}/committee-talk/flow", {"record_ids": rid}, 403),
        (f"{REC}/approval", {"record_ids": rid}, 404),
        (f"{REC}/higher-filing", {"record_ids": rid}, 404),
        (f"{CONV}/party-group/assign", {"record_ids": rid, "group_id": 1}, 404),
        (f"{CONV}/oath/flow", {"record_ids": rid}, 404),
        (f"{CONV}/oath", {"record_ids": rid, "outcome": "advance", "day": today().isoformat()}, 404),
        (f"{CONV}/report/review", {"record_ids": rid, "approve": True}, 404),
        (f"{CONV}/introducer-talk/review", {"record_ids": rid, "approve": True}, 404),
        (f"{CONV}/cultivation/pass", {"record_ids": rid}, 404),
        (f"{CONV}/conversion-application/open", {"record_ids": rid}, 404),
        (f"{CONV}/conversion-application/result", {"record_ids": rid, "result": "pass", "day": today().isoformat()}, 404),
        (f"{CONV}/complete/check", {"record_ids": rid}, 404),
        (f"{CONV}/complete/finish", {"record_ids": rid}, 404),
    ]
    for url, body, code in actions:
        assert env.other.post(url, json=body).status_code == code, (url, env.other.post(url, json=body).text)
    assert env.other.get(f"{REC}/{p.record_id}/detail").status_code == 404
    assert flow.where([p]) == {p.record_id: ("reception", "condition", "active")}  # nothing moved
