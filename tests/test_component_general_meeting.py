"""General meeting / organisation life (组织生活, 党员大会; DEV-10 part 2) against the throwaway
stages of tests/plugins/probation_stage.py: set-up refusals, publish scope, QR sign-in and its
refusals, 补录/请假/缺席, the record, the majority rule at its edge, re-vote, the conversion
delays and the final refusal, PDFs, statement counts and rights from outside."""
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import event

from core.workflow.components.general_meeting_codes import make_code
from core.workflow.models import DevelopmentRecord
from tests.conftest import Api
from tests.publicity_helpers import cjk_fonts_embedded
from tests.probation_helpers import MP_ORG_LIFE, ORG_LIFE, RECEPTION_API, at, probation_app


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    with probation_app(tmp_path_factory.mktemp("meeting")) as e:
        yield e


def pdf_text(api: Api, url: str) -> str:
    r = api.get(url)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf", r.text[:200]
    reader = PdfReader(BytesIO(r.content))
    assert cjk_fonts_embedded([f.get_object() for p in reader.pages for f in p["/Resources"]["/Font"].values()])
    # line breaks dropped: a long list of absentees may wrap a name across two lines
    return "".join(p.extract_text() for p in reader.pages).replace("\n", "")


def record(env, mid, items, minutes="会议记录", api=None):
    return (api or env.branch).post(f"{ORG_LIFE}/{mid}/record", json={"minutes": minutes, "items": items})


def vote(rid, outcome, yes, no=0, abstain=0):
    return {"record_id": rid, "outcome": outcome, "yes": yes, "no": no, "abstain": abstain}


# --- set-up ------------------------------------------------------------------------------------------

def test_set_up_refusals_change_nothing(env):
    b = env.branch
    base = {"type": "lecture", "title": "党课", "start_at": at(60), "end_at": at(30), "place": "教室", "scope": "members"}
    r = b.post(ORG_LIFE, json=base)
    assert r.status_code == 422 and r.json()["errors"][0]["label"] == "结束时间"
    r = b.post(ORG_LIFE, json={**base, "end_at": at(120), "has_vote": True, "vote": "reception"})
    assert r.status_code == 422 and "只有党员大会可以投票表决" in r.json()["msg"]
    r = b.post(ORG_LIFE, json={**base, "end_at": at(120), "type": "general", "has_vote": True, "vote": "nothing"})
    assert r.status_code == 422 and r.json()["errors"][0]["label"] == "表决内容"
    assert env.committee.post(ORG_LIFE, json={**base, "end_at": at(120)}).json()["errors"][0]["label"] == "党支部"
    mid = env.meeting(vote="reception", publish=False)
    r = b.post(f"{ORG_LIFE}/{mid}/publish")
    assert r.status_code == 422 and "导入表决人员" in r.json()["msg"]
    outsiders = env.users(1, "中共预备党员") + env.users(1, "中共党员", branch=env.other)
    r = b.put(f"{ORG_LIFE}/{mid}/voters", json={"user_ids": outsiders})
    assert r.status_code == 422 and "不是本支部的正式党员" in r.json()["msg"]
    voters = env.users(3, "中共党员")
    assert b.put(f"{ORG_LIFE}/{mid}/voters", json={"user_ids": voters}).status_code == 200
    r = b.post(f"{ORG_LIFE}/{mid}/publish")
    assert r.status_code == 422 and "表决对象" in r.json()["msg"]
    wrong_step = env.people(1, stage="reception", step="form")
    r = b.put(f"{ORG_LIFE}/{mid}/people", json={"record_ids": wrong_step})
    assert r.status_code == 409 and "不在“支部大会讨论”环节" in r.json()["msg"]
    other_branch = env.people(1, stage="reception", step="meeting")
    env.run(lambda s, e: _move_to_branch(s, other_branch[0], env.other.user["party_branch_id"]))
    assert b.put(f"{ORG_LIFE}/{mid}/people", json={"record_ids": other_branch}).status_code == 404
    assert env.detail(mid)["state"] == "draft" and env.detail(mid)["people"] == []
    people = env.people(2, stage="reception", step="meeting")
    assert b.put(f"{ORG_LIFE}/{mid}/people", json={"record_ids": people}).status_code == 200
    # one person cannot be on two open meetings of the same kind
    other = env.meeting(vote="reception", publish=False)
    r = b.put(f"{ORG_LIFE}/{other}/people", json={"record_ids": people[:1]})
    assert r.status_code == 409 and "其他未完成的会议" in r.json()["msg"]
    assert b.post(f"{ORG_LIFE}/{mid}/publish").status_code == 200
    for method, url, body in (("put", f"{ORG_LIFE}/{mid}", {**base, "end_at": at(120)}), ("delete", f"{ORG_LIFE}/{mid}", None),
                              ("put", f"{ORG_LIFE}/{mid}/voters", {"user_ids": voters}),
                              ("post", f"{ORG_LIFE}/{mid}/publish", None)):
        kw = {"json": body} if body is not None else {}
        assert getattr(b, method)(url, **kw).status_code in (409,), url
    assert b.delete(f"{ORG_LIFE}/{other}").status_code == 200


