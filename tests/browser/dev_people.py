"""People for the development pages' click tests, written into the browser server's database
(docs/testing.md): each test makes its own students with unique names, at the step its page
acts on, so that the tests share one server and pass alone and in any order."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import insert, select

from tests.activist_helpers import in_server_db, today
from tests.browser.harness import unique

APPLICANTS = "/api/pc/v1/development/applicants"


async def _branch_of(session, username: str) -> int:
    from core.models import User

    return (await session.execute(select(User.party_branch_id).where(User.username == username))).scalar_one()


def applicants(server, admin: str, n: int, *, step: str = "application", letter: str | None = "submitted",
               reason: str = "") -> list[tuple[int, int, str]]:
    """``n`` new students of ``admin``'s branch with records at applicant/``step`` and (with
    ``letter``) an application letter in that state: [(user id, record id, name)]."""
    from core.models import Role, StudentProfile, User, UserRole
    from core.workflow.components.review import Submission
    from core.workflow.models import DevelopmentRecord

    prefix = unique("ap")

    async def make(s):
        branch = await _branch_of(s, admin)
        await s.execute(insert(User), [{"username": f"{prefix}{i:02d}", "name": f"申请{prefix[-4:]}{i}", "password_hash": "",
                                        "party_branch_id": branch, "student_no": f"{prefix}{i:02d}"} for i in range(n)])
        users = (await s.execute(select(User).where(User.username.like(f"{prefix}%")).order_by(User.id))).scalars().all()
        role = (await s.execute(select(Role.id).where(Role.key == "student"))).scalar_one()
        await s.execute(insert(UserRole), [{"user_id": u.id, "role_id": role} for u in users])
        await s.execute(insert(StudentProfile), [{"user_id": u.id, "complete": True, "birth_date": date(2004, 1, 1),
                                                  "gender": "女", "draft": {}} for u in users])
        milestones = {} if step == "application" else {"applied_at": (today() - timedelta(days=30)).isoformat()}
        records = [DevelopmentRecord(user_id=u.id, stage="applicant", step=step, milestones=dict(milestones), warnings=[])
                   for u in users]
        s.add_all(records)
        await s.flush()
        if letter:
            await s.execute(insert(Submission), [
                {"record_id": r.id, "user_id": r.user_id, "kind": "application_letter", "files": [], "reason": reason,
                 "signed_date": today() - timedelta(days=1), "status": letter} for r in records])
        return [(u.id, r.id, u.name) for u, r in zip(users, records)]

    return in_server_db(server.data_dir, make)


def talks(server, record_ids: list[int], talker_id: int, status: str = "submitted") -> None:
    """A first talk of each record, assigned to ``talker_id`` and (by default) submitted."""
    from core.workflow import assignments
    from core.workflow.components.talk import Talk

    async def make(s):
        now = datetime.utcnow()
        await assignments.assign(s, record_ids, "talker", user_ids=[talker_id])
        await s.execute(insert(Talk), [
            {"record_id": rid, "user_id": talker_id, "kind": "first_talk", "role": "talker", "period": 0,
             "deadline": now + timedelta(days=7), "place": "党员活动室", "scheduled_at": now - timedelta(days=1),
             "talk_date": today() - timedelta(days=1), "content": "谈了入党动机和对党的认识。", "status": status,
             "by_proxy": False, "reason": "", "talked_by": talker_id if status == "submitted" else None,
             "created_at": now, "updated_at": now} for rid in record_ids])

    in_server_db(server.data_dir, make)


def where(server, record_ids: list[int]) -> dict[int, tuple[str, str, str]]:
    """(stage, step, status) of each record, read from the database."""
    from core.workflow.models import DevelopmentRecord

    async def read(s):
        rows = (await s.execute(select(DevelopmentRecord).where(DevelopmentRecord.id.in_(record_ids)))).scalars()
        return {r.id: (r.stage, r.step, r.status) for r in rows}

    return in_server_db(server.data_dir, read)


def students(server, admin: str, n: int) -> list[tuple[int, str, str]]:
    """``n`` new students of ``admin``'s branch with a complete profile and no record (people a
    branch may apply for): [(user id, username, name)]."""
    from core.models import Role, StudentProfile, User, UserRole

    prefix = unique("st")

    async def make(s):
        branch = await _branch_of(s, admin)
        await s.execute(insert(User), [{"username": f"{prefix}{i:02d}", "name": f"学生{prefix[-4:]}{i}", "password_hash": "",
                                        "party_branch_id": branch, "student_no": f"{prefix}{i:02d}"} for i in range(n)])
        users = (await s.execute(select(User).where(User.username.like(f"{prefix}%")).order_by(User.id))).scalars().all()
        role = (await s.execute(select(Role.id).where(Role.key == "student"))).scalar_one()
        await s.execute(insert(UserRole), [{"user_id": u.id, "role_id": role} for u in users])
        await s.execute(insert(StudentProfile), [
            {"user_id": u.id, "complete": True, "birth_date": date(2004, 1, 1), "gender": "男", "ethnicity": "汉族",
             "grade": "2022级", "enrollment_date": date(2022, 9, 1), "political_status": "共青团员", "draft": {}}
            for u in users])
        return [(u.id, u.username, u.name) for u in users]

    return in_server_db(server.data_dir, make)


def fail(server, record_id: int, code: str) -> None:
    """The record failed its step with ``code`` (not final: 重新发展 may restart it)."""
    from sqlalchemy import update

    from core.workflow.models import DevelopmentRecord

    async def go(s):
        await s.execute(update(DevelopmentRecord).where(DevelopmentRecord.id == record_id)
                        .values(status="failed", failure_code=code, failure_final=False))

    in_server_db(server.data_dir, go)
