"""The API's requests and responses over WSGI: headers, a bounded body, JSON out."""

from __future__ import annotations

import json
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from http import HTTPStatus
from typing import IO
from typing import Any
from urllib.parse import parse_qsl

from bot.api.problems import PROBLEM_JSON
from bot.api.problems import Problem
from bot.api.problems import bad_request

MAX_BODY = 64 * 1024
JSON = "application/json"
StartResponse = Callable[..., Any]


@dataclass(frozen=True)
class Request:
    method: str
    # Below the API's prefix: `/pilots/P-1`.
    path: str
    query: Mapping[str, str]
    # Lower-case names.
    headers: Mapping[str, str]
    stream: IO[bytes] = field(repr=False)
    # The address the connection came from, as the WSGI server saw it.
    client: str = ""

    @classmethod
    def of(cls, environ: Mapping[str, Any], prefix: str) -> Request:
        headers = {
            name[5:].lower().replace("_", "-"): str(value)
            for name, value in environ.items()
            if name.startswith("HTTP_")
        }
        headers["content-length"] = str(environ.get("CONTENT_LENGTH") or "")
        path = str(environ.get("PATH_INFO", ""))
        return cls(
            method=str(environ.get("REQUEST_METHOD", "GET")).upper(),
            path=path.removeprefix(prefix) or "/",
            query=dict(parse_qsl(str(environ.get("QUERY_STRING", "")))),
            headers=headers,
            stream=environ["wsgi.input"],
            client=str(environ.get("REMOTE_ADDR") or ""),
        )

    def body(self) -> bytes:
        """The body, read here and never past MAX_BODY: a larger one is refused at its
        declared length, or as it passes the limit when it declares none or lies."""
        declared = self.headers.get("content-length", "").strip()
        if declared and not declared.isdigit():
            raise bad_request("Content-Length is not a number.")
        if declared and int(declared) > MAX_BODY:
            raise _too_large()
        raw = self.stream.read(int(declared) if declared else MAX_BODY + 1)
        if len(raw) > MAX_BODY:
            raise _too_large()
        return raw


def _too_large() -> Problem:
    return Problem(
        HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"The body is larger than {MAX_BODY // 1024} KiB."
    )


@dataclass(frozen=True)
class Response:
    status: HTTPStatus
    body: bytes
    content_type: str = JSON
    headers: tuple[tuple[str, str], ...] = ()

    def send(self, start_response: StartResponse) -> Iterable[bytes]:
        start_response(
            f"{self.status.value} {self.status.phrase}",
            [
                ("Content-Type", self.content_type),
                ("Content-Length", str(len(self.body))),
                ("Cache-Control", "no-store"),
                *self.headers,
            ],
        )
        return [self.body]


def json_response(status: HTTPStatus, value: Any, *headers: tuple[str, str]) -> Response:
    body = json.dumps(value, ensure_ascii=False).encode()
    return Response(status, body, headers=headers)


def problem_response(problem: Problem) -> Response:
    return Response(problem.status, problem.body(), PROBLEM_JSON, problem.headers)
