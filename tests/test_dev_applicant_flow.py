"""The applicant stage end to end through the API alone (APP-1..4)."""
from datetime import datetime, timedelta

from tests.test_messaging_api import deliver
from tests.dev_helpers import local_today, branch_talker, new_student, upload


def test_apply_review_talk(client, committee, branch_a, tiny_png):
    me = new_student(client, committee)
    status = me.get("/api/mp/v1/development/apply").json()
    assert status["eligible"] is True and status["record"] is None and status["conditions"]
    token = upload(me, tiny_png)
    r = me.post("/api/mp/v1/development/apply", json={"files": [token], "signed_date": local_today().isoformat()})
    assert r.status_code == 200, r.text
    listed = branch_a.get("/api/pc/v1/development/applicants", params={"name": me.user["name"]}).json()["data"]["items"]
    assert len(listed) == 1 and listed[0]["step"] == "application" and listed[0]["letter_status"] == "submitted"
    rid = listed[0]["id"]
    # reject needs a reason, then the student resubmits
    assert branch_a.post("/api/pc/v1/development/applicants/review", json={"record_ids": [rid], "approve": False}).status_code == 422
    r = branch_a.post("/api/pc/v1/development/applicants/review", json={"record_ids": [rid], "approve": False, "reason": "落款不清楚"})
    assert r.status_code == 200
    assert me.get("/api/mp/v1/development/apply").json()["letter"]["reason"] == "落款不清楚"
    r = me.post("/api/mp/v1/development/apply", json={"files": [upload(me, tiny_png)], "signed_date": local_today().isoformat()})
    assert r.status_code == 200, r.text
    r = branch_a.post("/api/pc/v1/development/applicants/review", json={"record_ids": [rid], "approve": True})
    assert r.status_code == 200, r.text
    # talk: assign → schedule → submit → approve
    talker = branch_talker(client, committee, branch_a)
    deadline = (datetime.now() + timedelta(days=10)).isoformat(timespec="minutes")
    r = branch_a.post("/api/pc/v1/development/applicants/talk/assign", json={"record_ids": [rid], "talker_id": talker.user["id"], "deadline": deadline})
    assert r.status_code == 200, r.text
    todo = talker.get("/api/mp/v1/development/talks").json()["items"]
    talk = next(t for t in todo if t["record_id"] == rid)
    r = talker.post(f"/api/mp/v1/development/talks/{talk['id']}/schedule", json={"place": "党员活动室", "scheduled_at": deadline})
    assert r.status_code == 200, r.text
    assert me.get("/api/mp/v1/development/apply").json()["talk"]["place"] == "党员活动室"
    r = talker.post(f"/api/mp/v1/development/talks/{talk['id']}/record", json={"content": "谈话内容……", "talk_date": local_today().isoformat()})
    assert r.status_code == 200, r.text
    r = branch_a.post("/api/pc/v1/development/applicants/talk/review", json={"record_ids": [rid], "approve": True})
    assert r.status_code == 200, r.text
    timeline = me.get("/api/mp/v1/development/timeline").json()
    assert timeline["record"]["step"] == "publicity"
    titles = [e["title"] for e in timeline["events"]]
    assert "入党申请书审核不通过" in titles and "入党申请书审核通过" in titles
    reg = {x["no"]: x for x in timeline["regulation"]}
    assert reg[1]["done"] and reg[2]["done"] and not reg[3]["done"]


def _move_publicity_time(app, client, publicity_id: int, days: int) -> None:
    """Move the clock forward by moving the stored period back (no sleeping)."""
    from sqlalchemy import update

    from core.workflow.models import Batch

    async def shift():
        async with app.state.db.sessionmaker() as s:
            p = await s.get(Batch, publicity_id)
            await s.execute(update(Batch).where(Batch.id == publicity_id).values(
                start_at=p.start_at - timedelta(days=days), end_at=p.end_at - timedelta(days=days)))
            await s.commit()

    client.portal.call(shift)


