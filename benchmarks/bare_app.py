"""The yardstick of the load benchmark (issue 11): a bare FastAPI app doing the least any
authenticated read must do — check the same bearer JWT with the same secret and run one
SELECT of the user by id on the same database — served by the same uvicorn with the same
options as ``xianfeng run``. ``benchmarks/load.py`` divides the project's requests per second
by this app's, so the figure says how much the platform costs on top of that floor.

Started as ``python -m benchmarks.bare_app --port N`` with the project's environment
(``XIANFENG_DATA_DIR`` / ``XIANFENG_DATABASE_URL``): it reads the same Settings, hence the
same secret file and database URL, and runs on ``core.cli.serve`` like ``xianfeng run``.
It uses SQLAlchemy's stock engine (aiosqlite or asyncpg), as any FastAPI app would.
"""
from __future__ import annotations

from contextlib import asynccontextmanager

import jwt
from fastapi import FastAPI, Header, HTTPException
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from core.models import User
from core.settings import Settings


class BareUser(BaseModel):
    id: int
    username: str
    name: str


def create() -> FastAPI:
    settings = Settings()
    engine = create_async_engine(settings.database_url)
    columns = select(User.id, User.username, User.name)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        await engine.dispose()

    app = FastAPI(lifespan=lifespan)

    @app.get("/bare/me", response_model=BareUser)
    async def me(authorization: str = Header("")):
        try:
            claims = jwt.decode(authorization.removeprefix("Bearer ").strip(), settings.secret_key, algorithms=["HS256"],
                                options={"require": ["exp", "sub", "jti", "iat"]})
        except jwt.PyJWTError:
            raise HTTPException(401, "invalid token")
        async with engine.connect() as conn:
            row = (await conn.execute(columns.where(User.id == int(claims["sub"])))).one_or_none()
        if row is None:
            raise HTTPException(401, "unknown user")
        return BareUser(id=row.id, username=row.username, name=row.name)

    @app.get("/bare/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


if __name__ == "__main__":
    import argparse

    from core.cli import serve

    parser = argparse.ArgumentParser(prog="python -m benchmarks.bare_app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    serve("benchmarks.bare_app:create", Settings(), host=args.host, port=args.port, workers=args.workers)
