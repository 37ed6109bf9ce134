"""Message and to-do routes: mini-program (/api/mp/v1) and admin UI (/api/pc/v1).

A user only ever sees its own messages: another user's message id answers 404.
"""
from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import case, func, select, update

from core import outbox
from core.sdk import (ERROR_RESPONSES, Actor, CurrentActor, Envelope, LocalDateTime, Page, PagingDep, Requires,
                      SessionDep, User, count_of, fail, ok, raw_json, user_in_scope, utcnow)
from plugins.messaging.models import KIND_LABELS, Message, kind_label
from plugins.messaging.todos import TodoOut, collect_todos

DWELL_SECONDS = 60  # MSG-2: read after one minute on the linked page
DWELL_GAP_SECONDS = 45  # a longer silence means the user left the page
LIST_BODY_CHARS = 80  # lists show the start of the body; the detail shows all of it
KIND_FILTER = "类型：" + "、".join(f"{k} {v}" for k, v in KIND_LABELS.items()) + "；空为全部"

mp = APIRouter(prefix="/api/mp/v1", tags=["小程序-消息与待办"], responses=ERROR_RESPONSES)
pc = APIRouter(prefix="/api/pc/v1/messages", tags=["管理端-消息中心"], responses=ERROR_RESPONSES)


class MessageOut(BaseModel):
    id: int
    title: str = Field(description="标题")
    body: str = Field(description="内容（列表中只含前 80 个字）")
    kind: str = Field(description="类型代码：" + "、".join(KIND_LABELS) + "（未知类型按通知显示）")
    kind_label: str = Field(description="类型的中文名称")
    link: str = Field(description="相关页面的路径（可为空）")
    object_type: str = Field(description="所涉对象的类型（可为空）")
    object_id: int | None = Field(description="所涉对象的编号")
    created_at: LocalDateTime = Field(description="发送时间")
    read: bool = Field(description="已读")
    read_at: LocalDateTime | None = Field(description="阅读时间")


class MessagePage(Page[MessageOut]):
    unread: int = Field(description="未读消息总数")


class UnreadOut(BaseModel):
    unread: int = Field(description="未读消息数")


class MarkedOut(BaseModel):
    marked: int = Field(description="本次标为已读的条数")


class MarkedAll(MarkedOut):
    msg: str


class LatestOut(BaseModel):
    unread: int = Field(description="未读消息数")
    items: list[MessageOut] = Field(description="最新 5 条未读消息")


class DwellIn(BaseModel):
    link: str = Field(min_length=1, max_length=255, title="页面", description="当前停留的页面路径（消息的 link）")


class DwellOut(BaseModel):
    read: int = Field(description="本次满一分钟而标为已读的条数")
    waiting: int = Field(description="仍在计时的条数")


class UrgeIn(BaseModel):
    user_ids: list[int] = Field(min_length=1, max_length=2000, title="提醒对象")
    item_key: str = Field(min_length=1, max_length=120, title="提醒事项", description="同一事项在静默期内只提醒一次，如 report:2026-05:17")
    title: str = Field(min_length=1, max_length=200, title="标题")
    body: str = Field("", max_length=2000, title="内容")
    link: str = Field("", max_length=255, title="相关页面")


class UrgeOut(BaseModel):
    sent: list[int] = Field(description="已提醒的人")
    skipped: list[int] = Field(description="静默期内已提醒过、本次跳过的人")


def as_dict(m: Message, full: bool = True) -> MessageOut:
    return MessageOut(id=m.id, title=m.title, body=m.body if full else m.body[:LIST_BODY_CHARS], kind=m.kind,
                      kind_label=kind_label(m.kind), link=m.link, object_type=m.object_type, object_id=m.object_id,
                      created_at=m.created_at, read=m.read_at is not None, read_at=m.read_at)


async def _mine(session, actor: Actor, message_id: int) -> Message:
    m = await session.get(Message, message_id)
    if m is None or m.recipient_id != actor.id:
        raise fail(404, "消息不存在")
    return m


async def unread_count(session, user_id: int) -> int:
    return (await session.execute(select(func.count()).select_from(Message)
                                  .where(Message.recipient_id == user_id, Message.read_at.is_(None)))).scalar_one()


async def _list(session, actor: Actor, paging, unread_first: bool, unread_only: bool, kind: str, full: bool) -> MessagePage:
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
    return MessagePage(items=[as_dict(m, full) for m in rows], total=total, page=paging.page, per_page=paging.per_page,
                       unread=await unread_count(session, actor.id))


async def _mark_all(session, actor: Actor) -> int:
    res = await session.execute(update(Message).where(Message.recipient_id == actor.id, Message.read_at.is_(None))
                                .values(read_at=utcnow()).execution_options(synchronize_session=False))
    await session.commit()
    return res.rowcount or 0


async def _open(session, actor: Actor, message_id: int) -> MessageOut:
    m = await _mine(session, actor, message_id)
    if m.read_at is None:
        m.read_at = utcnow()
        await session.commit()
    return as_dict(m)


# --- mini-program ------------------------------------------------------------------------------

