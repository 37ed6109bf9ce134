"""Plugin manager and the throwaway plugin: everything arrives through hooks only."""
import pytest
from sqlalchemy import inspect

from core.plugins import PluginError, Plugins
from core.settings import PluginSettings
from tests.conftest import login, make_settings, own_app
from tests.plugins import notebook


@pytest.fixture(scope="module")
def nb_client(tmp_path_factory):
    # Its own SQLite file: the plugin set differs from the main app's (the PostgreSQL run covers the rest).
    with own_app(tmp_path_factory.mktemp("nb"), ["tests.plugins.notebook"], students=3) as pair:
        yield pair


def test_throwaway_plugin_adds_model_route_permission_and_page(nb_client):
    c, app = nb_client
    # model: its table exists
    async def tables():
        async with app.state.db.engine.connect() as conn:
            return await conn.run_sync(lambda sc: inspect(sc).get_table_names())
    assert "tp_note" in c.portal.call(tables)
    # permission: in the PC tree offered to roles
    assert "notebook.write" in app.state.permissions.by_key
    assert any(n["value"] == "notebook.write" for n in app.state.permissions.tree("pc"))
    # route: usable by a role holding the permission (committee got it by default)...
    committee = login(c, "dangwei")
    r = committee.post("/api/pc/v1/notebook/notes", json={"text": "第一条笔记"})
    assert r.status_code == 200 and "第一条笔记" in r.json()["data"]["notes"]
    # ...and refused to a role without it
    options = committee.get("/api/pc/v1/users/role-options").json()["data"]["options"]
    student_role = next(o["value"] for o in options if o["label"] == "学生")
    students = committee.get("/api/pc/v1/users", params={"role_id": student_role}).json()["data"]["items"]
    demo_students = [u for u in students if (u["student_no"] or "").isdigit()]  # not users other tests add
    student = login(c, demo_students[0]["username"])
    assert student.post("/api/pc/v1/notebook/notes", json={"text": "x"}).status_code == 403
    # admin page: in the menu of a user holding the permission
    c.cookies.set("xf_token", committee.token)
    html = c.get("/admin/").text
    assert "笔记本" in html and "笔记列表" in html
    c.cookies.clear()


def test_missing_dependency_names_the_plugin(tmp_path):
    settings = make_settings(tmp_path, plugins=PluginSettings(extra=["tests.plugins.broken_dep"]))
    with pytest.raises(PluginError, match="broken_dep.*no_such_plugin"):
        Plugins(settings)


def test_dependency_cycle_names_the_plugins(tmp_path):
    settings = make_settings(tmp_path, plugins=PluginSettings(extra=["tests.plugins.cycle_a", "tests.plugins.cycle_b"]))
    with pytest.raises(PluginError, match="cycle.*cycle_a.*cycle_b|cycle.*cycle_b.*cycle_a"):
        Plugins(settings)


def test_disabled_plugin_is_not_loaded_and_dependents_fail_clearly(tmp_path):
    from core.plugins import discover

    with pytest.raises(PluginError, match="depends on '(user_mgmt|org_mgmt)', which is not installed or is disabled"):
        Plugins(make_settings(tmp_path, plugins=PluginSettings(disabled=["user_mgmt"])))
    # disabling org_mgmt together with whatever depends on it leaves the rest running
    found = {p.name: p for p in discover(make_settings(tmp_path))}
    off = {"org_mgmt"}
    while True:
        more = {n for n, p in found.items() if set(p.depends) & off} - off
        if not more:
            break
        off |= more
    plugins = Plugins(make_settings(tmp_path, plugins=PluginSettings(disabled=sorted(off))))
    assert "org_mgmt" not in plugins.names() and "user_mgmt" in plugins.names()


def test_dependencies_run_first():
    from core.plugins import PluginInfo, order_by_depends

    a = PluginInfo("a", "1", "a", ["b"], module=None)
    b = PluginInfo("b", "1", "b", [], module=None)
    assert [p.name for p in order_by_depends([a, b])] == ["b", "a"]


def test_hook_xf_addhooks(tmp_path):
    settings = make_settings(tmp_path, plugins=PluginSettings(extra=["tests.plugins.addhooks_provider", "tests.plugins.addhooks_user"]))
    plugins = Plugins(settings)
    assert plugins.hook.xf_greeting() == ["你好"]


def test_hook_xf_models(app):
    from core.models import User
    from plugins.org_mgmt.models import Organisation

    models = app.state.plugins.collect("xf_models")
    assert Organisation in models and User not in models


def test_hook_xf_permissions(app):
    keys = {p.key for p in app.state.plugins.collect("xf_permissions")}
    assert {"um.user.view", "org.view", "mp.profile"} <= keys


def test_hook_xf_admin_apps(app):
    names = {cls.__name__ for cls in app.state.plugins.collect("xf_admin_apps")}
    assert {"UserMgmtApp", "PersonalPage", "OrgMgmtApp"} <= names


def test_hook_xf_api_routers(client):
    paths = {r.path for r in client.app.routes}
    assert "/api/pc/v1/users" in paths and "/api/pc/v1/orgs" in paths


def test_hook_xf_seed(nb_client):
    assert notebook.SEEN["seed"] >= 1


def test_hook_xf_user_placed(nb_client):
    c, app = nb_client
    committee = login(c, "dangwei")
    role_id = committee.get("/api/pc/v1/users/role-options").json()["data"]["options"][-1]["value"]
    r = committee.post("/api/pc/v1/users", json={"username": "placed_user", "name": "测试", "password": "Aa1!aaaa", "role_ids": [role_id]})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["id"] in notebook.SEEN["placed"]


def test_hook_xf_demo(committee):
    # the demo built by org_mgmt's xf_demo: 8 party branches with admins
    users = committee.get("/api/pc/v1/users", params={"username": "zhibu", "per_page": 50}).json()["data"]["items"]
    assert len({u["party_branch_id"] for u in users}) == 8