def test_whole_applicant_stage_to_the_activist_stage(app, client, committee, branch_a, tiny_png):
    import io

    from pypdf import PdfReader

    me = new_student(client, committee, name="公示测试甲")
    assert me.get("/api/mp/v1/profile").json()["complete"] is True
    r = me.post("/api/mp/v1/development/apply", json={"files": [upload(me, tiny_png)], "signed_date": local_today().isoformat()})
    assert r.status_code == 200
    rid = branch_a.get("/api/pc/v1/development/applicants", params={"name": "公示测试甲"}).json()["data"]["items"][0]["id"]
    assert branch_a.post("/api/pc/v1/development/applicants/review", json={"record_ids": [rid], "approve": False, "reason": "请补充签名"}).status_code == 200
    assert me.post("/api/mp/v1/development/apply", json={"files": [upload(me, tiny_png)], "signed_date": local_today().isoformat()}).status_code == 200
    assert branch_a.post("/api/pc/v1/development/applicants/review", json={"record_ids": [rid], "approve": True}).status_code == 200
    talker = branch_talker(client, committee, branch_a)
    deadline = (datetime.now() + timedelta(days=7)).isoformat(timespec="minutes")
    branch_a.post("/api/pc/v1/development/applicants/talk/assign", json={"record_ids": [rid], "talker_id": talker.user["id"], "deadline": deadline})
    todo = talker.get("/api/mp/v1/todos").json()["items"]
    assert any(t["kind"] == "schedule_talk" and t["kind_label"] == "安排谈话" and "公示测试甲" in t["title"] for t in todo)
    talk = next(t for t in talker.get("/api/mp/v1/development/talks").json()["items"] if t["record_id"] == rid)
    talker.post(f"/api/mp/v1/development/talks/{talk['id']}/schedule", json={"place": "党员之家", "scheduled_at": deadline})
    talker.post(f"/api/mp/v1/development/talks/{talk['id']}/record", json={"content": "入党动机端正。", "talk_date": local_today().isoformat()})
    assert branch_a.post("/api/pc/v1/development/applicants/talk/review", json={"record_ids": [rid], "approve": True}).status_code == 200
    # publicity: settings → create → content → generate → (time passes) → report → complete
    pub = "/api/pc/v1/development/applicants/publicity"
    r = branch_a.put(f"{pub}/settings", json={"title": "入党申请人公示", "intro": "根据有关规定，现将以下同志予以公示。",
                                              "organiser": "本科生第一党支部", "contact": "王老师", "phone": "020-12345678"})
    assert r.status_code == 200, r.text
    pid = branch_a.post(pub, json={}).json()["data"]["id"]
    candidates = branch_a.get(f"{pub}/{pid}/candidates").json()["data"]["items"]
    assert rid in [c["record_id"] for c in candidates]
    r = branch_a.put(f"{pub}/{pid}/content", json={"signature_date": local_today().isoformat(), "start_date": local_today().isoformat(),
                                                  "people": [{"record_id": rid, "brief": "学习认真，积极参加志愿服务。"}]})
    assert r.status_code == 200, r.text
    assert branch_a.post(f"{pub}/{pid}/generate").status_code == 200
    detail = branch_a.get(f"{pub}/{pid}").json()["data"]
    assert detail["state"] in ("scheduled", "running")
    assert branch_a.post(f"{pub}/{pid}/report").status_code == 409
    pdf = branch_a.get(detail["document_url"]).content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "公示测试甲" in text and "学习认真" in text
    _move_publicity_time(app, client, pid, 10)
    assert branch_a.get(f"{pub}/{pid}").json()["data"]["state"] == "ended"
    assert branch_a.post(f"{pub}/{pid}/complete").status_code == 409  # the report comes first
    assert branch_a.post(f"{pub}/{pid}/report", json={"note": "公示期间未收到异议。"}).status_code == 200
    report = branch_a.get(branch_a.get(f"{pub}/{pid}").json()["data"]["report_url"]).content
    assert "公示测试甲" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(report)).pages)
    assert branch_a.post(f"{pub}/{pid}/complete").status_code == 200
    # the student entered the activist stage; the timeline shows every step with actors and dates
    timeline = me.get("/api/mp/v1/development/timeline").json()
    assert timeline["record"]["stage"] == "activist" and timeline["record"]["people_title"] == "入党积极分子"
    applicant = timeline["stages"][0]
    assert applicant["status"] == "done" and all(s["status"] == "done" and s["date"] for s in applicant["steps"])
    events = timeline["events"]
    actions = [(e["action"], e["actor_role"]) for e in events]
    for expected in [("started", "学生"), ("submitted", "学生"), ("rejected", "党支部管理员"), ("completed", "党支部管理员"),
                     ("talk_assigned", "党支部管理员"), ("talk_scheduled", "谈话人"), ("talk_submitted", "谈话人"), ("stage_entered", "党支部管理员")]:
        assert expected in actions, expected
    assert all(e["time"] and e["actor"] for e in events)
    deliver(client)  # what the worker does: the outbox rows of these actions become messages
    titles = [m["title"] for m in me.get("/api/mp/v1/messages", params={"per_page": 50}).json()["items"]]
    assert "入党申请书审核不通过" in titles and any("公示" in t for t in titles)
    assert any("积极分子" in t for t in titles)  # the stage change itself is announced
