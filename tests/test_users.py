"""UM-1..4 and UM-2 on every path that sets a password."""

import pytest

from core.cli import main as cli_main
from tests.conftest import login, unique

WEAK = ["Short1!", "alllower1!", "ALLUPPER1!", "NoDigits!!", "NoSpecial12", "Has Space1!"]


def role_id(api, label):
    return next(o["value"] for o in api.get("/api/pc/v1/users/role-options").json()["data"]["options"] if o["label"] == label)


@pytest.mark.parametrize("password", WEAK)
def test_admin_create_refuses_weak_password(committee, password):
    r = committee.post("/api/pc/v1/users", json={"username": unique("w"), "name": "弱密码", "password": password, "role_ids": [role_id(committee, "学生")]})
    assert r.status_code == 422 and "大小写字母、数字和特殊字符" in r.json()["msg"]


@pytest.mark.parametrize("password", WEAK)
def test_password_change_refuses_weak_password(client, committee, password):
    name = unique("c")
    committee.post("/api/pc/v1/users", json={"username": name, "name": "改密", "password": "Good@2026x", "role_ids": [role_id(committee, "学生")]})
    me = login(client, name, "Good@2026x")
    r = me.post("/api/pc/v1/personal/password", json={"old_password": "Good@2026x", "new_password": password, "confirm_password": password})
    assert r.status_code == 422 and "大小写字母" in r.json()["msg"]
    assert me.get("/api/mp/v1/me").status_code == 200  # nothing changed, still signed in


def test_password_change_refuses_wrong_old_and_mismatch(client, committee):
    name = unique("c")
    committee.post("/api/pc/v1/users", json={"username": name, "name": "改密", "password": "Good@2026x", "role_ids": [role_id(committee, "学生")]})
    me = login(client, name, "Good@2026x")
    r = me.post("/api/pc/v1/personal/password", json={"old_password": "Bad@2026xx", "new_password": "New@2026x", "confirm_password": "New@2026x"})
    assert r.status_code == 422 and r.json()["msg"] == "原始密码不正确"
    r = me.post("/api/pc/v1/personal/password", json={"old_password": "Good@2026x", "new_password": "New@2026x", "confirm_password": "New@2026y"})
    assert r.status_code == 422 and "不一致" in r.json()["msg"]


