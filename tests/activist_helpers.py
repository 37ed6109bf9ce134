"""Helpers for the activist stage tests: people who finished the applicant stage (records
waiting at the activist stage's first step), logged in; time moved by writing dates, never
waited for."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from pypdf import PdfReader
from sqlalchemy import insert, select, update

from tests.conftest import DEMO_PASSWORD, Api, login, unique

ACT = "/api/pc/v1/development/activists"
MP = "/api/mp/v1/development"
TRAINING = "/api/pc/v1/development/training"


def local_now() -> datetime:
    """The college's wall time (the app's default UTC+8), as people type times."""
    return (datetime.now(timezone.utc) + timedelta(hours=8)).replace(tzinfo=None, microsecond=0)


def today() -> date:
    return local_now().date()


def hours_ago_today(hours: float) -> datetime:
    """``hours`` before now in the college's wall time, but not before today's midnight: a
    meeting "held a few hours ago" then falls on today, like the dates the test types, even when
    the suite runs just after the local midnight."""
    now = local_now()
    return max(now - timedelta(hours=hours), datetime.combine(now.date(), datetime.min.time()))


@dataclass
class Person:
    user_id: int
    record_id: int
    name: str
    branch: str  # the branch admin's username
    api: Api


class Env:
    def __init__(self, client, app):
        self.c, self.app = client, app
        self.committee = login(client, "dangwei")
        self.admins = {name: login(client, name) for name in ("zhibu04", "zhibu05", "zhibu06")}

    def run(self, fn):
        async def go():
            async with self.app.state.db.sessionmaker() as s:
                result = await fn(s)
                await s.commit()
                return result
        return self.c.portal.call(go)

    def applicants(self, admin: str, n: int, *, applied: date | None = None, enrolled: date = date(2022, 9, 1),
                   step: str = "condition") -> list[Person]:
        """``n`` students of ``admin``'s branch who finished the applicant stage, at the activist stage."""
        from core.models import Role, StudentProfile, User, UserRole
        from core.security import hash_password
        from core.workflow.models import DevelopmentRecord

        branch_id = self.admins[admin].user["party_branch_id"]
        prefix = unique("a")
        applied = applied or today() - timedelta(days=700)

        async def make(s):
            hashed = hash_password(DEMO_PASSWORD, 4)
            await s.execute(insert(User), [{"username": f"{prefix}{i:03d}", "name": f"积极{prefix[-4:]}{i}", "password_hash": hashed,
                                            "party_branch_id": branch_id, "student_no": f"{prefix}{i:03d}"} for i in range(n)])
            users = (await s.execute(select(User).where(User.username.like(f"{prefix}%")).order_by(User.id))).scalars().all()
            role = (await s.execute(select(Role.id).where(Role.key == "student"))).scalar_one()
            await s.execute(insert(UserRole), [{"user_id": u.id, "role_id": role} for u in users])
            await s.execute(insert(StudentProfile), [
                {"user_id": u.id, "complete": True, "birth_date": date(2003, 5, 1), "gender": "女", "ethnicity": "汉族",
                 "grade": f"{enrolled.year}级", "enrollment_date": enrolled, "political_status": "共青团员", "draft": {}}
                for u in users])
            await s.execute(insert(DevelopmentRecord), [
                {"user_id": u.id, "stage": "activist", "step": step, "warnings": [],
                 "milestones": {"applied_at": applied.isoformat(), "talked_at": (applied + timedelta(days=10)).isoformat()}}
                for u in users])
            records = dict((await s.execute(select(DevelopmentRecord.user_id, DevelopmentRecord.id)
                                            .where(DevelopmentRecord.user_id.in_([u.id for u in users])))).all())
            return [(u.id, records[u.id], u.name, u.username) for u in users]
        return [Person(uid, rid, name, admin, login(self.c, username)) for uid, rid, name, username in self.run(make)]

    def records(self, people) -> dict:
        from core.workflow.models import DevelopmentRecord

        ids = [p.record_id if isinstance(p, Person) else p for p in people]

        async def read(s):
            return {r.id: r for r in (await s.execute(select(DevelopmentRecord).where(DevelopmentRecord.id.in_(ids)))).scalars()}
        return self.run(read)

    def where(self, people) -> dict[int, tuple[str, str, str]]:
        return {rid: (r.stage, r.step, r.failure_code or r.status) for rid, r in self.records(people).items()}

    def shift_batch(self, batch_id: int, days: int) -> None:
        """A publicity's period moved ``days`` into the past."""
        from core.workflow.models import Batch

        async def go(s):
            b = await s.get(Batch, batch_id)
            await s.execute(update(Batch).where(Batch.id == batch_id).values(start_at=b.start_at - timedelta(days=days),
                                                                               end_at=b.end_at - timedelta(days=days)))
        self.run(go)

    def shift_class(self, class_id: int, **deltas) -> None:
        from core.workflow.components.training_models import TrainingClass

        async def go(s):
            c = await s.get(TrainingClass, class_id)
            await s.execute(update(TrainingClass).where(TrainingClass.id == class_id).values(
                **{k: getattr(c, k) + d for k, d in deltas.items()}))
        self.run(go)

    def messages(self, user_id: int) -> list[tuple[str, str]]:
        from core.outbox import OutboxMessage

        async def read(s):
            return [(m.title, m.kind) for m in (await s.execute(
                select(OutboxMessage).where(OutboxMessage.recipient_id == user_id).order_by(OutboxMessage.id))).scalars()]
        return self.run(read)

    def member_of(self, admin: str) -> Api:
        """A formal party member of the branch (a contact), logged in."""
        options = self.admins[admin].get(f"{ACT}/contact/candidates").json()["data"]["options"]
        user = self.committee.get(f"/api/pc/v1/users/{options[0]['value']}").json()["data"]
        return login(self.c, user["username"])


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def upload(api: Api, png: bytes, name: str = "扫描件.png") -> str:
    r = api.post("/api/files", files={"file": (name, png, "image/png")})
    assert r.status_code == 200, r.text
    return r.json()["file"]["token"]


