"""The ``/m/`` routes: index.html (revalidated every visit) and the versioned files (cached a year).

Answers are gzipped when the browser accepts it (every phone browser and WeChat's web-view
do); the files were compressed once when the bundle was built. The headers middleware
(core/headers.py) adds the app's own Content-Security-Policy: scripts from the site only,
no ``unsafe-eval`` (the app has no template compiler) and no inline script or style.
"""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from core.mobile.bundle import Asset, Bundle

YEAR = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
NOT_FOUND_TEXT = "页面不存在".encode()


def _accepts_gzip(request: Request) -> bool:
    return "gzip" in request.headers.get("accept-encoding", "").lower()


def _send(request: Request, asset: Asset, cache: str) -> Response:
    headers = {"Cache-Control": cache, "ETag": asset.etag, "Vary": "Accept-Encoding"}
    if request.headers.get("if-none-match") == asset.etag:
        return Response(status_code=304, headers=headers)
    body = asset.body
    if asset.gzipped is not None and _accepts_gzip(request):
        body, headers["Content-Encoding"] = asset.gzipped, "gzip"
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(body))
        return Response(status_code=200, headers=headers, media_type=asset.content_type)
    return Response(body, headers=headers, media_type=asset.content_type)


def router_for(bundle: Bundle) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.api_route("/m", methods=["GET", "HEAD"])
    async def bare() -> RedirectResponse:
        return RedirectResponse("/m/", status_code=308)

    @router.api_route("/m/", methods=["GET", "HEAD"])
    async def index(request: Request) -> Response:
        return _send(request, bundle.index, REVALIDATE)

    @router.api_route("/m/v/{version}/{path:path}", methods=["GET", "HEAD"])
    async def asset(version: str, path: str, request: Request) -> Response:
        found = bundle.assets.get(path)
        if found is None:
            return Response(NOT_FOUND_TEXT, status_code=404, media_type="text/plain; charset=utf-8")
        # A page opened before a new release may still ask for its old version's lazy modules:
        # it gets today's file, but not for keeps (it is not the file that URL names).
        return _send(request, found, YEAR if version == bundle.version else REVALIDATE)

    return router


def install(app, plugins, settings) -> None:
    """Serve the mobile app at ``/m/`` with every plugin's screens, and the admin's QR-link route."""
    from core.mobile import links, screens

    app.state.mobile = Bundle(screens.collect(plugins), title=settings.site_title)
    app.include_router(router_for(app.state.mobile))
    app.include_router(links.router)
