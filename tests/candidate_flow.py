"""Driving people through the real candidate stage (plugins/dev_candidate) over the API, one
function per step, for tests/test_candidate_stage.py: people who passed the activist stage,
members to introduce them, the symposium, the publicity with contacts, the political review,
the training class and re-development."""
import io
import zipfile
from datetime import date, timedelta

from pypdf import PdfReader
from sqlalchemy import insert, select

from tests.activist_helpers import MP, TRAINING, Env, Person, local_now, ok, pdf_text, today, upload
from tests.conftest import DEMO_PASSWORD, Api, login, unique

CAN = "/api/pc/v1/development/candidates"
A, B, C = "zhibu04", "zhibu05", "zhibu06"
SCAN = b"%PDF-1.4\n% scan\n"
REDEVELOP = "/api/pc/v1/development/redevelop"


class StageEnv(Env):
    def __init__(self, client, app):
        super().__init__(client, app)
        self.anonymous = Api(client, None)

    def documents(self, person: Person) -> list:
        from core.workflow.models import Document

        async def read(s):
            return list((await s.execute(select(Document).where(Document.record_id == person.record_id)
                                         .order_by(Document.id))).scalars())
        return self.run(read)


def candidates(env, admin: str, n: int, *, step: str = "condition") -> list[Person]:
    """``n`` students of ``admin``'s branch who passed the activist stage (活动 dates long ago)."""
    from core.models import Role, StudentProfile, User, UserRole
    from core.security import hash_password
    from core.workflow.models import DevelopmentRecord

    branch_id = env.admins[admin].user["party_branch_id"]
    prefix = unique("c")
    milestones = {"applied_at": (today() - timedelta(days=900)).isoformat(),
                  "activist_at": (today() - timedelta(days=800)).isoformat(),
                  "cultivated_at": (today() - timedelta(days=430)).isoformat()}

    async def make(s):
        hashed = hash_password(DEMO_PASSWORD, 4)
        await s.execute(insert(User), [{"username": f"{prefix}{i:03d}", "name": f"发展{prefix[-4:]}{i}", "password_hash": hashed,
                                        "party_branch_id": branch_id, "student_no": f"{prefix}{i:03d}"} for i in range(n)])
        users = (await s.execute(select(User).where(User.username.like(f"{prefix}%")).order_by(User.id))).scalars().all()
        role = (await s.execute(select(Role.id).where(Role.key == "student"))).scalar_one()
        await s.execute(insert(UserRole), [{"user_id": u.id, "role_id": role} for u in users])
        await s.execute(insert(StudentProfile), [
            {"user_id": u.id, "complete": True, "birth_date": date(2003, 5, 1), "gender": "男", "ethnicity": "汉族",
             "grade": "2022级", "enrollment_date": date(2022, 9, 1), "political_status": "共青团员", "draft": {}} for u in users])
        await s.execute(insert(DevelopmentRecord), [{"user_id": u.id, "stage": "candidate", "step": step, "warnings": [],
                                                     "milestones": dict(milestones)} for u in users])
        records = dict((await s.execute(select(DevelopmentRecord.user_id, DevelopmentRecord.id)
                                        .where(DevelopmentRecord.user_id.in_([u.id for u in users])))).all())
        return [(u.id, records[u.id], u.name, u.username) for u in users]
    return [Person(uid, rid, name, admin, login(env.c, username)) for uid, rid, name, username in env.run(make)]


def ids(people) -> list[int]:
    return [p.record_id for p in people]


def student_no(p: Person) -> str:
    return p.api.user["student_no"]


def members(env, admin: str, n: int = 2):
    """``n`` formal party members of the branch (introducers), logged in."""
    options = ok(env.admins[admin].get(f"{CAN}/introducer/candidates"))["data"]["options"]
    assert len(options) >= n
    found = []
    for o in options[:n]:
        user = ok(env.committee.get(f"/api/pc/v1/users/{o['value']}"))["data"]
        found.append(login(env.c, user["username"]))
    return found


def redevelop(env, admin: str, person: Person, code: str) -> None:
    """The failure is visible with its code, re-developable, and 重新发展 goes back to the stage's start."""
    assert env.where([person])[person.record_id] == ("candidate", env.records([person])[person.record_id].step, code)
    row = ok(env.admins[admin].get(CAN, params={"status": "failed", "name": person.name}))["data"]["items"][0]
    assert row["failure_code"] == code and row["can_redevelop"] is True
    other = B if admin != B else C
    assert env.admins[other].post(REDEVELOP, json={"record_ids": [person.record_id]}).status_code == 404
    ok(env.admins[admin].post(REDEVELOP, json={"record_ids": [person.record_id]}))
    assert env.where([person])[person.record_id] == ("candidate", "condition", "active")


