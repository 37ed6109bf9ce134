"""The evaluation API's contract in /openapi.json: every operation declares its answer, every field
in it (and in every request body) has a type — a client generated from the spec has no untyped
field — and files declare their content type. Answers carry times with their offset."""
from __future__ import annotations

import re

PREFIXES = ("/api/pc/v1/evaluation", "/api/mp/v1/evaluation")
FILE_TYPES = {"application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def untyped(spec: dict, schema: dict, where: str, seen: set[str]) -> list[str]:
    """Places under ``schema`` a generated client would type as Any or as an untyped dict."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        seen.add(name)
        return untyped(spec, _resolve(spec, schema), f"{where}<{name}>", seen)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return [p for i, s in enumerate(schema[key]) for p in untyped(spec, s, f"{where}|{i}", seen)]
    kind = schema.get("type")
    if kind is None and "enum" not in schema and "const" not in schema:
        return [f"{where}: no type"]
    if kind == "array":
        return untyped(spec, schema.get("items", {}), f"{where}[]", seen) if schema.get("items") else [f"{where}: untyped items"]
    if kind == "object":
        props = schema.get("properties")
        extra = schema.get("additionalProperties")
        if not props and not isinstance(extra, dict) and extra is not False:  # False: declared empty ({})
            return [f"{where}: untyped object"]
        found = [p for k, s in (props or {}).items() for p in untyped(spec, s, f"{where}.{k}", seen)]
        if extra is True:
            found.append(f"{where}: additionalProperties true")
        elif isinstance(extra, dict):
            found += untyped(spec, extra, f"{where}{{}}", seen)
        return found
    return []


def test_every_evaluation_operation_is_typed(app):
    spec = app.openapi()
    ops = [(path, method, op) for path, item in spec["paths"].items() if path.startswith(PREFIXES)
           for method, op in item.items()]
    assert len(ops) >= 30
    problems = []
    for path, method, op in ops:
        where = f"{method.upper()} {path}"
        ok = op["responses"].get("200", {}).get("content", {})
        if not ok:
            problems.append(f"{where}: no success response")
        for media, body in ok.items():
            schema = body.get("schema") or {}
            if media in FILE_TYPES:
                if schema.get("format") != "binary":
                    problems.append(f"{where}: file answer without binary schema")
                continue
            if not schema:
                problems.append(f"{where}: empty answer schema")
            problems += untyped(spec, schema, where, set())
        for media, body in (op.get("requestBody") or {}).get("content", {}).items():
            problems += untyped(spec, body.get("schema") or {}, f"{where} body", set())
        for code in ("401", "404", "422"):
            if code not in op["responses"]:
                problems.append(f"{where}: error {code} not documented")
        if path.startswith("/api/pc/") and "application/json" in ok:
            envelope = _resolve(spec, ok["application/json"].get("schema") or {})
            if set(envelope.get("properties", {})) != {"status", "msg", "data"}:
                problems.append(f"{where}: PC answer is not an Envelope")
    assert not problems, "\n".join(problems)


def test_untyped_detector_catches_what_it_should():
    spec = {"components": {"schemas": {"A": {"type": "object", "properties": {"x": {}}},
                                       "B": {"type": "object", "additionalProperties": True},
                                       "C": {"type": "object", "properties": {"n": {"type": "integer"}}}}}}
    assert untyped(spec, {"$ref": "#/components/schemas/A"}, "A", set()) == ["A<A>.x: no type"]
    assert untyped(spec, {"$ref": "#/components/schemas/B"}, "B", set()) == ["B<B>: untyped object"]
    assert untyped(spec, {"type": "array"}, "L", set()) == ["L: untyped items"]
    assert untyped(spec, {"$ref": "#/components/schemas/C"}, "C", set()) == []
    assert untyped(spec, {"type": "object", "additionalProperties": False}, "E", set()) == []


OFFSET_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:\d{2}|Z)")
ANY_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[^\"]*")


def times_without_offset(text: str) -> list[str]:
    return [t for t in ANY_TIME.findall(text) if not OFFSET_TIME.fullmatch(t)]


def test_times_carry_their_offset(committee, branch_a, student_a):
    from tests.test_evaluation_reports import MP, _setup
    from tests.test_evaluation_import import API

    (p1, p2), _, a_id = _setup(committee, branch_a, student_a)
    texts = [committee.get(f"{API}/periods").text, committee.get(f"{API}/periods/{p2['id']}").text,
             committee.get(f"{API}/reports").text, student_a.get(f"{MP}/reports").text,
             committee.post(f"{API}/periods/{p2['id']}/publish").text]
    assert any("+08:00" in t for t in texts)
    for t in texts:
        assert not times_without_offset(t), times_without_offset(t)
    listed = student_a.get(f"{MP}/reports").json()["items"]
    assert listed and all(OFFSET_TIME.fullmatch(i["published_at"]) for i in listed)
