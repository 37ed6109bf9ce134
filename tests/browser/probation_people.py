"""People of the last two stages for the probation pages' click tests, written into the browser
server's database (docs/testing.md): full members who vote, people at a reception or conversion
step, and a meeting's window moved by the test (never waited for)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import insert, select, update

from tests.activist_helpers import in_server_db, today
from tests.browser.harness import unique

RECEPTION_DATES = {"applied_at": 900, "activist_at": 700, "candidate_at": 300, "committee_reviewed_at": 40, "pre_reviewed_at": 30,
                   "form_submitted_at": 20}


async def _branch_of(session, username: str) -> int:
    from core.models import User

    return (await session.execute(select(User.party_branch_id).where(User.username == username))).scalar_one()


async def _users(session, admin: str, n: int, prefix: str, label: str, status: str, password_hash: str = ""):
    from core.models import Role, StudentProfile, User, UserRole

    branch = await _branch_of(session, admin)
    await session.execute(insert(User), [{"username": f"{prefix}{i:02d}", "name": f"{label}{prefix[-4:]}{i}", "password_hash": password_hash,
                                          "party_branch_id": branch, "student_no": f"{prefix}{i:02d}"} for i in range(n)])
    users = (await session.execute(select(User).where(User.username.like(f"{prefix}%")).order_by(User.id))).scalars().all()
    role = (await session.execute(select(Role.id).where(Role.key == "student"))).scalar_one()
    await session.execute(insert(UserRole), [{"user_id": u.id, "role_id": role} for u in users])
    await session.execute(insert(StudentProfile), [{"user_id": u.id, "complete": True, "birth_date": date(2002, 3, 1), "gender": "女",
                                                    "enrollment_date": date(2022, 9, 1), "political_status": status, "draft": {}}
                                                   for u in users])
    return users


def members(server, admin: str, n: int) -> list[tuple[int, str]]:
    """``n`` full members (中共党员) of ``admin``'s branch, who may vote: [(user id, name)]."""
    prefix = unique("dy")

    async def make(s):
        return [(u.id, u.name) for u in await _users(s, admin, n, prefix, "党员", "中共党员")]

    return in_server_db(server.data_dir, make)


def at_step(server, admin: str, n: int, stage: str, step: str, *, milestones: dict | None = None,
            status: str = "共青团员", can_login: bool = False) -> list[tuple[int, int, str]]:
    """``n`` people of ``admin``'s branch with records at ``stage``/``step`` (earlier dates in
    order, days before today; with ``can_login`` the demo password signs them in, see
    ``username``): [(user id, record id, name)]."""
    from core.security import hash_password
    from core.workflow.models import DevelopmentRecord
    from tests.browser.conftest import DEMO_PASSWORD

    prefix = unique("yb")
    dates = {k: (today() - timedelta(days=d)).isoformat() for k, d in RECEPTION_DATES.items()}
    dates.update(milestones or {})

    async def make(s):
        users = await _users(s, admin, n, prefix, "预备", status, hash_password(DEMO_PASSWORD, 4) if can_login else "")
        records = [DevelopmentRecord(user_id=u.id, stage=stage, step=step, milestones=dict(dates), warnings=[]) for u in users]
        s.add_all(records)
        await s.flush()
        return [(u.id, r.id, u.name) for u, r in zip(users, records)]

    return in_server_db(server.data_dir, make)


def username(server, user_id: int) -> str:
    from core.models import User

    async def read(s):
        return (await s.get(User, user_id)).username

    return in_server_db(server.data_dir, read)


def end_meeting(server, meeting_id: int) -> None:
    """The meeting is over, its sign-out window too, and it stays on today's local date."""
    from core import clock
    from core.workflow.models import Batch

    now = datetime.now(timezone.utc).replace(tzinfo=None)
    since_midnight = (now - clock.local_midnight(clock.local_today())).total_seconds() / 60
    start, end = (-180, -120) if since_midnight >= 181 else (-since_midnight, -min(0.1, since_midnight / 2))

    async def move(s):
        await s.execute(update(Batch).where(Batch.id == meeting_id).values(
            start_at=now + timedelta(minutes=start), end_at=now + timedelta(minutes=end)))

    in_server_db(server.data_dir, move)


def branch_id(server, admin: str) -> int:
    async def read(s):
        return await _branch_of(s, admin)

    return in_server_db(server.data_dir, read)


def meeting_ready_to_record(server, api, admin: str, vote: str, voters: list[int], present: list[int], people: list[int],
                            title: str) -> int:
    """A general meeting of ``admin``'s branch set up, published, held and its attendance confirmed
    through the API (``present`` 补录, the other voters 缺席): the 组织生活记录 is what is left."""
    base = "/api/pc/v1/development/org-life"
    now = datetime.now(timezone.utc)
    body = {"branch_id": branch_id(server, admin), "type": "general", "title": title, "place": "党员活动室", "scope": "branch",
            "start_at": (now - timedelta(minutes=10)).isoformat(), "end_at": (now + timedelta(minutes=50)).isoformat(),
            "has_vote": True, "vote": vote, "content": "讨论预备党员转正"}
    mid = api.post(base, body)["data"]["id"]
    api.put(f"{base}/{mid}/voters", {"user_ids": voters})
    api.put(f"{base}/{mid}/people", {"record_ids": people})
    api.post(f"{base}/{mid}/publish", {})
    end_meeting(server, mid)
    api.post(f"{base}/{mid}/attendance", {"user_ids": present, "action": "supplement"})
    api.post(f"{base}/{mid}/confirm-attendance", {})
    return mid
