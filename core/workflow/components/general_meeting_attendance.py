"""Attendance of a published meeting: the attendees' scans of the 签到码 / 签退码 (one UPDATE
per scan, the hot path of a meeting's first minutes), then the branch's 补录 and 请假 after
the meeting, and 确认参会名单 (everyone else is 缺席). Being signed in is attending; the
sign-out is recorded beside it. Also the to-dos of attendees and of the branch."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core import clock
from core.auth import Actor
from core.errors import fail
from core.models import User, utcnow
from core.workflow.components.general_meeting import KIND, MeetingAttendance, meeting_phase
from core.workflow.components.general_meeting_codes import KINDS, check_code, window, window_minutes
from core.workflow.kit import TodoItem, todo
from core.workflow import own_record
from core.workflow.models import Batch

MARKS = {"supplement": "补录", "leave": "请假"}


def _scan_statements() -> dict[str, object]:
    """The two UPDATEs of a scan, built once: the meeting's state and window are checked inside
    them, so a scan that succeeds is one statement (and one cache lookup, not a new cache key)."""
    a, b = MeetingAttendance.__table__, Batch.__table__
    is_open = exists().where(b.c.id == bindparam("mid"), b.c.kind == KIND, b.c.state == "published",
                             b.c.start_at <= bindparam("opens_by"), b.c.end_at > bindparam("closes_after"))
    mine = (a.c.batch_id == bindparam("mid"), a.c.user_id == bindparam("uid"), is_open)
    back = (a.c.status, a.c.signed_in_at, a.c.signed_out_at, a.c.supplemented, a.c.voter, a.c.note)
    return {
        "sign-in": update(a).where(*mine, a.c.signed_in_at.is_(None), a.c.status == "pending")
        .values(status="present", signed_in_at=bindparam("now"), updated_at=bindparam("now")).returning(*back),
        "sign-out": update(a).where(*mine, a.c.signed_in_at.is_not(None), a.c.signed_out_at.is_(None))
        .values(signed_out_at=bindparam("now"), updated_at=bindparam("now")).returning(*back),
    }


SCANS = _scan_statements()


async def sign(session: AsyncSession, settings, actor: Actor, meeting_id: int, kind: str, code: str,
               now: datetime | None = None) -> tuple[MeetingAttendance, bool]:
    """A scan: the code must be this meeting's, of this kind, unexpired; the meeting published and
    in the kind's window; the scanner an attendee; a sign-out needs a sign-in first. Answers the
    attendance and whether this scan changed it (a second scan of the same code changes nothing)."""
    now = now or utcnow()
    check_code(settings.secret_key, code, meeting_id, kind, now)
    early = timedelta(minutes=window_minutes(settings, "sign_in_early_minutes"))
    late = timedelta(minutes=window_minutes(settings, "sign_out_late_minutes"))
    bounds = {"opens_by": now + early, "closes_after": now} if kind == "sign-in" else {"opens_by": now, "closes_after": now - late}
    row = (await session.execute(SCANS[kind], {"mid": meeting_id, "uid": actor.id, "now": now, **bounds})).first()
    if row is not None:
        return MeetingAttendance(batch_id=meeting_id, user_id=actor.id, **row._mapping), True
    return await _why_not(session, settings, actor, meeting_id, kind, now), False


async def _why_not(session: AsyncSession, settings, actor: Actor, meeting_id: int, kind: str,
                   now: datetime) -> MeetingAttendance:
    """The scan changed nothing: refuse saying why, or answer the attendance already recorded."""
    label = KINDS[kind][1]
    b = await session.get(Batch, meeting_id)
    if b is None or b.kind != KIND or b.state == "draft":
        raise fail(404, "会议不存在")
    if b.state != "published":
        raise fail(409, f"会议已确认参会名单，不能再{label}")
    opens, closes = window(settings, kind, b.start_at, b.end_at)
    if now < opens:
        raise fail(409, f"尚未到{label}时间，请在{clock.fmt(opens)}后{label}")
    if now >= closes:
        raise fail(409, f"{label}码已过期", field="code", label=f"{label}码")
    mine = (await session.execute(select(MeetingAttendance).where(
        MeetingAttendance.batch_id == meeting_id, MeetingAttendance.user_id == actor.id))).scalar_one_or_none()
    if mine is None:
        raise fail(403, "您不在本次会议的参会名单中")
    if kind == "sign-out" and mine.signed_in_at is None:
        raise fail(409, "您尚未签到，不能签退")
    return mine  # signed in (or out) already: the same answer again


def _ended(b: Batch, now: datetime) -> None:
    phase = meeting_phase(b, now)
    if phase in ("draft", "upcoming", "running"):
        raise fail(409, "会议结束后才能补录、请假和确认参会名单")
    if phase != "ended":
        raise fail(409, "参会名单已确认，不能再修改")


async def mark(session: AsyncSession, actor: Actor, b: Batch, user_ids: list[int], action: str, note: str = "",
               now: datetime | None = None) -> int:
    """补录 (present, for those who attended without scanning) or 请假 (with a reason), after the meeting."""
    if action not in MARKS:
        raise fail(422, "请选择补录或请假", field="action", label="操作")
    _ended(b, now or utcnow())
    ids = list(dict.fromkeys(user_ids))
    if not ids:
        raise fail(422, "请选择人员", field="user_ids", label="人员")
    note = (note or "").strip()
    if action == "leave" and not note:
        raise fail(422, "请填写请假原因", field="note", label="请假原因")
    rows = {m.user_id: m for m in (await session.execute(select(MeetingAttendance).where(
        MeetingAttendance.batch_id == b.id, MeetingAttendance.user_id.in_(ids)))).scalars()}
    if len(rows) != len(ids):
        raise fail(422, "所选人员不在本次会议的参会名单中", field="user_ids", label="人员")
    if action == "leave":
        signed = [u for u, m in rows.items() if m.status == "present"]
        if signed:
            names = dict((await session.execute(select(User.id, User.name).where(User.id.in_(signed)))).all())
            raise fail(409, f"以下人员已参会，不能请假：{'、'.join(names[u] for u in signed)}")
    now = utcnow()
    values = ({"status": "present", "supplemented": True} if action == "supplement" else {"status": "leave", "note": note[:200]})
    cond = [MeetingAttendance.batch_id == b.id, MeetingAttendance.user_id.in_(ids)]
    if action == "supplement":
        cond.append(MeetingAttendance.status != "present")
    result = await session.execute(update(MeetingAttendance).where(*cond)
                                   .values(**values, updated_by=actor.id, updated_at=now)
                                   .execution_options(synchronize_session=False))
    return result.rowcount


async def confirm(session: AsyncSession, life, actor: Actor, b: Batch, now: datetime | None = None) -> dict[str, int]:
    """确认参会名单: everyone neither present nor on leave is absent; the list is fixed."""
    _ended(b, now or utcnow())
    stamp = utcnow()
    await session.execute(update(MeetingAttendance).where(MeetingAttendance.batch_id == b.id,
                                                          MeetingAttendance.status == "pending")
                          .values(status="absent", updated_by=actor.id, updated_at=stamp)
                          .execution_options(synchronize_session=False))
    counts = (await life.counts(session, [b.id])).get(b.id, {})
    await life.first.set_state(session, b, "published", "confirmed",
                               data={**b.data, "confirmed_at": clock.iso(stamp), "counts": counts})
    return counts


# The attendee's meetings, built once (a statement's cache key is computed once per object; the
# to-do list asks this of everyone on every request, issue 11).
_MINE = (select(Batch.id, Batch.title, Batch.start_at).join(MeetingAttendance, and_(
    MeetingAttendance.batch_id == Batch.id, MeetingAttendance.user_id == bindparam("user_id")))
    .where(Batch.kind == KIND, Batch.state == "published", Batch.end_at > bindparam("now")).order_by(Batch.start_at))


own_record.probe("meeting_attendance", lambda: exists().where(MeetingAttendance.user_id == bindparam("user_id")))


async def todo_items(session: AsyncSession, actor: Actor) -> list[TodoItem]:
    """Attendees: meetings to attend (until they end). The branch: meetings whose attendance
    waits for confirmation, and confirmed ones waiting for their record."""
    now = utcnow()
    items = []
    mine = []
    if await own_record.may_have(session, actor.id, "meeting_attendance"):
        mine = (await (await session.connection()).execute(_MINE, {"user_id": actor.id, "now": now})).all()
    items += [todo("attend_meeting", "参加组织生活", f"请参加{title}（{clock.fmt(start)}）", due_at=start, object_type="meeting",
                   object_id=mid, link=f"/mp/org-life/{mid}") for mid, title, start in mine]
    if actor.can("dev.org_life") and actor.scope in ("all", "branch"):
        from core.workflow.components.general_meeting_page import PAGE_URL

        scope = Batch.branch_id == actor.branch_id if actor.scope == "branch" else Batch.id.is_not(None)
        waiting = (await session.execute(
            select(Batch.id, Batch.title, Batch.state, Batch.end_at).where(
                Batch.kind == KIND, scope, ((Batch.state == "published") & (Batch.end_at <= now)) | (Batch.state == "confirmed"))
            .order_by(Batch.end_at))).all()
        for mid, title, state, end in waiting:
            kind, label, what = (("confirm_attendance", "确认参会名单", f"{title}已结束，请确认参会名单") if state == "published"
                                 else ("record_meeting", "填写组织生活记录", f"请填写{title}的组织生活记录"))
            items.append(todo(kind, label, what, due_at=end, object_type="meeting", object_id=mid, link=PAGE_URL))
    return items
