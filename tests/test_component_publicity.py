"""Publicity component (DEV-7) against a throwaway stage (tests/plugins/throwaway_stage.py):
settings as defaults, content rules, state by time, report and completion, PDFs, scope and
the constant statement count of completion."""
from datetime import date, datetime, timedelta
from io import BytesIO

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import event, select, update

from core.app import create_app
from core.models import User, utcnow
from core.plugins import discover
from core.outbox import OutboxMessage
from core.settings import PluginSettings
from core.workflow.components.publicity import period_end, publicity_state
from core.workflow.models import Batch
from core.workflow.models import DevelopmentEvent, DevelopmentRecord
from tests.conftest import DEMO_PASSWORD, login, make_settings
from tests.plugins.throwaway_stage import CONTACT_PREFIX, PREFIX

CONVERSION, STEP = "conversion", "publicity"


def conversion_owners(tmp) -> list[str]:
    """Installed plugins declaring the stage the throwaway one borrows, with their dependents."""
    found = {p.name: p for p in discover(make_settings(tmp))}
    off = {n for n, p in found.items()
           if any(s.key == CONVERSION for s in (getattr(p.module, "xf_stages", lambda: [])() or []))}
    while off:
        more = {n for n, p in found.items() if set(p.depends) & off} - off
        if not more:
            break
        off |= more
    return sorted(off)


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("publicity")
    # Its own SQLite file: the throwaway stage is not part of the main app's plugin set.
    settings = make_settings(tmp, database_url=f"sqlite+aiosqlite:///{tmp / 'pub.db'}",
                             plugins=PluginSettings(extra=["tests.plugins.throwaway_stage"],
                                                    disabled=conversion_owners(tmp)))
    app = create_app(settings)
    with TestClient(app) as c:
        from core.demo import DemoContext, run_demo

        async def demo():
            async with app.state.db.sessionmaker() as s:
                await run_demo(s, settings, app.state.plugins, DemoContext(students=80, password=DEMO_PASSWORD))

        c.portal.call(demo)
        yield Env(c, app)


class Env:
    def __init__(self, client, app):
        self.c, self.app = client, app
        self.committee = login(client, "dangwei")
        self.a = login(client, "zhibu04")
        self.b = login(client, "zhibu05")
        self.used: set[int] = set()
        self.made = 0

    def db(self, fn):
        async def run():
            async with self.app.state.db.sessionmaker() as s:
                result = await fn(s)
                await s.commit()
                return result
        return self.c.portal.call(run)

    def students(self, api, n: int, step: str = STEP) -> list[dict]:
        """``n`` demo students of the caller's branch not used by another test, with a record at ``step``."""
        branch = api.user["party_branch_id"]

        async def pick(s):
            users = (await s.execute(select(User).where(User.party_branch_id == branch, User.student_no.is_not(None))
                                     .order_by(User.id))).scalars().all()
            chosen = [u for u in users if u.id not in self.used][:n]
            assert len(chosen) == n, "not enough demo students left in the branch"
            return [(u.id, u.name, u.student_no) for u in chosen]

        people = self.db(pick)
        self.used |= {uid for uid, _, _ in people}
        ids = self.records([uid for uid, _, _ in people], step)
        return [{"user_id": uid, "name": name, "student_no": sno, "record_id": ids[uid]} for uid, name, sno in people]

    def extra_people(self, api, n: int) -> list[dict]:
        """``n`` new people of the caller's branch (inserted directly) with a record at the publicity step."""
        branch = api.user["party_branch_id"]
        start = self.made
        self.made += n

        async def make(s):
            users = [User(username=f"pub{start + i:04d}", name=f"公示人员{start + i:03d}", student_no=f"2099{start + i:05d}",
                          party_branch_id=branch) for i in range(n)]
            s.add_all(users)
            await s.flush()
            return [(u.id, u.name, u.student_no) for u in users]

        people = self.db(make)
        ids = self.records([uid for uid, _, _ in people], STEP)
        return [{"user_id": uid, "name": name, "student_no": sno, "record_id": ids[uid]} for uid, name, sno in people]

    def records(self, user_ids: list[int], step: str) -> dict[int, int]:
        async def add(s):
            rows = [DevelopmentRecord(user_id=u, stage=CONVERSION, step=step) for u in user_ids]
            s.add_all(rows)
            await s.flush()
            return {r.user_id: r.id for r in rows}
        return self.db(add)

    def set_times(self, pid: int, start: datetime, end: datetime) -> None:
        async def move(s):
            await s.execute(update(Batch).where(Batch.id == pid).values(start_at=start, end_at=end))
        self.db(move)

    def steps(self, record_ids: list[int]) -> dict[int, str]:
        async def read(s):
            return dict((await s.execute(select(DevelopmentRecord.id, DevelopmentRecord.step)
                                         .where(DevelopmentRecord.id.in_(record_ids)))).all())
        return self.db(read)


