"""Issue 8 security: control characters in what people type are refused with a Chinese field
message (they broke xlsx exports later), and xlsx exports cope with whatever is stored."""
from io import BytesIO

import pytest
from openpyxl import load_workbook

from core.documents import xlsx_bytes
from core.text import control_problem
from tests.conftest import login, unique

BAD = ["\x00", "\x07", "\x1b[31m", "\x7f", "\u202e", "\x85"]


def _role(api, label="学生"):
    return next(o["value"] for o in api.get("/api/pc/v1/users/role-options").json()["data"]["options"] if o["label"] == label)


def _refused(r, field: str, label: str) -> None:
    assert r.status_code == 422, r.text
    assert {"field": field, "label": label, "msg": f"{label}不能包含控制字符"} in r.json()["errors"], r.json()


@pytest.mark.parametrize("bad", BAD, ids=[repr(b) for b in BAD])
def test_user_name_with_control_characters_is_refused(committee, bad):
    r = committee.post("/api/pc/v1/users", json={"username": unique("cc"), "name": f"张{bad}三", "password": "Good@2026x",
                                                "role_ids": [_role(committee)]})
    _refused(r, "name", "姓名")


def test_every_text_input_of_people_and_organisations_refuses_control_characters(committee):
    branch = next(o["value"] for o in committee.get("/api/pc/v1/orgs/options").json()["data"]["options"] if o["label"] == "本科生第一党支部")
    cases = [
        ("/api/pc/v1/users", {"username": "u\x01" + unique(""), "name": "x", "password": "Good@2026x", "role_ids": [_role(committee)]}, "username", "账号"),
        ("/api/pc/v1/users", {"username": unique("cc"), "name": "x", "password": "Good@2026x", "role_ids": [_role(committee)],
                              "student_no": "2025\x000001"}, "student_no", "学号"),
        ("/api/pc/v1/institutions", {"name": "班级\x1b", "type": "班级", "training_type": "本科生"}, "name", "机构名称"),
        ("/api/pc/v1/roles", {"key": unique("r"), "name": "角色\x08", "scope": "self"}, "name", "角色名称"),
        ("/api/pc/v1/roles", {"key": unique("r"), "name": "角色", "description": "第一行\n第二行\x07", "scope": "self"}, "description", "角色描述"),
        ("/api/pc/v1/orgs", {"name": "支部\u202e", "kind": "party", "training_type": "本科生"}, "name", "组织名称"),
        ("/api/pc/v1/orgs", {"name": unique("支部"), "kind": "party", "training_type": "本科生", "secretary": "书\x00记"}, "secretary", "书记"),
        ("/api/pc/v1/party-groups", {"name": "小组\x0c", "branch_id": branch}, "name", "党小组名称"),
    ]
    for url, body, field, label in cases:
        _refused(committee.post(url, json=body), field, label)


def test_multi_line_text_keeps_its_newlines(committee):
    r = committee.post("/api/pc/v1/roles", json={"key": unique("r"), "name": unique("多行"), "description": "第一行\n第二行\t缩进", "scope": "self"})
    assert r.status_code == 200, r.text


def test_profile_and_personal_centre_refuse_control_characters(client, committee):
    name = unique("cc")
    committee.post("/api/pc/v1/users", json={"username": name, "name": "控制", "password": "Good@2026x", "role_ids": [_role(committee)]})
    me = login(client, name, "Good@2026x")
    r = me.post("/api/mp/v1/profile/draft", json={"native_place": "广东\x0b广州"})
    assert r.status_code == 422 and r.json()["errors"][0] == {"field": "native_place", "label": "籍贯", "msg": "籍贯不能包含控制字符"}
    r = me.put("/api/mp/v1/personal", json={"name": "控\x00制"})
    _refused(r, "name", "姓名")
    r = me.post("/api/mp/v1/profile/submit", json={"name": "控制", "student_no": unique("")[:6], "address": "x" * 201})
    assert r.status_code == 422 and "家庭住址不能超过200个字" in r.json()["msg"]


def test_control_problem_allows_newlines_only_in_multiline_text():
    assert control_problem("a\nb") and control_problem("a\tb")
    assert control_problem("a\nb\tc\r\n", multiline=True) is None
    assert control_problem("正常的名字 O'Neil-李") is None


def test_xlsx_export_survives_control_characters_and_formula_text():
    data = xlsx_bytes(["姓名", "备注"], [["张\x00三\x1b", "=HYPERLINK(\"http://x\",\"点我\")"], ["李四", "第一行\n第二行"]])
    ws = load_workbook(BytesIO(data)).active
    assert ws.cell(2, 1).value == "张三"
    assert ws.cell(2, 2).value.startswith("=HYPERLINK") and ws.cell(2, 2).data_type == "s"
    assert ws.cell(3, 2).value == "第一行\n第二行"
