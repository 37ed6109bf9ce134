"""Publicity component (DEV-7), completing: refused when a person left the step, a contact
person and phone per person with batch fill per branch, the same number of statements for 5
and 50 people, and objections (异议) taking a person off who can join a later publicity."""
import pytest
from sqlalchemy import event, update

from core.workflow.models import DevelopmentRecord
from tests.plugins.throwaway_stage import CONTACT_PREFIX, PREFIX
from tests.publicity_helpers import (STEP, Env, content, ended, new_publicity, pdf_text_and_fonts, publicity_app,
                                     published)


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    with publicity_app(tmp_path_factory.mktemp("publicity")) as e:
        yield e


def test_complete_refuses_when_a_person_left_the_step(env):
    a = env.a
    people = env.extra_people(a, 2)
    p = published(env, a, people)
    ended(env, p["id"])
    assert a.post(f"{PREFIX}/{p['id']}/report").status_code == 200

    async def move(s):
        await s.execute(update(DevelopmentRecord).where(DevelopmentRecord.id == people[0]["record_id"]).values(step="prep"))
    env.db(move)
    r = a.post(f"{PREFIX}/{p['id']}/complete")
    assert r.status_code == 409 and people[0]["name"] in r.json()["msg"]
    assert env.steps([people[1]["record_id"]]) == {people[1]["record_id"]: STEP}  # nobody moved
    assert a.get(f"{PREFIX}/{p['id']}").json()["data"]["status"] == "published"


# --- contact person / phone per person, batch fill per branch --------------------------------------

def test_contact_per_person_and_batch_fill_per_branch(env):
    committee, a, b = env.committee, env.a, env.b
    people_a, people_b = env.extra_people(a, 2), env.extra_people(b, 1)
    # the committee's college-wide publicity takes people of several branches
    p = new_publicity(committee, CONTACT_PREFIX)
    assert p["branch_id"] is None and p["organiser"] == env.app.state.settings.college_name
    url = f"{CONTACT_PREFIX}/{p['id']}"
    body = content(people_a + people_b)
    body["people"][2].update(contact="王老师", phone="13800000000")
    r = committee.put(f"{url}/content", json=body)
    assert r.status_code == 200, r.text
    r = committee.post(f"{url}/generate")
    assert r.status_code == 422 and people_a[0]["name"] in r.json()["msg"] and "联系电话" in r.json()["msg"]
    r = committee.put(f"{url}/batch-fill", json={"branch_id": a.user["party_branch_id"], "contact": "赵老师",
                                                 "phone": "13911112222"})
    assert r.status_code == 200, r.text
    entries = {e["record_id"]: e for e in r.json()["data"]["entries"]}
    assert {entries[x["record_id"]]["contact"] for x in people_a} == {"赵老师"}
    assert entries[people_b[0]["record_id"]]["contact"] == "王老师"
    # saving the content again without contacts keeps the batch-filled ones
    r = committee.put(f"{url}/content", json=content(people_a + people_b))
    entries = {e["record_id"]: e for e in r.json()["data"]["entries"]}
    assert entries[people_a[0]["record_id"]]["phone"] == "13911112222"
    assert entries[people_b[0]["record_id"]]["phone"] == "13800000000"
    r = committee.post(f"{url}/generate")
    assert r.status_code == 200, r.text
    text, _ = pdf_text_and_fonts(committee, r.json()["data"]["document_url"])
    assert "13911112222" in text and "王老师" in text and "党支部" in text
    # branch admins do not reach the committee's college-wide publicity
    assert a.get(url).status_code == 404 and b.get(url).status_code == 404
    # a branch admin's own contact publicity only takes its branch, batch fill only for its branch
    mine = new_publicity(a, CONTACT_PREFIX)
    r = a.put(f"{CONTACT_PREFIX}/{mine['id']}/batch-fill", json={"branch_id": b.user["party_branch_id"],
                                                                 "contact": "x", "phone": "1"})
    assert r.status_code == 404


# --- batch size does not change the number of statements ------------------------------------------

def _complete_statements(env: Env, n: int) -> int:
    a = env.a
    p = published(env, a, env.extra_people(a, n))
    ended(env, p["id"])
    assert a.post(f"{PREFIX}/{p['id']}/report").status_code == 200
    count = {"n": 0}

    def on_execute(*_args):
        count["n"] += 1

    engine = env.app.state.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        r = a.post(f"{PREFIX}/{p['id']}/complete")
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
    assert r.status_code == 200, r.text
    assert r.json()["data"]["advanced"] == n
    return count["n"]


def test_complete_uses_the_same_number_of_statements_for_5_and_50_people(env):
    small, large = _complete_statements(env, 5), _complete_statements(env, 50)
    assert small == large, (small, large)


# --- objection (异议) -----------------------------------------------------------------------------

def test_objection_takes_a_person_off_who_stays_and_can_join_a_later_publicity(env):
    a = env.a
    people = env.extra_people(a, 3)
    p = published(env, a, people)
    pid, off = p["id"], people[1]
    url = f"{PREFIX}/{pid}/objection"
    assert a.post(url, json={"record_id": off["record_id"], "reason": ""}).status_code == 422
    assert env.b.post(url, json={"record_id": off["record_id"], "reason": "x"}).status_code == 404
    r = a.post(url, json={"record_id": off["record_id"], "reason": "群众反映其考试作弊，待核实"})
    assert r.status_code == 200, r.text
    d = r.json()["data"]
    assert [e["record_id"] for e in d["entries"]] == [people[0]["record_id"], people[2]["record_id"]]
    assert d["withdrawn"][0]["reason"] == "群众反映其考试作弊，待核实" and d["withdrawn"][0]["removed_at"].endswith("+08:00")
    assert a.post(url, json={"record_id": off["record_id"], "reason": "again"}).status_code == 404
    # free for another publicity of the same kind at once
    later = new_publicity(a)
    ids = {x["record_id"] for x in a.get(f"{PREFIX}/{later['id']}/candidates").json()["data"]["items"]}
    assert off["record_id"] in ids and people[0]["record_id"] not in ids
    ended(env, pid)
    assert a.post(f"{PREFIX}/{pid}/report").status_code == 200
    text, _ = pdf_text_and_fonts(a, a.get(f"{PREFIX}/{pid}").json()["data"]["report_url"])
    assert off["name"] in text and "收到异议" in text and "待核实" in text
    r = a.post(f"{PREFIX}/{pid}/complete")
    assert r.status_code == 200 and r.json()["data"]["advanced"] == 2
    steps = env.steps([x["record_id"] for x in people])
    assert steps == {people[0]["record_id"]: "after", off["record_id"]: STEP, people[2]["record_id"]: "after"}
    assert a.post(url, json={"record_id": people[0]["record_id"], "reason": "x"}).status_code == 409
    # the person taken off joins the later publicity and completes it
    r = a.put(f"{PREFIX}/{later['id']}/content", json=content([off]))
    assert r.status_code == 200, r.text
