"""EV-12: first-login profile completion on the MP: later, draft, submit, asked until submitted."""
import re

from tests.conftest import login, unique

OFFSET = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00")

FULL = {"name": "王小明", "student_no": "2025100999", "phone": "13800138000", "gender": "男", "ethnicity": "汉族",
        "birth_date": "2006-03-04", "id_card": "44010620060304123X", "native_place": "广东广州", "grade": "2025级",
        "enrollment_date": "2025-09-01", "political_status": "共青团员", "address": ""}


def new_student(client, committee):
    role = next(o["value"] for o in committee.get("/api/pc/v1/users/role-options").json()["data"]["options"] if o["label"] == "学生")
    name = unique("s")
    committee.post("/api/pc/v1/users", json={"username": name, "name": "新生", "password": "Good@2026x", "role_ids": [role]})
    return login(client, name, "Good@2026x")


def test_first_login_flow(client, committee):
    me = new_student(client, committee)
    assert me.user["profile_complete"] is False
    state = me.get("/api/mp/v1/profile").json()
    assert state["complete"] is False and state["ask"] is True
    assert {f["name"] for f in state["fields"] if f["required"]} >= {"name", "student_no", "id_card", "birth_date"}
    # draft keeps what is filled, checks only that
    r = me.post("/api/mp/v1/profile/draft", json={"phone": "13800138000", "gender": "男"})
    assert r.status_code == 200 and r.json()["profile"]["draft"]["phone"] == "13800138000"
    assert r.json()["profile"]["complete"] is False and r.json()["profile"]["draft"]["name"] is None
    r = me.post("/api/mp/v1/profile/draft", json={"phone": "12345"})
    assert r.status_code == 422 and "手机号码" in r.json()["msg"]
    # submit refuses missing and invalid fields, naming each
    r = me.post("/api/mp/v1/profile/submit", json={**FULL, "id_card": "", "gender": "未知"})
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"id_card", "gender"} and "身份证号不能为空" in r.json()["msg"]
    r = me.post("/api/mp/v1/profile/submit", json={**FULL, "birth_date": "2006-03-05"})
    assert r.status_code == 422 and "不一致" in r.json()["msg"]
    assert me.get("/api/mp/v1/profile").json()["complete"] is False
    r = me.post("/api/mp/v1/profile/submit", json=FULL)
    assert r.status_code == 200 and r.json()["msg"] == "提交成功"
    assert r.json()["profile"]["complete"] is True and r.json()["profile"]["ask"] is False
    assert r.json()["profile"]["data"]["birth_date"] == "2006-03-04"
    assert OFFSET.fullmatch(r.json()["profile"]["submitted_at"])
    assert me.get("/api/mp/v1/me").json()["profile_complete"] is True
    assert me.get("/api/mp/v1/me").json()["name"] == "王小明"


def test_profile_is_for_students(committee):
    assert committee.get("/api/mp/v1/profile").status_code == 403


def test_later_holds_for_this_login_and_the_next_login_asks_again(client, committee):
    me = new_student(client, committee)
    assert me.get("/api/mp/v1/profile").json()["ask"] is True
    r = me.post("/api/mp/v1/profile/later")
    assert r.status_code == 200 and r.json()["profile"]["ask"] is False
    assert OFFSET.fullmatch(r.json()["profile"]["deferred_at"])
    assert me.get("/api/mp/v1/profile").json()["ask"] is False  # the same login: no more prompt
    again = login(client, me.user["username"], "Good@2026x")
    assert again.get("/api/mp/v1/profile").json()["ask"] is True  # the next login asks again
    assert me.get("/api/mp/v1/profile").json()["ask"] is False  # the first login still deferred
    again.post("/api/mp/v1/profile/later")
    assert login(client, me.user["username"], "Good@2026x").get("/api/mp/v1/profile").json()["ask"] is True


def test_profile_errors_name_each_field_with_its_chinese_label(client, committee):
    me = new_student(client, committee)
    r = me.post("/api/mp/v1/profile/submit", json={**FULL, "phone": "123", "gender": ""})
    assert r.status_code == 422
    body = r.json()
    assert body["status"] == 422 and isinstance(body["errors"], list)
    assert {(e["field"], e["label"]) for e in body["errors"]} == {("phone", "手机号码"), ("gender", "性别")}
    assert next(e for e in body["errors"] if e["field"] == "gender")["msg"] == "性别不能为空"
    r = me.post("/api/mp/v1/profile/draft", json={"address": "x" * 300})
    assert r.status_code == 422 and r.json()["errors"][0]["label"] == "家庭住址" and r.json()["msg"] == "家庭住址过长"
