"""Message and to-do routes: mini-program (/api/mp/v1) and admin UI (/api/pc/v1).

A user only ever sees its own messages: another user's message id answers 404.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from fastapi import APIRouter, Body, Query, Request
from sqlalchemy import case, func, select, update

from core import clock, outbox
from core.auth import Actor, CurrentActor, Requires, user_in_scope
from core.db import SessionDep
from core.errors import fail
from core.models import User, utcnow
from core.responses import PagingDep, ok, raw_json, count_of
from plugins.messaging.models import Message, kind_label

DWELL_SECONDS = 60  # MSG-2: read after one minute on the linked page
DWELL_GAP_SECONDS = 45  # a longer silence means the user left the page

mp = APIRouter(prefix="/api/mp/v1", tags=["小程序-消息与待办"])
pc = APIRouter(prefix="/api/pc/v1/messages", tags=["管理端-消息中心"])


def _iso(t: datetime | None) -> str | None:
    return clock.iso(t)


def as_dict(m: Message, full: bool = True) -> dict:
    d = {"id": m.id, "title": m.title, "kind": m.kind, "kind_label": kind_label(m.kind), "link": m.link,
         "object_type": m.object_type, "object_id": m.object_id, "created_at": _iso(m.created_at),
         "read": m.read_at is not None, "read_at": _iso(m.read_at)}
    d["body"] = m.body if full else m.body[:80]
    return d


async def _mine(session, actor: Actor, message_id: int) -> Message:
    m = await session.get(Message, message_id)
    if m is None or m.recipient_id != actor.id:
        raise fail(404, "消息不存在")
    return m


async def unread_count(session, user_id: int) -> int:
    return (await session.execute(select(func.count()).select_from(Message)
                                  .where(Message.recipient_id == user_id, Message.read_at.is_(None)))).scalar_one()


async def _list(session, actor: Actor, paging, unread_first: bool, unread_only: bool, kind: str, full: bool) -> dict:
    q = select(Message).where(Message.recipient_id == actor.id)
    if unread_only:
        q = q.where(Message.read_at.is_(None))
    if kind:
        q = q.where(Message.kind == kind)
    total = await count_of(session, q)
    order = [Message.id.desc()]
    if unread_first:
        order.insert(0, case((Message.read_at.is_(None), 0), else_=1))
    rows = (await session.execute(q.order_by(*order).offset(paging.offset).limit(paging.per_page))).scalars()
    return {"items": [as_dict(m, full) for m in rows], "total": total, "unread": await unread_count(session, actor.id)}


async def _mark_all(session, actor: Actor) -> int:
    res = await session.execute(update(Message).where(Message.recipient_id == actor.id, Message.read_at.is_(None))
                                .values(read_at=utcnow()).execution_options(synchronize_session=False))
    await session.commit()
    return res.rowcount or 0


# --- mini-program ------------------------------------------------------------------------------

@mp.get("/messages", summary="我的消息（分页，可未读优先）")
async def mp_list(session: SessionDep, actor: Requires("mp.messages"), paging: PagingDep,
                  unread_first: bool = Query(False, title="未读优先"), unread_only: bool = Query(False, title="只看未读"),
                  kind: str = Query("", title="类型")):
    return await _list(session, actor, paging, unread_first, unread_only, kind, full=False)


@mp.get("/messages/unread-count", summary="未读消息数")
async def mp_unread(session: SessionDep, actor: Requires("mp.messages")):
    return {"unread": await unread_count(session, actor.id)}


@mp.post("/messages/read-all", summary="全部标为已读")
async def mp_read_all(session: SessionDep, actor: Requires("mp.messages")):
    return {"marked": await _mark_all(session, actor), "msg": "已全部标为已读"}


@mp.get("/messages/{message_id}", summary="消息详情（打开即已读）")
async def mp_detail(message_id: int, session: SessionDep, actor: Requires("mp.messages")):
    m = await _mine(session, actor, message_id)
    if m.read_at is None:
        m.read_at = utcnow()
        await session.commit()
    return as_dict(m)


async def collect_todos(request: Request, session, actor: Actor) -> list[dict]:
    items: list[dict] = []
    for coro in request.app.state.plugins.hook.xf_todo_items(session=session, actor=actor):
        items.extend((await coro) or [])
    out = []
    for it in items:
        due = it.get("due_at")
        out.append({"kind": it.get("kind", ""), "title": it.get("title", ""),
                    "due_at": _iso(due) if isinstance(due, datetime) else (due.isoformat() if isinstance(due, date) else due),
                    "object_type": it.get("object_type", ""), "object_id": it.get("object_id"),
                    "link": it.get("link", "")})
    out.sort(key=lambda x: (x["due_at"] is None, x["due_at"] or ""))
    return out


@mp.get("/todos", summary="待办事项")
async def mp_todos(request: Request, session: SessionDep, actor: Requires("mp.todos")):
    items = await collect_todos(request, session, actor)
    return raw_json({"items": items, "total": len(items)})


# --- admin UI -----------------------------------------------------------------------------------

@pc.get("", summary="我的消息")
async def pc_list(session: SessionDep, actor: CurrentActor, paging: PagingDep,
                  unread_only: bool = Query(False, title="只看未读"), kind: str = Query("", title="类型")):
    return ok(await _list(session, actor, paging, True, unread_only, kind, full=True))


@pc.get("/latest", summary="顶栏：未读数与最新消息")
async def pc_latest(session: SessionDep, actor: CurrentActor):
    rows = (await session.execute(select(Message).where(Message.recipient_id == actor.id, Message.read_at.is_(None))
                                  .order_by(Message.id.desc()).limit(5))).scalars()
    return ok({"unread": await unread_count(session, actor.id), "items": [as_dict(m, False) for m in rows]})


@pc.post("/read-all", summary="全部标为已读")
async def pc_read_all(session: SessionDep, actor: CurrentActor):
    return ok({"marked": await _mark_all(session, actor)}, "已全部标为已读")


@pc.post("/dwell", summary="停留在关联页面（满一分钟即已读）")
async def pc_dwell(session: SessionDep, actor: CurrentActor, link: str = Body(..., embed=True)):
    now = utcnow()
    rows = list((await session.execute(select(Message).where(
        Message.recipient_id == actor.id, Message.read_at.is_(None), Message.link == link))).scalars())
    read = 0
    for m in rows:
        if m.seen_last is None or now - m.seen_last > timedelta(seconds=DWELL_GAP_SECONDS) or m.seen_from is None:
            m.seen_from = now
        m.seen_last = now
        if now - m.seen_from >= timedelta(seconds=DWELL_SECONDS):
            m.read_at = now
            read += 1
    await session.commit()
    return ok({"read": read, "waiting": len(rows) - read})


@pc.post("/urge", summary="催交提醒")
async def pc_urge(request: Request, session: SessionDep, actor: Requires("msg.urge"), data: dict = Body(...)):
    try:
        ids = [int(x) for x in (data.get("user_ids") or [])]
    except (TypeError, ValueError):
        raise fail(422, "提醒对象格式不正确")
    item_key, title = str(data.get("item_key") or "").strip(), str(data.get("title") or "").strip()
    if not ids or not item_key or not title:
        raise fail(422, "请选择提醒对象并填写事项与标题")
    users = list((await session.execute(select(User).where(User.id.in_(ids), User.deleted_at.is_(None)))).scalars())
    if len(users) != len(set(ids)) or not all(user_in_scope(actor, u) for u in users):
        raise fail(404, "用户不存在或无权查看")
    quiet = timedelta(hours=request.app.state.settings.urge_quiet_hours)
    result = await outbox.urge(session, ids, item_key, title, str(data.get("body") or ""), quiet=quiet,
                               sender_id=actor.id, link=str(data.get("link") or ""))
    await session.commit()
    msg = f"已提醒 {len(result.sent)} 人" + (f"，{len(result.skipped)} 人近期已提醒过" if result.skipped else "")
    return ok({"sent": result.sent, "skipped": result.skipped}, msg)


@pc.get("/{message_id}", summary="消息详情（打开即已读）")
async def pc_detail(message_id: int, session: SessionDep, actor: CurrentActor):
    m = await _mine(session, actor, message_id)
    if m.read_at is None:
        m.read_at = utcnow()
        await session.commit()
    return ok(as_dict(m))


@pc.post("/{message_id}/read", summary="标为已读")
async def pc_read(message_id: int, session: SessionDep, actor: CurrentActor):
    m = await _mine(session, actor, message_id)
    if m.read_at is None:
        m.read_at = utcnow()
        await session.commit()
    return ok(as_dict(m), "已标为已读")
