"""The filing component (备案 / 预审 / 审批, DEV-8) against a throwaway stage with all four
variants (tests/plugins/filing_stage.py): batches, the generated form, submission, the
committee's decision per person, the branch's own results, the branch-confirmed variant,
and rights from outside."""
import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.dev_helpers import local_today
from tests.publicity_helpers import cjk_fonts_embedded
from tests.plugins.filing_stage import API

pytestmark = pytest.mark.xf_plugins("tests.plugins.filing_stage")



def records(xf_app, ids):
    from core.workflow.models import DevelopmentRecord

    async def read(s):
        return {r.id: r for r in (await s.execute(select(DevelopmentRecord).where(DevelopmentRecord.id.in_(ids)))).scalars()}
    return xf_app.run(read)


def messages_to(xf_app, user_ids):
    from core.outbox import OutboxMessage

    async def read(s):
        return [(m.recipient_id, m.title, m.body) for m in (await s.execute(
            select(OutboxMessage).where(OutboxMessage.recipient_id.in_(user_ids)).order_by(OutboxMessage.id))).scalars()]
    return xf_app.run(read)


def documents(xf_app, record_id):
    from core.workflow.models import Document

    async def read(s):
        return [(d.kind, d.title) for d in (await s.execute(select(Document).where(Document.record_id == record_id))).scalars()]
    return xf_app.run(read)


def names(xf_app, people):
    from core.models import User

    async def read(s):
        return {u.id: u.name for u in (await s.execute(select(User).where(User.id.in_([p.user_id for p in people])))).scalars()}
    return xf_app.run(read)


