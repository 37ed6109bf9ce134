"""Evaluation import (EV-2) and edit (EV-3) rules found by trying them: what people type (full-width
digits, spaces), an ambiguous 学号, files that are not .xlsx, data on another sheet, metric ranges,
and period ids that are never reused."""
from __future__ import annotations

import uuid
import zipfile
from io import BytesIO

from openpyxl import Workbook
from sqlalchemy import insert, update

from tests.conftest import students_of, unique
from tests.test_evaluation_import import API, HEAD, METRICS, branch_names, new_period, upload, xlsx

WIDE = str.maketrans("0123456789", "０１２３４５６７８９")


def _rows(committee, branch_a, n=2):
    names = branch_names(committee)
    a_id = branch_a.user["party_branch_id"]
    return students_of(committee, a_id)[:n], names[a_id]


def test_full_width_digits_and_every_kind_of_space_are_what_people_mean(committee, branch_a):
    sa, bname = _rows(committee, branch_a, 3)
    p = new_period(committee, METRICS)
    typed = [
        [sa[0]["name"], sa[0]["student_no"].translate(WIDE), bname, "８５", 0],  # full-width 学号 and value
        [f"\u3000{sa[1]['name']}\u200b ", f" {sa[1]['student_no'][:4]} {sa[1]['student_no'][4:]}\xa0", f"{bname}\t", 70, 1],
        [sa[2]["name"], sa[2]["student_no"], bname.replace("(", "（").replace(")", "）"), "90，5", 0],
    ]
    r = upload(committee, p["id"], xlsx([HEAD] + typed))
    assert r.status_code == 200, r.text
    assert r.json()["data"]["imported"] == 3
    items = committee.get(f"{API}/periods/{p['id']}/records").json()["data"]["items"]
    key = p["metrics"][0]["key"]
    by_no = {i["student_no"]: i for i in items}
    assert set(by_no) == {s["student_no"] for s in sa}  # stored as the user's 学号, half-width, no spaces
    assert by_no[sa[0]["student_no"]][key] == 85 and by_no[sa[2]["student_no"]][key] == 90.5


def test_a_student_number_two_live_users_share_is_refused(client, app, committee, branch_a):
    """Two live users whose 学号 are the same once normalised (one typed full-width): importing that
    学号 cannot tell whose report it is, so the row is refused — whatever the database allows."""
    sa, bname = _rows(committee, branch_a, 1)
    a_id = branch_a.user["party_branch_id"]
    number = "2099" + str(uuid.uuid4().int)[:6]
    tag = uuid.uuid4().hex[:6]

    async def add_users():
        from core.models import User

        async with app.state.db.sessionmaker() as s:
            await s.execute(insert(User), [
                {"username": f"amb{tag}1", "name": "甲", "student_no": number, "party_branch_id": a_id},
                {"username": f"amb{tag}2", "name": "乙", "student_no": number.translate(WIDE), "party_branch_id": a_id}])
            await s.commit()

    async def retire_users():
        from core.models import User, utcnow

        async with app.state.db.sessionmaker() as s:
            await s.execute(update(User).where(User.username.in_([f"amb{tag}1", f"amb{tag}2"])).values(deleted_at=utcnow()))
            await s.commit()

    client.portal.call(add_users)
    try:
        p = new_period(committee, METRICS)
        r = upload(committee, p["id"], xlsx([HEAD, [sa[0]["name"], sa[0]["student_no"], bname, 80, 0], ["甲", number, bname, 70, 0]]))
        assert r.status_code == 422, r.text
        errors = r.json()["errors"]
        assert errors == [{"field": "student_no", "label": "学号", "row": 3,
                           "msg": f"学号 {number} 重复，对应多个用户，请先在用户管理中更正"}]
        assert committee.get(f"{API}/periods/{p['id']}/records").json()["data"]["total"] == 0
    finally:
        client.portal.call(retire_users)


def _zip(names: dict[str, bytes]) -> bytes:
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n, data in names.items():
            z.writestr(n, data)
    return buf.getvalue()


