"""Every route the kit mounts for a stage, tried from outside on a record of branch A: the
other branch's admin finds nothing (404), a student has no right (403), an anonymous caller
is asked to log in (401); nothing moves."""
import pytest

from tests.conftest import own_app
from tests.workflow_helpers import API, RECEPTION_API, Env


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    with own_app(tmp_path_factory.mktemp("rights"), ["tests.plugins.outcome_stage"]) as (client, app):
        yield Env(client, app)


def test_kit_routes_refuse_the_other_branch_students_and_strangers(env):
    from tests.conftest import Api

    rid = env.people(1, step="contact")[0]
    member = env.branch.get(f"{API}/contact/candidates").json()["data"]["options"][0]["value"]
    routes = [
        ("post", f"{API}/check", {"record_ids": [rid], "outcome": "pass"}),
        ("post", f"{API}/vote", {"items": [{"record_id": rid, "outcome": "agree"}]}),
        ("post", f"{API}/oath", {"record_ids": [rid], "outcome": "advance", "day": "2026-05-01"}),
        ("post", f"{API}/contact/assign", {"record_ids": [rid], "user_ids": [member]}),
        ("post", f"{API}/introducer/assign", {"record_ids": [rid], "user_ids": [member, member + 1]}),
        ("post", f"{API}/cultivation/pass", {"record_ids": [rid]}),
        ("post", f"{API}/cultivation/urge", {"record_ids": [rid], "task": "report"}),
        ("post", f"{API}/report/review", {"record_ids": [rid], "approve": True}),
        ("post", f"{API}/report/urge", {"record_ids": [rid]}),
        ("post", f"{API}/report/proxy", {"record_id": rid, "files": ["x"], "signed_date": "2026-05-01"}),
        ("post", f"{API}/qtalk/review", {"record_ids": [rid], "approve": True}),
        ("post", f"{API}/qtalk/proxy", {"record_id": rid, "place": "x", "scheduled_at": "2026-05-01T10:00",
                                        "content": "x", "talk_date": "2026-05-01"}),
        ("post", f"{API}/qtalk/confirm", {"record_id": rid}),
        ("post", f"{RECEPTION_API}/meeting", {"record_ids": [rid], "outcome": "agree"}),
        ("post", "/api/pc/v1/development/redevelop", {"record_ids": [rid]}),
        ("post", "/api/pc/v1/development/revote", {"record_ids": [rid]}),
        ("get", f"{API}/{rid}/detail", None),
        ("get", f"/api/pc/v1/development/records/{rid}/timeline", None),
    ]
    student, anonymous = env.student(), Api(env.c, None)
    for method, url, body in routes:
        kw = {"json": body} if body is not None else {}
        assert getattr(env.other, method)(url, **kw).status_code == 404, url
        assert getattr(student, method)(url, **kw).status_code == 403, url
        assert getattr(anonymous, method)(url, **kw).status_code == 401, url
    assert rid not in {x["id"] for x in env.other.get(API, params={"per_page": 500}).json()["data"]["items"]}
    assert rid not in {x["id"] for x in env.other.get(f"{API}/cultivation/progress", params={"per_page": 500}).json()["data"]["items"]}
    rec = env.records([rid])[rid]
    assert (rec.step, rec.status, rec.version) == ("contact", "active", 1)  # nothing moved
