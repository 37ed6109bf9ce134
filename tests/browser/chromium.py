"""One launch recipe for every browser test (the admin suite in tests/browser, the phone tests):
Debian's Chromium through Playwright's ``executable_path`` (``playwright install`` downloads a
browser and fails here), with the flags that keep it from reaching the internet."""
from __future__ import annotations

import os

CHROMIUM = os.environ.get("XIANFENG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic",
]


def login_form(page, username: str, password: str) -> None:
    """Sign in on the admin's login page the way a person does."""
    page.get_by_placeholder("请输入账号").fill(username)
    page.get_by_placeholder("请输入密码").fill(password)
    page.get_by_role("button", name="登录").click()