async def _move_to_branch(s, record_id, branch_id):
    from core.models import User

    r = await s.get(DevelopmentRecord, record_id)
    (await s.get(User, r.user_id)).party_branch_id = branch_id


def test_ballot_lists_the_people_and_publishing_fixes_the_attendees_by_scope(env):
    voters = env.users(2, "中共党员")
    probationary = env.users(1, "中共预备党员")
    activist = env.people(1, stage="activist", step="", status="共青团员")[0]
    people = env.people(2, stage="reception", step="meeting")
    members_only = env.meeting(vote="reception", voters=voters, people=people, scope="members")
    d = env.detail(members_only)
    text = pdf_text(env.branch, d["ballot_url"])
    assert "表决票" in text and "接收预备党员" in text and all(p["name"] in text for p in d["people"])
    names = {a["user_id"] for a in env.branch.get(f"{ORG_LIFE}/{members_only}/attendance").json()["data"]["items"]}
    assert set(voters) | set(probationary) | {env.user_of(p) for p in people} <= names  # voted-on people always attend
    assert env.user_of(activist) not in names  # 仅党员: no activists
    everyone = env.meeting(type_="theme_day", scope="branch")
    names = {a["user_id"] for a in env.branch.get(f"{ORG_LIFE}/{everyone}/attendance").json()["data"]["items"]}
    assert env.user_of(activist) in names and set(voters) <= names
    # attendees are told and see it on the phone; others do not
    member = env.as_user(probationary[0])
    assert any(t["kind"] == "attend_meeting" and t["object_id"] == members_only for t in member.get("/api/mp/v1/todos").json()["items"])
    assert members_only in {m["id"] for m in member.get(MP_ORG_LIFE).json()["items"]}
    outsider = env.as_user(env.users(1, "中共党员", branch=env.other)[0])
    assert outsider.get(f"{MP_ORG_LIFE}/{members_only}").status_code == 404
    assert members_only not in {m["id"] for m in outsider.get(MP_ORG_LIFE).json()["items"]}


# --- QR codes ------------------------------------------------------------------------------------------

