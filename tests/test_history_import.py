"""历史数据导入 (issue 16): template from the stage registry, dry run, all-or-nothing with every
problem by row and column, timing rules, rights, and imported people continuing the process."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.history_helpers import URL, branch_name, filled, person_row, record_of, send


@pytest.fixture(scope="module")
def template(committee) -> bytes:
    r = committee.get(f"{URL}/template")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    return r.content


@pytest.fixture(scope="module")
def branch(committee, branch_a) -> str:
    return branch_name(committee, branch_a.user["party_branch_id"])


def test_template_has_a_date_column_per_registered_step(template):
    from openpyxl import load_workbook
    from io import BytesIO

    ws = load_workbook(BytesIO(template)).active
    titles = [c.value for c in ws[2]]
    assert titles[:6] == ["学号", "姓名", "所在党支部", "手机", "当前阶段", "当前环节"]
    assert "申请入党-递交入党申请书" in titles and "积极分子-培育考察" in titles
    assert titles[-3:] == ["培养联系人学号", "入党介绍人学号", "党小组"]


def test_dry_run_shows_what_would_be_created_and_writes_nothing(committee, template, branch):
    row = person_row(branch)
    r = send(committee, filled(template, [row]), dry_run=True)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["dry_run"] is True and data["rows"] == 1 and data["people_created"] == 1
    item = data["preview"][0]
    assert (item["student_no"], item["action"], item["step_title"], item["passed"]) == (row["学号"], "新建人员", "指定培养联系人", 8)
    people = committee.get("/api/pc/v1/development/dossiers/people", params={"student_no": row["学号"]}).json()["data"]
    assert people["total"] == 0
    users = committee.get("/api/pc/v1/users", params={"keyword": row["学号"]}).json()["data"]["items"]
    assert row["学号"] not in [u["student_no"] for u in users]


def test_import_places_people_with_an_imported_timeline_and_they_continue(client, committee, branch_a, template, branch):
    row = person_row(branch)
    r = send(committee, filled(template, [row]), dry_run=False)
    assert r.status_code == 200, r.text
    rid = record_of(committee, row["学号"])
    t = committee.get(f"/api/pc/v1/development/records/{rid}/timeline").json()["data"]
    assert (t["record"]["stage"], t["record"]["step"], t["record"]["status"]) == ("activist", "contact", "active")
    applicant = next(s for s in t["stages"] if s["key"] == "applicant")
    assert [s["status"] for s in applicant["steps"]] == ["done", "done", "done"]
    imported = [e for e in t["events"] if e["action"] == "completed"]
    assert len(imported) == 8 and {e["actor_role"] for e in imported} == {"导入"}
    assert imported[0]["title"] == "导入：递交入党申请书" and imported[0]["time"].startswith("2024-03-01")
    reg = {g["no"]: g for g in t["regulation"]}
    assert reg[1]["done"] and reg[1]["date"].startswith("2024-03-01") and reg[4]["date"].startswith("2024-10-08")
    assert not reg[5]["done"]
    assert t["record"]["milestones"]["applied_at"] == "2024-03-01" and t["record"]["milestones"]["activist_at"] == "2024-09-25"
    # the branch goes on from where they are: 指定培养联系人 moves them to the next step
    api = "/api/pc/v1/development/activists"
    member = branch_a.get(f"{api}/contact/candidates").json()["data"]["options"][0]["value"]
    moved = branch_a.post(f"{api}/contact/assign", json={"record_ids": [rid], "user_ids": [member]})
    assert moved.status_code == 200, moved.text
    after = committee.get(f"/api/pc/v1/development/records/{rid}/timeline").json()["data"]["record"]
    assert after["step"] == "contact_publicity"


def test_import_at_a_step_with_tasks_creates_them_and_assignments(committee, branch_a, template, branch):
    member = branch_a.get("/api/pc/v1/development/activists/contact/candidates").json()["data"]["options"][0]["value"]
    contact = committee.get(f"/api/pc/v1/users/{member}").json()["data"]["student_no"]
    row = person_row(branch, **{"当前环节": "培育考察", "积极分子-指定培养联系人": "2024-10-10",
                                "积极分子-入党积极分子及培养联系人名单公示": "2024-10-20", "培养联系人学号": contact})
    r = send(committee, filled(template, [row]), dry_run=False)
    assert r.status_code == 200, r.text
    rid = record_of(committee, row["学号"])
    progress = branch_a.get("/api/pc/v1/development/activists/cultivation/progress", params={"record_id": rid})
    assert progress.status_code == 200, progress.text
    assert "思想汇报" in progress.text
    items = branch_a.get("/api/pc/v1/development/activists", params={"student_no": row["学号"]}).json()["data"]["items"]
    assert items and any(v for k, v in items[0].items() if k.endswith("_names") and v)


def test_every_problem_is_listed_by_row_and_column_and_nothing_is_written(committee, template, branch):
    good = person_row(branch)
    bad_step = person_row(branch, **{"当前环节": "不存在的环节"})
    out_of_order = person_row(branch, **{"申请入党-党组织派人谈话": "2024-02-01"})
    after_current = person_row(branch, **{"积极分子-培育考察": "2024-12-01"})
    no_date = person_row(branch, **{"申请入党-申请人公示": None})
    no_branch = person_row("没有这个党支部")
    future = person_row(branch, **{"积极分子-上级党委备案": (date.today() + timedelta(days=30)).isoformat()})
    duplicate = dict(good)
    rows = [good, bad_step, out_of_order, after_current, no_date, no_branch, future, duplicate]
    r = send(committee, filled(template, rows), dry_run=False)
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["msg"].startswith("导入失败，数据未做任何修改")
    found = {(e["row"], e["label"]) for e in body["errors"]}
    assert (4, "当前环节") in found
    assert (5, "申请入党-党组织派人谈话") in found
    assert (6, "积极分子-培育考察") in found
    assert (7, "申请入党-申请人公示") in found
    assert (8, "所在党支部") in found
    assert (9, "积极分子-上级党委备案") in found
    assert (10, "学号") in found
    assert 3 not in {e["row"] for e in body["errors"]}
    assert all(e["msg"] for e in body["errors"])
    assert committee.get("/api/pc/v1/development/dossiers/people", params={"student_no": good["学号"]}).json()["data"]["total"] == 0


def test_a_person_with_a_record_is_refused_and_an_existing_one_is_used(committee, template, branch, student_a):
    me = student_a.user
    existing = person_row(branch, **{"学号": me["student_no"], "姓名": me["name"]})
    wrong_name = person_row(branch, **{"学号": me["student_no"], "姓名": "别人"})
    r = send(committee, filled(template, [existing]), dry_run=True)
    if r.status_code == 422:  # another test gave student_a a record already
        assert "已有发展记录" in r.text
    else:
        assert r.json()["data"]["preview"][0]["action"] == "已有人员"
    r = send(committee, filled(template, [wrong_name]), dry_run=True)
    assert r.status_code == 422 and any(e["label"] == "姓名" and e["row"] == 3 for e in r.json()["errors"])


def test_timing_rule_breach_warns_per_row(committee, template, branch):
    close = person_row(branch, **{"积极分子-填报支委会议时间": "2024-06-01", "积极分子-确定符合条件的申请人": "2024-05-01",
                                  "积极分子-团支部推优/党员推优": "2024-05-10", "积极分子-入党积极分子名单公示": "2024-05-20"})
    r = send(committee, filled(template, [close]), dry_run=True)
    assert r.status_code == 200, r.text
    warnings = r.json()["data"]["preview"][0]["warnings"]
    assert warnings and "半年" in warnings[0]


def test_timing_rule_set_to_refuse_refuses_the_row(tmp_path, template, branch):
    from core.workflow.stages import StageRegistry
    from plugins.dev_activist.stage import STAGE as ACTIVIST
    from plugins.dev_applicant.stage import STAGE as APPLICANT
    from plugins.dossier import history_import as hi
    from tests.conftest import make_settings

    settings = make_settings(tmp_path, workflow={"rules": {"application_to_activist": {"mode": "refuse"}}})
    registry = StageRegistry([APPLICANT, ACTIVIST], [])
    found = hi.Lookups(users={}, with_record=set(), branches={branch: 1}, groups={})
    close = person_row(branch, **{"积极分子-填报支委会议时间": "2024-06-01", "积极分子-确定符合条件的申请人": "2024-05-01",
                                  "积极分子-团支部推优/党员推优": "2024-05-10", "积极分子-入党积极分子名单公示": "2024-05-20"})
    rows, problems = hi.parse(filled(template, [close]), registry, settings, found)
    assert not rows and problems[0]["row"] == 3 and "不符合时间规定" in problems[0]["msg"]
    rows, problems = hi.parse(filled(template, [person_row(branch)]), registry, settings, found)
    assert len(rows) == 1 and not problems


def test_not_a_spreadsheet_and_no_header_are_refused(committee):
    r = committee.post(URL, files={"file": ("a.xlsx", b"not a workbook", "application/octet-stream")}, data={"dry_run": "true"})
    assert r.status_code == 415
    from core.documents import xlsx_bytes

    r = send(committee, xlsx_bytes(["甲", "乙"], [["1", "2"]]), dry_run=True)
    assert r.status_code == 422 and "表头" in r.json()["msg"]


def test_rights_only_the_committee_imports(client, branch_a, student_a, anonymous, template, branch):
    data = filled(template, [person_row(branch)])
    assert send(branch_a, data, dry_run=True).status_code == 403
    assert send(student_a, data, dry_run=True).status_code == 403
    assert send(anonymous, data, dry_run=True).status_code == 401
    assert branch_a.get(f"{URL}/template").status_code == 403
    assert anonymous.get(f"{URL}/template").status_code == 401


