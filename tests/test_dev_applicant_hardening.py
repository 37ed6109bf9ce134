"""Applicant-stage defects of issue 8, each tried: proxy candidates the proxy route would
refuse, a proxy letter its applicant could not open, no message on approval, eligible
without problems after a withdrawal, the talker shown as 学生, and the row actions' shape."""
from tests.dev_helpers import local_today, new_student, upload
from tests.test_messaging_api import deliver

API = "/api/pc/v1/development/applicants"


def test_proxy_candidates_are_only_those_the_proxy_route_accepts(client, committee, branch_a):
    young = new_student(client, committee, birth=local_today().replace(year=local_today().year - 17))
    member = new_student(client, committee)
    uid = member.user["id"]
    profile = member.get("/api/mp/v1/profile").json()["data"]
    r = committee.put(f"/api/pc/v1/members/{uid}", json={**profile, "name": member.user["name"], "student_no": member.user["username"],
                                                           "phone": "13800138000", "political_status": "中共党员"})
    assert r.status_code == 200, r.text
    fine = new_student(client, committee)
    options = {o["value"] for o in branch_a.get(f"{API}/proxy-candidates").json()["data"]["options"]}
    assert fine.user["id"] in options and young.user["id"] not in options and uid not in options
    assert fine.user["id"] not in {o["value"] for o in branch_a.get(f"{API}/proxy-candidates", params={"keyword": "不存在"}).json()["data"]["options"]}


def test_a_proxy_letter_is_the_applicants_and_approval_is_announced(client, committee, branch_a, tiny_png):
    me = new_student(client, committee)
    token = upload(branch_a, tiny_png)
    assert me.get(f"/api/files/{token}").status_code == 404  # not theirs yet
    r = branch_a.post(f"{API}/proxy", json={"user_id": me.user["id"], "files": [token], "signed_date": local_today().isoformat()})
    assert r.status_code == 200, r.text
    assert me.get(f"/api/files/{token}").status_code == 200  # the proxy route attached it to the applicant
    assert me.get("/api/mp/v1/development/apply").json()["letter"]["by_proxy"] is True
    assert branch_a.post(f"{API}/review", json={"record_ids": [r.json()["data"]["record_id"]], "approve": True}).status_code == 200
    deliver(client)
    titles = [m["title"] for m in me.get("/api/mp/v1/messages", params={"per_page": 50}).json()["items"]]
    assert "入党申请书审核通过" in titles


def test_after_a_withdrawal_the_student_may_submit_again(client, committee, tiny_png):
    me = new_student(client, committee)
    assert me.post("/api/mp/v1/development/apply", json={"files": [upload(me, tiny_png)], "signed_date": local_today().isoformat()}).status_code == 200
    waiting = me.get("/api/mp/v1/development/apply").json()
    assert waiting["eligible"] is False and waiting["problems"] == ["入党申请书已提交，正在等待审核"]
    assert me.post("/api/mp/v1/development/apply/withdraw").status_code == 200
    again = me.get("/api/mp/v1/development/apply").json()
    assert again["eligible"] is True and again["problems"] == [] and again["record"]["step"] == "application"


def test_row_actions_send_a_list_and_a_rejected_row_keeps_its_reason_and_button(client, committee, branch_a, tiny_png):
    client.cookies.set("xf_token", branch_a.token)
    try:
        page = client.post("/admin/development/page/applicants").json()["data"]
    finally:
        client.cookies.clear()
    crud = page["body"][0]
    buttons = {b["label"]: b for b in crud["columns"][-1]["buttons"]}
    review = buttons["审核入党申请"]
    assert review["dialog"]["body"]["api"]["data"]["record_ids"] == ["${id}"]
    assert "rejected" in review["visibleOn"] and review["disabledOn"] == "this.letter_status === 'rejected'"
    assert buttons["指派谈话"]["dialog"]["body"]["api"]["data"]["record_ids"] == ["${id}"]
    assert buttons["重新发展"]["api"]["data"] == {"record_ids": ["${id}"]}
    bulk = {b["label"] for b in crud["bulkActions"]}
    assert {"批量审核谈话记录-通过", "批量审核谈话记录-不通过", "批量审核入党申请-不通过"} <= bulk
    me = new_student(client, committee)
    me.post("/api/mp/v1/development/apply", json={"files": [upload(me, tiny_png)], "signed_date": local_today().isoformat()})
    rid = branch_a.get(API, params={"name": me.user["name"]}).json()["data"]["items"][0]["id"]
    # the row action's body as amis sends it: the form's fields and record_ids: [id]
    r = branch_a.post(f"{API}/review", json={"approve": False, "reason": "落款日期不清", "record_ids": [rid]})
    assert r.status_code == 200, r.text
    row = branch_a.get(API, params={"name": me.user["name"]}).json()["data"]["items"][0]
    assert row["letter_status"] == "rejected" and row["letter_reason"] == "落款日期不清"
