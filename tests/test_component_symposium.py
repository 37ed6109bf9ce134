"""The symposium component (DEV-11) against a throwaway stage (tests/plugins/candidate_kit_stage.py):
arranging, the pre-filled forms (merged PDF and zip, two form configurations), the batch upload
by 姓名+学号 with misnamed, duplicate and unticked files (nothing stored), single upload,
completion refused without every scan, then advancing — or, in task mode, completing the task."""
import io
import zipfile
from datetime import timedelta

import pytest
from pypdf import PdfReader

from core.models import utcnow
from tests.candidate_kit import API, ago, kit_app, later

SYM = f"{API}/symposium"
TASK_SYM = f"{API}/review-symposium"
PDF = b"%PDF-1.4\n% scan\n"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    with kit_app(tmp_path_factory.mktemp("symposium")) as e:
        yield e


def arrange(env, people, *, when=None, api=None, url=SYM) -> dict:
    r = (api or env.branch).post(url, json={"record_ids": [p["record_id"] for p in people], "held_at": when or ago(hours=2),
                                           "place": "学院302会议室"})
    assert r.status_code == 200, r.text
    return r.json()["data"]


def ids(people) -> str:
    return ",".join(str(p["record_id"]) for p in people)


def upload(env, sid: int, named: list[tuple[str, bytes]], ticked, api=None, url=SYM):
    return (api or env.branch).post(f"{url}/{sid}/scans", data={"record_ids": ids(ticked)},
                                    files=[("files", (name, data, "application/octet-stream")) for name, data in named])


