"""The training class (培训班, DEV-9) against a throwaway stage with two class types
(tests/plugins/training_stage.py): creation and publication, states computed from times,
signup rules (type, scope, one class at a time, first semester), branch screening with
quotas and order, confirmation, start, early end, results completing the training task, and
rights from outside."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from tests.dev_helpers import local_today

pytestmark = pytest.mark.xf_plugins("tests.plugins.training_stage")

API = "/api/pc/v1/development/training"
MP = "/api/mp/v1/development/training"


def local(dt: datetime) -> str:
    return dt.isoformat(timespec="minutes")


def now_local() -> datetime:
    """The college's wall time (the app's default UTC+8), as people type times."""
    return (datetime.now(timezone.utc) + timedelta(hours=8)).replace(tzinfo=None, microsecond=0)


def trainee(xf_app, step="course", branch_admin="zhibu04", enrolled=date(2022, 9, 1)):
    """A student at ``step`` with the step's open training task and an enrolment date."""
    from core.models import StudentProfile
    from core.workflow import tasks as task_store
    from core.workflow.models import DevelopmentRecord

    p = xf_app.person("conversion", step, branch_admin=branch_admin)
    registry = xf_app.app.state.engine.registry

    async def prepare(s):
        await s.execute(update(StudentProfile).where(StudentProfile.user_id == p.user_id).values(enrollment_date=enrolled))
        record = await s.get(DevelopmentRecord, p.record_id)
        await task_store.create_for(s, [record], "conversion", registry.step("conversion", step), datetime.utcnow())
    xf_app.run(prepare)
    return p


def task_status(xf_app, record_id):
    from core.workflow.models import Task

    async def read(s):
        return (await s.execute(select(Task.status).where(Task.record_id == record_id, Task.key == "training"))).scalar_one()
    return xf_app.run(read)


def shift(xf_app, class_id, **deltas):
    """Move a class's windows into the past (no waiting): field=-timedelta."""
    from core.workflow.components.training_models import TrainingClass

    async def go(s):
        c = await s.get(TrainingClass, class_id)
        await s.execute(update(TrainingClass).where(TrainingClass.id == class_id).values(
            **{k: getattr(c, k) + d for k, d in deltas.items()}))
    xf_app.run(go)


def new_class(committee, branches: dict[int, int], class_type="alpha", publish=True, start_in=timedelta(hours=1)):
    t = now_local() + start_in
    body = {"class_type": class_type, "title": f"第{t:%H%M%S%f}期{class_type}培训班", "place": "学院报告厅",
            "signup_start": local(t), "signup_end": local(t + timedelta(days=3)), "train_start": local(t + timedelta(days=5)),
            "train_end": local(t + timedelta(days=8)), "publish": publish,
            "quotas": [{"branch_id": b, "quota": n} for b, n in branches.items()]}
    r = committee.post(f"{API}/classes", json=body)
    assert r.status_code == 200, r.text
    return r.json()["data"], body


def open_signup(xf_app, class_id):
    shift(xf_app, class_id, signup_start=-timedelta(hours=2))


def close_signup(xf_app, class_id):
    shift(xf_app, class_id, signup_start=-timedelta(days=4), signup_end=-timedelta(days=4))