def test_sign_in_and_out_and_every_refusal(env):
    voters = env.users(3, "中共党员")
    mid = env.meeting(type_="lecture", voters=(), scope="members")
    other = env.meeting(type_="lecture", scope="members")
    a, b = env.as_user(voters[0]), env.as_user(voters[1])
    code_in, code_out = env.code(mid, "sign-in"), env.code(mid, "sign-out")
    secret = env.app.state.settings.secret_key
    # 签退 before 签到
    r = env.scan(a, mid, code_out, "sign-out")
    assert r.status_code == 409 and r.json()["msg"] == "您尚未签到，不能签退"
    # another meeting's code, the other kind, a tampered code, an expired code
    r = env.scan(a, mid, env.code(other, "sign-in"))
    assert r.status_code == 409 and "不是本次会议的签到码" in r.json()["msg"]
    r = env.scan(a, mid, code_out)
    assert r.status_code == 409 and "这是签退码" in r.json()["msg"]
    tampered = code_in[:-1] + ("0" if code_in[-1] != "0" else "1")
    assert env.scan(a, mid, tampered).status_code == 422
    from datetime import datetime, timedelta

    expired = make_code(secret, mid, "sign-in", datetime.utcnow() - timedelta(minutes=1))
    r = env.scan(a, mid, expired)
    assert r.status_code == 409 and r.json()["msg"] == "签到码已过期"
    # not an attendee
    stranger = env.as_user(env.users(1, "中共党员", branch=env.other)[0])
    r = env.scan(stranger, mid, code_in)
    assert r.status_code == 403 and "不在本次会议的参会名单中" in r.json()["msg"]
    # the attendee signs in (twice: same answer), then out
    r = env.scan(a, mid, code_in)
    assert r.status_code == 200 and r.json()["attendance"]["status"] == "signed_in", r.text
    assert env.scan(a, mid, code_in).json()["msg"].startswith("您已签到")
    r = env.scan(a, mid, code_out, "sign-out")
    assert r.status_code == 200 and r.json()["attendance"]["status"] == "signed_out"
    assert a.get(f"{MP_ORG_LIFE}/{mid}").json()["attendance"]["status_label"] == "已签退"
    # before the window opens the codes do not exist and scans are refused
    later = env.meeting(type_="lecture", start=120, end=180)
    assert env.branch.get(f"{ORG_LIFE}/{later}/code/sign-in").status_code == 409
    r = env.scan(a, later, make_code(secret, later, "sign-in", datetime.utcnow() + timedelta(hours=4)))
    assert r.status_code == 409 and "尚未到签到时间" in r.json()["msg"]
    # after the meeting the code has expired
    env.end(mid)
    r = env.scan(b, mid, code_in)
    assert r.status_code == 409 and r.json()["msg"] == "签到码已过期"
    assert env.branch.get(f"{ORG_LIFE}/{mid}/qr/sign-in").status_code == 409
    env.end(other)
    assert env.branch.post(f"{ORG_LIFE}/{other}/confirm-attendance").status_code == 200


def test_qr_png_encodes_the_sign_in_screen(env):
    mid = env.meeting(type_="group", scope="members")
    r = env.branch.get(f"{ORG_LIFE}/{mid}/qr/sign-in")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png" and r.content[:8] == b"\x89PNG\r\n\x1a\n"
    url = env.branch.get(f"{ORG_LIFE}/{mid}/code/sign-in").json()["data"]["url"]
    assert f"/m/#/org-life/{mid}/sign-in?code=" in url


# --- after the meeting -------------------------------------------------------------------------------------

