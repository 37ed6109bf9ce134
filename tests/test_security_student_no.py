"""Issue 8 security: a student cannot take another student's 学号 (the impostor who then got the
victim's evaluation report). 学号 is unique among live users, in the routes and in the database;
a student sets it only while empty; admins correct it, uniqueness holding there too."""
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from core import student_no as sno_rules
from core.models import User, utcnow
from tests.conftest import login, students_of, unique
from tests.dev_helpers import new_student

PROFILE = {"phone": "13800138000", "gender": "男", "ethnicity": "汉族", "birth_date": "2004-05-06",
           "id_card": "440106200405061234", "native_place": "广东广州", "grade": "2022级",
           "enrollment_date": "2022-09-01", "political_status": "共青团员", "address": ""}


def _role(api, label="学生"):
    return next(o["value"] for o in api.get("/api/pc/v1/users/role-options").json()["data"]["options"] if o["label"] == label)


def _student(client, committee, student_no=None, name="新同学"):
    username = unique("sn")
    r = committee.post("/api/pc/v1/users", json={"username": username, "name": name, "password": "Good@2026x",
                                                "role_ids": [_role(committee)], "student_no": student_no})
    assert r.status_code == 200, r.text
    return login(client, username, "Good@2026x"), r.json()["data"]


def _sno() -> str:
    return "T" + unique("")[:8].upper()


