"""A pytest plugin for plugin packages (what ``pytester`` is for pytest plugins): a throwaway
app with your plugin loaded, on a temporary SQLite file with a small demo college, and
logged-in API callers. Registered through the ``pytest11`` entry point, so any test run
in an environment where xianfeng is installed has these fixtures::

    pytestmark = pytest.mark.xf_plugins("mypkg.plugin")  # modules to load besides installed entry points

    def test_my_step(xf_app):
        branch = xf_app.login("zhibu04")                 # 本科生第一党支部的管理员
        person = xf_app.person("applicant", "interview")  # a student with a record at that step
        assert branch.post("/api/pc/v1/...", json={"record_ids": [person.record_id]}).status_code == 200

Demo accounts (password ``XfApp.PASSWORD``): ``dangwei`` (学院党委), ``zhibu04`` and
``zhibu05`` (two branches' admins); ``xf_app.person(...)`` makes students with records.
"""
import contextlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator
import uuid

import pytest
from fastapi.testclient import TestClient


class Api:
    """A caller: ``api.get(url)``, ``.post``, ``.put``, ``.delete`` with its bearer token."""

    def __init__(self, client: TestClient, token: str | None, user: dict | None = None):
        self.client, self.token, self.user = client, token, user or {}

    def _headers(self, kw: dict) -> dict:
        headers = kw.pop("headers", {}) or {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def get(self, url, **kw):
        return self.client.get(url, headers=self._headers(kw), **kw)

    def post(self, url, **kw):
        return self.client.post(url, headers=self._headers(kw), **kw)

    def put(self, url, **kw):
        return self.client.put(url, headers=self._headers(kw), **kw)

    def delete(self, url, **kw):
        return self.client.delete(url, headers=self._headers(kw), **kw)


@dataclass
class Person:
    """A student made for a test, with a development record and a logged-in caller."""

    user_id: int
    record_id: int
    api: Api


class XfApp:
    PASSWORD = "Demo@2026x"

    def __init__(self, client: TestClient, app: Any):
        self.client, self.app = client, app

    def login(self, username: str, password: str | None = None) -> Api:
        r = self.client.post("/api/mp/v1/auth/login", json={"username": username, "password": password or self.PASSWORD})
        assert r.status_code == 200, r.text
        return Api(self.client, r.json()["token"], r.json()["user"])

    @property
    def anonymous(self) -> Api:
        return Api(self.client, None)

    def run(self, fn: Callable) -> Any:
        """Run ``await fn(session)`` in the app's loop and commit; returns its result."""
        async def go():
            async with self.app.state.db.sessionmaker() as session:
                result = await fn(session)
                await session.commit()
                return result
        return self.client.portal.call(go)

    def person(self, stage: str, step: str, *, branch_admin: str = "zhibu04", milestones: dict | None = None) -> Person:
        """A new student of ``branch_admin``'s branch with a complete profile and a record at ``stage``/``step``."""
        from sqlalchemy import select

        from core.models import Role, StudentProfile, User, UserRole
        from core.security import hash_password
        from core.workflow.models import DevelopmentRecord

        username = f"t{uuid.uuid4().hex[:10]}"

        async def make(s):
            admin = (await s.execute(select(User).where(User.username == branch_admin))).scalar_one()
            user = User(username=username, name=f"测试{username[-4:]}", student_no=username, party_branch_id=admin.party_branch_id,
                        password_hash=hash_password(self.PASSWORD, 4))
            s.add(user)
            await s.flush()
            role = (await s.execute(select(Role).where(Role.key == "student"))).scalar_one()
            record = DevelopmentRecord(user_id=user.id, stage=stage, step=step, milestones=milestones or {})
            s.add_all([UserRole(user_id=user.id, role_id=role.id), record,
                       StudentProfile(user_id=user.id, complete=True, birth_date=date(2003, 1, 1), political_status="共青团员")])
            await s.flush()
            return user.id, record.id
        user_id, record_id = self.run(make)
        return Person(user_id, record_id, self.login(username))


def displaced_plugins(extra: list[str]) -> list[str]:
    """Installed plugins a throwaway stage plugin replaces: those declaring a stage one of
    ``extra`` declares (a stage is declared once), with the plugins depending on them. A test
    app loading ``extra`` disables these (``PluginSettings(disabled=...)``)."""
    import importlib
    from importlib.metadata import entry_points

    from core.plugins import ENTRY_POINT_GROUP, _manifest

    def stages(module) -> set[str]:
        return {s.key for s in (getattr(module, "xf_stages", lambda: [])() or [])}

    wanted = set().union(*(stages(importlib.import_module(m)) for m in extra)) if extra else set()
    if not wanted:
        return []
    installed = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        module = ep.load()
        installed[_manifest(module, ep.value).name] = (module, set(_manifest(module, ep.value).depends))
    off = {name for name, (module, _) in installed.items() if stages(module) & wanted}
    while True:
        more = {name for name, (_, depends) in installed.items() if depends & off} - off
        if not more:
            return sorted(off)
        off |= more


@contextlib.contextmanager
def throwaway_app(tmp: Path, plugins: list[str], students: int = 20) -> Iterator[XfApp]:
    """An app with ``plugins`` loaded on its own SQLite file in ``tmp``, with a demo college."""
    from core.app import create_app
    from core.demo import DemoContext, run_demo
    from core.settings import PluginSettings, Settings

    settings = Settings(env="test", data_dir=tmp, database_url=f"sqlite+aiosqlite:///{tmp / 'xf.db'}", bcrypt_rounds=4,
                        secret_key="test-secret-" + "x" * 32,
                        plugins=PluginSettings(extra=plugins, disabled=displaced_plugins(plugins)))
    app = create_app(settings)
    with TestClient(app) as client:
        async def demo():
            async with app.state.db.sessionmaker() as s:
                await run_demo(s, settings, app.state.plugins, DemoContext(students=students, password=XfApp.PASSWORD))
        client.portal.call(demo)
        yield XfApp(client, app)


def pytest_configure(config):
    config.addinivalue_line("markers", "xf_plugins(*modules): plugin modules xf_app loads besides the installed entry points")


@pytest.fixture(scope="module")
def xf_plugins(request) -> list[str]:
    """Plugin modules to load besides the installed entry points: the module's ``xf_plugins``
    marker (or override this fixture in a conftest)."""
    marker = request.node.get_closest_marker("xf_plugins")
    return list(marker.args) if marker else []


@pytest.fixture(scope="module")
def xf_app(tmp_path_factory, xf_plugins) -> Iterator[XfApp]:
    """A throwaway app (one per test module) with ``xf_plugins`` loaded and a demo college."""
    with throwaway_app(tmp_path_factory.mktemp("xf_app"), list(xf_plugins)) as app:
        yield app


@pytest.fixture(scope="module")
def xf_committee(xf_app) -> Api:
    return xf_app.login("dangwei")


@pytest.fixture(scope="module")
def xf_branch(xf_app) -> Api:
    return xf_app.login("zhibu04")


@pytest.fixture(scope="module")
def xf_other_branch(xf_app) -> Api:
    return xf_app.login("zhibu05")
