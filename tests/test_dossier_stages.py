"""一人一档 and 历史数据导入 are generic over the stage registry: on throwaway reception and
conversion stages (tests/plugins/probation_stage.py, with a CompletenessCheck), the template
gets their steps, people are imported into them, and the cover lists the documents the
completeness check expects but the file lacks."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.conftest import login
from tests.history_helpers import URL, branch_name, filled, person_row, record_of, send
from tests.probation_helpers import probation_app


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    with probation_app(tmp_path_factory.mktemp("dossier-stages"), students=8) as e:
        yield e


def test_throwaway_stages_are_imported_and_their_missing_documents_are_on_the_cover(env):
    committee, branch = login(env.c, "dangwei"), env.branch
    template = committee.get(f"{URL}/template").content
    row = person_row(branch_name(committee, branch.user["party_branch_id"]))
    row.update({"当前阶段": "预备党员的教育考察和转正", "当前环节": "上级党委预审",
                "积极分子-指定培养联系人": "2024-10-10", "积极分子-入党积极分子及培养联系人名单公示": "2024-10-20",
                "积极分子-培育考察": "2025-10-20", "预备党员接收-准备": "2025-11-01", "预备党员接收-入党志愿书管理": "2025-11-05",
                "预备党员接收-支部大会讨论": "2025-11-10", "预备党员接收-上级党委派人谈话": "2025-11-12",
                "预备党员接收-上级党委审批": "2025-11-20", "预备党员转正-入党宣誓": "2025-11-25"})
    # a candidate stage registered by an installed plugin comes between: its steps get dates too
    from io import BytesIO

    from openpyxl import load_workbook

    titles = [c.value for c in load_workbook(BytesIO(template)).active[2]]
    for k, title in enumerate(t for t in titles if t and t.startswith("发展对象-")):
        row[title] = f"2025-10-{21 + k:02d}"
    r = send(committee, filled(template, [row]), dry_run=False)
    assert r.status_code == 200, r.text
    rid = record_of(committee, row["学号"])
    t = committee.get(f"/api/pc/v1/development/records/{rid}/timeline").json()["data"]
    assert (t["record"]["stage"], t["record"]["step"]) == ("conversion", "pre_review")
    assert t["record"]["milestones"]["received_at"] == "2025-11-10" and t["record"]["milestones"]["oath_at"] == "2025-11-25"
    reg = {g["no"]: g for g in t["regulation"]}
    assert reg[15]["done"] and reg[15]["date"].startswith("2025-11-10") and reg[20]["done"] and not reg[23]["done"]
    pdf = committee.get(f"/api/pc/v1/development/dossiers/records/{rid}")
    assert pdf.status_code == 200, pdf.text
    reader = PdfReader(io.BytesIO(pdf.content))
    cover = "".join(p.extract_text() for p in reader.pages)
    assert "缺少的材料" in cover and "入党志愿书" in cover and "支部大会组织生活记录" in cover
    assert "转正支部大会组织生活记录" not in cover  # the conversion stage is not passed yet: nothing is missing there
    assert "暂无归档材料" in cover
