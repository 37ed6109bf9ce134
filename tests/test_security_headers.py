"""Issue 8 security: headers on the admin and the API, and admin pages without inline script
(so the Content-Security-Policy needs no 'unsafe-inline' for scripts). The browser test
(tests/browser/test_menu_and_login.py) opens every menu page under this policy and fails on any violation."""
import json
import re

import pytest

from tests.conftest import unique

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)


def _common(r) -> None:
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "same-origin"


@pytest.mark.parametrize("method, url", [("get", "/api/mp/v1/me"), ("get", "/api/pc/v1/users"), ("post", "/api/mp/v1/auth/login"),
                                         ("get", "/api/pc/v1/users/99999999999999999999")])
def test_api_answers_are_not_stored(client, committee, method, url):
    for caller in (committee, None):
        r = getattr(caller or client, method)(url, **({"json": {}} if method == "post" else {}))
        _common(r)
        assert r.headers["cache-control"] == "no-store"
        assert "content-security-policy" not in r.headers


def test_non_api_answers_get_the_common_headers_only(client):
    for url in ("/healthz", "/assets/local/logo.svg"):
        r = client.get(url)
        assert r.status_code == 200
        _common(r)
        assert "cache-control" not in r.headers or r.headers["cache-control"] != "no-store"


def _scripts(html: str) -> list[tuple[str, str]]:
    return SCRIPT.findall(html)


def _csp(r) -> dict[str, str]:
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] if " " in d else "" for d in r.headers["content-security-policy"].split("; ")}


def test_admin_pages_carry_a_policy_without_inline_script(client):
    client.cookies.clear()
    r = client.get("/admin/login")
    _common(r)
    csp = _csp(r)
    assert csp["script-src"] == "'self' 'unsafe-eval'" and "'unsafe-inline'" not in csp["script-src"]
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'" and csp["default-src"] == "'self'"
    scripts = _scripts(r.text)
    assert scripts and all("src=" in attrs or 'type="application/json"' in attrs for attrs, _ in scripts), scripts
    assert all(not body.strip() for attrs, body in scripts if "src=" in attrs)


def test_admin_app_schema_cannot_close_its_block(client, committee):
    """A name with markup travels inside the JSON block escaped: it cannot end the block and
    start a script of its own; amis still receives the exact name."""
    role = next(o["value"] for o in committee.get("/api/pc/v1/users/role-options").json()["data"]["options"] if o["label"] == "学院党委")
    name, evil = unique("xss"), "</script><script>alert(1)</script>&"
    r = committee.post("/api/pc/v1/users", json={"username": name, "name": evil, "password": "Xss@2026x", "role_ids": [role]})
    assert r.status_code == 200, r.text
    client.cookies.clear()
    try:
        assert client.post("/api/pc/v1/auth/login", json={"username": name, "password": "Xss@2026x"}).status_code == 200
        page = client.get("/admin/")
        assert page.status_code == 200 and "content-security-policy" in page.headers
        assert "alert(1)" not in "".join(body for attrs, body in _scripts(page.text) if "application/json" not in attrs)
        blocks = [body for attrs, body in _scripts(page.text) if 'id="xf-amis"' in attrs]
        assert len(blocks) == 1 and "<" not in blocks[0]
        assert evil in json.dumps(json.loads(blocks[0]), ensure_ascii=False)
        assert len([a for a, _ in _scripts(page.text) if "src=" not in a]) == 1  # only the JSON block is inline
    finally:
        client.cookies.clear()