def ok(r, code: int = 200):
    assert r.status_code == code, r.text
    return r.json()


def in_server_db(data_dir, fn):
    """Run ``await fn(session)`` on a private server's database and commit, in an event loop of
    its own (Playwright's sync API holds the test thread's)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from core.db import Database
    from core.settings import Settings

    async def run():
        db = Database(Settings(data_dir=data_dir, env="test", database_url=""))
        try:
            async with db.sessionmaker() as s:
                result = await fn(s)
                await s.commit()
                return result
        finally:
            await db.engine.dispose()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(run())).result()


async def place_students(session, branch_id: int, n: int, step: str, *, prefix: str, milestones: dict | None = None,
                         with_tasks: bool = True, password_hash: str = "") -> list[tuple[int, int, str]]:
    """``n`` new students of the branch at activist/``step`` (with the step's tasks):
    [(user id, record id, name)]."""
    from core.models import Role, StudentProfile, User, UserRole, utcnow
    from core.workflow import tasks as task_store
    from core.workflow.models import DevelopmentRecord
    from plugins.dev_activist.stage import STAGE

    milestones = milestones or {"applied_at": (today() - timedelta(days=700)).isoformat(),
                                "activist_at": (today() - timedelta(days=400)).isoformat()}
    await session.execute(insert(User), [{"username": f"{prefix}{i:03d}", "name": f"界面{prefix[-4:]}{i}", "password_hash": password_hash,
                                          "party_branch_id": branch_id, "student_no": f"{prefix}{i:03d}"} for i in range(n)])
    users = (await session.execute(select(User).where(User.username.like(f"{prefix}%")).order_by(User.id))).scalars().all()
    role = (await session.execute(select(Role.id).where(Role.key == "student"))).scalar_one()
    await session.execute(insert(UserRole), [{"user_id": u.id, "role_id": role} for u in users])
    await session.execute(insert(StudentProfile), [{"user_id": u.id, "complete": True, "birth_date": date(2003, 5, 1), "gender": "男",
                                                    "enrollment_date": date(2022, 9, 1), "political_status": "共青团员",
                                                    "draft": {}} for u in users])
    records = [DevelopmentRecord(user_id=u.id, stage="activist", step=step, milestones=dict(milestones)) for u in users]
    session.add_all(records)
    await session.flush()
    if with_tasks:
        await task_store.create_for(session, records, "activist", next(x for x in STAGE.steps if x.key == step), utcnow())
    return [(u.id, r.id, u.name) for u, r in zip(users, records)]
