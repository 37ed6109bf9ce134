"""Engine v2 against a throwaway pair of stages (tests/plugins/outcome_stage.py): per-person
outcomes in one call with constant statements, finality as data, reflow with probation
months, re-flow vote, finish, political status, the stale-move race, and the hooks."""
from datetime import date, timedelta

import pytest
from fastapi import HTTPException
from sqlalchemy import event, select

from core.auth import load_actor
from core.models import User
from tests.conftest import login, own_app
from tests.plugins import outcome_stage
from tests.workflow_helpers import API, RECEPTION_API, Env


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    with own_app(tmp_path_factory.mktemp("outcomes"), ["tests.plugins.outcome_stage"]) as (client, app):
        yield Env(client, app)


def resolve(env, ids_or_map, step="vote", stage="conversion", **kw):
    outcomes = ids_or_map if isinstance(ids_or_map, dict) else {i: "agree" for i in ids_or_map}

    async def go(s, e, actor):
        return await e.resolve(s, actor, stage, step, outcomes, **kw)
    return env.as_branch(go)


def test_mixed_outcomes_in_one_call(env):
    ids = env.people(5, milestones={"received_at": "2025-03-10", "probation_end": "2026-03-10"})
    res = resolve(env, dict(zip(ids, ["agree", "half", "year", "refuse", "hold"])))
    assert sorted((t.action, len(t.records)) for t in res.transitions) == [
        ("advance", 1), ("fail", 1), ("reflow", 1), ("reflow", 1), ("stay", 1)]
    recs = env.records(ids)
    agree, half, year, refuse, hold = (recs[i] for i in ids)
    assert (agree.step, agree.status) == ("complete", "active")
    assert (half.step, half.milestones["probation_end"]) == ("oath", "2026-09-10")
    assert (year.step, year.milestones["probation_end"]) == ("oath", "2027-03-10")
    assert (refuse.status, refuse.failure_code, refuse.failure_final) == ("failed", "支部大会-不通过", True)
    assert (hold.step, hold.status, hold.version) == ("vote", "active", 1)
    assert env.events(half.id)[-1][:2] == ("reflowed", "延迟预备期半年，回到“入党宣誓”")
    assert "预备期延长6个月，至2026-09-10" in env.events(half.id)[-1][2]
    assert env.events(hold.id)[-1][0] == "stayed"
    # an outcome the step does not declare is refused and nothing moves
    more = env.people(2)
    exc = env.refused(lambda s, e, a: e.resolve(s, a, "conversion", "vote", {more[0]: "agree", more[1]: "maybe"}))
    assert exc.status_code == 422 and "maybe" in exc.detail["msg"]
    assert {r.step for r in env.records(more).values()} == {"vote"}


def _statements(env, n: int) -> int:
    ids = env.people(n, milestones={"received_at": "2025-03-10"})
    kinds = ["agree", "half", "year", "refuse", "hold"]
    outcomes = {rid: kinds[i % len(kinds)] for i, rid in enumerate(ids)}
    count = {"n": 0}

    def on_execute(*_):
        count["n"] += 1

    sync = env.app.state.db.engine.sync_engine
    event.listen(sync, "before_cursor_execute", on_execute)
    try:
        resolve(env, outcomes)
    finally:
        event.remove(sync, "before_cursor_execute", on_execute)
    return count["n"]


def test_mixed_batch_costs_the_same_statements_for_10_and_200(env):
    assert _statements(env, 10) == _statements(env, 200)


