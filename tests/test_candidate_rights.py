"""Rights from outside on every route of the candidate stage: a student gets 403 and an
anonymous caller 401 on each of its admin routes (read from the app, so a route added later is
covered too), anonymous callers 401 on its MP routes; the other branch's admin gets 404 for the
objects of branch A (a symposium, a committee meeting, a filing, a political review's letters)
and sees none of them in its lists."""
import re
from datetime import timedelta

import pytest

from tests.activist_helpers import local_now, ok
from tests.candidate_flow import CAN, SCAN, A, B, StageEnv, candidates, ids
from tests.conftest import own_app

MP_PATHS = ("candidate-recommendation", "candidate-thought-reports", "autobiography", "political-review")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    with own_app(tmp_path_factory.mktemp("candidate_rights"), [], students=20) as (client, app):
        yield StageEnv(client, app)


def routes(env, prefix: str):
    for r in env.app.routes:
        path = getattr(r, "path", "")
        if path == prefix or path.startswith(prefix + "/"):
            for method in sorted(r.methods - {"HEAD", "OPTIONS"}):
                yield method, re.sub(r"\{[^}]+\}", "1", path)  # any id: the check runs before the lookup


def call(api, method: str, url: str):
    return getattr(api, method.lower())(url, **({"json": {}} if method in ("POST", "PUT") else {}))


def test_students_and_anonymous_callers_are_refused_on_every_admin_route(env):
    (person,) = candidates(env, A, 1)
    found = list(routes(env, CAN))
    assert len(found) >= 80
    for method, path in found:
        assert call(env.anonymous, method, path).status_code == 401, (method, path)
        assert call(person.api, method, path).status_code == 403, (method, path)
    for name in MP_PATHS:
        for method, path in routes(env, f"/api/mp/v1/development/{name}"):
            assert call(env.anonymous, method, path).status_code == 401, (method, path)


def test_the_other_branch_admin_gets_404_for_branch_a_objects(env):
    a = env.admins[A]
    other = env.admins[B]
    people = candidates(env, A, 2, step="symposium")
    held = (local_now() - timedelta(hours=2)).isoformat(timespec="minutes")
    s = ok(a.post(f"{CAN}/symposium", json={"record_ids": ids(people), "held_at": held, "place": "会议室"}))["data"]["id"]
    sym = f"{CAN}/symposium/{s}"
    for method, url, kw in (("get", sym, {}), ("put", sym, {"json": {"held_at": held, "place": "x"}}),
                            ("get", f"{sym}/forms?record_ids={people[0].record_id}", {}),
                            ("post", f"{sym}/scans/{people[0].record_id}", {"files": {"file": ("x.pdf", SCAN, "application/pdf")}}),
                            ("post", f"{sym}/scans", {"data": {"record_ids": str(people[0].record_id)},
                                                      "files": [("files", ("x.pdf", SCAN, "application/pdf"))]}),
                            ("post", f"{sym}/complete", {}), ("delete", sym, {})):
        assert getattr(other, method)(url, **kw).status_code == 404, (method, url)
    assert s not in [x["id"] for x in ok(other.get(f"{CAN}/symposium"))["data"]["items"]]
    assert not ok(other.get(f"{CAN}/symposium/candidates"))["data"]["items"]

    voted = candidates(env, A, 1, step="committee_meeting")
    m = ok(a.post(f"{CAN}/committee-meeting", json={"held_at": held, "place": "会议室", "expected": 3, "present": 3,
                                                    "items": [{"record_id": voted[0].record_id, "outcome": "pass"}]}))["data"]["id"]
    for url in (f"{CAN}/committee-meeting/{m}", f"{CAN}/committee-meeting/{m}/minutes", f"{CAN}/committee-meeting/{m}/ballot"):
        assert other.get(url).status_code == 404, url
    assert m not in [x["id"] for x in ok(other.get(f"{CAN}/committee-meeting"))["data"]["items"]]

    filed = candidates(env, A, 1, step="filing")
    f = ok(a.post(f"{CAN}/filing", json={"record_ids": ids(filed)}))["data"]["id"]
    for method, url, body in (("get", f"{CAN}/filing/{f}", None), ("get", f"{CAN}/filing/{f}/form", None),
                              ("get", f"{CAN}/filing/{f}/candidates", None),
                              ("post", f"{CAN}/filing/{f}/generate", {"people": [{"record_id": filed[0].record_id}]}),
                              ("post", f"{CAN}/filing/{f}/submit", None), ("delete", f"{CAN}/filing/{f}", None)):
        kw = {"json": body} if body is not None else {}
        assert getattr(other, method)(url, **kw).status_code == 404, (method, url)

    assert other.post(f"{CAN}/publicity", json={}).status_code == 403  # the committee's publicity
    assert other.post(f"{CAN}/introducer/assign", json={"record_ids": ids(filed), "user_ids": [1, 2]}).status_code == 404
    assert other.post(f"{CAN}/cultivation/urge", json={"record_ids": ids(filed), "task": "report"}).status_code == 404
    assert other.get(f"{CAN}/{filed[0].record_id}/detail").status_code == 404
