"""The check of each Web API call against Slack's OpenAPI description of the Web API:
the method exists (and is not retired), a token is there when one is needed, JSON only
where the method takes JSON, and every required argument is present."""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from slack_sdk import WebClient

from tests.fakeslack.wire import Invalid
from tests.fakeslack.wire import Refused
from tests.fakeslack.wire import Request

# Kept in the repository (tests/slack_schemas/README.md says where it comes from).
SPEC_PATH = Path(__file__).resolve().parents[1] / "slack_schemas" / "slack_web_openapi_v2.json"

# Real Web API methods published after the 2021 OpenAPI description; allowed without the
# argument check. The methods slack_sdk's WebClient knows are added to these at run time.
NEWER_METHODS = frozenset(
    {
        "apps.connections.open",
        "apps.manifest.create",
        "apps.manifest.delete",
        "apps.manifest.export",
        "apps.manifest.update",
        "apps.manifest.validate",
        "assistant.threads.setStatus",
        "assistant.threads.setSuggestedPrompts",
        "assistant.threads.setTitle",
        "auth.teams.list",
        "bookmarks.add",
        "bookmarks.edit",
        "bookmarks.list",
        "bookmarks.remove",
        "files.completeUploadExternal",
        "files.getUploadURLExternal",
        "functions.completeError",
        "functions.completeSuccess",
        "oauth.v2.exchange",
        "openid.connect.token",
        "openid.connect.userInfo",
        "team.billing.info",
        "team.preferences.list",
        "tooling.tokens.rotate",
    }
)
# Retired by Slack: answered with `method_deprecated`, as Slack does.
RETIRED_PREFIXES = ("channels.", "groups.", "im.", "mpim.")
RETIRED_METHODS = frozenset({"files.upload", "rtm.start"})
# Methods that authenticate the app itself (client id and secret), not with a token.
TOKENLESS_METHODS = frozenset(
    {"api.test", "oauth.access", "oauth.token", "oauth.v2.access", "oauth.v2.exchange"}
    | {"openid.connect.token"}
)


@dataclass(frozen=True)
class MethodSpec:
    """What Slack's OpenAPI description says about one Web API method."""

    required: frozenset[str]
    takes_token: bool
    accepts_json: bool


@cache
def web_api_spec(path: Path = SPEC_PATH) -> dict[str, MethodSpec] | None:
    """The Web API methods of Slack's OpenAPI description, or None if the file is absent."""
    if not path.is_file():
        return None
    document = json.loads(path.read_text(encoding="utf-8"))
    methods: dict[str, MethodSpec] = {}
    for name, operations in document.get("paths", {}).items():
        for operation in operations.values():
            parameters = operation.get("parameters", [])
            methods[name.lstrip("/")] = MethodSpec(
                required=frozenset(
                    p["name"]
                    for p in parameters
                    if p.get("required") and p.get("in") in ("formData", "query")
                    if p["name"] != "token"
                ),
                takes_token=any(p["name"] == "token" for p in parameters),
                accepts_json="application/json" in operation.get("consumes", []),
            )
    return methods


@cache
def sdk_methods() -> frozenset[str]:
    """The Web API methods the installed slack_sdk WebClient calls (newer than the spec)."""
    try:
        source = inspect.getsource(WebClient)
    except (OSError, TypeError):
        return frozenset()
    return frozenset(re.findall(r'self\.api_call\(\s*"([A-Za-z0-9_.]+)"', source))


def check_call(
    methods: Mapping[str, MethodSpec] | None, request: Request, revoked: dict[str, str]
) -> None:
    """Raises Invalid for a call Slack would reject as the app's mistake, Refused for one
    made with a revoked token. Without `methods` (the OpenAPI description) the method's
    existence and arguments go unchecked."""
    method, args = request.method, request.args
    if request.invalid_json:
        raise Invalid("invalid_json", "[ERROR] the request body is not a JSON object")
    if method.startswith(RETIRED_PREFIXES) or method in RETIRED_METHODS:
        raise Invalid("method_deprecated", f"[ERROR] {method} is retired")
    spec = methods.get(method) if methods is not None else None
    known = spec is not None or method in NEWER_METHODS or method in sdk_methods()
    if methods is not None and not known:
        raise Invalid("unknown_method", f"[ERROR] no Web API method named {method!r}")
    needs_token = spec.takes_token if spec is not None else method not in TOKENLESS_METHODS
    if needs_token and not request.token:
        raise Invalid("not_authed", "[ERROR] no token (send Authorization: Bearer ...)")
    if request.token in revoked:
        # Not the app's mistake: answered, not kept in `errors`.
        raise Refused(revoked[request.token])
    if spec is None:
        return
    if request.is_json and not spec.accepts_json:
        raise Invalid(
            "invalid_arguments", f"[ERROR] {method} takes form arguments, not a JSON body"
        )
    satisfied = set(k for k, v in args.items() if v is not None and v != "")
    if method in ("views.open", "views.push") and "interactivity_pointer" in satisfied:
        satisfied.add("trigger_id")
    missing = sorted(spec.required - satisfied)
    if missing:
        raise Invalid(
            "invalid_arguments",
            *(f"[ERROR] missing required field: {name}" for name in missing),
        )
