"""Helpers for the history import and dossier tests: fill the downloaded template, import it."""
from __future__ import annotations

from io import BytesIO

from tests.conftest import unique

URL = "/api/pc/v1/development/history-import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def filled(template: bytes, rows: list[dict]) -> bytes:
    """The template with ``rows`` ({column title: value}) under its header row."""
    from openpyxl import load_workbook

    wb = load_workbook(BytesIO(template))
    ws = wb.active
    head = next(r for r in range(1, 5) if ws.cell(r, 1).value == "学号")
    titles = [c.value for c in ws[head]]
    for i, row in enumerate(rows, start=head + 1):
        unknown = set(row) - set(titles)
        assert not unknown, f"not in the template: {unknown}"
        for title, value in row.items():
            ws.cell(i, titles.index(title) + 1, value)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def send(api, data: bytes, *, dry_run: bool):
    return api.post(URL, files={"file": ("历史数据.xlsx", data, XLSX)}, data={"dry_run": "true" if dry_run else "false"})


def branch_name(committee, branch_id: int) -> str:
    options = committee.get("/api/pc/v1/orgs/options", params={"kind": "party", "level": "branch"}).json()["data"]["options"]
    return next(o["label"] for o in options if o["value"] == branch_id)


def person_row(branch: str, **extra) -> dict:
    """A new person at activist/contact with every earlier step dated in order."""
    sno = unique("h").upper()[:12]
    row = {"学号": sno, "姓名": f"导入{sno[-4:]}", "所在党支部": branch, "手机": "13900139000", "当前阶段": "入党积极分子的确定和培养教育",
           "当前环节": "指定培养联系人",
           "申请入党-递交入党申请书": "2024-03-01", "申请入党-党组织派人谈话": "2024-03-20", "申请入党-申请人公示": "2024-04-10",
           "积极分子-确定符合条件的申请人": "2024-09-05", "积极分子-团支部推优/党员推优": "2024-09-10",
           "积极分子-入党积极分子名单公示": "2024-09-20", "积极分子-填报支委会议时间": "2024-09-25", "积极分子-上级党委备案": "2024-10-08"}
    row.update(extra)
    return row


def record_of(committee, student_no: str) -> int:
    items = committee.get("/api/pc/v1/development/dossiers/people", params={"student_no": student_no}).json()["data"]["items"]
    assert len(items) == 1, items
    return items[0]["record_id"]
