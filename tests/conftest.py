"""Shared fixtures: one app per test session on a real database (SQLite file, or the
PostgreSQL server of `make test-pg`), filled with a small demo college."""
from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from core.settings import Settings

DEMO_PASSWORD = "Demo@2026x"


def make_settings(tmp: Path, **overrides) -> Settings:
    values = dict(env="test", data_dir=tmp, bcrypt_rounds=4, secret_key="test-secret-" + "x" * 32, login_max_failures=5)
    if os.environ.get("XIANFENG_DATABASE_URL"):
        values["database_url"] = os.environ["XIANFENG_DATABASE_URL"]
    values.update(overrides)
    return Settings(**values)


async def _reset_schema(app) -> None:
    """PostgreSQL keeps tables between runs; start every session from an empty schema (tables
    of every plugin ever loaded, and alembic_version, so the app's start upgrades from empty)."""
    async with app.state.db.engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await app.state.db.engine.dispose()  # its connections belong to this throwaway event loop


@pytest.fixture(scope="session")
def settings(tmp_path_factory) -> Settings:
    return make_settings(tmp_path_factory.mktemp("xianfeng"))


@pytest.fixture(scope="session")
def app(settings):
    from core.app import create_app

    return create_app(settings)


@pytest.fixture(scope="session")
def client(app, settings):
    from core.demo import DemoContext, run_demo

    if not app.state.db.settings.is_sqlite:
        import anyio

        anyio.run(_reset_schema, app)
    with TestClient(app) as c:
        async def demo():
            async with app.state.db.sessionmaker() as session:
                await run_demo(session, settings, app.state.plugins, DemoContext(students=40, password=DEMO_PASSWORD))

        c.portal.call(demo)
        yield c


class Api:
    """A logged-in caller: ``api.get(url)`` etc. send its bearer token."""

    def __init__(self, client: TestClient, token: str | None, user: dict | None = None):
        self.client, self.token, self.user = client, token, user or {}

    def _h(self, kw):
        headers = kw.pop("headers", {}) or {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def get(self, url, **kw):
        return self.client.get(url, headers=self._h(kw), **kw)

    def post(self, url, **kw):
        return self.client.post(url, headers=self._h(kw), **kw)

    def put(self, url, **kw):
        return self.client.put(url, headers=self._h(kw), **kw)

    def delete(self, url, **kw):
        return self.client.delete(url, headers=self._h(kw), **kw)


def login(client: TestClient, username: str, password: str = DEMO_PASSWORD) -> Api:
    r = client.post("/api/mp/v1/auth/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    body = r.json()
    return Api(client, body["token"], body["user"])


@pytest.fixture(scope="session")
def committee(client) -> Api:
    return login(client, "dangwei")


@pytest.fixture(scope="session")
def branch_a(client) -> Api:
    return login(client, "zhibu04")


@pytest.fixture(scope="session")
def branch_b(client) -> Api:
    return login(client, "zhibu05")


@pytest.fixture(scope="session")
def anonymous(client) -> Api:
    return Api(client, None)


def students_of(committee: Api, branch_id: int) -> list[dict]:
    """The branch's demo students, oldest first (stable while tests add users)."""
    roles = committee.get("/api/pc/v1/users/role-options").json()["data"]["options"]
    student = next(o["value"] for o in roles if o["label"] == "学生")
    users, page = [], 1
    while True:
        items = committee.get("/api/pc/v1/users", params={"per_page": 500, "page": page, "role_id": student}).json()["data"]["items"]
        users += [u for u in items if u["party_branch_id"] == branch_id]
        if len(items) < 500:
            break
        page += 1
    return sorted((u for u in users if (u["student_no"] or "").isdigit()), key=lambda u: u["id"])


@pytest.fixture(scope="session")
def student_a(client, committee, branch_a) -> Api:
    return login(client, students_of(committee, branch_a.user["party_branch_id"])[0]["username"])


@pytest.fixture(scope="session")
def student_a2(client, committee, branch_a) -> Api:
    return login(client, students_of(committee, branch_a.user["party_branch_id"])[1]["username"])


def unique(prefix: str = "t") -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="session")
def tiny_png() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 20, 20)).save(buf, format="PNG")
    return buf.getvalue()


@contextlib.contextmanager
def own_app(tmp: Path, extra: list[str], students: int = 20):
    """An app with extra (throwaway) plugins on its own SQLite file, with a small demo college."""
    from core.app import create_app
    from core.demo import DemoContext, run_demo
    from core.settings import PluginSettings

    from core.testing import displaced_plugins

    settings = make_settings(tmp, database_url=f"sqlite+aiosqlite:///{tmp / 'own.db'}",
                             plugins=PluginSettings(extra=extra, disabled=displaced_plugins(extra)))
    app = create_app(settings)
    with TestClient(app) as c:
        async def demo():
            async with app.state.db.sessionmaker() as s:
                await run_demo(s, settings, app.state.plugins, DemoContext(students=students, password=DEMO_PASSWORD))

        c.portal.call(demo)
        yield c, app


def pg_enabled() -> bool:
    return bool(os.environ.get("XIANFENG_TEST_PG")) and bool(os.environ.get("XIANFENG_DATABASE_URL"))


@contextlib.contextmanager
def scratch_database(tmp: Path, backend: str):
    """A URL of an empty database of its own (a file for SQLite, a new database on the
    `make test-pg` server for PostgreSQL), dropped afterwards: tests that build schemas
    never touch the session's database or each other's."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp / ('scratch-' + uuid.uuid4().hex[:8] + '.db')}"
        return
    import anyio
    from sqlalchemy.engine import make_url
    from sqlalchemy.ext.asyncio import create_async_engine

    server = make_url(os.environ["XIANFENG_DATABASE_URL"])
    name = f"xf_scratch_{uuid.uuid4().hex[:12]}"

    async def admin(sql: str) -> None:
        engine = create_async_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as conn:
                await conn.execute(text(sql))
        finally:
            await engine.dispose()

    anyio.run(admin, f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        anyio.run(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Schema tests run on SQLite always, and on PostgreSQL too under `make test-pg`.
BACKENDS = ["sqlite"] + (["postgresql"] if pg_enabled() else [])
