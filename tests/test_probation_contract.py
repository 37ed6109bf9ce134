"""The API contract (tests/test_api_contract.py) for every route the probation issue's components
mount — organisation life, 入党志愿书, committee talk, oath flow, completeness — and their MP
answers (times with offsets, data not widgets), on the throwaway stages' app."""
import pytest

from tests.probation_helpers import CONVERSION_API, MP_ORG_LIFE, RECEPTION_API, probation_app
from tests.test_api_contract import NO_PROBLEMS, contract_problems, spec_of, spec_problems

MINE = ("/org-life", "/test-reception", "/test-conversion", "/application-form", "/committee-talk")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    with probation_app(tmp_path_factory.mktemp("contract")) as e:
        yield e


@pytest.fixture(scope="module")
def spec(env):
    spec = spec_of(env.c)
    mine = {p: v for p, v in spec["paths"].items() if any(m in p for m in MINE)}
    assert any("/org-life/{meeting_id}/record" in p for p in mine) and any("/complete/finish" in p for p in mine)
    return {**spec, "paths": mine}


def test_every_answer_declared_every_field_typed_and_every_input_titled(spec):
    assert spec_problems(spec) == NO_PROBLEMS


def test_mp_answers_carry_offsets_and_are_data_not_widgets(env):
    c = env.committee
    c.post(f"{RECEPTION_API}/application-form/ranges", json={"year": 2026, "first": 1, "last": 99})
    form_rid, form_me = env.person("reception", "form")
    c.post(f"{RECEPTION_API}/application-form/assign", json={"record_ids": [form_rid], "year": 2026})
    c.post(f"{RECEPTION_API}/application-form/issue", json={"record_ids": [form_rid]})
    talk_rid, talk_me = env.person("reception", "ctalk")
    talker = c.get(f"{RECEPTION_API}/talkers").json()["data"]["options"][0]["value"]
    c.post(f"{RECEPTION_API}/committee-talk/assign", json={"record_ids": [talk_rid], "talker_id": talker})
    c.post(f"{RECEPTION_API}/committee-talk/flow", json={"record_ids": [talk_rid]})
    voter = env.users(1, "中共党员")[0]
    mid = env.meeting(type_="lecture", scope="members")
    member = env.as_user(voter)
    answers = {
        "form": form_me.get("/api/mp/v1/development/application-form").json(),
        "talk": talk_me.post("/api/mp/v1/development/committee-talk", json={"scheduled_at": "2026-07-01T09:30"}).json(),
        "talk status": talk_me.get("/api/mp/v1/development/committee-talk").json(),
        "sign-in": env.scan(member, mid, env.code(mid)).json(),
        "meetings": member.get(MP_ORG_LIFE).json(),
        "meeting": member.get(f"{MP_ORG_LIFE}/{mid}").json(),
        "todos": member.get("/api/mp/v1/todos").json(),
    }
    assert answers["sign-in"]["attendance"]["signed_in_at"] and answers["form"]["form"]["issued_at"]
    assert not [p for k, v in answers.items() for p in contract_problems(v, k)]
    pc = env.branch.get(CONVERSION_API, params={"per_page": 5}).json()
    assert pc["status"] == 0
