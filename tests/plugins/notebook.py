"""A throwaway third-party plugin: adds a model, an admin page, a route and a permission
through hooks only (loaded with settings.plugins.extra in tests)."""
from typing import Optional

from fastapi import APIRouter, Request
from fastapi_amis_admin.amis.components import Page, PageSchema
from sqlalchemy import select
from sqlmodel import Field, SQLModel

from core.admin_site import XfApp, XfPage
from core.auth import Requires
from core.db import SessionDep
from core.hookspecs import hookimpl
from core.permissions import Permission

MANIFEST = {"name": "notebook", "version": "9.9.9", "depends": ["user_mgmt"], "title": "笔记本"}


class Note(SQLModel, table=True):
    __tablename__ = "tp_note"
    id: Optional[int] = Field(default=None, primary_key=True)
    text: str = Field(max_length=200)


router = APIRouter(prefix="/api/pc/v1/notebook", tags=["笔记本"])


@router.post("/notes")
async def add_note(body: dict, session: SessionDep, actor: Requires("notebook.write")):
    session.add(Note(text=str(body.get("text", ""))))
    await session.commit()
    rows = (await session.execute(select(Note.text))).scalars().all()
    return {"status": 0, "msg": "", "data": {"notes": rows}}


class NotePage(XfPage):
    page_schema = PageSchema(label="笔记列表", icon="fa fa-book")
    page_path = "/notes"
    permission = "notebook.write"

    async def get_page(self, request: Request) -> Page:
        return Page(title="笔记列表", body="笔记")


class NotebookApp(XfApp):
    page_schema = PageSchema(label="笔记本", icon="fa fa-book")
    router_prefix = "/notebook"

    def __init__(self, app):
        super().__init__(app)
        self.register_admin(NotePage)


SEEN: dict = {"seed": 0, "placed": [], "demo": 0}


@hookimpl
def xf_models():
    return [Note]


@hookimpl
def xf_migrations():
    from pathlib import Path

    return [Path(__file__).parent / "notebook_migrations"]


@hookimpl
def xf_permissions():
    return [Permission("notebook.write", "笔记本-写入", "pc", None, ("committee",))]


@hookimpl
def xf_api_routers():
    return [router]


@hookimpl
def xf_admin_apps():
    return [NotebookApp]


@hookimpl
async def xf_seed(session, settings):
    SEEN["seed"] += 1


@hookimpl
async def xf_user_placed(session, user_ids):
    SEEN["placed"].extend(user_ids)
