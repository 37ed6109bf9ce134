"""create_app(settings): load plugins → models → permissions → routes → admin pages → mount."""
from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy_database import AsyncDatabase
from starlette.staticfiles import StaticFiles

from core import auth_api, dashboard_api, dashboard_mobile, files, health, route_index
from core.admin_site import ASSET_PREFIX, XianfengSite
from core.db import Database
from core.errors import install_error_handlers
from core.headers import SecurityHeaders
from core.mobile.server import install as install_mobile
from core.permissions import PermissionRegistry
from core.plugins import Plugins
from core.seed import seed_all
from core.settings import Settings
from core.workflow import api as workflow_api
from core.workflow.admin import development_app
from core.workflow.engine import Engine
from core.workflow.kit import Kit, KitHooks
from core.workflow.stages import StageRegistry
from core.workflow.stranded import place_stranded
from pathlib import Path

LOCAL_STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    settings.ensure_dirs()
    plugins = Plugins(settings)
    plugins.models()
    engine = Engine(StageRegistry(plugins.collect("xf_stages"), plugins.collect("xf_extra_steps")), plugins, settings)
    kit = Kit(engine.registry)
    plugins.pm.register(KitHooks(kit), name="workflow_kit")
    registry = PermissionRegistry(plugins.collect("xf_permissions"))
    db = Database(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await db.upgrade(plugins)
        async with db.sessionmaker() as session:
            await seed_all(session, settings, plugins, registry)
        async with db.sessionmaker() as session:
            await place_stranded(engine, session)  # records whose step's plugin was enabled or disabled
            await session.commit()
        yield
        await db.dispose()

    app = FastAPI(title="先锋党建管理平台 API", version="0.1.0", lifespan=lifespan, docs_url="/docs", redoc_url=None)
    for state in (app.state,):
        state.settings, state.db, state.plugins, state.permissions = settings, db, plugins, registry
        state.engine, state.kit = engine, kit
    install_error_handlers(app)
    app.add_middleware(SecurityHeaders)
    app.include_router(auth_api.mp)
    app.include_router(auth_api.pc)
    app.include_router(files.router)
    app.include_router(health.router)
    app.include_router(workflow_api.pc)
    app.include_router(workflow_api.mp)
    app.include_router(dashboard_api.router)
    app.include_router(dashboard_mobile.router)
    for router in kit.routers() + plugins.collect("xf_api_routers"):
        app.include_router(router)

    site = XianfengSite(settings, AsyncDatabase(db.engine))
    site.fastapi.state.settings, site.fastapi.state.db, site.fastapi.state.permissions = settings, db, registry
    site.fastapi.state.plugins, site.fastapi.state.engine = plugins, engine
    install_error_handlers(site.fastapi)
    for admin_app in plugins.collect("xf_admin_apps"):
        site.register_admin(admin_app)
    development_pages = kit.pages() + plugins.collect("xf_development_pages")
    if development_pages:
        site.register_admin(development_app(development_pages))
    site.mount_app(app, enable_db_middleware=False, enable_exception_handlers=False)
    app.state.site = site
    install_mobile(app, plugins, settings)
    _mount_assets(app, settings)
    route_index.install(app.router)
    return app


def _mount_assets(app: FastAPI, settings: Settings) -> None:
    app.mount(f"{ASSET_PREFIX}/local", StaticFiles(directory=LOCAL_STATIC), name="assets-local")
    root = settings.assets_dir
    if root.is_dir():
        for pkg in sorted(p for p in root.iterdir() if p.is_dir()):
            app.mount(f"{ASSET_PREFIX}/{pkg.name}", StaticFiles(directory=pkg), name=f"assets-{pkg.name}")