def text_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_forms_are_exported_for_the_ticked_people_as_one_pdf_or_a_zip(env):
    people = env.people(3, "symposium", milestones={"activist_at": "2025-03-01"})
    s = arrange(env, people)
    assert s["state"] == "draft" and s["people_count"] == 3 and s["place"] == "学院302会议室"
    assert s["held_at"].endswith("+08:00")
    r = env.branch.get(f"{SYM}/{s['id']}/forms", params={"record_ids": ids(people[:2])})
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    pages = text_of(r.content)
    assert len(pages) == 2
    for page, p in zip(pages, people[:2]):
        assert "入党重点发展对象群众意见原始记录表" in page and p["name"] in page and p["student_no"] in page
        assert "2025年3月1日" in page and "学院302会议室" in page and "2003年05月" in page
    r = env.branch.get(f"{SYM}/{s['id']}/forms", params={"record_ids": ids(people), "format": "zip"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    z = zipfile.ZipFile(io.BytesIO(r.content))
    assert sorted(z.namelist()) == sorted(f"{p['name']}{p['student_no']}.pdf" for p in people)
    for p in people:
        assert p["name"] in text_of(z.read(f"{p['name']}{p['student_no']}.pdf"))[0]
    refused = env.branch.get(f"{SYM}/{s['id']}/forms", params={"record_ids": ""})
    assert refused.status_code == 422 and "请勾选" in refused.json()["msg"]
    stranger = env.people(1, "symposium")
    refused = env.branch.get(f"{SYM}/{s['id']}/forms", params={"record_ids": ids(people + stranger)})
    assert refused.status_code == 422 and "不在本次座谈会名单中" in refused.json()["msg"]


def test_a_batch_upload_with_bad_files_stores_nothing_and_names_each(env):
    people = env.people(3, "symposium")
    a, b, c = people
    s = arrange(env, people)
    r = upload(env, s["id"], [
        (f"{a['name']}{a['student_no']}.pdf", PDF),
        (f"{a['name']}_{a['student_no']}.pdf", PDF),  # the same person twice
        (f"{b['name']}.pdf", PDF),  # no 学号
        (f"{c['name']}{b['student_no']}.pdf", PDF),  # someone else's 学号
        (f"{c['name']}{c['student_no']}.txt", b"plain text"),  # not a scan
    ], people)
    assert r.status_code == 422
    body = r.json()
    assert "本次未保存任何文件" in body["msg"]
    reasons = {e["label"]: e["msg"] for e in body["errors"]}
    assert set(reasons) == {f"{a['name']}{a['student_no']}.pdf", f"{a['name']}_{a['student_no']}.pdf", f"{b['name']}.pdf",
                            f"{c['name']}{b['student_no']}.pdf", f"{c['name']}{c['student_no']}.txt"}
    assert "对应同一人员" in reasons[f"{a['name']}{a['student_no']}.pdf"]
    assert reasons[f"{c['name']}{b['student_no']}.pdf"] == f"学号{b['student_no']}对应的是{b['name']}，姓名与学号不一致"
    assert "文件类型不支持" in reasons[f"{c['name']}{c['student_no']}.txt"]
    detail = env.branch.get(f"{SYM}/{s['id']}").json()["data"]
    assert detail["scanned_count"] == 0 and all(e["scan"] is None for e in detail["entries"])
    r = upload(env, s["id"], [(f"{c['name']}{c['student_no']}.pdf", PDF)], [a])  # c not ticked
    assert r.status_code == 422 and "未勾选" in r.json()["errors"][0]["msg"]
    r = env.branch.post(f"{SYM}/{s['id']}/scans", data={"record_ids": ids(people)})
    assert r.status_code == 422 and r.json()["msg"] == "请选择要上传的记录表扫描件"


def test_good_files_and_a_zip_are_stored_against_their_people(env):
    people = env.people(3, "symposium")
    a, b, c = people
    s = arrange(env, people)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(f"扫描件/{b['name']} {b['student_no']}.pdf", PDF)
    r = env.branch.post(f"{SYM}/{s['id']}/scans", data={"record_ids": ids(people)},  # as the admin page sends them
                        files=[("files[]", (f"{a['name']}+{a['student_no']}.PDF", PDF, "application/pdf")),
                               ("files[]", ("扫描件.zip", buf.getvalue(), "application/zip"))])
    assert r.status_code == 200, r.text
    assert sorted(f["record_id"] for f in r.json()["data"]["files"]) == sorted([a["record_id"], b["record_id"]])
    detail = env.branch.get(f"{SYM}/{s['id']}").json()["data"]
    scans = {e["record_id"]: e["scan"] for e in detail["entries"]}
    assert scans[c["record_id"]] is None and scans[a["record_id"]]["name"] == f"{a['name']}{a['student_no']}.pdf"
    assert env.branch.get(scans[a["record_id"]]["url"]).content == PDF
    assert detail["can"]["complete"] is False


def test_completion_needs_every_scan_and_its_time_then_advances_everyone(env):
    people = env.people(2, "symposium")
    a, b = people
    s = arrange(env, people, when=later(days=1))
    assert upload(env, s["id"], [(f"{a['name']}{a['student_no']}.pdf", PDF)], people).status_code == 200
    r = env.branch.post(f"{SYM}/{s['id']}/complete")
    assert r.status_code == 409 and "还未到" in r.json()["msg"]
    env.move_batch_time(s["id"], utcnow() - timedelta(hours=1))
    r = env.branch.post(f"{SYM}/{s['id']}/complete")
    assert r.status_code == 409 and r.json()["msg"].endswith(f"不能完成座谈会：{b['name']}")
    assert env.record(a["record_id"]).step == "symposium"
    r = env.branch.post(f"{SYM}/{s['id']}/scans/{b['record_id']}", files={"file": ("任意名称.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 8)})
    assert r.status_code == 200, r.text
    r = env.branch.post(f"{SYM}/{s['id']}/complete")
    assert r.status_code == 200, r.text
    assert r.json()["data"]["advanced"] == 2
    for p in people:
        rec = env.record(p["record_id"])
        assert (rec.step, rec.status) == ("committee_meeting", "active")
        assert rec.milestones["symposium_at"] == (utcnow() + timedelta(hours=8) - timedelta(hours=1)).date().isoformat()
        docs = env.documents(p["record_id"])
        assert [(d.kind, d.title) for d in docs] == [("symposium_record", "入党重点发展对象群众意见原始记录表")]
        assert docs[0].files[0]["token"]
        assert any("入党重点发展对象座谈会已完成" == m[0] and m[2] == "progress" for m in env.messages(p["user_id"]))
    assert env.branch.post(f"{SYM}/{s['id']}/complete").status_code == 409
    assert env.branch.post(f"{SYM}/{s['id']}/scans/{a['record_id']}", files={"file": ("x.pdf", PDF)}).status_code == 409
    assert env.branch.put(f"{SYM}/{s['id']}", json={"held_at": ago(hours=1), "place": "新地点"}).status_code == 409


def test_a_person_in_an_open_symposium_cannot_join_another_and_edits_keep_scans(env):
    people = env.people(3, "symposium")
    a, b, c = people
    s = arrange(env, people[:2])
    r = env.branch.post(SYM, json={"record_ids": [a["record_id"], c["record_id"]], "held_at": ago(hours=1), "place": "x"})
    assert r.status_code == 409 and a["name"] in r.json()["msg"]
    assert c["record_id"] in [x["record_id"] for x in env.branch.get(f"{SYM}/candidates").json()["data"]["items"]]
    assert a["record_id"] not in [x["record_id"] for x in env.branch.get(f"{SYM}/candidates").json()["data"]["items"]]
    assert upload(env, s["id"], [(f"{a['name']}{a['student_no']}.pdf", PDF)], [a]).status_code == 200
    r = env.branch.put(f"{SYM}/{s['id']}", json={"held_at": ago(hours=3), "place": "新会议室",
                                                 "record_ids": [a["record_id"], c["record_id"]]})
    assert r.status_code == 200, r.text
    detail = r.json()["data"]
    assert detail["place"] == "新会议室" and [e["record_id"] for e in detail["entries"]] == [a["record_id"], c["record_id"]]
    assert detail["entries"][0]["scan"] is not None
    assert env.branch.delete(f"{SYM}/{s['id']}").status_code == 200
    assert env.branch.get(f"{SYM}/{s['id']}").status_code == 404


def test_missing_time_or_place_and_people_elsewhere_are_refused(env):
    (p,) = env.people(1, "symposium")
    (q,) = env.people(1, "prep")
    r = env.branch.post(SYM, json={"record_ids": [p["record_id"]], "held_at": ago(hours=1), "place": " "})
    assert r.status_code == 422 and r.json()["msg"] == "请填写座谈会地点"
    r = env.branch.post(SYM, json={"record_ids": [p["record_id"]], "place": "x"})
    assert r.status_code == 422 and "座谈会时间" in r.json()["msg"]
    r = env.branch.post(SYM, json={"record_ids": [q["record_id"]], "held_at": ago(hours=1), "place": "x"})
    assert r.status_code == 409 and "不在“入党重点发展对象座谈会”环节" in r.json()["msg"]


def test_task_mode_uses_the_second_form_and_completes_the_task_of_those_who_have_it(env):
    people = env.people(2, "cultivation", milestones={"received_at": "2025-06-01"})
    (filed,) = env.people(1, "cultivation", milestones={"filed_at": "2025-01-01"})
    assert env.tasks(filed["record_id"]).get("symposium") is None
    r = env.branch.post(TASK_SYM, json={"record_ids": [filed["record_id"]], "held_at": ago(hours=1), "place": "x"})
    assert r.status_code == 409 and "没有待完成的“座谈会”" in r.json()["msg"]
    s = arrange(env, people, url=TASK_SYM)
    pdf = env.branch.get(f"{TASK_SYM}/{s['id']}/forms", params={"record_ids": ids(people)}).content
    first = text_of(pdf)[0]
    assert "拟转正预备党员民主评议意见原始记录表" in first and "2025年6月1日" in first and people[0]["name"] in first
    named = [(f"{p['name']}{p['student_no']}.pdf", PDF) for p in people]
    assert upload(env, s["id"], named, people, url=TASK_SYM).status_code == 200
    r = env.branch.post(f"{TASK_SYM}/{s['id']}/complete")
    assert r.status_code == 200, r.text
    assert r.json()["data"]["tasks_done"] == 2 and r.json()["data"]["advanced"] == 0
    for p in people:
        assert env.tasks(p["record_id"])["symposium"] == "done"
        assert env.record(p["record_id"]).step == "cultivation"
        assert [d.kind for d in env.documents(p["record_id"])] == ["democratic_review_record"]


def test_symposium_routes_refuse_the_other_branch_students_and_strangers(env):
    people = env.people(2, "symposium")
    s = arrange(env, people)
    student = env.login(env.people(1, "prep", password="Stud@2026x")[0], "Stud@2026x")
    routes = [("get", f"{SYM}/{s['id']}", None), ("put", f"{SYM}/{s['id']}", {"held_at": ago(hours=1), "place": "x"}),
              ("delete", f"{SYM}/{s['id']}", None), ("get", f"{SYM}/{s['id']}/forms?record_ids={ids(people)}", None),
              ("post", f"{SYM}/{s['id']}/complete", None)]
    for method, url, body in routes:
        kw = {"json": body} if body is not None else {}
        assert getattr(env.other, method)(url, **kw).status_code == 404, url
        assert getattr(student, method)(url, **kw).status_code == 403, url
        assert getattr(env.anonymous, method)(url, **kw).status_code == 401, url
    named = [("files", (f"{people[0]['name']}{people[0]['student_no']}.pdf", PDF, "application/pdf"))]
    for caller, code in ((env.other, 404), (student, 403), (env.anonymous, 401)):
        assert caller.post(f"{SYM}/{s['id']}/scans", data={"record_ids": ids(people)}, files=named).status_code == code
        assert caller.post(f"{SYM}/{s['id']}/scans/{people[0]['record_id']}",
                           files={"file": ("x.pdf", PDF)}).status_code == code
    r = env.other.post(SYM, json={"record_ids": [people[0]["record_id"]], "held_at": ago(hours=1), "place": "x"})
    assert r.status_code == 404
    assert s["id"] not in [x["id"] for x in env.other.get(SYM).json()["data"]["items"]]
    assert people[0]["record_id"] not in [x["record_id"] for x in env.other.get(f"{SYM}/candidates").json()["data"]["items"]]
    detail = env.branch.get(f"{SYM}/{s['id']}").json()["data"]
    assert detail["state"] == "draft" and detail["scanned_count"] == 0 and env.record(people[0]["record_id"]).version == 1


def test_sizes_are_bounded_per_file_and_per_upload(tmp_path_factory):
    with kit_app(tmp_path_factory.mktemp("symposium_sizes"), students=5, upload_max_bytes=1024) as small:
        people = small.people(2, "symposium")
        a, b = people
        s = arrange(small, people)
        r = upload(small, s["id"], [(f"{a['name']}{a['student_no']}.pdf", PDF + b"x" * 2000),
                                    (f"{b['name']}{b['student_no']}.pdf", PDF)], people)
        assert r.status_code == 422
        assert {e["label"]: e["msg"] for e in r.json()["errors"]} == {f"{a['name']}{a['student_no']}.pdf": "文件超过大小限制"}
        many = [(f"{b['name']}{b['student_no']}_{i}.pdf", PDF + b"x" * 1000) for i in range(41)]
        r = upload(small, s["id"], many, people)
        assert r.status_code == 413 and "请分批上传" in r.json()["msg"]
        assert small.branch.get(f"{SYM}/{s['id']}").json()["data"]["scanned_count"] == 0