def test_impostor_cannot_take_a_victims_student_no(client, committee, branch_a):
    victim = students_of(committee, branch_a.user["party_branch_id"])[0]
    impostor, _ = _student(client, committee)
    r = impostor.post("/api/mp/v1/profile/submit", json={**PROFILE, "name": victim["name"], "student_no": victim["student_no"]})
    assert r.status_code == 409, r.text
    assert r.json()["msg"] == f"学号 {victim['student_no']} 已被其他用户使用"
    assert r.json()["errors"][0]["field"] == "student_no" and r.json()["errors"][0]["label"] == "学号"
    # full-width digits and spaces are the same number, not a way around the check
    wide = " ".join(victim["student_no"].translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"}))
    r = impostor.post("/api/mp/v1/profile/submit", json={**PROFILE, "name": victim["name"], "student_no": wide})
    assert r.status_code == 409
    assert impostor.get("/api/mp/v1/me").json()["student_no"] is None
    assert committee.get(f"/api/pc/v1/users/{victim['id']}").json()["data"]["student_no"] == victim["student_no"]


def test_student_sets_an_empty_student_no_once_and_never_changes_it(client, committee):
    me, _ = _student(client, committee)
    mine, other = _sno(), _sno()
    r = me.post("/api/mp/v1/profile/submit", json={**PROFILE, "name": "新同学", "student_no": mine})
    assert r.status_code == 200 and r.json()["profile"]["data"]["student_no"] == mine
    for route in ("/api/mp/v1/profile/submit", "/api/mp/v1/profile/draft"):
        r = me.post(route, json={**PROFILE, "name": "新同学", "student_no": other})
        assert r.status_code == 422, route
        assert r.json()["errors"][0] == {"field": "student_no", "label": "学号", "msg": "学号设置后不能修改，如需更正请联系党支部管理员"}
    assert me.get("/api/mp/v1/me").json()["student_no"] == mine
    # re-submitting with the same number (other fields changed) is fine
    assert me.post("/api/mp/v1/profile/submit", json={**PROFILE, "name": "新同学", "student_no": mine, "phone": "13900000000"}).status_code == 200


def test_student_no_set_by_the_admin_is_locked_for_the_student(client, committee):
    given = _sno()
    me, _ = _student(client, committee, student_no=given)
    r = me.post("/api/mp/v1/profile/submit", json={**PROFILE, "name": "新同学", "student_no": _sno()})
    assert r.status_code == 422 and "学号设置后不能修改" in r.json()["msg"]
    assert me.post("/api/mp/v1/profile/submit", json={**PROFILE, "name": "新同学", "student_no": given}).status_code == 200


def test_name_is_the_students_own_until_the_profile_is_complete(client, committee):
    me, _ = _student(client, committee, name="临时名")
    sno = _sno()
    assert me.put("/api/mp/v1/personal", json={"name": "改过一次", "phone": ""}).status_code == 200
    r = me.post("/api/mp/v1/profile/submit", json={**PROFILE, "name": "王真名", "student_no": sno})
    assert r.status_code == 200 and me.get("/api/mp/v1/me").json()["name"] == "王真名"
    r = me.post("/api/mp/v1/profile/submit", json={**PROFILE, "name": "李冒名", "student_no": sno})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "name"
    for route in ("/api/mp/v1/personal", "/api/pc/v1/personal"):
        r = me.put(route, json={"name": "李冒名", "phone": "13800138000"})
        assert r.status_code == 422 and "姓名不能自行修改" in r.json()["msg"], route
        assert me.put(route, json={"name": "王真名", "phone": "13800138001"}).status_code == 200  # other fields stay editable
    assert me.get("/api/mp/v1/me").json()["name"] == "王真名"


def test_admins_correct_student_no_but_uniqueness_holds(client, committee, branch_a):
    branch_name = next(o["label"] for o in committee.get("/api/pc/v1/orgs/options").json()["data"]["options"]
                       if o["value"] == branch_a.user["party_branch_id"])
    target = new_student(client, committee, branch_name).user
    taken = new_student(client, committee, branch_name).user["student_no"]
    user = committee.get(f"/api/pc/v1/users/{target['id']}").json()["data"]
    body = {**user, "role_ids": user["role_ids"]}
    # 用户管理
    r = committee.put(f"/api/pc/v1/users/{target['id']}", json={**body, "student_no": taken})
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "student_no"
    r = committee.post("/api/pc/v1/users", json={"username": unique("dup"), "name": "重复", "password": "Good@2026x",
                                                "role_ids": [_role(committee)], "student_no": taken})
    assert r.status_code == 409
    r = committee.post("/api/pc/v1/users", json={"username": unique("dup"), "name": "格式", "password": "Good@2026x",
                                                "role_ids": [_role(committee)], "student_no": "2025/001"})
    assert r.status_code == 422 and r.json()["msg"] == "学号只能包含数字、字母和“-”"
    # 党员基础信息管理 (ORG-6), by the branch's own admin
    form = {k: v for k, v in branch_a.get(f"/api/pc/v1/members/{target['id']}").json()["data"].items() if k not in ("id", "complete")}
    r = branch_a.put(f"/api/pc/v1/members/{target['id']}", json={**form, "student_no": taken})
    assert r.status_code == 409 and "已被其他用户使用" in r.json()["msg"]
    corrected = _sno()
    r = branch_a.put(f"/api/pc/v1/members/{target['id']}", json={**form, "student_no": corrected})
    assert r.status_code == 200, r.text
    assert committee.get(f"/api/pc/v1/users/{target['id']}").json()["data"]["student_no"] == corrected
    r = committee.put(f"/api/pc/v1/users/{target['id']}", json={**body, "student_no": "２０" + corrected})
    assert r.status_code == 200 and r.json()["data"]["student_no"] == "20" + corrected  # stored half-width


def test_a_deleted_users_student_no_can_be_given_again(client, committee):
    sno = _sno()
    _, first = _student(client, committee, student_no=sno)
    r = committee.post("/api/pc/v1/users", json={"username": unique("again"), "name": "重名", "password": "Good@2026x",
                                                "role_ids": [_role(committee)], "student_no": sno})
    assert r.status_code == 409
    assert committee.delete(f"/api/pc/v1/users/{first['id']}").status_code == 200
    r = committee.post("/api/pc/v1/users", json={"username": unique("again"), "name": "新账号", "password": "Good@2026x",
                                                "role_ids": [_role(committee)], "student_no": sno})
    assert r.status_code == 200, r.text


def test_the_database_refuses_two_live_users_with_one_student_no(client, app):
    sno = _sno()

    async def insert(*deleted):
        async with app.state.db.sessionmaker() as s:
            s.add_all([User(username=unique("db"), name="库", student_no=sno, deleted_at=d) for d in deleted])
            try:
                await s.commit()
                return "ok"
            except IntegrityError:
                return "refused"

    assert client.portal.call(insert, utcnow(), utcnow(), None) == "ok"  # deleted ones step aside
    assert client.portal.call(insert, None) == "refused"


def test_upgrade_resolves_existing_duplicates_and_reports_them(client, app):
    """An old database may hold duplicates (the index did not exist): the upgrade keeps the
    number on the account named after it (else the oldest), clears the others, reports them,
    and the unique index can then be built."""
    a, b = _sno(), _sno()

    async def scenario():
        async with app.state.db.engine.begin() as conn:
            await conn.execute(text(f"DROP INDEX IF EXISTS {sno_rules.INDEX_NAME}"))
        try:
            async with app.state.db.sessionmaker() as s:
                people = [User(username=unique("old"), name="甲", student_no=a), User(username=a, name="乙", student_no=a),
                          User(username=unique("old"), name="丙", student_no=b), User(username=unique("old"), name="丁", student_no=b)]
                s.add_all(people)
                await s.commit()
                ids = [p.id for p in people]
            async with app.state.db.engine.begin() as conn:
                before = await conn.run_sync(sno_rules.duplicate_report)
                cleared = await conn.run_sync(sno_rules.resolve_duplicates)
                after = await conn.run_sync(sno_rules.duplicate_report)
        finally:
            async with app.state.db.engine.begin() as conn:
                await conn.execute(text(sno_rules.create_index_sql()))
        async with app.state.db.sessionmaker() as s:
            numbers = {i: (await s.get(User, i)).student_no for i in ids}
        return ids, before, cleared, after, numbers

    ids, before, cleared, after, numbers = client.portal.call(scenario)
    assert {r["id"] for r in before} == set(ids)
    assert after == []
    assert numbers == {ids[0]: None, ids[1]: a, ids[2]: b, ids[3]: None}
    assert sorted((c["id"], c["student_no"], c["kept_by"]) for c in cleared) == sorted([(ids[0], a, ids[1]), (ids[3], b, ids[2])])


@pytest.mark.parametrize("raw, stored", [("２０２５ ０００１", "20250001"), (" 2025\u30000002 ", "20250002"), ("", None), (None, None)])
def test_student_no_is_normalised(raw, stored):
    assert sno_rules.normalise(raw) == stored


@pytest.mark.parametrize("driver_message", [
    "UNIQUE constraint failed: xf_user.student_no",  # SQLite
    'duplicate key value violates unique constraint "uq_xf_user_student_no"\nDETAIL: Key (student_no)=(1) already exists.',  # PostgreSQL
])
def test_a_write_that_races_past_the_check_answers_409(driver_message):
    """Two requests storing one 学号 at once: the index refuses the second; it answers 409."""
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from core.errors import install_error_handlers

    app = FastAPI()
    install_error_handlers(app)

    @app.post("/race")
    async def race():
        raise IntegrityError("UPDATE xf_user SET student_no = ?", {}, Exception(driver_message))

    r = TestClient(app).post("/race")
    assert r.status_code == 409 and r.json()["msg"] == "学号已被其他用户使用"
    assert r.json()["errors"][0]["field"] == "student_no"
