"""The political review component (CAN-9) against a throwaway stage
(tests/plugins/candidate_kit_stage.py): the committee's list, the people's two direct relatives
on the MP, 确认信息填报, one 函调信 per relative (checked with pypdf), the branches' opinions,
the committee's results with a scan; 通过 completes the task, 不通过 fails with
政治审查-不通过; each branch sees only its people; every refusal the flow has."""
import io
import zipfile

import pytest
from pypdf import PdfReader

from tests.candidate_kit import API, kit_app

PR = f"{API}/political-review"
MP = "/api/mp/v1/development/kit-political-review"
PASSWORD = "Stud@2026x"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    with kit_app(tmp_path_factory.mktemp("political")) as e:
        yield e


def relatives(tag: str, **change) -> list[dict]:
    return [{"name": f"{tag}父", "relation": "父亲", "work_unit": f"{tag}市第一中学", "political_status": "中共党员",
             "phone": "13800000001", **change},
            {"name": f"{tag}母", "relation": "母亲", "work_unit": f"{tag}县人民医院", "political_status": "群众",
             "phone": "0571-88886666"}]


def new_review(env, people) -> int:
    r = env.committee.post(PR, json={"title": "2026年春季政审"})
    assert r.status_code == 200, r.text
    rid = r.json()["data"]["id"]
    r = env.committee.put(f"{PR}/{rid}/people", json={"record_ids": [p["record_id"] for p in people]})
    assert r.status_code == 200, r.text
    return rid


def letters_body(**change) -> dict:
    return {"recipient": "王老师", "phone": "010-62780000", "address": "北京市海淀区学院路1号计算机学院党委办公室",
            "signature_date": "2026-05-01", **change}


def scan(env) -> str:
    r = env.committee.post("/api/files", files={"file": ("政审结论.png", PNG, "image/png")})
    assert r.status_code == 200, r.text
    return r.json()["file"]["token"]


