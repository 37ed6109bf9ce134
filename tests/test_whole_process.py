"""ONE student from 我想入党 to 中共党员 through every step of all five stages over the API
(manual 6.1–6.5, regulation ①–㉕): the letter, the talk and the publicity; the activist
stage with its recommendation, publicity, committee meeting, filing, contact, cultivation and
training class; the candidate stage with its symposium, committee vote, filing, committee
publicity, introducers, cultivation, autobiography, political review and training class; the
reception stage and the conversion stage (tests/probation_flow.py). Time is moved by the dates
the forms take (the letter's 落款时间, the meetings' times) and, for the probation year, by
writing the record's dates back; never waited for."""
from datetime import timedelta

import pytest

from tests.activist_helpers import local_now, ok, today
from tests.probation_flow import CONV, MP, Flow, Member, stage_app, vote

APP = "/api/pc/v1/development/applicants"
ACT = "/api/pc/v1/development/activists"
CAN = "/api/pc/v1/development/candidates"
TRAINING = "/api/pc/v1/development/training"


@pytest.fixture(scope="module")
def flow(tmp_path_factory):
    with stage_app(tmp_path_factory.mktemp("whole_process")) as f:
        yield f


def days_ago(n: int) -> str:
    return (today() - timedelta(days=n)).isoformat()


def submit(flow: Flow, me: Member, mp_path: str, signed: str | None = None) -> None:
    ok(me.api.post(f"{MP}/{mp_path}", json={"files": [flow.file_token(me.api)], "signed_date": signed or today().isoformat()}))


def talk(api, kind: str, record_id: int, content: str) -> None:
    t = ok(api.post(f"{MP}/talks/open", json={"kind": kind, "record_id": record_id}))["talk"]
    ok(api.post(f"{MP}/talks/{t['id']}/schedule", json={"place": "党员活动室", "scheduled_at": local_now().isoformat(timespec="minutes")}))
    ok(api.post(f"{MP}/talks/{t['id']}/record", json={"content": content, "talk_date": today().isoformat()}))


def training(flow: Flow, me: Member, class_type: str) -> None:
    """A training class the student signs up for, is selected, trained and 结业."""
    from sqlalchemy import update

    from core.workflow.components.training_models import TrainingClass

    c, b = flow.committee, flow.branch
    start = local_now() + timedelta(hours=1)
    at = lambda d: (start + timedelta(days=d)).isoformat(timespec="minutes")  # noqa: E731
    cid = ok(c.post(f"{TRAINING}/classes", json={
        "class_type": class_type, "title": f"第一期{class_type}培训班", "place": "学院报告厅", "publish": True,
        "signup_start": at(0), "signup_end": at(3), "train_start": at(4), "train_end": at(6),
        "quotas": [{"branch_id": b.user["party_branch_id"], "quota": 10}]}))["data"]["id"]

    def shift(**deltas):
        async def go(s, e):
            k = await s.get(TrainingClass, cid)
            await s.execute(update(TrainingClass).where(TrainingClass.id == cid).values(
                **{key: getattr(k, key) + d for key, d in deltas.items()}))
        flow.env.run(go)
    shift(signup_start=-timedelta(hours=2))
    ok(me.api.post(f"{MP}/training/{cid}/signup"))
    shift(signup_start=-timedelta(days=4), signup_end=-timedelta(days=4))
    ok(c.post(f"{TRAINING}/classes/{cid}/screening"))
    ok(b.post(f"{TRAINING}/classes/{cid}/submit"))
    for step in ("confirm", "start", "end"):
        ok(c.post(f"{TRAINING}/classes/{cid}/{step}"))
    selected = ok(c.get(f"{TRAINING}/classes/{cid}/signups", params={"status": "selected"}))["data"]["items"]
    ok(c.post(f"{TRAINING}/classes/{cid}/results", json={"items": [
        {"signup_id": s["id"], "result": "passed", "result_date": today().isoformat()} for s in selected]}))


