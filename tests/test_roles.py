"""UM-7 roles and UM-8 permission trees."""
from tests.conftest import login, unique


def test_role_key_is_unique(committee):
    key = unique("r")
    assert committee.post("/api/pc/v1/roles", json={"key": key, "name": "测试角色"}).status_code == 200
    r = committee.post("/api/pc/v1/roles", json={"key": key, "name": "另一个"})
    assert r.status_code == 409 and "不可重复添加" in r.json()["msg"]


def test_bad_role_key_or_scope_is_refused(committee):
    assert committee.post("/api/pc/v1/roles", json={"key": "有中文", "name": "x"}).status_code == 422
    assert committee.post("/api/pc/v1/roles", json={"key": unique("r"), "name": "x", "scope": "world"}).status_code == 422


def test_builtin_role_cannot_be_deleted_or_rekeyed(committee):
    roles = committee.get("/api/pc/v1/roles").json()["data"]["items"]
    student = next(r for r in roles if r["key"] == "student")
    r = committee.delete(f"/api/pc/v1/roles/{student['id']}")
    assert r.status_code == 409 and "不支持删除" in r.json()["msg"]
    r = committee.put(f"/api/pc/v1/roles/{student['id']}", json={**student, "key": "pupil"})
    assert r.status_code == 409


def test_permission_trees_and_granting(client, committee):
    key = unique("r")
    role = committee.post("/api/pc/v1/roles", json={"key": key, "name": "查看者", "scope": "all"}).json()["data"]
    perms = committee.get(f"/api/pc/v1/roles/{role['id']}/permissions").json()["data"]
    assert perms["pc"] == "" and perms["mp"] == ""
    pc_labels = [n["label"] for n in perms["pc_tree"]]
    assert "用户管理" in pc_labels and "党务管理" in pc_labels
    assert any(n["value"] == "mp.profile" for n in perms["mp_tree"])
    r = committee.put(f"/api/pc/v1/roles/{role['id']}/permissions", json={"pc": "um.user.view", "mp": ""})
    assert r.status_code == 200
    got = committee.get(f"/api/pc/v1/roles/{role['id']}/permissions").json()["data"]
    assert set(got["pc"].split(",")) == {"um", "um.user.view"}
    # a user with that role can now list users but not create them
    name = unique("v")
    committee.post("/api/pc/v1/users", json={"username": name, "name": "查看者", "password": "View@2026x", "role_ids": [role["id"]]})
    viewer = login(client, name, "View@2026x")
    assert viewer.get("/api/pc/v1/users").status_code == 200
    assert viewer.post("/api/pc/v1/users", json={"username": unique("x"), "name": "x", "password": "View@2026x", "role_ids": [role["id"]]}).status_code == 403
    # unknown keys and keys of the wrong tree are refused
    assert committee.put(f"/api/pc/v1/roles/{role['id']}/permissions", json={"pc": "no.such"}).status_code == 422
    assert committee.put(f"/api/pc/v1/roles/{role['id']}/permissions", json={"pc": "mp.profile"}).status_code == 422
    # deleting the role removes the right from its users
    assert committee.delete(f"/api/pc/v1/roles/{role['id']}").status_code == 200
    assert viewer.get("/api/pc/v1/users").status_code == 403


def test_only_superuser_may_grant_admin(committee):
    roles = committee.get("/api/pc/v1/roles").json()["data"]["items"]
    admin = next(r for r in roles if r["key"] == "admin")
    r = committee.post("/api/pc/v1/users", json={"username": unique("a"), "name": "提权", "password": "Good@2026x", "role_ids": [admin["id"]]})
    assert r.status_code == 403


def test_student_cannot_touch_roles(student_a):
    assert student_a.get("/api/pc/v1/roles").status_code == 403
    assert student_a.post("/api/pc/v1/roles", json={"key": "x1", "name": "x"}).status_code == 403
