"""`GET /api/v1/openapi.json`: the OpenAPI 3.1 description, built from the models in
`bot.api.schemas` that validate the requests, so what it promises is what the server checks."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode
from pydantic.json_schema import models_json_schema

from bot.api.schemas import EvalIn
from bot.api.schemas import PilotRecord
from bot.api.schemas import ProblemOut
from bot.api.schemas import ReadingIn
from bot.api.schemas import VerdictOut

TITLE = "pilotgate HTTP API"
VERSION = "1"
MAX_BODY_TEXT = "64 KiB"
_MODELS: list[tuple[type[BaseModel], JsonSchemaMode]] = [
    (ReadingIn, "validation"),
    (EvalIn, "validation"),
    (VerdictOut, "serialization"),
    (PilotRecord, "serialization"),
    (ProblemOut, "serialization"),
]
_REFUSALS = {
    "400": "The body is not JSON, or a query parameter is malformed.",
    "401": "No token, or one that is unknown or revoked.",
    "404": "No such pilot in the token's workspace.",
    "413": f"The body is larger than {MAX_BODY_TEXT}.",
    "422": "The JSON breaks a rule: a missing or non-finite value, an unknown field or "
    "guardrail, a date in the future, an Idempotency-Key reused with another body.",
    "429": (
        "More than 10 requests from this token, or 10 without a live token from this address, "
        "within one second; wait Retry-After seconds."
    ),
}


@cache
def openapi_json() -> bytes:
    return json.dumps(openapi(), indent=2).encode()


def openapi() -> dict[str, Any]:
    refs, definitions = models_json_schema(_MODELS, ref_template="#/components/schemas/{model}")

    def ref(model: type[BaseModel], mode: JsonSchemaMode = "serialization") -> dict[str, Any]:
        return dict(refs[(model, mode)])

    problem = {"application/problem+json": {"schema": ref(ProblemOut)}}

    def refusals(*codes: str) -> dict[str, Any]:
        answers: dict[str, Any] = {
            code: {"description": _REFUSALS[code], "content": problem} for code in codes
        }
        if "429" in codes:
            answers["429"]["headers"] = {
                "Retry-After": {
                    "description": "Seconds to wait before the next request.",
                    "schema": {"type": "integer", "minimum": 1},
                }
            }
        return answers

    def write(model: type[BaseModel], summary: str, description: str) -> dict[str, Any]:
        return {
            "post": {
                "summary": summary,
                "description": description,
                "parameters": [
                    {"$ref": "#/components/parameters/key"},
                    {"$ref": "#/components/parameters/idempotencyKey"},
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": ref(model, "validation")}},
                },
                "responses": {
                    "201": {
                        "description": "Recorded; the pilot's verdict now.",
                        "content": {"application/json": {"schema": ref(VerdictOut)}},
                    },
                    **refusals("400", "401", "404", "413", "422", "429"),
                },
            }
        }

    return {
        "openapi": "3.1.0",
        "info": {
            "title": TITLE,
            "version": VERSION,
            "description": "For a live system to report its own numbers to pilotgate and read "
            "verdicts back. Every request but this description carries a workspace API token "
            "(`/pilot token new` in Slack, workspace admins only) as `Authorization: Bearer "
            "<token>`; a token sees and changes its own workspace only, and its changes are "
            "audited as `token:<id>`. Errors are RFC 9457 problem documents.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {
            "/pilots": {
                "get": {
                    "summary": "The workspace's pilots",
                    "description": "One export record per pilot, in key order, as "
                    "`pilotgate export` prints them.",
                    "parameters": [
                        {
                            "name": "at",
                            "in": "query",
                            "required": False,
                            "description": "Verdicts as of this ISO-8601 instant (default: now); "
                            "pilots, readings and decisions after it are left out.",
                            "schema": {"type": "string", "format": "date-time"},
                            "example": "2026-11-22T09:00:00Z",
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The export records.",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "array", "items": ref(PilotRecord)}
                                }
                            },
                        },
                        **refusals("400", "401", "429"),
                    },
                }
            },
            "/pilots/{key}": {
                "get": {
                    "summary": "One pilot",
                    "parameters": [{"$ref": "#/components/parameters/key"}],
                    "responses": {
                        "200": {
                            "description": "Its export record.",
                            "content": {"application/json": {"schema": ref(PilotRecord)}},
                        },
                        **refusals("401", "404", "429"),
                    },
                }
            },
            "/pilots/{key}/readings": write(
                ReadingIn,
                "Record a reading",
                "A reading of the go-live metric (or, with `metric`, of a guardrail: none can "
                "be named yet, so any `metric` is refused as an unknown guardrail).",
            ),
            "/pilots/{key}/evals": write(
                EvalIn,
                "Record an evaluation run",
                "Sets the pilot's evaluation score and set size, which the eval check reads.",
            ),
            "/openapi.json": {
                "get": {
                    "summary": "This description",
                    "security": [],
                    "responses": {
                        "200": {
                            "description": "OpenAPI 3.1",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
        },
        "components": {
            "schemas": definitions["$defs"],
            "parameters": {
                "key": {
                    "name": "key",
                    "in": "path",
                    "required": True,
                    "description": "The pilot's key in its workspace.",
                    "schema": {"type": "string", "pattern": "^[Pp]-[0-9]{1,9}$"},
                    "example": "P-1",
                },
                "idempotencyKey": {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": False,
                    "description": "Makes a retried POST record once: the same key with the "
                    "same body within 24 hours gets the first answer again; with another body, "
                    "422.",
                    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
                    "example": "reading-2026-11-20-0900",
                },
            },
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A workspace API token, `pgt_` and 43 characters, from "
                    "`/pilot token new`.",
                }
            },
        },
    }