def political_review(flow: Flow, me: Member) -> None:
    c, pr = flow.committee, f"{CAN}/political-review"
    review = ok(c.post(pr, json={"title": "发展对象政审"}))["data"]["id"]
    ok(c.put(f"{pr}/{review}/people", json={"record_ids": [me.record_id]}))
    ok(c.post(f"{pr}/{review}/confirm-list"))
    ok(me.api.put(f"{MP}/political-review", json={"relatives": [
        {"name": "父亲甲", "relation": "父亲", "work_unit": "市第一中学", "political_status": "中共党员", "phone": "13800000001"},
        {"name": "母亲乙", "relation": "母亲", "work_unit": "县人民医院", "political_status": "群众", "phone": "13800000002"}]}))
    ok(c.post(f"{pr}/{review}/confirm-info"))
    ok(c.post(f"{pr}/{review}/letters", json={"recipient": "王老师", "phone": "010-62780000", "address": "学院党委办公室",
                                              "signature_date": today().isoformat()}))
    ok(c.post(f"{pr}/{review}/to-branches"))
    ok(flow.branch.put(f"{pr}/{review}/opinions", json={"items": [{"record_id": me.record_id, "opinion": "政治立场坚定，历史清白"}]}))
    ok(flow.branch.post(f"{pr}/{review}/submit-opinions"))
    token = ok(c.post("/api/files", files={"file": ("政审结论.png", flow.png_bytes(), "image/png")}))["file"]["token"]
    ok(c.put(f"{pr}/{review}/results", json={"files": [token], "items": [{"record_id": me.record_id, "outcome": "pass", "note": ""}]}))
    ok(c.post(f"{pr}/{review}/complete"))


