"""The 工作台 clicked (issue 16): the committee's people table links each number to the stage
list filtered by branch, step and status, and the list shows exactly that many people; the
branch admin sees its own branch and its to-do list."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.harness import Api

DASH = "/api/pc/v1/dashboard"


def busiest_cell(api) -> tuple[dict, dict]:
    """The (branch row, cell) with the most people at one step of the demo college."""
    d = api.get(DASH)
    best = max(((row, cell) for row in d["branches"] for cell in row["cells"]), key=lambda rc: rc[1]["count"])
    assert best[1]["count"] > 0, "the living demo puts people at the steps"
    return best


def test_committee_number_opens_the_filtered_stage_list(committee, committee_api):
    row, cell = busiest_cell(committee_api)
    page = committee.page
    expect(page.locator(".xf-dash-people")).to_be_visible()
    expect(page.locator(".cxd-Chart").first).to_be_attached()
    link = page.locator(f'.xf-dash-people a.xf-dash-link[href="{cell["link"]}"]')
    expect(link).to_have_count(1)
    fragment = urlsplit(cell["link"]).fragment
    wanted = parse_qs(urlsplit(fragment).query)
    list_api = "/api/pc/v1/development/" + urlsplit(fragment).path.rsplit("/", 1)[-1]
    with page.expect_response(lambda r: urlsplit(r.url).path == list_api and r.request.method == "GET") as listed:
        link.click()
    sent = parse_qs(urlsplit(listed.value.url).query)
    assert {k: sent.get(k) for k in wanted} == wanted
    assert listed.value.json()["data"]["total"] == cell["count"]
    rows = page.locator(".cxd-Crud tbody tr")
    expect(rows).to_have_count(min(cell["count"], 20))


@pytest.fixture(scope="module")
def branch_api(branch_context, server) -> Api:
    return Api(branch_context.request, server.base)


def test_branch_admin_sees_its_branch_and_todos(branch_admin, branch_api):
    d = branch_api.get(DASH)
    page = branch_admin.page
    expect(page.locator(".xf-dashboard h4")).to_have_text(f"{d['branch_name']}概况")
    expect(page.locator(".xf-dash-people tbody tr")).to_have_count(len(d["branches"]))
    expect(page.locator(".xf-dash-todos")).to_be_visible()
