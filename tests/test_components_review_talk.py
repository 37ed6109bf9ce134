"""The review and talk components against a throwaway stage (not the applicant stage)."""
from datetime import date, datetime, timedelta

import pytest
from fastapi import HTTPException

from core.auth import load_actor
from tests.conftest import login, own_app
from tests.dev_helpers import bulk_applicants, upload
from tests.plugins.review_stage import DOC, TALK


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    with own_app(tmp_path_factory.mktemp("components"), ["tests.plugins.review_stage"]) as (client, app):
        branch = login(client, "zhibu04")
        other = login(client, "zhibu05")
        yield client, app, branch, other


def call(env, fn):
    client, app, *_ = env

    async def go():
        async with app.state.db.sessionmaker() as s:
            result = await fn(s, app.state.engine)
            await s.commit()
            return result

    return client.portal.call(go)


def refused(env, fn) -> HTTPException:
    """The refusal an action raised; ``.detail`` is its Chinese message."""
    with pytest.raises(HTTPException) as exc:
        call(env, fn)
    err = exc.value
    if isinstance(err.detail, dict):
        err.detail = err.detail["msg"]
    return err


def record(env, step="doc", prefix=None):
    client, app, branch, _ = env
    (rid,) = client.portal.call(lambda: bulk_applicants(app, branch.user["party_branch_id"], 1, stage="reception", step=step,
                                                        letter=False, prefix=prefix))
    return rid


async def _rec(s, rid):
    from core.models import User
    from core.workflow.models import DevelopmentRecord

    r = await s.get(DevelopmentRecord, rid)
    return r, await s.get(User, r.user_id)


def test_submit_withdraw_reject_resubmit_approve(env, tiny_png):
    client, app, branch, other = env
    rid = record(env)
    today = date.today() - timedelta(days=1)

    async def as_subject(s, e):
        r, u = await _rec(s, rid)
        return await load_actor(s, branch.user["id"]), r, u

    token = upload(branch, tiny_png, "自传.png")

    async def submit(s, e):
        actor, r, u = await as_subject(s, e)
        return (await DOC.submit(s, e, actor, r, u, files=[token], signed_date=today, by_proxy=True)).status

    assert call(env, submit) == "submitted"
    assert "等待审核" in refused(env, submit).detail

    async def withdraw(s, e):
        actor, r, _ = await as_subject(s, e)
        return (await DOC.withdraw(s, e, actor, r)).status

    assert call(env, withdraw) == "withdrawn"
    assert call(env, submit) == "submitted"

    def reject(reason):
        async def go(s, e):
            actor = await load_actor(s, branch.user["id"])
            await DOC.review(s, e, actor, [rid], approve=False, reason=reason)
        return go

    exc = refused(env, reject(""))
    assert exc.status_code == 422 and "请填写审核不通过理由" in exc.detail
    call(env, reject("字迹不清"))
    assert "已审核，不能撤回" in refused(env, withdraw).detail  # a reviewed submission cannot be withdrawn
    assert call(env, submit) == "submitted"  # resubmitted after the rejection

    async def other_branch_approves(s, e):
        await DOC.review(s, e, await load_actor(s, other.user["id"]), [rid], approve=True)

    assert refused(env, other_branch_approves).status_code == 404

    async def approve(s, e):
        await DOC.review(s, e, await load_actor(s, branch.user["id"]), [rid], approve=True)
        r, _ = await _rec(s, rid)
        return r.step, r.milestones

    step, milestones = call(env, approve)
    assert step == "interview" and milestones["autobiography_at"] == today.isoformat()
    assert refused(env, approve).status_code == 409  # nothing pending any more / wrong step


def test_urge_reaches_only_those_missing_once_per_quiet_period(env):
    client, app, branch, _ = env
    rid = record(env)

    async def urge(s, e):
        res = await DOC.urge(s, e, await load_actor(s, branch.user["id"]), [rid])
        return len(res.sent), len(res.skipped)

    assert call(env, urge) == (1, 0)
    assert call(env, urge) == (0, 1)


def test_talk_assign_schedule_submit_review(env):
    client, app, branch, _ = env
    rid = record(env, step="interview")
    talker = branch.get("/api/pc/v1/development/applicants/talkers").json()["data"]["options"][0]["value"]
    deadline = datetime.now() + timedelta(days=3)

    def assign(who, when):
        async def go(s, e):
            await TALK.assign(s, e, await load_actor(s, branch.user["id"]), [rid], talker_id=who, deadline=when)
            return (await TALK.current(s, [rid]))[rid].id
        return go

    async def non_member(s, e):
        _, u = await _rec(s, rid)
        return u.id

    subject = call(env, non_member)
    assert "不是正式党员" in str(refused(env, assign(subject, deadline)).detail)
    assert "截止" in str(refused(env, assign(talker, datetime.now() - timedelta(hours=1))).detail)
    talk_id = call(env, assign(talker, deadline))

    def as_talker(fn):
        async def go(s, e):
            return await fn(s, e, await load_actor(s, talker))
        return go

    async def record_first(s, e, actor):
        await TALK.submit_record(s, e, actor, talk_id, content="x", talk_date=date.today() - timedelta(days=1))

    assert "请先安排谈话日程" in str(refused(env, as_talker(record_first)).detail)

    async def schedule(s, e, actor):
        return (await TALK.schedule(s, e, actor, talk_id, place="党员之家", when=deadline)).status

    assert call(env, as_talker(schedule)) == "scheduled"

    async def submit(s, e, actor):
        return (await TALK.submit_record(s, e, actor, talk_id, content="谈话内容", talk_date=date.today() - timedelta(days=1))).status

    assert call(env, as_talker(submit)) == "submitted"

    async def stranger_schedules(s, e):
        await TALK.schedule(s, e, await load_actor(s, branch.user["id"]), talk_id, place="x", when=deadline)

    assert refused(env, stranger_schedules).status_code == 404

    async def approve(s, e):
        await TALK.review(s, e, await load_actor(s, branch.user["id"]), [rid], approve=True)
        r, _ = await _rec(s, rid)
        return r.step, "interviewed_at" in r.milestones

    assert call(env, approve) == ("done", True)


def test_talk_proxy_needs_confirmation(env):
    client, app, branch, _ = env
    rid = record(env, step="interview")
    talker = branch.get("/api/pc/v1/development/applicants/talkers").json()["data"]["options"][0]["value"]

    async def go(s, e):
        actor = await load_actor(s, branch.user["id"])
        await TALK.assign(s, e, actor, [rid], talker_id=talker, deadline=datetime.now() + timedelta(days=2))
        await TALK.proxy_fill(s, e, actor, rid, place="会议室", when=datetime.now(), content="代理记录",
                              talk_date=date.today() - timedelta(days=1))
        return (await TALK.current(s, [rid]))[rid].status

    assert call(env, go) == "proxy_draft"

    async def review(s, e):
        await TALK.review(s, e, await load_actor(s, branch.user["id"]), [rid], approve=True)

    assert refused(env, review).status_code == 409

    async def confirm(s, e):
        return (await TALK.confirm_proxy(s, e, await load_actor(s, branch.user["id"]), rid)).status

    assert call(env, confirm) == "submitted"
    call(env, review)
