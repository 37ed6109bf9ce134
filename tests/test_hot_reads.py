"""Issue 11: hot reads stay correct while they got cheap.

- Authentication is ONE statement (user, role ids, revocation, role-permission version); role
  permissions come from a per-process cache that every role or permission write invalidates,
  in this process and in any other process on the same database (a second app stands in for
  a second worker), including writes that bypass the app (plain SQL).
- The admin user list's unfiltered total is a count kept by triggers: it follows creates,
  deletes and writes that bypass the app, and a filtered list still counts what it shows.
"""
import contextlib
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import event, text

from tests.conftest import login, unique


@contextlib.contextmanager
def statements(app):
    """The SQL statements ``app`` runs inside the block."""
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    engine = app.state.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


@contextlib.contextmanager
def second_worker(settings):
    """Another app on the same database: its own engine, pool and role cache, like a worker."""
    from core.app import create_app

    with TestClient(create_app(settings)) as c:
        yield c


def sql(client, statement: str, **params) -> None:
    async def run():
        async with client.app.state.db.engine.begin() as conn:
            await conn.execute(text(statement), params)

    client.portal.call(run)


def test_me_is_authentication_plus_one_statement(client, student_a):
    student_a.get("/api/mp/v1/me")  # the role cache is filled
    with statements(client.app) as seen:
        r = student_a.get("/api/mp/v1/me")
    assert r.status_code == 200, r.text
    assert len(seen) == 2, seen
    assert "xf_acl_version" in seen[0] and "xf_user_role" in seen[0] and "xf_revoked_token" in seen[0], seen[0]
    assert "xf_role_permission" not in seen[0], "permissions are read with the user again, one row each"


def test_unfiltered_user_page_is_authentication_plus_one_statement(client, committee):
    committee.get("/api/pc/v1/users")
    with statements(client.app) as seen:
        r = committee.get("/api/pc/v1/users", params={"page": 1, "per_page": 20})
    assert r.status_code == 200 and len(r.json()["data"]["items"]) == 20, r.text
    assert len(seen) == 2, seen
    assert "count(" not in seen[1].lower(), "the unfiltered total scans the user table"


def _new_role(committee, mp: str) -> dict:
    role = committee.post("/api/pc/v1/roles", json={"key": unique("r"), "name": "缓存测试", "scope": "self"}).json()["data"]
    assert committee.put(f"/api/pc/v1/roles/{role['id']}/permissions", json={"pc": "", "mp": mp}).status_code == 200
    return role


def test_a_permission_change_reaches_another_worker_at_its_next_request(client, settings, committee):
    role = _new_role(committee, "mp.todos")
    name = unique("w")
    r = committee.post("/api/pc/v1/users", json={"username": name, "name": "另一进程", "password": "Work@2026x",
                                                  "role_ids": [role["id"]]})
    assert r.status_code == 200, r.text
    try:
        with second_worker(settings) as other:
            user = login(other, name, "Work@2026x")
            assert user.get("/api/mp/v1/todos").status_code == 200
            assert committee.put(f"/api/pc/v1/roles/{role['id']}/permissions", json={"pc": "", "mp": ""}).status_code == 200
            assert user.get("/api/mp/v1/todos").status_code == 403  # this worker never saw the write
            assert committee.put(f"/api/pc/v1/roles/{role['id']}/permissions", json={"pc": "", "mp": "mp.todos"}).status_code == 200
            assert user.get("/api/mp/v1/todos").status_code == 200
            assert committee.put(f"/api/pc/v1/roles/{role['id']}", json={"key": role["key"], "name": "改名角色", "scope": "self"}).status_code == 200
            assert user.get("/api/mp/v1/me").json()["role_names"] == ["改名角色"]
            # written beside the app (a script, a console): triggers see it too
            sql(client, "DELETE FROM xf_role_permission WHERE role_id = :r", r=role["id"])
            assert user.get("/api/mp/v1/todos").status_code == 403
            sql(client, "UPDATE xf_role SET name = :n WHERE id = :r", n="脚本改名", r=role["id"])
            assert user.get("/api/mp/v1/me").json()["role_names"] == ["脚本改名"]
    finally:
        assert committee.delete(f"/api/pc/v1/roles/{role['id']}").status_code == 200


def test_a_new_role_given_to_a_user_counts_at_once(client, committee):
    first, second = _new_role(committee, "mp.profile"), _new_role(committee, "mp.todos")
    name = unique("n")
    body = {"username": name, "name": "新角色", "password": "Role@2026x", "role_ids": [first["id"]]}
    r = committee.post("/api/pc/v1/users", json=body)
    assert r.status_code == 200, r.text
    try:
        user = login(client, name, "Role@2026x")
        assert user.get("/api/mp/v1/todos").status_code == 403
        assert committee.put(f"/api/pc/v1/users/{r.json()['data']['id']}",
                             json={**body, "password": None, "role_ids": [first["id"], second["id"]]}).status_code == 200
        assert user.get("/api/mp/v1/todos").status_code == 200
    finally:
        for role in (first, second):
            committee.delete(f"/api/pc/v1/roles/{role['id']}")


