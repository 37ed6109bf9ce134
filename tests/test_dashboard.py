"""The 工作台 API (issue 16): people per branch, stage and step with links to the filtered
stage list, overdue items, timing-rule lights, rights from outside, and the generic columns
of a throwaway stage."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

from sqlalchemy import insert, select

from core.models import utcnow
from core.workflow.models import Assignment, Batch, DevelopmentRecord
from tests.activist_helpers import place_students, today
from tests.conftest import login, own_app, unique
from tests.dev_helpers import bulk_applicants

DASH = "/api/pc/v1/dashboard"


def data(api, url=DASH, **params):
    r = api.get(url, params=params)
    assert r.status_code == 200, r.text
    return r.json()["data"]


def cell(d: dict, branch_id: int, stage: str, step: str) -> dict:
    i = next(k for k, c in enumerate(d["columns"]) if (c["stage"], c["step"]) == (stage, step))
    row = next((r for r in d["branches"] if r["branch_id"] == branch_id), None)
    return row["cells"][i] if row else {"count": 0, "link": ""}


def applicants(client, branch_id: int, n: int, step: str) -> list[int]:
    return client.portal.call(lambda: bulk_applicants(client.app, branch_id, n, step=step, letter=False))


def in_db(client, fn):
    async def go():
        async with client.app.state.db.sessionmaker() as session:
            out = await fn(session)
            await session.commit()
            return out

    return client.portal.call(go)


def test_dashboard_rights_from_outside(anonymous, student_a, committee, branch_a, branch_b):
    assert anonymous.get(DASH).status_code == 401
    assert anonymous.get(f"{DASH}/chart").status_code == 401
    assert student_a.get(DASH).status_code == 403
    assert student_a.get(f"{DASH}/chart").status_code == 403
    mine = data(branch_a)
    assert mine["scope"] == "branch" and mine["branch_name"]
    assert {r["branch_id"] for r in mine["branches"]} == {branch_a.user["party_branch_id"]}
    assert data(committee)["scope"] == "all"


def test_people_per_branch_and_step_link_to_the_filtered_list(client, app, committee, branch_a, branch_b):
    a, b = branch_a.user["party_branch_id"], branch_b.user["party_branch_id"]
    before = cell(data(committee), a, "applicant", "talk")["count"]
    ids = applicants(client, a, 3, "talk")
    d = data(committee)
    c = cell(d, a, "applicant", "talk")
    assert c["count"] == before + 3
    assert cell(data(branch_b), a, "applicant", "talk")["count"] == 0  # another branch sees none of it
    url = urlparse(c["link"])
    assert url.path == "/admin/" and url.fragment.startswith("/admin/development/page/applicants")
    query = parse_qs(urlparse(url.fragment).query)
    assert query == {"branch_id": [str(a)], "step": ["talk"], "status": ["active"]}
    # the list the link opens holds exactly those people
    listed = data(committee, "/api/pc/v1/development/applicants", branch_id=a, step="talk", status="active", per_page=100)
    assert listed["total"] == c["count"] and set(ids) <= {r["id"] for r in listed["items"]}
    # the other branch's admin asking for this branch's list gets nothing of it
    assert data(branch_b, "/api/pc/v1/development/applicants", branch_id=a, step="talk")["total"] == 0
    totals = {t["stage"]: t["count"] for t in d["stage_totals"]}
    assert totals["applicant"] >= c["count"]
    chart = data(committee, f"{DASH}/chart")
    assert chart["xAxis"]["data"] == [r["name"] for r in d["branches"]]
    assert [s["name"] for s in chart["series"]] == [t["title"] for t in d["stage_totals"]]


def test_failed_records_have_their_own_column(client, app, committee, branch_a):
    a = branch_a.user["party_branch_id"]
    before = cell(data(committee), a, "applicant", "__failed")["count"]
    (rid,) = applicants(client, a, 1, "talk")

    async def fail_it(session):
        r = await session.get(DevelopmentRecord, rid)
        r.status, r.failure_code = "failed", "谈话-不通过"

    in_db(client, fail_it)
    c = cell(data(committee), a, "applicant", "__failed")
    assert c["count"] == before + 1 and "status=failed" in c["link"]


def test_overdue_thought_reports_talks_and_publicities(client, committee, branch_a, branch_b):
    a = branch_a.user["party_branch_id"]
    prefix = unique("od")
    long_ago = {"applied_at": (today() - timedelta(days=900)).isoformat(),
                "activist_at": (today() - timedelta(days=400)).isoformat()}
    people = in_db(client, lambda s: place_students(s, a, 2, "cultivation", prefix=prefix, milestones=long_ago))
    (rid,) = applicants(client, a, 1, "talk")

    async def late_talk(session):
        from core.workflow.components.talk import Talk

        talker = (await session.execute(select(DevelopmentRecord.user_id).where(DevelopmentRecord.id == people[0][1]))).scalar_one()
        user = (await session.execute(select(DevelopmentRecord.user_id).where(DevelopmentRecord.id == rid))).scalar_one()
        await session.execute(insert(Talk), [{"record_id": rid, "user_id": user, "kind": "first_talk", "role": "talker",
                                              "deadline": utcnow() - timedelta(days=2), "status": "assigned"}])
        await session.execute(insert(Assignment), [{"record_id": rid, "role": "talker", "user_id": talker}])
        await session.execute(insert(Batch), [{"kind": "applicant", "stage": "applicant", "step": "publicity", "branch_id": a,
                                               "state": "published", "title": prefix + "公示", "data": {},
                                               "start_at": utcnow() - timedelta(days=9), "end_at": utcnow() - timedelta(days=1)}])

    in_db(client, late_talk)
    d = data(committee)
    titles = [i["title"] for i in d["overdue"]] + [i["title"] for i in data(branch_a)["overdue"]]
    assert any(people[0][2] in t and "思想汇报" in t for t in titles)
    labels = {(g["category"], g["label"]) for g in d["overdue_groups"]}
    assert ("task", "思想汇报") in labels and ("talk", "入党申请人谈话") in labels and ("publicity", "入党申请人公示") in labels
    assert d["overdue_total"] >= 4 * 2 + 1 + 1 - 1
    mine = data(branch_a)
    assert any(prefix + "公示" in i["title"] for i in mine["overdue"])
    theirs = data(branch_b)
    assert not any(prefix in i["title"] or people[0][2] in i["title"] for i in theirs["overdue"])
    assert all(i["due_at"] is None or i["due_at"].endswith("+08:00") for i in d["overdue"])


def test_timing_lights_red_yellow_green(client, app, committee, branch_a):
    a = branch_a.user["party_branch_id"]
    ids = applicants(client, a, 3, "talk")
    before = data(branch_a)["lights"]

    async def dates(session):
        for rid, days in zip(ids, (40, 26, 2)):  # talk due 30 days after the letter
            r = await session.get(DevelopmentRecord, rid)
            r.milestones = {"applied_at": (today() - timedelta(days=days)).isoformat()}

    in_db(client, dates)
    d = data(branch_a)
    assert d["lights"]["red"] == before["red"] + 1
    assert d["lights"]["yellow"] == before["yellow"] + 1
    assert d["lights"]["green"] == before["green"] - 2  # all three were green without dates
    colors = {x["record_id"]: x["color"] for x in d["light_items"]}
    assert colors.get(ids[0]) == "red" and colors.get(ids[1]) == "yellow" and ids[2] not in colors


def test_branch_admin_sees_its_todos(client, branch_a, committee):
    d = data(branch_a)
    assert d["todo_total"] >= len(d["todos"]) and d["scope"] == "branch"
    assert data(committee)["todos"] == []


def test_home_page_shows_the_dashboard_to_admins_only(client, committee, student_a):
    page = committee.post("/admin/page/home").json()["data"]
    assert "/api/pc/v1/dashboard" in str(page)
    other = student_a.post("/admin/page/home")
    assert "/api/pc/v1/dashboard" not in other.text


def test_columns_follow_the_registered_stages(tmp_path):
    with own_app(tmp_path, ["tests.plugins.throwaway_stage"]) as (c, app):
        committee = login(c, "dangwei")
        d = data(committee)
        steps = [(x["stage"], x["step"]) for x in d["columns"]]
        assert [s for s in steps if s[0] == "conversion"] == [("conversion", "prep"), ("conversion", "publicity"),
                                                             ("conversion", "after"), ("conversion", "__failed")]
        # the throwaway conversion stage displaces dev_probation, so reception has no plugin: people wait at its start
        assert ("reception", "") in steps


def test_hook_xf_dashboard_panels(app, committee, branch_a, student_a):
    # evaluation adds 本年度考评: the latest year's periods, or a hint that none is set
    panels = data(committee)["panels"]
    year = next(p for p in panels if p["title"].startswith("本年度考评"))
    assert year["items"] and all(i["value"] for i in year["items"])
    assert any(p["title"].startswith("本年度考评") for p in data(branch_a)["panels"])
    assert app.state.plugins.hook.xf_dashboard_panels  # the spec exists and is implemented


def test_my_progress_on_the_phone(client, anonymous, committee, branch_a):
    me = "/api/mp/v1/dashboard/me"
    assert anonymous.get(me).status_code == 401
    assert committee.get(me).status_code == 403  # a student's own card
    a = branch_a.user["party_branch_id"]
    prefix = unique("mp")
    long_ago = {"applied_at": (today() - timedelta(days=600)).isoformat(),
                "activist_at": (today() - timedelta(days=200)).isoformat()}

    async def setup(session):
        from core.models import User
        from core.security import hash_password

        people = await place_students(session, a, 1, "cultivation", prefix=prefix, milestones=long_ago,
                                      password_hash=hash_password("Demo@2026x", 4))
        user = await session.get(User, people[0][0])
        return user.username

    username = in_db(client, setup)
    student = login(client, username, "Demo@2026x")
    p = student.get(me).json()
    assert p["has_record"] and p["step_title"] == "培育考察" and p["status_label"] == "进行中"
    assert p["next_title"]  # the next stage's first step (or its start when no plugin declares it)
    titles = [d["title"] for d in p["due"]]
    assert titles[:2] == ["思想汇报（第一季度）", "季度谈话（第一季度）"] or titles[:2] == ["季度谈话（第一季度）", "思想汇报（第一季度）"]
    assert all(d["overdue"] for d in p["due"] if "第一季度" in d["title"] or "第二季度" in d["title"])
    assert not any("第四季度" in t for t in titles)  # a quarter not started yet is not shown
    assert all(d["due_at"] is None or d["due_at"].endswith("+08:00") for d in p["due"])
