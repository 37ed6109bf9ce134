"""Evaluation: branch ranks with ties, metric editing (EV-2/EV-4), the data-edit page, PDF and
export rights from outside, the college PDF's capped top list, the branch PDF's text."""
from __future__ import annotations

import random
from io import BytesIO

from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from plugins.evaluation.generate import Grouping, ranks_in
from plugins.evaluation.pdfs import TOP_ROWS, college_pdf
from plugins.evaluation.report_schemas import (BranchStanding, CollegeOverview, CollegeReport, MetricChoice, ReportPeriod,
                                               TopMember, TopSummary)
from tests.conftest import students_of
from tests.test_evaluation_import import API, HEAD, METRICS, branch_names, new_period, upload, xlsx
from tests.test_evaluation_reports import MP, _setup


def _brute(values, groups, higher_better):
    def better(a, b):
        return a > b if higher_better else a < b
    college = [1 + sum(better(w, v) for w in values) for v in values]
    branch = [1 + sum(better(w, v) for w, h in zip(values, groups) if h == g) for v, g in zip(values, groups)]
    return college, branch


def test_ranks_in_college_and_branch_with_ties():
    rng = random.Random(7)
    for _ in range(50):
        n = rng.randint(1, 40)
        values = [float(rng.choice([60, 70, 70.5, 80, 90])) for _ in range(n)]
        groups = [rng.choice([11, 12, 13]) for _ in range(n)]
        for hb in (True, False):
            assert ranks_in(values, Grouping(groups), hb) == _brute(values, groups, hb)
    # the documented example: 90, 80, 80, 70 -> 1, 2, 2, 4; one branch of two people per side
    assert ranks_in([90.0, 80.0, 80.0, 70.0], Grouping([1, 2, 1, 2]), True) == ([1, 2, 2, 4], [1, 1, 2, 2])
    assert ranks_in([1.0, 3.0, 3.0, 0.0], Grouping([1, 1, 1, 1]), False) == ([2, 3, 3, 1], [2, 3, 3, 1])


def test_metric_editing_before_first_report_only(committee, branch_a):
    names = branch_names(committee)
    a_id = branch_a.user["party_branch_id"]
    sa = students_of(committee, a_id)[:3]
    p = new_period(committee, METRICS)
    keys = [m["key"] for m in p["metrics"]]
    assert upload(committee, p["id"], xlsx([HEAD] + [[s["name"], s["student_no"], names[a_id], 80 + i, i] for i, s in enumerate(sa)])).status_code == 200
    # the data-edit page (an admin page, not an API route) labels columns and inputs with the metric names
    page = committee.post(f"/admin/evaluation/page/records?period_id={p['id']}").json()["data"]
    schema = page["body"]
    assert schema["type"] == "crud" and schema["api"].endswith(f"/periods/{p['id']}/records")
    labels = {c.get("label") for c in schema["columns"]}
    assert {"学习成绩", "违纪扣分"} <= labels and not {"m1", "m2", "指标 m1"} & labels
    form = next(c for c in schema["columns"] if c.get("type") == "operation")["buttons"][0]["dialog"]["body"]["body"]
    assert [(f["label"], f["min"], f["max"]) for f in form if f.get("type") == "input-number"] == [
        ("学习成绩", 0, 100), ("违纪扣分", 0, 100)]
    assert "请从" in str(committee.post("/admin/evaluation/page/records?period_id=99999999999999999999").json()["data"])
    # too many metrics, duplicate names: refused in Chinese
    r = committee.put(f"{API}/periods/{p['id']}/metrics", json={"metrics": [{"name": f"指标{i}"} for i in range(13)]})
    assert r.status_code == 422 and "最多 12 个" in r.json()["msg"]
    r = committee.put(f"{API}/periods/{p['id']}/metrics", json={"metrics": [{"name": "甲"}, {"name": "甲"}]})
    assert r.status_code == 422 and "重复" in r.json()["msg"]
    # drop 违纪扣分 and add 志愿服务: the new metric reuses the slot but not the old values
    r = committee.put(f"{API}/periods/{p['id']}/metrics", json={"metrics": [
        {"key": keys[0], "name": "学习成绩（百分制）", "weight": 1, "higher_better": True}, {"name": "志愿服务", "weight": 1}]})
    assert r.status_code == 200 and "重新导入" in r.json()["msg"]
    metrics = r.json()["data"]["metrics"]
    assert metrics[0]["key"] == keys[0] and metrics[1]["name"] == "志愿服务"
    items = committee.get(f"{API}/periods/{p['id']}/records").json()["data"]["items"]
    assert sorted(i[keys[0]] for i in items) == [80, 81, 82] and all(i[metrics[1]["key"]] is None for i in items)
    r = committee.post(f"{API}/periods/{p['id']}/generate")
    assert r.status_code == 409 and "缺少评价指标“志愿服务”" in r.json()["msg"]
    # editing the missing values makes the period reportable
    for i in items:
        assert committee.put(f"{API}/records/{i['id']}", json={metrics[1]["key"]: 5}).status_code == 200
    assert committee.post(f"{API}/periods/{p['id']}/generate").status_code == 200
    r = committee.put(f"{API}/periods/{p['id']}/metrics", json={"metrics": METRICS})
    assert r.status_code == 409 and "评价指标不能再修改" in r.json()["msg"]
    tpl = CalamineWorkbook.from_filelike(BytesIO(committee.get(f"{API}/periods/{p['id']}/template").content))
    assert tpl.get_sheet_by_index(0).to_python()[1][4:] == ["学习成绩（百分制）", "志愿服务"]