def test_filing_from_batch_to_committee_decision(xf_app, xf_branch, xf_other_branch, xf_committee):
    people = [xf_app.person("reception", "filing", milestones={"applied_at": "2025-03-01"}) for _ in range(3)]
    ids = [p.record_id for p in people]
    who = names(xf_app, people)
    # 新增备案 with the chosen people; they are busy for another batch
    r = xf_branch.post(f"{API}/filing", json={"record_ids": ids[:2]})
    assert r.status_code == 200, r.text
    fid = r.json()["data"]["id"]
    assert r.json()["data"]["state"] == "draft" and r.json()["data"]["state_label"] == "待提交"
    other = xf_branch.post(f"{API}/filing", json={}).json()["data"]["id"]
    cands = [c["record_id"] for c in xf_branch.get(f"{API}/filing/{other}/candidates").json()["data"]["items"]]
    assert ids[2] in cands and ids[0] not in cands
    r = xf_branch.post(f"{API}/filing/{other}/generate", json={"filing_date": local_today().isoformat(), "people": [{"record_id": ids[0]}]})
    assert r.status_code == 409 and who[people[0].user_id] in r.json()["msg"]
    assert xf_branch.delete(f"{API}/filing/{other}").status_code == 200
    # 确认并生成备案表: a date is needed and cannot be in the future; submit needs the form
    assert xf_branch.post(f"{API}/filing/{fid}/submit").status_code == 409
    body = {"people": [{"record_id": i} for i in ids], "opinion": "同意报学院党委备案"}
    assert xf_branch.post(f"{API}/filing/{fid}/generate", json=body).status_code == 422
    future = (local_today() + timedelta(days=2)).isoformat()
    assert xf_branch.post(f"{API}/filing/{fid}/generate", json={**body, "filing_date": future}).status_code == 422
    r = xf_branch.post(f"{API}/filing/{fid}/generate", json={**body, "filing_date": local_today().isoformat()})
    assert r.status_code == 200, r.text
    detail = r.json()["data"]
    assert [e["record_id"] for e in detail["entries"]] == ids and detail["entries"][0]["dates"] == {"applied_at": "2025-03-01"}
    pdf = xf_branch.get(f"{API}/filing/{fid}/form")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "测试对象备案表" in text and all(who[p.user_id] in text for p in people) and "同意报学院党委备案" in text
    assert cjk_fonts_embedded([ref.get_object() for page in reader.pages for ref in page["/Resources"]["/Font"].values()])
    # rights from outside, before and after submission
    for call in (lambda a: a.get(f"{API}/filing/{fid}"), lambda a: a.post(f"{API}/filing/{fid}/submit"),
                 lambda a: a.get(f"{API}/filing/{fid}/form"),
                 lambda a: a.post(f"{API}/filing/{fid}/generate", json={**body, "filing_date": local_today().isoformat()})):
        assert call(xf_other_branch).status_code == 404
        assert call(people[0].api).status_code == 403
        assert call(xf_app.anonymous).status_code == 401
    r = xf_branch.post(f"{API}/filing/{fid}/submit")
    assert r.status_code == 200 and r.json()["data"]["state_label"] == "备案中"
    committee_id = xf_committee.user["id"]
    assert any("提交了测试对象备案" in t for _, t, _ in messages_to(xf_app, [committee_id]))
    assert xf_branch.post(f"{API}/filing/{fid}/submit").status_code == 409
    assert xf_branch.post(f"{API}/filing/{fid}/generate", json={**body, "filing_date": local_today().isoformat()}).status_code == 409
    assert xf_branch.delete(f"{API}/filing/{fid}").status_code == 409
    # the committee sees every branch's batches, a branch only its own
    assert fid in [b["id"] for b in xf_committee.get(f"{API}/filing").json()["data"]["items"]]
    assert fid not in [b["id"] for b in xf_other_branch.get(f"{API}/filing").json()["data"]["items"]]
    # 确认备案结果: only the committee, every person's result, a reason for 不通过
    items = [{"record_id": ids[0], "result": "pass"}, {"record_id": ids[1], "result": "pass"},
             {"record_id": ids[2], "result": "fail", "opinion": "材料不全"}]
    decision = {"decided_on": local_today().isoformat(), "opinion": "同意备案", "items": items}
    assert xf_branch.post(f"{API}/filing/{fid}/decide", json=decision).status_code == 403
    assert xf_other_branch.post(f"{API}/filing/{fid}/decide", json=decision).status_code == 404
    assert people[0].api.post(f"{API}/filing/{fid}/decide", json=decision).status_code == 403
    assert xf_app.anonymous.post(f"{API}/filing/{fid}/decide", json=decision).status_code == 401
    r = xf_committee.post(f"{API}/filing/{fid}/decide", json={**decision, "items": items[:2]})
    assert r.status_code == 422 and who[people[2].user_id] in r.json()["msg"]
    r = xf_committee.post(f"{API}/filing/{fid}/decide", json={**decision, "items": items[:2] + [{"record_id": ids[2], "result": "fail"}]})
    assert r.status_code == 422 and "原因" in r.json()["msg"]
    assert xf_committee.post(f"{API}/filing/{fid}/decide", json={**decision, "decided_on": future}).status_code == 422
    assert xf_committee.post(f"{API}/filing/{fid}/decide", json={**decision, "items": [*items[:2], {**items[2], "result": "maybe"}]}).status_code == 422
    assert records(xf_app, ids)[ids[0]].step == "filing"  # nothing moved by the refusals
    r = xf_committee.post(f"{API}/filing/{fid}/decide", json=decision)
    assert r.status_code == 200, r.text
    assert r.json()["data"]["advanced"] == 2 and r.json()["data"]["failed"] == 1
    after = records(xf_app, ids)
    assert [after[i].step for i in ids[:2]] == ["pre_review", "pre_review"]
    assert after[ids[0]].milestones["test_filed_at"] == local_today().isoformat()
    assert after[ids[2]].status == "failed" and after[ids[2]].failure_code == "党委备案-不通过"
    assert "test_filed_at" not in after[ids[2]].milestones
    assert ("test_filing_form", "测试对象备案表") in documents(xf_app, ids[0])
    assert any("不通过" in t and "材料不全" in b for _, t, b in messages_to(xf_app, [people[2].user_id]))
    assert any("通过" in t for _, t, _ in messages_to(xf_app, [people[0].user_id]))
    assert any("结果已返回" in t for _, t, _ in messages_to(xf_app, [xf_branch.user["id"]]))
    assert xf_committee.post(f"{API}/filing/{fid}/decide", json=decision).status_code == 409
    listed = xf_committee.get(f"{API}/filing", params={"state": "completed"}).json()["data"]["items"]
    assert next(b for b in listed if b["id"] == fid)["passed"] == 2
    # the failed person can be re-developed and filed again
    assert xf_branch.post("/api/pc/v1/development/redevelop", json={"record_ids": [ids[2]]}).status_code == 200
    assert records(xf_app, [ids[2]])[ids[2]].step == "filing"
    row = next(x for x in xf_branch.get(API, params={"step": "filing"}).json()["data"]["items"] if x["id"] == ids[2])
    assert row["test_filing_state_label"] == "备案不通过"
    again = xf_branch.post(f"{API}/filing", json={"record_ids": [ids[2]]})
    assert again.status_code == 200 and again.json()["data"]["entries"][0]["record_id"] == ids[2]


