"""Tasks inside a step, against tests/plugins/outcome_stage.py: created on entry (quarters
from a milestone, a conditional task), leaving refused naming who lacks what, a review and a
talk in task mode, progress per person (查看考察进度), 催交, auto-advance; assignment steps."""
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from core import clock
from core.workflow.models import Assignment, Task
from tests.conftest import login, own_app
from tests.dev_helpers import local_today, upload
from tests.workflow_helpers import API, Env


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    with own_app(tmp_path_factory.mktemp("tasks"), ["tests.plugins.outcome_stage"]) as (client, app):
        yield Env(client, app)


def members(env) -> list[int]:
    options = env.branch.get(f"{API}/contact/candidates").json()["data"]["options"]
    assert len(options) >= 2, "the demo has formal members in every branch"
    return [o["value"] for o in options]


def tasks_of(env, rid: int) -> list[Task]:
    async def read(s, e):
        return list((await s.execute(select(Task).where(Task.record_id == rid).order_by(Task.key, Task.period))).scalars())
    return env.run(read)


def enter_cultivation(env, n=1, **milestones) -> list[int]:
    ids = env.people(n, step="contact", milestones={"received_at": "2026-01-15", **milestones})
    r = env.branch.post(f"{API}/contact/assign", json={"record_ids": ids, "user_ids": [members(env)[0]]})
    assert r.status_code == 200 and r.json()["data"]["advanced"] == n, r.text
    return ids


def test_tasks_are_created_on_entry_with_quarters_from_the_milestone(env):
    plain, filed = enter_cultivation(env), enter_cultivation(env, filed_at="2025-12-01")
    tasks = tasks_of(env, plain[0])
    assert [(t.key, t.period) for t in tasks] == [("report", 1), ("report", 2), ("report", 3), ("report", 4), ("symposium", 0),
                                                  ("talk", 1), ("talk", 2), ("talk", 3), ("talk", 4), ("training", 0)]
    report = [t for t in tasks if t.key == "report"]
    assert [clock.local_date(t.due_at).isoformat() for t in report] == ["2026-04-15", "2026-07-15", "2026-10-15", "2027-01-15"]
    assert report[1].title == "思想汇报（第二季度）" and all(t.status == "open" and t.required for t in tasks)
    assert "symposium" not in {t.key for t in tasks_of(env, filed[0])}  # the conditional task
    assert env.records(plain)[plain[0]].step == "cultivation"


def test_leaving_with_open_tasks_is_refused_naming_who_and_what(env):
    ids = enter_cultivation(env, 2)
    names = {r.id: r for r in env.records(ids).values()}
    r = env.branch.post(f"{API}/cultivation/pass", json={"record_ids": ids})
    assert r.status_code == 409
    msg = r.json()["msg"]
    assert "未完成的任务" in msg and "思想汇报（第一季度）" in msg and "培训班结业" in msg and "座谈会" in msg
    assert {r.step for r in env.records(ids).values()} == {"cultivation"} and names


