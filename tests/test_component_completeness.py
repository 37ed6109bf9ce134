"""完成发展流程 (CompletenessCheck, PRO-10) against tests/plugins/probation_stage.py: refused with
each person's list (documents, dates, their order, the probation), warn-mode rule breaches
shown but not blocking, then accepted: done, 中共党员, full member from the probation end."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from core.workflow.documents import Paper, record_documents
from core.workflow.models import DevelopmentRecord
from tests.conftest import Api
from tests.probation_helpers import CONVERSION_API, probation_app

CHECK, FINISH = f"{CONVERSION_API}/complete/check", f"{CONVERSION_API}/complete/finish"
DATES = {"form_submitted_at": "2024-03-01", "received_at": "2024-04-10", "committee_talked_at": "2024-05-01",
         "oath_at": "2024-06-01", "conversion_voted_at": "2025-04-12"}
PAPERS = [("reception", "form", "application_form"), ("reception", "meeting", "meeting_record"),
          ("conversion", "cmeeting", "meeting_record")]


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    with probation_app(tmp_path_factory.mktemp("complete")) as e:
        yield e


def file_papers(env, record_ids, papers=PAPERS):
    async def add(s, e):
        records = (await s.execute(select(DevelopmentRecord).where(DevelopmentRecord.id.in_(record_ids)))).scalars().all()
        rows = []
        for r in records:
            for stage, step, kind in papers:
                copy = DevelopmentRecord(id=r.id, user_id=r.user_id, stage=stage, step=step)
                rows.append(Paper(copy, kind, kind, [], date(2024, 4, 10)))
        await record_documents(s, rows, created_by=None)
    env.run(add)


def test_refused_with_each_persons_list_then_accepted(env):
    bare, complete = env.people(2, stage="conversion", step="complete", status="中共预备党员")
    file_papers(env, [complete])

    async def date_it(s, e):
        r = await s.get(DevelopmentRecord, complete)
        r.milestones = DATES
    env.run(date_it)
    report = env.branch.post(CHECK, json={"record_ids": [bare, complete]}).json()["data"]
    assert (report["ready"], report["blocked"]) == (1, 1)
    items = {i["record_id"]: i for i in report["items"]}
    problems = "；".join(items[bare]["problems"])
    assert "《入党志愿书》" in problems and "《转正支部大会组织生活记录》" in problems and "入党宣誓时间" in problems
    assert "缺少预备期起始时间" in problems
    assert items[complete]["ok"] and items[complete]["probation_end"] == "2025-04-10"
    r = env.branch.post(FINISH, json={"record_ids": [bare, complete]})
    assert r.status_code == 409 and r.json()["msg"].startswith("以下人员不能完成发展流程")
    assert [e["label"] for e in r.json()["errors"]] == [items[bare]["name"]]
    assert all(x.status == "active" for x in env.records([bare, complete]).values())  # all or nothing
    r = env.branch.post(FINISH, json={"record_ids": [complete]})
    assert r.status_code == 200 and r.json()["data"]["finished"] == 1
    rec = env.records([complete])[complete]
    assert (rec.status, rec.milestones["full_member_at"]) == ("done", "2025-04-10")
    assert env.status_of(complete) == "中共党员"
    assert any("完成发展流程" in t for t, _, _ in env.messages(rec.user_id))
    assert env.branch.post(FINISH, json={"record_ids": [complete]}).status_code == 409  # nothing moves it afterwards


def test_the_probation_and_the_order_of_dates(env):
    short, running, disorder, extended = env.people(4, stage="conversion", step="complete", status="中共预备党员")
    file_papers(env, [short, running, disorder, extended])
    recent = (date.today() - timedelta(days=100)).isoformat()

    async def dates(s, e):
        (await s.get(DevelopmentRecord, short)).milestones = {**DATES, "probation_end": "2024-12-01"}
        (await s.get(DevelopmentRecord, running)).milestones = {**DATES, "received_at": recent}
        (await s.get(DevelopmentRecord, disorder)).milestones = {**DATES, "oath_at": "2024-01-01"}
        # a probation extended by half a year that has ended
        (await s.get(DevelopmentRecord, extended)).milestones = {**DATES, "probation_end": "2025-10-10"}
    env.run(dates)
    items = {i["record_id"]: i for i in env.branch.post(CHECK, json={"record_ids": [short, running, disorder, extended]})
             .json()["data"]["items"]}
    assert any("预备期不足一年" in p for p in items[short]["problems"])
    assert any("预备期未满" in p for p in items[running]["problems"])
    assert any("时间顺序不正确" in p and "入党宣誓时间" in p for p in items[disorder]["problems"])
    assert items[extended]["ok"] and items[extended]["probation_end"] == "2025-10-10"
    assert env.branch.post(FINISH, json={"record_ids": [extended]}).status_code == 200
    assert env.records([extended])[extended].milestones["full_member_at"] == "2025-10-10"


def test_a_warned_breach_is_shown_but_does_not_block(env):
    (rid,) = env.people(1, stage="conversion", step="complete", status="中共预备党员")
    file_papers(env, [rid])

    async def dates(s, e):
        (await s.get(DevelopmentRecord, rid)).milestones = {**DATES, "applied_at": "2021-01-01", "talked_at": "2021-03-15"}
    env.run(dates)
    (item,) = env.branch.post(CHECK, json={"record_ids": [rid]}).json()["data"]["items"]
    assert item["ok"] and any("一个月内派人谈话" in w for w in item["warnings"])


def test_routes_refuse_the_other_branch_students_and_strangers(env):
    (rid,) = env.people(1, stage="conversion", step="complete")
    student, anonymous = env.student(), Api(env.c, None)
    for url in (CHECK, FINISH):
        assert env.other.post(url, json={"record_ids": [rid]}).status_code == 404
        assert student.post(url, json={"record_ids": [rid]}).status_code == 403
        assert anonymous.post(url, json={"record_ids": [rid]}).status_code == 401
    r = env.branch.post(CHECK, json={"record_ids": env.people(1, stage="conversion", step="oath")})
    assert r.status_code == 409  # only people at the step

    assert env.records([rid])[rid].status == "active" and env.status_of(rid) == "共青团员"
