"""EV-12: first-login profile completion on the MP: later, draft, submit, asked until submitted."""
from tests.conftest import login, unique

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
    # later: skipped now, asked again at the next login
    assert me.post("/api/mp/v1/profile/later").json()["ask"] is True
    again = login(client, me.user["username"], "Good@2026x")
    assert again.user["profile_complete"] is False
    # draft keeps what is filled, checks only that
    r = me.post("/api/mp/v1/profile/draft", json={"phone": "13800138000", "gender": "男"})
    assert r.status_code == 200 and r.json()["draft"]["phone"] == "13800138000" and r.json()["complete"] is False
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
    assert r.status_code == 200 and r.json()["complete"] is True and r.json()["ask"] is False
    assert me.get("/api/mp/v1/me").json()["profile_complete"] is True
    assert me.get("/api/mp/v1/me").json()["name"] == "王小明"


def test_profile_is_for_students(committee):
    assert committee.get("/api/mp/v1/profile").status_code == 403
