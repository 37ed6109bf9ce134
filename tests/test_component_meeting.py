"""The branch committee meeting (DEV-10 part 1) against a throwaway stage
(tests/plugins/candidate_kit_stage.py): the vote form (ballot, time, place, attendance, a result
per person: 通过 advances with the milestone, 不通过 gives 支委会议-不通过 which may be re-developed)
and the time-only form (填报支委会议时间), their papers and refusals."""
import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from core.workflow.components.meeting import passes_majority
from tests.candidate_kit import API, ago, kit_app, later, local_now

VOTE = f"{API}/committee-meeting"
TIME = f"{API}/committee-time"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    with kit_app(tmp_path_factory.mktemp("meeting")) as e:
        yield e


def vote_body(items, **over) -> dict:
    return {"held_at": ago(hours=3), "place": "党员活动室", "expected": 7, "present": 6, "attendees": "张委员、李委员等6人",
            "absentees": "王委员（出差）", "items": items, **over}


def text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_the_ballot_lists_the_ticked_people_once_per_voter(env):
    people = env.people(3, "committee_meeting")
    ids = ",".join(str(p["record_id"]) for p in people)
    r = env.branch.get(f"{VOTE}/ballot", params={"record_ids": ids, "copies": 2})
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(r.content))
    assert len(reader.pages) == 2
    for page in reader.pages:
        t = page.extract_text()
        assert "支委会议表决票" in t and "关于确定以下同志为发展对象的表决" in t and "同意" in t and "弃权" in t
        assert all(p["name"] in t and p["student_no"] in t for p in people)
    assert env.branch.get(f"{VOTE}/ballot", params={"record_ids": ids, "copies": 0}).status_code == 422
    (elsewhere,) = env.people(1, "prep")
    r = env.branch.get(f"{VOTE}/ballot", params={"record_ids": f"{ids},{elsewhere['record_id']}"})
    assert r.status_code == 409 and elsewhere["name"] in r.json()["msg"]


def test_the_vote_advances_those_passed_and_fails_the_others_who_may_be_redeveloped(env):
    held = local_now() - timedelta(hours=3)
    (a, b) = env.people(2, "committee_meeting", milestones={"activist_at": (held.date() - timedelta(days=100)).isoformat()})
    r = env.branch.post(VOTE, json=vote_body(held_at=held.isoformat(), items=[{"record_id": a["record_id"], "outcome": "pass"},
                                              {"record_id": b["record_id"], "outcome": "fail", "note": "群众意见较多"}]))
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert (data["advanced"], data["failed"]) == (1, 1)
    assert data["warnings"] == ["培养教育一年以上方可确定为发展对象：至少间隔365天，实际间隔100天"]
    day = held.date().isoformat()
    rec = env.record(a["record_id"])
    assert (rec.step, rec.status, rec.milestones["candidate_at"]) == ("committee_time", "active", day)
    failed = env.record(b["record_id"])
    assert (failed.step, failed.status, failed.failure_code, failed.failure_final) == (
        "committee_meeting", "failed", "支委会议-不通过", False)
    assert "candidate_at" not in failed.milestones
    for p in (a, b):
        assert sorted(d.kind for d in env.documents(p["record_id"])) == ["ballot", "committee_meeting_record"]
    assert ("支委会议结果：不通过" in [m[0] for m in env.messages(b["user_id"])])
    assert any("您的状态为“支委会议-不通过”" in m[1] for m in env.messages(b["user_id"]))
    meeting = env.branch.get(f"{VOTE}/{data['id']}").json()["data"]
    assert (meeting["expected"], meeting["present"], meeting["place"]) == (7, 6, "党员活动室")
    assert meeting["held_at"].endswith("+08:00") and meeting["absentees"] == "王委员（出差）"
    assert {e["name"]: (e["outcome_label"], e["note"]) for e in meeting["entries"]} == {
        a["name"]: ("通过", ""), b["name"]: ("不通过", "群众意见较多")}
    minutes = env.branch.get(meeting["minutes_url"])
    assert minutes.status_code == 200
    t = text(minutes.content)
    assert "支部委员会会议记录" in t and "应到7人，实到6人" in t and a["name"] in t and "不通过" in t
    assert a["name"] in text(env.branch.get(meeting["ballot_url"]).content)
    assert data["id"] in [m["id"] for m in env.branch.get(VOTE).json()["data"]["items"]]
    r = env.branch.post("/api/pc/v1/development/redevelop", json={"record_ids": [b["record_id"]]})
    assert r.status_code == 200, r.text
    assert (env.record(b["record_id"]).step, env.record(b["record_id"]).status) == ("prep", "active")