def test_createuser_and_demo_refuse_weak_password(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XIANFENG_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("XIANFENG_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("XIANFENG_BCRYPT_ROUNDS", "4")
    assert cli_main(["createuser", "weakling", "--password", "weak", "--role", "student"]) == 2
    assert "大小写字母" in capsys.readouterr().err
    assert cli_main(["demo", "--students", "1", "--password", "weak"]) == 2
    assert "大小写字母" in capsys.readouterr().err
    assert cli_main(["createuser", "strong", "--password", "Strong@2026", "--role", "committee"]) == 0
    assert cli_main(["createuser", "strong", "--password", "Strong@2026", "--role", "committee"]) == 2
    assert "已存在" in capsys.readouterr().err


def test_create_edit_and_query_user(committee):
    orgs = committee.get("/api/pc/v1/orgs/options").json()["data"]["options"]
    branch = next(o for o in orgs if o["label"] == "本科生第一党支部")
    insts = committee.get(f"/api/pc/v1/orgs/{branch['value']}/institutions").json()["data"]["options"]
    assert insts, "a party branch offers its associated institutions"
    name = unique("u")
    r = committee.post("/api/pc/v1/users", json={
        "username": name, "name": "张三", "password": "Good@2026x", "role_ids": [role_id(committee, "学生")],
        "org_id": branch["value"], "institution_id": insts[0]["value"], "student_no": "S" + name})
    assert r.status_code == 200, r.text
    user = r.json()["data"]
    assert user["party_branch_id"] == branch["value"]
    r = committee.put(f"/api/pc/v1/users/{user['id']}", json={**user, "name": "张三丰", "role_ids": user["role_ids"]})
    assert r.status_code == 200 and r.json()["data"]["name"] == "张三丰"
    found = committee.get("/api/pc/v1/users", params={"name": "张三丰"}).json()["data"]["items"]
    assert [u["id"] for u in found] == [user["id"]]


def test_institution_must_belong_to_the_chosen_organisation(committee):
    orgs = committee.get("/api/pc/v1/orgs/options").json()["data"]["options"]
    first = next(o for o in orgs if o["label"] == "本科生第一党支部")
    second = next(o for o in orgs if o["label"] == "本科生第二党支部")
    foreign = committee.get(f"/api/pc/v1/orgs/{second['value']}/institutions").json()["data"]["options"][0]
    r = committee.post("/api/pc/v1/users", json={"username": unique("p"), "name": "错配", "password": "Good@2026x",
                                                "role_ids": [role_id(committee, "学生")], "org_id": first["value"], "institution_id": foreign["value"]})
    assert r.status_code == 422 and "不是“本科生第一党支部”的关联机构" in r.json()["msg"]
    r = committee.post("/api/pc/v1/users", json={"username": unique("p"), "name": "无组织", "password": "Good@2026x",
                                                "role_ids": [role_id(committee, "学生")], "institution_id": foreign["value"]})
    assert r.status_code == 422 and "请先选择所属组织" in r.json()["msg"]


def test_hook_xf_check_placement(app, client):
    """The hook answers a reason for a wrong placement and None for a right one."""
    from sqlalchemy import select

    from plugins.org_mgmt.models import Organisation, OrgInstitution

    async def check():
        async with app.state.db.sessionmaker() as s:
            org = (await s.execute(select(Organisation).where(Organisation.name == "本科生第一党支部"))).scalar_one()
            own = (await s.execute(select(OrgInstitution.institution_id).where(OrgInstitution.org_id == org.id))).scalars().first()
            results = []
            for inst in (own, -1):
                for coro in app.state.plugins.hook.xf_check_placement(session=s, org_id=org.id, institution_id=inst):
                    results.append(await coro)
            return results

    good, bad = client.portal.call(check)
    assert good is None and "关联机构" in bad


def test_duplicate_username_is_refused(committee):
    r = committee.post("/api/pc/v1/users", json={"username": "dangwei", "name": "重复", "password": "Good@2026x", "role_ids": [role_id(committee, "学生")]})
    assert r.status_code == 409 and "已存在" in r.json()["msg"]


def test_deleted_user_cannot_log_in(client, committee):
    name = unique("d")
    uid = committee.post("/api/pc/v1/users", json={"username": name, "name": "待删", "password": "Good@2026x", "role_ids": [role_id(committee, "学生")]}).json()["data"]["id"]
    token_holder = login(client, name, "Good@2026x")
    assert committee.delete(f"/api/pc/v1/users/{uid}").status_code == 200
    r = client.post("/api/mp/v1/auth/login", json={"username": name, "password": "Good@2026x"})
    assert r.status_code == 401 and r.json()["msg"] == "账号或密码错误"
    assert token_holder.get("/api/mp/v1/me").status_code == 401
    assert committee.get(f"/api/pc/v1/users/{uid}").status_code == 404


def test_cannot_delete_oneself(committee):
    r = committee.delete(f"/api/pc/v1/users/{committee.user['id']}")
    assert r.status_code == 409


def test_personal_centre_cannot_change_roles(client, committee):
    name = unique("pc")
    committee.post("/api/pc/v1/users", json={"username": name, "name": "个人", "password": "Good@2026x", "role_ids": [role_id(committee, "学生")]})
    me = login(client, name, "Good@2026x")
    r = me.put("/api/pc/v1/personal", json={"name": "新名字", "phone": "13800000000", "roles": ["admin"], "role_ids": [1]})
    assert r.status_code == 200 and r.json()["data"]["name"] == "新名字"
    assert me.get("/api/mp/v1/me").json()["roles"] == ["student"]


def test_avatar_upload_sets_avatar(client, committee, tiny_png):
    name = unique("av")
    committee.post("/api/pc/v1/users", json={"username": name, "name": "头像", "password": "Good@2026x", "role_ids": [role_id(committee, "学生")]})
    me = login(client, name, "Good@2026x")
    # admin UI: the uploader stores through /api/files, the form sends the file's url
    uploaded = me.post("/api/files", data={"purpose": "avatar"}, files={"file": ("me.png", tiny_png, "image/png")}).json()["file"]
    r = me.post("/api/pc/v1/personal/avatar", json={"file": uploaded["url"]})
    assert r.status_code == 200 and r.json()["data"]["avatar"] == uploaded["url"]
    url = me.get("/api/pc/v1/personal").json()["data"]["avatar"]
    assert url.startswith("/api/files/") and me.get(url).content == tiny_png
    pdf = me.post("/api/files", files={"file": ("x.pdf", b"%PDF-1.4 not an image", "application/pdf")}).json()["file"]
    r = me.post("/api/pc/v1/personal/avatar", json={"file": pdf["token"]})
    assert r.status_code == 415 and r.json()["errors"][0]["label"] == "头像"
    other = committee.post("/api/files", files={"file": ("o.png", tiny_png, "image/png")}).json()["file"]
    assert me.post("/api/pc/v1/personal/avatar", json={"file": other["token"]}).status_code == 422  # not mine
    # mini-program: one multipart request, answers the data itself
    r = me.post("/api/mp/v1/personal/avatar", files={"file": ("me2.png", tiny_png, "image/png")})
    assert r.status_code == 200 and r.json()["msg"] == "头像已更新"
    assert r.json()["personal"]["avatar"] != url and me.get("/api/mp/v1/personal").json()["avatar"] == r.json()["personal"]["avatar"]
    r = me.post("/api/mp/v1/personal/avatar", files={"file": ("me.png", b"%PDF-1.4 not an image", "image/png")})
    assert r.status_code == 415