def local_today() -> date:
    return (utcnow() + timedelta(hours=8)).date()


def next_monday() -> date:
    d = local_today() + timedelta(days=1)
    return d + timedelta(days=(7 - d.weekday()) % 7)


def content(people: list[dict], start: date | None = None, **extra) -> dict:
    start = start or next_monday()
    return {"signature_date": start.isoformat(), "start_date": start.isoformat(),
            "people": [{"record_id": p["record_id"], "brief": f"{p['name']}表现良好，积极参加支部活动。"} for p in people],
            **extra}


def new_publicity(api, prefix: str = PREFIX, **body) -> dict:
    r = api.post(prefix, json=body)
    assert r.status_code == 200, r.text
    return r.json()["data"]


def published(env: Env, api, people: list[dict], prefix: str = PREFIX) -> dict:
    p = new_publicity(api, prefix)
    r = api.put(f"{prefix}/{p['id']}/content", json=content(people))
    assert r.status_code == 200, r.text
    r = api.post(f"{prefix}/{p['id']}/generate")
    assert r.status_code == 200, r.text
    return r.json()["data"]


def ended(env: Env, pid: int) -> None:
    now = utcnow()
    env.set_times(pid, now - timedelta(days=8), now - timedelta(minutes=1))


def pdf_text_and_fonts(api, url: str) -> tuple[str, list]:
    r = api.get(url)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    reader = PdfReader(BytesIO(r.content))
    text = "".join(page.extract_text() for page in reader.pages)
    fonts = []
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            fonts.append(ref.get_object())
    return text, fonts


def cjk_fonts_embedded(fonts) -> bool:
    """Every font other than the PDF standard 14 (reportlab's unused default Helvetica) is an
    embedded TrueType font, and there is one: the CJK text never relies on the viewer."""
    own = [f for f in fonts if str(f.get("/BaseFont")).lstrip("/") not in STANDARD_14]
    return bool(own) and all(f["/Subtype"] in ("/TrueType", "/Type0") and embedded(f) for f in own)


STANDARD_14 = {"Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold",
               "Times-Italic", "Times-BoldItalic", "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique",
               "Symbol", "ZapfDingbats"}


def embedded(font) -> bool:
    if font["/Subtype"] == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and "/FontFile2" in descriptor.get_object()


# --- settings ---------------------------------------------------------------------------------

