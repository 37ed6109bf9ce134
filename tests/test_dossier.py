"""一人一档 (issue 16): one PDF per person with a cover (the 25 steps with dates, the documents,
what is missing), every document in process order (PDF scans as they are, pictures as pages,
talk records drawn from their text) and a bookmark per stage; rights from outside; batch
exports built by the worker with progress and a rights-checked download."""
from __future__ import annotations

import asyncio
import io
import os
import zipfile
from datetime import date

import pytest
from pypdf import PdfReader

from tests.history_helpers import URL, branch_name, filled, person_row, record_of, send

API = "/api/pc/v1/development/dossiers"


def two_page_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for n in (1, 2):
        c.drawString(100, 700, f"filing form page {n}")
        c.showPage()
    c.save()
    return buf.getvalue()


def upload(api, data: bytes, name: str, media: str, subject: int) -> dict:
    r = api.post("/api/files", files={"file": (name, data, media)}, data={"subject_user_id": str(subject)})
    assert r.status_code == 200, r.text
    f = r.json()["file"]
    return {"token": f["token"], "name": f["name"], "url": f["url"], "type": f["type"]}


def add_papers(client, record_id: int, png: dict, pdf: dict) -> None:
    """The papers components file as the process runs: a letter scan, a talk record (text only)
    and a generated filing form (a two-page PDF)."""
    from core.models import utcnow
    from core.workflow.components.talk import Talk
    from core.workflow.models import DevelopmentRecord, Document

    async def go():
        async with client.app.state.db.sessionmaker() as s:
            r = await s.get(DevelopmentRecord, record_id)
            talk = Talk(record_id=r.id, user_id=r.user_id, kind="first_talk", deadline=utcnow(), talk_date=date(2024, 3, 20),
                        place="党员活动室", content="谈话人介绍了党的基本知识。\n申请人表示将继续努力。", status="approved")
            s.add(talk)
            await s.flush()
            base = {"record_id": r.id, "user_id": r.user_id}
            s.add_all([
                Document(**base, stage="applicant", step="application", kind="application_letter", title="入党申请书", files=[png],
                         signed_date=date(2024, 3, 1)),
                Document(**base, stage="applicant", step="talk", kind="talk_record", title="《入党申请人谈话记录表》", files=[],
                         signed_date=date(2024, 3, 20), source_type="talk", source_id=talk.id),
                Document(**base, stage="activist", step="filing", kind="activist_filing_form", title="入党积极分子备案表",
                         files=[pdf], signed_date=date(2024, 10, 8))])
            await s.commit()

    client.portal.call(go)


@pytest.fixture(scope="module")
def member(client, committee, branch_a, tiny_png):
    """An activist of branch A brought in by the history import, with three papers on file."""
    template = committee.get(f"{URL}/template").content
    row = person_row(branch_name(committee, branch_a.user["party_branch_id"]))
    assert send(committee, filled(template, [row]), dry_run=False).status_code == 200
    rid = record_of(committee, row["学号"])
    user_id = committee.get("/api/pc/v1/users", params={"keyword": row["学号"]}).json()["data"]["items"][0]["id"]
    png = upload(branch_a, tiny_png, "申请书.png", "image/png", user_id)
    pdf = upload(branch_a, two_page_pdf(), "备案表.pdf", "application/pdf", user_id)
    add_papers(client, rid, png, pdf)
    return {"record_id": rid, "user_id": user_id, "name": row["姓名"], "student_no": row["学号"]}


def outline(reader: PdfReader) -> list[tuple[str, int, int]]:
    """(title, depth, page) of every bookmark."""
    out = []

    def walk(items, depth):
        for o in items:
            if isinstance(o, list):
                walk(o, depth + 1)
            else:
                out.append((o.title, depth, reader.get_destination_page_number(o)))
    walk(reader.outline, 0)
    return out


def test_dossier_merges_every_document_in_order_with_cover_and_bookmarks(committee, member):
    r = committee.get(f"{API}/records/{member['record_id']}")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(r.content))
    marks = outline(reader)
    titles = [t for t, _, _ in marks]
    assert titles[0].startswith("封面")
    assert [t for t, d, _ in marks if d == 0][1:] == ["申请入党", "入党积极分子的确定和培养教育"]
    assert [t for t, d, _ in marks if d == 1] == ["入党申请书", "《入党申请人谈话记录表》", "入党积极分子备案表"]
    pages = {t: p for t, d, p in marks if d == 1}
    cover_pages = pages["入党申请书"]
    assert cover_pages >= 1
    # the picture is one page, the talk one generated page, then the stored two-page PDF as it is
    assert pages["《入党申请人谈话记录表》"] == cover_pages + 1
    assert pages["入党积极分子备案表"] == cover_pages + 2
    assert len(reader.pages) == cover_pages + 4
    assert "filing form page 2" in reader.pages[-1].extract_text()
    cover = "".join(reader.pages[i].extract_text() for i in range(cover_pages))
    assert member["name"] in cover and member["student_no"] in cover
    assert "递交入党申请书" in cover and "2024-03-01" in cover and "材料归档" in cover and "未完成" in cover
    talk = reader.pages[pages["《入党申请人谈话记录表》"]].extract_text()
    assert "申请人表示将继续努力" in talk and "党员活动室" in talk


