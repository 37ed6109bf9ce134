"""The API contract, checked from /openapi.json and from answers (docs/api.md says it in prose).

- Every operation declares its success answer: a JSON schema, or a binary type for downloads.
- A client generated from the spec (datamodel-code-generator) has no untyped field: no Any,
  no open dict, no field without a type.
- Every time in a mini-program answer carries its offset; MP answers are data (no amis
  envelope, no amis widget fields).
- Errors have one shape with Chinese field labels.
Each test names every offending operation, so one run lists all that is left to do.
"""
from __future__ import annotations

import ast
import json
import re
import warnings
from datetime import datetime, timedelta

import datamodel_code_generator as dcg

from tests.conftest import unique

METHODS = ("get", "post", "put", "patch", "delete")
DOC_KEYS = {"title", "description", "default", "examples", "example", "deprecated", "readOnly", "writeOnly"}


def spec_of(client) -> dict:
    r = client.get("/openapi.json")
    assert r.status_code == 200
    return r.json()


def operations(spec: dict):
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield f"{method.upper()} {path}", item[method]


# --- 1. every operation declares its success answer --------------------------------------------------

def success_problem(op: dict) -> str | None:
    codes = [c for c in op.get("responses", {}) if c.startswith("2")]
    if not codes:
        return "no 2xx response"
    content = op["responses"][codes[0]].get("content") or {}
    if not content:
        return f"{codes[0]} has no content"
    for media, body in content.items():
        schema = body.get("schema") or {}
        if media == "application/json":
            if not set(schema) - DOC_KEYS:
                return f"{codes[0]} application/json schema is empty"
        elif schema.get("format") != "binary":
            return f"{codes[0]} {media} is not declared binary"
    return None


def test_every_operation_declares_its_success_schema(client):
    spec = spec_of(client)
    problems = {name: p for name, op in operations(spec) if (p := success_problem(op))}
    assert not problems, f"{len(problems)} operations without a declared answer:\n" + "\n".join(
        f"  {k}: {v}" for k, v in sorted(problems.items()))


# --- 2. no untyped field, in the spec and in a generated client -------------------------------------

def untyped_spots(node, where: str) -> list[str]:
    """Places in a JSON schema where a generated client would get Any or an open dict."""
    if not isinstance(node, dict):
        return []
    if "$ref" in node:
        return []
    keys = set(node) - DOC_KEYS
    if not keys:
        return [f"{where}: no type"]
    spots = []
    kind = node.get("type")
    if kind == "object":
        extra = node.get("additionalProperties")
        if extra is True or ("properties" not in node and extra is None):
            spots.append(f"{where}: open object")
    if kind == "array" and "items" not in node and "prefixItems" not in node:
        spots.append(f"{where}: array without item type")
    for name, sub in (node.get("properties") or {}).items():
        spots += untyped_spots(sub, f"{where}.{name}")
    if isinstance(node.get("items"), dict):
        spots += untyped_spots(node["items"], f"{where}[]")
    if isinstance(node.get("additionalProperties"), dict):
        spots += untyped_spots(node["additionalProperties"], f"{where}{{}}")
    for combo in ("anyOf", "oneOf", "allOf", "prefixItems"):
        for i, sub in enumerate(node.get(combo) or []):
            spots += untyped_spots(sub, f"{where}|{i}")
    return spots


def refs_in(node) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[1])
        for value in node.values():
            found |= refs_in(value)
    elif isinstance(node, list):
        for value in node:
            found |= refs_in(value)
    return found


def closure(names: set[str], schemas: dict) -> set[str]:
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name not in seen and name in schemas:
            seen.add(name)
            todo.extend(refs_in(schemas[name]) - seen)
    return seen


def operation_parts(op: dict):
    for param in op.get("parameters", []):
        yield f"param {param.get('name')}", param.get("schema", {})
    for media, body in ((op.get("requestBody") or {}).get("content") or {}).items():
        yield f"body {media}", body.get("schema", {})
    for code, resp in op.get("responses", {}).items():
        for media, body in (resp.get("content") or {}).items():
            if media == "application/json":
                yield f"{code}", body.get("schema", {})


def untyped_operations(spec: dict) -> dict[str, list[str]]:
    schemas = spec.get("components", {}).get("schemas", {})
    by_schema = {name: untyped_spots(s, name) for name, s in schemas.items()}
    result: dict[str, list[str]] = {}
    for name, op in operations(spec):
        spots: list[str] = []
        refs: set[str] = set()
        for part, schema in operation_parts(op):
            if part.startswith("2") and not set(schema) - DOC_KEYS:
                continue  # reported by test_every_operation_declares_its_success_schema
            spots += untyped_spots(schema, part)
            refs |= refs_in(schema)
        for ref in sorted(closure(refs, schemas)):
            spots += by_schema[ref]
        if spots:
            result[name] = spots
    return result


