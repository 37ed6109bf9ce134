"""The development engine: order, scope, rights, staleness, guards, re-develop, hooks, extra steps."""
from datetime import date, datetime, timedelta

import pytest

from tests.conftest import login, own_app
from tests.dev_helpers import local_today, branch_talker, bulk_applicants, new_student, upload
from tests.plugins import extra_step



def apply(me, png, signed=None):
    signed = signed or local_today().isoformat()  # read at call time: a run may cross the local midnight
    return me.post("/api/mp/v1/development/apply", json={"files": [upload(me, png)], "signed_date": signed})


def record_id(api, name):
    items = api.get("/api/pc/v1/development/applicants", params={"name": name}).json()["data"]["items"]
    assert len(items) == 1, items
    return items[0]["id"]


def test_refusals_of_applying(client, committee, branch_a, tiny_png):
    young = new_student(client, committee, birth=local_today().replace(year=local_today().year - 17))
    r = apply(young, tiny_png)
    assert r.status_code == 409 and "未满18周岁" in r.json()["msg"]
    incomplete = new_student(client, committee, complete=False)
    r = apply(incomplete, tiny_png)
    assert r.status_code == 409 and "个人基础信息尚未完善" in r.json()["msg"]
    assert incomplete.get("/api/mp/v1/development/apply").json()["eligible"] is False
    me = new_student(client, committee)
    assert me.post("/api/mp/v1/development/apply", json={"files": [], "signed_date": local_today().isoformat()}).status_code == 422
    assert me.post("/api/mp/v1/development/apply", json={"files": [upload(me, tiny_png)]}).status_code == 422
    other = new_student(client, committee)
    r = me.post("/api/mp/v1/development/apply", json={"files": [upload(other, tiny_png)], "signed_date": local_today().isoformat()})
    assert r.status_code == 422 and "不属于本人" in r.json()["msg"]
    assert apply(me, tiny_png).status_code == 200
    r = apply(me, tiny_png)
    assert r.status_code == 409 and "等待审核" in r.json()["msg"]
    # withdraw before review works, after review it is refused
    assert me.post("/api/mp/v1/development/apply/withdraw").status_code == 200
    assert apply(me, tiny_png).status_code == 200
    rid = record_id(branch_a, me.user["name"])
    assert branch_a.post("/api/pc/v1/development/applicants/review", json={"record_ids": [rid], "approve": True}).status_code == 200
    r = me.post("/api/mp/v1/development/apply/withdraw")
    assert r.status_code == 409 and "已审核，不能撤回" in r.json()["msg"]


def test_proxy_application_rules(client, committee, branch_a, tiny_png):
    me = new_student(client, committee)
    incomplete = new_student(client, committee, complete=False)
    options = {o["value"] for o in branch_a.get("/api/pc/v1/development/applicants/proxy-candidates").json()["data"]["options"]}
    assert me.user["id"] in options and incomplete.user["id"] not in options
    token = upload(branch_a, tiny_png)
    r = branch_a.post("/api/pc/v1/development/applicants/proxy", json={"user_id": me.user["id"], "files": [token], "signed_date": local_today().isoformat()})
    assert r.status_code == 200, r.text
    options = {o["value"] for o in branch_a.get("/api/pc/v1/development/applicants/proxy-candidates").json()["data"]["options"]}
    assert me.user["id"] not in options
    r = branch_a.post("/api/pc/v1/development/applicants/proxy", json={"user_id": me.user["id"], "files": [upload(branch_a, tiny_png)], "signed_date": local_today().isoformat()})
    assert r.status_code == 409 and "已提交过入党申请" in r.json()["msg"]
    r = branch_a.post("/api/pc/v1/development/applicants/proxy", json={"user_id": incomplete.user["id"], "files": [upload(branch_a, tiny_png)], "signed_date": local_today().isoformat()})
    assert r.status_code == 409 and "个人基础信息" in r.json()["msg"]
    timeline = me.get("/api/mp/v1/development/timeline").json()
    assert timeline["events"][0]["actor_role"] == "党支部管理员"