def symposium(env, admin: str, people: list[Person], held: str) -> None:
    branch = env.admins[admin]
    s = ok(branch.post(f"{CAN}/symposium", json={"record_ids": ids(people), "held_at": held, "place": "学院302会议室"}))["data"]
    forms = branch.get(f"{CAN}/symposium/{s['id']}/forms", params={"record_ids": ",".join(map(str, ids(people)))})
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(forms.content)).pages]
    assert len(pages) == len(people)
    for page, p in zip(pages, people):
        assert "入党重点发展对象群众意见原始记录表" in page and p.name in page and student_no(p) in page
    files = [("files", (f"{p.name}{student_no(p)}.pdf", SCAN, "application/pdf")) for p in people]
    ok(branch.post(f"{CAN}/symposium/{s['id']}/scans", data={"record_ids": ",".join(map(str, ids(people)))}, files=files))
    ok(branch.post(f"{CAN}/symposium/{s['id']}/complete"))


def publicize(env, people_by_branch: dict[str, list[Person]], *, objection: Person | None = None) -> dict:
    """The committee's college-wide publicity: briefs per person, contacts filled once per branch."""
    pub = f"{CAN}/publicity"
    assert env.admins[A].post(pub, json={}).status_code == 403  # the committee's step
    p = ok(env.committee.post(pub, json={}))["data"]
    assert p["branch_id"] is None
    everyone = [x for ps in people_by_branch.values() for x in ps]
    body = {"signature_date": today().isoformat(), "start_date": today().isoformat(),
            "people": [{"record_id": x.record_id, "brief": "该同志入党动机端正，学习成绩优良"} for x in everyone]}
    first, *rest = people_by_branch
    branch_ids = {admin: env.admins[admin].user["party_branch_id"] for admin in people_by_branch}
    body["branch_contacts"] = [{"branch_id": branch_ids[first], "contact": "联系人", "phone": ""}]
    r = env.committee.put(f"{pub}/{p['id']}/content", json=body)
    assert r.status_code == 422 and r.json()["msg"] == "请填写联系人和联系电话"
    body["branch_contacts"] = [{"branch_id": branch_ids[first], "contact": f"联系人{first[-2:]}", "phone": f"138000000{first[-2:]}"},
                               *({"branch_id": branch_ids[a], "contact": "", "phone": ""} for a in rest)]  # empty rows: ignored
    shown = ok(env.committee.put(f"{pub}/{p['id']}/content", json=body))["data"]["branches"]
    assert {b["branch_id"]: b["contact"] for b in shown} == {branch_ids[first]: f"联系人{first[-2:]}", **{branch_ids[a]: "" for a in rest}}
    for admin in rest:
        branch_id = branch_ids[admin]
        filled = ok(env.committee.put(f"{pub}/{p['id']}/batch-fill", json={
            "branch_id": branch_id, "contact": f"联系人{admin[-2:]}", "phone": f"138000000{admin[-2:]}"}))
        assert filled["status"] == 0
    detail = ok(env.committee.get(f"{pub}/{p['id']}"))["data"]
    contacts = {e["record_id"]: (e["contact"], e["phone"]) for e in detail["entries"]}
    for admin, ps in people_by_branch.items():
        assert {contacts[x.record_id] for x in ps} == {(f"联系人{admin[-2:]}", f"138000000{admin[-2:]}")}
    detail = ok(env.committee.post(f"{pub}/{p['id']}/generate"))["data"]
    text = pdf_text(env.committee.get(detail["document_url"]).content).replace("\n", "")  # cells wrap
    assert "学习成绩优良" in text and all(f"联系人{a[-2:]}" in text and f"138000000{a[-2:]}" in text for a in people_by_branch)
    if objection is not None:
        ok(env.committee.post(f"{pub}/{p['id']}/objection", json={"record_id": objection.record_id, "reason": "群众反映问题待核实"}))
    assert env.committee.post(f"{pub}/{p['id']}/complete").status_code == 409  # 公示期尚未结束
    env.shift_batch(p["id"], 10)
    ok(env.committee.post(f"{pub}/{p['id']}/report", json={"note": ""}))
    ok(env.committee.post(f"{pub}/{p['id']}/complete"))
    return detail


