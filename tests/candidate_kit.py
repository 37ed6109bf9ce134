"""Helpers of the tests of the symposium, committee meeting and political review components
against tests/plugins/candidate_kit_stage.py (its own app and SQLite file per test module)."""
from __future__ import annotations

import contextlib
from datetime import date, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import insert, select, update

from core.models import Role, StudentProfile, User, UserRole, utcnow
from core.plugins import discover
from core.settings import PluginSettings
from core.workflow.models import Batch, DevelopmentEvent, DevelopmentRecord, Document, Task
from tests.conftest import Api, login, make_settings, unique
from tests.plugins.candidate_kit_stage import API

STAGE = "candidate"


def stage_owners(tmp, stage: str) -> list[str]:
    """Installed plugins declaring ``stage`` (the throwaway one borrows it), with their dependents."""
    found = {p.name: p for p in discover(make_settings(tmp))}
    off = {n for n, p in found.items() if any(s.key == stage for s in (getattr(p.module, "xf_stages", lambda: [])() or []))}
    while True:
        more = {n for n, p in found.items() if set(p.depends) & off} - off
        if not more:
            return sorted(off)
        off |= more


@contextlib.contextmanager
def kit_app(tmp, students: int = 20, **overrides):
    from core.app import create_app
    from core.demo import DemoContext, run_demo

    settings = make_settings(tmp, database_url=f"sqlite+aiosqlite:///{tmp / 'kit.db'}",
                             plugins=PluginSettings(extra=["tests.plugins.candidate_kit_stage"],
                                                    disabled=stage_owners(tmp, STAGE)), **overrides)
    app = create_app(settings)
    with TestClient(app) as client:
        async def demo():
            async with app.state.db.sessionmaker() as s:
                await run_demo(s, settings, app.state.plugins, DemoContext(students=students, password="Demo@2026x"))
        client.portal.call(demo)
        yield Env(client, app)


class Env:
    def __init__(self, client: TestClient, app):
        self.c, self.app = client, app
        self.committee = login(client, "dangwei")
        self.branch = login(client, "zhibu04")
        self.other = login(client, "zhibu05")
        self.anonymous = Api(client, None)

    def run(self, fn):
        async def go():
            async with self.app.state.db.sessionmaker() as s:
                result = await fn(s)
                await s.commit()
                return result
        return self.c.portal.call(go)

    def people(self, n: int, step: str, *, api: Api | None = None, milestones: dict | None = None, tasks: bool = True,
               password: str = "") -> list[dict]:
        """``n`` students of ``api``'s branch (default branch A) with records at ``step`` (and the
        step's tasks): [{user_id, record_id, name, student_no, username}]."""
        branch_id = (api or self.branch).user["party_branch_id"]
        prefix = unique("k")
        engine = self.app.state.engine

        async def make(s):
            from core.security import hash_password

            pw = hash_password(password, 4) if password else ""
            await s.execute(insert(User), [{"username": f"{prefix}{i:03d}", "name": f"学生{prefix[-4:]}{i}",
                                            "password_hash": pw, "party_branch_id": branch_id,
                                            "student_no": f"2026{prefix[-5:]}{i:03d}"} for i in range(n)])
            users = (await s.execute(select(User).where(User.username.like(f"{prefix}%")).order_by(User.id))).scalars().all()
            role = (await s.execute(select(Role.id).where(Role.key == "student"))).scalar_one()
            await s.execute(insert(UserRole), [{"user_id": u.id, "role_id": role} for u in users])
            await s.execute(insert(StudentProfile), [{"user_id": u.id, "complete": True, "birth_date": date(2003, 5, 1),
                                                      "gender": "女", "ethnicity": "汉族", "political_status": "共青团员",
                                                      "draft": {}} for u in users])
            records = [DevelopmentRecord(user_id=u.id, stage=STAGE, step=step, milestones=milestones or {}) for u in users]
            s.add_all(records)
            await s.flush()
            if tasks:
                from core.workflow import tasks as task_store

                await task_store.create_for(s, records, STAGE, engine.registry.step(STAGE, step), utcnow())
            by_user = {r.user_id: r.id for r in records}
            return [{"user_id": u.id, "record_id": by_user[u.id], "name": u.name, "student_no": u.student_no,
                     "username": u.username} for u in users]
        return self.run(make)

    def login(self, person: dict, password: str) -> Api:
        return login(self.c, person["username"], password)

    def record(self, record_id: int) -> DevelopmentRecord:
        async def read(s):
            return await s.get(DevelopmentRecord, record_id)
        return self.run(read)

    def tasks(self, record_id: int) -> dict[str, str]:
        async def read(s):
            return {t.key: t.status for t in (await s.execute(select(Task).where(Task.record_id == record_id))).scalars()}
        return self.run(read)

    def documents(self, record_id: int) -> list[Document]:
        async def read(s):
            return list((await s.execute(select(Document).where(Document.record_id == record_id)
                                         .order_by(Document.id))).scalars())
        return self.run(read)

    def events(self, record_id: int) -> list[str]:
        async def read(s):
            return [e.title for e in (await s.execute(select(DevelopmentEvent).where(DevelopmentEvent.record_id == record_id)
                                                      .order_by(DevelopmentEvent.id))).scalars()]
        return self.run(read)

    def move_batch_time(self, batch_id: int, when: datetime) -> None:
        async def move(s):
            await s.execute(update(Batch).where(Batch.id == batch_id).values(start_at=when))
        self.run(move)

    def messages(self, user_id: int) -> list[tuple[str, str, str]]:
        from core.outbox import OutboxMessage

        async def read(s):
            return [(m.title, m.body, m.kind) for m in (await s.execute(
                select(OutboxMessage).where(OutboxMessage.recipient_id == user_id).order_by(OutboxMessage.id))).scalars()]
        return self.run(read)


def local_now() -> datetime:
    """Now as the college's wall time (naive), as a person types it into a form."""
    from core import clock

    return datetime.now(clock.tz()).replace(tzinfo=None, microsecond=0)


def ago(**kw) -> str:
    return (local_now() - timedelta(**kw)).isoformat()


def later(**kw) -> str:
    return (local_now() + timedelta(**kw)).isoformat()


__all__ = ["API", "Env", "kit_app", "ago", "later", "local_now", "utcnow"]
