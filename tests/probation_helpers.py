"""Helpers for the probation issue's component tests, against tests/plugins/probation_stage.py
on an app of their own (the stages' real plugins, when installed, are disabled there)."""
from __future__ import annotations

import contextlib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient
from sqlalchemy import insert, select, update

from core.models import Role, StudentProfile, User, UserRole
from core.plugins import discover
from core.settings import PluginSettings
from tests.conftest import DEMO_PASSWORD, Api, login, make_settings, unique
from tests.plugins.probation_stage import CONVERSION_API, RECEPTION_API  # noqa: F401  (re-exported for the tests)
from tests.workflow_helpers import Env

ORG_LIFE = "/api/pc/v1/development/org-life"
MP_ORG_LIFE = "/api/mp/v1/development/org-life"
STAGES = ("reception", "conversion")


def stage_owners(tmp: Path) -> list[str]:
    """Installed plugins declaring the stages the throwaway one borrows, with their dependents."""
    found = {p.name: p for p in discover(make_settings(tmp))}
    off = {n for n, p in found.items() if any(s.key in STAGES for s in (getattr(p.module, "xf_stages", lambda: [])() or []))}
    while True:
        more = {n for n, p in found.items() if set(p.depends) & off} - off
        if not more:
            return sorted(off)
        off |= more


@contextlib.contextmanager
def probation_app(tmp: Path, students: int = 20):
    from core.app import create_app
    from core.demo import DemoContext, run_demo

    settings = make_settings(tmp, database_url=f"sqlite+aiosqlite:///{tmp / 'probation.db'}",
                             plugins=PluginSettings(extra=["tests.plugins.probation_stage"], disabled=stage_owners(tmp)))
    app = create_app(settings)
    with TestClient(app) as c:
        async def demo():
            async with app.state.db.sessionmaker() as s:
                await run_demo(s, settings, app.state.plugins, DemoContext(students=students, password=DEMO_PASSWORD))

        c.portal.call(demo)
        yield ProbationEnv(c, app)


def at(minutes: float) -> str:
    """An aware time ``minutes`` from now, as a form would send it."""
    return (datetime.now(timezone.utc) + timedelta(minutes=minutes)).isoformat()


