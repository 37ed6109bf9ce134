"""The committee mode of the talk (上级党委派人谈话, PRO-R8) and the oath's flow (流转入党宣誓 then
填写宣誓时间, PRO-2) against tests/plugins/probation_stage.py."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from core.workflow.models import Document
from tests.conftest import Api
from tests.probation_helpers import CONVERSION_API, RECEPTION_API, probation_app

TALK = f"{RECEPTION_API}/committee-talk"
MP = "/api/mp/v1/development/committee-talk"
OATH = f"{CONVERSION_API}/oath"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    with probation_app(tmp_path_factory.mktemp("talk")) as e:
        yield e


def talker_id(env) -> int:
    return env.committee.get(f"{RECEPTION_API}/talkers").json()["data"]["options"][0]["value"]


def test_committee_assigns_flows_student_submits_time_committee_confirms(env):
    c = env.committee
    rid, me = env.person("reception", "ctalk", milestones={"received_at": "2026-03-01"})
    assert me.get(MP).json()["talk"] is None
    r = c.post(f"{TALK}/flow", json={"record_ids": [rid]})
    assert r.status_code == 409 and "请先为以下人员指派谈话人" in r.json()["msg"]
    non_member = env.users(1, "中共预备党员")[0]
    r = c.post(f"{TALK}/assign", json={"record_ids": [rid], "talker_id": non_member})
    assert r.status_code == 422 and "不是正式党员" in r.json()["msg"]
    talker = talker_id(env)
    assert c.post(f"{TALK}/assign", json={"record_ids": [rid], "talker_id": talker}).status_code == 200
    assert me.get(MP).json()["talk"] is None  # not flowed yet
    r = me.post(MP, json={"scheduled_at": "2026-05-01T10:00"})
    assert r.status_code == 409 and "尚未流转" in r.json()["msg"]
    assert c.post(f"{TALK}/flow", json={"record_ids": [rid]}).status_code == 200
    assert c.post(f"{TALK}/flow", json={"record_ids": [rid]}).status_code == 409
    assert any(t["kind"] == "submit_talk_time" for t in me.get("/api/mp/v1/todos").json()["items"])
    mine = me.get(MP).json()
    assert mine["can_submit"] and mine["guide"].startswith("谈话前请准备") and mine["talk"]["status_label"] == "待填写谈话时间"
    assert mine["talk"]["talker_name"]
    # the talker has nothing to schedule or record: the talk is not on the talker's list
    talker_api = env.as_user(talker)
    assert rid not in {t["record_id"] for t in talker_api.get("/api/mp/v1/development/talks", params={"per_page": 100}).json()["items"]}
    r = me.post(MP, json={"scheduled_at": "2026-05-01T10:00"})
    assert r.status_code == 200 and r.json()["talk"]["status"] == "scheduled"
    assert r.json()["talk"]["scheduled_at"].startswith("2026-05-01T10:00:00+08:00")
    assert me.post(MP, json={"scheduled_at": "2026-05-02T15:30"}).status_code == 200  # changed before confirmation
    assert any("谈话时间" in title for title, _, _ in env.messages(talker))
    assert any(t["kind"] == "confirm_committee_talk" for t in c.get("/api/mp/v1/todos").json()["items"])
    row = next(x for x in c.get(RECEPTION_API, params={"per_page": 500, "step": "ctalk"}).json()["data"]["items"] if x["id"] == rid)
    assert row["test_committee_talk_status"] == "scheduled" and row["test_committee_talk_scheduled_at"].startswith("2026-05-02T15:30")
    # the committee edits the time while confirming
    r = c.post(f"{TALK}/confirm-time", json={"items": [{"record_id": rid, "scheduled_at": "2026-05-03T09:00"}]})
    assert r.status_code == 200 and r.json()["data"]["advanced"] == 1
    rec = env.records([rid])[rid]
    assert (rec.step, rec.milestones["committee_talked_at"]) == ("after", "2026-05-03")
    assert me.get(MP).json()["talk"]["status_label"] == "已确认谈话" and not me.get(MP).json()["can_submit"]
    r = me.post(MP, json={"scheduled_at": "2026-05-09T10:00"})
    assert r.status_code == 409

    async def docs(s, e):
        return [(d.stage, d.step, d.kind, d.signed_date.isoformat()) for d in (await s.execute(
            select(Document).where(Document.record_id == rid))).scalars()]
    assert ("reception", "ctalk", "committee_talk", "2026-05-03") in env.run(docs)


def test_confirm_without_a_time_is_refused_and_a_batch_uses_the_submitted_times(env):
    c = env.committee
    (a, me_a), (b, me_b) = env.person("reception", "ctalk"), env.person("reception", "ctalk")
    c.post(f"{TALK}/assign", json={"record_ids": [a, b], "talker_id": talker_id(env)})
    assert c.post(f"{TALK}/flow", json={"record_ids": [a, b]}).status_code == 200
    me_a.post(MP, json={"scheduled_at": "2026-06-01T10:00"})
    r = c.post(f"{TALK}/confirm-time", json={"record_ids": [a, b]})
    assert r.status_code == 409 and "尚未提交谈话时间" in r.json()["msg"] and me_b.user["name"] in r.json()["msg"]
    assert env.records([a])[a].step == "ctalk"
    me_b.post(MP, json={"scheduled_at": "2026-06-02T10:00"})
    assert c.post(f"{TALK}/confirm-time", json={"record_ids": [a, b]}).json()["data"]["advanced"] == 2
    recs = env.records([a, b])
    assert (recs[a].milestones["committee_talked_at"], recs[b].milestones["committee_talked_at"]) == ("2026-06-01", "2026-06-02")


def test_oath_is_flowed_before_its_date_is_filled(env):
    rid, me = env.person("conversion", "oath", milestones={"received_at": "2026-03-01"}, status="中共预备党员")
    r = env.branch.post(OATH, json={"record_ids": [rid], "outcome": "advance", "day": "2026-04-01"})
    assert r.status_code == 409 and "请先流转入党宣誓" in r.json()["msg"]
    rows = {x["id"]: x for x in env.branch.get(CONVERSION_API, params={"per_page": 500}).json()["data"]["items"]}
    assert rows[rid]["date_step_flowed"] is False
    assert env.branch.post(f"{OATH}/flow", json={"record_ids": [rid]}).status_code == 200
    r = env.branch.post(f"{OATH}/flow", json={"record_ids": [rid]})
    assert r.status_code == 409 and "已流转入党宣誓" in r.json()["msg"]
    assert any(kind == "todo" and "入党宣誓" in title for title, _, kind in env.messages(me.user["id"]))
    r = env.branch.post(OATH, json={"record_ids": [rid], "outcome": "advance", "day": "2026-04-01"})
    assert r.status_code == 200, r.text
    rec = env.records([rid])[rid]
    assert (rec.step, rec.milestones["oath_at"]) == ("pre_review", "2026-04-01")


def test_routes_refuse_the_other_branch_students_and_strangers(env):
    (rid,) = env.people(1, stage="reception", step="ctalk")
    (oath_rid,) = env.people(1, stage="conversion", step="oath")
    student, anonymous = env.student(), Api(env.c, None)
    later = (datetime.now() + timedelta(days=2)).isoformat(timespec="minutes")
    routes = [("post", f"{TALK}/assign", {"record_ids": [rid], "talker_id": talker_id(env)}),
              ("post", f"{TALK}/flow", {"record_ids": [rid]}),
              ("post", f"{TALK}/confirm-time", {"items": [{"record_id": rid, "scheduled_at": later}]}),
              ("post", f"{OATH}/flow", {"record_ids": [oath_rid]})]
    for method, url, body in routes:
        assert getattr(env.other, method)(url, json=body).status_code == 404, url
        assert getattr(student, method)(url, json=body).status_code == 403, url
        assert getattr(anonymous, method)(url, json=body).status_code == 401, url
    assert anonymous.get(MP).status_code == 401 and anonymous.post(MP, json={"scheduled_at": later}).status_code == 401
    r = student.post(MP, json={"scheduled_at": later})  # a student without such a talk
    assert r.status_code == 409
    assert env.records([rid])[rid].step == "ctalk" and env.records([oath_rid])[oath_rid].step == "oath"
