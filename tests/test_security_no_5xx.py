"""Issue 8 security: no input gives a 5xx. Integers past int64 in paths, queries and JSON id
lists, and paging past any sane size, answer 4xx on both databases (the suite's database:
SQLite, or PostgreSQL under `make test-pg`). Every operation of /openapi.json with an integer
path or query parameter is tried, so new routes are covered as they appear."""
import pytest

from core.responses import MAX_PAGE, MAX_PER_PAGE

# 2**31: past PostgreSQL's INTEGER (the id columns); 2**63: past int64 (SQLite, BIGINT).
HUGE = [2**31, 2**63, 2**64, -(2**63) - 1, 10**30]


def _operations(client):
    spec = client.get("/openapi.json").json()
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in ("get", "delete", "post", "put", "patch"):
                yield path, method, op


def _int_params(op, where: str) -> list[str]:
    return [p["name"] for p in op.get("parameters", []) if p["in"] == where and _is_int(p.get("schema", {}))]


def _is_int(schema: dict) -> bool:
    return schema.get("type") == "integer" or any(s.get("type") == "integer" for s in schema.get("anyOf", []))


def _fill(path: str, value) -> str:
    import re

    return re.sub(r"\{[^}]+\}", str(value), path)


def test_huge_ids_in_every_path_answer_4xx(client, committee, student_a):
    tried, bad = 0, []
    for path, method, op in _operations(client):
        if method not in ("get", "delete") or not _int_params(op, "path"):
            continue
        for caller in (committee, student_a):
            for value in HUGE:
                r = getattr(caller, method)(_fill(path, value))
                tried += 1
                if r.status_code >= 500:
                    bad.append(f"{method.upper()} {_fill(path, value)} -> {r.status_code} {r.text[:200]}")
    assert tried > 50, tried
    assert not bad, "\n".join(bad)


def test_huge_integers_in_every_query_answer_4xx(client, committee):
    tried, bad = 0, []
    for path, method, op in _operations(client):
        params = _int_params(op, "query")
        if method != "get" or not params or _int_params(op, "path"):
            continue
        for name in params:
            for value in HUGE[:3]:
                r = committee.get(path, params={name: value})
                tried += 1
                if r.status_code >= 500:
                    bad.append(f"GET {path}?{name}={value} -> {r.status_code} {r.text[:200]}")
    assert tried > 10, tried
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("page, per_page", [(10**12, 20), (1, 10**12), (2**63, 2**63), (0, 20), (1, 0), (-1, -1)])
def test_paging_past_any_sane_size_answers_422(committee, page, per_page):
    r = committee.get("/api/pc/v1/users", params={"page": page, "per_page": per_page})
    assert r.status_code == 422 and r.json()["errors"][0]["label"] in ("页码", "每页条数")


def test_largest_allowed_page_answers_an_empty_page(committee):
    r = committee.get("/api/pc/v1/users", params={"page": MAX_PAGE, "per_page": MAX_PER_PAGE})
    assert r.status_code == 200 and r.json()["data"]["items"] == []


@pytest.mark.parametrize("value", [2**31, 2**63, 2**64, -(2**63) - 1])
def test_huge_ids_in_json_bodies_answer_4xx(committee, value):
    role = next(o["value"] for o in committee.get("/api/pc/v1/users/role-options").json()["data"]["options"] if o["label"] == "学生")
    user = {"username": "huge", "name": "大数", "password": "Good@2026x", "role_ids": [role]}
    bodies = [
        ("/api/pc/v1/users", {**user, "role_ids": [value]}),
        ("/api/pc/v1/users", {**user, "org_id": value}),
        ("/api/pc/v1/users", {**user, "org_id": value, "institution_id": value}),
        ("/api/pc/v1/orgs", {"name": "大数支部", "kind": "party", "training_type": "本科生", "institution_ids": [value]}),
        ("/api/pc/v1/party-groups", {"name": "大数小组", "branch_id": value}),
        ("/api/pc/v1/institutions", {"name": "大数班", "type": "班级", "training_type": "本科生", "sort": value}),
        ("/api/pc/v1/development/redevelop", {"record_ids": [1, value]}),
    ]
    for url, body in bodies:
        r = committee.post(url, json=body)
        assert 400 <= r.status_code < 500, f"POST {url} {body} -> {r.status_code} {r.text[:300]}"
        assert r.json()["msg"]
