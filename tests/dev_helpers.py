"""Helpers for development-stage tests: new students with a complete profile, uploads."""
from datetime import date

from tests.conftest import login, unique


def student_role(committee) -> int:
    return next(o["value"] for o in committee.get("/api/pc/v1/users/role-options").json()["data"]["options"] if o["label"] == "学生")


def branch_placement(committee, branch_name: str) -> tuple[int, int]:
    """(org id, institution id) of a class under the given party branch."""
    orgs = committee.get("/api/pc/v1/orgs", params={"per_page": 500}).json()["data"]["items"]
    party = next(o for o in orgs if o["name"] == branch_name)
    league_inst = next(i for i in party["institution_ids"])  # its own 党支部 institution first; find a 团支部 link
    leagues = [o for o in orgs if o["kind"] == "league" and o["level"] == "branch"]
    for lg in leagues:
        for inst_id in lg["institution_ids"]:
            if inst_id in party["institution_ids"]:
                cls = [i for i in lg["institution_ids"] if i != inst_id][0]
                return lg["id"], cls
    raise AssertionError(f"no league branch under {branch_name} ({league_inst})")


def new_student(client, committee, branch_name="本科生第一党支部", *, birth=date(2004, 5, 6), complete=True, name=None):
    org_id, inst_id = branch_placement(committee, branch_name)
    username = unique("s")
    r = committee.post("/api/pc/v1/users", json={"username": username, "name": name or unique("学生"), "password": "Good@2026x",
                                                "role_ids": [student_role(committee)], "org_id": org_id, "institution_id": inst_id,
                                                "student_no": username})
    assert r.status_code == 200, r.text
    me = login(client, username, "Good@2026x")
    if complete:
        form = {"name": r.json()["data"]["name"], "student_no": username, "phone": "13800138000", "gender": "男", "ethnicity": "汉族",
                "birth_date": birth.isoformat(), "id_card": f"440106{birth:%Y%m%d}1234", "native_place": "广东广州",
                "grade": "2022级", "enrollment_date": "2022-09-01", "political_status": "共青团员"}
        assert me.post("/api/mp/v1/profile/submit", json=form).status_code == 200
    return me


def upload(api, png: bytes, name="申请书.png") -> str:
    r = api.post("/api/files", files={"file": (name, png, "image/png")})
    assert r.status_code == 200, r.text
    return r.json()["file"]["token"]


def branch_talker(client, committee, branch_admin):
    """A formal party member of the branch admin's branch (the demo makes two per branch)."""
    options = branch_admin.get("/api/pc/v1/development/applicants/talkers").json()["data"]["options"]
    assert options, "the demo has formal party members in every branch"
    user = committee.get(f"/api/pc/v1/users/{options[0]['value']}").json()["data"]
    return login(client, user["username"])


async def bulk_applicants(app, branch_id: int, n: int, *, step: str = "application", stage: str = "applicant",
                          letter: bool = True, prefix: str | None = None) -> list[int]:
    """Insert ``n`` students of ``branch_id`` with records at ``stage``/``step`` (and a pending
    letter) straight into the database; returns the record ids. For batch and bench tests."""
    from sqlalchemy import insert, select

    from core.models import StudentProfile, User
    from core.workflow.components.review import Submission
    from core.workflow.models import DevelopmentRecord

    prefix = prefix or unique("b")
    async with app.state.db.sessionmaker() as s:
        await s.execute(insert(User), [{"username": f"{prefix}{i:05d}", "name": f"批量{prefix[-4:]}{i}", "password_hash": "",
                                        "party_branch_id": branch_id, "student_no": f"{prefix}{i:05d}"} for i in range(n)])
        ids = (await s.execute(select(User.id).where(User.username.like(f"{prefix}%")).order_by(User.id))).scalars().all()
        await s.execute(insert(StudentProfile), [{"user_id": u, "complete": True, "birth_date": date(2004, 1, 1), "draft": {}}
                                                 for u in ids])
        await s.execute(insert(DevelopmentRecord), [{"user_id": u, "stage": stage, "step": step, "milestones": {},
                                                     "warnings": []} for u in ids])
        rec = dict((await s.execute(select(DevelopmentRecord.user_id, DevelopmentRecord.id)
                                    .where(DevelopmentRecord.user_id.in_(ids)))).all())
        if letter:
            await s.execute(insert(Submission), [{"record_id": rec[u], "user_id": u, "kind": "application_letter", "files": [],
                                                  "signed_date": date.today(), "status": "submitted"} for u in ids])
        await s.commit()
        return [rec[u] for u in ids]


def local_today() -> date:
    """Today in the college's local time (the app's default UTC+8), as users enter dates."""
    from datetime import datetime, timedelta, timezone

    return (datetime.now(timezone.utc) + timedelta(hours=8)).date()