def test_same_words_different_finality(env):
    """Reception's 支部大会-不通过 can be re-voted or re-developed; conversion's cannot be re-developed."""
    (final,) = env.people(1)
    resolve(env, {final: "refuse"})
    r = env.branch.post("/api/pc/v1/development/redevelop", json={"record_ids": [final]})
    assert r.status_code == 409 and "最终结果，不能重新发展" in r.json()["msg"]
    r = env.branch.post("/api/pc/v1/development/revote", json={"record_ids": [final]})
    assert r.status_code == 409 and "不能重新流转表决" in r.json()["msg"]
    row = next(x for x in env.branch.get(API, params={"status": "failed", "per_page": 500}).json()["data"]["items"] if x["id"] == final)
    assert row["status_label"] == "支部大会-不通过" and row["failure_final"] is True
    assert row["can_redevelop"] is False and row["can_revote"] is False
    soft, soft2 = env.people(2, stage="reception", step="meeting")
    r = env.branch.post(f"{RECEPTION_API}/meeting", json={"record_ids": [soft, soft2], "outcome": "reject"})
    assert r.status_code == 200 and r.json()["data"]["failed"] == 2
    row = next(x for x in env.branch.get(RECEPTION_API, params={"status": "failed"}).json()["data"]["items"] if x["id"] == soft)
    assert row["status_label"] == "支部大会-不通过" and row["can_redevelop"] and row["can_revote"]
    assert env.other.post("/api/pc/v1/development/revote", json={"record_ids": [soft]}).status_code == 404
    assert env.branch.post("/api/pc/v1/development/revote", json={"record_ids": [soft]}).status_code == 200
    rec = env.records([soft])[soft]
    assert (rec.step, rec.status, rec.failure_code) == ("prep", "active", "")
    assert env.events(soft)[-1][:2] == ("reflowed", "重新流转表决，回到“准备”")
    assert env.branch.post("/api/pc/v1/development/redevelop", json={"record_ids": [soft2]}).status_code == 200
    assert env.records([soft2])[soft2].step == "prep"


def test_entering_conversion_makes_a_probationary_member(env):
    ids = env.people(2, stage="reception", step="meeting")
    r = env.branch.post(f"{RECEPTION_API}/meeting", json={"items": [{"record_id": ids[0], "outcome": "agree"},
                                                                    {"record_id": ids[1], "outcome": "reject", "note": "票数不足"}]})
    assert r.status_code == 200, r.text
    assert r.json()["data"] | {"warnings": []} == {"advanced": 1, "failed": 1, "reflowed": 0, "finished": 0, "stayed": 0,
                                                   "warnings": []}
    recs = env.records(ids)
    assert (recs[ids[0]].stage, recs[ids[0]].step) == ("conversion", "check")
    assert env.status_of(ids[0]) == "中共预备党员" and env.status_of(ids[1]) == "共青团员"
    assert ("stage_entered", "进入预备党员的教育考察和转正阶段", "") in env.events(ids[0])
    assert env.events(ids[1])[-1] == ("failed", "支部大会-不通过", "票数不足")


def test_finish_makes_a_full_member_and_nothing_moves_afterwards(env):
    (rid,) = env.people(1, step="complete", milestones={"probation_end": "2026-06-01"}, status="中共预备党员")
    res = resolve(env, {rid: "advance"}, step="complete")
    assert [t.action for t in res.transitions] == ["finish"]
    rec = env.records([rid])[rid]
    assert rec.status == "done" and rec.milestones["full_member_at"] == "2026-06-01"
    assert env.status_of(rid) == "中共党员"
    exc = env.refused(lambda s, e, a: e.resolve(s, a, "conversion", "complete", {rid: "advance"}))
    assert exc.status_code == 409 and "已完成发展" in exc.detail["msg"]
    assert env.branch.post("/api/pc/v1/development/redevelop", json={"record_ids": [rid]}).status_code == 409
    timeline = env.branch.get(f"/api/pc/v1/development/records/{rid}/timeline").json()["data"]
    assert timeline["record"]["status_label"] == "已完成发展"
    assert {x["no"]: x["done"] for x in timeline["regulation"]}[25] is True


