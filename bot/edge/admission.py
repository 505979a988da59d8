"""The HTTP edge of `POST /slack/events`: only a signed, small, Slack-shaped request gets in.

Bolt reads a body before it checks its signature and then trusts its shape, so a stray byte
or a forged field became a 500 with a traceback. Here, before Bolt sees anything:

1. the size: more than MAX_BODY bytes is refused (413) without reading them;
2. the signature: HMAC-SHA256 over the raw bytes, under a timestamp within five minutes (401);
3. the body: UTF-8, form-encoded or JSON as Slack sends each kind, with every field the
   listeners read of the type they expect (400; see `bot.edge.shapes`);
4. the workspace: a team id where Slack puts one (400), except on Slack's own checks of the
   Request URL, which name none.

A refusal is a `Refused` with a status and one plain line; it never carries the body.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import IO
from typing import Any
from urllib.parse import parse_qsl

from pydantic import ValidationError

from bot.edge.shapes import EVENTS_API
from bot.edge.shapes import Command
from bot.edge.shapes import Interaction
from bot.edge.shapes import Shape
from bot.edge.shapes import SslCheck

MAX_BODY = 1024 * 1024
# Slack's own advice: a request more than five minutes old (or ahead) may be a replay.
MAX_CLOCK_SKEW_SECONDS = 5 * 60
# The most JSON nesting a Slack payload needs, with room to spare; deeper is refused before
# anything recursive (Bolt's copies, logging) walks it.
MAX_DEPTH = 32
MAX_FORM_FIELDS = 100
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
TIMESTAMP = re.compile(r"[0-9]{1,12}")
SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


class Refused(Exception):
    """A request the edge will not hand on: the HTTP status and one line saying why."""

    def __init__(self, status: HTTPStatus, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Admitted:
    """A request that passed the edge: the text Slack signed and the payload read from it."""

    text: str
    payload: dict[str, Any]


def admit(headers: Mapping[str, str], body: IO[bytes], secret: str, now: float) -> Admitted:
    """`headers` with lower-case names; `body` is read here, and never past MAX_BODY."""
    declared = _content_length(headers)
    timestamp, signature = _signature_headers(headers, now)
    raw = read_body(body, declared)
    verify(secret, timestamp, raw, signature)
    text = _utf8(raw)
    return Admitted(text, parse(text, _media_type(headers.get("content-type", ""))))


def read_body(body: IO[bytes], declared: int | None) -> bytes:
    """Reads at most one byte past MAX_BODY, so a body that lies about its length, or sends
    none (chunked), is still cut off there."""
    if declared is not None and declared > MAX_BODY:
        raise _too_large()
    raw = body.read(MAX_BODY + 1 if declared is None else declared)
    if len(raw) > MAX_BODY:
        raise _too_large()
    return raw


def verify(secret: str, timestamp: str, raw: bytes, signature: str) -> None:
    base = b"v0:" + timestamp.encode() + b":" + raw
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise Refused(HTTPStatus.UNAUTHORIZED, "The request signature does not match.")


def parse(text: str, media_type: str) -> dict[str, Any]:
    """The payload as Slack means it, checked against the shape of its kind: a JSON object
    (Events API), a form whose `payload` field is JSON (interactivity), or a plain form
    (slash commands, Slack's SSL check)."""
    validate: Callable[[dict[str, Any]], Shape]
    if media_type == JSON:
        payload, validate = _json_object(text, "The body"), EVENTS_API.validate_python
    elif media_type == FORM:
        fields = _form(text)
        if "payload" in fields:
            payload, validate = (
                _json_object(fields["payload"], "The payload"),
                Interaction.model_validate,
            )
        else:
            kind = SslCheck if "ssl_check" in fields else Command
            payload, validate = dict(fields), kind.model_validate
    else:
        raise _bad(f"Content-Type must be {FORM} or {JSON}.")
    _check_strings(payload)
    try:
        shape = validate(payload)
    except ValidationError as error:
        raise _bad(f"Not a well-formed Slack request: {_first_problem(error)}.") from None
    if shape.needs_workspace and not shape.workspace():
        raise _bad("The request names no workspace (team id); pilotgate serves workspaces only.")
    return payload


def _first_problem(error: ValidationError) -> str:
    problem = error.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in problem["loc"])
    return f"{where}: {problem['msg']}" if where else str(problem["msg"])


def _content_length(headers: Mapping[str, str]) -> int | None:
    value = headers.get("content-length", "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 20:
        raise _bad("Content-Length is not a number.")
    return int(value)


def _signature_headers(headers: Mapping[str, str], now: float) -> tuple[str, str]:
    """Both headers checked before a byte of the body is read."""
    timestamp = headers.get("x-slack-request-timestamp", "")
    if not TIMESTAMP.fullmatch(timestamp):
        raise Refused(
            HTTPStatus.UNAUTHORIZED, "X-Slack-Request-Timestamp is missing or not a time."
        )
    if abs(now - int(timestamp)) > MAX_CLOCK_SKEW_SECONDS:
        raise Refused(HTTPStatus.UNAUTHORIZED, "The request timestamp is more than 5 minutes off.")
    signature = headers.get("x-slack-signature", "")
    if not SIGNATURE.fullmatch(signature):
        raise Refused(HTTPStatus.UNAUTHORIZED, "X-Slack-Signature is missing or malformed.")
    return timestamp, signature


def _media_type(content_type: str) -> str:
    media_type, *parameters = (part.strip().lower() for part in content_type.split(";"))
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip() == "charset" and value.strip().strip('"') not in ("utf-8", "utf8"):
            raise _bad("The body must be UTF-8.")
    return media_type


def _utf8(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _bad("The body is not valid UTF-8.") from None


def _form(text: str) -> dict[str, str]:
    try:
        pairs = parse_qsl(
            text,
            keep_blank_values=True,
            strict_parsing=True,
            errors="strict",
            max_num_fields=MAX_FORM_FIELDS,
        )
    except UnicodeDecodeError:
        raise _bad("A form field is not valid UTF-8.") from None
    except ValueError:
        raise _bad("The body is not a well-formed form.") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise _bad("A form field appears twice.")
    return fields


def _json_object(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise _bad(f"{what} is not well-formed JSON.") from None
    if not isinstance(value, dict):
        raise _bad(f"{what} is not a JSON object.")
    return value


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _check_strings(payload: dict[str, Any]) -> None:
    """No NUL and no lone surrogate (a JSON escape can make either) in any key or value:
    neither is text a database stores. Nesting is bounded on the way."""
    stack: list[tuple[Any, int]] = [(payload, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _bad("The payload is nested too deeply.")
        if isinstance(value, dict):
            stack.extend((key, depth + 1) for key in value)
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            if "\x00" in value:
                raise _bad("The payload contains a NUL character.")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise _bad("The payload contains text that is not valid UTF-8.") from None


def _bad(reason: str) -> Refused:
    return Refused(HTTPStatus.BAD_REQUEST, reason)


def _too_large() -> Refused:
    return Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "The body is larger than 1 MiB.")
