"""The mobile app's files, read once at start-up, gzipped once, and versioned by content.

Every file is served under ``/m/v/<version>/``, where the version is a hash of all of them:
a browser may keep them for a year (``immutable``) and still never mixes two releases, because
a new release has new URLs. Only index.html (``/m/``) is revalidated on each visit. The
modules import each other relatively (``./lib/api.js``), so the version prefix carries through
without a build step. Files are small (the whole app is a few dozen KB), so memory is the
cheapest place for them; gzip level 9 is paid once per process, not per request.
"""
from __future__ import annotations

import gzip
import hashlib
import html
from dataclasses import dataclass
from pathlib import Path

from core.admin_html import json_for_html
from core.mobile.screens import MobileScreen

APP_DIR = Path(__file__).parent / "app"
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".html": "text/html; charset=utf-8",
         ".svg": "image/svg+xml", ".json": "application/json", ".png": "image/png", ".ico": "image/x-icon"}
COMPRESSIBLE = {".js", ".css", ".html", ".svg", ".json"}
# Fetched with index.html so the home screen's modules arrive in one round trip, not one per import level.
PRELOAD = ("main.js", "lib/dom.js", "lib/api.js", "lib/session.js", "lib/router.js", "lib/ui.js", "lib/format.js",
           "lib/icons.js", "screens/home.js")


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzipped: bytes | None
    content_type: str
    etag: str


def _asset(name: str, data: bytes) -> Asset:
    suffix = Path(name).suffix
    packed = gzip.compress(data, 9, mtime=0) if suffix in COMPRESSIBLE else None
    if packed is not None and len(packed) >= len(data):
        packed = None
    return Asset(data, packed, TYPES.get(suffix, "application/octet-stream"), '"' + hashlib.sha256(data).hexdigest()[:16] + '"')


def _plugin_url(path: Path) -> str:
    """Where a plugin's screen module is served: one folder below the version root, so a module
    may import the app's libraries as ``../lib/ui.js`` like the built-in screens."""
    digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:10]
    return f"ext/{digest}-{path.name}"


class Bundle:
    """Everything ``/m/`` serves, for one route table."""

    def __init__(self, screens: list[MobileScreen], *, title: str, app_dir: Path = APP_DIR):
        files: dict[str, bytes] = {}
        for path in sorted(app_dir.rglob("*")):
            rel = path.relative_to(app_dir).as_posix()
            if path.is_file() and rel != "index.html" and not path.name.startswith("."):
                files[rel] = path.read_bytes()
        routes = []
        for s in screens:
            if isinstance(s.module, Path):
                module = _plugin_url(s.module)
                if not s.module.is_file():
                    raise FileNotFoundError(f"mobile screen {s.path}: module {s.module} not found")
                files[module] = s.module.read_bytes()
            else:
                module = s.module
                if module not in files:
                    raise FileNotFoundError(f"mobile screen {s.path}: module {module} not found in {app_dir}")
            entry = {"label": s.entry.label, "icon": s.entry.icon, "order": s.entry.order} if s.entry else None
            routes.append({"path": s.path, "module": module, "title": s.title, "permission": s.permission,
                           "public": s.public, "tab": s.tab, "entry": entry, "options": s.options})
        digest = hashlib.sha256()
        for name in sorted(files):
            digest.update(name.encode() + b"\0" + files[name] + b"\0")
        digest.update(json_for_html(routes).encode())
        self.version = digest.hexdigest()[:12]
        self.base = f"/m/v/{self.version}/"
        self.assets = {name: _asset(name, data) for name, data in files.items()}
        config = {"version": self.version, "base": self.base, "title": title, "routes": routes}
        preload = "\n".join(f'  <link rel="modulepreload" href="{self.base}{p}">' for p in PRELOAD if p in files)
        page = (app_dir / "index.html").read_text("utf-8")
        page = (page.replace("{{title}}", html.escape(title)).replace("{{base}}", self.base)
                .replace("{{preload}}", preload).replace("{{config}}", json_for_html(config)))
        self.index = _asset("index.html", page.encode("utf-8"))
        self.routes = routes