def test_attendance_supplement_leave_absent_and_the_record_without_vote(env):
    voters = env.users(4, "中共党员")
    mid = env.meeting(type_="life_meeting", scope="members", title="组织生活会")
    came, forgot, excused, missing = (env.as_user(u) for u in voters)
    assert env.scan(came, mid, env.code(mid)).status_code == 200
    r = env.branch.post(f"{ORG_LIFE}/{mid}/attendance", json={"user_ids": [voters[1]], "action": "supplement"})
    assert r.status_code == 409 and "会议结束后" in r.json()["msg"]
    assert env.branch.post(f"{ORG_LIFE}/{mid}/confirm-attendance").status_code == 409
    env.end(mid)
    r = env.branch.post(f"{ORG_LIFE}/{mid}/attendance", json={"user_ids": [voters[2]], "action": "leave"})
    assert r.status_code == 422 and r.json()["errors"][0]["label"] == "请假原因"
    r = env.branch.post(f"{ORG_LIFE}/{mid}/attendance", json={"user_ids": [voters[0]], "action": "leave", "note": "病假"})
    assert r.status_code == 409 and "已参会" in r.json()["msg"]
    assert env.branch.post(f"{ORG_LIFE}/{mid}/attendance", json={"user_ids": [voters[1]], "action": "supplement"}).status_code == 200
    assert env.branch.post(f"{ORG_LIFE}/{mid}/attendance", json={"user_ids": [voters[2]], "action": "leave", "note": "病假"}).status_code == 200
    r = record(env, mid, [])
    assert r.status_code == 409 and "确认参会名单" in r.json()["msg"]
    assert env.branch.post(f"{ORG_LIFE}/{mid}/confirm-attendance").status_code == 200
    seen = {u: api.get(f"{MP_ORG_LIFE}/{mid}").json()["attendance"]["status_label"]
            for u, api in zip(voters, (came, forgot, excused, missing))}
    assert list(seen.values()) == ["已签到", "补录", "请假", "缺席"]
    assert env.branch.post(f"{ORG_LIFE}/{mid}/attendance", json={"user_ids": [voters[3]], "action": "supplement"}).status_code == 409
    r = record(env, mid, [], minutes="")
    assert r.status_code == 422 and r.json()["errors"][0]["label"] == "会议记录"
    r = record(env, mid, [], minutes="一、学习党章。\n二、开展批评与自我批评。")
    assert r.status_code == 200 and r.json()["data"]["state"] == "completed"
    d = env.detail(mid)
    text = pdf_text(env.branch, d["record_url"])
    names = {a["user_id"]: a["name"] for a in env.branch.get(f"{ORG_LIFE}/{mid}/attendance").json()["data"]["items"]}
    assert "组织生活记录" in text and names[voters[2]] in text and names[voters[3]] in text and "开展批评与自我批评" in text
    assert record(env, mid, [], minutes="again").status_code == 409


# --- the vote --------------------------------------------------------------------------------------------

def _voted_meeting(env, vote_, people, voters=4, present=3):
    ids = env.users(voters, "中共党员")
    mid = env.meeting(vote=vote_, voters=ids, people=people, scope="members")
    code = env.code(mid)
    for u in ids[:present]:
        assert env.scan(env.as_user(u), mid, code).status_code == 200
    env.end(mid)
    assert env.branch.post(f"{ORG_LIFE}/{mid}/confirm-attendance").status_code == 200
    return mid


def test_reception_vote_majority_rule_at_its_edge_and_revote(env):
    agree_rid, reject_rid = env.people(2, stage="reception", step="meeting")
    mid = _voted_meeting(env, "reception", [agree_rid, reject_rid], voters=4, present=3)
    counts = env.detail(mid)["counts"]
    assert (counts["voters"], counts["present_voters"]) == (4, 3)
    refused = [
        ([vote(agree_rid, "agree", 2, 1), vote(reject_rid, "reject", 1, 2)], "赞成2票，未超过应到4人的半数"),  # exactly half
        ([vote(agree_rid, "agree", 3), vote(reject_rid, "reject", 3)], "已超过应到4人的半数"),
        ([vote(agree_rid, "agree", 3, 1), vote(reject_rid, "reject", 1)], "超过实到人数3"),
        ([vote(agree_rid, "agree", 3)], "请填写每位表决对象的表决结果"),
        ([vote(agree_rid, "stay", 3), vote(reject_rid, "reject", 1)], "请选择表决结果"),
    ]
    for items, words in refused:
        r = record(env, mid, items)
        assert r.status_code == 422 and words in r.json()["msg"], r.text
    recs = env.records([agree_rid, reject_rid])
    assert all((x.step, x.status) == ("meeting", "active") for x in recs.values())  # nothing moved
    r = record(env, mid, [vote(agree_rid, "agree", 3), vote(reject_rid, "reject", 1, 2)])
    assert r.status_code == 200 and (r.json()["data"]["advanced"], r.json()["data"]["failed"]) == (1, 1), r.text
    recs = env.records([agree_rid, reject_rid])
    day = env.detail(mid)["day"]
    assert (recs[agree_rid].step, recs[agree_rid].milestones["received_at"]) == ("ctalk", day)
    assert (recs[reject_rid].status, recs[reject_rid].failure_code, recs[reject_rid].failure_final) == ("failed", "支部大会-不通过", False)
    assert "received_at" not in recs[reject_rid].milestones
    events = [t for a, t, n in env.events(agree_rid) if a == "completed"]
    assert any("同意接收" in t for t in events)
    assert any("赞成3票" in n for _, _, n in env.events(agree_rid))
    d = env.detail(mid)
    assert {p["record_id"]: p["outcome_label"] for p in d["people"]} == {agree_rid: "同意接收", reject_rid: "不同意接收"}
    text = pdf_text(env.branch, d["record_url"])
    assert "同意接收" in text and all(p["name"] in text for p in d["people"])
    row = next(x for x in env.branch.get(RECEPTION_API, params={"per_page": 500}).json()["data"]["items"] if x["id"] == reject_rid)
    assert row["can_revote"]
    # 重新流转表决: back to the step before the meeting, and on to a new meeting
    assert env.branch.post("/api/pc/v1/development/revote", json={"record_ids": [reject_rid]}).status_code == 200
    assert env.records([reject_rid])[reject_rid].step == "form"
    env.run(lambda s, e: _set_step(s, reject_rid, "meeting"))
    again = _voted_meeting(env, "reception", [reject_rid], voters=3, present=3)
    assert record(env, again, [vote(reject_rid, "agree", 2)]).status_code == 200
    assert env.records([reject_rid])[reject_rid].step == "ctalk"