def political_review(env, people: dict[str, list[Person]], refused: Person) -> None:
    pr = f"{CAN}/political-review"
    everyone = [p for ps in people.values() for p in ps]
    assert env.admins[A].post(pr, json={"title": "x"}).status_code == 403
    review = ok(env.committee.post(pr, json={"title": "2026年发展对象政审"}))["data"]["id"]
    ok(env.committee.put(f"{pr}/{review}/people", json={"record_ids": ids(everyone)}))
    ok(env.committee.post(f"{pr}/{review}/confirm-list"))
    mp = f"{MP}/political-review"
    assert any(t["kind"] == "political_review" for t in ok(everyone[0].api.get("/api/mp/v1/todos"))["items"])
    for i, p in enumerate(everyone):
        ok(p.api.put(mp, json={"relatives": [
            {"name": f"父亲{i}号", "relation": "父亲", "work_unit": "市第一中学", "political_status": "中共党员", "phone": "13800000001"},
            {"name": f"母亲{i}号", "relation": "母亲", "work_unit": "县人民医院", "political_status": "群众", "phone": "13800000002"}]}))
    ok(env.committee.post(f"{pr}/{review}/confirm-info"))
    detail = ok(env.committee.post(f"{pr}/{review}/letters", json={
        "recipient": "王老师", "phone": "010-62780000", "address": "学院党委办公室", "signature_date": today().isoformat()}))["data"]
    assert detail["letter_count"] == 2 * len(everyone)
    pages = [pg.extract_text() for pg in PdfReader(io.BytesIO(env.committee.get(detail["letters_url"]).content)).pages]
    for i, p in enumerate(everyone):
        for relative in (f"父亲{i}号", f"母亲{i}号"):
            page = next(t for t in pages if f"{relative}同志（" in t)
            assert p.name in page
    zipped = zipfile.ZipFile(io.BytesIO(env.committee.get(f"{pr}/{review}/letters", params={"format": "zip"}).content))
    assert len(zipped.namelist()) == len(everyone)
    mine = next(e for e in ok(env.admins[A].get(f"{pr}/{review}"))["data"]["entries"] if e["record_id"] == people[A][0].record_id)
    assert env.admins[B].get(mine["letters_url"]).status_code == 404
    assert people[A][0].api.get(mine["letters_url"]).status_code == 403
    ok(env.committee.post(f"{pr}/{review}/to-branches"))
    for admin, ps in people.items():
        assert env.admins[admin].put(f"{pr}/{review}/opinions", json={"items": [
            {"record_id": x.record_id, "opinion": "同意"} for x in everyone if x not in ps][:1]}).status_code == 404
        ok(env.admins[admin].put(f"{pr}/{review}/opinions", json={"items": [
            {"record_id": x.record_id, "opinion": "政治立场坚定，历史清白"} for x in ps]}))
        ok(env.admins[admin].post(f"{pr}/{review}/submit-opinions"))
    token = upload(env.committee, b"\x89PNG\r\n\x1a\n" + b"\0" * 16, "政审结论.png")
    ok(env.committee.put(f"{pr}/{review}/results", json={"files": [token], "items": [
        {"record_id": x.record_id, "outcome": "fail" if x is refused else "pass", "note": "直系亲属情况不实" if x is refused else ""}
        for x in everyone]}))
    done = ok(env.committee.post(f"{pr}/{review}/complete"))["data"]
    assert (done["passed"], done["failed"]) == (len(everyone) - 1, 1)
    assert env.where([refused])[refused.record_id] == ("candidate", "cultivation", "政治审查-不通过")


def training(env, people: dict[str, list[Person]]) -> None:
    everyone = [p for ps in people.values() for p in ps]
    start = local_now() + timedelta(hours=1)
    at = lambda d: (start + timedelta(days=d)).isoformat(timespec="minutes")  # noqa: E731
    klass = ok(env.committee.post(f"{TRAINING}/classes", json={
        "class_type": "candidate", "title": "第一期发展对象培训班", "place": "学院报告厅", "publish": True,
        "signup_start": at(0), "signup_end": at(3), "train_start": at(4), "train_end": at(6),
        "quotas": [{"branch_id": env.admins[a].user["party_branch_id"], "quota": 10} for a in people]}))["data"]
    cid = klass["id"]
    env.shift_class(cid, signup_start=-timedelta(hours=2))
    assert any(t["kind"] == "training_signup" for t in ok(everyone[0].api.get("/api/mp/v1/todos"))["items"])
    for p in everyone:
        ok(p.api.post(f"{MP}/training/{cid}/signup"))
    env.shift_class(cid, signup_start=-timedelta(days=4), signup_end=-timedelta(days=4))
    ok(env.committee.post(f"{TRAINING}/classes/{cid}/screening"))
    for admin in people:
        ok(env.admins[admin].post(f"{TRAINING}/classes/{cid}/submit"))
    for step in ("confirm", "start", "end"):
        ok(env.committee.post(f"{TRAINING}/classes/{cid}/{step}"))
    selected = ok(env.committee.get(f"{TRAINING}/classes/{cid}/signups", params={"status": "selected"}))["data"]["items"]
    assert len(selected) == len(everyone)
    ok(env.committee.post(f"{TRAINING}/classes/{cid}/results", json={"items": [
        {"signup_id": s["id"], "result": "passed", "result_date": today().isoformat()} for s in selected]}))