def test_a_review_through_letters_opinions_and_results(env):
    a, b = env.people(2, "cultivation", password=PASSWORD)
    (c,) = env.people(1, "cultivation", api=env.other, password=PASSWORD)
    rid = new_review(env, [a, b, c])
    assert env.branch.post(f"{PR}/{rid}/confirm-list").status_code == 403
    r = env.committee.post(f"{PR}/{rid}/confirm-list")
    assert r.status_code == 200 and r.json()["data"]["state"] == "filling"
    assert any(m[0] == "请填写政审信息" and m[2] == "todo" for m in env.messages(a["user_id"]))
    sa, sb, sc = (env.login(p, PASSWORD) for p in (a, b, c))
    assert any(t["kind"] == "political_review" for t in sa.get("/api/mp/v1/todos").json()["items"])
    mine = sa.get(MP).json()
    assert (mine["state"], mine["can_fill"], mine["relatives_required"]) == ("filling", True, 2)
    assert "外祖母" in mine["relation_options"] and "群众" in mine["political_status_options"]

    # the person's form: exactly two, complete, valid, different relatives
    r = sa.put(MP, json={"relatives": relatives("甲")[:1]})
    assert r.status_code == 422 and r.json()["msg"] == "请填写2名直系亲属的信息"
    r = sa.put(MP, json={"relatives": relatives("甲", phone="12345")})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "relatives.0.phone"
    assert r.json()["errors"][0]["label"] == "第1名亲属的联系电话"
    r = sa.put(MP, json={"relatives": relatives("甲", relation="同学")})
    assert r.status_code == 422 and "与本人关系" in r.json()["msg"]
    twice = relatives("甲")
    twice[1].update(name="甲父", relation="父亲")
    r = sa.put(MP, json={"relatives": twice})
    assert r.status_code == 422 and r.json()["msg"] == "请填写两名不同的直系亲属"
    assert sa.put(MP, json={"relatives": relatives("甲")}).status_code == 200
    assert sb.put(MP, json={"relatives": relatives("乙")}).status_code == 200
    assert not any(t["kind"] == "political_review" for t in sa.get("/api/mp/v1/todos").json()["items"])

    r = env.committee.post(f"{PR}/{rid}/confirm-info")
    assert r.status_code == 409 and r.json()["msg"] == f"以下人员尚未填写政审信息：{c['name']}"
    assert sc.put(MP, json={"relatives": relatives("丙")}).status_code == 200
    assert env.committee.post(f"{PR}/{rid}/confirm-info").json()["data"]["state"] == "letters"
    r = sa.put(MP, json={"relatives": relatives("甲甲")})
    assert r.status_code == 409 and r.json()["msg"] == "政审信息已确认，不能再修改"

    # each branch sees its own people only
    seen_a = env.branch.get(f"{PR}/{rid}").json()["data"]
    seen_b = env.other.get(f"{PR}/{rid}").json()["data"]
    assert sorted(e["name"] for e in seen_a["entries"]) == sorted([a["name"], b["name"]])
    assert [e["name"] for e in seen_b["entries"]] == [c["name"]] and seen_b["letters_url"] is None
    assert env.committee.get(f"{PR}/{rid}").json()["data"]["entries"][0]["relatives"][0]["work_unit"].endswith("第一中学")

    # 函调信: one per relative, the branch recipient (one branch has its own)
    assert env.committee.post(f"{PR}/{rid}/to-branches").json()["msg"] == "请先生成函调信"
    r = env.committee.post(f"{PR}/{rid}/letters", json=letters_body(phone="12"))
    assert r.status_code == 422 and "收件人电话" in r.json()["msg"]
    other_branch = env.other.user["party_branch_id"]
    own = {"branch_id": other_branch, "recipient": "赵老师", "phone": "13900000000", "address": "研究生党支部办公室"}
    r = env.committee.post(f"{PR}/{rid}/letters", json=letters_body(branches=[own]))
    assert r.status_code == 200, r.text
    detail = r.json()["data"]
    assert detail["letter_count"] == 6 and detail["signature_date"] == "2026-05-01"
    merged = env.committee.get(detail["letters_url"])
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(merged.content)).pages]
    assert len(pages) == 6
    for person, tag in ((a, "甲"), (b, "乙"), (c, "丙")):
        for rel in (f"{tag}父", f"{tag}母"):
            page = next(t for t in pages if f"{rel}同志（" in t)
            assert person["name"] in page and person["student_no"] in page and "函\u3000调\u3000信" in page
            assert "2026年5月1日" in page and "中共计算机学院委员会" in page
            assert ("研究生党支部办公室" if person is c else "计算机学院党委办公室") in page
    zipped = zipfile.ZipFile(io.BytesIO(env.committee.get(f"{PR}/{rid}/letters", params={"format": "zip"}).content))
    assert sorted(zipped.namelist()) == sorted(f"{p['name']}{p['student_no']}函调信.pdf" for p in (a, b, c))
    one = PdfReader(io.BytesIO(zipped.read(f"{a['name']}{a['student_no']}函调信.pdf")))
    assert len(one.pages) == 2 and "甲市第一中学" in one.pages[0].extract_text()
    assert env.branch.get(f"{PR}/{rid}/letters").status_code == 403
    letter_url = next(e for e in env.branch.get(f"{PR}/{rid}").json()["data"]["entries"] if e["name"] == a["name"])["letters_url"]
    own = env.branch.get(letter_url)
    assert own.status_code == 200 and "甲县人民医院" in PdfReader(io.BytesIO(own.content)).pages[1].extract_text()
    assert env.other.get(letter_url).status_code == 404

    # the branches' opinions
    assert env.branch.put(f"{PR}/{rid}/opinions", json={"items": [{"record_id": a["record_id"], "opinion": "x"}]}).status_code == 409
    assert env.committee.post(f"{PR}/{rid}/to-branches").json()["data"]["state"] == "opinion"
    assert any(t["kind"] == "write_opinion" for t in env.branch.get("/api/mp/v1/todos").json()["items"])
    r = env.branch.put(f"{PR}/{rid}/opinions", json={"items": [{"record_id": c["record_id"], "opinion": "同意"}]})
    assert r.status_code == 404
    assert env.branch.put(f"{PR}/{rid}/opinions", json={"items": [{"record_id": a["record_id"], "opinion": "政治立场坚定"}]}).status_code == 200
    r = env.branch.post(f"{PR}/{rid}/submit-opinions")
    assert r.status_code == 409 and r.json()["msg"] == f"请先填写以下人员的政审意见：{b['name']}"
    assert env.branch.put(f"{PR}/{rid}/opinions", json={"items": [{"record_id": b["record_id"], "opinion": "表现良好"}]}).status_code == 200
    r = env.branch.post(f"{PR}/{rid}/submit-opinions")
    assert r.status_code == 200 and r.json()["data"]["state"] == "opinion"
    assert env.branch.post(f"{PR}/{rid}/submit-opinions").status_code == 409
    r = env.branch.put(f"{PR}/{rid}/opinions", json={"items": [{"record_id": a["record_id"], "opinion": "改"}]})
    assert r.status_code == 409
    assert not any(t["kind"] == "write_opinion" for t in env.branch.get("/api/mp/v1/todos").json()["items"])
    assert env.other.put(f"{PR}/{rid}/opinions", json={"items": [{"record_id": c["record_id"], "opinion": "同意"}]}).status_code == 200
    r = env.other.post(f"{PR}/{rid}/submit-opinions")
    assert r.status_code == 200 and r.json()["data"]["state"] == "review"

    # 党委审议
    token = scan(env)
    assert env.branch.put(f"{PR}/{rid}/results", json={"items": [{"record_id": a["record_id"], "outcome": "pass"}],
                                                       "files": [token]}).status_code == 403
    r = env.committee.put(f"{PR}/{rid}/results", json={"items": [{"record_id": a["record_id"], "outcome": "pass"}], "files": []})
    assert r.status_code == 422
    r = env.committee.put(f"{PR}/{rid}/results", json={"items": [
        {"record_id": a["record_id"], "outcome": "pass"}, {"record_id": b["record_id"], "outcome": "pass"}], "files": [token]})
    assert r.status_code == 200, r.text
    r = env.committee.post(f"{PR}/{rid}/complete")
    assert r.status_code == 409 and r.json()["msg"] == f"请先为以下人员选择审议结果并上传扫描件：{c['name']}"
    r = env.committee.put(f"{PR}/{rid}/results", json={"items": [{"record_id": c["record_id"], "outcome": "fail",
                                                                  "note": "直系亲属有违法记录"}], "files": [scan(env)]})
    assert r.status_code == 200
    r = env.committee.post(f"{PR}/{rid}/complete")
    assert r.status_code == 200, r.text
    assert (r.json()["data"]["passed"], r.json()["data"]["failed"]) == (2, 1)
    for p in (a, b):
        rec = env.record(p["record_id"])
        assert (rec.step, rec.status) == ("cultivation", "active") and env.tasks(p["record_id"])["political_review"] == "done"
        assert sorted(d.kind for d in env.documents(p["record_id"])) == ["inquiry_letter", "political_review"]
    failed = env.record(c["record_id"])
    assert (failed.status, failed.failure_code, failed.failure_final) == ("failed", "政治审查-不通过", False)
    assert any("政治审查-不通过" in m[1] for m in env.messages(c["user_id"]))
    assert sc.get(MP).json()["result"] == "fail" and sa.get(MP).json()["result_label"] == "通过"
    assert env.committee.post(f"{PR}/{rid}/complete").status_code == 409
    assert env.other.post("/api/pc/v1/development/redevelop", json={"record_ids": [c["record_id"]]}).status_code == 200


