"""GET /api/openapi.json describes every /api/ route, and only those, with schemas the real responses meet."""

from __future__ import annotations

import json
import re

import jsonschema_rs
import pytest

import indexer
from app.api import api_document, with_vocabulary
from app.plans.state import plan_vocab

UNDESCRIBED_METHODS = {"HEAD", "OPTIONS"}  # answered by Flask itself for every GET route


def routes_of(application) -> set[tuple[str, str]]:
    """(OpenAPI path, method) of every /api/ rule of the site: /api/assets/<slug> → /api/assets/{slug}."""
    found = set()
    for rule in application.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:[^<>:]+:)?([^<>]+)>", r"{\1}", rule.rule)
            found.update((path, method) for method in rule.methods - UNDESCRIBED_METHODS)
    return found


def described(document: dict) -> set[tuple[str, str]]:
    return {(path, method.upper()) for path, item in document["paths"].items() for method in item
            if method in ("get", "put", "post", "delete", "patch")}


def schema_validator(document: dict, schema: dict) -> jsonschema_rs.Validator:
    """A validator for `schema` that resolves the document's #/components references."""
    root = {"$schema": "https://json-schema.org/draft/2020-12/schema", "components": document["components"], **schema}
    return jsonschema_rs.validator_for(root)


def response_schema(document: dict, path: str, status: int) -> dict:
    response = document["paths"][path]["get"]["responses"][str(status)]
    if "$ref" in response:
        response = document["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    return response["content"]["application/json"]


def test_every_api_route_is_described_and_every_description_is_a_route(app):
    routes, paths = routes_of(app), described(api_document())
    assert routes - paths == set(), f"routes without a description in app/openapi.yaml: {sorted(routes - paths)}"
    assert paths - routes == set(), f"described in app/openapi.yaml but not routes: {sorted(paths - routes)}"


def test_a_route_without_a_description_is_caught(app):
    app.add_url_rule("/api/undescribed/<int:number>", "undescribed", lambda number: "")
    assert routes_of(app) - described(api_document()) == {("/api/undescribed/{number}", "GET")}


def test_the_document_is_served_as_openapi_3_1_with_the_product_version(client, app):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    assert document["info"]["version"] == indexer.__version__
    with app.test_request_context():
        expected = with_vocabulary(api_document(), app.extensions["km"].kb.vocab, plan_vocab())
    assert document == json.loads(json.dumps(expected))  # plain JSON: no YAML dates slipped through
    event_type = next(p for p in document["paths"]["/api/events"]["get"]["parameters"] if p["name"] == "type")
    assert {"cop", "ชุมชนนักปฏิบัติ (CoP)"} <= set(event_type["schema"]["enum"])  # keys and labels the API accepts


def test_the_document_is_valid_openapi(client):
    import schemathesis

    for document in (api_document(), client.get("/api/openapi.json").get_json()):
        schemathesis.openapi.from_dict(document).validate()  # raises with the first problem found


def test_every_operation_with_parameters_documents_its_400_with_a_reason():
    document = api_document()
    for path, item in document["paths"].items():
        operation = item["get"]
        if any(p["in"] == "query" for p in operation.get("parameters", [])):
            content = response_schema(document, path, 400)
            assert content["schema"] == {"$ref": "#/components/schemas/Error"}, path
            assert content.get("examples"), f"{path}: no example of a 400 reason"
    assert document["components"]["schemas"]["Error"]["required"] == ["error", "reason", "status"]


def test_every_parameter_has_a_description_or_is_self_explaining():
    for path, item in api_document()["paths"].items():
        for parameter in item["get"].get("parameters", []):
            assert parameter.get("description") or "enum" in parameter["schema"] or "maximum" in parameter["schema"], \
                f"{path}: parameter {parameter['name']} needs a description"


def test_every_example_meets_its_schema():
    document = api_document()
    checked = 0
    for path, item in document["paths"].items():
        for status in item["get"]["responses"]:
            content = response_schema(document, path, int(status))
            validator = schema_validator(document, content["schema"])
            examples = [e["value"] for e in content.get("examples", {}).values()]
            examples += [content["example"]] if "example" in content else []
            for example in examples:
                errors = [e.message for e in validator.iter_errors(example)]
                assert not errors, f"{path} {status} example: {errors}"
                checked += 1
    assert checked >= 10


@pytest.mark.parametrize("path, document_path, status", [
    ("/api/search?q=ลาป่วย", "/api/search", 200),
    ("/api/search?q=ลาปวย", "/api/search", 200),  # a corrected typo
    ("/api/search?q=&department=palad&fy=2568&sort=newest&per_page=50", "/api/search", 200),
    ("/api/search?q=ไม่มีคำนี้แน่นอนเลย&as_typed=1", "/api/search", 200),
    ("/api/search?page=0", "/api/search", 400),
    ("/api/search?km_stage=nine", "/api/search", 400),
    ("/api/suggest?q=ลาป", "/api/suggest", 200),
    ("/api/suggest?q=พิมพ์ชน", "/api/suggest", 200),
    ("/api/suggest?q=" + "ก" * 201, "/api/suggest", 400),
    ("/api/assets/sick-leave", "/api/assets/{slug}", 200),
    ("/api/assets/grievance-fairness", "/api/assets/{slug}", 200),
    ("/api/assets/nope", "/api/assets/{slug}", 404),
    ("/api/indicators?fy=2568", "/api/indicators", 200),
    ("/api/indicators", "/api/indicators", 200),
    ("/api/indicators?fy=2450", "/api/indicators", 400),
])
def test_real_responses_meet_the_document(sample_client, path, document_path, status):
    document = api_document()
    response = sample_client.get(path)
    assert response.status_code == status
    validator = schema_validator(document, response_schema(document, document_path, status)["schema"])
    errors = [f"{list(e.instance_path)}: {e.message}" for e in validator.iter_errors(response.get_json())]
    assert not errors, errors


def test_the_served_document_lists_the_sites_vocabulary_as_filter_values(client, app):
    parameters = {p["name"]: p for p in client.get("/api/openapi.json").get_json()["paths"]["/api/search"]["get"]
                  ["parameters"]}
    departments = parameters["department"]["schema"]["enum"]
    assert {"palad", "สำนักปลัดเทศบาล", "finance", "กองคลัง"} <= set(departments)
    vocab = app.extensions["km"].kb.vocab
    assert all(vocab.departments.resolve(spelling) for spelling in departments)  # every listed value is accepted
    assert set(vocab.km_stages.keys) <= set(parameters["km_stage"]["schema"]["enum"])
    assert parameters["tag"]["schema"] == {"type": "string"}  # free text stays free


def test_a_405_keeps_its_allow_header(client):
    response = client.post("/api/search")
    assert response.status_code == 405
    assert response.get_json()["status"] == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    page = client.post("/search")
    assert page.status_code == 405 and "GET" in page.headers["Allow"] and page.mimetype == "text/html"