@mp.get("/messages", summary="我的消息（分页，可未读优先）", response_model=MessagePage)
async def mp_list(session: SessionDep, actor: Requires("mp.messages"), paging: PagingDep,
                  unread_first: bool = Query(False, title="未读优先"), unread_only: bool = Query(False, title="只看未读"),
                  kind: str = Query("", max_length=40, title="类型", description=KIND_FILTER)):
    return await _list(session, actor, paging, unread_first, unread_only, kind, full=False)


@mp.get("/messages/unread-count", summary="未读消息数", response_model=UnreadOut)
async def mp_unread(session: SessionDep, actor: Requires("mp.messages")):
    return UnreadOut(unread=await unread_count(session, actor.id))


@mp.post("/messages/read-all", summary="全部标为已读", response_model=MarkedAll)
async def mp_read_all(session: SessionDep, actor: Requires("mp.messages")):
    return MarkedAll(msg="已全部标为已读", marked=await _mark_all(session, actor))


@mp.get("/messages/{message_id}", summary="消息详情（打开即已读）", response_model=MessageOut)
async def mp_detail(message_id: int, session: SessionDep, actor: Requires("mp.messages")):
    return await _open(session, actor, message_id)


@mp.get("/todos", summary="待办事项（截止时间最早的在前，无期限的在后）", response_model=Page[TodoOut])
async def mp_todos(request: Request, session: SessionDep, actor: Requires("mp.todos"), paging: PagingDep):
    items = await collect_todos(request.app.state.plugins, session, actor)
    return raw_json(paging.page_of(items[paging.offset:paging.offset + paging.per_page], len(items)))


# --- admin UI -----------------------------------------------------------------------------------

@pc.get("", summary="我的消息（未读在前）", response_model=Envelope[MessagePage])
async def pc_list(session: SessionDep, actor: CurrentActor, paging: PagingDep,
                  unread_only: bool = Query(False, title="只看未读"),
                  kind: str = Query("", max_length=40, title="类型", description=KIND_FILTER)):
    return ok(await _list(session, actor, paging, True, unread_only, kind, full=True))


@pc.get("/latest", summary="顶栏：未读数与最新消息", response_model=Envelope[LatestOut])
async def pc_latest(session: SessionDep, actor: CurrentActor):
    rows = (await session.execute(select(Message).where(Message.recipient_id == actor.id, Message.read_at.is_(None))
                                  .order_by(Message.id.desc()).limit(5))).scalars()
    return ok(LatestOut(unread=await unread_count(session, actor.id), items=[as_dict(m, False) for m in rows]))


@pc.post("/read-all", summary="全部标为已读", response_model=Envelope[MarkedOut])
async def pc_read_all(session: SessionDep, actor: CurrentActor):
    return ok(MarkedOut(marked=await _mark_all(session, actor)), "已全部标为已读")


@pc.post("/dwell", summary="停留在关联页面（满一分钟即已读）", response_model=Envelope[DwellOut])
async def pc_dwell(body: DwellIn, session: SessionDep, actor: CurrentActor):
    now = utcnow()
    rows = list((await session.execute(select(Message).where(
        Message.recipient_id == actor.id, Message.read_at.is_(None), Message.link == body.link))).scalars())
    read = 0
    for m in rows:
        if m.seen_last is None or now - m.seen_last > timedelta(seconds=DWELL_GAP_SECONDS) or m.seen_from is None:
            m.seen_from = now
        m.seen_last = now
        if now - m.seen_from >= timedelta(seconds=DWELL_SECONDS):
            m.read_at = now
            read += 1
    await session.commit()
    return ok(DwellOut(read=read, waiting=len(rows) - read))


@pc.post("/urge", summary="催交提醒", response_model=Envelope[UrgeOut])
async def pc_urge(body: UrgeIn, request: Request, session: SessionDep, actor: Requires("msg.urge")):
    ids = list(dict.fromkeys(body.user_ids))
    item_key, title = body.item_key.strip(), body.title.strip()
    if not item_key:
        raise fail(422, "提醒事项不能为空", field="item_key", label="提醒事项")
    if not title:
        raise fail(422, "标题不能为空", field="title", label="标题")
    users = list((await session.execute(select(User).where(User.id.in_(ids), User.deleted_at.is_(None)))).scalars())
    if len(users) != len(ids) or not all(user_in_scope(actor, u) for u in users):
        raise fail(404, "用户不存在或无权查看")
    quiet = timedelta(hours=request.app.state.settings.urge_quiet_hours)
    result = await outbox.urge(session, ids, item_key, title, body.body, quiet=quiet, sender_id=actor.id, link=body.link)
    await session.commit()
    msg = f"已提醒 {len(result.sent)} 人" + (f"，{len(result.skipped)} 人近期已提醒过" if result.skipped else "")
    return ok(UrgeOut(sent=result.sent, skipped=result.skipped), msg)


@pc.get("/{message_id}", summary="消息详情（打开即已读）", response_model=Envelope[MessageOut])
async def pc_detail(message_id: int, session: SessionDep, actor: CurrentActor):
    return ok(await _open(session, actor, message_id))


@pc.post("/{message_id}/read", summary="标为已读", response_model=Envelope[MessageOut])
async def pc_read(message_id: int, session: SessionDep, actor: CurrentActor):
    return ok(await _open(session, actor, message_id), "已标为已读")
