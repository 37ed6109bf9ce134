"""历史数据导入 figure (issue 16): ``history_import_5000_s``, one xlsx of 5,000 people (new
accounts of every branch, spread over every registered step, each passed step dated, a third
with a contact) imported for real (the dry run is reported beside it), in process."""
from __future__ import annotations

import time
from datetime import date, timedelta

from benchmarks import figure
from benchmarks.common import bench_env, log, machine_load, ok_response

GOAL_S = 5
N = 5000
URL = "/api/pc/v1/development/history-import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(env, n: int, prefix: str) -> bytes:
    from core.documents import xlsx_bytes
    from core.workflow.stages import STAGE_ORDER, STAGE_TITLES
    from plugins.dossier import history_import as hi

    registry = env.app.state.engine.registry
    h = env.auth("dangwei")
    branches = [o["label"] for o in env.client.get("/api/pc/v1/orgs/options", params={"kind": "party", "level": "branch"},
                                                   headers=h).json()["data"]["options"]]
    members = [u["student_no"] for u in env.client.get("/api/pc/v1/users", params={"per_page": 50}, headers=h).json()["data"]["items"]
               if u.get("student_no")]
    cols = hi.columns(registry)
    steps = [(stage, s) for stage in STAGE_ORDER for s in registry.stage(stage).steps]
    rows = []
    for i in range(n):
        here = i % len(steps)
        stage, step = steps[here]
        values = {"student_no": f"{prefix}{i:05d}", "name": f"历史{i}", "branch": branches[i % len(branches)], "phone": "13800000000",
                  "stage": STAGE_TITLES[stage], "step": step.title,
                  "contact": members[i % len(members)] if members and i % 3 == 0 else ""}
        # every passed step dated before today, however many steps the installed stages declare
        gap = max(1, min(40, (date.today() - date(2019, 3, 1)).days // (len(steps) + 2)))
        start = date(2019, 3, 1) + timedelta(days=i % 60)
        for k, (st, s) in enumerate(steps[:here]):
            values[f"date:{st}:{s.key}"] = (start + timedelta(days=gap * k)).isoformat()
        rows.append([values.get(c.key, "") for c in cols])
    return xlsx_bytes([c.title for c in cols], rows, note="压测")


def run(results: list[dict]) -> None:
    env = bench_env()
    h = env.auth("dangwei")
    data = workbook(env, N, "hib")
    log(f"history import file: {N} rows, {len(data) // 1024} KB")
    files = {"file": ("历史数据.xlsx", data, XLSX)}
    t0 = time.perf_counter()
    r = env.client.post(URL, files=files, data={"dry_run": "true"}, headers=h)
    dry = time.perf_counter() - t0
    ok_response(r)
    c0, t0 = time.process_time(), time.perf_counter()
    r = env.client.post(URL, files=files, data={"dry_run": "false"}, headers=h)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    ok_response(r)
    log(f"history import {N}: dry run {dry:.2f}s, import {seconds:.2f}s wall, {cpu:.2f}s CPU of this process (client and "
        f"in-process server; other load does not inflate it) ({r.json()['msg']}); {machine_load()}")
    figure(results, "history_import_5000_s", seconds, "s", GOAL_S, "lower")
    figure(results, "history_import_5000_dry_run_s", dry, "s", None, "lower")
    figure(results, "history_import_5000_cpu_s", cpu, "s", None, "lower")
