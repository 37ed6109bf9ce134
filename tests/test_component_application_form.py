"""入党志愿书 (ApplicationForm, PRO-R6) against tests/plugins/probation_stage.py: the committee's
number ranges per year, numbers unique and never reused (taken, voided, outside a range),
batch assignment of the next free numbers, 下发 with the student's to-do, number and template
on the MP, the branch's 确认志愿书提交, a re-voted person keeping the number, rights."""
from io import BytesIO

import pytest
from pypdf import PdfReader

from core.workflow.models import Document
from tests.conftest import Api
from tests.probation_helpers import RECEPTION_API, probation_app

FORM = f"{RECEPTION_API}/application-form"
MP = "/api/mp/v1/development/application-form"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    with probation_app(tmp_path_factory.mktemp("form")) as e:
        e.committee.post(f"{FORM}/ranges", json={"year": 2026, "first": 20260001, "last": 20260100, "note": "第一批"})
        yield e


def documents(env, record_id):
    from sqlalchemy import select

    async def read(s, e):
        return [(d.stage, d.step, d.kind, d.title, d.signed_date) for d in (await s.execute(
            select(Document).where(Document.record_id == record_id))).scalars()]
    return env.run(read)


def test_number_ranges_are_the_committees_register(env):
    c = env.committee
    r = c.post(f"{FORM}/ranges", json={"year": 2026, "first": 20260050, "last": 20260150})
    assert r.status_code == 409 and "重叠" in r.json()["msg"]
    r = c.post(f"{FORM}/ranges", json={"year": 2027, "first": 300, "last": 200})
    assert r.status_code == 422 and r.json()["errors"][0]["label"] == "截止编号"
    r = c.post(f"{FORM}/ranges", json={"year": 2027, "first": 1, "last": 200_000})
    assert r.status_code == 422
    r = c.post(f"{FORM}/ranges", json={"year": 2027, "first": 20270001, "last": 20270003})
    assert r.status_code == 200 and r.json()["data"]["free"] == 3
    ranges = c.get(f"{FORM}/ranges").json()["data"]["items"]
    assert {(x["year"], x["first_text"], x["last_text"]) for x in ranges} >= {(2026, "20260001", "20260100"), (2027, "20270001", "20270003")}
    assert env.branch.post(f"{FORM}/ranges", json={"year": 2028, "first": 1, "last": 9}).status_code == 403  # numbers are the committee's
    spare = c.post(f"{FORM}/ranges", json={"year": 2029, "first": 1, "last": 9}).json()["data"]["id"]
    assert c.delete(f"{FORM}/ranges/{spare}").status_code == 200


def test_numbers_are_unique_never_reused_and_inside_a_range(env):
    c = env.committee
    a, b, d = env.people(3, stage="reception", step="form")
    r = c.post(f"{FORM}/assign", json={"items": [{"record_id": a, "number": 99999999}]})
    assert r.status_code == 422 and "不在已登记的入党志愿书编号段内" in r.json()["msg"]
    r = c.post(f"{FORM}/assign", json={"items": [{"record_id": a, "number": 20260010}, {"record_id": b, "number": 20260010}]})
    assert r.status_code == 422 and "同一编号" in r.json()["msg"]
    assert c.post(f"{FORM}/assign", json={"items": [{"record_id": a, "number": 20260010}]}).status_code == 200
    r = c.post(f"{FORM}/assign", json={"items": [{"record_id": b, "number": 20260010}]})
    assert r.status_code == 409 and "已被使用" in r.json()["msg"]
    # a number replaced before issue is void and never given again
    assert c.post(f"{FORM}/assign", json={"items": [{"record_id": a, "number": 20260011}]}).status_code == 200
    r = c.post(f"{FORM}/assign", json={"items": [{"record_id": b, "number": 20260010}]})
    assert r.status_code == 409 and "已作废" in r.json()["msg"]
    register = {x["number"]: x["status"] for x in c.get(f"{FORM}/numbers", params={"per_page": 500}).json()["data"]["items"]}
    assert register[20260010] == "void" and register[20260011] == "assigned"
    # batch: the lowest free numbers of the year, in order; someone with a number refuses the batch
    r = c.post(f"{FORM}/assign", json={"record_ids": [a, b], "year": 2026})
    assert r.status_code == 409 and "已分配入党志愿书编号" in r.json()["msg"]
    assert c.post(f"{FORM}/assign", json={"record_ids": [b, d], "year": 2026}).status_code == 200
    rows = {x["id"]: x for x in c.get(RECEPTION_API, params={"per_page": 500, "step": "form"}).json()["data"]["items"]}
    assert rows[b]["application_form_number"] < rows[d]["application_form_number"]
    assert "20260010" not in (rows[b]["application_form_number"], rows[d]["application_form_number"])
    more = env.people(4, stage="reception", step="form")
    assert c.post(f"{FORM}/ranges", json={"year": 2030, "first": 20300001, "last": 20300003}).status_code == 200
    r = c.post(f"{FORM}/assign", json={"record_ids": more, "year": 2030})
    assert r.status_code == 409 and "编号不足" in r.json()["msg"]
    r = c.post(f"{FORM}/assign", json={"record_ids": more, "year": 2031})
    assert r.status_code == 409 and "尚未登记" in r.json()["msg"]
    wrong = env.people(1, stage="reception", step="meeting")
    assert c.post(f"{FORM}/assign", json={"record_ids": wrong, "year": 2026}).status_code == 409


