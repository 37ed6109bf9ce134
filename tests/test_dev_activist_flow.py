"""The activist stage (manual 6.2, ACT-1..7) end to end over the API: 30 people who finished
the applicant stage, in three branches, through the condition check, the recommendation, the
activist publicity, the committee meeting date, filing, the cultivation contact and its
publicity, cultivation (quarterly thought reports and talks, the training class) and 考察通过.
Failures with each code and re-development, a publicity objection, a filing with one person
refused, a class with more signups than places in one branch and fewer in another, a
first-semester refusal, 未结业 then a later class, 考察通过 refused with a task open."""
from datetime import timedelta

import pytest

from tests.activist_helpers import ACT, MP, TRAINING, Env, local_now, ok, pdf_text, today, upload
from tests.conftest import own_app

A, B, C = "zhibu04", "zhibu05", "zhibu06"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    with own_app(tmp_path_factory.mktemp("activist_flow"), [], students=60) as (client, app):
        yield Env(client, app)


def ids(people):
    return [p.record_id for p in people]


def publicize(env, admin, path, people, *, objection=None):
    """新增公示 → content → generate → (异议) → period over → report → complete; the publicity."""
    branch = env.admins[admin]
    p = ok(branch.post(f"{ACT}/{path}", json={}))["data"]
    body = {"signature_date": today().isoformat(), "start_date": today().isoformat(),
            "people": [{"record_id": x.record_id, "brief": "表现良好，积极参加组织活动"} for x in people]}
    ok(branch.put(f"{ACT}/{path}/{p['id']}/content", json=body))
    detail = ok(branch.post(f"{ACT}/{path}/{p['id']}/generate"))["data"]
    if objection is not None:
        assert env.admins[B if admin != B else C].post(f"{ACT}/{path}/{p['id']}/objection",
                                                       json={"record_id": objection.record_id, "reason": "x"}).status_code == 404
        ok(branch.post(f"{ACT}/{path}/{p['id']}/objection", json={"record_id": objection.record_id, "reason": "群众反映其近期表现有待观察"}))
    assert branch.post(f"{ACT}/{path}/{p['id']}/complete").status_code == 409  # 公示期尚未结束
    env.shift_batch(p["id"], 10)
    ok(branch.post(f"{ACT}/{path}/{p['id']}/report", json={"note": ""}))
    ok(branch.post(f"{ACT}/{path}/{p['id']}/complete"))
    return detail


