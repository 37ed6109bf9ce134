"""较上期 stays true when an earlier report changes (regenerated, deleted, moved), and the same in the
college and branch views, PC and MP; top-10 lists keep every tie (EV-4, EV-9..EV-11)."""
from __future__ import annotations

import re
import uuid
from io import BytesIO

from pypdf import PdfReader

from tests.conftest import students_of
from tests.test_evaluation_import import API, HEAD, METRICS, branch_names, upload, xlsx
from tests.test_evaluation_reports import MP


def _people(committee, branch_a, branch_b):
    names = branch_names(committee)
    a_id, b_id = branch_a.user["party_branch_id"], branch_b.user["party_branch_id"]
    a = [(s, names[a_id]) for s in students_of(committee, a_id)[:4]]
    b = [(s, names[b_id]) for s in students_of(committee, b_id)[:4]]
    return a, b, a_id, b_id


def _load(committee, pid, people, scores):
    rows = [HEAD] + [[s["name"], s["student_no"], bname, v, 0] for (s, bname), v in zip(people, scores)]
    assert upload(committee, pid, xlsx(rows)).status_code == 200


def _period(committee, year, name):
    p = committee.post(f"{API}/periods", json={"year": year, "name": name}).json()["data"]
    assert committee.put(f"{API}/periods/{p['id']}/metrics", json={"metrics": METRICS}).status_code == 200
    return p


def _changes(api, pid, people, mp=False):
    """Each person's 学院综合排名较上期 as the member list and the personal report show it."""
    listed = {i["user_id"]: i["change"] for i in api.get(f"{API}/reports/{pid}/members", params={"per_page": 100}).json()["data"]["items"]}
    detail = {}
    for s, _ in people:
        d = api.get(f"{MP if mp else API}/reports/{pid}/members/{s['id']}").json()
        detail[s["id"]] = (d if mp else d["data"])["metric_ranks"][0]["change"]
    assert listed == detail
    return [listed[s["id"]] for s, _ in people]


def _branch_changes(committee, pid, a_id, b_id):
    """A branch's 较上期 in the college report's ranking and in its own report, PC and MP: all the same."""
    college = {b["branch_id"]: b["change"] for b in committee.get(f"{API}/reports/{pid}/college").json()["data"]["branch_ranking"]}
    mp_college = {b["branch_id"]: b["change"] for b in committee.get(f"{MP}/reports/{pid}/college").json()["branch_ranking"]}
    own = {bid: committee.get(f"{API}/reports/{pid}/branches/{bid}").json()["data"]["overview"]["change"] for bid in (a_id, b_id)}
    mp_own = {bid: committee.get(f"{MP}/reports/{pid}/branches/{bid}").json()["overview"]["change"] for bid in (a_id, b_id)}
    assert college == mp_college and own == mp_own
    assert {bid: college[bid] for bid in (a_id, b_id)} == own, (college, own)
    return own[a_id], own[b_id]


HIGH_A = [90, 85, 80, 75, 60, 55, 50, 45]   # branch A ranks 1-4, B 5-8
HIGH_B = [70, 65, 60, 55, 95, 90, 85, 80]   # branch B ranks 1-4, A 5-8
LOW_A = [40, 35, 30, 25, 60, 55, 50, 45]    # branch B ranks 1-4, A 5-8


