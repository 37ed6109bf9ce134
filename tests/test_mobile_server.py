"""How /m/ is served (issue 12): gzip, cache headers on versioned files, its own CSP without
'unsafe-eval' or inline script, the route table with plugins' screens (xf_mobile_screens),
QR links (m_url, /api/pc/v1/mobile/link), and static checks of the app's modules."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.headers import MOBILE_CSP
from core.mobile import bundle as bundle_mod
from core.mobile.bundle import APP_DIR, Bundle
from core.mobile.links import m_url
from core.mobile.screens import BUILTIN, MobileEntry, MobileScreen
from core.settings import PluginSettings
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parent.parent


def _config(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="xf-m-config">(.*?)</script>', html, re.S)
    assert m, "route table missing from /m/"
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def plugin_app(tmp_path_factory):
    """An app with the throwaway mobile_screen plugin (no lifespan: /m/ needs no database)."""
    from core.app import create_app

    settings = make_settings(tmp_path_factory.mktemp("m_plugin"), plugins=PluginSettings(extra=["tests.plugins.mobile_screen"]))
    return create_app(settings)


def test_index_is_revalidated_gzipped_and_runs_no_inline_script(client):
    r = client.get("/m/", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["content-encoding"] == "gzip" and r.headers["vary"] == "Accept-Encoding"
    assert r.headers["cache-control"] == "no-cache"
    csp = r.headers["content-security-policy"]
    assert csp == MOBILE_CSP and "unsafe-eval" not in csp and "unsafe-inline" not in csp
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", r.text, re.S)
    for attrs, body in scripts:  # every script is a file of the site, or data that never runs
        assert 'src="/m/v/' in attrs or ('type="application/json"' in attrs and "<" not in body), attrs
    plain = client.get("/m/", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.text == r.text
    assert client.get("/m", follow_redirects=False).headers["location"] == "/m/"


def test_versioned_files_are_cached_for_a_year_and_revalidate_by_etag(client, app):
    b = app.state.mobile
    url = f"{b.base}main.js"
    assert url in client.get("/m/").text  # index.html names the current version
    r = client.get(url, headers={"Accept-Encoding": "gzip, br"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert r.headers["content-encoding"] == "gzip" and "router" in r.text
    again = client.get(url, headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and not again.content
    old = client.get("/m/v/0123456789ab/main.js")  # a page of an earlier release asks for its version
    assert old.status_code == 200 and old.headers["cache-control"] == "no-cache"
    missing = client.get(f"{b.base}screens/nothing.js")
    assert missing.status_code == 404 and missing.text == "页面不存在"
    assert client.get(f"{b.base}../../../core/settings.py").status_code == 404
    logo = client.get(f"{b.base}logo.svg")
    assert logo.headers["content-type"] == "image/svg+xml"


def test_version_changes_with_any_file(tmp_path):
    app_dir = tmp_path / "app"
    (app_dir / "screens").mkdir(parents=True)
    (app_dir / "index.html").write_text("<title>{{title}}</title>{{preload}}{{config}}{{base}}", "utf-8")
    (app_dir / "screens" / "home.js").write_text("export default async function render() {}\n", "utf-8")
    screens = [MobileScreen("/home", "screens/home.js", "首页")]
    first = Bundle(screens, title="先锋", app_dir=app_dir)
    assert first.version == Bundle(screens, title="先锋", app_dir=app_dir).version
    (app_dir / "screens" / "home.js").write_text("export default async function render(ctx) { ctx.show('x'); }\n", "utf-8")
    assert Bundle(screens, title="先锋", app_dir=app_dir).version != first.version
    with pytest.raises(FileNotFoundError, match="screens/nope.js"):
        Bundle([MobileScreen("/x", "screens/nope.js", "x")], title="先锋", app_dir=app_dir)


def test_screen_declarations_are_checked():
    with pytest.raises(ValueError, match="path"):
        MobileScreen("talks", "screens/x.js", "x")
    with pytest.raises(ValueError, match="icon"):
        MobileScreen("/x", "screens/x.js", "x", entry=MobileEntry("x", "rocket"))


def test_every_builtin_screen_names_a_known_permission(app):
    keys = set(app.state.permissions.by_key)
    unknown = [(s.path, s.permission) for s in BUILTIN if s.permission and s.permission not in keys]
    assert not unknown, f"mobile screens guarded by permissions no plugin declares: {unknown}"
    assert {s.path for s in BUILTIN} >= {"/login", "/home", "/profile", "/messages", "/messages/:id", "/development/apply",
                                         "/development", "/talks", "/talks/:id", "/evaluation", "/me", "/me/password"}


def test_hook_xf_mobile_screens(plugin_app):
    c = TestClient(plugin_app)
    config = _config(c.get("/m/").text)
    routes = {r["path"]: r for r in config["routes"]}
    mine = routes["/guestbook"]
    assert mine["entry"] == {"label": "留言板", "icon": "people", "order": 90} and mine["permission"] == "mp.messages"
    assert mine["options"] == {"greeting": "欢迎留言"} and mine["module"].startswith("ext/")
    assert routes["/guestbook/:topic"]["module"] == mine["module"]
    module = c.get(config["base"] + mine["module"])
    assert module.status_code == 200 and "ctx.options.greeting" in module.text
    assert routes["/home"]["module"] == "screens/home.js"  # the built-in screens stay


def test_the_app_only_talks_to_the_mp_api_and_files():
    """Every API path in the app's code is under /api/mp/v1 or /api/files (the MP contract)."""
    paths = set()
    for js in APP_DIR.rglob("*.js"):
        paths |= set(re.findall(r"['\"`](/api/[^'\"`]*)", js.read_text("utf-8")))
    assert paths and all(p.startswith(("/api/mp/v1", "/api/files")) for p in paths), paths


def test_every_module_import_resolves():
    """No build step checks the imports, so this does: every relative import names a file."""
    broken = []
    for js in APP_DIR.rglob("*.js"):
        for target in re.findall(r"(?:from|import\()\s*'(\.{1,2}/[^']+)'", js.read_text("utf-8")):
            if not (js.parent / target).resolve().is_file():
                broken.append(f"{js.relative_to(APP_DIR)} -> {target}")
    assert not broken, broken


def test_preloaded_modules_exist():
    assert all((APP_DIR / p).is_file() for p in bundle_mod.PRELOAD)


def test_m_url_and_the_link_route(client, anonymous, branch_a):
    class Req:
        base_url = "https://dangjian.example.edu.cn/"

    assert m_url(Req(), "/talks/12") == "https://dangjian.example.edu.cn/m/#/talks/12"
    with pytest.raises(ValueError):
        m_url(Req(), "javascript:alert(1)")
    r = branch_a.get("/api/pc/v1/mobile/link", params={"screen": "/talks/12"})
    assert r.status_code == 200, r.text
    assert r.json()["data"] == {"screen": "/talks/12", "url": "http://testserver/m/#/talks/12"}
    bad = branch_a.get("/api/pc/v1/mobile/link", params={"screen": "https://evil.example/"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "screen"
    assert anonymous.get("/api/pc/v1/mobile/link").status_code == 401

