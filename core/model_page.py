"""``model_page``: an admin list/form page and its typed PC CRUD routes, generated from a
plugin's plain SQLModel table, so an integrator writes no amis JSON and no CRUD routes.

    notes_api, NotesPage = model_page(InterviewNote, title="面谈记录", permission="interview.manage",
                                      owner=InterviewNote.user_id)

Labels come from each field's ``title`` (Chinese, as everywhere); request models keep the
table's types and lengths, so bad input gets the usual Chinese 422. ``owner`` names the
column holding the person a row is about: the list shows only rows of people in the
actor's scope, and a row about someone else answers 404, like every people query.
"""
from dataclasses import dataclass
from datetime import date, datetime
from types import UnionType
from typing import Any, Optional, Sequence, Union, get_args, get_origin

from annotated_types import MaxLen
from fastapi import APIRouter, Query, Request
from fastapi_amis_admin.amis.components import Page as AmisPage, PageSchema
from pydantic import Field, create_model
from sqlalchemy import select
from sqlmodel import SQLModel

from core.admin_site import XfPage
from core.amis_crud import ajax_button, crud, dialog_button, operations
from core.auth import CurrentActor, Requires, get_user_in_scope, scope_condition, user_in_scope
from core.clock import LocalDateTime
from core.db import SessionDep
from core.errors import fail
from core.models import User
from core.responses import Empty, Envelope, Option, Options, Page, PagingDep, count_of, ok