def test_the_autobiography_is_a_review_in_task_mode(env, tiny_png):
    (a, b) = env.people(2, "cultivation", password=PASSWORD)
    sa, sb = env.login(a, PASSWORD), env.login(b, PASSWORD)
    url = "/api/mp/v1/development/kit-autobiography"
    token = sa.post("/api/files", files={"file": ("自传.png", tiny_png, "image/png")}).json()["file"]["token"]
    assert sa.post(url, json={"files": [token], "signed_date": "2026-04-01"}).status_code == 200
    assert sa.post(f"{url}/withdraw").status_code == 200
    assert sa.post(url, json={"files": [token], "signed_date": "2026-04-02"}).status_code == 200
    other = sb.post("/api/files", files={"file": ("自传.png", tiny_png, "image/png")}).json()["file"]["token"]
    assert sb.post(url, json={"files": [other], "signed_date": "2026-04-02"}).status_code == 200
    r = env.branch.post(f"{API}/autobiography/review", json={"record_ids": [b["record_id"]], "approve": False})
    assert r.status_code == 422
    assert env.branch.post(f"{API}/autobiography/review", json={"record_ids": [b["record_id"]], "approve": False,
                                                                "reason": "内容过于简略"}).status_code == 200
    assert sb.get(url).json()["autobiography"]["reason"] == "内容过于简略"
    assert sb.post(url, json={"files": [other], "signed_date": "2026-04-03"}).status_code == 200
    r = env.branch.post(f"{API}/autobiography/review", json={"record_ids": [a["record_id"], b["record_id"]], "approve": True})
    assert r.status_code == 200, r.text
    for p in (a, b):
        assert env.tasks(p["record_id"])["autobiography"] == "done" and env.record(p["record_id"]).step == "cultivation"
    assert sa.post(url, json={"files": [token], "signed_date": "2026-04-04"}).json()["msg"] == "自传已全部完成，无需再次提交"


