"""The API contract (tests/test_api_contract.py) for every route the kit can mount — decision,
date, assignment, cultivation, task-mode review and talk — and for model_page, on an app
with the throwaway stages and the example step loaded."""
import pytest

from tests.test_api_contract import NO_PROBLEMS, spec_of, spec_problems

pytestmark = pytest.mark.xf_plugins("tests.plugins.outcome_stage", "tests.plugins.interview_step")


@pytest.fixture(scope="module")
def spec(xf_app):
    spec = spec_of(xf_app.client)
    mine = {p: v for p, v in spec["paths"].items() if "/development/" in p or "interview" in p}
    assert any("outcome-conversion/cultivation/progress" in p for p in mine) and any("interview-note" in p for p in mine)
    return {**spec, "paths": mine}


def test_every_answer_declared_every_field_typed_and_every_input_titled(spec):
    assert spec_problems(spec) == NO_PROBLEMS
