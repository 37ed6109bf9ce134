"""一人一档 (plugins/dossier) clicked as a branch admin: one person's PDF downloads, 批量导出 of
the branch starts a job that the page follows to 已完成 and then offers 下载, and the other
branch's admin can neither see nor download that export. The suite runs no arq worker, so the
test builds the queued export itself with the job's own function, as the worker would."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import BRANCH_ADMIN, OTHER_BRANCH_ADMIN, new_context
from tests.browser.dev_people import applicants
from tests.browser.tables import Crud

API = "/api/pc/v1/development/dossiers"


def build_export(server, export_id: int) -> str:
    """What the worker's ``dossier_build`` job does with a queued export, on the server's database."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from core.db import Database
    from core.plugins import Plugins
    from core.settings import Settings
    from core.workflow.stages import StageRegistry
    from plugins.dossier.dossier_export import build

    async def run():
        settings = Settings(data_dir=server.data_dir, env="test", database_url="")
        plugins = Plugins(settings)
        db = Database(settings)
        try:
            registry = StageRegistry(plugins.collect("xf_stages"), plugins.collect("xf_extra_steps"))
            return await build(db.sessionmaker, settings, registry, export_id)
        finally:
            await db.engine.dispose()

    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API owns this thread's event loop
        return pool.submit(lambda: asyncio.run(run())).result()


def test_one_dossier_downloads_as_pdf(branch_admin, server):
    (_, record_id, name), = applicants(server, BRANCH_ADMIN, 1)
    branch_admin.open("党员发展", "一人一档")
    crud = Crud(branch_admin, branch_admin.page.locator(".cxd-Crud").nth(1), f"get:{API}/people").filter({"姓名": name})
    assert crud.row(name).cell("当前环节") == "递交入党申请书"
    with branch_admin.api("get", f"{API}/records/{record_id}") as call:
        crud.row(name).button("下载档案").click()
    assert call.response.headers["content-type"] == "application/pdf"
    assert call.response.body()[:5] == b"%PDF-"


def test_batch_export_of_the_branch_runs_as_a_job_and_downloads(branch_admin, server, browser):
    applicants(server, BRANCH_ADMIN, 1)  # the branch has at least one applicant to export
    crud = branch_admin.open("党员发展", "一人一档")
    form = branch_admin.form("批量导出").fill("发展阶段", "申请入党")
    with crud.reloading(), branch_admin.api("post", f"{API}/exports") as call:
        form.submit("开始导出")
    branch_admin.toast("已开始导出")
    export = call.json()["data"]
    assert export["state"] == "queued" and export["title"].endswith("申请入党")
    row = crud.row(export["title"])
    assert row.cell("状态") == "排队中"
    assert "下载" not in row.buttons()

    assert build_export(server, export["id"]) == "done"
    crud.reload()
    row = crud.row(export["title"])
    expect(row.loc).to_contain_text("已完成")
    with branch_admin.api("get", f"{API}/exports/{export['id']}/download") as got:
        row.button("下载").click()
    assert got.response.headers["content-type"] == "application/zip"
    assert got.response.body()[:2] == b"PK"

    other = new_context(browser, server, OTHER_BRANCH_ADMIN)
    try:
        assert other.request.get(f"{server.base}{API}/exports/{export['id']}/download").status == 404
        listed = other.request.get(f"{server.base}{API}/exports").json()["data"]["items"]
        assert export["id"] not in [e["id"] for e in listed]
    finally:
        other.close()
