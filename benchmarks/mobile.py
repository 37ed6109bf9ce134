"""Mobile web figures (issue 12), measured in headless Chromium on a phone-sized context:

- ``m_first_load_kb``: every byte that crosses the network (headers and compressed bodies, as
  Chromium's network log counts them) from opening ``/m/`` with an empty cache until a signed-in
  student's home screen shows its 待办事项 cards. Goal 600 KB.
- ``m_home_ready_ms``: the median, over several cold loads (a new browser context each: no
  cache), of the time from navigation start until that home screen has drawn (the app's
  ``xf-ready:/home`` performance mark). Goal 1500 ms on the 2-core development machine.

A private ``xianfeng run`` (demo college of 200 students) serves the app; the student has
applied and been sent back by the branch, so the home screen has a to-do card.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

from benchmarks import figure
from benchmarks.common import ROOT, log

LOADS = 7
PHONE = {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2,
         "locale": "zh-CN"}


def _student_with_todo(base: str) -> dict:
    from datetime import date
    from io import BytesIO

    from PIL import Image

    from tests.mobile import data as d

    student = d.new_student(base)
    c = d.client(base, student["username"], student["password"])
    d.data(c.post("/api/mp/v1/profile/submit", json={
        "name": student["name"], "student_no": student["username"], "phone": "13800138000", "gender": "男", "ethnicity": "汉族",
        "birth_date": "2004-05-06", "id_card": "440106200405061234", "native_place": "广东广州", "grade": "2022级",
        "enrollment_date": "2022-09-01", "political_status": "共青团员"}))
    picture = BytesIO()
    Image.new("RGB", (600, 800), (250, 250, 245)).save(picture, format="JPEG")
    token = d.data(c.post("/api/files", files={"file": ("letter.jpg", picture.getvalue(), "image/jpeg")}))["file"]["token"]
    d.data(c.post("/api/mp/v1/development/apply", json={"files": [token], "signed_date": date.today().isoformat()}))
    d.reject_letter(base, student, "请重新拍摄，落款不清楚")
    login = c.post("/api/mp/v1/auth/login", json={"username": student["username"], "password": student["password"]}).json()
    todos = d.data(c.get("/api/mp/v1/todos"))
    assert todos["total"] >= 1, todos
    return login


def _load(browser, base: str, login: dict) -> tuple[float, int]:
    """One cold load of the home screen: (ms to ready, bytes transferred)."""
    context = browser.new_context(**PHONE)
    try:
        context.add_init_script(
            "localStorage.setItem('xf_m_token', %s); localStorage.setItem('xf_m_expires', %s);"
            "localStorage.setItem('xf_m_user', %s);" % (json.dumps(login["token"]), json.dumps(login["expires_at"]),
                                                        json.dumps(json.dumps(login["user"]))))
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        sizes: dict[str, int] = {}
        cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
        page.goto(f"{base}/m/#/home")
        page.locator('[data-screen="/home"][data-ready] .todo').first.wait_for(timeout=30_000)
        ready = page.evaluate("performance.getEntriesByName('xf-ready:/home')[0].startTime")
        page.wait_for_load_state("networkidle")  # count what the home screen's requests still bring in
        return float(ready), sum(sizes.values())
    finally:
        context.close()


def run(results: list[dict]) -> None:
    from playwright import sync_api

    from tests.live_server import running_server, xianfeng_command
    from tests.mobile.phone import CHROMIUM, CHROMIUM_ARGS

    with tempfile.TemporaryDirectory(prefix="xf-bench-m-") as tmp:
        data_dir = Path(tmp) / "data"
        env = {k: v for k, v in os.environ.items() if k not in ("XIANFENG_DATABASE_URL", "XIANFENG_SETTINGS_FILE")}
        env.update(XIANFENG_DATA_DIR=str(data_dir), XIANFENG_BCRYPT_ROUNDS="4", XIANFENG_ENV="test")
        for args in (["init"], ["demo", "--bare", "--students", "200", "--password", "Demo@2026x"]):
            subprocess.run(xianfeng_command() + args, cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
        with running_server(ROOT, data_dir) as base:
            login = _student_with_todo(base)
            with sync_api.sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    _load(browser, base, login)  # the server's first answers (imports, caches) are not the phone's
                    loads = [_load(browser, base, login) for _ in range(LOADS)]
                finally:
                    browser.close()
    ms = [m for m, _ in loads]
    kb = loads[0][1] / 1024
    log(f"mobile home: {kb:.1f} KB; ready {statistics.median(ms):.0f} ms median of {LOADS} "
        f"(min {min(ms):.0f}, max {max(ms):.0f})")
    figure(results, "m_first_load_kb", kb, "KB", 600, "lower")
    figure(results, "m_home_ready_ms", statistics.median(ms), "ms", 1500, "lower")
