"""The admin's HTML pages without inline script.

fastapi-amis-admin's page templates start amis with an inline ``<script>`` that also carries
the page schema, which would force ``script-src 'unsafe-inline'`` into the admin's
Content-Security-Policy (core/headers.py) and with it any injected script. Here the schema
travels in a non-executable ``<script type="application/json">`` block (``<`` escaped, so no
text in it can close the block) and a static bootstrap file under ``/assets/local`` starts
amis: the policy allows scripts from the site itself only.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi_amis_admin.amis.components import App
from jinja2 import Template

from core import clock

TEMPLATE = Template((Path(__file__).parent / "templates" / "admin.html").read_text("utf-8"), autoescape=True)
# The multi-page App needs vue 2.7 and the history library; a page opened on its own uses vue 2.6.
APP_SCRIPTS = ("vue@2.7.14/dist/vue.min.js", "history@5.3.0/umd/history.production.min.js")
PAGE_SCRIPTS = ("vue@2.6.14/dist/vue.js",)


def json_for_html(data: Any) -> str:
    """JSON safe inside a ``<script type="application/json">`` element."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render(schema: dict, *, title: str, icon: str, cdn: str, pkg: str, app: bool, locale: str = "zh-CN",
           theme: str = "cxd", body_class: str = "") -> str:
    payload = {"schema": schema, "locale": locale.replace("_", "-"), "theme": theme, "app": app, "timezone": clock.tz().key}
    return TEMPLATE.render(
        title=title, icon=icon, cdn=cdn, pkg=pkg, body_class=body_class,
        scripts=APP_SCRIPTS if app else PAGE_SCRIPTS, boot="admin-app.js" if app else "admin-page.js",
        payload=json_for_html(payload),
    )


class NoInlineScriptPage:
    """Mixin for fastapi-amis-admin page classes: their GET answer is rendered by ``render``."""

    async def page_parser(self, request: Request, page):
        if request.method != "GET":
            return await super().page_parser(request, page)
        settings = self.site.settings
        return HTMLResponse(render(
            page.amis_dict(), title=settings.site_title, icon=settings.site_icon, cdn=settings.amis_cdn,
            pkg=settings.amis_pkg, app=isinstance(page, App), locale=settings.language or "zh-CN", theme=settings.amis_theme,
        ))
