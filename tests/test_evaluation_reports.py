"""Evaluation reports: ranks with ties, change vs previous period, top-p%, rights, withdraw, PDF text."""
from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader

from plugins.evaluation.ranking import competition_ranks, cutoff
from tests.conftest import students_of, unique
from tests.test_evaluation_import import API, HEAD, METRICS, branch_names, upload, xlsx

MP = "/api/mp/v1/evaluation"


def test_competition_ranks_and_cutoff():
    assert competition_ranks([90, 80, 80, 70]) == [1, 2, 2, 4]
    assert competition_ranks([1, 3, 3, 0], higher_better=False) == [2, 3, 3, 1]
    assert [cutoff(10, t) for t in (10, 20, 30)] == [1, 2, 3]


def _setup(committee, branch_a, student_a):
    names = branch_names(committee)
    a_id = branch_a.user["party_branch_id"]
    sa = students_of(committee, a_id)[:4]
    me = next(s for s in students_of(committee, a_id) if s["username"] == student_a.user["username"])
    if me not in sa:
        sa[0] = me
    year = unique("20")
    periods = []
    for name, scores in (("第一学期", [70, 80, 90, 60]), ("第二学期", [90, 80, 80, 70])):
        p = committee.post(f"{API}/periods", json={"year": year, "name": name}).json()["data"]
        committee.put(f"{API}/periods/{p['id']}/metrics", json={"metrics": METRICS})
        rows = [HEAD] + [[s["name"], s["student_no"], names[a_id], v, 0] for s, v in zip(sa, scores)]
        assert upload(committee, p["id"], xlsx(rows)).status_code == 200
        assert committee.post(f"{API}/periods/{p['id']}/generate").status_code == 200
        assert committee.post(f"{API}/periods/{p['id']}/publish").status_code == 200
        periods.append(p)
    return periods, sa, a_id


def test_reports_ranks_rights_withdraw_pdf(committee, branch_a, branch_b, student_a, student_a2):
    (p1, p2), sa, a_id = _setup(committee, branch_a, student_a)
    pid = p2["id"]
    items = committee.get(f"{API}/reports/{pid}/members", params={"per_page": 100}).json()["data"]["items"]
    by_user = {i["user_id"]: i for i in items}
    assert [by_user[s["id"]]["college_rank"] for s in sa] == [1, 2, 2, 4]
    # change vs the previous period (ranks there: 3, 2, 1, 4)
    assert [by_user[s["id"]]["change"] for s in sa] == [2, 0, -1, 0]
    # top-p% at 10/20/30 %: 4 people -> cut-offs 1, 1, 2 (ties at the cut included)
    for t, expected in ((10, 1), (20, 1), (30, 3)):
        d = committee.get(f"{API}/reports/{pid}/college", params={"threshold": t}).json()["data"]
        assert d["top"]["count"] == expected, (t, d["top"])
    # branch admin A sees its branch and members; B is refused for A everywhere
    assert branch_a.get(f"{API}/reports/{pid}/branches/{a_id}").status_code == 200
    for url in (f"{API}/reports/{pid}/branches/{a_id}", f"{API}/reports/{pid}/branches/{a_id}/pdf",
                f"{API}/reports/{pid}/members/{sa[0]['id']}", f"{API}/reports/{pid}/members/{sa[0]['id']}/pdf",
                f"{API}/reports/{pid}/college", f"{MP}/reports/{pid}/branches/{a_id}", f"{MP}/reports/{pid}/members/{sa[0]['id']}"):
        assert branch_b.get(url).status_code in (403, 404), url
    assert branch_b.get(f"{API}/reports/{pid}/members").json()["data"]["total"] == 0
    # a student sees only itself
    me = student_a.user["id"]
    assert student_a.get(f"{MP}/reports/{pid}/members/me").json()["basic"]["user_id"] == me
    other = next(s["id"] for s in sa if s["id"] != me)
    assert student_a.get(f"{MP}/reports/{pid}/members/{other}").status_code == 404
    assert student_a.get(f"{API}/reports/{pid}/members/{other}/pdf").status_code == 404
    mp_list = student_a.get(f"{MP}/reports", params={"year": p2["year_name"]}).json()
    assert {i["id"] for i in mp_list["items"]} == {p1["id"], p2["id"]}
    assert mp_list["items"][0]["id"] == p2["id"]
    # PDF text carries the names and ranks the API shows
    detail = committee.get(f"{API}/reports/{pid}/members/{sa[2]['id']}").json()["data"]
    r = committee.get(f"{API}/reports/{pid}/members/{sa[2]['id']}/pdf")
    assert r.status_code == 200 and r.content[:5] == b"%PDF-"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(r.content)).pages)
    assert sa[2]["name"] in text and f"{detail['metric_ranks'][0]['college_rank']}/4" in text
    assert "上一评价时段" in detail["opinion"]
    cr = committee.get(f"{API}/reports/{pid}/college/pdf")
    ctext = "".join(page.extract_text() for page in PdfReader(BytesIO(cr.content)).pages)
    assert sa[0]["name"] in ctext
    mpd = branch_a.get(f"{MP}/reports/{pid}/branches/{a_id}").json()
    assert len(mpd["history"]) >= 2 and "status" not in mpd  # MP answers are the data itself
    mpm = branch_a.get(f"{MP}/reports/{pid}/branches/{a_id}/members", params={"per_page": 2}).json()
    assert [m["name"] for m in mpm["items"]][:1] == [sa[0]["name"]]
    assert (mpm["total"], mpm["page"], mpm["per_page"], len(mpm["items"])) == (4, 1, 2, 2)
    # withdraw: branch admin and student see nothing, by list or by id
    assert branch_a.post(f"{API}/periods/{pid}/withdraw").status_code == 403
    assert committee.post(f"{API}/periods/{pid}/withdraw").status_code == 200
    for api, url in ((branch_a, f"{API}/reports/{pid}/branches/{a_id}"), (branch_a, f"{MP}/reports/{pid}/branches/{a_id}"),
                     (student_a, f"{MP}/reports/{pid}/members/me"), (student_a, f"{API}/reports/{pid}/members/{me}/pdf"),
                     (committee, f"{MP}/reports/{pid}/college")):
        assert api.get(url).status_code == 404, url
    assert pid not in {i["id"] for i in student_a.get(f"{MP}/reports").json()["items"]}
    assert pid not in {i["id"] for i in branch_a.get(f"{API}/reports").json()["data"]["items"]}
    assert committee.get(f"{API}/reports/{pid}/college").status_code == 200
