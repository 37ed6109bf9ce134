"""ORG-1..5: organisations, associations, enable/disable/delete rules, party groups."""
import pytest

from tests.conftest import unique


def inst(api, name=None, type_="班级", training="本科生"):
    return api.post("/api/pc/v1/institutions", json={"name": name or unique("机构"), "type": type_, "training_type": training}).json()["data"]


def orgs(api, **params):
    return api.get("/api/pc/v1/orgs", params={"per_page": 500, **params}).json()["data"]["items"]


def new_party_branch(api, training="本科生"):
    name = unique("党支部")
    own = inst(api, name, "党支部", training)
    r = api.post("/api/pc/v1/orgs", json={"name": name, "kind": "party", "training_type": training, "institution_ids": [own["id"]]})
    assert r.status_code == 200, r.text
    return r.json()["data"], own


def test_three_first_level_organisations_exist(committee):
    names = {o["name"]: o for o in orgs(committee) if o["level"] == "committee"}
    assert set(names) == {"计算机学院党委", "计算机学院团委", "群众"}
    assert all(o["builtin"] and o["enabled"] for o in names.values())


def test_first_level_organisations_cannot_be_deleted_or_disabled(committee):
    builtin = [o for o in orgs(committee) if o["builtin"]]
    assert sorted(o["name"] for o in builtin) == sorted(["计算机学院党委", "计算机学院团委", "群众"])
    for o in builtin:
        r = committee.delete(f"/api/pc/v1/orgs/{o['id']}")
        assert r.status_code == 409 and "不支持删除" in r.json()["msg"]
        r = committee.post(f"/api/pc/v1/orgs/{o['id']}/status", json={"enabled": False})
        assert r.status_code == 409, r.text
    assert all(o["enabled"] for o in orgs(committee) if o["builtin"]), "refused actions changed nothing"


def test_new_org_is_enabled_and_name_unique(committee):
    org, own = new_party_branch(committee)
    assert org["enabled"] is True and org["parent_name"] == "计算机学院党委"
    r = committee.post("/api/pc/v1/orgs", json={"name": org["name"], "kind": "party", "training_type": "本科生", "institution_ids": [own["id"]]})
    assert r.status_code == 409 and "不可重复" in r.json()["msg"]


def test_association_is_required(committee):
    name = unique("团支部")
    r = committee.post("/api/pc/v1/orgs", json={"name": name, "kind": "league", "training_type": "本科生", "institution_ids": []})
    assert r.status_code == 422 and "关联信息为必填项" in r.json()["msg"]
    r = committee.post("/api/pc/v1/orgs", json={"name": name, "kind": "league", "institution_ids": []})
    assert r.status_code == 422 and "培养类型" in r.json()["msg"]


@pytest.mark.parametrize("kind,training,allowed,refused", [
    ("party", "研究生", ("研究所", "研究生"), ("班级", "本科生")),
    ("league", "研究生", ("研究所", "研究生"), ("团支部", "本科生")),
    ("party", "本科生", ("团支部", "本科生"), ("研究所", "研究生")),
    ("party", "本科生", ("团支部", "本科生"), ("团支部", "研究生")),
    ("league", "本科生", ("班级", "本科生"), ("班级", "研究生")),
    ("league", "本科生", ("班级", "本科生"), ("团支部", "本科生")),
])
def test_association_rules_of_org3(committee, kind, training, allowed, refused):
    name = unique("组织")
    own = inst(committee, name, "党支部" if kind == "party" else "团支部", training)
    ok_inst = inst(committee, type_=allowed[0], training=allowed[1])
    bad_inst = inst(committee, type_=refused[0], training=refused[1])
    r = committee.post("/api/pc/v1/orgs", json={"name": name, "kind": kind, "training_type": training, "institution_ids": [own["id"], bad_inst["id"]]})
    assert r.status_code == 422 and bad_inst["name"] in r.json()["msg"] and "可关联的范围" in r.json()["msg"]
    assert not [o for o in orgs(committee) if o["name"] == name], "a refused create leaves nothing behind"
    r = committee.post("/api/pc/v1/orgs", json={"name": name, "kind": kind, "training_type": training, "institution_ids": [own["id"], ok_inst["id"]]})
    assert r.status_code == 200 and set(r.json()["data"]["institution_ids"]) == {own["id"], ok_inst["id"]}
    options = committee.get("/api/pc/v1/orgs/allowed-institutions", params={"kind": kind, "training_type": training, "name": name}).json()["data"]["options"]
    values = {o["value"] for o in options}
    assert ok_inst["id"] in values and bad_inst["id"] not in values