def generated_client(spec: dict) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return dcg.generate(json.dumps(spec), input_file_type=dcg.InputFileType.OpenAPI,
                            output_model_type=dcg.DataModelType.PydanticV2BaseModel,
                            openapi_scopes=[dcg.OpenAPIScope.Schemas, dcg.OpenAPIScope.Paths])


def _mentions_any(annotation: ast.expr) -> bool:
    return any(isinstance(n, ast.Name) and n.id == "Any" for n in ast.walk(annotation))


def untyped_classes(code: str) -> dict[str, list[str]]:
    """Generated classes with a field typed Any, a bare dict, or open extra fields."""
    found: dict[str, list[str]] = {}
    for cls in ast.parse(code).body:
        if not isinstance(cls, ast.ClassDef):
            continue
        bad = []
        for base in cls.bases:
            if _mentions_any(base):
                bad.append(f"base {ast.unparse(base)}")
        for stmt in cls.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                ann = ast.unparse(stmt.annotation)
                if _mentions_any(stmt.annotation) or re.search(r"\b(dict|Dict)\b(?!\[)", ann):
                    bad.append(f"{stmt.target.id}: {ann}")
            elif isinstance(stmt, ast.Assign) and "extra='allow'" in ast.unparse(stmt).replace('"', "'"):
                bad.append("open extra fields (extra='allow')")
        if bad:
            found[cls.name] = bad
    return found


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def operations_of_classes(spec: dict, classes: set[str]) -> dict[str, set[str]]:
    """Which operations use each generated class (by the component it came from, or its path)."""
    schemas = spec.get("components", {}).get("schemas", {})
    component_of = {_norm(name): name for name in schemas}
    users: dict[str, set[str]] = {c: set() for c in classes}
    for name, op in operations(spec):
        method, path = name.split(" ", 1)
        used = closure(set().union(*(refs_in(s) for _, s in operation_parts(op))), schemas)
        for cls in classes:
            comp = component_of.get(_norm(cls))
            if (comp and comp in used) or _norm(cls).startswith(_norm(path + method)):
                users[cls].add(name)
    return users


def test_generated_client_has_no_untyped_field(client):
    spec = spec_of(client)
    by_operation = untyped_operations(spec)
    classes = untyped_classes(generated_client(spec))
    users = operations_of_classes(spec, set(classes))
    for cls, ops in users.items():
        for name in ops or {"(no operation found)"}:
            by_operation.setdefault(name, []).append(f"generated class {cls}: {'; '.join(classes[cls])}")
    assert not by_operation, f"{len(by_operation)} operations with untyped fields:\n" + "\n".join(
        f"  {name}: {', '.join(dict.fromkeys(spots))}" for name, spots in sorted(by_operation.items()))


def test_the_checks_see_untyped_fields():
    """The two checks above would catch what they look for (so a green run means something)."""
    spec = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/x": {"post": {
        "requestBody": {"content": {"application/json": {"schema": {"type": "object", "additionalProperties": True}}}},
        "responses": {"200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Out"}}}}},
    }}, "/y": {"get": {"responses": {"200": {"description": "", "content": {"application/json": {"schema": {}}}}}}}},
        "components": {"schemas": {"Out": {"type": "object", "properties": {"a": {}, "b": {"type": "integer"}}, "title": "Out"}}}}
    assert success_problem(spec["paths"]["/y"]["get"]) == "200 application/json schema is empty"
    assert success_problem(spec["paths"]["/x"]["post"]) is None
    found = untyped_operations(spec)
    assert set(found) == {"POST /x"} and any("Out.a" in s for s in found["POST /x"])
    assert any("open object" in s for s in found["POST /x"])
    classes = untyped_classes(generated_client(spec))
    assert "Out" in classes and operations_of_classes(spec, {"Out"}) == {"Out": {"POST /x"}}
    spec["paths"]["/y"]["get"]["parameters"] = [{"name": "q", "in": "query", "schema": {"type": "string", "title": "Q"}}]
    assert untitled_inputs(spec) == {"GET /y": ["query q"]}


