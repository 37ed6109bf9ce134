"""The reception and conversion stages (plugins/dev_probation, manual 6.4 and 6.5, PRO-R1..10,
PRO-1..10) over the API: people placed at reception's first step through every step of both
stages to 中共党员 with the probation year moved by the test; the reception vote 不同意 then a
re-vote; both delays; a final 不同意 that refuses 重新发展; the refusals of the new steps
(QR codes, the majority rule at its edge, a 志愿书 number clash, completion refused with the
list then accepted, the conversion application before it is opened); rights from outside."""
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
    flow.age(people, 400)  # the probation year: every date so far moves a year and more back
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