def _total(committee, **params) -> int:
    r = committee.get("/api/pc/v1/users", params={"page": 1, "per_page": 1, **params})
    assert r.status_code == 200, r.text
    return r.json()["data"]["total"]


def _counted(client) -> int:
    async def count():
        async with client.app.state.db.engine.connect() as conn:
            return (await conn.execute(text("SELECT count(*) FROM xf_user WHERE deleted_at IS NULL"))).scalar_one()

    return client.portal.call(count)


def test_unfiltered_total_follows_every_write_and_filtered_totals_count(client, committee):
    assert _total(committee) == _counted(client)
    roles = committee.get("/api/pc/v1/users/role-options").json()["data"]["options"]
    student = next(o["value"] for o in roles if o["label"] == "学生")
    name = unique("c")
    r = committee.post("/api/pc/v1/users", json={"username": name, "name": name, "password": "Count@2026x", "role_ids": [student]})
    assert r.status_code == 200, r.text
    assert _total(committee) == _counted(client)
    assert _total(committee, name=name) == 1
    assert committee.delete(f"/api/pc/v1/users/{r.json()['data']['id']}").status_code == 200
    assert _total(committee) == _counted(client)
    assert _total(committee, name=name) == 0
    # beside the app: inserted, soft-deleted, restored, removed
    raw = f"raw{uuid.uuid4().hex[:8]}"
    sql(client, "INSERT INTO xf_user (username, name, password_hash, token_version, is_active, phone, email, avatar, "
                "created_at, updated_at) VALUES (:u, :u, '', 0, :t, '', '', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        u=raw, t=True)
    assert _total(committee) == _counted(client)
    for change in ("UPDATE xf_user SET deleted_at = CURRENT_TIMESTAMP WHERE username = :u",
                   "UPDATE xf_user SET deleted_at = NULL WHERE username = :u",
                   "DELETE FROM xf_user WHERE username = :u"):
        sql(client, change, u=raw)
        assert _total(committee) == _counted(client), change
    # a branch admin's list is filtered by its scope: counted, its own people only
    branch = login(client, "zhibu04")
    items = branch.get("/api/pc/v1/users", params={"per_page": 500}).json()["data"]
    assert len(items["items"]) == min(items["total"], 500) and items["total"] < _counted(client)


def test_a_connection_the_database_closed_is_replaced_without_an_error(client, student_a):
    """Without a ping per request (three round trips on PostgreSQL), a pooled connection that
    died behind the pool's back must still never reach a request: every pooled connection is
    killed, then requests come."""
    import asyncio
    from contextlib import AsyncExitStack

    db = client.app.state.db

    async def kill_pooled_connections() -> int:
        async with AsyncExitStack() as stack:
            conns = [await stack.enter_async_context(db.engine.connect()) for _ in range(max(1, db.engine.pool.checkedin()))]
            for conn in conns:
                raw = await conn.get_raw_connection()
                if db.engine.dialect.name == "postgresql":  # as an administrator or a restart would
                    pid = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()
                    await conn.rollback()
                    async with db.engine.connect() as other:
                        await other.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
                        await other.commit()
                    for _ in range(200):  # asyncpg learns of the closed socket from the event loop
                        if raw.driver_connection.is_closed():
                            break
                        await asyncio.sleep(0.01)
                else:
                    await raw.driver_connection.close()
            return len(conns)

    assert student_a.get("/api/mp/v1/me").status_code == 200
    assert client.portal.call(kill_pooled_connections) >= 1
    for _ in range(3):
        r = student_a.get("/api/mp/v1/me")
        assert r.status_code == 200, r.text


def test_no_route_hops_to_the_thread_pool(app):
    """FastAPI runs a plain ``def`` endpoint or dependency on its thread pool: a thread hop on
    every request for what is mostly an attribute read (issue 11). Every API route and all its
    dependencies are ``async def``."""
    import inspect

    from fastapi.routing import APIRoute

    def sync_calls(dependant, where):
        for d in dependant.dependencies:
            call = d.call
            if call is not None and not (inspect.iscoroutinefunction(call) or inspect.isasyncgenfunction(call)):
                yield f"{where}: dependency {getattr(call, '__module__', '')}.{getattr(call, '__qualname__', call)}"
            yield from sync_calls(d, where)

    found = []
    for route in app.routes:
        if isinstance(route, APIRoute):
            where = f"{sorted(route.methods)[0]} {route.path}"
            if not inspect.iscoroutinefunction(route.dependant.call):
                found.append(f"{where}: endpoint {route.endpoint.__module__}.{route.endpoint.__qualname__}")
            found += sync_calls(route.dependant, where)
    assert not found, "\n".join(sorted(set(found)))