def untitled_inputs(spec: dict) -> dict[str, list[str]]:
    """Query parameters and body fields without a Chinese title (errors would name them in English)."""
    schemas = spec.get("components", {}).get("schemas", {})
    found: dict[str, list[str]] = {}
    for name, op in operations(spec):
        bad = [f"query {p['name']}" for p in op.get("parameters", [])
               if p.get("in") == "query" and (p.get("schema", {}).get("title") or "").isascii()]
        for body in ((op.get("requestBody") or {}).get("content") or {}).values():
            schema = body.get("schema") or {}
            if "$ref" in schema:
                schema = schemas.get(schema["$ref"].rsplit("/", 1)[1], {})
            bad += [f"body {field}" for field, prop in (schema.get("properties") or {}).items()
                    if (prop.get("title") or "").isascii()]
        if bad:
            found[name] = bad
    return found


def test_every_request_field_has_a_chinese_title(client):
    found = untitled_inputs(spec_of(client))
    assert not found, f"{len(found)} operations with inputs lacking a Chinese title:\n" + "\n".join(
        f"  {name}: {', '.join(bad)}" for name, bad in sorted(found.items()))


def spec_problems(spec: dict) -> dict[str, dict]:
    """Every check above on one (part of the) spec, for the tests of a throwaway stage's routes:
    undeclared answers, untyped fields, untyped generated classes its routes use (the client
    holds every schema: keep those the routes use), untitled request fields. All empty = fine."""
    classes = untyped_classes(generated_client(spec))
    return {"undeclared": {name: pr for name, op in operations(spec) if (pr := success_problem(op))},
            "untyped": untyped_operations(spec),
            "untyped_classes": {cls: ops for cls, ops in operations_of_classes(spec, set(classes)).items() if ops},
            "untitled": untitled_inputs(spec)}


NO_PROBLEMS = {"undeclared": {}, "untyped": {}, "untyped_classes": {}, "untitled": {}}


# --- 3. mini-program answers: times with offsets, data not widgets ----------------------------------

TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")
AMIS_KEYS = {"subTitle", "className", "visibleOn", "hiddenOn", "actionType", "badge", "level"}
AMIS_STEP_STATES = {"process", "wait", "finish"}


