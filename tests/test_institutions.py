"""UM-5 and UM-6: institutions and every refusal of the manual."""
import pytest

from tests.conftest import unique


def create(api, **kw):
    body = {"name": unique("机构"), "type": "班级", "training_type": "本科生", "enabled": True}
    body.update(kw)
    return api.post("/api/pc/v1/institutions", json=body)


def items(api, **params):
    return api.get("/api/pc/v1/institutions", params={"per_page": 500, **params}).json()["data"]["items"]


def test_new_institution_is_enabled_under_the_college(committee):
    r = create(committee)
    assert r.status_code == 200
    data = r.json()["data"]
    assert data["enabled"] is True and data["parent_name"] == "计算机学院"


@pytest.mark.parametrize("kw,msg", [
    ({"type": "食堂"}, "机构类型只能是"),
    ({"type": "班级", "training_type": None}, "必须选择培养类型"),
    ({"training_type": "博士生"}, "培养类型只能是"),
    ({"name": "   "}, "机构名称不能为空"),
])
def test_invalid_institution_is_refused(committee, kw, msg):
    r = create(committee, **kw)
    assert r.status_code == 422 and msg in r.json()["msg"]


def test_duplicate_name_is_refused(committee):
    name = unique("重名")
    assert create(committee, name=name).status_code == 200
    r = create(committee, name=name)
    assert r.status_code == 409 and "已存在" in r.json()["msg"]


def test_college_can_be_neither_disabled_nor_deleted(committee):
    college = next(i for i in items(committee) if i["is_college"])
    r = committee.post(f"/api/pc/v1/institutions/{college['id']}/status", json={"enabled": False})
    assert r.status_code == 409 and "不支持停用" in r.json()["msg"]
    r = committee.delete(f"/api/pc/v1/institutions/{college['id']}")
    assert r.status_code == 409 and "不支持删除" in r.json()["msg"]
    r = committee.put(f"/api/pc/v1/institutions/{college['id']}", json={**college, "enabled": False})
    assert r.status_code == 409


def test_enabled_institution_cannot_be_deleted(committee):
    inst = create(committee).json()["data"]
    r = committee.delete(f"/api/pc/v1/institutions/{inst['id']}")
    assert r.status_code == 409 and "请先停用" in r.json()["msg"]
    assert committee.post(f"/api/pc/v1/institutions/{inst['id']}/status", json={"enabled": False}).status_code == 200
    assert committee.delete(f"/api/pc/v1/institutions/{inst['id']}").status_code == 200
    assert committee.get(f"/api/pc/v1/institutions/{inst['id']}").status_code == 404


def test_institution_with_users_cannot_be_disabled(committee):
    cls = next(i for i in items(committee, type="班级") if i["name"] == "计科2201班")
    r = committee.post(f"/api/pc/v1/institutions/{cls['id']}/status", json={"enabled": False})
    assert r.status_code == 409 and "关联用户" in r.json()["msg"]
    assert next(i for i in items(committee, type="班级") if i["id"] == cls["id"])["enabled"] is True


def test_institution_linked_to_an_organisation_cannot_be_disabled(committee):
    # a 团支部 institution with no users, linked by its league branch and party branch
    inst = next(i for i in items(committee, type="团支部") if i["name"] == "计科2201团支部")
    r = committee.post(f"/api/pc/v1/institutions/{inst['id']}/status", json={"enabled": False})
    assert r.status_code == 409 and "已关联组织" in r.json()["msg"]


def test_hook_xf_institution_in_use(app, client, committee):
    inst = next(i for i in items(committee, type="团支部") if i["name"] == "计科2201团支部")
    free = create(committee).json()["data"]

    async def ask(iid):
        async with app.state.db.sessionmaker() as s:
            return [await c for c in app.state.plugins.hook.xf_institution_in_use(session=s, institution_id=iid)]

    assert any(r and "已关联组织" in r for r in client.portal.call(ask, inst["id"]))
    assert client.portal.call(ask, free["id"]) == [None]


def test_edit_and_reenable(committee):
    inst = create(committee).json()["data"]
    r = committee.put(f"/api/pc/v1/institutions/{inst['id']}", json={**inst, "name": inst["name"] + "改", "enabled": False})
    assert r.status_code == 200 and r.json()["data"]["enabled"] is False
    r = committee.post(f"/api/pc/v1/institutions/{inst['id']}/status", json={"enabled": True})
    assert r.status_code == 200


def test_branch_admin_cannot_manage_institutions(branch_a):
    assert create(branch_a).status_code == 403
    assert branch_a.get("/api/pc/v1/institutions").status_code == 403


def test_institution_with_enabled_children_cannot_be_disabled(app, client, committee):
    """Parents are the college in the UI; a child under another institution still blocks its parent."""
    parent = create(committee, type="研究所", training_type="研究生").json()["data"]

    async def add_child():
        from plugins.user_mgmt.models import Institution

        async with app.state.db.sessionmaker() as s:
            s.add(Institution(name=unique("子机构"), type="研究所", training_type="研究生", parent_id=parent["id"]))
            await s.commit()

    client.portal.call(add_child)
    r = committee.post(f"/api/pc/v1/institutions/{parent['id']}/status", json={"enabled": False})
    assert r.status_code == 409 and "下级机构" in r.json()["msg"]
