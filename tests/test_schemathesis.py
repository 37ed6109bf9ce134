"""Issue 8 security: no input gives a 5xx, checked by property-based requests generated from
/openapi.json (schemathesis), both valid-looking and invalid, as a superuser and as a student.

Bounded: a few examples per operation, deterministic (derandomized) so a run is repeatable,
no shrinking. It runs on its own app and SQLite file (``own_app``), so whatever it creates,
edits or deletes never touches the accounts the other tests log in with. The two callers get
ids far from the small integers the generator favours, so a generated ``DELETE
/users/{id}`` does not remove the caller itself. Operations that end the caller's session
(logout, password change) are left out: they would only turn the rest into 401s.
"""
from __future__ import annotations

import json
import time

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from core.models import Role, User, UserRole
from core.security import hash_password
from tests.conftest import DEMO_PASSWORD, own_app

SESSION_ENDERS = {("POST", "/api/pc/v1/auth/logout"), ("POST", "/api/mp/v1/auth/logout"),
                  ("POST", "/api/pc/v1/personal/password"), ("POST", "/api/mp/v1/personal/password")}
EXAMPLES = {GenerationMode.POSITIVE: 4, GenerationMode.NEGATIVE: 2}
CALLERS = (  # the student first: the superuser's generated edits may later strip the student role's rights
    ("student", 900_000_002, ["student"]),
    ("superuser", 900_000_001, ["admin", "committee"]),
)


def _add_callers(app) -> None:
    async def add():
        async with app.state.db.sessionmaker() as s:
            roles = {r.key: r.id for r in (await s.execute(Role.__table__.select())).all()}
            for name, uid, keys in CALLERS:
                s.add(User(id=uid, username=f"fuzz-{name}", name=f"模糊测试{name}",
                           password_hash=hash_password(DEMO_PASSWORD, app.state.settings.bcrypt_rounds)))
                await s.flush()
                s.add_all([UserRole(user_id=uid, role_id=roles[k]) for k in keys])
            await s.commit()

    return add


def _request_kwargs(case) -> dict:
    """schemathesis' requests-style call as keyword arguments for the TestClient (httpx)."""
    kw = case.as_transport_kwargs(base_url="http://testserver")
    out = {"method": kw["method"], "url": kw["url"], "params": kw.get("params"), "headers": dict(kw.get("headers") or {})}
    if kw.get("cookies"):
        out["headers"]["cookie"] = "; ".join(f"{k}={v}" for k, v in kw["cookies"].items())
    if "json" in kw:
        out["json"] = kw["json"]
    if "files" in kw:
        out["files"] = kw["files"]
    if "data" in kw:
        out["content" if isinstance(kw["data"], (bytes, str)) else "data"] = kw["data"]
    return out


def _describe(case, r) -> str:
    body = case.body if not isinstance(case.body, bytes) else f"<{len(case.body)} bytes>"
    try:
        body = json.dumps(body, ensure_ascii=False, default=str)[:300]
    except (TypeError, ValueError):
        body = repr(body)[:300]
    return (f"{case.method} {case.formatted_path} query={case.query} body={body} -> "
            f"{r.status_code} {r.text[:200]}")


def test_no_operation_answers_5xx(tmp_path):
    with own_app(tmp_path, extra=[], students=10) as (c, app):
        c.portal.call(_add_callers(app))
        schema = schemathesis.openapi.from_dict(c.get("/openapi.json").json())
        operations = [r.ok() for r in schema.get_all_operations()]
        operations = [op for op in operations if (op.method.upper(), op.path) not in SESSION_ENDERS]
        assert len(operations) > 50
        failures: list[str] = []
        calls = 0
        started = time.monotonic()
        for name, _, _ in CALLERS:
            r = c.post("/api/mp/v1/auth/login", json={"username": f"fuzz-{name}", "password": DEMO_PASSWORD})
            assert r.status_code == 200, r.text
            auth = {"Authorization": f"Bearer {r.json()['token']}"}
            for op in operations:
                for mode, examples in EXAMPLES.items():
                    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
                    @given(case=op.as_strategy(generation_mode=mode))
                    def run(case):
                        nonlocal calls
                        kw = _request_kwargs(case)
                        kw["headers"] = {**kw["headers"], **auth}
                        calls += 1
                        try:
                            resp = c.request(**kw)
                        except Exception as exc:  # the TestClient re-raises what would have been a 500
                            failures.append(f"[{name}] {case.method} {case.formatted_path} query={case.query} raised {exc!r}"[:500])
                            return
                        if resp.status_code >= 500:
                            failures.append(f"[{name}] {_describe(case, resp)}")

                    try:
                        run()
                    except Unsatisfiable:
                        pass  # nothing in this operation can be made invalid (no parameters, no body)
            assert c.get("/api/mp/v1/me", headers=auth).status_code == 200, f"the {name} lost its session during the run"
        print(f"schemathesis: {len(operations)} operations, {calls} requests in {time.monotonic() - started:.1f}s")
        assert not failures, "5xx answers:\n" + "\n".join(dict.fromkeys(failures))
