"""CORE-2/3: login, wrong credentials, lockout, expiry, 401/403, session end."""
from datetime import datetime, timedelta, timezone

import jwt

from tests.conftest import DEMO_PASSWORD, login, unique


def test_mp_login_answers_token_and_user(client):
    r = client.post("/api/mp/v1/auth/login", json={"username": "dangwei", "password": DEMO_PASSWORD})
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer" and body["token"]
    assert body["user"]["username"] == "dangwei" and "committee" in body["user"]["roles"]


def test_wrong_password_and_unknown_account_answer_the_same(client):
    a = client.post("/api/mp/v1/auth/login", json={"username": "dangwei", "password": "Wrong@123x"})
    b = client.post("/api/mp/v1/auth/login", json={"username": unique("nobody"), "password": "Wrong@123x"})
    assert a.status_code == b.status_code == 401
    assert a.json()["msg"] == b.json()["msg"] == "账号或密码错误"


def test_repeated_failures_lock_the_account_for_a_while(client, committee):
    role = next(o["value"] for o in committee.get("/api/pc/v1/users/role-options").json()["data"]["options"] if o["label"] == "学生")
    name = unique("lock")
    assert committee.post("/api/pc/v1/users", json={"username": name, "name": "锁定测试", "password": "Lock@2026x", "role_ids": [role]}).status_code == 200
    for _ in range(5):
        assert client.post("/api/mp/v1/auth/login", json={"username": name, "password": "bad"}).status_code == 401
    r = client.post("/api/mp/v1/auth/login", json={"username": name, "password": "Lock@2026x"})
    assert r.status_code == 429 and "分钟后再试" in r.json()["msg"]


def test_me_requires_a_token(anonymous):
    r = anonymous.get("/api/mp/v1/me")
    assert r.status_code == 401 and r.json()["msg"] == "请先登录"


def test_expired_token_is_refused(client, settings, committee):
    token = jwt.encode({"sub": str(committee.user["id"]), "ver": 0, "exp": datetime.now(timezone.utc) - timedelta(seconds=5)},
                       settings.secret_key, algorithm="HS256")
    assert client.get("/api/mp/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_forged_token_is_refused(client, committee):
    token = jwt.encode({"sub": str(committee.user["id"]), "ver": 0, "exp": 4102444800}, "not-the-secret", algorithm="HS256")
    assert client.get("/api/mp/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_role_without_permission_gets_403(student_a):
    r = student_a.get("/api/pc/v1/users")
    assert r.status_code == 403 and r.json()["msg"] == "没有权限执行此操作"


def test_pc_login_sets_cookie_and_admin_opens(client):
    client.cookies.clear()
    r = client.post("/api/pc/v1/auth/login", json={"username": "dangwei", "password": DEMO_PASSWORD})
    assert r.status_code == 200 and r.json()["status"] == 0
    assert "xf_token" in r.cookies
    page = client.get("/admin/", follow_redirects=False)
    assert page.status_code == 200 and "用户管理" in page.text
    assert client.post("/api/pc/v1/auth/logout").status_code == 200
    client.cookies.clear()
    assert client.get("/admin/", follow_redirects=False).status_code == 307


def test_admin_without_login_redirects_to_login_page(client):
    client.cookies.clear()
    r = client.get("/admin/", follow_redirects=False)
    assert r.status_code == 307 and "/admin/login" in r.headers["location"]
    assert "登录" in client.get("/admin/login").text


def test_password_change_ends_every_session(client, committee):
    role = next(o["value"] for o in committee.get("/api/pc/v1/users/role-options").json()["data"]["options"] if o["label"] == "学院党委")
    name = unique("pw")
    assert committee.post("/api/pc/v1/users", json={"username": name, "name": "改密", "password": "Old@2026x", "role_ids": [role]}).status_code == 200
    me = login(client, name, "Old@2026x")
    r = me.post("/api/pc/v1/personal/password", json={"old_password": "Old@2026x", "new_password": "New@2026x", "confirm_password": "New@2026x"})
    assert r.status_code == 200 and "重新登录" in r.json()["msg"]
    assert me.get("/api/mp/v1/me").status_code == 401
    assert login(client, name, "New@2026x").get("/api/mp/v1/me").status_code == 200