def test_out_of_order_other_branch_and_students_are_refused(client, committee, branch_a, branch_b, student_a2, tiny_png):
    me = new_student(client, committee)
    assert apply(me, tiny_png).status_code == 200
    rid = record_id(branch_a, me.user["name"])
    # out of order: the talk is reviewed before the letter
    r = branch_a.post("/api/pc/v1/development/applicants/talk/review", json={"record_ids": [rid], "approve": True})
    assert r.status_code == 409 and "不在“党组织派人谈话”环节" in r.json()["msg"]
    talker = branch_talker(client, committee, branch_a)
    r = branch_a.post("/api/pc/v1/development/applicants/talk/assign", json={"record_ids": [rid], "talker_id": talker.user["id"],
                                                                            "deadline": (datetime.now() + timedelta(days=3)).isoformat()})
    assert r.status_code == 409
    # another branch's admin sees nothing and can do nothing
    assert branch_b.get("/api/pc/v1/development/applicants", params={"name": me.user["name"]}).json()["data"]["items"] == []
    for url, body in (("/review", {"record_ids": [rid], "approve": True}), ("/talk/review", {"record_ids": [rid], "approve": True}),
                      ("/urge", {"record_ids": [rid]})):
        assert branch_b.post(f"/api/pc/v1/development/applicants{url}", json=body).status_code == 404, url
    assert branch_b.get(f"/api/pc/v1/development/applicants/{rid}/detail").status_code == 404
    assert branch_b.get(f"/api/pc/v1/development/records/{rid}/timeline").status_code == 404
    # another student: no admin routes, no one else's timeline or talk
    assert student_a2.post("/api/pc/v1/development/applicants/review", json={"record_ids": [rid], "approve": True}).status_code == 403
    assert student_a2.get(f"/api/pc/v1/development/records/{rid}/timeline").status_code == 403
    assert student_a2.get("/api/mp/v1/development/timeline").json()["record"] is None  # an empty timeline, not a 404
    # the letter is still waiting: nothing moved
    assert me.get("/api/mp/v1/development/timeline").json()["record"]["step"] == "application"


def test_talk_refusals(client, committee, branch_a, tiny_png):
    me = new_student(client, committee)
    apply(me, tiny_png)
    rid = record_id(branch_a, me.user["name"])
    branch_a.post("/api/pc/v1/development/applicants/review", json={"record_ids": [rid], "approve": True})
    deadline = (datetime.now() + timedelta(days=3)).isoformat()
    non_member = new_student(client, committee)
    r = branch_a.post("/api/pc/v1/development/applicants/talk/assign", json={"record_ids": [rid], "talker_id": non_member.user["id"], "deadline": deadline})
    assert r.status_code == 422 and "不是正式党员" in r.json()["msg"]
    r = branch_a.post("/api/pc/v1/development/applicants/talk/assign", json={"record_ids": [rid], "talker_id": branch_talker(client, committee, branch_a).user["id"],
                                                                            "deadline": (datetime.now() - timedelta(days=1)).isoformat()})
    assert r.status_code == 422 and "截止" in r.json()["msg"]
    talker = branch_talker(client, committee, branch_a)
    assert branch_a.post("/api/pc/v1/development/applicants/talk/assign", json={"record_ids": [rid], "talker_id": talker.user["id"], "deadline": deadline}).status_code == 200
    talk = next(t for t in talker.get("/api/mp/v1/development/talks").json()["items"] if t["record_id"] == rid)
    # a record before a schedule is refused; someone else cannot touch the talk
    r = talker.post(f"/api/mp/v1/development/talks/{talk['id']}/record", json={"content": "x", "talk_date": local_today().isoformat()})
    assert r.status_code == 409 and "请先安排谈话日程" in r.json()["msg"]
    assert me.post(f"/api/mp/v1/development/talks/{talk['id']}/schedule", json={"place": "x", "scheduled_at": deadline}).status_code == 404
    # proxy: the branch fills, confirms, then reviews (reject → talker resubmits)
    r = branch_a.post("/api/pc/v1/development/applicants/talk/proxy", json={"record_id": rid, "place": "会议室", "scheduled_at": deadline,
                                                                           "content": "代理填写的谈话记录", "talk_date": local_today().isoformat()})
    assert r.status_code == 200
    r = branch_a.post("/api/pc/v1/development/applicants/talk/review", json={"record_ids": [rid], "approve": True})
    assert r.status_code == 409 and "没有待审核的谈话记录" in r.json()["msg"]
    assert branch_a.post("/api/pc/v1/development/applicants/talk/confirm", json={"record_id": rid}).status_code == 200
    assert branch_a.post("/api/pc/v1/development/applicants/talk/review", json={"record_ids": [rid], "approve": False, "reason": "内容太简略"}).status_code == 200
    r = talker.post(f"/api/mp/v1/development/talks/{talk['id']}/record", json={"content": "完整的谈话记录", "talk_date": local_today().isoformat()})
    assert r.status_code == 200, r.text
    assert branch_a.post("/api/pc/v1/development/applicants/talk/review", json={"record_ids": [rid], "approve": True}).status_code == 200


