"""Issue 8 security: logout ends its token (and only it); tokens carry jti/iat; the revocation
check rides in the one actor query; expired revocations are cleaned."""
from datetime import datetime, timedelta, timezone

import jwt
from sqlalchemy import event, select

from core.auth import load_actor
from core.models import RevokedToken, utcnow
from tests.conftest import Api, login, unique


def _new_user(committee, role_label="学院党委") -> str:
    role = next(o["value"] for o in committee.get("/api/pc/v1/users/role-options").json()["data"]["options"] if o["label"] == role_label)
    name = unique("tok")
    r = committee.post("/api/pc/v1/users", json={"username": name, "name": "令牌测试", "password": "Tok@2026x", "role_ids": [role]})
    assert r.status_code == 200, r.text
    return name


def test_mp_logout_ends_that_token_only(client, committee):
    name = _new_user(committee, "学生")
    phone, tablet = login(client, name, "Tok@2026x"), login(client, name, "Tok@2026x")
    assert phone.token != tablet.token
    r = phone.post("/api/mp/v1/auth/logout")
    assert r.status_code == 200 and r.json()["msg"] == "已退出登录"
    r = phone.get("/api/mp/v1/me")
    assert r.status_code == 401 and r.json()["msg"] == "请先登录"
    assert tablet.get("/api/mp/v1/me").status_code == 200  # the other device stays signed in
    assert phone.post("/api/mp/v1/auth/logout").status_code == 200  # twice is not an error


def test_pc_logout_ends_the_cookie_token_even_if_kept(client, committee):
    name = _new_user(committee)
    client.cookies.clear()
    r = client.post("/api/pc/v1/auth/login", json={"username": name, "password": "Tok@2026x"})
    token = r.cookies["xf_token"]
    assert client.get("/admin/", follow_redirects=False).status_code == 200
    assert client.post("/api/pc/v1/auth/logout").status_code == 200
    client.cookies.clear()
    # Someone who copied the cookie before the logout gets nothing with it.
    client.cookies.set("xf_token", token)
    try:
        assert client.get("/admin/", follow_redirects=False).status_code == 307
        assert client.get("/api/pc/v1/me").status_code == 401
        assert Api(client, token).get("/api/mp/v1/me").status_code == 401
    finally:
        client.cookies.clear()


def test_anonymous_logout_is_harmless(anonymous):
    assert anonymous.post("/api/mp/v1/auth/logout").status_code == 200
    assert anonymous.post("/api/pc/v1/auth/logout").json()["status"] == 0


def test_tokens_carry_jti_and_iat(client, committee):
    a, b = login(client, "dangwei"), login(client, "dangwei")
    pa, pb = (jwt.decode(x.token, options={"verify_signature": False}) for x in (a, b))
    assert pa["jti"] and pa["jti"] != pb["jti"]
    assert abs(pa["iat"] - datetime.now(timezone.utc).timestamp()) < 300


def test_token_without_jti_is_refused(client, settings, committee):
    """A token in the old format (no jti) could never be logged out: it is not accepted."""
    exp = datetime.now(timezone.utc) + timedelta(minutes=5)
    token = jwt.encode({"sub": str(committee.user["id"]), "ver": 0, "iat": datetime.now(timezone.utc), "exp": exp},
                       settings.secret_key, algorithm="HS256")
    assert Api(client, token).get("/api/mp/v1/me").status_code == 401


def test_password_change_still_ends_every_token(client, committee):
    name = _new_user(committee)
    a, b = login(client, name, "Tok@2026x"), login(client, name, "Tok@2026x")
    r = a.post("/api/pc/v1/personal/password", json={"old_password": "Tok@2026x", "new_password": "Tok@2027x", "confirm_password": "Tok@2027x"})
    assert r.status_code == 200
    assert a.get("/api/mp/v1/me").status_code == 401 and b.get("/api/mp/v1/me").status_code == 401


def test_expired_revocations_are_cleaned_at_logout(client, app, committee):
    name = _new_user(committee, "学生")
    me = login(client, name, "Tok@2026x")
    old = unique("old-jti")

    async def add_expired():
        async with app.state.db.sessionmaker() as s:
            s.add(RevokedToken(jti=old, user_id=me.user["id"], expires_at=utcnow() - timedelta(minutes=1)))
            await s.commit()

    async def rows():
        async with app.state.db.sessionmaker() as s:
            return set((await s.execute(select(RevokedToken.jti))).scalars())

    client.portal.call(add_expired)
    assert old in client.portal.call(rows)
    assert me.post("/api/mp/v1/auth/logout").status_code == 200
    left = client.portal.call(rows)
    assert old not in left
    assert jwt.decode(me.token, options={"verify_signature": False})["jti"] in left


def test_actor_with_revocation_check_is_one_statement(client, app, committee):
    """Authentication costs one query: user, roles, permissions and the revocation together."""
    name = _new_user(committee)
    me = login(client, name, "Tok@2026x")
    claims = jwt.decode(me.token, options={"verify_signature": False})

    async def load():
        statements = []

        def count(conn, cursor, statement, *args):
            statements.append(statement)

        sync_engine = app.state.db.engine.sync_engine
        event.listen(sync_engine, "before_cursor_execute", count)
        try:
            async with app.state.db.sessionmaker() as s:
                actor = await load_actor(s, me.user["id"], claims["ver"], claims["jti"])
        finally:
            event.remove(sync_engine, "before_cursor_execute", count)
        return actor, statements

    actor, statements = client.portal.call(load)
    assert actor is not None and "committee" in actor.role_keys and actor.permissions
    assert len(statements) == 1, statements
    me.post("/api/mp/v1/auth/logout")
    actor, statements = client.portal.call(load)
    assert actor is None and len(statements) == 1
