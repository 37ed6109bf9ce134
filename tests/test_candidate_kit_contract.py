"""The API contract (tests/test_api_contract.py) for every route the symposium, committee meeting
and political review components mount, on the throwaway candidate stage: declared answers,
typed fields, Chinese titles on every request field, MP answers with offsets and no widgets."""
import pytest

from tests.candidate_kit import API, kit_app
from tests.test_api_contract import NO_PROBLEMS, contract_problems, spec_of, spec_problems

MP = "/api/mp/v1/development/kit-political-review"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    with kit_app(tmp_path_factory.mktemp("contract")) as e:
        yield e


@pytest.fixture(scope="module")
def spec(env):
    spec = spec_of(env.c)
    mine = {p: v for p, v in spec["paths"].items() if p.startswith(API) or p.startswith("/api/mp/v1/development/kit-")}
    for part in ("/symposium/{symposium_id}/scans", "/committee-meeting/ballot", "/committee-time",
                 "/political-review/{review_id}/letters", "/api/mp/v1/development/kit-political-review"):
        assert any(part in p for p in mine), part
    return {**spec, "paths": mine}


def test_every_answer_declared_every_field_typed_and_every_input_titled(spec):
    assert spec_problems(spec) == NO_PROBLEMS


def test_the_persons_political_review_answer_is_data_with_offsets(env):
    (a,) = env.people(1, "cultivation", password="Stud@2026x")
    rid = env.committee.post(f"{API}/political-review", json={}).json()["data"]["id"]
    env.committee.put(f"{API}/political-review/{rid}/people", json={"record_ids": [a["record_id"]]})
    env.committee.post(f"{API}/political-review/{rid}/confirm-list")
    me = env.login(a, "Stud@2026x")
    relatives = [{"name": "父", "relation": "父亲", "work_unit": "单位", "political_status": "群众", "phone": "13800000000"},
                 {"name": "母", "relation": "母亲", "work_unit": "单位", "political_status": "群众", "phone": "13800000000"}]
    saved = me.put(MP, json={"relatives": relatives}).json()
    answers = {"PUT": saved, "GET": me.get(MP).json(), "autobiography": me.get("/api/mp/v1/development/kit-autobiography").json()}
    assert saved["filled_at"] and answers["GET"]["relatives"][0]["name"] == "父"
    problems = [p for name, value in answers.items() for p in contract_problems(value, name)]
    assert not problems, problems