def test_late_talk_warns_on_the_record(client, committee, branch_a, tiny_png):
    me = new_student(client, committee)
    apply(me, tiny_png, signed=(local_today() - timedelta(days=45)).isoformat())
    rid = record_id(branch_a, me.user["name"])
    branch_a.post("/api/pc/v1/development/applicants/review", json={"record_ids": [rid], "approve": True})
    talker = branch_talker(client, committee, branch_a)
    deadline = (datetime.now() + timedelta(days=3)).isoformat()
    branch_a.post("/api/pc/v1/development/applicants/talk/assign", json={"record_ids": [rid], "talker_id": talker.user["id"], "deadline": deadline})
    branch_a.post("/api/pc/v1/development/applicants/talk/proxy", json={"record_id": rid, "place": "会议室", "scheduled_at": deadline, "content": "记录", "talk_date": local_today().isoformat()})
    branch_a.post("/api/pc/v1/development/applicants/talk/confirm", json={"record_id": rid})
    r = branch_a.post("/api/pc/v1/development/applicants/talk/review", json={"record_ids": [rid], "approve": True})
    assert r.status_code == 200  # default mode: warn, not refuse
    record = me.get("/api/mp/v1/development/timeline").json()["record"]
    assert record["step"] == "publicity"
    assert any("一个月内派人谈话" in w and "45天" in w for w in record["warnings"])


def test_timing_rule_in_refuse_mode():
    from types import SimpleNamespace

    import anyio

    from core.workflow.guards import xf_guard
    from core.workflow.models import DevelopmentRecord

    settings = SimpleNamespace(section=lambda name: {"rules": {"talk_after_application": {"mode": "refuse", "days": 30}}})
    rec = DevelopmentRecord(id=1, user_id=7, stage="applicant", step="talk", milestones={"applied_at": "2026-01-01"})
    t = SimpleNamespace(action="advance", to_stage="applicant", records=[rec], users={}, settings=settings,
                        milestones={7: {"talked_at": date(2026, 3, 1)}}, now=datetime(2026, 3, 1))
    results = anyio.run(xf_guard, None, t)
    assert [r.level for r in results] == ["refuse"] and "59天" in results[0].message
    t.milestones = {7: {"talked_at": date(2026, 1, 20)}}
    assert anyio.run(xf_guard, None, t) == []


def test_stale_move_is_refused(app, client, committee, branch_a):
    """Two admins approve the same record at once: one wins, the other is told."""
    from fastapi import HTTPException

    from core.auth import load_actor

    (rid,) = client.portal.call(bulk_applicants, app, branch_a.user["party_branch_id"], 1)
    engine = app.state.engine

    async def race():
        async with app.state.db.sessionmaker() as s1, app.state.db.sessionmaker() as s2:
            a1 = await load_actor(s1, branch_a.user["id"])
            a2 = await load_actor(s2, committee.user["id"])
            await engine.load(s1, a1, [rid])  # the first admin has the record open
            await engine.advance(s2, a2, [rid], stage="applicant", step="application")
            await s2.commit()
            try:
                await engine.advance(s1, a1, [rid], stage="applicant", step="application")
            except HTTPException as exc:
                return exc.status_code
            return 200

    assert client.portal.call(race) == 409