def test_only_people_with_the_task_open_join_and_a_person_taken_off_may_join_later(env):
    (a, b) = env.people(2, "cultivation", password=PASSWORD)
    (done,) = env.people(1, "cultivation", tasks=False)
    (elsewhere,) = env.people(1, "committee_time")
    rid = env.committee.post(PR, json={}).json()["data"]["id"]
    r = env.committee.put(f"{PR}/{rid}/people", json={"record_ids": [a["record_id"], done["record_id"]]})
    assert r.status_code == 409 and r.json()["msg"] == f"以下人员没有待完成的“政治审查”：{done['name']}"
    r = env.committee.put(f"{PR}/{rid}/people", json={"record_ids": [elsewhere["record_id"]]})
    assert r.status_code == 409
    candidates = [x["record_id"] for x in env.committee.get(f"{PR}/{rid}/candidates").json()["data"]["items"]]
    assert a["record_id"] in candidates and done["record_id"] not in candidates and elsewhere["record_id"] not in candidates
    assert env.committee.put(f"{PR}/{rid}/people", json={"record_ids": [a["record_id"], b["record_id"]]}).status_code == 200
    second = env.committee.post(PR, json={}).json()["data"]["id"]
    r = env.committee.put(f"{PR}/{second}/people", json={"record_ids": [a["record_id"]]})
    assert r.status_code == 409 and "已在其他未完成的政审中" in r.json()["msg"]
    assert env.committee.post(f"{PR}/{rid}/confirm-list").status_code == 200
    assert env.committee.put(f"{PR}/{rid}/people", json={"record_ids": [a["record_id"]]}).status_code == 409
    assert env.committee.delete(f"{PR}/{rid}").status_code == 409
    r = env.committee.post(f"{PR}/{rid}/remove", json={"record_id": a["record_id"], "reason": "休学"})
    assert r.status_code == 200 and [x["reason"] for x in r.json()["data"]["removed"]] == ["休学"]
    assert env.login(a, PASSWORD).get(MP).json()["review_id"] is None
    assert env.login(a, PASSWORD).put(MP, json={"relatives": relatives("丁")}).status_code == 409
    assert env.committee.put(f"{PR}/{second}/people", json={"record_ids": [a["record_id"]]}).status_code == 200
    assert env.committee.post(f"{PR}/{rid}/confirm-info").json()["msg"] == f"以下人员尚未填写政审信息：{b['name']}"
    assert env.committee.delete(f"{PR}/{second}").status_code == 200


def test_political_review_routes_refuse_the_other_branch_students_and_strangers(env):
    (a,) = env.people(1, "cultivation", password=PASSWORD)
    rid = new_review(env, [a])
    student = env.login(env.people(1, "prep", password=PASSWORD)[0], PASSWORD)
    routes = [("get", f"{PR}/{rid}", None), ("get", f"{PR}/{rid}/candidates", None),
              ("put", f"{PR}/{rid}/people", {"record_ids": [a["record_id"]]}), ("post", f"{PR}/{rid}/confirm-list", None),
              ("post", f"{PR}/{rid}/confirm-info", None), ("post", f"{PR}/{rid}/letters", letters_body()),
              ("get", f"{PR}/{rid}/letters", None), ("get", f"{PR}/{rid}/letters/{a['record_id']}", None),
              ("post", f"{PR}/{rid}/to-branches", None),
              ("put", f"{PR}/{rid}/opinions", {"items": [{"record_id": a["record_id"], "opinion": "同意"}]}),
              ("post", f"{PR}/{rid}/submit-opinions", None),
              ("put", f"{PR}/{rid}/results", {"items": [{"record_id": a["record_id"], "outcome": "pass"}], "files": ["x"]}),
              ("post", f"{PR}/{rid}/complete", None), ("post", f"{PR}/{rid}/remove", {"record_id": a["record_id"], "reason": "x"}),
              ("delete", f"{PR}/{rid}", None)]
    for method, url, body in routes:
        kw = {"json": body} if body is not None else {}
        assert getattr(env.other, method)(url, **kw).status_code == 404, url
        assert getattr(student, method)(url, **kw).status_code == 403, url
        assert getattr(env.anonymous, method)(url, **kw).status_code == 401, url
    assert env.branch.post(PR, json={}).status_code == 403
    assert env.anonymous.get(MP).status_code == 401 and env.committee.get(MP).status_code == 403
    assert rid not in [x["id"] for x in env.other.get(PR).json()["data"]["items"]]
    assert rid in [x["id"] for x in env.branch.get(PR).json()["data"]["items"]]
    assert env.committee.get(f"{PR}/{rid}").json()["data"]["state"] == "draft"