def test_create_publish_and_states_by_time(xf_app, xf_committee, xf_branch, xf_other_branch):
    a, b = xf_branch.user["party_branch_id"], xf_other_branch.user["party_branch_id"]
    t = now_local() + timedelta(hours=1)
    good = {"class_type": "alpha", "title": "甲类培训班第一期", "signup_start": local(t), "signup_end": local(t + timedelta(days=1)),
            "train_start": local(t + timedelta(days=2)), "train_end": local(t + timedelta(days=3)),
            "quotas": [{"branch_id": a, "quota": 2}]}
    for wrong in ({"signup_end": local(t - timedelta(hours=1))}, {"train_start": local(t)},
                  {"train_end": local(t + timedelta(days=1))}, {"quotas": []}, {"quotas": [{"branch_id": 987654, "quota": 1}]},
                  {"quotas": [{"branch_id": a, "quota": 0}]}, {"class_type": "gamma"}):
        assert xf_committee.post(f"{API}/classes", json={**good, **wrong}).status_code == 422, wrong
    assert xf_branch.post(f"{API}/classes", json=good).status_code == 403
    student = trainee(xf_app)
    assert student.api.post(f"{API}/classes", json=good).status_code == 403
    assert xf_app.anonymous.post(f"{API}/classes", json=good).status_code == 401
    r = xf_committee.post(f"{API}/classes", json=good)
    assert r.status_code == 200 and r.json()["data"]["state"] == "draft"
    cid = r.json()["data"]["id"]
    assert cid not in [c["id"] for c in xf_branch.get(f"{API}/classes").json()["data"]["items"]]  # drafts are the committee's
    assert xf_branch.get(f"{API}/classes/{cid}").status_code == 404
    r = xf_committee.put(f"{API}/classes/{cid}", json={**good, "quotas": [{"branch_id": a, "quota": 2}, {"branch_id": b, "quota": 1}]})
    assert r.status_code == 200 and len(r.json()["data"]["quotas"]) == 2
    r = xf_committee.post(f"{API}/classes/{cid}/publish")
    assert r.json()["data"]["state"] == "pending" and r.json()["data"]["state_label"] == "待开始"
    assert xf_committee.post(f"{API}/classes/{cid}/publish").status_code == 409
    open_signup(xf_app, cid)
    assert xf_committee.get(f"{API}/classes/{cid}").json()["data"]["state_label"] == "报名中"
    assert xf_committee.put(f"{API}/classes/{cid}", json=good).status_code == 409
    assert xf_committee.post(f"{API}/classes/{cid}/screening").status_code == 409  # not before the deadline
    close_signup(xf_app, cid)
    assert xf_committee.get(f"{API}/classes/{cid}").json()["data"]["state"] == "signup_closed"
    # a class is listed to the branches it is open to
    assert cid in [c["id"] for c in xf_other_branch.get(f"{API}/classes").json()["data"]["items"]]


def test_signup_rules(xf_app, xf_committee, xf_branch, xf_other_branch):
    a = xf_branch.user["party_branch_id"]
    alpha, _ = new_class(xf_committee, {a: 5})
    beta, _ = new_class(xf_committee, {a: 5}, class_type="beta")
    closed, _ = new_class(xf_committee, {xf_other_branch.user["party_branch_id"]: 5})
    for c in (alpha, beta, closed):
        open_signup(xf_app, c["id"])
    me = trainee(xf_app)
    status = me.api.get(MP).json()
    assert status["eligible"] is True and alpha["id"] in [c["id"] for c in status["classes"] if c["can_sign_up"]]
    assert not next(c for c in status["classes"] if c["id"] == beta["id"])["can_sign_up"]
    assert me.api.post(f"{MP}/{beta['id']}/signup").status_code == 409  # another class type than my step needs
    assert me.api.post(f"{MP}/{closed['id']}/signup").status_code == 404  # not open to my branch
    r = me.api.post(f"{MP}/{alpha['id']}/signup")
    assert r.status_code == 200, r.text
    assert r.json()["training"]["summary"]["status"] == "signed_up"
    assert me.api.post(f"{MP}/{alpha['id']}/signup").status_code == 409
    other_alpha, _ = new_class(xf_committee, {a: 5})
    open_signup(xf_app, other_alpha["id"])
    r = me.api.post(f"{MP}/{other_alpha['id']}/signup")
    assert r.status_code == 409 and "一次只能报名一个培训班" in r.json()["msg"]
    assert me.api.post(f"{MP}/{alpha['id']}/cancel").status_code == 200
    assert me.api.post(f"{MP}/{alpha['id']}/cancel").status_code == 409
    assert me.api.post(f"{MP}/{other_alpha['id']}/signup").status_code == 200
    freshman = trainee(xf_app, enrolled=local_today() - timedelta(days=30))
    r = freshman.api.post(f"{MP}/{alpha['id']}/signup")
    assert r.status_code == 409 and "第一学期" in r.json()["msg"]
    assert freshman.api.get(MP).json()["problems"] == ["大一/研一第一学期的学生不能报名培训班"]
    spring = trainee(xf_app, enrolled=date(local_today().year - 1, 3, 1))
    assert spring.api.post(f"{MP}/{alpha['id']}/signup").status_code == 200
    assert xf_branch.get(MP).status_code == 403 and xf_app.anonymous.get(MP).status_code == 401