class ProbationEnv(Env):
    def __init__(self, client, app):
        super().__init__(client, app)
        self.committee = login(client, "dangwei")

    # --- people -------------------------------------------------------------------------------

    def users(self, n: int, status: str, branch: Api | None = None) -> list[int]:
        """``n`` users of the branch (A by default) with that political status, no record, able to log in."""
        from core.security import hash_password

        prefix = unique("m")
        branch_id = (branch or self.branch).user["party_branch_id"]
        password = hash_password(DEMO_PASSWORD, 4)

        async def make(s, e):
            await s.execute(insert(User), [{"username": f"{prefix}{i:03d}", "name": f"党员{prefix[-4:]}{i}", "password_hash": password,
                                            "party_branch_id": branch_id, "student_no": f"{prefix}{i:03d}"} for i in range(n)])
            ids = (await s.execute(select(User.id).where(User.username.like(f"{prefix}%")).order_by(User.id))).scalars().all()
            role = (await s.execute(select(Role.id).where(Role.key == "student"))).scalar_one()
            await s.execute(insert(UserRole), [{"user_id": u, "role_id": role} for u in ids])
            await s.execute(insert(StudentProfile), [{"user_id": u, "complete": True, "birth_date": date(2000, 1, 1), "draft": {},
                                                      "political_status": status} for u in ids])
            return list(ids)
        return self.run(make)

    def as_user(self, user_id: int) -> Api:
        async def name(s, e):
            return (await s.get(User, user_id)).username
        return login(self.c, self.run(name))

    def person(self, stage: str, step: str, milestones: dict | None = None, status: str = "共青团员") -> tuple[int, Api]:
        """One person with a record there who can log in: (record id, caller)."""
        from core.security import hash_password

        (rid,) = self.people(1, stage=stage, step=step, milestones=milestones, status=status)

        async def unlock(s, e):
            from core.workflow.models import DevelopmentRecord

            r = await s.get(DevelopmentRecord, rid)
            u = await s.get(User, r.user_id)
            u.password_hash = hash_password(DEMO_PASSWORD, 4)
            return u.username
        return rid, login(self.c, self.run(unlock))

    def messages(self, user_id: int) -> list[tuple[str, str, str]]:
        """(title, body, kind) of the messages queued for a person (the outbox: delivery is the worker's)."""
        from core.outbox import OutboxMessage

        async def read(s, e):
            return [(m.title, m.body, m.kind) for m in (await s.execute(
                select(OutboxMessage).where(OutboxMessage.recipient_id == user_id).order_by(OutboxMessage.id))).scalars()]
        return self.run(read)

    def user_of(self, record_id: int) -> int:
        return self.records([record_id])[record_id].user_id

    # --- meetings -----------------------------------------------------------------------------

    def meeting(self, api: Api | None = None, *, vote: str = "", voters: list[int] = (), people: list[int] = (),
                start: float = -10, end: float = 50, type_: str = "general", scope: str = "branch",
                publish: bool = True, title: str = "") -> int:
        api = api or self.branch
        body = {"type": type_, "title": title or unique("会议"), "start_at": at(start), "end_at": at(end), "place": "党员活动室",
                "host": "支部书记", "recorder": "组织委员", "scope": scope, "has_vote": bool(vote), "vote": vote,
                "content": "学习党章，讨论发展党员事项"}
        r = api.post(ORG_LIFE, json=body)
        assert r.status_code == 200, r.text
        mid = r.json()["data"]["id"]
        if voters:
            r = api.put(f"{ORG_LIFE}/{mid}/voters", json={"user_ids": list(voters)})
            assert r.status_code == 200, r.text
        if people:
            r = api.put(f"{ORG_LIFE}/{mid}/people", json={"record_ids": list(people)})
            assert r.status_code == 200, r.text
        if publish:
            r = api.post(f"{ORG_LIFE}/{mid}/publish")
            assert r.status_code == 200, r.text
        return mid

    def code(self, meeting_id: int, kind: str = "sign-in", api: Api | None = None) -> str:
        r = (api or self.branch).get(f"{ORG_LIFE}/{meeting_id}/code/{kind}")
        assert r.status_code == 200, r.text
        return parse_qs(urlsplit(r.json()["data"]["url"].split("#", 1)[1]).query)["code"][0]

    def shift(self, meeting_id: int, start_minutes: float, end_minutes: float) -> None:
        """Move a meeting's window (the clock is moved by the test, not waited for)."""
        from core.workflow.models import Batch

        now = datetime.now(timezone.utc).replace(tzinfo=None)

        async def move(s, e):
            await s.execute(update(Batch).where(Batch.id == meeting_id).values(
                start_at=now + timedelta(minutes=start_minutes), end_at=now + timedelta(minutes=end_minutes)))
        self.run(move)

    def end(self, meeting_id: int) -> None:
        """The meeting is over (its sign-out window too, unless that would move it before today's
        local midnight: the meeting's day stays today, as the dates the tests type)."""
        from core import clock

        now = datetime.now(timezone.utc).replace(tzinfo=None)
        since_midnight = (now - clock.local_midnight(clock.local_today())).total_seconds() / 60
        if since_midnight >= 181:
            self.shift(meeting_id, -180, -120)
        else:  # from midnight until a moment ago
            self.shift(meeting_id, -since_midnight, -min(0.1, since_midnight / 2))

    def detail(self, meeting_id: int, api: Api | None = None) -> dict:
        r = (api or self.branch).get(f"{ORG_LIFE}/{meeting_id}")
        assert r.status_code == 200, r.text
        return r.json()["data"]

    def scan(self, api: Api, meeting_id: int, code: str, kind: str = "sign-in"):
        return api.post(f"{MP_ORG_LIFE}/{meeting_id}/{kind}", json={"code": code})