def test_issue_then_the_student_sees_number_and_template_then_the_branch_confirms(env):
    c = env.committee
    rid, me = env.person("reception", "form")
    assert me.get(MP).json()["form"] is None
    assert me.get(f"{MP}/template").status_code == 404
    r = c.post(f"{FORM}/issue", json={"record_ids": [rid]})
    assert r.status_code == 409 and "尚未分配" in r.json()["msg"]
    r = env.branch.post(f"{FORM}/confirm", json={"record_ids": [rid], "day": "2026-01-01"})
    assert r.status_code == 409 and "尚未下发" in r.json()["msg"]
    assert c.post(f"{FORM}/assign", json={"items": [{"record_id": rid, "number": 20260042}]}).status_code == 200
    assert me.get(MP).json()["form"] is None  # assigned, not issued yet
    assert c.post(f"{FORM}/issue", json={"record_ids": [rid]}).status_code == 200
    assert c.post(f"{FORM}/issue", json={"record_ids": [rid]}).status_code == 409
    assert any(t["kind"] == "fill_application_form" for t in me.get("/api/mp/v1/todos").json()["items"])
    assert any("入党志愿书" in title for title, _, kind in env.messages(me.user["id"]) if kind == "todo")
    mine = me.get(MP).json()
    assert (mine["form"]["number_text"], mine["form"]["status"]) == ("20260042", "issued")
    pdf = me.get(mine["template_url"])
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages)
    assert "20260042" in text and me.user["name"] in text and "入党志愿" in text
    assert env.records([rid])[rid].milestones.get("form_issued_at")
    r = env.branch.post(f"{FORM}/confirm", json={"record_ids": [rid], "day": "2099-01-01"})
    assert r.status_code == 422 and r.json()["errors"][0]["label"] == "提交时间"
    r = env.branch.post(f"{FORM}/confirm", json={"record_ids": [rid], "day": "2026-01-05"})
    assert r.status_code == 200 and r.json()["data"]["advanced"] == 1
    rec = env.records([rid])[rid]
    assert (rec.step, rec.milestones["form_submitted_at"]) == ("meeting", "2026-01-05")
    assert ("reception", "form", "application_form", "入党志愿书（编号20260042）") in [d[:4] for d in documents(env, rid)]
    # sent back by a re-vote, the person keeps the number and the branch confirms again
    async def back(s, e):
        from core.workflow.models import DevelopmentRecord

        (await s.get(DevelopmentRecord, rid)).step = "form"
    env.run(back)
    r = c.post(f"{FORM}/assign", json={"items": [{"record_id": rid, "number": 20260043}]})
    assert r.status_code == 409 and "不能更换编号" in r.json()["msg"]
    assert env.branch.post(f"{FORM}/confirm", json={"record_ids": [rid], "day": "2026-02-01"}).status_code == 200
    assert me.get(MP).json()["form"]["number_text"] == "20260042"


def test_routes_refuse_the_other_branch_students_and_strangers(env):
    (rid,) = env.people(1, stage="reception", step="form")
    student, anonymous = env.student(), Api(env.c, None)
    routes = [("post", f"{FORM}/assign", {"items": [{"record_id": rid, "number": 20260090}]}),
              ("post", f"{FORM}/assign", {"record_ids": [rid], "year": 2026}),
              ("post", f"{FORM}/issue", {"record_ids": [rid]}),
              ("post", f"{FORM}/confirm", {"record_ids": [rid], "day": "2026-01-01"})]
    for method, url, body in routes:
        assert getattr(env.other, method)(url, json=body).status_code in (403, 404), url  # numbers: committee only
        assert getattr(student, method)(url, json=body).status_code == 403, url
        assert getattr(anonymous, method)(url, json=body).status_code == 401, url
    assert env.other.post(f"{FORM}/confirm", json={"record_ids": [rid], "day": "2026-01-01"}).status_code == 404
    for url in (f"{FORM}/ranges", f"{FORM}/numbers"):
        assert student.get(url).status_code == 403 and anonymous.get(url).status_code == 401
    assert rid not in {x["record_id"] for x in env.other.get(f"{FORM}/numbers", params={"per_page": 500}).json()["data"]["items"]}
    assert anonymous.get(MP).status_code == 401
    assert env.records([rid])[rid].step == "form"