def test_two_admins_resolving_the_same_batch(env):
    """The loser gets a 409 naming exactly the people the winner moved, and writes nothing."""
    ids = env.people(3)
    app, engine = env.app, env.app.state.engine
    committee = login(env.c, "dangwei")

    async def race():
        async with app.state.db.sessionmaker() as s1, app.state.db.sessionmaker() as s2:
            a1, a2 = await load_actor(s1, env.branch.user["id"]), await load_actor(s2, committee.user["id"])
            await engine.load(s1, a1, ids)  # the first admin has the batch open
            await engine.resolve(s2, a2, "conversion", "vote", {ids[0]: "agree", ids[1]: "refuse"})
            await s2.commit()
            names = {u.id: u.name for u in (await s1.execute(select(User))).scalars()}
            try:
                await engine.resolve(s1, a1, "conversion", "vote", {i: "half" for i in ids})
            except HTTPException as exc:
                await s1.rollback()
                return exc, names
            return None, names

    exc, names = env.c.portal.call(race)
    assert exc is not None and exc.status_code == 409
    recs = env.records(ids)
    moved = [names[recs[i].user_id] for i in ids[:2]]
    assert all(n in exc.detail["msg"] for n in moved) and names[recs[ids[2]].user_id] not in exc.detail["msg"]
    assert recs[ids[2]].step == "vote" and recs[ids[2]].version == 1  # the loser wrote nothing


def test_decision_routes_check_rights_and_input(env):
    (rid,) = env.people(1, step="check")
    assert env.other.post(f"{API}/check", json={"record_ids": [rid], "outcome": "pass"}).status_code == 404
    assert env.student().post(f"{API}/check", json={"record_ids": [rid], "outcome": "pass"}).status_code == 403
    assert env.branch.post(f"{API}/check", json={"record_ids": [], "outcome": "pass"}).status_code == 422
    r = env.branch.post(f"{API}/check", json={"record_ids": [rid], "outcome": "later"})
    assert r.status_code == 422 and "later" in r.json()["msg"]
    r = env.branch.post(f"{API}/check", json={"record_ids": [rid], "outcome": "fail", "note": "条件不符"})
    assert r.status_code == 200 and r.json()["data"]["failed"] == 1
    assert env.records([rid])[rid].failure_code == "发展条件-不通过"


def test_hook_xf_reflowed(env):
    (rid,) = env.people(1, milestones={"received_at": "2025-01-01"})
    resolve(env, {rid: "year"})
    assert ("reflowed", "conversion", "oath", [rid]) in outcome_stage.SEEN


def test_hook_xf_record_finished(env):
    (rid,) = env.people(1, step="complete", status="中共预备党员")
    resolve(env, {rid: "advance"}, step="complete")
    assert ("finished", "conversion", "complete", [rid]) in outcome_stage.SEEN
    assert env.records([rid])[rid].milestones["full_member_at"]  # the day it happened when no probation end is known


def test_date_step_sets_the_milestone(env):
    (rid,) = env.people(1, step="oath")
    r = env.branch.post(f"{API}/oath", json={"record_ids": [rid], "outcome": "advance"})
    assert r.status_code == 422 and "宣誓时间" in r.json()["msg"]
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    assert env.branch.post(f"{API}/oath", json={"record_ids": [rid], "outcome": "advance", "day": tomorrow}).status_code == 422
    r = env.branch.post(f"{API}/oath", json={"record_ids": [rid], "outcome": "advance", "day": "2026-07-01"})
    assert r.status_code == 200, r.text
    rec = env.records([rid])[rid]
    assert rec.step == "vote" and rec.milestones["oath_at"] == "2026-07-01"


def test_reflow_and_finish_tell_the_person(env):
    """MSG-1: a delay names the new probation end; finishing congratulates the new full member."""
    from core.outbox import OutboxMessage

    (late,) = env.people(1, milestones={"received_at": "2025-03-10", "probation_end": "2026-03-10"})
    resolve(env, {late: "half"})
    (done,) = env.people(1, step="complete", status="中共预备党员")
    resolve(env, {done: "advance"}, step="complete")
    users = {rid: rec.user_id for rid, rec in env.records([late, done]).items()}

    async def messages(s, _engine):
        rows = (await s.execute(select(OutboxMessage.recipient_id, OutboxMessage.title, OutboxMessage.body)
                                .where(OutboxMessage.recipient_id.in_(list(users.values()))))).all()
        return {(uid, title, body) for uid, title, body in rows}

    got = env.run(messages)
    assert any(u == users[late] and t == "发展环节已回退" and "延迟预备期半年" in b and "2026-09-10" in b for u, t, b in got)
    assert any(u == users[done] and t == "祝贺您成为中共正式党员" for u, t, b in got)
