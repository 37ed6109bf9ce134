"""Find the route of a path without parameters in one dictionary lookup.

Starlette tries the app's routes one after another with a regular expression each. The app
has a few hundred; a mini-program route registered by a plugin (``/api/mp/v1/todos``) was
tried against ~70 before its own, a measurable share of a request (issue 11). The index maps
(method, path) of every route without path parameters to the route the sequential scan would
pick, so the answer is the same; everything else (paths with parameters, mounts, methods a
route does not take, redirects) goes through Starlette's scan as before.
"""
from __future__ import annotations

from starlette._utils import get_route_path
from starlette.routing import Match, Route, Router


class RouteIndex:
    def __init__(self, router: Router):
        self.router = router
        self.scan = router.middleware_stack  # Starlette's own dispatch
        self.index: dict[tuple[str, str], Route] = {}
        self.built_for = -1

    def _build(self) -> None:
        """The winner of the sequential scan for each (method, path) of a parameter-free route."""
        index: dict[tuple[str, str], Route] = {}
        routes = self.router.routes
        for route in routes:
            if not isinstance(route, Route) or route.param_convertors or not route.methods:
                continue
            for method in route.methods:
                probe = {"type": "http", "path": route.path, "root_path": "", "method": method}
                for candidate in routes:
                    match, _ = candidate.matches(probe)
                    if match == Match.FULL:
                        if candidate is route:
                            index[(method, route.path)] = route
                        break
        self.index, self.built_for = index, len(routes)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            if self.built_for != len(self.router.routes):  # routes added since: index again
                self._build()
            route = self.index.get((scope["method"], get_route_path(scope)))
            if route is not None:
                match, child_scope = route.matches(scope)
                if match == Match.FULL:
                    scope.setdefault("router", self.router)
                    scope.update(child_scope)
                    await route.handle(scope, receive, send)
                    return
        await self.scan(scope, receive, send)


def install(router: Router) -> None:
    """Put the index in front of ``router``'s sequential scan (Starlette calls
    ``router.middleware_stack`` for every request it routes)."""
    router.middleware_stack = RouteIndex(router)