async def _set_step(s, record_id, step):
    (await s.get(DevelopmentRecord, record_id)).step = step


def test_quorum_is_more_than_half_of_those_entitled(env):
    (rid,) = env.people(1, stage="reception", step="meeting")
    mid = _voted_meeting(env, "reception", [rid], voters=4, present=2)
    r = record(env, mid, [vote(rid, "agree", 2)])
    assert r.status_code == 409 and "未超过应到4人的半数，不能进行表决" in r.json()["msg"]
    assert env.records([rid])[rid].step == "meeting"


def test_conversion_delays_and_a_final_refusal(env):
    ms = {"received_at": "2025-03-10"}
    agree, half, year, refuse = env.people(4, stage="conversion", step="cmeeting", milestones=ms, status="中共预备党员")
    person_rid, person = env.person("conversion", "cmeeting", milestones=ms, status="中共预备党员")
    mid = _voted_meeting(env, "conversion", [agree, half, year, refuse, person_rid], voters=3, present=3)
    r = record(env, mid, [vote(agree, "agree", 2), vote(half, "half", 2), vote(year, "year", 3), vote(refuse, "refuse", 1),
                          vote(person_rid, "half", 3)])
    assert r.status_code == 200, r.text
    assert (r.json()["data"]["advanced"], r.json()["data"]["reflowed"], r.json()["data"]["failed"]) == (1, 3, 1)
    recs = env.records([agree, half, year, refuse])
    assert recs[agree].step == "complete"
    assert (recs[half].step, recs[half].milestones["probation_end"]) == ("pre_review", "2026-09-10")
    assert (recs[year].step, recs[year].milestones["probation_end"]) == ("pre_review", "2027-03-10")
    assert (recs[refuse].failure_code, recs[refuse].failure_final) == ("支部大会-不通过", True)
    r = env.branch.post("/api/pc/v1/development/redevelop", json={"record_ids": [refuse]})
    assert r.status_code == 409 and "最终结果" in r.json()["msg"]
    assert env.branch.post("/api/pc/v1/development/revote", json={"record_ids": [refuse]}).status_code == 409
    # the person sees the result on the phone and was told
    mine = person.get(f"{MP_ORG_LIFE}/{mid}").json()
    assert mine["result"] == {"vote_label": "预备党员转正", "outcome_label": "延迟预备期半年", "yes": 3, "no": 0, "abstain": 0}
    assert any("延迟预备期半年" in title for title, _, _ in env.messages(env.user_of(person_rid)))
    # a delayed person attends a later meeting again
    env.run(lambda s, e: _set_step(s, half, "cmeeting"))
    later = _voted_meeting(env, "conversion", [half], voters=3, present=2)
    assert record(env, later, [vote(half, "agree", 2)]).status_code == 200
    assert env.records([half])[half].step == "complete"


