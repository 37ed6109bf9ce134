"""Evaluation import (EV-2), periods (EV-1), generation and ranks (EV-4)."""
from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook

from tests.conftest import students_of, unique

API = "/api/pc/v1/evaluation"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(rows, title_row=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    if title_row:
        ws.append([title_row])
    for r in rows:
        ws.append(list(r))
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def new_period(committee, metrics=None) -> dict:
    r = committee.post(f"{API}/periods", json={"year": unique("年"), "name": "第一学期"})
    assert r.status_code == 200, r.text
    p = r.json()["data"]
    if metrics:
        r = committee.put(f"{API}/periods/{p['id']}/metrics", json={"metrics": metrics})
        assert r.status_code == 200, r.text
        p = r.json()["data"]
    return p


def upload(committee, pid, data, mode="full", training_type=None):
    form = {"mode": mode}
    if training_type:
        form["training_type"] = training_type
    return committee.post(f"{API}/periods/{pid}/import", files={"file": ("d.xlsx", data, XLSX)}, data=form)


def branch_names(committee) -> dict[int, str]:
    r = committee.get("/api/pc/v1/orgs/options", params={"kind": "party"})
    return {o["value"]: o["label"] for o in r.json()["data"]["options"]}


METRICS = [{"name": "学习成绩", "weight": 0.5, "higher_better": True}, {"name": "违纪扣分", "weight": 0.5, "higher_better": False}]
HEAD = ["姓名", "学号", "党支部", "学习成绩", "违纪扣分"]


def test_period_lifecycle(committee):
    p = new_period(committee)
    year = p["year_name"]
    r = committee.post(f"{API}/periods", json={"year": year, "name": "第二学期"})
    second = r.json()["data"]
    other = new_period(committee)
    # rename and move
    r = committee.put(f"{API}/periods/{second['id']}", json={"name": "春季学期"})
    assert r.json()["data"]["name"] == "春季学期"
    r = committee.put(f"{API}/periods/{second['id']}", json={"year_id": other["year_id"]})
    assert r.json()["data"]["year_id"] == other["year_id"]
    # a year cannot be renamed: there is no such route
    assert committee.put(f"{API}/years/{p['year_id']}", json={"name": "x"}).status_code in (404, 405)
    # deleting the last semester of a year removes the year
    assert committee.delete(f"{API}/periods/{p['id']}").status_code == 200
    years = {y["name"] for y in committee.get(f"{API}/years").json()["data"]["items"]}
    assert year not in years and other["year_name"] in years
    # generate is refused while there is no data
    r = committee.post(f"{API}/periods/{other['id']}/generate")
    assert r.status_code == 409 and "暂未导入数据" in r.json()["msg"]
    assert committee.get(f"{API}/periods/{other['id']}/template").content[:2] == b"PK"


def _count(committee, pid):
    return committee.get(f"{API}/periods/{pid}/records").json()["data"]["total"]


def test_import_refusals_each_and_all(committee, branch_a, branch_b):
    names = branch_names(committee)
    a_id, b_id = branch_a.user["party_branch_id"], branch_b.user["party_branch_id"]
    sa = students_of(committee, a_id)
    sb = students_of(committee, b_id)
    p = new_period(committee, METRICS)
    good = [[sa[0]["name"], sa[0]["student_no"], names[a_id], 90, 0], [sa[1]["name"], sa[1]["student_no"], names[a_id], 80, 1]]
    assert upload(committee, p["id"], xlsx([HEAD] + good)).status_code == 200
    assert _count(committee, p["id"]) == 2
    bad_rows = {
        "姓名": [["", sa[2]["student_no"], names[a_id], 70, 0]],
        "学号": [[sa[2]["name"], "", names[a_id], 70, 0]],
        "党支部": [[sa[2]["name"], sa[2]["student_no"], "", 70, 0]],
        "unknown": [["无此人", "99999999999", names[a_id], 70, 0]],
        "other_branch": [[sb[0]["name"], sb[0]["student_no"], names[a_id], 70, 0]],
        "non_numeric": [[sa[2]["name"], sa[2]["student_no"], names[a_id], "优秀", 0]],
        "duplicate": [[sa[2]["name"], sa[2]["student_no"], names[a_id], 70, 0], [sa[2]["name"], sa[2]["student_no"], names[a_id], 60, 0]],
    }
    expected = {"姓名": ("name", "姓名"), "学号": ("student_no", "学号"), "党支部": ("branch", "党支部"),
                "unknown": ("student_no", "学号"), "other_branch": ("branch", "党支部"),
                "non_numeric": (p["metrics"][0]["key"], "学习成绩"), "duplicate": ("student_no", "学号")}
    for case, rows in bad_rows.items():
        r = upload(committee, p["id"], xlsx([HEAD] + rows))
        assert r.status_code == 422, (case, r.text)
        body = r.json()
        assert body["status"] == 422 and body["msg"].startswith("导入失败，数据未做任何修改：第")
        # one error shape: {field, label, msg, row}; no other keys
        assert all(set(e) == {"field", "label", "msg", "row"} for e in body["errors"]), body["errors"]
        assert any((e["field"], e["label"]) == expected[case] and e["row"] for e in body["errors"]), (case, body["errors"])
        assert _count(committee, p["id"]) == 2, case
    r = upload(committee, p["id"], xlsx([HEAD] + good), mode="partial")
    assert r.status_code == 422 and r.json()["errors"][0] == {"field": "training_type", "label": "培养类型",
                                                              "msg": "局部导入必须选择培养类型"}
    # every problem at once, with row numbers
    all_rows = [row for rows in bad_rows.values() for row in rows]
    r = upload(committee, p["id"], xlsx([HEAD] + all_rows), mode="partial")
    assert r.status_code == 422
    errors = r.json()["errors"]
    labels = [e["label"] for e in errors]
    assert {"姓名", "学号", "党支部", "学习成绩", "培养类型"} <= set(labels)
    msgs = " ".join(e["msg"] for e in errors)
    assert "不存在" in msgs and "不属于" in msgs and "重复" in msgs and "不是数字" in msgs and "必须选择培养类型" in msgs
    assert {e["row"] for e in errors if e.get("row")} == set(range(2, 2 + len(all_rows)))
    assert _count(committee, p["id"]) == 2


def test_messy_file_imports_and_partial_replaces_one_type(committee, branch_a):
    names = branch_names(committee)
    a_id = branch_a.user["party_branch_id"]
    sa = students_of(committee, a_id)
    p = new_period(committee, METRICS)
    rows = [[" 姓名 ", "学号", "党支部 ", "学习成绩", "违纪扣分"], [None] * 5]
    for i, s in enumerate(sa[:3]):
        rows.append([f" {s['name']}\u3000", int(s["student_no"]), f" {names[a_id]}", f" {80 + i} ", 0])
        rows.append(["", "", "", "", ""])
    r = upload(committee, p["id"], xlsx(rows, title_row="2025年党员评价数据（计算机学院）"))
    assert r.status_code == 200, r.text
    assert r.json()["data"]["imported"] == 3 and r.json()["data"]["mode_label"] == "全部导入"
    tt = committee.get(f"{API}/periods/{p['id']}/records").json()["data"]["items"][0]["training_type"]
    other_tt = "研究生" if tt == "本科生" else "本科生"
    # partial import of the other training type leaves these rows alone
    r = upload(committee, p["id"], xlsx([HEAD, [sa[0]["name"], sa[0]["student_no"], names[a_id], 1, 1]]), "partial", other_tt)
    assert r.status_code == 422 and "局部导入只能包含" in r.text
    r = upload(committee, p["id"], xlsx([HEAD, [sa[0]["name"], sa[0]["student_no"], names[a_id], 1, 1]]), "partial", tt)
    assert r.status_code == 200 and _count(committee, p["id"]) == 1