def test_the_font_is_embedded(committee, member):
    reader = PdfReader(io.BytesIO(committee.get(f"{API}/records/{member['record_id']}").content))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    embedded = [f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
                for f in fonts.values() if "/DescendantFonts" in f.get_object()] + \
               [f.get_object()["/FontDescriptor"].get_object() for f in fonts.values() if "/FontDescriptor" in f.get_object()]
    assert embedded and all(any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3")) for d in embedded)


def test_rights_committee_branch_and_person(client, branch_a, branch_b, student_a, anonymous, member):
    url = f"{API}/records/{member['record_id']}"
    assert branch_a.get(url).status_code == 200
    assert branch_b.get(url).status_code == 404
    assert student_a.get(url).status_code == 403
    assert anonymous.get(url).status_code == 401
    # the person reads their own on the MP; another student has none of theirs to read
    assert anonymous.get("/api/mp/v1/development/dossier").status_code == 401
    other = student_a.get("/api/mp/v1/development/dossier")
    assert other.status_code in (200, 404)
    if other.status_code == 200:
        assert member["name"] not in "".join(p.extract_text() for p in PdfReader(io.BytesIO(other.content)).pages[:1])


def test_the_person_downloads_their_own(client, member):
    """Imported people get an account without a password; once the branch sets one they read their own."""
    from core.security import hash_password
    from tests.conftest import login

    async def set_password():
        from sqlalchemy import update

        from core.models import User

        async with client.app.state.db.sessionmaker() as s:
            await s.execute(update(User).where(User.id == member["user_id"]).values(password_hash=hash_password("Demo@2026x", 4)))
            await s.commit()

    client.portal.call(set_password)
    me = login(client, member["student_no"])
    r = me.get("/api/mp/v1/development/dossier")
    assert r.status_code == 200, r.text
    reader = PdfReader(io.BytesIO(r.content))
    assert member["name"] in reader.pages[0].extract_text()


def run_export(client, export_id: int) -> str:
    from plugins.dossier.dossier_export import build

    app = client.app
    return client.portal.call(build, app.state.db.sessionmaker, app.state.settings, app.state.engine.registry, export_id)


def test_batch_export_of_a_branch_runs_as_a_job_with_progress_and_download(client, committee, branch_a, branch_b, member):
    r = branch_a.post(f"{API}/exports", json={"stage": "activist"})
    assert r.status_code == 200, r.text
    export = r.json()["data"]
    assert export["state"] == "queued" and export["total"] >= 1 and export["download_url"] is None
    assert branch_a.get(f"{API}/exports/{export['id']}/download").status_code == 409
    assert run_export(client, export["id"]) == "done"
    assert run_export(client, export["id"]) == "skipped"  # a second delivery of the job does nothing
    done = branch_a.get(f"{API}/exports/{export['id']}").json()["data"]
    assert (done["state"], done["percent"], done["done"]) == ("done", 100, done["total"])
    assert export["id"] in [e["id"] for e in branch_a.get(f"{API}/exports").json()["data"]["items"]]
    z = branch_a.get(done["download_url"])
    assert z.status_code == 200 and z.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(z.content)).namelist()
    assert f"{member['name']}{member['student_no']}.pdf" in names and len(names) == done["total"]
    assert committee.get(done["download_url"]).status_code == 200
    assert branch_b.get(done["download_url"]).status_code == 404
    assert branch_b.get(f"{API}/exports/{export['id']}").status_code == 404
    assert export["id"] not in [e["id"] for e in branch_b.get(f"{API}/exports").json()["data"]["items"]]


def test_export_scope_is_refused_outside_the_branch(branch_a, branch_b, student_a, anonymous, committee):
    assert branch_a.post(f"{API}/exports", json={"branch_id": branch_b.user["party_branch_id"]}).status_code == 404
    assert student_a.post(f"{API}/exports", json={}).status_code == 403
    assert anonymous.post(f"{API}/exports", json={}).status_code == 401
    assert committee.post(f"{API}/exports", json={"branch_id": 987654}).status_code == 422
    assert committee.post(f"{API}/exports", json={"stage": "nowhere"}).status_code == 422


def test_export_through_the_real_worker(client, committee, branch_a, member):
    """The request leaves a timer; the worker's sweep fires it, which queues the build on arq."""
    from core.jobs import run_burst

    r = committee.post(f"{API}/exports", json={"branch_id": branch_a.user["party_branch_id"], "stage": "activist"})
    assert r.status_code == 200, r.text
    export_id = r.json()["data"]["id"]
    url = os.environ.get("XIANFENG_REDIS_URL") or client.app.state.settings.redis_url
    worker = asyncio.run(run_burst(client.app.state.settings, redis_url=url))
    assert worker.jobs_failed == 0
    done = committee.get(f"{API}/exports/{export_id}").json()["data"]
    assert done["state"] == "done", done


def admin_page(client, api, path: str):
    client.cookies.set("xf_token", api.token)
    try:
        return client.post(f"/admin/development/page/{path}")
    finally:
        client.cookies.clear()


def test_pages_open_for_their_roles_and_name_mounted_routes(client, committee, branch_a, student_a):
    import re

    from tests.test_candidate_kit_pages import requests_in

    routes = [(r.path_regex, r.methods) for r in client.app.routes if hasattr(r, "methods")]
    for api, path in ((committee, "dossiers"), (branch_a, "dossiers"), (committee, "history-import")):
        r = admin_page(client, api, path)
        assert r.status_code == 200 and r.json()["status"] == 0, (path, r.text[:300])
        found = requests_in(r.json()["data"])
        assert found
        for method, url in found:
            concrete = re.sub(r"\$\{[^}]*\}", "1", url.split("?")[0])
            assert any(regex.match(concrete) and method.upper() in methods for regex, methods in routes), (path, method, url)
    assert admin_page(client, branch_a, "history-import").json()["status"] != 0
    assert admin_page(client, student_a, "dossiers").json()["status"] != 0