def test_one_student_from_the_application_letter_to_full_member(flow: Flow):
    env, b, c = flow.env, flow.branch, flow.committee
    (uid,) = env.users(1, "共青团员")

    async def enrolled(s, e):
        from datetime import date

        from core.models import StudentProfile

        (await s.get(StudentProfile, uid)).enrollment_date = date(today().year - 4, 9, 1)
    env.run(enrolled)
    api = env.as_user(uid)
    member, member_api = flow.introducers[0], flow.introducer_apis[0]

    # --- 申请入党 (①②): 我想入党, review, the party's talk, the applicant publicity -------------------------
    ok(api.post(f"{MP}/apply", json={"files": [flow.file_token(api)], "signed_date": days_ago(1100)}))
    rid = ok(api.get(f"{MP}/timeline"))["record"]["id"]
    me = Member(rid, uid, api.user["name"], api)
    ok(b.post(f"{APP}/review", json={"record_ids": [rid], "approve": True}))
    deadline = (local_now() + timedelta(days=7)).isoformat(timespec="minutes")
    ok(b.post(f"{APP}/talk/assign", json={"record_ids": [rid], "talker_id": member, "deadline": deadline}))
    t = next(x for x in ok(member_api.get(f"{MP}/talks"))["items"] if x["record_id"] == rid)
    ok(member_api.post(f"{MP}/talks/{t['id']}/schedule", json={"place": "党员之家", "scheduled_at": deadline}))
    ok(member_api.post(f"{MP}/talks/{t['id']}/record", json={"content": "入党动机端正。", "talk_date": days_ago(1090)}))
    ok(b.post(f"{APP}/talk/review", json={"record_ids": [rid], "approve": True}))
    flow.publicize(APP, [me])
    flow.at([me], "activist", "condition")

    # --- 入党积极分子 (③④⑤⑥) ---------------------------------------------------------------------------------
    ok(b.post(f"{ACT}/condition", json={"record_ids": [rid], "outcome": "pass"}))
    submit(flow, me, "recommendation", days_ago(1000))
    ok(b.post(f"{ACT}/recommendation/result", json={"record_ids": [rid], "result": "pass", "day": days_ago(1000)}))
    flow.publicize(ACT, [me])
    ok(b.post(f"{ACT}/committee-meeting", json={"record_ids": [rid], "place": "支部活动室",
                                                "held_at": (local_now() - timedelta(days=900)).isoformat(timespec="minutes")}))
    fid = ok(b.post(f"{ACT}/filing", json={"record_ids": [rid]}))["data"]["id"]
    ok(b.post(f"{ACT}/filing/{fid}/generate", json={"filing_date": today().isoformat(), "people": [{"record_id": rid}]}))
    ok(b.post(f"{ACT}/filing/{fid}/submit"))
    ok(c.post(f"{ACT}/filing/{fid}/decide", json={"decided_on": today().isoformat(), "opinion": "同意备案",
                                                  "items": [{"record_id": rid, "result": "pass"}]}))
    ok(b.post(f"{ACT}/contact/assign", json={"record_ids": [rid], "user_ids": [member]}))
    p = ok(b.post(f"{ACT}/contact-publicity", json={}))["data"]
    ok(b.put(f"{ACT}/contact-publicity/{p['id']}/content", json={"signature_date": today().isoformat(), "start_date": today().isoformat(),
                                                                 "people": [{"record_id": rid, "brief": "表现良好"}]}))
    ok(b.post(f"{ACT}/contact-publicity/{p['id']}/generate"))
    flow.shift_batch(p["id"], 10)
    ok(b.post(f"{ACT}/contact-publicity/{p['id']}/report", json={"note": ""}))
    ok(b.post(f"{ACT}/contact-publicity/{p['id']}/complete"))
    flow.at([me], "activist", "cultivation")
    for quarter in range(4):
        submit(flow, me, "thought-reports")
        ok(b.post(f"{ACT}/report/review", json={"record_ids": [rid], "approve": True}))
        talk(member_api, "activist_quarter_talk", rid, f"第{quarter + 1}季度谈话：思想积极。")
        ok(b.post(f"{ACT}/quarter-talk/review", json={"record_ids": [rid], "approve": True}))
    training(flow, me, "activist")
    ok(b.post(f"{ACT}/cultivation/pass", json={"record_ids": [rid]}))
    flow.at([me], "candidate", "condition")

    # --- 发展对象 (⑦⑧⑨⑩⑪) ---------------------------------------------------------------------------------
    ok(b.post(f"{CAN}/condition", json={"record_ids": [rid], "outcome": "pass"}))
    submit(flow, me, "candidate-recommendation", days_ago(520))
    ok(b.post(f"{CAN}/recommendation/result", json={"record_ids": [rid], "result": "pass", "day": days_ago(520)}))
    flow.symposium(CAN, [me])
    ok(b.post(f"{CAN}/committee-meeting", json={
        "held_at": (local_now() - timedelta(days=500)).isoformat(timespec="minutes"), "place": "党员活动室", "expected": 5,
        "present": 5, "attendees": "支委5人", "items": [{"record_id": rid, "outcome": "pass"}]}))
    fid = ok(b.post(f"{CAN}/filing", json={"record_ids": [rid]}))["data"]["id"]
    ok(b.post(f"{CAN}/filing/{fid}/generate", json={"filing_date": today().isoformat(), "opinion": "同意确定为入党重点发展对象",
                                                    "people": [{"record_id": rid}]}))
    ok(b.post(f"{CAN}/filing/{fid}/submit"))
    ok(c.post(f"{CAN}/filing/{fid}/decide", json={"decided_on": today().isoformat(), "opinion": "同意备案",
                                                  "items": [{"record_id": rid, "result": "pass"}]}))
    pub = f"{CAN}/publicity"
    p = ok(c.post(pub, json={}))["data"]
    ok(c.put(f"{pub}/{p['id']}/content", json={"signature_date": today().isoformat(), "start_date": today().isoformat(),
                                               "people": [{"record_id": rid, "brief": "入党动机端正，学习成绩优良"}]}))
    ok(c.put(f"{pub}/{p['id']}/batch-fill", json={"branch_id": b.user["party_branch_id"], "contact": "王老师", "phone": "13800000004"}))
    ok(c.post(f"{pub}/{p['id']}/generate"))
    flow.shift_batch(p["id"], 10)
    ok(c.post(f"{pub}/{p['id']}/report", json={"note": ""}))
    ok(c.post(f"{pub}/{p['id']}/complete"))
    ok(b.post(f"{CAN}/introducer/assign", json={"record_ids": [rid], "user_ids": flow.introducers}))
    flow.at([me], "candidate", "cultivation")
    for quarter in range(4):
        submit(flow, me, "candidate-thought-reports")
        ok(b.post(f"{CAN}/report/review", json={"record_ids": [rid], "approve": True}))
        talk(flow.introducer_apis[quarter % 2], "introducer_talk", rid, f"第{quarter + 1}季度谈话：思想积极。")
        ok(b.post(f"{CAN}/introducer-talk/review", json={"record_ids": [rid], "approve": True}))
    submit(flow, me, "autobiography")
    ok(b.post(f"{CAN}/autobiography/review", json={"record_ids": [rid], "approve": True}))
    political_review(flow, me)
    training(flow, me, "candidate")
    ok(b.post(f"{CAN}/cultivation/pass", json={"record_ids": [rid]}))
    flow.at([me], "reception", "condition")

    # --- 预备党员的接收 (⑫–⑱) and 教育考察和转正 (⑲–㉕) ------------------------------------------------------
    flow.reception([me])
    flow.at([me], "conversion", "party_group")
    assert env.status_of(rid) == "中共预备党员"
    flow.age([me], 400)  # the probation year passes
    flow.to_conversion_meeting([me])
    ok(flow.general_meeting("conversion", [me], [vote(rid, "agree", 5)])[1])
    flow.filing(CONV, "approval", [me])
    report = ok(b.post(f"{CONV}/complete/check", json={"record_ids": [rid]}))["data"]
    assert report["ready"] == 1, report["items"][0]["problems"]
    ok(b.post(f"{CONV}/complete/finish", json={"record_ids": [rid]}))
    record = env.records([rid])[rid]
    assert record.status == "done" and env.status_of(rid) == "中共党员"
    assert record.milestones["full_member_at"] == report["items"][0]["probation_end"]
    timeline = ok(api.get(f"{MP}/timeline"))
    assert all(x["done"] for x in timeline["regulation"]), [x for x in timeline["regulation"] if not x["done"]]
