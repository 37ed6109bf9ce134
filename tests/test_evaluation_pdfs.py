"""The evaluation PDFs at 1, 2 and 8 periods (EV-6), on a throwaway college: what can be checked
without eyes — full period labels (nothing cut to ``2025-20…``), sane page counts, no heading as the
last line of a page, charts inside their drawings, rank 1 off the axis.

Run as a script to look at the pages: ``python -m tests.test_evaluation_pdfs OUT_DIR`` writes the
college, branch and individual PDFs at 1, 2 and 8 periods and, with poppler's ``pdftoppm``, a PNG
per page.
"""
from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import Workbook
from pypdf import PdfReader
from sqlalchemy import select, update

from tests.conftest import DEMO_PASSWORD, login, own_app

API = "/api/pc/v1/evaluation"
YEARS = ["2022-2023学年", "2023-2024学年", "2024-2025学年", "2025-2026学年"]
PERIODS = [(y, s) for y in YEARS for s in ("第一学期", "第二学期")]
STAGES = (1, 2, 8)  # render after this many periods have reports
LONG_BRANCH = "计算机科学与技术系研究生第一党支部（含直博生）"
HEADINGS = ("党总支概况", "评价概要", "支部排名情况", "学院内", "党员个人排名 TOP10", "党支部概况", "支部历史排名变化",
            "支部内党员排名", "基础信息", "评价意见", "评价指标排名", "排名变化趋势")


def _sheet(people: list[tuple[str, str, str]], metrics: list[str], rng: random.Random) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "学号", "党支部"] + metrics)
    for name, sno, branch in people:
        ws.append([name, sno, branch] + [round(rng.uniform(55, 100), 1) for _ in metrics])
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def build_reports(tmp: Path, students: int = 60) -> dict[int, dict[str, bytes]]:
    """{periods: {"college"|"branch"|"individual": pdf bytes}} for each of STAGES."""
    out: dict[int, dict[str, bytes]] = {}
    with own_app(tmp, [], students=students) as (c, app):
        async def rename_branch():
            from plugins.org_mgmt.models import Organisation

            async with app.state.db.sessionmaker() as s:
                first = (await s.execute(select(Organisation.id).where(
                    Organisation.kind == "party", Organisation.level == "branch").order_by(Organisation.id))).scalars().first()
                await s.execute(update(Organisation).where(Organisation.id == first).values(name=LONG_BRANCH))
                await s.commit()

        c.portal.call(rename_branch)
        committee = login(c, "dangwei", DEMO_PASSWORD)
        users = committee.get("/api/pc/v1/users", params={"per_page": 500}).json()["data"]["items"]
        branches = {o["value"]: o["label"] for o in committee.get("/api/pc/v1/orgs/options", params={"kind": "party"}).json()["data"]["options"]}
        people = [(u["name"], u["student_no"], branches[u["party_branch_id"]]) for u in users
                  if u["student_no"] and u["party_branch_id"] in branches]
        rng = random.Random(8)
        done = 0
        for year, semester in PERIODS:
            p = committee.post(f"{API}/periods", json={"year": year, "name": semester}).json()["data"]
            data = _sheet(people, [m["name"] for m in p["metrics"]], rng)
            r = committee.post(f"{API}/periods/{p['id']}/import", files={"file": ("d.xlsx", data)}, data={"mode": "full"})
            assert r.status_code == 200, r.text
            assert committee.post(f"{API}/periods/{p['id']}/generate").status_code == 200
            assert committee.post(f"{API}/periods/{p['id']}/publish").status_code == 200
            done += 1
            if done in STAGES:
                branch = next(b for b, n in branches.items() if n == LONG_BRANCH)
                member = committee.get(f"{API}/reports/{p['id']}/members", params={"branch_id": branch}).json()["data"]["items"][0]
                out[done] = {
                    "college": committee.get(f"{API}/reports/{p['id']}/college/pdf").content,
                    "branch": committee.get(f"{API}/reports/{p['id']}/branches/{branch}/pdf").content,
                    "individual": committee.get(f"{API}/reports/{p['id']}/members/{member['user_id']}/pdf").content,
                }
    return out


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    return build_reports(tmp_path_factory.mktemp("eval_pdfs"))


def _lines(page) -> list[tuple[float, str]]:
    """(y, text) of each text run on a page, top of the page first."""
    found: list[tuple[float, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((cm[5] + tm[5] * cm[3], text.strip()))

    page.extract_text(visitor_text=visit)
    return sorted(found, key=lambda x: -x[0])


def test_labels_whole_and_pages_sane(reports):
    limits = {"college": 12, "branch": 4, "individual": 3}
    for n, docs in reports.items():
        for kind, data in docs.items():
            pdf = PdfReader(BytesIO(data))
            assert 1 <= len(pdf.pages) <= limits[kind], (n, kind, len(pdf.pages))
            text = "".join(p.extract_text() for p in pdf.pages)
            assert "…" not in text, (n, kind)
            if kind != "college":  # the branch and individual reports chart every period so far
                for year, semester in PERIODS[:n]:
                    assert year in text and semester in text, (n, kind, year)
            if kind in ("college", "branch"):
                assert LONG_BRANCH in text.replace("\n", ""), (n, kind)


def test_no_heading_ends_a_page(reports):
    for n, docs in reports.items():
        for kind, data in docs.items():
            for number, page in enumerate(PdfReader(BytesIO(data)).pages, 1):
                lines = [t for _, t in _lines(page) if not t.startswith("第 ") or not t.endswith(" 页")]
                if lines:
                    assert not lines[-1].startswith(HEADINGS), (n, kind, number, lines[-3:])


def test_charts_stay_inside_their_drawings_and_rank_one_is_off_the_axis(settings):
    from core.documents import register_cjk_font
    from plugins.evaluation.pdf_charts import bars, hbars, rank_lines, rank_y

    font = register_cjk_font(settings.font_path)
    labels = [f"{y} {s}" for y, s in PERIODS] * 2  # 16 periods: labels turn instead of overlapping
    names = ["综合", "学习成绩", "理论学习", "组织生活", "志愿服务", "民主评议", "日常表现", "一个名字很长很长的评价指标"]
    drawings = [
        rank_lines(font, "学院内排名", labels[:n], {m: [i % 7 + 1 for i in range(n)] for m in names}) for n in (1, 2, 8, 16)]
    drawings += [bars(font, "人数", labels[:n], list(range(n))) for n in (1, 8, 16)]
    drawings.append(hbars(font, "各支部", [LONG_BRANCH, "本科生第一党支部"] * 6, [3, 0] * 6))
    for d in drawings:
        x0, y0, x1, y1 = d.getBounds()
        assert x0 >= -0.5 and y0 >= -0.5 and x1 <= d.width + 0.5 and y1 <= d.height + 0.5, (d.getBounds(), d.width, d.height)
    # rank 1 is half a step below the top of the plot, the last rank half a step above the axis
    assert rank_y(1, 5, 0, 100) == pytest.approx(90) and rank_y(5, 5, 0, 100) == pytest.approx(10)
    assert 0 < rank_y(1, 1, 0, 100) < 100


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="xf-eval-pdfs-"))
    try:
        for n, docs in build_reports(tmp).items():
            for kind, data in docs.items():
                pdf = out / f"{kind}-{n}.pdf"
                pdf.write_bytes(data)
                if shutil.which("pdftoppm"):
                    subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(out / f"{kind}-{n}")], check=True)
                print(pdf, len(PdfReader(BytesIO(data)).pages), "pages")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "test-artifacts/evaluation-pdfs"))