def test_batch_of_500_is_all_or_nothing(app, client, branch_a):
    ids = client.portal.call(bulk_applicants, app, branch_a.user["party_branch_id"], 500)
    bad = client.portal.call(lambda: bulk_applicants(app, branch_a.user["party_branch_id"], 1, letter=False))
    r = branch_a.post("/api/pc/v1/development/applicants/review", json={"record_ids": ids + bad, "approve": True})
    assert r.status_code == 409 and "没有待审核的入党申请书" in r.json()["msg"] and "批量" in r.json()["msg"]
    listed = branch_a.get("/api/pc/v1/development/applicants", params={"step": "talk", "per_page": 500}).json()["data"]["items"]
    assert not set(ids) & {x["id"] for x in listed}, "nothing moved"
    r = branch_a.post("/api/pc/v1/development/applicants/review", json={"record_ids": ids, "approve": True})
    assert r.status_code == 200
    listed = branch_a.get("/api/pc/v1/development/applicants", params={"step": "talk", "per_page": 500}).json()["data"]["items"]
    assert set(ids) <= {x["id"] for x in listed}


def test_redevelop_returns_to_the_stage_start_and_keeps_history(app, client, branch_a, student_a2):
    from core.auth import load_actor

    (rid,) = client.portal.call(lambda: bulk_applicants(app, branch_a.user["party_branch_id"], 1, step="talk", letter=False))
    engine = app.state.engine

    async def fail_it():
        async with app.state.db.sessionmaker() as s:
            await engine.fail(s, await load_actor(s, branch_a.user["id"]), [rid], stage="applicant", step="talk", code="谈话-不通过")
            await s.commit()

    client.portal.call(fail_it)
    timeline = branch_a.get(f"/api/pc/v1/development/records/{rid}/timeline").json()["data"]
    assert timeline["record"]["status_label"] == "谈话-不通过"
    assert student_a2.post("/api/pc/v1/development/redevelop", json={"record_ids": [rid]}).status_code == 403
    assert branch_a.post("/api/pc/v1/development/redevelop", json={"record_ids": [rid]}).status_code == 200
    timeline = branch_a.get(f"/api/pc/v1/development/records/{rid}/timeline").json()["data"]
    assert timeline["record"]["step"] == "application" and timeline["record"]["status"] == "active"
    assert [e["action"] for e in timeline["events"]][-2:] == ["failed", "redeveloped"]
    r = branch_a.post("/api/pc/v1/development/redevelop", json={"record_ids": [rid]})
    assert r.status_code == 409 and "无需重新发展" in r.json()["msg"]


@pytest.fixture(scope="module")
def extra_app(tmp_path_factory):
    with own_app(tmp_path_factory.mktemp("extra"), ["tests.plugins.extra_step"]) as pair:
        yield pair


def approved_applicant(c, png):
    """A new student of the extra app whose application letter the branch approved."""
    committee = login(c, "dangwei")
    branch = login(c, "zhibu04")
    me = new_student(c, committee)
    assert apply(me, png).status_code == 200
    rid = record_id(branch, me.user["name"])
    assert branch.post("/api/pc/v1/development/applicants/review", json={"record_ids": [rid], "approve": True}).status_code == 200
    return committee, branch, me, rid


def failed_and_redeveloped(c, app) -> None:
    """A record failed at the talk step by the engine, then sent back by its branch admin."""
    from core.auth import load_actor

    branch = login(c, "zhibu04")
    (rid,) = c.portal.call(lambda: bulk_applicants(app, branch.user["party_branch_id"], 1, step="talk", letter=False))

    async def fail_it():
        async with app.state.db.sessionmaker() as s:
            await app.state.engine.fail(s, await load_actor(s, branch.user["id"]), [rid], stage="applicant", step="talk")
            await s.commit()

    c.portal.call(fail_it)
    assert branch.post("/api/pc/v1/development/redevelop", json={"record_ids": [rid]}).status_code == 200


def test_third_party_step_in_the_applicant_stage(extra_app, tiny_png):
    c, app = extra_app
    committee, branch, me, rid = approved_applicant(c, tiny_png)
    assert me.get("/api/mp/v1/development/timeline").json()["record"]["step"] == "interview"
    # the talk cannot be assigned before the inserted step is done
    talker = branch_talker(c, committee, branch)
    deadline = (datetime.now() + timedelta(days=3)).isoformat()
    assert branch.post("/api/pc/v1/development/applicants/talk/assign", json={"record_ids": [rid], "talker_id": talker.user["id"], "deadline": deadline}).status_code == 409
    assert branch.post("/api/pc/v1/extra-interview", json={"record_ids": [rid]}).status_code == 200
    timeline = me.get("/api/mp/v1/development/timeline").json()
    assert timeline["record"]["step"] == "talk"
    steps = [s for s in timeline["stages"][0]["steps"]]
    assert [s["key"] for s in steps] == ["application", "interview", "talk", "publicity"]
    assert steps[1]["status"] == "done"


