"""Evaluation figures: xlsx import of 10,000 members vs a raw calamine read, report generation,
regenerating an earlier period (which recomputes the next period's 较上期 in the same transaction),
individual and college PDFs, MP individual detail median."""
from __future__ import annotations

import random
import statistics
import tempfile
import time
from io import BytesIO
from pathlib import Path


def run(results: list) -> None:
    from fastapi.testclient import TestClient
    from openpyxl import Workbook
    from python_calamine import CalamineWorkbook
    from sqlalchemy import insert, select

    from core.app import create_app
    from core.models import Role, User, UserRole
    from core.security import hash_password
    from core.settings import Settings
    from plugins.org_mgmt.models import Organisation

    n, tmp = 10_000, Path(tempfile.mkdtemp(prefix="xf-bench-eval-"))
    settings = Settings(env="test", data_dir=tmp, bcrypt_rounds=4, secret_key="bench-" + "x" * 32)
    app = create_app(settings)
    with TestClient(app) as c:
        async def people():
            async with app.state.db.sessionmaker() as s:
                for i in range(4):
                    s.add(Organisation(name=f"测试党支部{i}", kind="party", level="branch", training_type="本科生"))
                await s.flush()
                branches = [(o.id, o.name) for o in (await s.execute(select(Organisation).where(Organisation.name.like("测试党支部%")))).scalars()]
                pw = hash_password("Bench@2026x", 4)
                await s.execute(insert(User), [{"username": f"b{k}", "name": f"学生{k}", "password_hash": pw, "student_no": f"2025{k:06d}",
                                                "party_branch_id": branches[k % 4][0]} for k in range(n)])
                await s.execute(insert(User), [{"username": "benchc", "name": "党委", "password_hash": pw}])
                uid = (await s.execute(select(User.id).where(User.username == "benchc"))).scalar_one()
                rid = (await s.execute(select(Role.id).where(Role.key == "committee"))).scalar_one()
                s.add(UserRole(user_id=uid, role_id=rid))
                await s.commit()
                return branches

        branches = c.portal.call(people)
        token = c.post("/api/mp/v1/auth/login", json={"username": "benchc", "password": "Bench@2026x"}).json()["token"]
        h = {"Authorization": f"Bearer {token}"}
        api = "/api/pc/v1/evaluation"
        p = c.post(f"{api}/periods", json={"year": "2025-2026学年", "name": "第一学期"}, headers=h).json()["data"]
        metrics = [{"name": f"指标{i}", "weight": 1 / 6, "higher_better": i != 5} for i in range(6)]
        c.put(f"{api}/periods/{p['id']}/metrics", json={"metrics": metrics}, headers=h)
        rng = random.Random(1)
        wb = Workbook()
        ws = wb.active
        ws.append(["姓名", "学号", "党支部"] + [m["name"] for m in metrics])
        for k in range(n):
            ws.append([f"学生{k}", int(f"2025{k:06d}"), branches[k % 4][1]] + [round(rng.uniform(50, 100), 1) for _ in metrics])
        buf = BytesIO()
        wb.save(buf)
        data = buf.getvalue()
        settings.upload_max_bytes = max(settings.upload_max_bytes, len(data) + 1)

        t = time.perf_counter()
        CalamineWorkbook.from_filelike(BytesIO(data)).get_sheet_by_index(0).to_python()
        raw = time.perf_counter() - t
        t = time.perf_counter()
        r = c.post(f"{api}/periods/{p['id']}/import", files={"file": ("d.xlsx", data)}, data={"mode": "full"}, headers=h)
        imp = time.perf_counter() - t
        assert r.status_code == 200, r.text[:300]
        t = time.perf_counter()
        assert c.post(f"{api}/periods/{p['id']}/generate", headers=h).status_code == 200
        gen = time.perf_counter() - t
        c.post(f"{api}/periods/{p['id']}/publish", headers=h)
        first = c.get(f"{api}/reports/{p['id']}/members", headers=h).json()["data"]["items"][0]["user_id"]
        c.get(f"{api}/reports/{p['id']}/members/{first}/pdf", headers=h)  # font load
        t = time.perf_counter()
        assert c.get(f"{api}/reports/{p['id']}/members/{first}/pdf", headers=h).status_code == 200
        ipdf = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        assert c.get(f"{api}/reports/{p['id']}/college/pdf", headers=h).status_code == 200
        cpdf = (time.perf_counter() - t) * 1000
        # A second period with the same people; then regenerate the first: its 10,000 rows and the
        # second period's previous ranks (correlated UPDATEs) are rewritten in one transaction.
        p2 = c.post(f"{api}/periods", json={"year": "2025-2026学年", "name": "第二学期"}, headers=h).json()["data"]
        c.put(f"{api}/periods/{p2['id']}/metrics", json={"metrics": metrics}, headers=h)
        assert c.post(f"{api}/periods/{p2['id']}/import", files={"file": ("d.xlsx", data)}, data={"mode": "full"},
                      headers=h).status_code == 200
        assert c.post(f"{api}/periods/{p2['id']}/generate", headers=h).status_code == 200
        t = time.perf_counter()
        r = c.post(f"{api}/periods/{p['id']}/generate", headers=h)
        regen = time.perf_counter() - t
        assert r.status_code == 200 and r.json()["data"]["refreshed"][0]["period_id"] == p2["id"], r.text[:300]
        times = []
        for _ in range(30):
            t = time.perf_counter()
            c.get(f"/api/mp/v1/evaluation/reports/{p['id']}/members/{first}", headers=h)
            times.append((time.perf_counter() - t) * 1000)
    results += [
        {"name": "eval_import_10000_s", "value": round(imp, 3), "unit": "s", "goal": round(4 * raw, 3), "better": "lower"},
        {"name": "eval_raw_read_10000_s", "value": round(raw, 3), "unit": "s", "goal": None, "better": "lower"},
        {"name": "eval_report_generate_s", "value": round(gen, 3), "unit": "s", "goal": 1.0, "better": "lower"},
        {"name": "eval_regenerate_earlier_s", "value": round(regen, 3), "unit": "s", "goal": 1.5, "better": "lower"},
        {"name": "eval_individual_pdf_ms", "value": round(ipdf, 1), "unit": "ms", "goal": 200, "better": "lower"},
        {"name": "eval_college_pdf_ms", "value": round(cpdf, 1), "unit": "ms", "goal": 2000, "better": "lower"},
        {"name": "mp_eval_individual_detail_ms", "value": round(statistics.median(times), 1), "unit": "ms", "goal": 30, "better": "lower"},
    ]


if __name__ == "__main__":
    out: list = []
    run(out)
    for x in out:
        print(x)