def test_screening_confirmation_training_and_results(xf_app, xf_committee, xf_branch, xf_other_branch):
    a, b = xf_branch.user["party_branch_id"], xf_other_branch.user["party_branch_id"]
    c, _ = new_class(xf_committee, {a: 2, b: 3})
    cid = c["id"]
    open_signup(xf_app, cid)
    mine = [trainee(xf_app) for _ in range(4)]
    theirs = trainee(xf_app, branch_admin="zhibu05")
    for p in mine + [theirs]:
        assert p.api.post(f"{MP}/{cid}/signup").status_code == 200
    assert mine[0].api.post(f"{MP}/{cid}/cancel").status_code == 200  # allowed until screening
    mine = mine[1:]
    close_signup(xf_app, cid)
    late = trainee(xf_app)
    assert late.api.post(f"{MP}/{cid}/signup").status_code == 409  # the signup window is over
    assert xf_branch.post(f"{API}/classes/{cid}/screening").status_code == 403
    r = xf_committee.post(f"{API}/classes/{cid}/screening")
    assert r.status_code == 200 and r.json()["data"]["state_label"] == "支部筛选中"
    assert mine[1].api.post(f"{MP}/{cid}/cancel").status_code == 409  # 党委已流转支部筛选
    # branch A: 3 signups for 2 places; the last one moves up to the top
    rows = xf_branch.get(f"{API}/classes/{cid}/signups").json()["data"]["items"]
    assert {r_["branch_id"] for r_ in rows} == {a} and [r_["within_quota"] for r_ in rows] == [True, True, False]
    assert xf_other_branch.post(f"{API}/classes/{cid}/signups/{rows[0]['id']}/move", json={"direction": "down"}).status_code in (404, 409)
    assert xf_branch.post(f"{API}/classes/{cid}/signups/{rows[0]['id']}/move", json={"direction": "up"}).status_code == 409
    assert xf_branch.post(f"{API}/classes/{cid}/signups/{rows[2]['id']}/move", json={"direction": "up"}).status_code == 200
    assert xf_branch.post(f"{API}/classes/{cid}/signups/{rows[2]['id']}/move", json={"direction": "up"}).status_code == 200
    order = [r_["id"] for r_ in xf_branch.get(f"{API}/classes/{cid}/signups").json()["data"]["items"]]
    assert order == [rows[2]["id"], rows[0]["id"], rows[1]["id"]]
    assert xf_committee.post(f"{API}/classes/{cid}/submit").status_code == 403
    assert xf_branch.post(f"{API}/classes/{cid}/submit").status_code == 200
    assert xf_branch.post(f"{API}/classes/{cid}/submit").status_code == 409
    r = xf_committee.post(f"{API}/classes/{cid}/confirm")
    assert r.status_code == 409 and "尚未提交" in r.json()["msg"]
    assert xf_other_branch.post(f"{API}/classes/{cid}/submit").status_code == 200  # fewer signups than places: all selected
    assert xf_committee.post(f"{API}/classes/{cid}/start").status_code == 409
    r = xf_committee.post(f"{API}/classes/{cid}/confirm")
    assert r.status_code == 200 and r.json()["data"]["state_label"] == "待培训" and r.json()["data"]["selected"] == 3
    statuses = {s["id"]: s["status"] for s in xf_committee.get(f"{API}/classes/{cid}/signups").json()["data"]["items"]}
    assert statuses[rows[1]["id"]] == "not_selected" and statuses[rows[2]["id"]] == "selected"
    assert xf_committee.post(f"{API}/classes/{cid}/results", json={"items": []}).status_code == 409
    assert xf_committee.post(f"{API}/classes/{cid}/start").json()["data"]["state_label"] == "培训中"
    assert xf_committee.post(f"{API}/classes/{cid}/end").json()["data"]["state_label"] == "已结束"
    assert xf_committee.post(f"{API}/classes/{cid}/end").status_code == 409
    selected = [s for s in xf_committee.get(f"{API}/classes/{cid}/signups", params={"status": "selected"}).json()["data"]["items"]]
    passed = next(s for s in selected if s["branch_id"] == b)
    failed = [s for s in selected if s["branch_id"] == a]
    items = [{"signup_id": passed["id"], "result": "passed", "result_date": local_today().isoformat()}] + [
        {"signup_id": s["id"], "result": "failed"} for s in failed]
    assert xf_committee.post(f"{API}/classes/{cid}/results", json={"items": items[:1]}).status_code == 422
    assert xf_committee.post(f"{API}/classes/{cid}/results", json={"items": [{**items[0], "result_date": None}] + items[1:]}).status_code == 422
    assert xf_branch.post(f"{API}/classes/{cid}/results", json={"items": items}).status_code == 403
    r = xf_committee.post(f"{API}/classes/{cid}/results", json={"items": items})
    assert r.status_code == 200 and r.json()["data"] == {"selected": 0, "not_selected": 0, "passed": 1, "failed": 2}
    assert task_status(xf_app, theirs.record_id) == "done"
    assert theirs.api.get(MP).json()["summary"]["status"] == "passed"
    assert all(task_status(xf_app, s["record_id"]) == "open" for s in failed)
    # 未结业 and 未入选 may sign up for a later class
    later, _ = new_class(xf_committee, {a: 5})
    open_signup(xf_app, later["id"])
    not_selected = next(p for p in mine if p.record_id == rows[1]["record_id"])
    assert not_selected.api.post(f"{MP}/{later['id']}/signup").status_code == 200
    again = next(p for p in mine if p.record_id == failed[0]["record_id"])
    assert again.api.post(f"{MP}/{later['id']}/signup").status_code == 200
    assert theirs.api.get(MP).json()["problems"]  # done: no class needed any more


