"""Every refusal of the API is a `Problem`: an RFC 9457 problem document with one clear line.

The `type` is `about:blank`, so the `title` is the status's own phrase and the `detail` says
what was wrong with this request; no body, token or stack trace is ever echoed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

PROBLEM_JSON = "application/problem+json"


class Problem(Exception):
    """A request the API refuses: its status, one line saying why, and any headers the status
    needs (Retry-After, WWW-Authenticate, Allow)."""

    def __init__(
        self, status: HTTPStatus, detail: str, headers: Sequence[tuple[str, str]] = ()
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = tuple(headers)

    def document(self) -> dict[str, Any]:
        return {
            "type": "about:blank",
            "title": self.status.phrase,
            "status": self.status.value,
            "detail": self.detail,
        }

    def body(self) -> bytes:
        return json.dumps(self.document(), ensure_ascii=False).encode()


def bad_request(detail: str) -> Problem:
    return Problem(HTTPStatus.BAD_REQUEST, detail)


def unprocessable(detail: str) -> Problem:
    return Problem(HTTPStatus.UNPROCESSABLE_ENTITY, detail)


def not_found(detail: str) -> Problem:
    return Problem(HTTPStatus.NOT_FOUND, detail)


def unauthorized(detail: str) -> Problem:
    # RFC 6750: a refused bearer token names the scheme to use.
    return Problem(HTTPStatus.UNAUTHORIZED, detail, [("WWW-Authenticate", 'Bearer realm="api"')])
