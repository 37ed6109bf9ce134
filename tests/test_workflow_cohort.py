"""The cohort base against tests/plugins/outcome_stage.py: owner and scope, candidates,
people busy in another open cohort of the same kind, a person taken off with a reason,
completion resolving each entry's own outcome through the engine in one call."""
import pytest
from sqlalchemy import update

from core.sdk import Cohort
from core.workflow.models import BatchEntry
from tests.conftest import own_app
from tests.workflow_helpers import Env

MEETING = Cohort(kind="test_meeting", title="测试支部大会", stage="conversion", step="vote", people_label="预备党员", noun="会议")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    with own_app(tmp_path_factory.mktemp("cohort"), ["tests.plugins.outcome_stage"]) as (client, app):
        yield Env(client, app)


def test_cohort_resolves_each_entry_with_its_own_outcome(env):
    ids = env.people(4, milestones={"probation_end": "2026-08-01"})
    early = env.people(1, step="oath")

    async def make(s, e, actor):
        b = await MEETING.create(s, actor, title="第一次支部大会")
        candidates = {r.id for r, _, _ in await MEETING.candidates(s, actor, b)}
        await MEETING.set_people(s, e, actor, b, [{"record_id": ids[0], "outcome": "agree"},
                                                  {"record_id": ids[1], "outcome": "half", "opinion": "需继续考察"},
                                                  {"record_id": ids[2], "outcome": "refuse"},
                                                  {"record_id": ids[3], "outcome": "agree"}])
        return b.id, candidates
    batch_id, candidates = env.as_branch(make)
    assert set(ids) <= candidates and early[0] not in candidates

    async def other_cohort(s, e, actor):
        b = await MEETING.create(s, actor, title="第二次支部大会")
        await MEETING.set_people(s, e, actor, b, [{"record_id": ids[0]}])
    exc = env.refused(other_cohort)
    assert exc.status_code == 409 and "第一次支部大会" in exc.detail["msg"]

    async def wrong_step(s, e, actor):
        b = await MEETING.get(s, actor, batch_id)
        await MEETING.set_people(s, e, actor, b, [{"record_id": early[0]}])
    assert env.refused(wrong_step).status_code == 409

    async def other_branch(s, e, actor):
        from core.auth import load_actor

        await MEETING.get(s, await load_actor(s, env.other.user["id"]), batch_id)
    assert env.refused(other_branch).status_code == 404

    async def take_off(s, e, actor):
        b = await MEETING.get(s, actor, batch_id)
        await MEETING.remove(s, e, actor, b, ids[3], "本人请假，改期表决")
        # the removed person is free for another cohort of the same kind
        return set(await MEETING.busy(s, b.__class__(id=-1, kind=MEETING.kind, stage="conversion", step="vote"), ids))
    busy = env.as_branch(take_off)
    assert busy == set(ids[:3])

    async def complete(s, e, actor):
        b = await MEETING.get(s, actor, batch_id)
        res = await MEETING.complete(s, e, actor, b, expected_state="draft")
        return sorted((t.action, len(t.records)) for t in res.transitions), b.state
    moves, state = env.as_branch(complete)
    assert moves == [("advance", 1), ("fail", 1), ("reflow", 1)] and state == "completed"
    recs = env.records(ids)
    assert recs[ids[0]].step == "complete" and recs[ids[1]].step == "oath" and recs[ids[2]].status == "failed"
    assert recs[ids[3]].step == "vote" and recs[ids[3]].status == "active"  # taken off: stays at the step
    assert env.events(ids[1])[-1][2].startswith("需继续考察")  # the entry's opinion is its timeline note
    assert any(a == "batch_removed" and n == "本人请假，改期表决" for a, _, n in env.events(ids[3]))
    assert env.refused(complete).status_code == 409  # completed once only


def test_completion_refuses_when_someone_moved_meanwhile(env):
    ids = env.people(2)

    async def make(s, e, actor):
        b = await MEETING.create(s, actor)
        await MEETING.set_people(s, e, actor, b, [{"record_id": i, "outcome": "agree"} for i in ids])
        return b.id
    batch_id = env.as_branch(make)

    async def move(s, e, actor):
        await e.resolve(s, actor, "conversion", "vote", {ids[0]: "half"})
        await s.execute(update(BatchEntry).where(BatchEntry.batch_id == batch_id).values(opinion=""))
    env.as_branch(move)

    async def complete(s, e, actor):
        await MEETING.complete(s, e, actor, await MEETING.get(s, actor, batch_id), expected_state="draft")
    exc = env.refused(complete)
    assert exc.status_code == 409 and "不在“支部大会讨论”环节" in exc.detail["msg"]
    assert env.records(ids)[ids[1]].step == "vote"  # all or nothing