def test_later_reports_follow_an_earlier_report_that_changes(committee, branch_a, branch_b):
    a, b, a_id, b_id = _people(committee, branch_a, branch_b)
    people = a + b
    tag = uuid.uuid4().hex[:8]
    year, earlier_year = f"0000b{tag}", f"0000a{tag}"  # sort before every other test's years: nothing compares earlier
    p1, p2, p3 = (_period(committee, year, n) for n in ("第一学期", "第二学期", "第三学期"))
    for p, scores in ((p1, HIGH_A), (p2, HIGH_B), (p3, HIGH_A)):
        _load(committee, p["id"], people, scores)
        r = committee.post(f"{API}/periods/{p['id']}/generate")
        assert r.status_code == 200, r.text
        assert committee.post(f"{API}/periods/{p['id']}/publish").status_code == 200
    assert r.json()["data"]["previous"][0]["period_id"] == p2["id"]
    assert _changes(committee, p2["id"], people) == [-4] * 4 + [4] * 4
    assert _branch_changes(committee, p2["id"], a_id, b_id) == (-1, 1)

    # regenerate the first period with other figures: the second period's 较上期 follows at once
    _load(committee, p1["id"], people, LOW_A)
    r = committee.post(f"{API}/periods/{p1['id']}/generate")
    assert r.status_code == 200
    assert r.json()["data"]["refreshed"] == [{"period_id": p2["id"], "label": f"{year} 第二学期"}]  # p3 compares with p2
    assert "已同步更新 1 个后续评价时段" in r.json()["msg"]
    assert _changes(committee, p2["id"], people) == [0] * 8
    assert _changes(branch_a, p2["id"], a, mp=True) == [0] * 4  # the branch admin on the MP sees the same
    assert _branch_changes(committee, p2["id"], a_id, b_id) == (0, 0)
    assert "与上一评价时段相比，学院综合排名保持不变" in committee.get(f"{API}/reports/{p2['id']}/members/{a[0][0]['id']}").json()["data"]["opinion"]

    # delete the first period: the second has nothing to compare with any more
    r = committee.delete(f"{API}/periods/{p1['id']}")
    assert r.status_code == 200 and "已同步更新 1 个评价时段" in r.json()["msg"]
    assert _changes(committee, p2["id"], people) == [None] * 8
    assert _branch_changes(committee, p2["id"], a_id, b_id) == (None, None)

    # move the third period into an earlier year: it comes first, the second compares with it
    holder = committee.post(f"{API}/periods", json={"year": earlier_year, "name": "第一学期"}).json()["data"]
    r = committee.put(f"{API}/periods/{p3['id']}", json={"year_id": holder["year_id"]})
    # p3 and p2 at least (another test's first report may have compared with p3 and now compares with p2)
    assert r.status_code == 200 and int(re.search(r"已同步更新 (\d+) 个评价时段", r.json()["msg"]).group(1)) >= 2
    assert _changes(committee, p3["id"], people) == [None] * 8
    assert _changes(committee, p2["id"], people) == [-4] * 4 + [4] * 4
    assert _branch_changes(committee, p2["id"], a_id, b_id) == (-1, 1)


def test_top10_keeps_every_tie_and_says_so(committee, settings):
    names = branch_names(committee)
    people = [(s, names[bid]) for bid in names for s in students_of(committee, bid)]
    assert len(people) >= 31, "the demo college has 40 students"
    people = people[:31]
    p = _period(committee, f"年{uuid.uuid4().hex[:8]}", "第一学期")
    # 学习成绩: ranks 1..9, then three tied at 10th place, the rest below; 违纪扣分: all 31 tied at 1st
    scores = [100, 99, 98, 97, 96, 95, 94, 93, 92, 90, 90, 90] + [50] * 19
    _load(committee, p["id"], people, scores)
    assert committee.post(f"{API}/periods/{p['id']}/generate").status_code == 200
    assert committee.post(f"{API}/periods/{p['id']}/publish").status_code == 200
    d = committee.get(f"{API}/reports/{p['id']}/college").json()["data"]
    blocks = {b["name"]: b for b in d["top10"]}
    study = blocks["学习成绩"]
    assert study["count"] == 12 and len(study["items"]) == 12 and not study["truncated"]
    assert [i["rank"] for i in study["items"]] == list(range(1, 11)) + [10, 10]
    assert [i["tie_count"] for i in study["items"][-3:]] == [3, 3, 3] and study["items"][0]["tie_count"] == 1
    assert study["note"] == "第 10 名并列 3 人，前 10 名（含并列）共 12 人。"
    assert blocks["综合"]["count"] == 12
    penalty = blocks["违纪扣分"]
    assert penalty["count"] == 31 and len(penalty["items"]) == 30 and penalty["truncated"]
    assert penalty["note"] == "第 1 名并列 31 人，前 10 名（含并列）共 31 人，此处列出其中 30 人。"
    assert committee.get(f"{MP}/reports/{p['id']}/college").json()["top10"] == d["top10"]
    pdf = committee.get(f"{API}/reports/{p['id']}/college/pdf")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert "10（并列）" in text and "第 10 名并列 3 人" in text and "此处列出其中 30 人" in text