@pytest.mark.parametrize("change, status, words", [
    ({"held_at": later(hours=2)}, 422, "会议时间不能晚于当前时间"),
    ({"present": 8}, 422, "实到人数不能多于应到人数"),
    ({"expected": 0}, 422, "应到人数"),
    ({"place": ""}, 422, "会议地点"),
    ({"items": "unknown"}, 422, "没有这些表决结果"),
])
def test_the_vote_refuses_bad_input_and_moves_nobody(env, change, status, words):
    (p,) = env.people(1, "committee_meeting")
    items = [{"record_id": p["record_id"], "outcome": "maybe" if change.get("items") == "unknown" else "pass"}]
    body = vote_body(items, **{k: v for k, v in change.items() if k != "items"})
    r = env.branch.post(VOTE, json=body)
    assert r.status_code == status and words in r.json()["msg"], r.text
    assert (env.record(p["record_id"]).step, env.record(p["record_id"]).version) == ("committee_meeting", 1)
    assert env.documents(p["record_id"]) == []


def test_someone_not_at_the_meeting_step_refuses_the_whole_vote(env):
    (p,) = env.people(1, "committee_meeting")
    (q,) = env.people(1, "symposium")
    r = env.branch.post(VOTE, json=vote_body([{"record_id": p["record_id"], "outcome": "pass"},
                                              {"record_id": q["record_id"], "outcome": "pass"}]))
    assert r.status_code == 409 and q["name"] in r.json()["msg"]
    assert env.record(p["record_id"]).step == "committee_meeting"


def test_the_time_only_form_advances_everyone_with_the_meeting_date(env):
    people = env.people(2, "committee_time")
    r = env.branch.post(TIME, json={"record_ids": [p["record_id"] for p in people], "held_at": ago(days=2)})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["advanced"] == 2
    day = (local_now() - timedelta(days=2)).date().isoformat()
    for p in people:
        rec = env.record(p["record_id"])
        assert (rec.step, rec.milestones["activist_at"]) == ("cultivation", day)
        assert [d.kind for d in env.documents(p["record_id"])] == ["committee_meeting_record"]
    meeting = env.branch.get(f"{TIME}/{r.json()['data']['id']}").json()["data"]
    assert meeting["ballot_url"] is None and meeting["place"] == "" and meeting["minutes_url"]
    assert env.branch.get(f"{TIME}/ballot", params={"record_ids": str(people[0]["record_id"])}).status_code in (404, 405, 422)
    r = env.branch.post(TIME, json={"record_ids": [people[0]["record_id"]]})
    assert r.status_code == 422 and "支委会议时间" in r.json()["msg"]


def test_meeting_routes_refuse_the_other_branch_students_and_strangers(env):
    (p,) = env.people(1, "committee_meeting")
    (q,) = env.people(1, "committee_time")
    held = env.branch.post(TIME, json={"record_ids": [q["record_id"]], "held_at": ago(hours=1)}).json()["data"]["id"]
    (r,) = env.people(1, "committee_time")
    student = env.login(env.people(1, "prep", password="Stud@2026x")[0], "Stud@2026x")
    routes = [("get", f"{VOTE}/ballot?record_ids={p['record_id']}", None),
              ("post", VOTE, vote_body([{"record_id": p["record_id"], "outcome": "pass"}])),
              ("post", TIME, {"record_ids": [r["record_id"]], "held_at": ago(hours=1)}),
              ("get", f"{TIME}/{held}", None), ("get", f"{TIME}/{held}/minutes", None)]
    for method, url, body in routes:
        kw = {"json": body} if body is not None else {}
        assert getattr(env.other, method)(url, **kw).status_code == 404, url
        assert getattr(student, method)(url, **kw).status_code == 403, url
        assert getattr(env.anonymous, method)(url, **kw).status_code == 401, url
    assert held not in [m["id"] for m in env.other.get(TIME).json()["data"]["items"]]
    assert (env.record(p["record_id"]).version, env.record(r["record_id"]).version) == (1, 1)


def test_the_majority_rule_counts_more_than_half_of_those_entitled():
    assert passes_majority(4, 7) and not passes_majority(3, 6) and passes_majority(4, 6) and not passes_majority(0, 0)
