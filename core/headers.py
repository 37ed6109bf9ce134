"""Security headers on every answer (issue 8).

- everything: ``X-Content-Type-Options: nosniff`` (an uploaded file is never run as script or
  style), ``X-Frame-Options: DENY`` (no page of ours inside someone else's frame: clickjacking),
  ``Referrer-Policy: same-origin`` (ids in our URLs do not leak to other sites);
- ``/api/...``: ``Cache-Control: no-store``: answers carry personal data and must not stay in
  a shared or browser cache after logout;
- ``/admin...``: a Content-Security-Policy. Scripts only from the site itself (the pages have
  no inline script, see core/admin_html.py) plus ``'unsafe-eval'``, which amis needs to
  evaluate its expressions (``${...}``, ``visibleOn``) with ``new Function``. Styles allow
  ``'unsafe-inline'``: amis writes style attributes and ``<style>`` elements at run time.
  Images and fonts may be ``data:``/``blob:`` URLs (amis icons, generated QR codes, previews).
- ``/m/...`` (the mobile web app, core/mobile): a stricter policy of its own. The app has no
  template compiler and sets styles only through the CSSOM, so it needs neither
  ``'unsafe-eval'`` nor ``'unsafe-inline'``; pictures it shows are ``blob:`` URLs of files
  fetched with the bearer token.

A plain ASGI middleware (not ``BaseHTTPMiddleware``): it only appends headers to the start
message, so streaming answers and the hot API paths pay nothing else.
"""
from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ADMIN_CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
MOBILE_CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
EVERYWHERE = (("x-content-type-options", "nosniff"), ("x-frame-options", "DENY"), ("referrer-policy", "same-origin"))
API = (("cache-control", "no-store"),)
ADMIN = (("content-security-policy", ADMIN_CSP),)
MOBILE = (("content-security-policy", MOBILE_CSP),)


def headers_for(path: str) -> tuple[tuple[str, str], ...]:
    extra = EVERYWHERE
    if path.startswith("/api/"):
        extra += API
    if path == "/admin" or path.startswith("/admin/"):
        extra += ADMIN
    if path == "/m" or path.startswith("/m/"):
        extra += MOBILE
    return extra


class SecurityHeaders:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = headers_for(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra:
                    if name not in headers:  # a route that chose its own value keeps it
                        headers.append(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
