"""model_page: the generated admin page and typed CRUD routes of a plain table (the example
step's InterviewNote), scoped by the person each row is about."""
import pytest

pytestmark = pytest.mark.xf_plugins("tests.plugins.interview_step")
API = "/api/pc/v1/interview-note"


def test_crud_routes_are_typed_scoped_and_refuse_bad_input(xf_app, xf_branch, xf_other_branch, xf_committee):
    person = xf_app.person("applicant", "interview")
    r = xf_branch.post(API, json={"user_id": person.user_id, "held_on": "2026-05-02", "note": "x" * 501})
    assert r.status_code == 422 and r.json()["errors"][0]["label"] == "面谈记录"
    r = xf_branch.post(API, json={"user_id": person.user_id, "held_on": "2026-05-02", "note": "第一次"})
    assert r.status_code == 200, r.text
    nid = r.json()["data"]["id"]
    assert nid in {x["id"] for x in xf_committee.get(API).json()["data"]["items"]}
    assert nid not in {x["id"] for x in xf_other_branch.get(API).json()["data"]["items"]}
    assert xf_other_branch.put(f"{API}/{nid}", json={"user_id": person.user_id, "held_on": "2026-05-02"}).status_code == 404
    assert xf_other_branch.delete(f"{API}/{nid}").status_code == 404
    assert person.api.get(API).status_code == 403
    r = xf_branch.put(f"{API}/{nid}", json={"user_id": person.user_id, "held_on": "2026-05-03", "note": "改期"})
    assert r.status_code == 200 and r.json()["data"]["held_on"] == "2026-05-03"
    assert person.user_id in {o["value"] for o in xf_branch.get(f"{API}/people").json()["data"]["options"]}
    assert xf_branch.delete(f"{API}/{nid}").status_code == 200
    assert person.api.get("/api/mp/v1/interview-note").json()["total"] == 0


def test_the_generated_page(xf_app, xf_branch):
    xf_app.client.cookies.set("xf_token", xf_branch.token)
    try:
        html = xf_app.client.get("/admin/").text
        assert "面谈记录" in html
        page = xf_app.client.post("/admin/development/page/interview-note").json()["data"]
    finally:
        xf_app.client.cookies.clear()
    crud = page["body"]
    assert crud["api"] == f"get:{API}" and [c["label"] for c in crud["columns"][:4]] == ["编号", "申请人", "面谈日期", "面谈记录"]
    form = crud["headerToolbar"][0]["dialog"]["body"]["body"]
    assert [(f["name"], f["type"]) for f in form] == [("user_id", "select"), ("held_on", "input-date"), ("note", "textarea")]