def test_training_end_by_time_and_rights(xf_app, xf_committee, xf_branch, xf_other_branch):
    a = xf_branch.user["party_branch_id"]
    c, _ = new_class(xf_committee, {a: 1})
    cid = c["id"]
    assert xf_other_branch.get(f"{API}/classes/{cid}").status_code == 404
    assert xf_other_branch.get(f"{API}/classes/{cid}/signups").status_code == 404
    p = trainee(xf_app)
    assert p.api.get(f"{API}/classes").status_code == 403
    assert xf_app.anonymous.get(f"{API}/classes").status_code == 401
    open_signup(xf_app, cid)
    assert p.api.post(f"{MP}/{cid}/signup").status_code == 200
    close_signup(xf_app, cid)
    xf_committee.post(f"{API}/classes/{cid}/screening")
    xf_branch.post(f"{API}/classes/{cid}/submit")
    xf_committee.post(f"{API}/classes/{cid}/confirm")
    xf_committee.post(f"{API}/classes/{cid}/start")
    shift(xf_app, cid, train_start=-timedelta(days=20), train_end=-timedelta(days=20))
    detail = xf_committee.get(f"{API}/classes/{cid}").json()["data"]
    assert detail["state"] == "ended" and detail["can"]["results"] is True  # ended by time, no timer needed
    assert xf_committee.post(f"{API}/classes/{cid}/end").status_code == 409
    assert xf_committee.delete(f"{API}/classes/{cid}").status_code == 409


def test_delete_before_signups(xf_app, xf_committee, xf_branch):
    """删除 of a class nobody signed up for removes it with its quotas (the quotas' foreign key
    once made this a 500), draft or published."""
    a = xf_branch.user["party_branch_id"]
    for publish in (False, True):
        c, _ = new_class(xf_committee, {a: 2}, publish=publish)
        assert xf_branch.delete(f"{API}/classes/{c['id']}").status_code == (403 if publish else 404)  # drafts are unseen
        r = xf_committee.delete(f"{API}/classes/{c['id']}")
        assert r.status_code == 200, r.text
        assert xf_committee.get(f"{API}/classes/{c['id']}").status_code == 404
