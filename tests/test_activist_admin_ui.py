"""The activist stage's admin pages clicked in headless Chromium, as the manual describes them:
备案管理 (the branch's 流转党委备案, 确认并生成备案表, 下载, 提交备案; the committee's 确认备案结果 and
详情), 培训管理 (发布, 流转支部筛选, the branch's 上移 and 提交党委, 确认入选名单, 开始培训, 结束培训,
确认培训结果), the 积极分子 list's row and batch actions, 培育考察 (详情 with 审核思想汇报, 催交,
考察通过) and 审核谈话记录 (list left, detail right). Each click is checked by its effect: the
answer, the row's new state, the message shown. A private server with its own SQLite file;
state the test needs before a page is written into it or made through the API."""
from __future__ import annotations

import os
import re
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright import sync_api

from tests.activist_helpers import in_server_db, local_now, place_students, today
from tests.conftest import unique
from tests.live_server import running_server, xianfeng_command
from tests.mobile import data as d
from tests.test_admin_ui import CHROMIUM, CHROMIUM_ARGS, Watcher, _login_form

ROOT = Path(__file__).resolve().parent.parent
expect = sync_api.expect
TIMEOUT = 15_000


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("activist_admin_ui")
    data_dir = tmp / "data"
    env = {k: v for k, v in os.environ.items() if k not in ("XIANFENG_DATABASE_URL", "XIANFENG_SETTINGS_FILE")}
    env.update(XIANFENG_DATA_DIR=str(data_dir), XIANFENG_BCRYPT_ROUNDS="4", XIANFENG_ENV="test")
    for args in (["init"], ["demo", "--students", "30", "--password", d.DEMO_PASSWORD]):
        done = subprocess.run(xianfeng_command() + args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, f"xianfeng {args[0]} failed:\n{done.stdout}\n{done.stderr}"
    with running_server(ROOT, data_dir) as base:
        yield base, data_dir


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run 'make setup'")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class Admin:
    """One signed-in tab: pages by address, rows, dialogs, and the answers clicks cause."""

    def __init__(self, browser, base: str, username: str):
        self.base = base
        self.context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
        self.page = self.context.new_page()
        self.watch = Watcher(self.page)
        self.expected: list[tuple[int, str]] = []
        self.page.goto(base + "/admin/login")
        _login_form(self.page, username, d.DEMO_PASSWORD)
        self.page.wait_for_url(re.compile(r"/admin/(#.*)?$"), timeout=TIMEOUT)

    def open(self, path: str, title: str):
        url = f"{self.base}/admin/#/admin/development/page/{path}"
        if self.page.url == url:
            self.page.reload()  # the same address: read the page again
        else:
            self.page.goto(url)
        expect(self.page.locator(".cxd-Page-title").filter(has_text=title)).to_be_visible(timeout=TIMEOUT)
        crud = self.page.locator(".cxd-Crud").first
        expect(crud.locator("tbody tr").first).to_be_visible(timeout=TIMEOUT)
        expect(crud.locator(".cxd-Spinner")).to_have_count(0, timeout=TIMEOUT)
        return crud

    def row(self, text: str, crud=None):
        loc = (crud or self.page.locator(".cxd-Crud").first).locator("tbody tr").filter(has_text=text)
        expect(loc.first).to_be_visible(timeout=TIMEOUT)
        return loc.first

    def button(self, label: str, within=None):
        where = within or self.page
        return where.get_by_role("button", name=label, exact=True).first

    def dialog(self, title: str):
        loc = self.page.locator(".cxd-Modal").filter(has=self.page.locator(".cxd-Modal-title", has_text=title)).last
        expect(loc).to_be_visible(timeout=TIMEOUT)
        return loc

    def confirm(self):
        """The confirmText popup of an ajax button."""
        box = self.page.locator(".cxd-Modal").filter(has=self.page.locator(".cxd-Modal-footer")).last
        expect(box).to_be_visible(timeout=TIMEOUT)
        self.button("确认", box.locator(".cxd-Modal-footer")).click()

    def api(self, method: str, path: str, status: int = 200):
        """Wait for the request a click sends (path: a regex of its path) and check its status."""
        if status >= 400:
            self.expected.append((status, path))
        return self.page.expect_response(lambda r: r.request.method == method.upper()
                                         and re.search(path, urlsplit(r.url).path) is not None, timeout=TIMEOUT)

    def date(self, dialog, label: str, value: str) -> None:
        """Type a date (or a date and time) into the picker of the field labelled ``label``."""
        item = dialog.locator(".cxd-Form-item").filter(
            has=self.page.locator("label.cxd-Form-label", has_text=label)).last  # the innermost (groups hold several)
        box = item.locator(".cxd-DatePicker input").first
        box.click()
        box.fill(value)
        box.press("Enter")
        confirm = self.page.locator(".cxd-PopOver").get_by_role("button", name="确认")
        if confirm.count():  # a date-and-time picker commits with its own 确认
            confirm.first.click()
        box.press("Tab")
        overlay = self.page.locator(".cxd-PopOver-overlay")
        if overlay.count():  # the picker stays open: click beside it, as a person does
            overlay.last.click(position={"x": 2, "y": 2})
            expect(self.page.locator(".cxd-PopOver")).to_have_count(0)

    def pick_day(self, dialog, label: str, day) -> None:
        """Choose a day in the date-time picker of ``label`` by clicking its calendar (the time is now)."""
        item = dialog.locator(".cxd-Form-item").filter(has=self.page.locator("label.cxd-Form-label", has_text=label)).last
        item.locator(".cxd-DatePicker").first.click()
        pop = self.page.locator(".cxd-PopOver").last
        expect(pop).to_be_visible(timeout=TIMEOUT)
        for _ in range(24):
            shown = pop.locator(".rdtCenter").first.inner_text()  # 2026年 11月
            numbers = [int(x) for x in re.findall(r"\d+", shown)]
            if numbers[:2] == [day.year, day.month]:
                break
            pop.locator(".rdtNext").first.click()  # the next month (the second arrow is the next year)
        pop.locator(f'td.rdtDay:not(.rdtOld):not(.rdtNew)[data-value="{day.day}"]').first.click()
        pop.locator(".cxd-PopOver-overlay").click(position={"x": 2, "y": 2})  # the day is kept; click beside to close
        expect(self.page.locator(".cxd-PopOver")).to_have_count(0, timeout=TIMEOUT)

    def toast(self, text: str) -> None:
        expect(self.page.locator(".cxd-Toast").filter(has_text=text).first).to_be_visible(timeout=TIMEOUT)

    def close(self) -> None:
        def declared(f: str) -> bool:  # "POST http://… -> 409"
            method, url, *_, status = f.split(" ")
            return any(str(code) == status and re.search(path, urlsplit(url).path) for code, path in self.expected)
        unexpected = [f for f in self.watch.failed if not declared(f)]
        errors = [e for e in self.watch.errors if not (self.expected and "status of 4" in e)]
        self.context.close()
        assert not errors, "browser errors:\n" + "\n".join(errors)
        assert not unexpected, "failed requests:\n" + "\n".join(unexpected)
        assert not self.watch.foreign_hosts(), f"requests left 127.0.0.1: {sorted(self.watch.foreign_hosts())}"


@pytest.fixture
def admins(site, browser):
    base, _ = site
    opened: list[Admin] = []

    def login(username: str) -> Admin:
        a = Admin(browser, base, username)
        opened.append(a)
        return a
    yield login
    for a in opened:
        a.close()


def branch_of(site, admin: str) -> int:
    return d.data(d.client(site[0], admin).get("/api/mp/v1/me"))["party_branch_id"]


def people(site, admin: str, n: int, step: str, **kw) -> list[tuple[int, int, str]]:
    branch = branch_of(site, admin)
    prefix = unique("u")
    return in_server_db(site[1], lambda s: place_students(s, branch, n, step, prefix=prefix, **kw))


def test_filing_clicked_by_the_branch_and_the_committee(site, admins):
    (u1, r1, n1), (u2, r2, n2) = people(site, "zhibu04", 2, "filing")
    branch = admins("zhibu04")
    crud = branch.open("activists", "积极分子")
    row = branch.row(n1, crud)
    branch.button("流转党委备案", row).click()
    dialog = branch.dialog("流转党委备案")
    with branch.api("post", r"/activists/filing$") as made:
        branch.button("确认", dialog).click()
    assert made.value.status == 200 and [e["record_id"] for e in made.value.json()["data"]["entries"]] == [r1]
    title = made.value.json()["data"]["title"]

    branch.button("查看备案进度", branch.row(n1)).click()
    expect(branch.page.locator(".cxd-Page-title").filter(has_text="备案管理（积极分子）")).to_be_visible(timeout=TIMEOUT)
    row = branch.row(title)
    branch.button("确认并生成入党积极分子备案表", row).click()
    dialog = branch.dialog("确认并生成入党积极分子备案表")
    expect(dialog.locator("tbody tr").filter(has_text=n1)).to_have_count(1)  # the chosen person, read back
    branch.date(dialog, "备案填表时间", today().isoformat())
    dialog.locator("textarea[name=opinion]").fill("同意报学院党委备案")
    with branch.api("post", r"/filing/\d+/generate") as generated:
        branch.button("确认", dialog).click()
    assert generated.value.status == 200, generated.value.text()
    row = branch.row(title)
    with branch.context.expect_event("response", predicate=lambda r: re.search(r"/filing/\d+/form$", r.url) is not None) as pdf:
        branch.button("下载入党积极分子备案表", row).click()
    assert pdf.value.status == 200 and pdf.value.headers["content-type"] == "application/pdf"
    for extra in branch.context.pages[1:]:
        extra.close()
    branch.button("提交备案", row).click()
    with branch.api("post", r"/filing/\d+/submit") as submitted:
        branch.confirm()
    assert submitted.value.status == 200
    expect(branch.row(title).get_by_text("备案中")).to_be_visible(timeout=TIMEOUT)
    expect(branch.button("确认备案结果", branch.row(title))).to_have_count(0)  # the committee's button

    committee = admins("dangwei")
    committee.open("activists_filing", "备案管理（积极分子）")
    row = committee.row(title)
    committee.button("确认备案结果", row).click()
    dialog = committee.dialog("确认备案结果")
    expect(dialog.locator("tbody tr").filter(has_text=n1)).to_have_count(1)
    committee.date(dialog, "备案时间", today().isoformat())
    dialog.locator("textarea[name=opinion]").fill("同意备案")
    with committee.api("post", r"/filing/\d+/decide") as decided:
        committee.button("确认", dialog).click()
    assert decided.value.status == 200 and decided.value.json()["data"]["advanced"] == 1
    row = committee.row(title)
    expect(row.get_by_text("已完成")).to_be_visible(timeout=TIMEOUT)
    committee.button("详情", row).click()
    dialog = committee.dialog("备案详情")
    expect(dialog.get_by_text("同意报学院党委备案")).to_be_visible()
    expect(dialog.locator("tbody tr").filter(has_text=n1).get_by_text("通过")).to_be_visible()

    # the batch button on the list, and 删除 of a batch still to submit
    crud = branch.open("activists", "积极分子")
    branch.row(n2, crud).locator(".cxd-Checkbox").first.click()
    branch.button("批量流转党委备案").click()
    dialog = branch.dialog("批量流转党委备案")
    with branch.api("post", r"/activists/filing$") as made:
        branch.button("确认", dialog).click()
    second = made.value.json()["data"]["title"]
    branch.open("activists_filing", "备案管理（积极分子）")
    branch.button("删除", branch.row(second)).click()
    with branch.api("delete", r"/filing/\d+$") as deleted:
        branch.confirm()
    assert deleted.value.status == 200


def test_training_class_clicked_from_publication_to_results(site, admins):
    base, data_dir = site
    (u1, r1, n1), (u2, r2, n2), (u3, r3, n3) = people(site, "zhibu04", 3, "cultivation")
    committee_api = d.client(base, "dangwei")
    start = local_now() + timedelta(hours=1)
    title = f"界面培训班{unique('')}"
    klass = d.data(committee_api.post("/api/pc/v1/development/training/classes", json={
        "class_type": "activist", "title": title, "place": "报告厅", "publish": False,
        "signup_start": start.isoformat(timespec="minutes"), "signup_end": (start + timedelta(days=2)).isoformat(timespec="minutes"),
        "train_start": (start + timedelta(days=3)).isoformat(timespec="minutes"),
        "train_end": (start + timedelta(days=4)).isoformat(timespec="minutes"),
        "quotas": [{"branch_id": branch_of(site, "zhibu04"), "quota": 2}]}))
    committee = admins("dangwei")
    committee.open("training", "培训管理")
    committee.button("发布", committee.row(title)).click()
    with committee.api("post", r"/classes/\d+/publish") as published:
        committee.confirm()
    assert published.value.json()["data"]["state_label"] == "待开始"

    branch_id = branch_of(site, "zhibu04")

    async def signups_closed(s):  # three signups in the branch, then the deadline passed
        from sqlalchemy import insert, update

        from core.workflow.components.training_models import TrainingClass, TrainingSignup

        now = datetime.utcnow()
        await s.execute(update(TrainingClass).where(TrainingClass.id == klass["id"]).values(
            signup_start=now - timedelta(days=3), signup_end=now - timedelta(hours=1)))
        await s.execute(insert(TrainingSignup), [
            {"class_id": klass["id"], "record_id": rid, "user_id": uid, "branch_id": branch_id, "stage": "activist",
             "step": "cultivation", "status": "signed_up", "sort": k, "result": "", "created_at": now, "updated_at": now}
            for k, (uid, rid) in enumerate([(u1, r1), (u2, r2), (u3, r3)])])
    in_server_db(data_dir, signups_closed)
    committee.open("training", "培训管理")
    committee.button("流转支部筛选", committee.row(title)).click()
    with committee.api("post", r"/classes/\d+/screening") as flowed:
        committee.confirm()
    assert flowed.value.json()["data"]["state_label"] == "支部筛选中"

    branch = admins("zhibu04")
    branch.open("training", "培训管理")
    branch.button("筛选报名名单", branch.row(title)).click()
    dialog = branch.dialog("筛选报名名单")
    last = dialog.locator("tbody tr").filter(has_text=n3)
    expect(last.get_by_text("未入选")).to_be_visible(timeout=TIMEOUT)
    with branch.api("post", r"/signups/\d+/move") as moved:
        branch.button("上移", last).click()
    assert moved.value.status == 200
    expect(dialog.locator("tbody tr").nth(1)).to_contain_text(n3, timeout=TIMEOUT)
    expect(dialog.locator("tbody tr").filter(has_text=n3).get_by_text("入选", exact=True)).to_be_visible(timeout=TIMEOUT)
    branch.button("提交党委", dialog).click()
    with branch.api("post", r"/classes/\d+/submit") as submitted:
        branch.confirm()
    assert submitted.value.status == 200

    committee.open("training", "培训管理")
    for label, path, state in (("确认入选名单", "confirm", "待培训"), ("开始培训", "start", "培训中"), ("结束培训", "end", "已结束")):
        committee.button(label, committee.row(title)).click()
        with committee.api("post", rf"/classes/\d+/{path}$") as done:
            committee.confirm()
        assert done.value.status == 200, done.value.text()
        expect(committee.row(title).get_by_text(state, exact=True)).to_be_visible(timeout=TIMEOUT)
    committee.button("确认培训结果", committee.row(title)).click()
    dialog = committee.dialog("确认培训结果")
    rows = dialog.locator("tbody tr")
    expect(rows).to_have_count(2, timeout=TIMEOUT)
    with committee.api("post", r"/classes/\d+/results") as results:
        committee.button("确认", dialog).click()
    assert results.value.json()["data"]["passed"] == 2
    expect(committee.row(title).get_by_text("已完成")).to_be_visible(timeout=TIMEOUT)
    committee.button("详情", committee.row(title)).click()
    expect(committee.dialog("培训班详情").get_by_text("已提交")).to_be_visible()


def test_list_actions_and_cultivation_review(site, admins, tiny_png):
    base, data_dir = site
    (cu, cr, cn), = people(site, "zhibu04", 1, "condition")
    (mu, mr, mn), = people(site, "zhibu04", 1, "committee_meeting")
    (xu, xr, xn), = people(site, "zhibu04", 1, "cultivation")

    async def a_report(s):  # the activist's first-quarter thought report, waiting for review
        from core.workflow.components.review import Submission

        s.add(Submission(record_id=xr, user_id=xu, kind="thought_report", files=[], signed_date=today()))
    in_server_db(data_dir, a_report)
    branch = admins("zhibu04")
    crud = branch.open("activists", "积极分子")
    branch.button("审核通过", branch.row(cn, crud)).click()
    dialog = branch.dialog("审核通过")
    with branch.api("post", r"/activists/condition$") as passed:
        branch.button("确认", dialog).click()
    assert passed.value.json()["data"]["advanced"] == 1
    expect(branch.row(cn).get_by_text("团支部推优/党员推优")).to_be_visible(timeout=TIMEOUT)

    branch.button("填报支委会议时间", branch.row(mn)).click()
    dialog = branch.dialog("填报支委会议时间")
    branch.date(dialog, "支委会议时间", (today() - timedelta(days=1)).isoformat())
    with branch.api("post", r"/activists/committee-meeting$") as dated:
        branch.button("确认", dialog).click()
    assert dated.value.json()["data"]["advanced"] == 1
    expect(branch.row(mn).get_by_text("上级党委备案")).to_be_visible(timeout=TIMEOUT)

    branch.button("考察通过", branch.row(xn)).click()
    with branch.api("post", r"/cultivation/pass$", status=409) as refused:
        branch.confirm()
    assert "未完成的任务" in refused.value.json()["msg"]
    branch.toast("未完成的任务")

    branch.button("查看考察进度", branch.row(xn)).click()
    expect(branch.page.locator(".cxd-Page-title").filter(has_text="培育考察（入党积极分子）")).to_be_visible(timeout=TIMEOUT)
    row = branch.row(xn)
    expect(row.get_by_text("思想汇报：0/4")).to_be_visible()
    branch.button("详情", row).click()
    dialog = branch.dialog("培育考察-详情")
    branch.button("审核思想汇报", dialog).click()
    review = branch.dialog("审核思想汇报")
    review.locator("label").filter(has_text="审核通过").first.click()
    with branch.api("post", r"/activists/report/review$") as approved:
        branch.button("确认", review).click()
    assert approved.value.status == 200
    crud = branch.open("activists_cultivation", "培育考察（入党积极分子）")
    expect(branch.row(xn, crud).get_by_text("思想汇报：1/4")).to_be_visible(timeout=TIMEOUT)
    branch.row(xn, crud).locator(".cxd-Checkbox").first.click()
    with branch.api("post", r"/cultivation/urge$") as urged:
        branch.button("催交季度谈话").click()
    assert urged.value.json()["data"]["sent"] == 1
    branch.button("审核培养联系人谈话记录").click()
    expect(branch.page.locator(".cxd-Page-title").filter(has_text="审核培养联系人谈话记录")).to_be_visible(timeout=TIMEOUT)
    left = branch.page.locator(".cxd-Crud").first
    branch.row(xn, left).click()
    expect(branch.page.get_by_text("当前环节").first).to_be_visible(timeout=TIMEOUT)


def test_recommendation_result_delete_proxy_and_condition_refusal(site, admins, tmp_path):
    from PIL import Image

    base, data_dir = site
    picture = tmp_path / "推优登记表.png"
    Image.new("RGB", (64, 64), (240, 240, 240)).save(picture)
    (fu, fr, fn), = people(site, "zhibu04", 1, "condition")
    rec = people(site, "zhibu04", 4, "recommendation")

    async def scans(s):  # three 推优登记表 waiting for the branch; the fourth person has none
        from core.workflow.components.review import Submission

        s.add_all([Submission(record_id=rid, user_id=uid, kind="recommendation_form", files=[], signed_date=today())
                   for uid, rid, _ in rec[:3]])
    in_server_db(data_dir, scans)
    branch = admins("zhibu04")
    crud = branch.open("activists", "积极分子")
    branch.button("审核不通过", branch.row(fn, crud)).click()
    dialog = branch.dialog("审核不通过")
    dialog.locator("textarea[name=note]").fill("年龄不满足发展条件")
    with branch.api("post", r"/activists/condition$") as failed:
        branch.button("确认", dialog).click()
    assert failed.value.json()["data"]["failed"] == 1
    expect(branch.row(fn).get_by_text("发展条件-不通过")).to_be_visible(timeout=TIMEOUT)

    (u0, r0, n0), (u1, r1, n1), (u2, r2, n2), (u3, r3, n3) = rec
    branch.button("处理推优结果", branch.row(n0)).click()
    dialog = branch.dialog("处理推优结果")
    dialog.locator("label").filter(has_text="通过").first.click()
    branch.date(dialog, "推优时间", today().isoformat())
    with branch.api("post", r"/recommendation/result$") as passed:
        branch.button("确认", dialog).click()
    assert passed.value.status == 200
    expect(branch.row(n0).get_by_text("入党积极分子名单公示")).to_be_visible(timeout=TIMEOUT)

    branch.button("删除推优登记表", branch.row(n1)).click()
    dialog = branch.dialog("删除推优登记表")
    dialog.locator("textarea[name=reason]").fill("扫描件不清晰")
    with branch.api("post", r"/recommendation/delete$") as deleted:
        branch.button("确认", dialog).click()
    assert deleted.value.status == 200
    expect(branch.row(n1).get_by_text("已删除")).to_be_visible(timeout=TIMEOUT)

    branch.button("代理上传推优登记表", branch.row(n3)).click()
    dialog = branch.dialog("代理上传推优登记表")
    with branch.api("post", r"^/api/files$") as stored:
        dialog.locator("input[type=file]").set_input_files(str(picture))
    assert stored.value.status == 200
    branch.date(dialog, "落款时间", today().isoformat())
    with branch.api("post", r"/recommendation/proxy$") as proxied:
        branch.button("确认", dialog).click()
    assert proxied.value.json()["data"]["by_proxy"] is True
    expect(branch.row(n3).get_by_text("待审核")).to_be_visible(timeout=TIMEOUT)

    for name in (n2, n3):
        branch.row(name).locator(".cxd-Checkbox").first.click()
    branch.button("批量处理推优结果").click()
    dialog = branch.dialog("批量处理推优结果")
    dialog.locator("label").filter(has_text="退回").first.click()
    dialog.locator("textarea[name=reason]").fill("请补充团支部意见")
    with branch.api("post", r"/recommendation/result$") as returned:
        branch.button("确认", dialog).click()
    assert returned.value.json()["data"]["count"] == 2
    expect(branch.row(n2).get_by_text("审核不通过（请补充团支部意见）")).to_be_visible(timeout=TIMEOUT)


def test_training_class_created_in_its_dialog_and_deleted(site, admins):
    committee = admins("dangwei")
    committee.open("training", "培训管理")
    committee.page.locator("button").filter(has_text="创建培训班").first.click()
    dialog = committee.dialog("创建培训班")
    item = dialog.locator(".cxd-Form-item").filter(has_text="培训班类型")
    item.locator(".cxd-Select").first.click()
    committee.page.locator(".cxd-PopOver .cxd-Select-option").filter(has_text="积极分子培训班").first.click()
    title = f"对话框培训班{unique('')}"
    dialog.locator("input[name=title]").fill(title)
    start = today() + timedelta(days=1)
    for label, at in (("报名开始时间", start), ("报名截止时间", start + timedelta(days=2)),
                      ("培训开始时间", start + timedelta(days=3)), ("培训结束时间", start + timedelta(days=4))):
        committee.pick_day(dialog, label, at)
    table = dialog.locator(".cxd-Form-item").filter(has_text="发布范围及支部名额")
    table.locator(".cxd-InputTable-toolbar button").filter(has_text="新增").click()
    table.locator("tbody .cxd-Select").first.click()
    committee.page.locator(".cxd-PopOver .cxd-Select-option").filter(has_text="本科生第一党支部").first.click()
    table.locator("tbody input").last.fill("3")
    with committee.api("post", r"/training/classes$") as made:
        committee.button("确认", dialog).click()
    assert made.value.status == 200, made.value.text()
    created = made.value.json()["data"]
    assert created["state"] == "pending" and created["quotas"][0]["quota"] == 3
    assert created["signup_start"].startswith(start.isoformat()) and created["signup_start"].endswith("+08:00")
    committee.open("training", "培训管理")
    committee.button("删除", committee.row(title)).click()
    with committee.api("delete", r"/training/classes/\d+$") as deleted:
        committee.confirm()
    assert deleted.value.status == 200
