"""Issue 8 security: passwords over bcrypt's 72 bytes, and login costing the same for unknown
and real accounts (one bcrypt check of the configured cost on both paths)."""
import bcrypt
import pytest
from sqlalchemy import update

from core.models import User
from core.security import MAX_PASSWORD_BYTES, check_password, dummy_hash, hash_cost, password_problem
from tests.conftest import login, unique

LONG_ASCII = "Aa1!" + "x" * 69  # 73 bytes
LONG_CJK = "Aa1!" + "党" * 23  # 27 characters, 73 bytes


def _role(api, label="学生"):
    return next(o["value"] for o in api.get("/api/pc/v1/users/role-options").json()["data"]["options"] if o["label"] == label)


def test_policy_counts_bytes_not_characters():
    assert password_problem("Aa1!" + "x" * 68) is None  # exactly 72 bytes
    for pw in (LONG_ASCII, LONG_CJK):
        assert len(pw.encode()) == MAX_PASSWORD_BYTES + 1
        assert password_problem(pw) == "密码不能超过72个字节（一个汉字占3个字节）"


@pytest.mark.parametrize("password", [LONG_ASCII, LONG_CJK])
def test_long_password_refused_where_an_admin_sets_it(committee, password):
    r = committee.post("/api/pc/v1/users", json={"username": unique("long"), "name": "长密码", "password": password,
                                                "role_ids": [_role(committee)]})
    assert r.status_code == 422 and "72个字节" in r.json()["msg"]


def test_long_password_refused_in_personal_centre(client, committee):
    name = unique("long")
    committee.post("/api/pc/v1/users", json={"username": name, "name": "长密码", "password": "Good@2026x", "role_ids": [_role(committee)]})
    me = login(client, name, "Good@2026x")
    r = me.post("/api/pc/v1/personal/password", json={"old_password": "Good@2026x", "new_password": LONG_CJK, "confirm_password": LONG_CJK})
    assert r.status_code == 422 and "72个字节" in r.json()["msg"]
    assert me.get("/api/mp/v1/me").status_code == 200


def test_cli_refuses_long_password(tmp_path, monkeypatch, capsys):
    from core.cli import main

    monkeypatch.setenv("XIANFENG_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("XIANFENG_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("XIANFENG_BCRYPT_ROUNDS", "4")
    assert main(["createuser", "longpw", "--password", LONG_ASCII, "--role", "committee"]) == 2
    assert "72个字节" in capsys.readouterr().err


def test_long_password_sharing_the_first_72_bytes_never_logs_in(client, app, committee):
    """An account whose hash was made (before this rule) from a long password: bcrypt saw only
    the first 72 bytes, so any password with those bytes would match. None may log in."""
    name = unique("cut")
    committee.post("/api/pc/v1/users", json={"username": name, "name": "截断", "password": "Good@2026x", "role_ids": [_role(committee)]})
    original = "Aa1!" + "y" * 90
    legacy_hash = bcrypt.hashpw(original.encode(), bcrypt.gensalt(4)).decode()  # bcrypt 4.0 cuts silently

    async def set_hash():
        async with app.state.db.sessionmaker() as s:
            await s.execute(update(User).where(User.username == name).values(password_hash=legacy_hash))
            await s.commit()

    client.portal.call(set_hash)
    for attempt in (original, original[:72] + "something else"):
        r = client.post("/api/mp/v1/auth/login", json={"username": name, "password": attempt})
        assert r.status_code == 401 and r.json()["msg"] == "账号或密码错误"


def test_dummy_hash_has_the_configured_cost():
    for rounds in (4, 6, 10):
        assert hash_cost(dummy_hash(rounds)) == rounds


@pytest.fixture
def bcrypt_checks(monkeypatch):
    """Every bcrypt check made, as the cost of the hash it was checked against."""
    seen: list[int] = []
    real = bcrypt.checkpw

    def spy(password, hashed):
        seen.append(hash_cost(hashed.decode()))
        return real(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", spy)
    return seen


@pytest.mark.parametrize("hashed", [None, "", "not-a-bcrypt-hash"])
def test_check_without_a_usable_hash_still_runs_one_check_of_the_configured_cost(bcrypt_checks, hashed):
    assert check_password("Whatever@1", hashed, 6) is False
    assert bcrypt_checks == [6]


def test_unknown_and_real_accounts_cost_one_check_of_the_same_cost(client, committee, settings, bcrypt_checks):
    name = unique("cost")
    committee.post("/api/pc/v1/users", json={"username": name, "name": "代价", "password": "Good@2026x", "role_ids": [_role(committee)]})
    bcrypt_checks.clear()
    assert client.post("/api/mp/v1/auth/login", json={"username": unique("nobody"), "password": "Wrong@2026x"}).status_code == 401
    unknown = list(bcrypt_checks)
    bcrypt_checks.clear()
    assert client.post("/api/mp/v1/auth/login", json={"username": name, "password": "Wrong@2026x"}).status_code == 401
    real = list(bcrypt_checks)
    assert unknown == real == [settings.bcrypt_rounds]


def test_login_brings_an_old_hash_to_the_configured_cost(client, app, committee, settings):
    name = unique("rehash")
    committee.post("/api/pc/v1/users", json={"username": name, "name": "旧代价", "password": "Good@2026x", "role_ids": [_role(committee)]})
    old = bcrypt.hashpw(b"Good@2026x", bcrypt.gensalt(settings.bcrypt_rounds + 1)).decode()

    async def set_hash():
        async with app.state.db.sessionmaker() as s:
            await s.execute(update(User).where(User.username == name).values(password_hash=old))
            await s.commit()

    async def get_hash():
        async with app.state.db.sessionmaker() as s:
            return (await s.get(User, me.user["id"])).password_hash

    client.portal.call(set_hash)
    me = login(client, name, "Good@2026x")
    assert hash_cost(client.portal.call(get_hash)) == settings.bcrypt_rounds
    assert login(client, name, "Good@2026x").get("/api/mp/v1/me").status_code == 200
