"""Helpers for engine and kit tests against tests/plugins/outcome_stage.py."""
from datetime import date

import pytest
from fastapi import HTTPException
from sqlalchemy import insert, select

from core.auth import load_actor
from core.models import Role, StudentProfile, User, UserRole
from core.workflow.models import DevelopmentEvent, DevelopmentRecord
from tests.conftest import login, unique

API = "/api/pc/v1/development/outcome-conversion"
RECEPTION_API = "/api/pc/v1/development/outcome-reception"


class Env:
    def __init__(self, client, app):
        self.c, self.app = client, app
        self.branch = login(client, "zhibu04")
        self.other = login(client, "zhibu05")

    def student(self):
        """A demo student of branch A (no PC rights)."""
        from core.models import Role, UserRole

        async def find(s, e):
            return (await s.execute(select(User.username).join(UserRole, UserRole.user_id == User.id)
                                    .join(Role, Role.id == UserRole.role_id)
                                    .where(Role.key == "student", User.party_branch_id == self.branch.user["party_branch_id"])
                                    .order_by(User.id).limit(1))).scalar_one()
        return login(self.c, self.run(find))

    def run(self, fn):
        async def go():
            async with self.app.state.db.sessionmaker() as s:
                result = await fn(s, self.app.state.engine)
                await s.commit()
                return result
        return self.c.portal.call(go)

    def as_branch(self, fn):
        async def go(s, e):
            return await fn(s, e, await load_actor(s, self.branch.user["id"]))
        return self.run(go)

    def refused(self, fn) -> HTTPException:
        with pytest.raises(HTTPException) as exc:
            self.as_branch(fn)
        return exc.value

    def people(self, n: int, stage: str = "conversion", step: str = "vote", milestones: dict | None = None,
               status: str = "共青团员") -> list[int]:
        """``n`` people of branch A with records at ``stage``/``step``: record ids."""
        prefix = unique("o")
        branch_id = self.branch.user["party_branch_id"]

        async def make(s, e):
            await s.execute(insert(User), [{"username": f"{prefix}{i:04d}", "name": f"结果{prefix[-4:]}{i}", "password_hash": "",
                                            "party_branch_id": branch_id, "student_no": f"{prefix}{i:04d}"} for i in range(n)])
            ids = (await s.execute(select(User.id).where(User.username.like(f"{prefix}%")).order_by(User.id))).scalars().all()
            role = (await s.execute(select(Role.id).where(Role.key == "student"))).scalar_one()
            await s.execute(insert(UserRole), [{"user_id": u, "role_id": role} for u in ids])
            await s.execute(insert(StudentProfile), [{"user_id": u, "complete": True, "birth_date": date(2003, 1, 1), "draft": {},
                                                      "political_status": status} for u in ids])
            await s.execute(insert(DevelopmentRecord), [{"user_id": u, "stage": stage, "step": step, "milestones": milestones or {},
                                                         "warnings": []} for u in ids])
            rec = dict((await s.execute(select(DevelopmentRecord.user_id, DevelopmentRecord.id)
                                        .where(DevelopmentRecord.user_id.in_(ids)))).all())
            return [rec[u] for u in ids]
        return self.run(make)

    def records(self, ids: list[int]) -> dict[int, DevelopmentRecord]:
        async def read(s, e):
            return {r.id: r for r in (await s.execute(select(DevelopmentRecord).where(DevelopmentRecord.id.in_(ids)))).scalars()}
        return self.run(read)

    def status_of(self, record_id: int) -> str | None:
        async def read(s, e):
            r = await s.get(DevelopmentRecord, record_id)
            return (await s.get(StudentProfile, r.user_id)).political_status
        return self.run(read)

    def events(self, record_id: int) -> list[tuple[str, str, str]]:
        async def read(s, e):
            return [(x.action, x.title, x.note) for x in (await s.execute(
                select(DevelopmentEvent).where(DevelopmentEvent.record_id == record_id).order_by(DevelopmentEvent.id))).scalars()]
        return self.run(read)