def test_recording_a_vote_costs_the_same_statements_for_10_and_60_people(env):
    def statements(n: int) -> int:
        people = env.people(n, stage="reception", step="meeting")
        mid = _voted_meeting(env, "reception", people, voters=3, present=3)
        items = [vote(rid, "agree" if i % 3 else "reject", 2 if i % 3 else 0) for i, rid in enumerate(people)]
        seen = []
        engine = env.app.state.db.engine.sync_engine
        listener = lambda *a, **k: seen.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert record(env, mid, items).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    assert statements(10) == statements(60)


# --- rights -------------------------------------------------------------------------------------------------

def test_every_route_refuses_the_other_branch_students_and_strangers(env):
    (rid,) = env.people(1, stage="reception", step="meeting")
    voters = env.users(1, "中共党员")
    draft = env.meeting(vote="reception", publish=False)
    live = env.meeting(type_="lecture", scope="members")
    student, anonymous = env.student(), Api(env.c, None)
    routes = [
        ("get", f"{ORG_LIFE}/{draft}", None), ("put", f"{ORG_LIFE}/{draft}", {"type": "lecture", "title": "x", "start_at": at(1),
                                                                            "end_at": at(2), "place": "x"}),
        ("put", f"{ORG_LIFE}/{draft}/voters", {"user_ids": voters}), ("put", f"{ORG_LIFE}/{draft}/people", {"record_ids": [rid]}),
        ("get", f"{ORG_LIFE}/{draft}/candidates", None), ("post", f"{ORG_LIFE}/{draft}/ballot", None),
        ("post", f"{ORG_LIFE}/{draft}/publish", None), ("get", f"{ORG_LIFE}/{live}/code/sign-in", None),
        ("get", f"{ORG_LIFE}/{live}/qr/sign-in", None), ("get", f"{ORG_LIFE}/{live}/attendance", None),
        ("post", f"{ORG_LIFE}/{live}/attendance", {"user_ids": voters, "action": "supplement"}),
        ("post", f"{ORG_LIFE}/{live}/confirm-attendance", None), ("post", f"{ORG_LIFE}/{live}/record", {"minutes": "x"}),
        ("get", f"{ORG_LIFE}/{live}/ballot", None), ("get", f"{ORG_LIFE}/{live}/record", None),
        ("delete", f"{ORG_LIFE}/{draft}", None),
    ]
    for method, url, body in routes:
        kw = {"json": body} if body is not None else {}
        assert getattr(env.other, method)(url, **kw).status_code == 404, url
        assert getattr(student, method)(url, **kw).status_code == 403, url
        assert getattr(anonymous, method)(url, **kw).status_code == 401, url
    for method, url, kw in (("get", ORG_LIFE, {}), ("post", ORG_LIFE, {"json": {}}), ("get", f"{ORG_LIFE}/voter-options", {})):
        assert getattr(student, method)(url, **kw).status_code == 403
        assert getattr(anonymous, method)(url, **kw).status_code == 401
    assert draft not in {m["id"] for m in env.other.get(ORG_LIFE, params={"per_page": 500}).json()["data"]["items"]}
    for url in (MP_ORG_LIFE, f"{MP_ORG_LIFE}/{live}"):
        assert anonymous.get(url).status_code == 401
    assert anonymous.post(f"{MP_ORG_LIFE}/{live}/sign-in", json={"code": "x"}).status_code == 401
    assert env.detail(draft)["state"] == "draft" and env.records([rid])[rid].step == "meeting"  # nothing moved