def test_hook_xf_extra_steps(extra_app):
    _, app = extra_app
    assert [s.key for s in app.state.engine.registry.stage("applicant").steps] == ["application", "interview", "talk", "publicity"]


def test_hook_xf_stages(app):
    stage = app.state.engine.registry.stage("applicant")
    assert [s.key for s in stage.steps] == ["application", "talk", "publicity"]
    assert app.state.engine.registry.first_step("activist") == "condition"  # dev_activist declares it


def test_hook_xf_step_entered(extra_app, tiny_png):
    start = len(extra_step.SEEN)
    approved_applicant(extra_app[0], tiny_png)
    assert ("entered", "applicant", "interview") in extra_step.SEEN[start:]


def test_hook_xf_step_completed(extra_app, tiny_png):
    start = len(extra_step.SEEN)
    approved_applicant(extra_app[0], tiny_png)
    assert ("completed", "applicant", "application") in extra_step.SEEN[start:]


def test_hook_xf_guard(app, client, committee, tiny_png):
    young = new_student(client, committee, birth=local_today().replace(year=local_today().year - 16))
    r = apply(young, tiny_png)
    assert r.status_code == 409 and r.json()["refusals"][0]["rule"] == "applicant_conditions"


def test_hook_xf_step_failed(extra_app):
    start = len(extra_step.SEEN)
    failed_and_redeveloped(*extra_app)
    assert ("failed", "applicant", "党组织派人谈话-不通过") in extra_step.SEEN[start:]


def test_hook_xf_redeveloped(extra_app):
    start = len(extra_step.SEEN)
    failed_and_redeveloped(*extra_app)
    assert ("redeveloped", "applicant", "application") in extra_step.SEEN[start:]


def test_hook_xf_development_pages(client, branch_a, student_a):
    client.cookies.set("xf_token", branch_a.token)
    html = client.get("/admin/").text
    assert "党员发展" in html and "入党申请人" in html and "批量审核入党申请" in html
    client.cookies.set("xf_token", student_a.token)
    assert "入党申请人" not in client.get("/admin/").text
    client.cookies.clear()


def test_every_applicant_route_refuses_the_other_branch_and_students(app, client, committee, branch_a, branch_b, student_a2, tiny_png):
    """Each admin route of the stage, tried on branch A's record by branch B's admin (404: it does
    not exist for them) and by a student (403: no right), changes nothing."""
    (rid,) = client.portal.call(lambda: bulk_applicants(app, branch_a.user["party_branch_id"], 1))
    talker = branch_talker(client, committee, branch_a).user["id"]
    deadline = (datetime.now() + timedelta(days=3)).isoformat()
    routes = [
        ("post", "/review", {"record_ids": [rid], "approve": True}),
        ("post", "/urge", {"record_ids": [rid]}),
        ("post", "/talk/assign", {"record_ids": [rid], "talker_id": talker, "deadline": deadline}),
        ("post", "/talk/proxy", {"record_id": rid, "place": "x", "scheduled_at": deadline, "content": "x", "talk_date": local_today().isoformat()}),
        ("post", "/talk/confirm", {"record_id": rid}),
        ("post", "/talk/review", {"record_ids": [rid], "approve": True}),
        ("get", f"/{rid}/detail", None),
    ]
    for method, path, body in routes:
        kw = {"json": body} if body is not None else {}
        r = getattr(branch_b, method)(f"/api/pc/v1/development/applicants{path}", **kw)
        assert r.status_code == 404, (path, r.status_code, r.text)
        assert getattr(student_a2, method)(f"/api/pc/v1/development/applicants{path}", **kw).status_code == 403, path
    r = branch_b.post("/api/pc/v1/development/applicants/proxy", json={"user_id": student_a2.user["id"], "files": [], "signed_date": local_today().isoformat()})
    assert r.status_code == 404
    assert branch_b.post("/api/pc/v1/development/redevelop", json={"record_ids": [rid]}).status_code == 404
    assert student_a2.get("/api/pc/v1/development/applicants").status_code == 403
    detail = branch_a.get(f"/api/pc/v1/development/applicants/{rid}/detail").json()["data"]
    assert detail["step"] == "application" and detail["letter"]["status"] == "submitted"