def test_another_orgs_same_name_institution_is_refused(committee):
    other = inst(committee, unique("别的党支部"), "党支部", "本科生")
    name = unique("党支部")
    own = inst(committee, name, "党支部", "本科生")
    r = committee.post("/api/pc/v1/orgs", json={"name": name, "kind": "party", "training_type": "本科生", "institution_ids": [own["id"], other["id"]]})
    assert r.status_code == 422


def test_disable_only_without_linked_institutions_and_delete_only_when_disabled(committee):
    org, own = new_party_branch(committee)
    r = committee.post(f"/api/pc/v1/orgs/{org['id']}/status", json={"enabled": False})
    assert r.status_code == 409 and "关联机构" in r.json()["msg"]
    r = committee.delete(f"/api/pc/v1/orgs/{org['id']}")
    assert r.status_code == 409 and "请先停用" in r.json()["msg"]
    # the edit form may drop the links when it also switches the organisation off
    r = committee.put(f"/api/pc/v1/orgs/{org['id']}", json={**org, "institution_ids": [], "enabled": True})
    assert r.status_code == 422 and "关联信息为必填项" in r.json()["msg"]
    r = committee.put(f"/api/pc/v1/orgs/{org['id']}", json={**org, "institution_ids": [], "enabled": False})
    assert r.status_code == 200 and r.json()["data"]["enabled"] is False
    assert committee.delete(f"/api/pc/v1/orgs/{org['id']}").status_code == 200
    assert committee.get(f"/api/pc/v1/orgs/{org['id']}").status_code == 404


def test_party_groups_live_under_a_party_branch(committee, branch_a):
    org, _ = new_party_branch(committee)
    name = unique("第一党小组")
    r = committee.post("/api/pc/v1/party-groups", json={"name": name, "branch_id": org["id"], "leader": "李四"})
    assert r.status_code == 200
    gid = r.json()["data"]["id"]
    r = committee.post("/api/pc/v1/party-groups", json={"name": name, "branch_id": org["id"]})
    assert r.status_code == 409
    league = next(o for o in orgs(committee) if o["kind"] == "league" and o["level"] == "branch")
    r = committee.post("/api/pc/v1/party-groups", json={"name": unique("g"), "branch_id": league["id"]})
    assert r.status_code == 422 and "党支部" in r.json()["msg"]
    listed = committee.get("/api/pc/v1/party-groups", params={"branch_id": org["id"]}).json()["data"]["items"]
    assert [g["name"] for g in listed] == [name]
    # a branch with party groups cannot be deleted
    committee.put(f"/api/pc/v1/orgs/{org['id']}", json={**org, "institution_ids": [], "enabled": False})
    r = committee.delete(f"/api/pc/v1/orgs/{org['id']}")
    assert r.status_code == 409 and "党小组" in r.json()["msg"]
    assert committee.delete(f"/api/pc/v1/party-groups/{gid}").status_code == 200
    # branch admins do not maintain party groups (the committee does)
    assert branch_a.post("/api/pc/v1/party-groups", json={"name": unique("g"), "branch_id": org["id"]}).status_code == 403


def test_link_changes_move_users_to_the_right_branch(committee):
    """class → league branch → party branch: re-linking the 团支部 moves the student's branch scope."""
    p1_name, p2_name, league_name = unique("一支部"), unique("二支部"), unique("团支部")
    p1_inst, p2_inst = inst(committee, p1_name, "党支部"), inst(committee, p2_name, "党支部")
    t_inst, cls = inst(committee, league_name, "团支部"), inst(committee, type_="班级")
    p1 = committee.post("/api/pc/v1/orgs", json={"name": p1_name, "kind": "party", "training_type": "本科生", "institution_ids": [p1_inst["id"], t_inst["id"]]}).json()["data"]
    league = committee.post("/api/pc/v1/orgs", json={"name": league_name, "kind": "league", "training_type": "本科生", "institution_ids": [t_inst["id"], cls["id"]]}).json()["data"]
    role = next(o["value"] for o in committee.get("/api/pc/v1/users/role-options").json()["data"]["options"] if o["label"] == "学生")
    r = committee.post("/api/pc/v1/users", json={"username": unique("s"), "name": "转支部", "password": "Good@2026x", "role_ids": [role],
                                                "org_id": league["id"], "institution_id": cls["id"]})
    student = r.json()["data"]
    assert student["party_branch_id"] == p1["id"]
    assert committee.put(f"/api/pc/v1/orgs/{p1['id']}", json={**p1, "institution_ids": [p1_inst["id"]]}).status_code == 200
    p2 = committee.post("/api/pc/v1/orgs", json={"name": p2_name, "kind": "party", "training_type": "本科生", "institution_ids": [p2_inst["id"], t_inst["id"]]}).json()["data"]
    assert committee.get(f"/api/pc/v1/users/{student['id']}").json()["data"]["party_branch_id"] == p2["id"]