def _college(count: int, top10: list | None = None) -> CollegeReport:
    return CollegeReport(
        period=ReportPeriod(id=1, label="2025-2026学年 第一学期", published=True),
        overview=CollegeOverview(name="计算机学院", student_count=count * 5, branch_count=1), summary="概要",
        branch_ranking=[BranchStanding(branch_id=1, name="第一党支部", training_type="本科生", member_count=count * 5,
                                       top_count=count, rank=1)],
        top=TopSummary(count=count, cutoff=count), top10=top10 or [], metric="composite", metric_name="综合", threshold=20,
        thresholds=[10, 20, 30], metrics=[MetricChoice(key="composite", name="综合")])


def _pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def test_college_pdf_caps_a_long_top_list_and_says_so(settings):
    top = [TopMember(user_id=i, name=f"党员{i:04d}", student_no=f"2025{i:06d}", branch_name="第一党支部", value=100 - i / 100, rank=i)
           for i in range(1, TOP_ROWS + 2)]
    text = _pdf_text(college_pdf(_college(250), top, settings))
    assert "共 250 人" in text and "完整名单见导出" in text and "并列者未全部列出" not in text
    assert f"党员{TOP_ROWS:04d}" in text and f"党员{TOP_ROWS + 1:04d}" not in text
    # the cut falls inside a tie: the note says that the tie is not listed in full
    tied = [x.model_copy(update={"rank": min(x.rank, 95)}) for x in top]
    assert "第 95 名的并列者未全部列出" in _pdf_text(college_pdf(_college(250), tied, settings))


def test_pdfs_and_exports_refused_from_outside(committee, branch_a, branch_b, student_a, student_a2, anonymous):
    (_, p2), sa, a_id = _setup(committee, branch_a, student_a)
    pid, me = p2["id"], student_a.user["id"]
    college_urls = [f"{API}/reports/{pid}/college/pdf", f"{API}/reports/{pid}/college/top", f"{API}/reports/{pid}/college/top.xlsx",
                    f"{API}/reports/{pid}/college", f"{MP}/reports/{pid}/college", f"{MP}/reports/{pid}/college/top"]
    branch_urls = [f"{API}/reports/{pid}/branches/{a_id}", f"{API}/reports/{pid}/branches/{a_id}/pdf", f"{MP}/reports/{pid}/branches/{a_id}",
                   f"{API}/reports/{pid}/branches/{a_id}/members", f"{MP}/reports/{pid}/branches/{a_id}/members"]
    member_urls = [f"{API}/reports/{pid}/members/{me}", f"{API}/reports/{pid}/members/{me}/pdf", f"{MP}/reports/{pid}/members/{me}"]
    for url in college_urls + branch_urls + member_urls:
        assert anonymous.get(url).status_code == 401, url
    for url in college_urls:
        for who in (branch_a, branch_b, student_a):
            assert who.get(url).status_code in (403, 404), (url, who.user["username"])
    for url in branch_urls:
        assert student_a.get(url).status_code in (403, 404), url
        assert branch_b.get(url).status_code in (403, 404), url
    other = student_a2.user["id"]
    assert student_a2.get(f"{API}/reports/{pid}/members/{me}/pdf").status_code == 404
    assert student_a.get(f"{API}/reports/{pid}/members/{me}/pdf").status_code == 200
    assert student_a.get(f"{API}/reports/{pid}/members/{other}/pdf").status_code == 404
    # the branch PDF carries the members' names and branch ranks, as the API shows them
    detail = branch_a.get(f"{API}/reports/{pid}/branches/{a_id}").json()["data"]
    members = branch_a.get(f"{API}/reports/{pid}/branches/{a_id}/members", params={"per_page": 500}).json()["data"]
    assert members["total"] == len(members["items"]) >= 4 and members["page"] == 1
    r = branch_a.get(f"{API}/reports/{pid}/branches/{a_id}/pdf")
    assert r.status_code == 200 and r.content[:5] == b"%PDF-"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(r.content)).pages)
    for m in members["items"]:
        assert m["name"] in text
    assert f"{detail['overview']['name']}评价报告" in text and f"第 {detail['overview']['rank']} 名" in text
    # the full top list: paged for the page, complete in the Excel export
    top = committee.get(f"{API}/reports/{pid}/college/top", params={"threshold": 100, "per_page": 2}).json()["data"]
    assert top["total"] >= 4 and len(top["items"]) == 2 and [i["rank"] for i in top["items"]] == sorted(i["rank"] for i in top["items"])
    x = committee.get(f"{API}/reports/{pid}/college/top.xlsx", params={"threshold": 100})
    rows = CalamineWorkbook.from_filelike(BytesIO(x.content)).get_sheet_by_index(0).to_python()
    assert rows[1] == ["排名", "姓名", "学号", "党支部", "得分"] and {s["name"] for s in sa} <= {r[1] for r in rows[2:]}
    # withdrawn: the branch admin's PDF is gone too
    assert committee.post(f"{API}/periods/{pid}/withdraw").status_code == 200
    assert branch_a.get(f"{API}/reports/{pid}/branches/{a_id}/pdf").status_code == 404
    assert student_a.get(f"{API}/reports/{pid}/members/{me}/pdf").status_code == 404
    assert committee.get(f"{API}/reports/{pid}/branches/{a_id}/pdf").status_code == 200