def test_only_xlsx_by_content_with_a_save_as_hint(committee, branch_a):
    p = new_period(committee, METRICS)
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024  # .xls (or a password-protected .xlsx)
    cases = {
        "xls": (ole2, "Excel 97-2003"),
        "csv utf-8": ("姓名,学号,党支部\n张三,2023100001,第一党支部\n".encode("utf-8"), "文本文件"),
        "csv gbk": ("姓名,学号,党支部\n张三,2023100001,第一党支部\n".encode("gbk"), "文本文件"),
        "docx": (_zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}), "不是 Excel 工作簿"),
        "png": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "不是 Excel 工作簿"),
    }
    for case, (data, what) in cases.items():
        r = upload(committee, p["id"], data)  # always named d.xlsx: the content decides
        assert r.status_code == 415, (case, r.text)
        body = r.json()
        assert body["msg"].startswith("只能上传 Excel 文件（.xlsx）") and what in body["msg"] and "*.xlsx" in body["msg"], body
        assert body["errors"] == [{"field": "file", "label": "文件", "msg": body["msg"]}]
    r = upload(committee, p["id"], b"")
    assert r.status_code == 400 and "文件为空" in r.json()["msg"]
    # damaged: looks like an xlsx container but is not readable -> a 422 that says so, never a 500
    r = upload(committee, p["id"], _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"not xml"}))
    assert r.status_code == 422 and "无法读取该 Excel 文件" in r.json()["msg"]
    # a real workbook named .xls is imported: the name does not decide
    sa, bname = _rows(committee, branch_a, 1)
    r = committee.post(f"{API}/periods/{p['id']}/import", data={"mode": "full"},
                       files={"file": ("数据.xls", xlsx([HEAD, [sa[0]["name"], sa[0]["student_no"], bname, 80, 0]]), "application/vnd.ms-excel")})
    assert r.status_code == 200, r.text


def _book(sheets: list[tuple[str, list[list]]], hidden: set[str] = frozenset()) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        if title in hidden:
            ws.sheet_state = "hidden"
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_the_sheet_with_the_header_row_is_imported(committee, branch_a):
    sa, bname = _rows(committee, branch_a, 2)
    data = [HEAD] + [[s["name"], s["student_no"], bname, 80 + i, 0] for i, s in enumerate(sa)]
    notes = [["填写说明"], ["请在“数据”工作表中填写"]]
    p = new_period(committee, METRICS)
    r = upload(committee, p["id"], _book([("说明", notes), ("数据", [["2025年评价数据"]] + data)]))
    assert r.status_code == 200, r.text
    assert r.json()["data"]["sheet"] == "数据" and r.json()["data"]["imported"] == 2
    # a hidden leftover copy next to the visible data sheet does not make it ambiguous
    r = upload(committee, p["id"], _book([("数据", data), ("旧数据", data)], hidden={"旧数据"}))
    assert r.status_code == 200 and r.json()["data"]["sheet"] == "数据"
    # errors on another sheet name the sheet
    bad = [HEAD, [sa[0]["name"], sa[0]["student_no"], bname, "优秀", 0]]
    r = upload(committee, p["id"], _book([("说明", notes), ("数据", bad)]))
    assert r.status_code == 422 and "工作表“数据”第2行【学习成绩】" in r.json()["msg"]
    # two visible sheets with a header: refused, naming both
    r = upload(committee, p["id"], _book([("一班", data), ("二班", data)]))
    assert r.status_code == 422
    assert "“一班”、“二班” 都有表头行" in r.json()["msg"] and r.json()["errors"][0]["field"] == "file"
    # no header anywhere: says where it looked
    r = upload(committee, p["id"], _book([("说明", notes), ("Sheet2", [["a", "b"], [1, 2]])]))
    assert r.status_code == 422
    msg = r.json()["msg"]
    assert msg.startswith("找不到表头行") and "“说明”、“Sheet2”" in msg and "姓名" in msg
    assert committee.get(f"{API}/periods/{p['id']}/records").json()["data"]["total"] == 2


