"""The candidate stage (manual 6.3, CAN-1..10) end to end over the API: people who passed the
activist stage's cultivation, in three branches, through the condition check, the
recommendation, the symposium (batch upload with misnamed and duplicate files), the branch
committee meeting's vote, filing, the committee's publicity with contacts (per-branch batch
fill), two introducers, and cultivation (quarterly thought reports and introducer talks, the
autobiography, the political review with its letters, the candidate training class) up to
考察通过 into the reception stage. Every failure code of the stage and re-development after
it; rights from outside (the other branch's admin 404, a student 403, anonymous 401)."""
import io
import zipfile
from datetime import timedelta

import pytest

from tests.activist_helpers import MP, local_now, ok, pdf_text, today, upload
from tests.candidate_flow import (A, B, C, CAN, SCAN, StageEnv, candidates, ids, members, political_review, publicize,
                                  redevelop, student_no, symposium, training)
from tests.conftest import own_app


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    with own_app(tmp_path_factory.mktemp("candidate_flow"), [], students=30) as (client, app):
        yield StageEnv(client, app)


def test_the_candidate_stage_end_to_end(env, tiny_png):
    people = {a: candidates(env, a, 3) for a in (A, B, C)}
    everyone = [p for ps in people.values() for p in ps]
    a0, a1, a2 = people[A]
    b0, b1, b2 = people[B]
    c0, c1, c2 = people[C]
    student = a0.api

    # --- 确定符合条件的积极分子: 审核不通过 → 发展条件-不通过 → 重新发展 ---------------------------------
    assert env.admins[B].post(f"{CAN}/condition", json={"record_ids": [a0.record_id], "outcome": "pass"}).status_code == 404
    assert student.post(f"{CAN}/condition", json={"record_ids": [a0.record_id], "outcome": "pass"}).status_code == 403
    assert env.anonymous.post(f"{CAN}/condition", json={"record_ids": [a0.record_id], "outcome": "pass"}).status_code == 401
    ok(env.admins[A].post(f"{CAN}/condition", json={"record_ids": [a0.record_id], "outcome": "fail", "note": "近期表现有待观察"}))
    redevelop(env, A, a0, "发展条件-不通过")
    for admin, ps in people.items():
        ok(env.admins[admin].post(f"{CAN}/condition", json={"record_ids": ids(ps), "outcome": "pass"}))
    assert {w[1] for w in env.where(everyone).values()} == {"recommendation"}
    assert any(t == "请提交推优登记表" for t, _ in env.messages(a0.user_id))

    # --- 推优: template, upload, withdraw, 退回, delete, 不通过 → 团/党员推荐-不通过, 通过 with 推优时间 ---------
    rec_mp = f"{MP}/candidate-recommendation"
    assert any(t["kind"] == "submit" and t["link"] == "/mp/development/candidate-recommendation"
               for t in ok(student.get("/api/mp/v1/todos"))["items"])
    form = ok(student.post(f"{rec_mp}/template"))
    assert a0.name in pdf_text(student.get(form["url"]).content)
    signed = (today() - timedelta(days=403)).isoformat()
    for p in everyone:
        ok(p.api.post(rec_mp, json={"files": [upload(p.api, tiny_png)], "signed_date": signed}))
    ok(a1.api.post(f"{rec_mp}/withdraw"))
    ok(a1.api.post(rec_mp, json={"files": [upload(a1.api, tiny_png)], "signed_date": signed}))
    rec_day = (today() - timedelta(days=402)).isoformat()
    result = f"{CAN}/recommendation/result"
    assert env.admins[B].post(result, json={"record_ids": [a1.record_id], "result": "pass", "day": rec_day}).status_code == 404
    assert a1.api.post(result, json={"record_ids": [a1.record_id], "result": "pass", "day": rec_day}).status_code == 403
    ok(env.admins[A].post(result, json={"record_ids": [a1.record_id], "result": "return", "reason": "缺少党员推荐意见"}))
    assert ok(a1.api.get(rec_mp))["recommendation"]["reason"] == "缺少党员推荐意见"
    ok(a1.api.post(rec_mp, json={"files": [upload(a1.api, tiny_png)], "signed_date": signed}))
    assert env.admins[B].post(f"{CAN}/recommendation/delete", json={"record_ids": [a2.record_id], "reason": "x"}).status_code == 404
    ok(env.admins[A].post(f"{CAN}/recommendation/delete", json={"record_ids": [a2.record_id], "reason": "扫描件不清晰"}))
    ok(env.admins[A].post(f"{CAN}/recommendation/proxy", json={"record_id": a2.record_id,
                                                               "files": [upload(env.admins[A], tiny_png)], "signed_date": signed}))
    ok(env.admins[B].post(result, json={"record_ids": [b0.record_id], "result": "fail", "reason": "党员推荐票数不足"}))
    redevelop(env, B, b0, "团/党员推荐-不通过")
    ok(env.admins[B].post(f"{CAN}/condition", json={"record_ids": [b0.record_id], "outcome": "pass"}))
    ok(b0.api.post(rec_mp, json={"files": [upload(b0.api, tiny_png)], "signed_date": signed}))
    for admin, ps in people.items():
        ok(env.admins[admin].post(result, json={"record_ids": ids(ps), "result": "pass", "day": rec_day}))
    assert {w[1] for w in env.where(everyone).values()} == {"symposium"}
    assert env.records([a0])[a0.record_id].milestones["candidate_recommended_at"] == rec_day

    # --- 入党重点发展对象座谈会: batch upload with misnamed and duplicate files stores nothing -----------
    held = (local_now() - timedelta(days=401)).isoformat(timespec="minutes")
    branch = env.admins[A]
    s = ok(branch.post(f"{CAN}/symposium", json={"record_ids": ids(people[A]), "held_at": held, "place": "学院302会议室"}))["data"]
    assert env.admins[B].get(f"{CAN}/symposium/{s['id']}").status_code == 404
    assert student.get(f"{CAN}/symposium/{s['id']}").status_code == 403
    ticked = ",".join(map(str, ids(people[A])))
    zipped = branch.get(f"{CAN}/symposium/{s['id']}/forms", params={"record_ids": ticked, "format": "zip"})
    assert sorted(zipfile.ZipFile(io.BytesIO(zipped.content)).namelist()) == sorted(
        f"{p.name}{student_no(p)}.pdf" for p in people[A])
    bad = [(f"{a0.name}{student_no(a0)}.pdf", SCAN), (f"{a0.name}-{student_no(a0)}.pdf", SCAN),  # duplicate
           (f"{a1.name}.pdf", SCAN), (f"{a2.name}{student_no(a1)}.pdf", SCAN)]  # misnamed
    r = branch.post(f"{CAN}/symposium/{s['id']}/scans", data={"record_ids": ticked},
                    files=[("files", (n, d, "application/pdf")) for n, d in bad])
    assert r.status_code == 422 and "本次未保存任何文件" in r.json()["msg"]
    assert {e["label"] for e in r.json()["errors"]} == {n for n, _ in bad}
    assert ok(branch.get(f"{CAN}/symposium/{s['id']}"))["data"]["scanned_count"] == 0
    good = [("files", (f"{p.name}{student_no(p)}.pdf", SCAN, "application/pdf")) for p in (a0, a1)]
    ok(branch.post(f"{CAN}/symposium/{s['id']}/scans", data={"record_ids": ticked}, files=good))
    r = branch.post(f"{CAN}/symposium/{s['id']}/complete")
    assert r.status_code == 409 and r.json()["msg"].endswith(a2.name)
    ok(branch.post(f"{CAN}/symposium/{s['id']}/scans/{a2.record_id}", files={"file": ("记录表.pdf", SCAN, "application/pdf")}))
    ok(branch.post(f"{CAN}/symposium/{s['id']}/complete"))
    symposium(env, B, people[B], held)
    symposium(env, C, people[C], held)
    assert {w[1] for w in env.where(everyone).values()} == {"committee_meeting"}
    assert [d.kind for d in env.documents(a2)] == ["candidate_recommendation_form", "symposium_record"]

    # --- 支委会议: 表决票, then a result per person; 不通过 → 支委会议-不通过 → 重新发展 -----------------------
    met = local_now() - timedelta(days=400)
    ballot = env.admins[A].get(f"{CAN}/committee-meeting/ballot", params={"record_ids": ",".join(map(str, ids(people[A])))})
    assert all(p.name in pdf_text(ballot.content) for p in people[A])
    assert env.admins[B].get(f"{CAN}/committee-meeting/ballot", params={"record_ids": str(a0.record_id)}).status_code == 404

    def vote(admin, ps, failing=()):
        return ok(env.admins[admin].post(f"{CAN}/committee-meeting", json={
            "held_at": met.isoformat(timespec="minutes"), "place": "党员活动室", "expected": 5, "present": 5,
            "attendees": "支委5人", "items": [{"record_id": p.record_id, "outcome": "fail" if p in failing else "pass"}
                                           for p in ps]}))["data"]
    r = env.admins[B].post(f"{CAN}/committee-meeting", json={
        "held_at": met.isoformat(timespec="minutes"), "place": "x", "expected": 5, "present": 5,
        "items": [{"record_id": a0.record_id, "outcome": "pass"}]})
    assert r.status_code == 404
    assert vote(B, people[B], failing=(b1,))["failed"] == 1
    redevelop(env, B, b1, "支委会议-不通过")
    vote(A, people[A])
    vote(C, people[C])
    people[B].remove(b1)
    everyone = [p for ps in people.values() for p in ps]
    assert {w[1] for w in env.where(everyone).values()} == {"filing"}
    assert env.records([a0])[a0.record_id].milestones["candidate_at"] == met.date().isoformat()

    # --- 上级党委备案 with the branch opinion; the committee refuses one → 党委备案-不通过 -------------------
    for admin, ps in people.items():
        branch = env.admins[admin]
        f = ok(branch.post(f"{CAN}/filing", json={"record_ids": ids(ps)}))["data"]
        ok(branch.post(f"{CAN}/filing/{f['id']}/generate", json={
            "filing_date": today().isoformat(), "opinion": "同意确定为入党重点发展对象", "people": [{"record_id": p.record_id} for p in ps]}))
        text = pdf_text(branch.get(f"{CAN}/filing/{f['id']}/form").content)
        flat = text.replace("\n", "")
        assert "发展对象备案表" in text and all(p.name in flat for p in ps) and "同意确定为入党重点发展对象" in text
        ok(branch.post(f"{CAN}/filing/{f['id']}/submit"))
    filings = ok(env.committee.get(f"{CAN}/filing", params={"state": "submitted"}))["data"]["items"]
    assert len(filings) == 3
    for f in filings:
        entries = ok(env.committee.get(f"{CAN}/filing/{f['id']}"))["data"]["entries"]
        items = [{"record_id": e["record_id"], "result": "fail" if e["record_id"] == c1.record_id else "pass",
                  "opinion": "材料不完整" if e["record_id"] == c1.record_id else ""} for e in entries]
        assert env.admins[A].post(f"{CAN}/filing/{f['id']}/decide", json={"items": items}).status_code in (403, 404)
        ok(env.committee.post(f"{CAN}/filing/{f['id']}/decide", json={"decided_on": today().isoformat(), "opinion": "同意备案",
                                                                      "items": items}))
    redevelop(env, C, c1, "党委备案-不通过")
    people[C].remove(c1)
    everyone = [p for ps in people.values() for p in ps]
    assert {w[1] for w in env.where(everyone).values()} == {"publicity"}

    # --- the committee's publicity with contacts; an objection keeps one back for a later publicity ----
    publicize(env, people, objection=c2)
    assert env.where([c2])[c2.record_id][1] == "publicity"
    publicize(env, {C: [c2]})
    assert {w[1] for w in env.where(everyone).values()} == {"introducers"}

    # --- 确定入党介绍人: two different formal members of the branch ------------------------------------
    introducers = {admin: members(env, admin) for admin in people}
    one, two = introducers[A]
    assign = f"{CAN}/introducer/assign"
    r = env.admins[A].post(assign, json={"record_ids": [a0.record_id], "user_ids": [one.user["id"]]})
    assert r.status_code == 422 and "2名不同的入党介绍人" in r.json()["msg"]
    r = env.admins[A].post(assign, json={"record_ids": [a0.record_id], "user_ids": [one.user["id"], one.user["id"]]})
    assert r.status_code == 422
    r = env.admins[A].post(assign, json={"record_ids": [a0.record_id], "user_ids": [one.user["id"], introducers[B][0].user["id"]]})
    assert r.status_code == 422 and "正式党员" in r.json()["msg"]
    r = env.admins[A].post(assign, json={"record_ids": [a0.record_id], "user_ids": [one.user["id"], a1.user_id]})
    assert r.status_code == 422
    assert env.admins[B].post(assign, json={"record_ids": [a0.record_id], "user_ids": [x.user["id"] for x in introducers[B]]}).status_code == 404
    for admin, ps in people.items():
        ok(env.admins[admin].post(assign, json={"record_ids": ids(ps), "user_ids": [x.user["id"] for x in introducers[admin]]}))
    assert {w[1] for w in env.where(everyone).values()} == {"cultivation"}
    row = ok(env.admins[A].get(CAN, params={"name": a0.name}))["data"]["items"][0]
    assert set(row["introducer_names"].split("、")) == {one.user["name"], two.user["name"]}
    assert any(t == "请开展入党介绍人谈话" for t, _ in env.messages(two.user["id"]))
    assert any(t == "进入入党教育培育考察" for t, _ in env.messages(a0.user_id))

    # --- 入党教育培育考察: four quarters of thought reports and introducer talks -----------------------------
    page = ok(student.get(f"{MP}/cultivation"))
    assert [t["key"] for t in page["tasks"]] == ["report", "talk", "autobiography", "political_review", "training"]
    assert [t["total"] for t in page["tasks"]] == [4, 4, 1, 1, 1]
    kinds = {t["kind"] for t in ok(student.get("/api/mp/v1/todos"))["items"]}
    assert {"cultivation", "submit"} <= kinds
    reports = f"{MP}/candidate-thought-reports"
    for quarter in range(4):
        for p in everyone:
            ok(p.api.post(reports, json={"files": [upload(p.api, tiny_png)], "signed_date": today().isoformat()}))
        if quarter == 0:
            assert env.admins[B].post(f"{CAN}/report/review", json={"record_ids": [a1.record_id], "approve": True}).status_code == 404
            ok(env.admins[A].post(f"{CAN}/report/review", json={"record_ids": [a1.record_id], "approve": False, "reason": "内容过于简单"}))
            ok(a1.api.post(reports, json={"files": [upload(a1.api, tiny_png)], "signed_date": today().isoformat()}))
        for admin, ps in people.items():
            ok(env.admins[admin].post(f"{CAN}/report/review", json={"record_ids": ids(ps), "approve": True}))
        for admin, ps in people.items():
            talker = introducers[admin][quarter % 2]  # either introducer may hold the quarter's talk
            todos = {t["object_id"] for t in ok(talker.get("/api/mp/v1/todos"))["items"] if t["kind"] == "schedule_talk"}
            assert set(ids(ps)) <= todos
            for p in ps:
                talk = ok(talker.post(f"{MP}/talks/open", json={"kind": "introducer_talk", "record_id": p.record_id}))["talk"]
                ok(talker.post(f"{MP}/talks/{talk['id']}/schedule", json={"place": "党员活动室",
                                                                          "scheduled_at": local_now().isoformat(timespec="minutes")}))
                ok(talker.post(f"{MP}/talks/{talk['id']}/record", json={"content": f"第{quarter + 1}季度谈话：思想积极。",
                                                                        "talk_date": today().isoformat()}))
            ok(env.admins[admin].post(f"{CAN}/introducer-talk/review", json={"record_ids": ids(ps), "approve": True}))
    assert introducers[B][0].post(f"{MP}/talks/open", json={"kind": "introducer_talk", "record_id": a0.record_id}).status_code in (403, 404, 409)

    # --- 自传: upload, withdraw, 审核不通过 with a reason, resubmit, batch approval ---------------------------
    bio = f"{MP}/autobiography"
    assert any(t["link"] == "/mp/development/autobiography" for t in ok(student.get("/api/mp/v1/todos"))["items"])
    for p in everyone:
        ok(p.api.post(bio, json={"files": [upload(p.api, tiny_png)], "signed_date": today().isoformat()}))
    ok(a0.api.post(f"{bio}/withdraw"))
    assert a0.api.post(f"{bio}/withdraw").status_code == 409
    ok(a0.api.post(bio, json={"files": [upload(a0.api, tiny_png)], "signed_date": today().isoformat()}))
    assert env.admins[A].post(f"{CAN}/autobiography/review", json={"record_ids": [a0.record_id], "approve": False}).status_code == 422
    ok(env.admins[A].post(f"{CAN}/autobiography/review", json={"record_ids": [a0.record_id], "approve": False, "reason": "家庭情况不详"}))
    assert ok(a0.api.get(bio))["autobiography"]["reason"] == "家庭情况不详"
    ok(a0.api.post(bio, json={"files": [upload(a0.api, tiny_png)], "signed_date": today().isoformat()}))
    for admin, ps in people.items():
        ok(env.admins[admin].post(f"{CAN}/autobiography/review", json={"record_ids": ids(ps), "approve": True}))

    # --- 考察通过 refused while the political review and the training class are open --------------------
    r = env.admins[A].post(f"{CAN}/cultivation/pass", json={"record_ids": [a0.record_id]})
    assert r.status_code == 409 and "政治审查" in r.json()["msg"] and "发展对象培训班" in r.json()["msg"]

    # --- 政审: list, relatives on the MP, letters (pypdf, each relative), opinions, results ------------
    refused = a2
    political_review(env, people, refused)
    redevelop(env, A, refused, "政治审查-不通过")
    people[A].remove(refused)
    everyone = [p for ps in people.values() for p in ps]

    # --- 发展对象培训班 -----------------------------------------------------------------------------------
    training(env, people)

    # --- 考察通过 → the reception stage ----------------------------------------------------------------
    assert env.admins[B].post(f"{CAN}/cultivation/pass", json={"record_ids": [a0.record_id]}).status_code == 404
    assert student.post(f"{CAN}/cultivation/pass", json={"record_ids": [a0.record_id]}).status_code == 403
    for admin, ps in people.items():
        ok(env.admins[admin].post(f"{CAN}/cultivation/pass", json={"record_ids": ids(ps)}))
    after = env.records(everyone)
    assert {r.stage for r in after.values()} == {"reception"} and {r.status for r in after.values()} == {"active"}
    assert after[a0.record_id].milestones["candidate_cultivated_at"] == today().isoformat()
    kinds = {d.kind for d in env.documents(a0)}
    assert {"candidate_recommendation_form", "symposium_record", "ballot", "committee_meeting_record", "candidate_filing_form",
            "publicity", "autobiography", "candidate_thought_report", "talk_record", "inquiry_letter", "political_review",
            "training_certificate"} <= kinds
    reg = {x["no"]: x["done"] for x in ok(student.get(f"{MP}/timeline"))["regulation"]}
    assert all(reg[n] for n in (7, 8, 9, 10, 11))


def test_an_activist_passing_cultivation_waits_at_the_candidate_condition_check(env):
    """考察通过 of the activist stage enters this stage's first step."""
    from core.workflow.stranded import place_stranded

    (p,) = candidates(env, A, 1, step="")

    async def place(s):
        return await place_stranded(env.app.state.engine, s)
    env.run(place)
    assert env.where([p])[p.record_id] == ("candidate", "condition", "active")
