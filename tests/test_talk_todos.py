"""Issue 11: a talker's to-dos come from dev_talk_todo, which database triggers keep from
talks, assignments and records. The list must be exactly what the three tables say, in
deadline order, paged with the right total, through every change: assigning, reassigning,
scheduling, submitting, the record moving on and back, and writes beside the app.
"""
from datetime import datetime, timedelta

from sqlalchemy import and_, select, text

from core.workflow.components.talk import Talk
from core.workflow.components.talk_kit import TALKER_TASKS
from core.workflow.models import Assignment, DevelopmentRecord
from tests.conftest import login
from tests.dev_helpers import bulk_applicants, local_today, new_student

ASSIGN = "/api/pc/v1/development/applicants/talk/assign"


def _new_talker(client, committee) -> object:
    me = new_student(client, committee, complete=False)
    form = {"name": me.user["name"], "student_no": me.user["username"], "phone": "13800138000", "gender": "女",
            "ethnicity": "汉族", "birth_date": "1990-03-04", "id_card": "440106199003041234", "native_place": "广东广州",
            "grade": "2012级", "enrollment_date": "2012-09-01", "political_status": "中共党员"}
    assert me.post("/api/mp/v1/profile/submit", json=form).status_code == 200
    return me


def _truth(client, talker_id: int) -> list[int]:
    """The talker's open first talks straight from the three tables, soonest deadline first."""
    async def read():
        async with client.app.state.db.sessionmaker() as s:
            return list((await s.execute(
                select(Talk.id).join(DevelopmentRecord, DevelopmentRecord.id == Talk.record_id)
                .join(Assignment, and_(Assignment.record_id == Talk.record_id, Assignment.role == Talk.role,
                                       Assignment.until.is_(None)))
                .where(Assignment.user_id == talker_id, Talk.kind == "first_talk", Talk.status.in_(tuple(TALKER_TASKS)),
                       DevelopmentRecord.stage == "applicant", DevelopmentRecord.step == "talk")
                .order_by(Talk.deadline, Talk.id))).scalars())

    return client.portal.call(read)


def _listed(talker, per_page: int = 7) -> tuple[list[int], int]:
    """Every talk to-do of the list, page by page, and the list's total."""
    ids, page, total = [], 1, None
    while True:
        data = talker.get("/api/mp/v1/todos", params={"page": page, "per_page": per_page}).json()
        total = data["total"] if total is None else total
        assert data["total"] == total, "the total moved between pages"
        ids += [t["object_id"] for t in data["items"] if t["object_type"] == "talk"]
        if page * per_page >= total:
            return ids, total
        page += 1


def _assign(branch, record_ids, talker, days: int):
    deadline = (datetime.now() + timedelta(days=days)).isoformat(timespec="minutes")
    r = branch.post(ASSIGN, json={"record_ids": record_ids, "talker_id": talker.user["id"], "deadline": deadline})
    assert r.status_code == 200, r.text


def _sql(client, statement: str, **params) -> None:
    async def run():
        async with client.app.state.db.engine.begin() as conn:
            await conn.execute(text(statement), params)

    client.portal.call(run)