def test_metric_values_outside_their_range_are_refused_on_import_and_edit(committee, branch_a):
    sa, bname = _rows(committee, branch_a, 3)
    metrics = [{"name": "学习成绩", "weight": 0.5}, {"name": "违纪扣分", "weight": 0.5, "higher_better": False, "min": -10, "max": 10}]
    p = new_period(committee, metrics)
    k1, k2 = p["metrics"][0]["key"], p["metrics"][1]["key"]
    assert [(m["min"], m["max"]) for m in p["metrics"]] == [(0, 100), (-10, 10)]
    rows = [[sa[0]["name"], sa[0]["student_no"], bname, 101, 0], [sa[1]["name"], sa[1]["student_no"], bname, -0.5, 0],
            [sa[2]["name"], sa[2]["student_no"], bname, 100, 11]]
    r = upload(committee, p["id"], xlsx([HEAD] + rows))
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {"field": k1, "label": "学习成绩", "row": 2, "msg": "101 超出取值范围（0～100）"},
        {"field": k1, "label": "学习成绩", "row": 3, "msg": "-0.5 超出取值范围（0～100）"},
        {"field": k2, "label": "违纪扣分", "row": 4, "msg": "11 超出取值范围（-10～10）"}]
    rows = [[s["name"], s["student_no"], bname, v, d] for s, v, d in zip(sa, (0, 100, 55.5), (-10, 10, 0))]
    assert upload(committee, p["id"], xlsx([HEAD] + rows)).status_code == 200  # the bounds themselves are allowed
    rec = committee.get(f"{API}/periods/{p['id']}/records").json()["data"]["items"][0]
    r = committee.put(f"{API}/records/{rec['id']}", json={k1: 100.5, k2: -11})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": k1, "label": "学习成绩", "msg": "100.5 超出“学习成绩”的取值范围（0～100）"},
                                  {"field": k2, "label": "违纪扣分", "msg": "-11 超出“违纪扣分”的取值范围（-10～10）"}]
    r = committee.put(f"{API}/records/{rec['id']}", json={"m12": 5})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "m12"
    assert committee.put(f"{API}/records/{rec['id']}", json={k1: "abc"}).status_code == 422
    after = committee.get(f"{API}/periods/{p['id']}/records").json()["data"]["items"][0]
    assert (after[k1], after[k2]) == (rec[k1], rec[k2])
    r = committee.put(f"{API}/records/{rec['id']}", json={**rec, k1: 99})  # the dialog sends the whole row back
    assert r.status_code == 200 and r.json()["data"][k1] == 99
    # a range must be a range; weights and bounds keep a composite finite
    r = committee.put(f"{API}/periods/{p['id']}/metrics", json={"metrics": [{"name": "甲", "min": 5, "max": 5}]})
    assert r.status_code == 422 and "最小值应小于最大值" in r.json()["msg"]
    r = committee.put(f"{API}/periods/{p['id']}/metrics", json={"metrics": [{"name": "甲", "weight": 1e308, "max": 1e300}]})
    assert r.status_code == 422 and {e["label"] for e in r.json()["errors"]} == {"权重", "最大值"}


def test_a_deleted_period_or_year_id_is_never_reused(committee):
    year = unique("年")
    first = committee.post(f"{API}/periods", json={"year": year, "name": "第一学期"}).json()["data"]
    assert committee.delete(f"{API}/periods/{first['id']}").json()["data"] == {}
    second = committee.post(f"{API}/periods", json={"year": year, "name": "第一学期"}).json()["data"]
    assert second["id"] > first["id"] and second["year_id"] > first["year_id"]
    assert committee.get(f"{API}/periods/{first['id']}").status_code == 404


def test_names_that_would_break_the_template_are_refused(committee):
    """Period, year and metric names go into the xlsx template and the PDFs: no control characters."""
    r = committee.post(f"{API}/periods", json={"year": unique("年"), "name": "第一\x07学期"})
    assert r.status_code == 422 and r.json()["errors"][0]["label"] == "评价学期"
    r = committee.post(f"{API}/periods", json={"year": "2025\x00", "name": "第一学期"})
    assert r.status_code == 422 and r.json()["errors"][0]["label"] == "评价年份"
    r = committee.post(f"{API}/periods", json={"year": unique("年"), "name": "   "})
    assert r.status_code == 422 and r.json()["msg"] == "评价学期不能为空"
    p = new_period(committee)
    r = committee.put(f"{API}/periods/{p['id']}/metrics", json={"metrics": [{"name": "学习\n成绩"}]})
    assert r.status_code == 422 and r.json()["errors"][0]["label"] == "指标名称"
    assert committee.get(f"{API}/periods/{p['id']}/template").status_code == 200
