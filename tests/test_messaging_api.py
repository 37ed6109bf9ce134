"""Messages, to-do list, reminders and timers without Redis: rows are delivered by calling
the core delivery pass directly (the worker tests run the same pass through arq)."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from core import outbox, timers
from core.hookspecs import hookimpl
from core.models import utcnow
from core.todos import TodoItems
from plugins.messaging.channels import InAppChannel
from plugins.messaging.models import Message
from tests.conftest import unique


def in_db(client, fn):
    async def go():
        async with client.app.state.db.sessionmaker() as session:
            return await fn(session)

    return client.portal.call(go)


def deliver(client) -> dict:
    return client.portal.call(lambda: outbox.deliver_pending(client.app.state.db.sessionmaker, [InAppChannel()]))


def send(client, user_ids, title, **kw) -> None:
    async def go(session):
        await outbox.notify(session, user_ids, title, kw.pop("body", "内容"), **kw)
        await session.commit()

    in_db(client, go)
    deliver(client)


def my_messages(api, **params) -> dict:
    r = api.get("/api/mp/v1/messages", params={"per_page": 100, **params})
    assert r.status_code == 200, r.text
    return r.json()


def test_user_reads_only_own_messages_and_others_answer_404(client, student_a, student_a2):
    title = unique("私信")
    send(client, [student_a.user["id"]], title)
    mine = [m for m in my_messages(student_a)["items"] if m["title"] == title]
    assert len(mine) == 1
    assert not any(m["title"] == title for m in my_messages(student_a2)["items"])
    mid = mine[0]["id"]
    for path in (f"/api/mp/v1/messages/{mid}", f"/api/pc/v1/messages/{mid}"):
        r = student_a2.get(path)
        assert r.status_code == 404 and r.json()["msg"] == "消息不存在"
    assert student_a2.post(f"/api/pc/v1/messages/{mid}/read").status_code == 404
    assert student_a.get(f"/api/mp/v1/messages/{mid}").json()["read"] is True
    assert student_a2.get("/api/mp/v1/messages/999999999").status_code == 404


def test_list_unread_first_detail_marks_read_and_read_all(client, student_a2):
    uid = student_a2.user["id"]
    student_a2.post("/api/mp/v1/messages/read-all")
    first, second = unique("旧"), unique("新")
    send(client, [uid], first)
    send(client, [uid], second)
    assert student_a2.get("/api/mp/v1/messages/unread-count").json()["unread"] == 2
    items = my_messages(student_a2)["items"]
    assert [m["title"] for m in items[:2]] == [second, first]  # newest first
    old_id = items[1]["id"]
    detail = student_a2.get(f"/api/mp/v1/messages/{old_id}").json()
    assert detail["read"] is True and detail["body"] == "内容"
    send(client, [uid], unique("再新"))
    ordered = my_messages(student_a2, unread_first=True)["items"]
    assert [m["read"] for m in ordered[:2]] == [False, False] and ordered[2]["id"] == old_id
    paged = my_messages(student_a2, per_page=1, page=2)
    assert len(paged["items"]) == 1 and paged["total"] >= 3
    assert [m["title"] for m in my_messages(student_a2, unread_only=True)["items"]][-1] == second
    r = student_a2.post("/api/mp/v1/messages/read-all")
    assert r.json()["marked"] == 2
    assert student_a2.get("/api/mp/v1/messages/unread-count").json()["unread"] == 0


def test_same_dedupe_key_shows_once(client, student_a):
    key, title = unique("k"), unique("重复")
    send(client, [student_a.user["id"], student_a.user["id"]], title, dedupe_key=key)
    send(client, [student_a.user["id"]], title, dedupe_key=key)
    assert [m["title"] for m in my_messages(student_a)["items"]].count(title) == 1


def test_pc_latest_list_and_mark_read(client, branch_a):
    title = unique("支部消息")
    send(client, [branch_a.user["id"]], title, link="/admin/org_mgmt/page/members", kind="approval")
    latest = branch_a.get("/api/pc/v1/messages/latest").json()["data"]
    assert latest["unread"] >= 1 and latest["items"][0]["title"] == title
    listed = branch_a.get("/api/pc/v1/messages", params={"unread_only": True}).json()["data"]
    row = next(m for m in listed["items"] if m["title"] == title)
    assert row["kind_label"] == "审批" and row["read"] is False
    assert branch_a.post(f"/api/pc/v1/messages/{row['id']}/read").json()["data"]["read"] is True
    assert all(m["title"] != title for m in branch_a.get("/api/pc/v1/messages/latest").json()["data"]["items"])


def test_message_read_after_one_minute_on_the_linked_page(client, student_a):
    link = "/admin/" + unique("page")
    title = unique("停留")
    send(client, [student_a.user["id"]], title, link=link)
    r = student_a.post("/api/pc/v1/messages/dwell", json={"link": link})
    assert r.json()["data"] == {"read": 0, "waiting": 1}

    async def age(session, from_s, last_s):
        m = (await session.execute(select(Message).where(Message.title == title))).scalar_one()
        m.seen_from, m.seen_last = utcnow() - timedelta(seconds=from_s), utcnow() - timedelta(seconds=last_s)
        await session.commit()

    in_db(client, lambda s: age(s, 300, 300))  # left the page long ago: the minute starts again
    assert student_a.post("/api/pc/v1/messages/dwell", json={"link": link}).json()["data"]["read"] == 0
    in_db(client, lambda s: age(s, 61, 20))  # stayed on the page for a minute
    assert student_a.post("/api/pc/v1/messages/dwell", json={"link": link}).json()["data"]["read"] == 1
    assert next(m for m in my_messages(student_a)["items"] if m["title"] == title)["read"] is True


def test_urge_twice_within_quiet_period_sends_once(client, branch_a, student_a, student_a2):
    item, title = unique("report:"), unique("请上传思想汇报")
    ids = [student_a.user["id"], student_a2.user["id"]]
    r = branch_a.post("/api/pc/v1/messages/urge", json={"user_ids": ids[:1], "item_key": item, "title": title})
    assert r.status_code == 200 and r.json()["data"] == {"sent": ids[:1], "skipped": []}
    r = branch_a.post("/api/pc/v1/messages/urge", json={"user_ids": ids, "item_key": item, "title": title})
    assert r.json()["data"] == {"sent": ids[1:], "skipped": ids[:1]}
    assert "近期已提醒过" in r.json()["msg"]
    deliver(client)
    assert [m["title"] for m in my_messages(student_a)["items"]].count(title) == 1
    assert [m["title"] for m in my_messages(student_a2)["items"]].count(title) == 1

    async def log_count(session):
        return (await session.execute(select(func.count()).select_from(outbox.UrgeLog)
                                      .where(outbox.UrgeLog.item_key == item))).scalar_one()

    assert in_db(client, log_count) == 2


def test_urge_again_after_quiet_period_and_rights(client, branch_a, branch_b, student_a, committee):
    item = unique("talk:")
    uid = student_a.user["id"]

    async def go(session):
        first = await outbox.urge(session, [uid], item, "请安排谈话", quiet=timedelta(hours=1), now=utcnow() - timedelta(hours=2))
        again = await outbox.urge(session, [uid], item, "请安排谈话", quiet=timedelta(hours=1))
        once_more = await outbox.urge(session, [uid], item, "请安排谈话", quiet=timedelta(hours=1))
        await session.rollback()
        return first.sent, again.sent, once_more.skipped

    assert in_db(client, go) == ([uid], [uid], [uid])
    # another branch's admin may not urge this student; a student may not urge at all
    r = branch_b.post("/api/pc/v1/messages/urge", json={"user_ids": [uid], "item_key": item, "title": "x"})
    assert r.status_code == 404
    assert student_a.post("/api/pc/v1/messages/urge", json={"user_ids": [uid], "item_key": item, "title": "x"}).status_code == 403
    assert committee.post("/api/pc/v1/messages/urge", json={"user_ids": [], "item_key": item, "title": "x"}).status_code == 422


class TodoPlugin:
    """Test to-dos (object_type "xf_test"); other plugins may add their own for the same user."""

    @hookimpl
    async def xf_todo_items(self, session, actor):
        if "student" not in actor.role_keys:
            return []
        return [{"kind": "report", "title": "上传思想汇报", "due_at": datetime(2030, 1, 1), "object_type": "xf_test", "object_id": 7},
                {"kind": "talk", "title": "安排谈话", "due_at": None, "object_type": "xf_test", "link": "/admin/x"},
                {"kind": "recommend", "kind_label": "推优", "title": "推优", "due_at": datetime(2029, 6, 1),
                 "object_type": "xf_test", "object_id": 3}]


def test_hook_xf_todo_items(client, student_a, branch_a):
    pm = client.app.state.plugins.pm
    pm.register(TodoPlugin(), name="test_todos")
    try:
        data = student_a.get("/api/mp/v1/todos", params={"per_page": 500}).json()
        assert data["total"] == len(data["items"]) >= 3 and (data["page"], data["per_page"]) == (1, 500)
        mine = [t for t in data["items"] if t["object_type"] == "xf_test"]
        assert [t["title"] for t in mine] == ["推优", "上传思想汇报", "安排谈话"]  # soonest due first, undated last
        assert mine[0] == {"kind": "recommend", "kind_label": "推优", "title": "推优", "due_at": "2029-06-01T08:00:00+08:00",
                           "object_type": "xf_test", "object_id": 3, "link": ""}
        assert mine[1]["kind_label"] == "待办"  # no label given: never the raw code
        first = student_a.get("/api/mp/v1/todos", params={"per_page": 1}).json()
        second = student_a.get("/api/mp/v1/todos", params={"per_page": 1, "page": 2}).json()
        assert first["total"] == second["total"] == data["total"] and len(first["items"]) == 1
        assert [first["items"][0], second["items"][0]] == data["items"][:2]
        dues = [t["due_at"] for t in data["items"]]
        dated = [d for d in dues if d is not None]
        assert dated == sorted(dated) and dues[:len(dated)] == dated
        others = branch_a.get("/api/mp/v1/todos").json()["items"]
        assert not [t for t in others if t["object_type"] == "xf_test"]
    finally:
        pm.unregister(name="test_todos")


class PagedTodoPlugin:
    """1,000 dated to-dos for students, of which it returns only the ``limit`` soonest."""

    asked: list[int] = []

    @hookimpl
    async def xf_todo_items(self, session, actor, limit):
        if "student" not in actor.role_keys:
            return []
        self.asked.append(limit)
        every = [{"kind": "report", "kind_label": "思想汇报", "title": f"第{i}份", "due_at": datetime(2031, 1, 1) + timedelta(hours=i),
                  "object_type": "xf_paged", "object_id": i} for i in range(1000)]
        return TodoItems(every[:limit], total=len(every))


def test_todo_list_asks_plugins_for_the_page_end_only(client, student_a):
    pm = client.app.state.plugins.pm
    plugin = PagedTodoPlugin()
    pm.register(plugin, name="test_paged_todos")
    pm.register(TodoPlugin(), name="test_todos")  # a plugin that returns everything, without limit
    try:
        plugin.asked.clear()
        data = student_a.get("/api/mp/v1/todos", params={"page": 3, "per_page": 20}).json()
        assert plugin.asked == [60]
        everything = student_a.get("/api/mp/v1/todos", params={"per_page": 500, "page": 3}).json()
        assert data["total"] == everything["total"] >= 1003
        whole = []
        for page in range(1, -(-data["total"] // 500) + 1):
            whole += student_a.get("/api/mp/v1/todos", params={"per_page": 500, "page": page}).json()["items"]
        assert len(whole) == data["total"]
        assert data["items"] == whole[40:60]
        mine = [t for t in whole if t["object_type"] in ("xf_paged", "xf_test")]
        assert [t["title"] for t in mine[:2]] == ["推优", "上传思想汇报"]  # 2029 and 2030 come before 2031
        assert mine[2]["title"] == "第0份" and mine[-1]["title"] == "安排谈话"  # undated last
    finally:
        pm.unregister(name="test_paged_todos")
        pm.unregister(name="test_todos")


def test_hook_xf_admin_header(app, committee):
    items = app.state.plugins.collect("xf_admin_header")
    bell = next(i for i in items if i.get("id") == "xf-msg-bell")
    assert bell["api"] == "get:/api/pc/v1/messages/latest" and bell["body"]["badge"]["text"] == "${unread}"
    assert committee.get("/api/pc/v1/messages/latest").json()["data"].keys() == {"unread", "items"}


def test_message_list_admin_page(committee):
    r = committee.post("/admin/messaging/page/messages")
    assert r.status_code == 200, r.text
    page = r.json()["data"]
    assert page["title"] == "我的消息" and page["body"]["api"] == "get:/api/pc/v1/messages"


def test_timers_schedule_move_cancel_and_fire(client):
    ref_a, ref_b, ref_c = unique("pub:"), unique("pub:"), unique("pub:")
    calls: list = []

    async def job(ctx, object_ref, payload):
        if payload.get("fail"):
            raise RuntimeError("boom")
        calls.append((object_ref, payload))

    async def setup(session):
        past, future = utcnow() - timedelta(seconds=1), utcnow() + timedelta(hours=1)
        await timers.schedule(session, "t_job", ref_a, future, {"n": 1})
        await timers.schedule(session, "t_job", ref_a, future + timedelta(hours=1), {"n": 2})  # same object: moved
        await timers.schedule(session, "t_job", ref_b, future)
        await timers.schedule(session, "t_job", ref_c, past, {"fail": True})
        assert await timers.move(session, "t_job", ref_b, past) == 1
        await session.commit()
        mine = [t for t in await timers.pending(session, "t_job") if t.object_ref in (ref_a, ref_b, ref_c)]
        return {t.object_ref: (t.run_at, t.payload) for t in mine}

    state = in_db(client, setup)
    assert len(state) == 3 and state[ref_a][1] == {"n": 2}
    stats = client.portal.call(lambda: timers.fire_due(client.app.state.db.sessionmaker, {"t_job": job}, {}))
    assert (ref_b, {}) in calls and all(c[0] != ref_a for c in calls)
    assert stats["retrying"] >= 1

    async def after(session):
        rows = {t.object_ref: t for t in (await session.execute(
            select(timers.Timer).where(timers.Timer.object_ref.in_([ref_a, ref_b, ref_c])))).scalars()}
        cancelled = await timers.cancel(session, "t_job", ref_a)
        await timers.cancel(session, "t_job", ref_c)
        await session.commit()
        return rows, cancelled

    rows, cancelled = in_db(client, after)
    assert rows[ref_b].status == "done" and rows[ref_b].fired_at is not None
    assert rows[ref_c].status == "pending" and rows[ref_c].attempts == 1 and "boom" in rows[ref_c].last_error
    assert rows[ref_c].next_attempt_at > utcnow()  # backed off
    assert cancelled == 1
    assert not [t for t in in_db(client, lambda s: timers.pending(s, "t_job", ref_a))]


def test_no_channel_keeps_messages_pending(client, student_a):
    title = unique("无渠道")

    async def go(session):
        await outbox.notify(session, [student_a.user["id"]], title)
        await session.commit()

    in_db(client, go)
    stats = client.portal.call(lambda: outbox.deliver_pending(client.app.state.db.sessionmaker, []))
    assert stats == {"delivered": 0, "retrying": 0, "failed": 0}

    async def status(session):
        return (await session.execute(select(outbox.OutboxMessage.status).where(outbox.OutboxMessage.title == title))).scalar_one()

    assert in_db(client, status) == "pending"
    deliver(client)
    assert in_db(client, status) == "done"
