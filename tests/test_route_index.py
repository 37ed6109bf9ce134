"""core/route_index.py: a path without parameters finds its route in one lookup, and the
answer is always the one Starlette's route-by-route scan would give."""
from fastapi import FastAPI
from fastapi.testclient import TestClient

from core import route_index


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/things/{name}")
    async def by_name(name: str) -> dict:
        return {"route": "param", "name": name}

    @app.get("/things/special")  # shadowed: the parameter route above comes first
    async def special() -> dict:
        return {"route": "special"}

    @app.post("/only-post")
    async def only_post() -> dict:
        return {"route": "post"}

    @app.get("/plain")
    async def plain() -> dict:
        return {"route": "plain"}

    route_index.install(app.router)
    return app


def test_the_index_answers_what_the_scan_would():
    app = _app()
    with TestClient(app) as c:
        assert c.get("/plain").json() == {"route": "plain"}
        assert c.get("/things/special").json() == {"route": "param", "name": "special"}
        assert c.get("/things/x").json() == {"route": "param", "name": "x"}
        assert c.post("/only-post").json() == {"route": "post"}
        assert c.get("/only-post").status_code == 405
        assert c.get("/nowhere").status_code == 404

        @app.get("/later")  # added after the index was built
        async def later() -> dict:
            return {"route": "later"}

        assert c.get("/later").json() == {"route": "later"}
    assert ("GET", "/plain") in app.router.middleware_stack.index
    assert ("GET", "/things/special") not in app.router.middleware_stack.index


def test_the_app_routes_its_hot_reads_through_the_index(app, student_a):
    assert student_a.get("/api/mp/v1/todos").status_code == 200
    index = app.router.middleware_stack.index
    for path in ("/api/mp/v1/me", "/api/mp/v1/todos", "/api/mp/v1/development/timeline", "/api/pc/v1/users"):
        assert ("GET", path) in index, path
