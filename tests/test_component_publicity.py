"""Publicity component (DEV-7) against a throwaway stage (tests/plugins/throwaway_stage.py):
settings as defaults, content rules, scope, state by time, and one publicity from generation
to completion with its PDFs. Completion's refusals, contacts per person, objections and the
constant statement count are in tests/test_component_publicity_completion.py."""
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from core.models import utcnow
from core.outbox import OutboxMessage
from core.workflow.components.publicity import period_end, publicity_state
from core.workflow.models import Batch, DevelopmentEvent, DevelopmentRecord
from tests.conftest import login
from tests.plugins.throwaway_stage import PREFIX
from tests.publicity_helpers import (CONVERSION, STEP, cjk_fonts_embedded, content, ended, local_today, new_publicity,
                                     next_monday, pdf_text_and_fonts, publicity_app, published)


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    with publicity_app(tmp_path_factory.mktemp("publicity")) as e:
        yield e


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