def _plain(annotation: Any) -> tuple[Any, bool]:
    """(the type inside Optional[...], whether None is allowed)."""
    if get_origin(annotation) in (Union, UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return (args[0] if len(args) == 1 else annotation), True
    return annotation, False


def _widget(name: str, label: str, kind: Any, max_length: int | None) -> dict:
    item: dict = {"name": name, "label": label}
    if kind is bool:
        return {**item, "type": "switch"}
    if kind in (int, float):
        return {**item, "type": "input-number"}
    if kind is date:
        return {**item, "type": "input-date", "format": "YYYY-MM-DD", "valueFormat": "YYYY-MM-DD"}
    if kind is datetime:
        return {**item, "type": "input-datetime", "format": "YYYY-MM-DDTHH:mm:ss"}
    return {**item, "type": "textarea" if max_length and max_length > 200 else "input-text"}


@dataclass
class ModelPage:
    """What ``model_page`` generates: register ``router`` with ``xf_api_routers`` and ``page`` with
    ``xf_development_pages`` (or an AdminApp); ``Out``/``In`` are the typed row and request models."""

    router: APIRouter
    page: type[XfPage]
    Out: type
    In: type
    mp_router: Optional[APIRouter] = None

    @property
    def url(self) -> str:
        """The page in the admin UI (a to-do item's link: ``/admin/#`` + url)."""
        return f"/admin/development/page{self.page.page_path}"

    @property
    def routers(self) -> list[APIRouter]:
        return [self.router] + ([self.mp_router] if self.mp_router else [])


def model_page(model: type[SQLModel], *, title: str, permission: str, path: str = "", fields: Sequence[str] | None = None,
               columns: Sequence[str] | None = None, owner: Any = None, mine: bool = False,
               icon: str = "fa fa-table") -> ModelPage:
    """The routes and page of ``model``: GET/POST ``/api/pc/v1/<path>``, PUT/DELETE ``.../{id}``,
    GET ``.../people`` (the owner choices), an XfPage at ``/admin/development/page/<path>`` and,
    with ``mine`` (needs ``owner``), ``GET /api/mp/v1/<path>``: the caller's own rows."""
    path = path or model.__tablename__.replace("_", "-")
    api = f"/api/pc/v1/{path}"
    infos = model.model_fields
    key = next((n for n, i in infos.items() if getattr(i, "primary_key", False) is True), "id")
    editable = list(fields or [n for n in infos if n != key and n not in ("created_at", "updated_at")])
    shown = list(columns or [key, *editable])
    owner_name = owner.key if owner is not None else None
    labels = {n: infos[n].title or infos[n].description or ("编号" if n == key else n) for n in infos}
    name = model.__name__

    def out_type(n: str):
        kind, optional = _plain(infos[n].annotation)
        kind = LocalDateTime if kind is datetime else kind
        return (Optional[kind], None) if optional or n == key else (kind, ...)

    def in_type(n: str):
        info = infos[n]
        kind, optional = _plain(info.annotation)
        limit = next((m.max_length for m in info.metadata if isinstance(m, MaxLen)), None)
        default = None if optional else (... if info.is_required() else info.default)
        return (Optional[kind] if optional else kind, Field(default, title=labels[n], max_length=limit) if limit else Field(default, title=labels[n]))

    Out = create_model(f"{name}Out", **{n: out_type(n) for n in shown if n in infos})
    In = create_model(f"{name}In", **{n: in_type(n) for n in editable})
    actor_ = Requires(permission)
    router = APIRouter(prefix=api, tags=[f"管理端-{title}"])

    async def load(session, actor, item_id: int):
        row = await session.get(model, item_id)
        if row is None or (owner is not None and not await _reaches(session, actor, getattr(row, owner_name))):
            raise fail(404, f"{title}不存在或无权查看")
        return row

    async def _reaches(session, actor, user_id) -> bool:
        user = await session.get(User, user_id)
        return user is not None and user.deleted_at is None and user_in_scope(actor, user)

    async def check_owner(session, actor, body) -> None:
        if owner is not None:
            await get_user_in_scope(session, actor, getattr(body, owner_name))

    @router.get("", response_model=Envelope[Page[Out]], summary=f"{title}列表")
    async def list_rows(session: SessionDep, actor: actor_, paging: PagingDep):
        q = select(model)
        if owner is not None:
            q = q.where(scope_condition(actor, user_id_col=owner))
        total = await count_of(session, q)
        rows = (await session.execute(q.order_by(getattr(model, key).desc()).offset(paging.offset).limit(paging.per_page))).scalars()
        return ok(paging.page_of([Out.model_validate(r, from_attributes=True) for r in rows], total))

    @router.post("", response_model=Envelope[Out], summary=f"新增{title}")
    async def create(body: In, session: SessionDep, actor: actor_):
        await check_owner(session, actor, body)
        row = model(**body.model_dump())
        session.add(row)
        await session.commit()
        return ok(Out.model_validate(row, from_attributes=True), "新增成功")

    @router.put("/{item_id:int}", response_model=Envelope[Out], summary=f"修改{title}")
    async def update(item_id: int, body: In, session: SessionDep, actor: actor_):
        row = await load(session, actor, item_id)
        await check_owner(session, actor, body)
        for k, v in body.model_dump().items():
            setattr(row, k, v)
        await session.commit()
        return ok(Out.model_validate(row, from_attributes=True), "保存成功")

    @router.delete("/{item_id:int}", response_model=Envelope[Empty], summary=f"删除{title}")
    async def delete(item_id: int, session: SessionDep, actor: actor_):
        await session.delete(await load(session, actor, item_id))
        await session.commit()
        return ok(None, "删除成功")

    if owner is not None:
        @router.get("/people", response_model=Envelope[Options], summary=f"{labels[owner_name]}可选人员")
        async def people(session: SessionDep, actor: actor_, keyword: str = Query("", max_length=64, title="姓名或学号")):
            q = select(User).where(User.deleted_at.is_(None), User.student_no.is_not(None), scope_condition(actor))
            if keyword:
                q = q.where(User.name.contains(keyword) | User.student_no.contains(keyword))
            users = (await session.execute(q.order_by(User.student_no).limit(200))).scalars()
            return ok({"options": [Option(label=f"{u.name}（{u.student_no}）", value=u.id) for u in users]})

    mp_router = None
    if mine and owner is not None:
        mp_router = APIRouter(prefix=f"/api/mp/v1/{path}", tags=[f"小程序-{title}"])

        @mp_router.get("", response_model=Page[Out], summary=f"我的{title}")
        async def my_rows(session: SessionDep, actor: CurrentActor, paging: PagingDep):
            q = select(model).where(owner == actor.id)
            rows = (await session.execute(q.order_by(getattr(model, key).desc()).offset(paging.offset)
                                          .limit(paging.per_page))).scalars()
            return paging.page_of([Out.model_validate(r, from_attributes=True) for r in rows], await count_of(session, q))

    def form() -> list[dict]:
        items = []
        for n in editable:
            kind, optional = _plain(infos[n].annotation)
            limit = next((m.max_length for m in infos[n].metadata if isinstance(m, MaxLen)), None)
            item = _widget(n, labels[n], kind, limit)
            if n == owner_name:
                item = {"type": "select", "name": n, "label": labels[n], "searchable": True, "source": f"get:{api}/people"}
            items.append({**item, "required": not optional and in_type(n)[1].default is ...})
        return items

    class GeneratedPage(XfPage):
        page_schema = PageSchema(label=title, icon=icon)
        page_path = f"/{path}"

        async def get_page(self, request: Request) -> AmisPage:
            cols = [{"name": n, "label": labels.get(n, n)} for n in shown]
            cols.append(operations(
                dialog_button("编辑", f"编辑{title}", form(), f"put:{api}/${{{key}}}", level="link"),
                ajax_button("删除", f"delete:{api}/${{{key}}}", f"确定删除这条{title}？")))
            header = [dialog_button(f"新增{title}", f"新增{title}", form(), f"post:{api}", icon="fa fa-plus")]
            return AmisPage(title=title, body=crud(f"get:{api}", cols, header=header))

    GeneratedPage.permission = permission  # set after the class: its body cannot read the argument of the same name
    GeneratedPage.__name__ = GeneratedPage.__qualname__ = f"{name}Page"
    return ModelPage(router, GeneratedPage, Out, In, mp_router)
