"""What travels over HTTP: a request as the fake read it, the answer it gives, and the
`Call` it records; and the two ways the fake refuses a request as Slack would."""

from __future__ import annotations

import base64
import binascii
import email.parser
import email.policy
import json
from dataclasses import dataclass
from dataclasses import field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl
from urllib.parse import urlsplit

JSON = "application/json; charset=utf-8"
# The path prefixes the fake serves, and the kind of request each one is.
KINDS = {"api": "api", "response": "response_url", "upload": "upload"}


@dataclass(frozen=True)
class Call:
    """One request the fake received, with what it answered.

    `args` holds the arguments as sent: form fields as strings (JSON-valued ones such as
    `blocks` or `view` stay raw strings; `json(name)` parses them), JSON bodies as parsed.
    `fault` names the fault injected into this call (None if it was answered normally);
    `status` is the HTTP status answered (0 when the connection was dropped unanswered).
    """

    method: str
    args: dict[str, Any]
    token: str | None
    headers: dict[str, str]
    at: float
    fault: str | None = None
    status: int = 200
    response: dict[str, Any] | None = None
    path: str = ""

    def json(self, name: str) -> Any:
        """The argument `name`, parsed if it arrived as a JSON string."""
        value = self.args[name]
        return json.loads(value) if isinstance(value, str | bytes) else value

    @property
    def ok(self) -> bool:
        """Whether the call was answered HTTP 200 with ok:true (for Slack: it took effect)."""
        return self.status == 200 and bool(self.response and self.response.get("ok") is True)

    def describe(self) -> str:
        outcome = "ok" if self.ok else (self.response or {}).get("error") or f"HTTP {self.status}"
        channel = self.args.get("channel") or self.args.get("user") or self.args.get("user_id")
        target = f" {channel}" if isinstance(channel, str) else ""
        fault = f" [fault {self.fault}]" if self.fault else ""
        return f"{self.method}{target} -> {outcome}{fault}"


class Invalid(Exception):
    """A request Slack would reject because the app sent it wrong (kept in `fake.errors`)."""

    def __init__(self, error: str, *messages: str) -> None:
        super().__init__(error, *messages)
        self.error = error
        self.messages = list(messages)


class Refused(Invalid):
    """An ok:false answer that is not the app's mistake (e.g. a revoked token)."""


@dataclass
class Request:
    kind: str  # "api" | "response_url" | "upload"
    method: str
    args: dict[str, Any]
    token: str | None
    headers: dict[str, str]
    path: str
    at: float
    is_json: bool
    basic_auth: tuple[str, str] | None
    invalid_json: bool = False


@dataclass
class Answer:
    status: int = 200
    payload: dict[str, Any] | None = None
    text: str = ""
    content_type: str = JSON
    headers: dict[str, str] = field(default_factory=dict)

    def body(self) -> bytes:
        if self.payload is not None:
            return json.dumps(self.payload).encode()
        return self.text.encode()

    def recorded(self) -> dict[str, Any]:
        if self.payload is not None:
            return self.payload
        return {"ok": self.status == 200, "body": self.text}


def read_request(handler: BaseHTTPRequestHandler, at: float) -> Request | None:
    """The request `handler` received, or None when its path is none the fake serves."""
    split = urlsplit(handler.path)
    length = int(handler.headers.get("Content-Length") or 0)
    raw = handler.rfile.read(length) if length > 0 else b""
    headers = {k.lower(): v for k, v in handler.headers.items()}
    content_type = handler.headers.get_content_type()
    args: dict[str, Any] = dict(parse_qsl(split.query, keep_blank_values=True))
    is_json = content_type == "application/json" and bool(raw)
    problem = ""
    if is_json and raw:
        try:
            body = json.loads(raw)
        except ValueError:
            body, problem = {}, "invalid_json"
        if isinstance(body, dict):
            args.update(body)
        else:
            problem = "invalid_json"
    elif content_type == "multipart/form-data":
        args.update(multipart(handler.headers.get("Content-Type", ""), raw))
    elif raw and content_type == "application/x-www-form-urlencoded":
        args.update(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
    elif raw:
        args["_body"] = raw
    token, basic = None, None
    authorization = headers.get("authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer" and credentials:
        token = credentials.strip()
    elif scheme.lower() == "basic":
        basic = basic_credentials(credentials)
    body_token = args.pop("token", None)
    if token is None and isinstance(body_token, str) and body_token and not is_json:
        token = body_token  # Slack takes a form/query token, never one inside JSON
    parts = split.path.strip("/").split("/", 1)
    if len(parts) != 2 or parts[0] not in KINDS or not parts[1]:
        return None
    kind = KINDS[parts[0]]
    method = parts[1] if kind == "api" else kind
    if kind == "upload":
        args = {"file_id": parts[1], "bytes": len(raw)}
    return Request(
        kind, method, args, token, headers, split.path, at, is_json, basic, bool(problem)
    )


def parsed(value: Any) -> Any:
    """A JSON-valued argument as data, whether it came as a form string or inside JSON."""
    if isinstance(value, str | bytes):
        return json.loads(value)
    return value


def lenient(value: Any) -> Any:
    """Parsed JSON if it parses, else the raw value (for echoing back what was sent)."""
    try:
        return parsed(value)
    except ValueError:
        return value


def basic_credentials(encoded: str) -> tuple[str, str] | None:
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, _, password = decoded.partition(":")
    return user, password


def multipart(content_type: str, raw: bytes) -> dict[str, Any]:
    parser = email.parser.BytesParser(policy=email.policy.HTTP)
    message = parser.parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw)
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        fields[name] = data if part.get_filename() else data.decode("utf-8", "replace")
    return fields
