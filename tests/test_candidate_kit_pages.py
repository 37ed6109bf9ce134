"""The admin pages of the symposium, committee meeting and political review components on the
throwaway candidate stage: every page opens for the committee and a branch, the stage's list
carries their row, batch and header buttons, and every request a page can send names a route
that exists with that method (a typo in a URL fails here, before anyone clicks)."""
import re

import pytest

from tests.candidate_kit import kit_app

PAGES = ["kit-candidate", "kit-candidate_symposium", "kit-candidate_review-symposium", "kit-candidate_committee-meeting",
         "kit-candidate_committee-time", "kit-candidate_political-review"]
API = re.compile(r"^(?:(get|post|put|delete):)?(/api/pc/v1/[^?\s]*)")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    with kit_app(tmp_path_factory.mktemp("pages")) as e:
        yield e


def page(env, api, path: str) -> dict:
    env.c.cookies.set("xf_token", api.token)
    try:
        r = env.c.post(f"/admin/development/page/{path}")
    finally:
        env.c.cookies.clear()
    assert r.status_code == 200 and r.json()["status"] == 0, (path, r.text[:300])
    return r.json()["data"]


def requests_in(node, method: str = "get") -> list[tuple[str, str]]:
    """(method, path) of every api/url/link in an amis schema; ${...} become a sample id."""
    found = []
    if isinstance(node, dict):
        m = node.get("method")
        for key in ("api", "url", "initApi", "source", "receiver"):
            v = node.get(key)
            if isinstance(v, str) and (hit := API.match(v)):
                default = "post" if key in ("api", "receiver") and node.get("type") in ("form", None) and not hit.group(1) else method
                found.append(((hit.group(1) or (m if key == "url" and m else default)).lower(), hit.group(2)))
        for v in node.values():
            found += requests_in(v, node.get("method", method) if isinstance(node.get("url"), str) else method)
    elif isinstance(node, list):
        for v in node:
            found += requests_in(v, method)
    return found


def test_pages_open_and_every_request_names_a_mounted_route(env):
    routes = [(r.path_regex, r.methods) for r in env.app.routes if hasattr(r, "methods")]
    seen = set()
    for api in (env.committee, env.branch):
        for path in PAGES:
            for method, url in requests_in(page(env, api, path)):
                concrete = re.sub(r"\$\{[^}]*\}", "1", url)
                ok = any(regex.match(concrete) and method.upper() in methods for regex, methods in routes)
                assert ok, f"{path}: {method} {url}"
                seen.add((method, url.split("${")[0]))
    assert ("post", "/api/pc/v1/development/kit-candidate/symposium/") in seen
    assert any(u.endswith("/political-review/") and m == "put" for m, u in seen)


def test_the_stage_list_carries_the_components_buttons(env):
    schema = page(env, env.branch, "kit-candidate")
    crud = schema["body"][0]
    rows = {b["label"] for b in crud["columns"][-1]["buttons"]}
    assert {"座谈会管理", "进入支委会议", "填报支委会议时间"} <= rows
    bulk = {b["label"] for b in crud["bulkActions"]}
    assert {"座谈会管理", "批量进入支委会议", "批量填报支委会议时间"} <= bulk
    assert "政审管理" in {b.get("label") for b in crud["headerToolbar"] if isinstance(b, dict)}
    vote = next(b for b in crud["bulkActions"] if b["label"] == "批量进入支委会议")
    assert vote["dialog"]["body"]["data"]["items"] == "${selectedItems|pick:record_id~id,name~name}"
    options = {o["value"] for o in next(c for c in vote["dialog"]["body"]["body"] if c.get("name") == "items")["columns"][1]["options"]}
    assert options == {"pass", "fail"}
    header = page(env, env.branch, "kit-candidate_political-review")["body"][0]["headerToolbar"]
    assert "新增政审" not in {b.get("label") for b in header if isinstance(b, dict)}
    header = page(env, env.committee, "kit-candidate_political-review")["body"][0]["headerToolbar"]
    assert "新增政审" in {b.get("label") for b in header if isinstance(b, dict)}
