"""What the mobile browser tests and the benchmark need on a private server, made through the
HTTP API as the admins would: published evaluation reports, a new student without a profile,
a letter approved and a talker assigned. Works against any base URL (``xianfeng run``)."""
from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from io import BytesIO

import httpx
from openpyxl import Workbook

DEMO_PASSWORD = "Demo@2026x"
NEW_PASSWORD = "Good@2026x"
EVAL = "/api/pc/v1/evaluation"


def client(base: str, username: str, password: str = DEMO_PASSWORD) -> httpx.Client:
    r = httpx.post(f"{base}/api/mp/v1/auth/login", json={"username": username, "password": password}, timeout=30)
    assert r.status_code == 200, r.text
    return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {r.json()['token']}"}, timeout=30)


def data(r: httpx.Response):
    assert r.status_code == 200, f"{r.request.method} {r.request.url} -> {r.status_code} {r.text}"
    body = r.json()
    return body["data"] if isinstance(body, dict) and "status" in body and "data" in body else body


def publish_reports(base: str, periods=("第一学期", "第二学期"), year="2025-2026学年") -> list[dict]:
    """Published periods with a row for every demo student (the committee imports and generates)."""
    c = client(base, "dangwei")
    users = data(c.get("/api/pc/v1/users", params={"per_page": 500}))["items"]
    branches = {o["value"]: o["label"] for o in data(c.get("/api/pc/v1/orgs/options", params={"kind": "party"}))["options"]}
    people = [(u["name"], u["student_no"], branches[u["party_branch_id"]]) for u in users
              if u["student_no"] and u["student_no"].isdigit() and u["party_branch_id"] in branches]
    rng, made = random.Random(12), []
    for name in periods:
        p = data(c.post(f"{EVAL}/periods", json={"year": year, "name": name}))
        wb = Workbook()
        ws = wb.active
        ws.append(["姓名", "学号", "党支部"] + [m["name"] for m in p["metrics"]])
        for row in people:
            ws.append(list(row) + [round(rng.uniform(60, 100), 1) for _ in p["metrics"]])
        buf = BytesIO()
        wb.save(buf)
        data(c.post(f"{EVAL}/periods/{p['id']}/import", files={"file": ("data.xlsx", buf.getvalue())}))
        data(c.post(f"{EVAL}/periods/{p['id']}/generate"))
        data(c.post(f"{EVAL}/periods/{p['id']}/publish"))
        made.append(p)
    return made


def new_student(base: str, branch_name: str = "本科生第一党支部", name: str | None = None) -> dict:
    """A student account as the committee creates it: placed in a class of the branch, no profile yet."""
    c = client(base, "dangwei")
    orgs = data(c.get("/api/pc/v1/orgs", params={"per_page": 500}))["items"]
    party = next(o for o in orgs if o["name"] == branch_name)
    league = next(o for o in orgs if o["kind"] == "league" and o["level"] == "branch"
                  and set(o["institution_ids"]) & set(party["institution_ids"]))
    cls = next(i for i in league["institution_ids"] if i not in party["institution_ids"])
    role = next(o["value"] for o in data(c.get("/api/pc/v1/users/role-options"))["options"] if o["label"] == "学生")
    username = "m" + uuid.uuid4().hex[:9]
    user = data(c.post("/api/pc/v1/users", json={
        "username": username, "name": name or f"手机{username[-4:]}", "password": NEW_PASSWORD, "role_ids": [role],
        "org_id": league["id"], "institution_id": cls}))
    return {**user, "password": NEW_PASSWORD}


def branch_admin_of(base: str, student: dict) -> httpx.Client:
    """The branch admin (zhibuNN) of the student's party branch."""
    c = client(base, "dangwei")
    me = data(c.get(f"/api/pc/v1/users/{student['id']}"))
    admins = [u for u in data(c.get("/api/pc/v1/users", params={"per_page": 500, "username": "zhibu"}))["items"]
              if u["party_branch_id"] == me["party_branch_id"]]
    return client(base, admins[0]["username"])


def applicant_record(branch: httpx.Client, student_name: str) -> int:
    items = data(branch.get("/api/pc/v1/development/applicants", params={"name": student_name}))["items"]
    return items[0]["id"]


def approve_and_assign_talker(base: str, student: dict) -> dict:
    """The branch approves the letter and assigns a formal member of the branch as talker;
    answers the talker's account (demo password)."""
    branch = branch_admin_of(base, student)
    rid = applicant_record(branch, student["name"])
    data(branch.post("/api/pc/v1/development/applicants/review", json={"record_ids": [rid], "approve": True}))
    talker_id = data(branch.get("/api/pc/v1/development/applicants/talkers"))["options"][0]["value"]
    deadline = (datetime.now() + timedelta(days=10)).isoformat(timespec="minutes")
    data(branch.post("/api/pc/v1/development/applicants/talk/assign",
                     json={"record_ids": [rid], "talker_id": talker_id, "deadline": deadline}))
    talker = data(client(base, "dangwei").get(f"/api/pc/v1/users/{talker_id}"))
    return {**talker, "password": DEMO_PASSWORD, "record_id": rid}


def reject_letter(base: str, student: dict, reason: str) -> None:
    branch = branch_admin_of(base, student)
    rid = applicant_record(branch, student["name"])
    data(branch.post("/api/pc/v1/development/applicants/review", json={"record_ids": [rid], "approve": False, "reason": reason}))


def deliver_messages(data_dir) -> dict:
    """What the worker's sweep does: the server's pending outbox rows become in-app messages
    (the private server of a browser test runs without a worker)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from core import outbox
    from core.db import Database
    from core.settings import Settings
    from plugins.messaging.channels import InAppChannel

    async def run():
        db = Database(Settings(data_dir=data_dir, env="test", database_url=""))
        try:
            return await outbox.deliver_pending(db.sessionmaker, [InAppChannel()])
        finally:
            await db.engine.dispose()

    with ThreadPoolExecutor(1) as pool:  # its own event loop: Playwright's sync API holds this thread's
        return pool.submit(lambda: asyncio.run(run())).result()