def test_review_and_talk_in_task_mode_complete_tasks_then_pass(env, tiny_png):
    (rid,) = enter_cultivation(env)
    rec = env.records([rid])[rid]
    contact = members(env)[0]

    async def username(s, e):
        from core.models import User

        return (await s.get(User, rec.user_id)).username, (await s.get(User, contact)).username
    who, contact_name = env.run(username)

    async def set_password(s, e):
        from core.models import User
        from core.security import hash_password

        (await s.get(User, rec.user_id)).password_hash = hash_password("Good@2026x", 4)
    env.run(set_password)
    me = login(env.c, who, "Good@2026x")
    # 思想汇报 in task mode: submit on the MP, the branch approves, the first quarter is done
    r = me.post("/api/mp/v1/development/test-report", json={"files": [upload(me, tiny_png)], "signed_date": local_today().isoformat()})
    assert r.status_code == 200, r.text
    assert env.branch.post(f"{API}/report/review", json={"record_ids": [rid], "approve": True}).status_code == 200
    done = [(t.key, t.period) for t in tasks_of(env, rid) if t.status == "done"]
    assert done == [("report", 1)] and env.records([rid])[rid].step == "cultivation"
    # the next quarter can be submitted; the student's to-do asks for it
    assert me.get("/api/mp/v1/development/test-report").json()["eligible"] is True
    assert any(t["kind"] == "submit" and t["kind_label"] == "提交思想汇报" for t in me.get("/api/mp/v1/todos").json()["items"])
    # 季度谈话 in task mode: the contact (the record's assignment) opens, schedules and submits the talk
    talker = login(env.c, contact_name)
    todos = talker.get("/api/mp/v1/todos").json()["items"]
    assert any(t["kind"] == "schedule_talk" and t["object_id"] == rid for t in todos)
    assert env.other.post("/api/mp/v1/development/talks/open", json={"kind": "test_quarter_talk", "record_id": rid}).status_code == 404
    r = talker.post("/api/mp/v1/development/talks/open", json={"kind": "test_quarter_talk", "record_id": rid})
    assert r.status_code == 200, r.text
    talk = r.json()["talk"]
    assert talk["talker_id"] == contact and talk["deadline"].endswith("+08:00")
    when = (datetime.now() + timedelta(days=1)).isoformat(timespec="minutes")
    assert talker.post(f"/api/mp/v1/development/talks/{talk['id']}/schedule", json={"place": "党员之家", "scheduled_at": when}).status_code == 200
    r = talker.post(f"/api/mp/v1/development/talks/{talk['id']}/record", json={"content": "季度谈话内容", "talk_date": local_today().isoformat()})
    assert r.status_code == 200, r.text
    assert env.branch.post(f"{API}/qtalk/review", json={"record_ids": [rid], "approve": True}).status_code == 200
    assert ("talk", 1) in [(t.key, t.period) for t in tasks_of(env, rid) if t.status == "done"]
    # progress per person and kind
    rows = env.branch.get(f"{API}/cultivation/progress", params={"per_page": 500}).json()["data"]["items"]
    row = next(x for x in rows if x["id"] == rid)
    progress = {t["key"]: (t["done"], t["total"]) for t in row["tasks"]}
    assert progress == {"report": (1, 4), "talk": (1, 4), "training": (0, 1), "symposium": (0, 1)} and row["complete"] is False
    # 催交 reaches those behind on a started task, once per quiet period
    r = env.branch.post(f"{API}/cultivation/urge", json={"record_ids": [rid], "task": "training"})
    assert r.status_code == 200 and r.json()["data"] == {"sent": 1, "skipped": 0}
    assert env.branch.post(f"{API}/cultivation/urge", json={"record_ids": [rid], "task": "training"}).json()["data"]["skipped"] == 1
    assert env.branch.post(f"{API}/cultivation/urge", json={"record_ids": [rid], "task": "nope"}).status_code == 422
    # the rest done (e.g. training results, later quarters): 考察通过 sets the milestone and moves on
    async def finish_all(s, e, actor):
        recs, users = await e.load(s, actor, [rid])
        for key, n in (("report", 3), ("talk", 3), ("training", 1), ("symposium", 1)):
            for _ in range(n):
                await e.complete_tasks(s, actor, recs, key=key, users=users, source=("test", None))
    env.as_branch(finish_all)
    assert next(x for x in env.branch.get(f"{API}/cultivation/progress").json()["data"]["items"] if x["id"] == rid)["complete"]
    r = env.branch.post(f"{API}/cultivation/pass", json={"record_ids": [rid]})
    assert r.status_code == 200 and r.json()["data"]["advanced"] == 1
    rec = env.records([rid])[rid]
    assert rec.step == "pre_talk" and rec.milestones["cultivated_at"] == local_today().isoformat()


def test_completing_the_last_task_of_an_auto_advance_step_moves_on(env):
    ids = env.people(2, step="cultivation")
    r = env.branch.post(f"{API}/cultivation/pass", json={"record_ids": ids})  # no tasks were created: nothing open
    assert r.status_code == 200
    assert [t.key for t in tasks_of(env, ids[0])] == ["pre"]

    async def complete(s, e, actor):
        recs, users = await e.load(s, actor, ids[:1])
        await e.complete_tasks(s, actor, recs, key="pre", users=users)
    env.as_branch(complete)
    recs = env.records(ids)
    assert recs[ids[0]].step == "group" and recs[ids[1]].step == "pre_talk"
    exc = env.refused(complete)  # nothing open any more
    assert exc.status_code == 409