def contract_problems(value, where: str = "") -> list[str]:
    problems = []
    if isinstance(value, dict):
        for k, v in value.items():
            if k in AMIS_KEYS:
                problems.append(f"{where}.{k}: amis widget field")
            problems += contract_problems(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            problems += contract_problems(v, f"{where}[{i}]")
    elif isinstance(value, str):
        if TIME.match(value) and not WITH_OFFSET.match(value):
            problems.append(f"{where}: time without offset {value!r}")
        if value in AMIS_STEP_STATES:
            problems.append(f"{where}: amis step state {value!r}")
    return problems


def mp_answers(client, callers) -> dict[str, object]:
    """GET every parameterless MP route as each caller, plus the ids this walk learns."""
    spec = spec_of(client)
    answers: dict[str, object] = {}
    for who, api in callers.items():
        for name, _ in operations(spec):
            method, path = name.split(" ", 1)
            if method != "GET" or not path.startswith("/api/mp/v1/") or "{" in path:
                continue
            r = api.get(path)
            if r.status_code == 200 and r.headers["content-type"].startswith("application/json"):  # not downloads (PDF)
                answers[f"{who} {name}"] = r.json()
        messages = api.get("/api/mp/v1/messages").json()
        if messages.get("items"):
            mid = messages["items"][0]["id"]
            answers[f"{who} GET /api/mp/v1/messages/{{id}}"] = api.get(f"/api/mp/v1/messages/{mid}").json()
    return answers


def applicant_with_talk(client, committee, branch_a, png: bytes):
    """A new student who applied and was approved, and the talker assigned to it (so the walk
    meets timelines, letters, talks, to-dos with deadlines and messages)."""
    from tests.dev_helpers import branch_talker, local_today, new_student, upload
    from tests.test_messaging_api import deliver

    me = new_student(client, committee)
    r = me.post("/api/mp/v1/development/apply", json={"files": [upload(me, png)], "signed_date": local_today().isoformat()})
    assert r.status_code == 200, r.text
    rid = branch_a.get("/api/pc/v1/development/applicants", params={"name": me.user["name"]}).json()["data"]["items"][0]["id"]
    assert branch_a.post("/api/pc/v1/development/applicants/review", json={"record_ids": [rid], "approve": True}).status_code == 200
    talker = branch_talker(client, committee, branch_a)
    deadline = (datetime.now() + timedelta(days=10)).isoformat(timespec="minutes")
    r = branch_a.post("/api/pc/v1/development/applicants/talk/assign",
                      json={"record_ids": [rid], "talker_id": talker.user["id"], "deadline": deadline})
    assert r.status_code == 200, r.text
    deliver(client)
    return me, talker


def test_mp_answers_carry_offsets_and_are_data_not_widgets(client, committee, branch_a, tiny_png):
    me, talker = applicant_with_talk(client, committee, branch_a, tiny_png)
    login = client.post("/api/mp/v1/auth/login", json={"username": me.user["username"], "password": "Good@2026x"}).json()
    answers = {"POST /api/mp/v1/auth/login": login, **mp_answers(client, {"applicant": me, "talker": talker,
                                                                          "committee": committee, "branch": branch_a})}
    answers["applicant POST /api/mp/v1/profile/later"] = me.post("/api/mp/v1/profile/later").json()
    assert WITH_OFFSET.match(login["expires_at"])
    seen = json.dumps(answers, ensure_ascii=False)
    assert len(re.findall(r'"\d{4}-\d\d-\d\dT', seen)) >= 10, "the walk met too few times to mean anything"
    assert "applicant GET /api/mp/v1/development/timeline" in answers and "talker GET /api/mp/v1/todos" in answers
    problems = {name: p for name, body in answers.items() if (p := contract_problems(body))}
    envelopes = [name for name, body in answers.items() if isinstance(body, dict) and {"status", "data"} <= set(body)]
    assert not envelopes, f"MP answers in the admin envelope: {envelopes}"
    assert not problems, "MP answers breaking the contract:\n" + "\n".join(
        f"  {name}: {'; '.join(p[:5])}" for name, p in sorted(problems.items()))


def test_the_answer_check_sees_bad_times_and_widgets():
    assert contract_problems({"a": "2026-11-28T18:00:00+08:00", "b": "2026-11-28", "c": "2026-11-28T10:00:00Z"}) == []
    assert contract_problems({"t": "2026-11-28T18:00:00"}) == [".t: time without offset '2026-11-28T18:00:00'"]
    assert contract_problems({"x": [{"subTitle": "2026-11-28 18:00", "status": "wait"}]}) == [
        ".x[0].subTitle: amis widget field", ".x[0].subTitle: time without offset '2026-11-28 18:00'",
        ".x[0].status: amis step state 'wait'"]


# --- 4. one error shape with Chinese labels ---------------------------------------------------------

def assert_error_shape(body: dict, status: int) -> None:
    assert set(body) == {"status", "msg", "errors"} and body["status"] == status and body["msg"]
    assert isinstance(body["errors"], list)
    for e in body["errors"]:
        assert {"field", "label", "msg"} <= set(e) <= {"field", "label", "msg", "row"}
        assert not e["label"].isascii() and not e["msg"].isascii() and e["field"] not in e["msg"]


def test_validation_error_names_the_field_in_chinese(committee):
    r = committee.post("/api/mp/v1/development/talks/1/schedule", json={"place": "", "scheduled_at": "2026-11-28T18:00:00"})
    assert r.status_code == 422
    assert r.json() == {"status": 422, "msg": "谈话地点不能为空",
                        "errors": [{"field": "place", "label": "谈话地点", "msg": "谈话地点不能为空"}]}
    r = committee.post("/api/pc/v1/party-groups", json={"name": "", "leader": "x"})
    assert_error_shape(r.json(), 422)
    assert {(e["field"], e["label"]) for e in r.json()["errors"]} == {("name", "党小组名称"), ("branch_id", "所属党支部")}
    assert r.json()["msg"] == "党小组名称不能为空；所属党支部不能为空"
    r = committee.get("/api/pc/v1/users", params={"institution_id": "abc"})
    assert r.status_code == 422 and r.json()["errors"] == [{"field": "institution_id", "label": "所属机构", "msg": "所属机构应为整数"}]


def test_refusals_about_one_field_name_it(client, committee, student_a):
    r = committee.post("/api/pc/v1/users", json={"username": "dangwei", "name": "重名", "password": "Good@2026x", "role_ids": [1]})
    assert r.status_code == 409
    assert_error_shape(r.json(), 409)
    assert r.json()["errors"] == [{"field": "username", "label": "账号", "msg": "账号“dangwei”已存在"}]
    r = student_a.post("/api/mp/v1/personal/password", json={"old_password": "Wrong@2026x", "new_password": "New@2026x",
                                                             "confirm_password": "New@2026x"})
    assert r.status_code == 422 and r.json()["errors"][0]["label"] == "原始密码"
    r = client.post("/api/mp/v1/auth/login", json={"username": "dangwei"})
    assert r.status_code == 422 and r.json()["errors"] == [{"field": "password", "label": "密码", "msg": "密码不能为空"}]
    for r in (student_a.get("/api/pc/v1/users"), student_a.get("/api/mp/v1/messages/999999999"), client.get("/api/mp/v1/me")):
        assert_error_shape(r.json(), r.status_code)