def test_talk_todos_follow_every_change_and_page_in_deadline_order(app, client, committee, branch_a):
    first, second = _new_talker(client, committee), _new_talker(client, committee)
    records = client.portal.call(lambda: bulk_applicants(app, branch_a.user["party_branch_id"], 18, step="talk", letter=False))
    _assign(branch_a, records[:6], first, 20)
    _assign(branch_a, records[6:12], first, 5)
    _assign(branch_a, records[12:], first, 12)

    def check(who):
        truth = _truth(client, who.user["id"])
        listed, total = _listed(who)
        assert listed == truth and total == len(truth), (listed, truth, total)
        return truth

    assert len(check(first)) == 18
    # reassigned: the talks follow the new talker
    _assign(branch_a, records[:4], second, 3)
    assert len(check(first)) == 14 and len(check(second)) == 4
    # scheduled is still to do (submit the record); submitted is not
    talk = next(t for t in first.get("/api/mp/v1/development/talks").json()["items"] if t["record_id"] == records[8])
    when = (datetime.now() + timedelta(days=1)).isoformat(timespec="minutes")
    assert first.post(f"/api/mp/v1/development/talks/{talk['id']}/schedule", json={"place": "党员活动室", "scheduled_at": when}).status_code == 200
    assert len(check(first)) == 14
    r = first.post(f"/api/mp/v1/development/talks/{talk['id']}/record", json={"content": "谈话内容。", "talk_date": local_today().isoformat()})
    assert r.status_code == 200, r.text
    assert len(check(first)) == 13
    # the record leaves the step and comes back, beside the app; a deadline moves
    _sql(client, "UPDATE dev_record SET step = 'publicity' WHERE id = :r", r=records[10])
    assert len(check(first)) == 12
    _sql(client, "UPDATE dev_record SET step = 'talk' WHERE id = :r", r=records[10])
    assert len(check(first)) == 13
    _sql(client, "UPDATE dev_talk SET deadline = :d WHERE record_id = :r", d=datetime.utcnow() + timedelta(days=1), r=records[17])
    assert check(first)[0] == _truth(client, first.user["id"])[0]
    # an assignment ended beside the app; another one deleted outright
    _sql(client, "UPDATE dev_assignment SET until = CURRENT_TIMESTAMP WHERE record_id = :r AND until IS NULL", r=records[11])
    _sql(client, "DELETE FROM dev_assignment WHERE record_id = :r", r=records[16])
    assert len(check(first)) == 11
    assert len(check(second)) == 4


def test_a_long_talk_list_answers_one_page_with_the_whole_total(app, client, committee, branch_a):
    talker = _new_talker(client, committee)
    records = client.portal.call(lambda: bulk_applicants(app, branch_a.user["party_branch_id"], 120, step="talk", letter=False))
    _assign(branch_a, records, talker, 9)
    data = talker.get("/api/mp/v1/todos", params={"page": 2, "per_page": 25}).json()
    truth = _truth(client, talker.user["id"])
    assert data["total"] == len(truth) == 120
    assert [t["object_id"] for t in data["items"]] == truth[25:50]
    assert login(client, talker.user["username"], "Good@2026x").get("/api/mp/v1/todos").json()["total"] == 120


def test_the_list_reads_the_same_few_statements_for_a_few_talks_or_many(app, client, committee, branch_a):
    """Every stage's components bring to-dos; the list asks the database the same handful of
    statements whether the talker has 3 talks or 60 and however many talk kinds the stages
    declare (issue 11: 32 statements per request before, one or more per component)."""
    from tests.test_hot_reads import statements

    talker = _new_talker(client, committee)
    records = client.portal.call(lambda: bulk_applicants(app, branch_a.user["party_branch_id"], 63, step="talk", letter=False))
    _assign(branch_a, records[:3], talker, 9)
    talker.get("/api/mp/v1/todos")  # the role cache is filled
    with statements(client.app) as few:
        assert talker.get("/api/mp/v1/todos").json()["total"] == 3
    _assign(branch_a, records[3:], talker, 4)
    with statements(client.app) as many:
        data = talker.get("/api/mp/v1/todos", params={"page": 2, "per_page": 20}).json()
    assert data["total"] == 63 and [t["object_id"] for t in data["items"]] == _truth(client, talker.user["id"])[20:40]
    assert len(many) == len(few) <= 5, many
    own = [s for s in many if s.lstrip().upper().startswith("SELECT DEV_RECORD.ID, DEV_RECORD.STAGE")]
    assert len(own) == 1, "the talker's own record (and what they may have) is read once for every component"
    assert sum("dev_talk_todo.deadline" in s for s in many) == 1, "every talk kind's page in one statement"


def test_a_student_with_nothing_to_do_costs_authentication_and_one_read(client, student_a):
    """A student who is no one's talker, in no cohort and at no meeting: the list reads where
    their record is and what they may have in one statement, and asks nothing else."""
    from tests.test_hot_reads import statements

    student_a.get("/api/mp/v1/todos")
    with statements(client.app) as seen:
        r = student_a.get("/api/mp/v1/todos")
    assert r.status_code == 200 and r.json()["total"] == len(r.json()["items"]), r.text
    assert len(seen) == 2, seen
