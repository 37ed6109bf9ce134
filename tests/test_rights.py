"""Rights from the outside: another branch's admin and another student are refused everywhere."""
from tests.conftest import students_of


def test_branch_admin_lists_only_its_own_branch(branch_a):
    users = branch_a.get("/api/pc/v1/users", params={"per_page": 500}).json()["data"]["items"]
    assert users and {u["party_branch_id"] for u in users} == {branch_a.user["party_branch_id"]}
    members = branch_a.get("/api/pc/v1/members", params={"per_page": 500}).json()["data"]["items"]
    assert members and {m["party_branch_id"] for m in members} == {branch_a.user["party_branch_id"]}


def test_branch_admin_gets_nothing_of_another_branch(committee, branch_a, branch_b):
    b_students = students_of(committee, branch_b.user["party_branch_id"])
    assert b_students
    target = b_students[0]
    listed = branch_a.get("/api/pc/v1/users", params={"name": target["name"], "per_page": 500}).json()["data"]["items"]
    assert target["id"] not in [u["id"] for u in listed]
    listed = branch_a.get("/api/pc/v1/members", params={"student_no": target["student_no"]}).json()["data"]["items"]
    assert listed == []
    for url in (f"/api/pc/v1/users/{target['id']}", f"/api/pc/v1/members/{target['id']}"):
        r = branch_a.get(url)
        assert r.status_code == 404, url
    r = branch_a.put(f"/api/pc/v1/members/{target['id']}", json={"name": "篡改"})
    assert r.status_code == 404
    assert branch_a.delete(f"/api/pc/v1/users/{target['id']}").status_code == 403  # no delete right at all
    # and the committee sees them
    assert committee.get(f"/api/pc/v1/members/{target['id']}").status_code == 200


def test_branch_admin_sees_and_edits_its_own_members(committee, branch_a):
    target = students_of(committee, branch_a.user["party_branch_id"])[0]
    r = branch_a.get(f"/api/pc/v1/members/{target['id']}")
    assert r.status_code == 200
    data = r.json()["data"]
    form = {k: data[k] for k in ("name", "student_no", "phone", "gender", "ethnicity", "birth_date", "id_card", "native_place",
                                 "grade", "enrollment_date", "political_status", "address")}
    form.update(name=target["name"], phone="13912345678", gender="女", ethnicity="汉族", birth_date="2004-05-06",
                id_card="440106200405061234", native_place="广东广州", grade="2022级", enrollment_date="2022-09-01",
                political_status="共青团员")
    r = branch_a.put(f"/api/pc/v1/members/{target['id']}", json=form)
    assert r.status_code == 200, r.text
    assert branch_a.get(f"/api/pc/v1/members/{target['id']}").json()["data"]["phone"] == "13912345678"
    bad = {**form, "id_card": "123"}
    r = branch_a.put(f"/api/pc/v1/members/{target['id']}", json=bad)
    assert r.status_code == 422 and "身份证号" in r.json()["msg"]


def test_student_gets_only_itself(student_a, student_a2):
    assert student_a.get("/api/mp/v1/me").json()["id"] == student_a.user["id"]
    for url in ("/api/pc/v1/users", f"/api/pc/v1/users/{student_a2.user['id']}", "/api/pc/v1/members",
                f"/api/pc/v1/members/{student_a2.user['id']}", "/api/pc/v1/orgs", "/api/pc/v1/roles"):
        assert student_a.get(url).status_code == 403, url


def test_no_token_is_401_everywhere(anonymous):
    for url in ("/api/mp/v1/me", "/api/pc/v1/users", "/api/pc/v1/users/1", "/api/pc/v1/members", "/api/pc/v1/orgs",
                "/api/pc/v1/institutions", "/api/pc/v1/roles", "/api/mp/v1/profile", "/api/pc/v1/personal"):
        r = anonymous.get(url)
        assert r.status_code == 401, url
        assert r.json()["msg"] == "请先登录"


def test_admin_menu_follows_permissions(client, branch_a, student_a):
    client.cookies.set("xf_token", branch_a.token)
    html = client.get("/admin/").text
    assert "党员基础信息管理" in html and "机构管理" not in html and "角色管理" not in html
    # a page the branch admin may not open redirects to login instead of rendering
    assert client.get("/admin/user_mgmt/page/roles", follow_redirects=False).status_code in (307, 404)
    client.cookies.set("xf_token", student_a.token)
    html = client.get("/admin/").text
    assert "用户管理" not in html and "党员基础信息管理" not in html
    client.cookies.clear()