def test_pre_review_uses_the_branch_results(xf_app, xf_branch, xf_committee):
    people = [xf_app.person("reception", "pre_review") for _ in range(2)]
    ids = [p.record_id for p in people]
    fid = xf_branch.post(f"{API}/pre-review", json={"record_ids": ids}).json()["data"]["id"]
    r = xf_branch.post(f"{API}/pre-review/{fid}/generate", json={"filing_date": local_today().isoformat(), "people": [{"record_id": i} for i in ids]})
    assert r.status_code == 422 and "预审结果" in r.json()["msg"]
    bare = [{"record_id": ids[0], "result": "pass"}, {"record_id": ids[1], "result": "fail"}]
    assert xf_branch.post(f"{API}/pre-review/{fid}/generate", json={"filing_date": local_today().isoformat(), "people": bare}).status_code == 422
    given = [{"record_id": ids[0], "result": "pass"}, {"record_id": ids[1], "result": "fail", "opinion": "考察期不足"}]
    r = xf_branch.post(f"{API}/pre-review/{fid}/generate", json={"filing_date": local_today().isoformat(), "people": given})
    assert r.status_code == 200, r.text
    assert [e["result"] for e in r.json()["data"]["entries"]] == ["pass", "fail"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(xf_branch.get(f"{API}/pre-review/{fid}/form").content)).pages)
    assert "测试对象预审表" in text and "考察期不足" in text
    assert xf_branch.post(f"{API}/pre-review/{fid}/submit").json()["data"]["state_label"] == "预审中"
    r = xf_committee.post(f"{API}/pre-review/{fid}/decide", json={"opinion": "同意"})
    assert r.status_code == 422  # the date of the pre-review
    r = xf_committee.post(f"{API}/pre-review/{fid}/decide", json={"decided_on": local_today().isoformat(), "opinion": "同意"})
    assert r.status_code == 200, r.text
    after = records(xf_app, ids)
    assert after[ids[0]].step == "approval" and after[ids[0]].milestones["test_pre_reviewed_at"] == local_today().isoformat()
    assert after[ids[1]].failure_code == "上级党委预审-不通过"


def test_approval_and_branch_confirmed_filing(xf_app, xf_branch, xf_other_branch, xf_committee):
    people = [xf_app.person("reception", "approval") for _ in range(2)]
    ids = [p.record_id for p in people]
    fid = xf_branch.post(f"{API}/approval", json={"record_ids": ids}).json()["data"]["id"]
    assert xf_branch.post(f"{API}/approval/{fid}/generate", json={"filing_date": local_today().isoformat(), "people": [{"record_id": i} for i in ids]}).status_code == 200
    assert xf_branch.post(f"{API}/approval/{fid}/submit").json()["data"]["state_label"] == "审批中"
    items = [{"record_id": i, "result": "pass"} for i in ids]
    r = xf_committee.post(f"{API}/approval/{fid}/decide", json={"decided_on": local_today().isoformat(), "items": items})
    assert r.status_code == 200 and r.json()["data"]["advanced"] == 2
    # 再上一级党委组织部门备案: the branch itself enters the result after submitting
    hid = xf_branch.post(f"{API}/higher-filing", json={"record_ids": ids}).json()["data"]["id"]
    assert xf_branch.post(f"{API}/higher-filing/{hid}/confirm", json={"decided_on": local_today().isoformat()}).status_code == 409
    assert xf_branch.post(f"{API}/higher-filing/{hid}/generate", json={"filing_date": local_today().isoformat(), "people": [{"record_id": i} for i in ids]}).status_code == 200
    assert xf_branch.post(f"{API}/higher-filing/{hid}/submit").status_code == 200
    assert xf_committee.post(f"{API}/higher-filing/{hid}/decide", json={"decided_on": local_today().isoformat(), "items": items}).status_code in (404, 405)
    assert xf_other_branch.post(f"{API}/higher-filing/{hid}/confirm", json={"decided_on": local_today().isoformat()}).status_code == 404
    assert people[0].api.post(f"{API}/higher-filing/{hid}/confirm", json={"decided_on": local_today().isoformat()}).status_code == 403
    assert xf_branch.post(f"{API}/higher-filing/{hid}/confirm", json={}).status_code == 422
    r = xf_branch.post(f"{API}/higher-filing/{hid}/confirm", json={"decided_on": local_today().isoformat(), "opinion": "已报组织部备案"})
    assert r.status_code == 200 and r.json()["data"]["advanced"] == 2
    after = records(xf_app, ids)
    assert after[ids[0]].step == "done" and after[ids[0]].milestones["test_higher_filed_at"] == local_today().isoformat()


def test_committee_creates_for_a_branch_and_to_dos(xf_app, xf_branch, xf_committee):
    person = xf_app.person("reception", "filing")
    assert any(t["kind"] == "filing" for t in xf_branch.get("/api/mp/v1/todos").json()["items"])
    assert xf_committee.post(f"{API}/filing", json={}).status_code == 422  # which branch?
    r = xf_committee.post(f"{API}/filing", json={"record_ids": [person.record_id]})
    assert r.status_code == 200 and r.json()["data"]["branch_id"] == xf_branch.user["party_branch_id"]
    fid = r.json()["data"]["id"]
    xf_branch.post(f"{API}/filing/{fid}/generate", json={"filing_date": local_today().isoformat(), "people": [{"record_id": person.record_id}]})
    xf_branch.post(f"{API}/filing/{fid}/submit")
    assert any(t["kind"] == "filing_decide" for t in xf_committee.get("/api/mp/v1/todos").json()["items"])
