import pytest

pytestmark = pytest.mark.xf_plugins("tests.plugins.interview_step")  # the example step of docs/stages.md


def test_interview_step(xf_app, xf_branch, xf_other_branch):
    person = xf_app.person("applicant", "interview")
    assert any(t["kind"] == "interview" for t in xf_branch.get("/api/mp/v1/todos").json()["items"])
    note = {"user_id": person.user_id, "held_on": "2026-05-01", "note": "入党动机端正"}
    assert xf_other_branch.post("/api/pc/v1/interview-note", json=note).status_code == 404
    assert xf_branch.post("/api/pc/v1/interview-note", json=note).status_code == 200
    assert person.api.get("/api/mp/v1/interview-note").json()["items"][0]["note"] == "入党动机端正"
    assert person.api.post("/api/pc/v1/interview/done", json={"record_ids": [person.record_id]}).status_code == 403
    assert xf_branch.post("/api/pc/v1/interview/done", json={"record_ids": [person.record_id]}).status_code == 200
    assert person.api.get("/api/mp/v1/development/timeline").json()["record"]["step"] == "talk"
