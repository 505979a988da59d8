"""`openapi.json` is a valid OpenAPI 3.1 description, its every example is accepted by the
server, and what the server answers matches the schemas it describes."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from tests.api.conftest import Workspace
from tests.api.conftest import call
from tests.listeners.conftest import Server


def description(server: Server) -> dict[str, Any]:
    answer = call(server.url, "GET", "/openapi.json")
    assert answer.status == 200
    document: dict[str, Any] = answer.json()
    return document


def schema_of(document: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    """A validator for `schema`, resolving its references inside the description."""
    return Draft202012Validator({**schema, "components": document["components"]})


def response_schema(document: dict[str, Any], path: str, method: str, status: str) -> Any:
    content = document["paths"][path][method]["responses"][status]["content"]
    return next(iter(content.values()))["schema"]


def test_it_is_a_valid_openapi_3_1_description(server: Server) -> None:
    document = description(server)
    validate(document)
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]) == {
        "/pilots",
        "/pilots/{key}",
        "/pilots/{key}/readings",
        "/pilots/{key}/evals",
        "/openapi.json",
    }
    assert document["paths"]["/openapi.json"]["get"]["security"] == []


@pytest.mark.parametrize("path", ["/pilots/{key}/readings", "/pilots/{key}/evals"])
def test_every_request_example_is_accepted(server: Server, workspace: Workspace, path: str) -> None:
    document = description(server)
    operation = document["paths"][path]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    name = schema["$ref"].rsplit("/", 1)[-1]
    examples = document["components"]["schemas"][name]["examples"]
    assert len(examples) >= 2
    key = workspace.pilot()
    assert key == document["components"]["parameters"]["key"]["example"]
    idempotency = document["components"]["parameters"]["idempotencyKey"]["example"]
    for number, example in enumerate(examples):
        headers = {"Idempotency-Key": f"{idempotency}-{number}"}
        answer = workspace.post(path.format(key=key), example, headers=headers)
        assert answer.status == 201, (example, answer.body)
        schema_of(document, response_schema(document, path, "post", "201")).validate(answer.json())


def test_the_query_example_is_accepted(server: Server, workspace: Workspace) -> None:
    document = description(server)
    [parameter] = document["paths"]["/pilots"]["get"]["parameters"]
    answer = workspace.get(f"/pilots?at={parameter['example']}")
    assert answer.status == 200


def test_what_the_server_answers_matches_the_schemas(server: Server, workspace: Workspace) -> None:
    document = description(server)
    key = workspace.pilot(ready=True)
    workspace.run(f"decide {key} extend until:2031-01-31 more data first")
    assert workspace.post(f"/pilots/{key}/readings", {"value": 9}).status == 201
    listing = workspace.get("/pilots")
    schema_of(document, response_schema(document, "/pilots", "get", "200")).validate(listing.json())
    one = workspace.get(f"/pilots/{key}")
    schema_of(document, response_schema(document, "/pilots/{key}", "get", "200")).validate(
        one.json()
    )
    assert one.json()["decisions"][0]["until"] == "2031-01-31"
    refused = workspace.post(f"/pilots/{key}/readings", {"value": "nine"})
    problem = response_schema(document, "/pilots/{key}/readings", "post", "422")
    schema_of(document, problem).validate(refused.json())


def test_every_schema_example_is_valid_against_its_schema(server: Server) -> None:
    document = description(server)
    for name, schema in document["components"]["schemas"].items():
        for example in schema.get("examples", []):
            errors = list(schema_of(document, schema).iter_errors(example))
            assert errors == [], (name, example)
