"""The API contract (tests/test_api_contract.py) for every route the kit can mount — decision,
date, assignment, cultivation, task-mode review and talk — and for model_page, on an app
with the throwaway stages and the example step loaded."""
import pytest

from tests.test_api_contract import (generated_client, operations, operations_of_classes, spec_of, success_problem,
                                     untitled_inputs, untyped_classes, untyped_operations)

pytestmark = pytest.mark.xf_plugins("tests.plugins.outcome_stage", "tests.plugins.interview_step")


@pytest.fixture(scope="module")
def spec(xf_app):
    spec = spec_of(xf_app.client)
    mine = {p: v for p, v in spec["paths"].items() if "/development/" in p or "interview" in p}
    assert any("outcome-conversion/cultivation/progress" in p for p in mine) and any("interview-note" in p for p in mine)
    return {**spec, "paths": mine}


def test_every_operation_declares_its_answer(spec):
    problems = {name: pr for name, op in operations(spec) if (pr := success_problem(op))}
    assert not problems, problems


def test_no_untyped_field_and_every_input_titled(spec):
    assert not untyped_operations(spec)
    classes = untyped_classes(generated_client(spec))  # the client holds every schema: keep those our routes use
    assert not {cls: ops for cls, ops in operations_of_classes(spec, set(classes)).items() if ops}
    assert not untitled_inputs(spec)