def test_saved_settings_become_the_defaults_of_the_next_publicity(env):
    b = env.b
    r = b.get(f"{PREFIX}/settings")
    assert r.status_code == 200, r.text
    fresh = r.json()["data"]
    assert fresh["saved"] is False and fresh["working_days"] == 5 and fresh["title"] == "测试公示"
    assert fresh["organiser"].endswith("党支部")  # the branch's name by default
    body = {"title": "测试公示（第一批）", "intro": "经支部研究，拟确定以下同志，现予公示。", "organiser": "本科生第五党支部",
            "contact": "李老师", "phone": "020-12345678", "objection": "dangjian@example.edu.cn", "working_days": 3}
    r = b.put(f"{PREFIX}/settings", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["data"]["saved"] is True
    p = new_publicity(b)
    assert {k: p[k] for k in ("title", "organiser", "contact", "phone", "objection", "working_days")} == \
        {k: body[k] for k in ("title", "organiser", "contact", "phone", "objection", "working_days")}
    assert p["intro"] == body["intro"] and p["status"] == "draft" and p["state"] == "draft"
    # the period follows the saved number of working days: Monday + 3 working days → Wednesday
    people = env.students(b, 1)
    r = b.put(f"{PREFIX}/{p['id']}/content", json=content(people, next_monday()))
    assert r.status_code == 200, r.text
    assert r.json()["data"]["end_date"] == (next_monday() + timedelta(days=2)).isoformat()
    # another owner's settings are untouched: the committee's college-wide defaults stay the component's
    assert env.committee.get(f"{PREFIX}/settings").json()["data"]["working_days"] == 5
    # bad input is refused in Chinese
    r = b.put(f"{PREFIX}/settings", json={**body, "working_days": 0})
    assert r.status_code == 422 and "公示期（工作日）" in r.json()["msg"] and r.json()["errors"][0]["field"] == "working_days"
    r = b.put(f"{PREFIX}/settings", json={**body, "title": "  "})
    assert r.status_code == 422 and r.json()["msg"] == "请填写公示标题"


def test_default_period_is_five_working_days_counting_the_start_day():
    monday = date(2026, 5, 11)
    assert period_end(monday, 5) == date(2026, 5, 15)
    assert period_end(date(2026, 5, 13), 5) == date(2026, 5, 19)  # Wednesday → next Tuesday, weekend skipped
    assert period_end(date(2026, 5, 16), 5) == date(2026, 5, 22)  # a Saturday start counts from Monday


# --- content -------------------------------------------------------------------------------------

def test_content_refuses_wrong_people_and_missing_briefs(env):
    a = env.a
    ready = env.students(a, 2)
    early = env.students(a, 1, step="prep")[0]
    p = new_publicity(a)
    url = f"{PREFIX}/{p['id']}/content"
    # candidates: only people at the step, in the branch
    r = a.get(f"{PREFIX}/{p['id']}/candidates")
    assert r.status_code == 200, r.text
    ids = {x["record_id"] for x in r.json()["data"]["items"]}
    assert {x["record_id"] for x in ready} <= ids and early["record_id"] not in ids
    # a person not at the step is refused by name
    r = a.put(url, json=content(ready + [early]))
    assert r.status_code == 409 and early["name"] in r.json()["msg"] and "测试公示" in r.json()["msg"]
    # a missing brief is refused by name
    body = content(ready)
    body["people"][1]["brief"] = "   "
    r = a.put(url, json=body)
    assert r.status_code == 422 and ready[1]["name"] in r.json()["msg"] and "简要表现情况" in r.json()["msg"]
    # nobody chosen, past start, end before start, missing signature date
    assert a.put(url, json=content([])).status_code == 422
    r = a.put(url, json=content(ready, local_today() - timedelta(days=1)))
    assert r.status_code == 422 and r.json()["msg"] == "公示开始日期不能早于今天"
    r = a.put(url, json=content(ready, end_date=(next_monday() - timedelta(days=1)).isoformat()))
    assert r.status_code == 422 and "结束日期" in r.json()["msg"]
    r = a.put(url, json={k: v for k, v in content(ready).items() if k != "signature_date"})
    assert r.status_code == 422 and "落款日期不能为空" in r.json()["msg"]
    # nothing was saved by the refused calls
    assert a.get(f"{PREFIX}/{p['id']}").json()["data"]["entries"] == []
    # a good call saves people, dates and the default 5 working days (Monday → Friday)
    r = a.put(url, json=content(ready, title="测试公示（修改标题）"))
    assert r.status_code == 200, r.text
    d = r.json()["data"]
    assert [e["record_id"] for e in d["entries"]] == [x["record_id"] for x in ready]
    assert d["title"] == "测试公示（修改标题）" and d["working_days"] == 5
    assert d["start_date"] == next_monday().isoformat() and d["end_date"] == (next_monday() + timedelta(days=4)).isoformat()
    # an explicit end date wins
    end = next_monday() + timedelta(days=9)
    r = a.put(url, json=content(ready, end_date=end.isoformat()))
    assert r.json()["data"]["end_date"] == end.isoformat()
    # a person in this open publicity cannot be put in another one of the same kind
    other = new_publicity(a)
    r = a.put(f"{PREFIX}/{other['id']}/content", json=content(ready[:1]))
    assert r.status_code == 409 and ready[0]["name"] in r.json()["msg"]
    ids = {x["record_id"] for x in a.get(f"{PREFIX}/{other['id']}/candidates").json()["data"]["items"]}
    assert ready[0]["record_id"] not in ids
    assert a.delete(f"{PREFIX}/{other['id']}").status_code == 200


def test_other_branch_gets_404_and_cannot_add_its_people(env):
    a, b = env.a, env.b
    people_a = env.students(a, 1)
    p = published(env, a, people_a)
    pid = p["id"]
    for url in (f"{PREFIX}/{pid}", f"{PREFIX}/{pid}/candidates", f"{PREFIX}/{pid}/document"):
        r = b.get(url)
        assert r.status_code == 404, url
    assert b.post(f"{PREFIX}/{pid}/complete").status_code == 404
    assert b.post(f"{PREFIX}/{pid}/report").status_code == 404
    assert b.put(f"{PREFIX}/{pid}/content", json=content(people_a)).status_code == 404
    assert pid not in {x["id"] for x in b.get(PREFIX).json()["data"]["items"]}
    assert pid in {x["id"] for x in env.committee.get(PREFIX).json()["data"]["items"]}
    assert pid in {x["id"] for x in a.get(PREFIX).json()["data"]["items"]}
    # branch b cannot put branch a's people in its own publicity, nor see them as candidates
    mine = new_publicity(b)
    own = env.students(b, 1)
    r = b.put(f"{PREFIX}/{mine['id']}/content", json=content(env.students(a, 1)))
    assert r.status_code == 404
    items = b.get(f"{PREFIX}/{mine['id']}/candidates").json()["data"]["items"]
    assert own[0]["record_id"] in {x["record_id"] for x in items}
    assert all(x["branch_id"] == b.user["party_branch_id"] for x in items)
    # nor create one for branch a
    assert b.post(PREFIX, json={"branch_id": a.user["party_branch_id"]}).status_code == 404
    # a student has no PC permission at all
    student = login(env.c, people_a[0]["student_no"])
    assert student.get(f"{PREFIX}/{pid}").status_code == 403


# --- state by time, report, completion ----------------------------------------------------------

def test_state_is_computed_from_the_stored_times():
    start, end = datetime(2026, 5, 10, 16), datetime(2026, 5, 15, 16)
    p = Batch(kind="x", stage=CONVERSION, step=STEP, state="draft", start_at=start, end_at=end)
    assert publicity_state(p, start)["code"] == "draft"
    p.state = "published"
    before = publicity_state(p, start - timedelta(hours=2))
    assert before["code"] == "scheduled" and before["remaining_seconds"] == 7200
    during = publicity_state(p, end - timedelta(days=1, hours=3))
    assert during["code"] == "running" and during["remaining_seconds"] == 27 * 3600 and "1天3小时" in during["label"]
    assert publicity_state(p, end)["code"] == "ended"
    p.state = "completed"
    assert publicity_state(p, end + timedelta(days=30))["code"] == "completed"


def test_publicity_from_generation_to_completion(env):
    a = env.a
    people = env.students(a, 3)
    p = new_publicity(a)
    pid = p["id"]
    assert a.post(f"{PREFIX}/{pid}/generate").status_code == 422  # no content yet
    assert a.put(f"{PREFIX}/{pid}/content", json=content(people)).status_code == 200
    r = a.post(f"{PREFIX}/{pid}/generate")
    assert r.status_code == 200, r.text
    d = r.json()["data"]
    assert d["status"] == "published" and d["state"] == "scheduled" and d["remaining_seconds"] > 0
    assert d["document_url"] == f"{PREFIX}/{pid}/document" and d["document_file_url"].startswith("/api/files/")
    # locked once generated
    r = a.put(f"{PREFIX}/{pid}/content", json=content(people))
    assert r.status_code == 409 and "公示文件已生成" in r.json()["msg"]
    assert a.post(f"{PREFIX}/{pid}/generate").status_code == 409
    assert a.delete(f"{PREFIX}/{pid}").status_code == 409
    # the notice: names and briefs as text, the period, the embedded TrueType font
    text, fonts = pdf_text_and_fonts(a, d["document_url"])
    for person in people:
        assert person["name"] in text and person["student_no"] in text
    assert "表现良好" in text and "公示时间" in text and "5个工作日" in text
    assert cjk_fonts_embedded(fonts)
    assert not any("STSong" in str(f.get("/BaseFont")) for f in fonts)
    # the stored file's own URL works for its owner
    assert a.get(d["document_file_url"]).status_code == 200
    # not ended: no report, no completion
    r = a.post(f"{PREFIX}/{pid}/report")
    assert r.status_code == 409 and r.json()["msg"] == "公示期尚未结束，不能生成公示报告"
    assert a.post(f"{PREFIX}/{pid}/complete").status_code == 409
    # move time: during the period (countdown), then after it
    now = utcnow()
    env.set_times(pid, now - timedelta(days=1), now + timedelta(days=2, hours=1))
    d = a.get(f"{PREFIX}/{pid}").json()["data"]
    assert d["state"] == "running" and 2 * 86400 < d["remaining_seconds"] <= 2 * 86400 + 3600
    assert "距公示期结束2天" in d["state_label"]
    listed = {x["id"]: x for x in a.get(PREFIX, params={"state": "running"}).json()["data"]["items"]}
    assert listed[pid]["state"] == "running"
    assert a.post(f"{PREFIX}/{pid}/report").status_code == 409
    ended(env, pid)
    d = a.get(f"{PREFIX}/{pid}").json()["data"]
    assert d["state"] == "ended" and d["can"] == {"edit": False, "generate": False, "report": True,
                                                          "complete": False, "delete": False, "object": True}
    r = a.post(f"{PREFIX}/{pid}/complete")
    assert r.status_code == 409 and "请先生成公示报告" in r.json()["msg"]
    r = a.post(f"{PREFIX}/{pid}/report", json={"note": "经支部委员会研究，同意公示对象进入下一环节。"})
    assert r.status_code == 200, r.text
    d = r.json()["data"]
    assert d["report_url"] == f"{PREFIX}/{pid}/report" and d["can"]["complete"] is True
    text, fonts = pdf_text_and_fonts(a, d["report_url"])
    for person in people:
        assert person["name"] in text
    assert "公示期间未收到异议" in text and "同意公示对象进入下一环节" in text
    assert cjk_fonts_embedded(fonts)
    # complete: everyone advances, hears the result, the timeline says so
    r = a.post(f"{PREFIX}/{pid}/complete")
    assert r.status_code == 200, r.text
    assert r.json()["data"]["advanced"] == 3
    ids = [x["record_id"] for x in people]
    assert set(env.steps(ids).values()) == {"after"}
    d = a.get(f"{PREFIX}/{pid}").json()["data"]
    assert d["status"] == "completed" and d["state"] == "completed" and d["completed_at"]

    async def messages(s):
        return (await s.execute(select(OutboxMessage).where(OutboxMessage.object_type == "publicity",
                                                            OutboxMessage.object_id == pid))).scalars().all()
    sent = env.db(messages)
    assert sorted(m.recipient_id for m in sent) == sorted(x["user_id"] for x in people)
    assert all(m.title == "公示结果" and "公示后" in m.body for m in sent)

    async def timeline(s):
        return (await s.execute(select(DevelopmentEvent.title).where(DevelopmentEvent.record_id == ids[0]))).scalars().all()
    titles = env.db(timeline)
    assert any("生成公示文件" in t for t in titles) and any("公示期间无异议" in t for t in titles)

    async def milestones(s):
        return (await s.get(DevelopmentRecord, ids[0])).milestones
    assert "publicised_at" in env.db(milestones)

    async def papers(s):
        from core.workflow.models import Document

        return set((await s.execute(select(Document.stage, Document.step, Document.kind).where(Document.record_id == ids[0]))).all())
    # filed against the publicity's own step, not the one the person moved on to
    assert env.db(papers) == {(CONVERSION, STEP, "publicity"), (CONVERSION, STEP, "publicity_report")}
    r = a.post(f"{PREFIX}/{pid}/complete")
    assert r.status_code == 409 and "公示已完成" in r.json()["msg"]
    assert a.post(f"{PREFIX}/{pid}/report").status_code == 409
    # the people are free again: no longer listed as busy (they have left the step anyway)
    assert not set(ids) & {x["record_id"] for x in a.get(f"{PREFIX}/{new_publicity(a)['id']}/candidates").json()["data"]["items"]}


def test_complete_refuses_when_a_person_left_the_step(env):
    a = env.a
    people = env.extra_people(a, 2)
    p = published(env, a, people)
    ended(env, p["id"])
    assert a.post(f"{PREFIX}/{p['id']}/report").status_code == 200

    async def move(s):
        await s.execute(update(DevelopmentRecord).where(DevelopmentRecord.id == people[0]["record_id"]).values(step="prep"))
    env.db(move)
    r = a.post(f"{PREFIX}/{p['id']}/complete")
    assert r.status_code == 409 and people[0]["name"] in r.json()["msg"]
    assert env.steps([people[1]["record_id"]]) == {people[1]["record_id"]: STEP}  # nobody moved
    assert a.get(f"{PREFIX}/{p['id']}").json()["data"]["status"] == "published"


# --- contact person / phone per person, batch fill per branch --------------------------------------

def test_contact_per_person_and_batch_fill_per_branch(env):
    committee, a, b = env.committee, env.a, env.b
    people_a, people_b = env.extra_people(a, 2), env.extra_people(b, 1)
    # the committee's college-wide publicity takes people of several branches
    p = new_publicity(committee, CONTACT_PREFIX)
    assert p["branch_id"] is None and p["organiser"] == env.app.state.settings.college_name
    url = f"{CONTACT_PREFIX}/{p['id']}"
    body = content(people_a + people_b)
    body["people"][2].update(contact="王老师", phone="13800000000")
    r = committee.put(f"{url}/content", json=body)
    assert r.status_code == 200, r.text
    r = committee.post(f"{url}/generate")
    assert r.status_code == 422 and people_a[0]["name"] in r.json()["msg"] and "联系电话" in r.json()["msg"]
    r = committee.put(f"{url}/batch-fill", json={"branch_id": a.user["party_branch_id"], "contact": "赵老师",
                                                 "phone": "13911112222"})
    assert r.status_code == 200, r.text
    entries = {e["record_id"]: e for e in r.json()["data"]["entries"]}
    assert {entries[x["record_id"]]["contact"] for x in people_a} == {"赵老师"}
    assert entries[people_b[0]["record_id"]]["contact"] == "王老师"
    # saving the content again without contacts keeps the batch-filled ones
    r = committee.put(f"{url}/content", json=content(people_a + people_b))
    entries = {e["record_id"]: e for e in r.json()["data"]["entries"]}
    assert entries[people_a[0]["record_id"]]["phone"] == "13911112222"
    assert entries[people_b[0]["record_id"]]["phone"] == "13800000000"
    r = committee.post(f"{url}/generate")
    assert r.status_code == 200, r.text
    text, _ = pdf_text_and_fonts(committee, r.json()["data"]["document_url"])
    assert "13911112222" in text and "王老师" in text and "党支部" in text
    # branch admins do not reach the committee's college-wide publicity
    assert a.get(url).status_code == 404 and b.get(url).status_code == 404
    # a branch admin's own contact publicity only takes its branch, batch fill only for its branch
    mine = new_publicity(a, CONTACT_PREFIX)
    r = a.put(f"{CONTACT_PREFIX}/{mine['id']}/batch-fill", json={"branch_id": b.user["party_branch_id"],
                                                                 "contact": "x", "phone": "1"})
    assert r.status_code == 404


# --- batch size does not change the number of statements ------------------------------------------

def _complete_statements(env: Env, n: int) -> int:
    a = env.a
    p = published(env, a, env.extra_people(a, n))
    ended(env, p["id"])
    assert a.post(f"{PREFIX}/{p['id']}/report").status_code == 200
    count = {"n": 0}

    def on_execute(*_args):
        count["n"] += 1

    engine = env.app.state.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        r = a.post(f"{PREFIX}/{p['id']}/complete")
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
    assert r.status_code == 200, r.text
    assert r.json()["data"]["advanced"] == n
    return count["n"]


def test_complete_uses_the_same_number_of_statements_for_5_and_50_people(env):
    small, large = _complete_statements(env, 5), _complete_statements(env, 50)
    assert small == large, (small, large)


# --- objection (异议) -----------------------------------------------------------------------------

def test_objection_takes_a_person_off_who_stays_and_can_join_a_later_publicity(env):
    a = env.a
    people = env.extra_people(a, 3)
    p = published(env, a, people)
    pid, off = p["id"], people[1]
    url = f"{PREFIX}/{pid}/objection"
    assert a.post(url, json={"record_id": off["record_id"], "reason": ""}).status_code == 422
    assert env.b.post(url, json={"record_id": off["record_id"], "reason": "x"}).status_code == 404
    r = a.post(url, json={"record_id": off["record_id"], "reason": "群众反映其考试作弊，待核实"})
    assert r.status_code == 200, r.text
    d = r.json()["data"]
    assert [e["record_id"] for e in d["entries"]] == [people[0]["record_id"], people[2]["record_id"]]
    assert d["withdrawn"][0]["reason"] == "群众反映其考试作弊，待核实" and d["withdrawn"][0]["removed_at"].endswith("+08:00")
    assert a.post(url, json={"record_id": off["record_id"], "reason": "again"}).status_code == 404
    # free for another publicity of the same kind at once
    later = new_publicity(a)
    ids = {x["record_id"] for x in a.get(f"{PREFIX}/{later['id']}/candidates").json()["data"]["items"]}
    assert off["record_id"] in ids and people[0]["record_id"] not in ids
    ended(env, pid)
    assert a.post(f"{PREFIX}/{pid}/report").status_code == 200
    text, _ = pdf_text_and_fonts(a, a.get(f"{PREFIX}/{pid}").json()["data"]["report_url"])
    assert off["name"] in text and "收到异议" in text and "待核实" in text
    r = a.post(f"{PREFIX}/{pid}/complete")
    assert r.status_code == 200 and r.json()["data"]["advanced"] == 2
    steps = env.steps([x["record_id"] for x in people])
    assert steps == {people[0]["record_id"]: "after", off["record_id"]: STEP, people[2]["record_id"]: "after"}
    assert a.post(url, json={"record_id": people[0]["record_id"], "reason": "x"}).status_code == 409
    # the person taken off joins the later publicity and completes it
    r = a.put(f"{PREFIX}/{later['id']}/content", json=content([off]))
    assert r.status_code == 200, r.text