def test_the_activist_stage_end_to_end(env, tiny_png):
    people = {a: env.applicants(a, 10) for a in (A, B, C)}
    everyone = [p for ps in people.values() for p in ps]
    a0, a1, a2 = people[A][:3]
    b0 = people[B][0]
    student = a0.api

    # --- 确定符合条件的申请人: 审核通过 / 审核不通过 → 发展条件-不通过 → 重新发展 ----------------------------
    rows = ok(env.admins[A].get(ACT, params={"step": "condition", "status": "active"}))["data"]["items"]
    assert {r["id"] for r in rows} == set(ids(people[A]))
    assert env.admins[B].post(f"{ACT}/condition", json={"record_ids": [a0.record_id], "outcome": "pass"}).status_code == 404
    assert student.post(f"{ACT}/condition", json={"record_ids": [a0.record_id], "outcome": "pass"}).status_code == 403
    ok(env.admins[A].post(f"{ACT}/condition", json={"record_ids": [a0.record_id], "outcome": "fail", "note": "未满足发展条件"}))
    assert env.where([a0])[a0.record_id] == ("activist", "condition", "发展条件-不通过")
    assert ok(env.admins[A].get(ACT, params={"status": "failed"}))["data"]["items"][0]["can_redevelop"] is True
    ok(env.admins[A].post("/api/pc/v1/development/redevelop", json={"record_ids": [a0.record_id]}))
    for admin, ps in people.items():
        ok(env.admins[admin].post(f"{ACT}/condition", json={"record_ids": ids(ps), "outcome": "pass"}))
    assert {w[1] for w in env.where(everyone).values()} == {"recommendation"}
    assert any(t == "请提交推优登记表" for t, _ in env.messages(a0.user_id))

    # --- 推优: template from the profile, scan upload, withdraw, 退回, 不通过, delete, 通过 with 推优时间 ----------
    status = ok(student.get(f"{MP}/recommendation"))
    assert status["eligible"] is True and status["template_title"] == "推优登记表"
    assert any(t["kind"] == "submit" and t["link"] == "/mp/development/recommendation" for t in ok(student.get("/api/mp/v1/todos"))["items"])
    form = ok(student.post(f"{MP}/recommendation/template"))
    pdf = student.get(form["url"])
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "推优登记表" in text and a0.name in text and "申请入党时间" in text
    assert env.admins[A].get(form["url"]).status_code == 200 and env.admins[B].get(form["url"]).status_code in (403, 404)
    signed = (today() - timedelta(days=1)).isoformat()
    for p in everyone:
        ok(p.api.post(f"{MP}/recommendation", json={"files": [upload(p.api, tiny_png)], "signed_date": signed}))
    ok(a1.api.post(f"{MP}/recommendation/withdraw"))
    assert a1.api.post(f"{MP}/recommendation/withdraw").status_code == 409
    ok(a1.api.post(f"{MP}/recommendation", json={"files": [upload(a1.api, tiny_png)], "signed_date": signed}))
    rec_day = (today() - timedelta(days=2)).isoformat()
    assert env.admins[A].post(f"{ACT}/recommendation/result", json={"record_ids": [a1.record_id], "result": "return"}).status_code == 422
    assert env.admins[A].post(f"{ACT}/recommendation/result", json={"record_ids": [a1.record_id], "result": "pass"}).status_code == 422
    assert env.admins[B].post(f"{ACT}/recommendation/result", json={"record_ids": [a1.record_id], "result": "pass", "day": rec_day}).status_code == 404
    ok(env.admins[A].post(f"{ACT}/recommendation/result", json={"record_ids": [a1.record_id], "result": "return", "reason": "缺少团支部意见"}))
    assert ok(a1.api.get(f"{MP}/recommendation"))["recommendation"]["reason"] == "缺少团支部意见"
    ok(a1.api.post(f"{MP}/recommendation", json={"files": [upload(a1.api, tiny_png)], "signed_date": signed}))
    ok(env.admins[A].post(f"{ACT}/recommendation/delete", json={"record_ids": [a2.record_id], "reason": "扫描件不清晰"}))
    assert ok(a2.api.get(f"{MP}/recommendation"))["eligible"] is True
    ok(a2.api.post(f"{MP}/recommendation", json={"files": [upload(a2.api, tiny_png)], "signed_date": signed}))
    ok(env.admins[B].post(f"{ACT}/recommendation/result", json={"record_ids": [b0.record_id], "result": "fail", "reason": "团员推荐票数不足"}))
    assert env.where([b0])[b0.record_id][2] == "团/党员推荐-不通过"
    ok(env.admins[B].post("/api/pc/v1/development/redevelop", json={"record_ids": [b0.record_id]}))
    ok(env.admins[B].post(f"{ACT}/condition", json={"record_ids": [b0.record_id], "outcome": "pass"}))
    ok(b0.api.post(f"{MP}/recommendation", json={"files": [upload(b0.api, tiny_png)], "signed_date": signed}))
    for admin, ps in people.items():
        ok(env.admins[admin].post(f"{ACT}/recommendation/result", json={"record_ids": ids(ps), "result": "pass", "day": rec_day}))
    assert {w[1] for w in env.where(everyone).values()} == {"publicity"}
    assert env.records([a0])[a0.record_id].milestones["recommended_at"] == rec_day

    # --- 入党积极分子名单公示, with an objection: that person stays and joins a later publicity ---------
    publicize(env, A, "publicity", people[A], objection=a2)
    publicize(env, B, "publicity", people[B])
    publicize(env, C, "publicity", people[C])
    assert env.where([a2])[a2.record_id][1] == "publicity"
    publicize(env, A, "publicity", [a2])
    assert {w[1] for w in env.where(everyone).values()} == {"committee_meeting"}

    # --- 填报支委会议时间 (确定为入党积极分子: activist_at, a year and a quarter ago) -----------------------
    meeting = (today() - timedelta(days=460)).isoformat()
    assert env.admins[A].post(f"{ACT}/committee-meeting", json={"record_ids": ids(people[A])}).status_code == 422
    later = (local_now() + timedelta(days=1)).isoformat(timespec="minutes")
    assert env.admins[A].post(f"{ACT}/committee-meeting", json={"record_ids": ids(people[A]), "held_at": later}).status_code == 422
    assert env.admins[B].post(f"{ACT}/committee-meeting", json={"record_ids": ids(people[A]), "held_at": f"{meeting}T15:00"}).status_code == 404
    for admin, ps in people.items():
        ok(env.admins[admin].post(f"{ACT}/committee-meeting", json={"record_ids": ids(ps), "held_at": f"{meeting}T15:00",
                                                                    "place": "党员活动室"}))
    assert env.records([a0])[a0.record_id].milestones["activist_at"] == meeting
    held = ok(env.admins[A].get(f"{ACT}/committee-meeting"))["data"]["items"]
    assert len(held) == 1 and held[0]["people_count"] == len(people[A]) and held[0]["held_at"].startswith(f"{meeting}T15:00")

    # --- 上级党委备案: batches per branch, the form, submission; the committee refuses one ---------------
    for admin, ps in people.items():
        branch = env.admins[admin]
        f = ok(branch.post(f"{ACT}/filing", json={"record_ids": ids(ps)}))["data"]
        detail = ok(branch.post(f"{ACT}/filing/{f['id']}/generate", json={
            "filing_date": today().isoformat(), "people": [{"record_id": p.record_id} for p in ps]}))["data"]
        text = pdf_text(branch.get(f"{ACT}/filing/{f['id']}/form").content)
        flat = text.replace("\n", "")  # a long name may wrap inside its cell
        assert "入党积极分子备案表" in text and all(p.name in flat for p in ps) and meeting in text
        assert detail["entries"][0]["dates"]["activist_at"] == meeting
        ok(branch.post(f"{ACT}/filing/{f['id']}/submit"))
    filings = ok(env.committee.get(f"{ACT}/filing", params={"state": "submitted"}))["data"]["items"]
    assert len(filings) == 3 and len(ok(env.admins[A].get(f"{ACT}/filing"))["data"]["items"]) == 1
    refused = people[B][1]
    for f in filings:
        entries = ok(env.committee.get(f"{ACT}/filing/{f['id']}"))["data"]["entries"]
        items = [{"record_id": e["record_id"], "result": "fail" if e["record_id"] == refused.record_id else "pass",
                  "opinion": "入党动机材料不完整" if e["record_id"] == refused.record_id else ""} for e in entries]
        assert env.admins[A].post(f"{ACT}/filing/{f['id']}/decide", json={"decided_on": today().isoformat(), "items": items}).status_code in (403, 404)
        ok(env.committee.post(f"{ACT}/filing/{f['id']}/decide", json={"decided_on": today().isoformat(), "opinion": "同意备案", "items": items}))
    assert env.where([refused])[refused.record_id] == ("activist", "filing", "党委备案-不通过")
    ok(env.admins[B].post("/api/pc/v1/development/redevelop", json={"record_ids": [refused.record_id]}))
    assert env.where([refused])[refused.record_id] == ("activist", "condition", "active")
    people[B].remove(refused)
    everyone = [p for ps in people.values() for p in ps]
    assert {w[1] for w in env.where(everyone).values()} == {"contact"}

    # --- 指定培养联系人 (a formal member of the branch) and the publicity with the contacts --------------
    contacts = {admin: env.member_of(admin) for admin in people}
    assert env.admins[A].post(f"{ACT}/contact/assign", json={"record_ids": [a0.record_id], "user_ids": [contacts[B].user["id"]]}).status_code == 422
    for admin, ps in people.items():
        ok(env.admins[admin].post(f"{ACT}/contact/assign", json={"record_ids": ids(ps), "user_ids": [contacts[admin].user["id"]]}))
    assert any("培养联系人" in t for t, _ in env.messages(contacts[A].user["id"]))
    notice = publicize(env, A, "contact-publicity", people[A])
    assert notice["role_label"] == "培养联系人" and notice["entries"][0]["assigned"] == contacts[A].user["name"]
    assert contacts[A].user["name"] in pdf_text(env.admins[A].get(notice["document_url"]).content)
    publicize(env, B, "contact-publicity", people[B])
    publicize(env, C, "contact-publicity", people[C])
    assert {w[1] for w in env.where(everyone).values()} == {"cultivation"}

    # --- 培育考察: four quarters of thought reports and talks ------------------------------------------
    page = ok(student.get(f"{MP}/cultivation"))
    assert page["at_step"] and [t["key"] for t in page["tasks"]] == ["report", "talk", "training"]
    assert [t["total"] for t in page["tasks"]] == [4, 4, 1] and page["tasks"][0]["mp_path"] == "thought-reports"
    kinds = {t["kind"] for t in ok(student.get("/api/mp/v1/todos"))["items"]}
    assert {"cultivation", "submit"} <= kinds and "training_signup" not in kinds  # no class is open yet
    for quarter in range(4):
        for p in everyone:
            r = p.api.post(f"{MP}/thought-reports", json={"files": [upload(p.api, tiny_png)], "signed_date": today().isoformat()})
            assert r.status_code == 200, r.text
        if quarter == 0:
            ok(a1.api.post(f"{MP}/thought-reports/withdraw"))
            ok(a1.api.post(f"{MP}/thought-reports", json={"files": [upload(a1.api, tiny_png)], "signed_date": today().isoformat()}))
            ok(env.admins[A].post(f"{ACT}/report/review", json={"record_ids": [a1.record_id], "approve": False, "reason": "内容过于简单"}))
            ok(a1.api.post(f"{MP}/thought-reports", json={"files": [upload(a1.api, tiny_png)], "signed_date": today().isoformat()}))
        for admin, ps in people.items():
            ok(env.admins[admin].post(f"{ACT}/report/review", json={"record_ids": ids(ps), "approve": True}))
        for admin, ps in people.items():
            contact = contacts[admin]
            todos = {t["object_id"] for t in ok(contact.get("/api/mp/v1/todos"))["items"] if t["kind"] == "schedule_talk"}
            assert set(ids(ps)) <= todos
            for p in ps:
                talk = ok(contact.post(f"{MP}/talks/open", json={"kind": "activist_quarter_talk", "record_id": p.record_id}))["talk"]
                ok(contact.post(f"{MP}/talks/{talk['id']}/schedule", json={"place": "党员活动室", "scheduled_at": local_now().isoformat(timespec="minutes")}))
                ok(contact.post(f"{MP}/talks/{talk['id']}/record", json={"content": f"第{quarter + 1}季度谈话：思想积极。", "talk_date": today().isoformat()}))
            ok(env.admins[admin].post(f"{ACT}/quarter-talk/review", json={"record_ids": ids(ps), "approve": True}))
    assert ok(student.get(f"{MP}/thought-reports"))["problems"] == ["思想汇报已全部完成，无需再次提交"]
    page = ok(student.get(f"{MP}/cultivation"))
    assert [(t["done"], t["total"]) for t in page["tasks"]] == [(4, 4), (4, 4), (0, 1)]
    assert len(page["reports"]["report"]) == 4 and len(page["talks"]["talk"]) == 4

    # --- 考察通过 refused while the training task is open ------------------------------------------------
    r = env.admins[A].post(f"{ACT}/cultivation/pass", json={"record_ids": [a0.record_id]})
    assert r.status_code == 409 and "积极分子培训班" in r.json()["msg"]

    # --- 积极分子培训班: A has more signups than places, B fewer; a first-semester refusal -----------------
    branch_ids = {a: env.admins[a].user["party_branch_id"] for a in people}
    start = local_now() + timedelta(hours=1)
    klass = ok(env.committee.post(f"{TRAINING}/classes", json={
        "class_type": "activist", "title": "第一期入党积极分子培训班", "place": "学院报告厅", "publish": True,
        "signup_start": start.isoformat(timespec="minutes"), "signup_end": (start + timedelta(days=3)).isoformat(timespec="minutes"),
        "train_start": (start + timedelta(days=4)).isoformat(timespec="minutes"), "train_end": (start + timedelta(days=6)).isoformat(timespec="minutes"),
        "quotas": [{"branch_id": branch_ids[A], "quota": 3}, {"branch_id": branch_ids[B], "quota": 20}, {"branch_id": branch_ids[C], "quota": 20}]}))["data"]
    cid = klass["id"]
    assert ok(student.get(f"{MP}/training"))["classes"][0]["can_sign_up"] is False  # 待开始
    env.shift_class(cid, signup_start=-timedelta(hours=2))
    assert any(t["kind"] == "training_signup" and t["link"] == "/mp/training" for t in ok(student.get("/api/mp/v1/todos"))["items"])
    freshman = env.applicants(C, 1, enrolled=today() - timedelta(days=20), step="cultivation")[0]
    env.run(lambda s: _tasks_for(env, s, freshman))
    r = freshman.api.post(f"{MP}/training/{cid}/signup")
    assert r.status_code == 409 and "第一学期" in r.json()["msg"]
    for p in everyone:
        ok(p.api.post(f"{MP}/training/{cid}/signup"))
    env.shift_class(cid, signup_start=-timedelta(days=4), signup_end=-timedelta(days=4))
    ok(env.committee.post(f"{TRAINING}/classes/{cid}/screening"))
    rows = ok(env.admins[A].get(f"{TRAINING}/classes/{cid}/signups"))["data"]["items"]
    assert len(rows) == 10 and sum(r_["within_quota"] for r_ in rows) == 3
    ok(env.admins[A].post(f"{TRAINING}/classes/{cid}/signups/{rows[-1]['id']}/move", json={"direction": "up"}))
    for admin in people:
        ok(env.admins[admin].post(f"{TRAINING}/classes/{cid}/submit"))
    done = ok(env.committee.post(f"{TRAINING}/classes/{cid}/confirm"))["data"]
    assert done["selected"] == 3 + 9 + 10
    ok(env.committee.post(f"{TRAINING}/classes/{cid}/start"))
    ok(env.committee.post(f"{TRAINING}/classes/{cid}/end"))
    selected = ok(env.committee.get(f"{TRAINING}/classes/{cid}/signups", params={"status": "selected"}))["data"]["items"]
    unfinished = people[B][1]
    items = [{"signup_id": s["id"], "result": "failed" if s["record_id"] == unfinished.record_id else "passed",
              "result_date": today().isoformat()} for s in selected]
    ok(env.committee.post(f"{TRAINING}/classes/{cid}/results", json={"items": items}))
    assert ok(unfinished.api.get(f"{MP}/cultivation"))["training"]["status"] == "failed"

    # --- a later class for those not selected and the one 未结业 ------------------------------------------
    later = [p for p in everyone if ok(p.api.get(f"{MP}/cultivation"))["tasks"][2]["done"] == 0]
    assert len(later) == 7 + 1
    start = local_now() + timedelta(hours=1)
    klass2 = ok(env.committee.post(f"{TRAINING}/classes", json={
        "class_type": "activist", "title": "第二期入党积极分子培训班", "publish": True,
        "signup_start": start.isoformat(timespec="minutes"), "signup_end": (start + timedelta(days=3)).isoformat(timespec="minutes"),
        "train_start": (start + timedelta(days=4)).isoformat(timespec="minutes"), "train_end": (start + timedelta(days=6)).isoformat(timespec="minutes"),
        "quotas": [{"branch_id": branch_ids[A], "quota": 10}, {"branch_id": branch_ids[B], "quota": 10}]}))["data"]
    env.shift_class(klass2["id"], signup_start=-timedelta(hours=2))
    for p in later:
        ok(p.api.post(f"{MP}/training/{klass2['id']}/signup"))
    env.shift_class(klass2["id"], signup_start=-timedelta(days=4), signup_end=-timedelta(days=4))
    for step in ("screening",):
        ok(env.committee.post(f"{TRAINING}/classes/{klass2['id']}/{step}"))
    for admin in (A, B):
        ok(env.admins[admin].post(f"{TRAINING}/classes/{klass2['id']}/submit"))
    for step in ("confirm", "start"):
        ok(env.committee.post(f"{TRAINING}/classes/{klass2['id']}/{step}"))
    env.shift_class(klass2["id"], train_start=-timedelta(days=10), train_end=-timedelta(days=10))  # ended by time
    selected = ok(env.committee.get(f"{TRAINING}/classes/{klass2['id']}/signups", params={"status": "selected"}))["data"]["items"]
    ok(env.committee.post(f"{TRAINING}/classes/{klass2['id']}/results", json={"items": [
        {"signup_id": s["id"], "result": "passed", "result_date": today().isoformat()} for s in selected]}))

    # --- 考察通过 → the candidate stage ----------------------------------------------------------------
    assert env.admins[B].post(f"{ACT}/cultivation/pass", json={"record_ids": [a0.record_id]}).status_code == 404
    assert student.post(f"{ACT}/cultivation/pass", json={"record_ids": [a0.record_id]}).status_code == 403
    for admin, ps in people.items():
        ok(env.admins[admin].post(f"{ACT}/cultivation/pass", json={"record_ids": ids(ps)}))
    after = env.records(everyone)
    assert {(r.stage, r.status) for r in after.values()} == {("candidate", "active")}
    assert after[a0.record_id].milestones["cultivated_at"] == today().isoformat() and not after[a0.record_id].warnings
    timeline = ok(student.get(f"{MP}/timeline"))
    reg = {x["no"]: x["done"] for x in timeline["regulation"]}
    assert reg[3] and reg[4] and reg[5] and reg[6]
    assert env.where([freshman])[freshman.record_id][1] == "cultivation"  # still waiting for its training


async def _tasks_for(env, session, person):
    from datetime import datetime

    from core.workflow import tasks as task_store
    from core.workflow.models import DevelopmentRecord

    record = await session.get(DevelopmentRecord, person.record_id)
    step = env.app.state.engine.registry.step("activist", "cultivation")
    await task_store.create_for(session, [record], "activist", step, datetime.utcnow())


def test_people_waiting_after_the_applicant_stage_are_placed_on_the_first_step(env):
    from core.workflow.stranded import place_stranded

    waiting = env.applicants(A, 2, step="")

    async def place(s):
        return await place_stranded(env.app.state.engine, s)
    assert env.run(place) >= 2
    assert {w[1] for w in env.where(waiting).values()} == {"condition"}