def test_assignments_two_introducers_and_a_party_group(env):
    committee = login(env.c, "dangwei")
    ids = env.people(1, step="contact")
    people = members(env)
    r = env.branch.post(f"{API}/introducer/assign", json={"record_ids": ids, "user_ids": people[:1]})
    assert r.status_code == 422 and "2名不同的入党介绍人" in r.json()["msg"]
    r = env.branch.post(f"{API}/introducer/assign", json={"record_ids": ids, "user_ids": [people[0], people[0]]})
    assert r.status_code == 422
    r = env.branch.post(f"{API}/introducer/assign", json={"record_ids": ids, "user_ids": [env.records(ids)[ids[0]].user_id, people[0]]})
    assert r.status_code == 422 and "本支部正式党员" in r.json()["msg"]
    assert env.branch.post(f"{API}/introducer/assign", json={"record_ids": ids, "user_ids": people[:2]}).status_code == 200
    rec = env.records(ids)[ids[0]]
    assert rec.step == "contact"  # introducers do not complete this step, but their day is kept
    assert rec.milestones["introduced_at"] == local_today().isoformat() and "grouped_at" not in rec.milestones
    row = next(x for x in env.branch.get(API, params={"step": "contact", "per_page": 500}).json()["data"]["items"] if x["id"] == ids[0])
    assert row["introducer_names"].count("、") == 1
    # a 党小组 of the person's branch
    branch_id = env.branch.user["party_branch_id"]
    r = committee.post("/api/pc/v1/party-groups", json={"name": "第一党小组", "branch_id": branch_id})
    assert r.status_code == 200, r.text
    group = r.json()["data"]["id"]
    other_group = committee.post("/api/pc/v1/party-groups", json={"name": "第二党小组", "branch_id": env.other.user["party_branch_id"]}).json()["data"]["id"]
    (rid,) = env.people(1, step="group")
    options = env.branch.get(f"{API}/party-group/candidates").json()["data"]["options"]
    assert [o["value"] for o in options] == [group]
    r = env.branch.post(f"{API}/party-group/assign", json={"record_ids": [rid], "group_id": other_group})
    assert r.status_code == 422 and "党小组不属于" in r.json()["msg"]
    assert env.branch.post(f"{API}/party-group/assign", json={"record_ids": [rid], "group_id": group}).status_code == 200

    async def current(s, e):
        return [(a.role, a.group_id, a.until) for a in (await s.execute(select(Assignment).where(Assignment.record_id == rid))).scalars()]
    assert env.run(current) == [("party_group", group, None)]
    rec = env.records([rid])[rid]
    assert rec.step == "oath" and rec.milestones["grouped_at"] == local_today().isoformat()


def test_the_branch_uploads_a_report_for_the_person(env, tiny_png):
    (rid,) = enter_cultivation(env)
    token = upload(env.branch, tiny_png, "思想汇报.png")
    assert env.other.post(f"{API}/report/proxy", json={"record_id": rid, "files": [token], "signed_date": "2026-05-01"}).status_code == 404
    r = env.branch.post(f"{API}/report/proxy", json={"record_id": rid, "files": [token], "signed_date": "2026-05-01"})
    assert r.status_code == 200 and r.json()["data"]["by_proxy"] is True, r.text
    r = env.branch.post(f"{API}/report/proxy", json={"record_id": rid, "files": [token], "signed_date": "2026-05-01"})
    assert r.status_code == 409 and "等待审核" in r.json()["msg"]
    assert env.branch.post(f"{API}/report/review", json={"record_ids": [rid], "approve": True}).status_code == 200
    assert [(t.key, t.period) for t in tasks_of(env, rid) if t.status == "done"] == [("report", 1)]
