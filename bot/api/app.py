"""The HTTP API under `/api/v1`: a small WSGI app that `pilotgate serve` routes to.

A door like `/pilot`: it reads its own input (JSON, checked by the pydantic models of
`bot.api.schemas`) into the services' typed commands and runs them with `pilots.handle`, as
the workspace of the token that asked, audited as `token:<id>`. Every request but
`openapi.json` must carry a live token and stay within the token's rate; a client address
that keeps presenting anything else is held off before its token is even looked up. Every
refusal is a problem document (`bot.api.problems`).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from datetime import UTC
from datetime import datetime
from http import HTTPStatus
from typing import Any
from typing import TypeVar

from pydantic import BaseModel
from pydantic import ValidationError
from sqlalchemy.exc import InterfaceError
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from bot.api.http import JSON
from bot.api.http import Request
from bot.api.http import Response
from bot.api.http import StartResponse
from bot.api.http import json_response
from bot.api.http import problem_response
from bot.api.limits import RateLimit
from bot.api.openapi import openapi_json
from bot.api.problems import Problem
from bot.api.problems import bad_request
from bot.api.problems import not_found
from bot.api.problems import unauthorized
from bot.api.problems import unprocessable
from bot.api.schemas import EvalIn
from bot.api.schemas import ReadingIn
from bot.api.writes import Retry
from bot.api.writes import perform
from bot.errors import InvalidInput
from bot.errors import NotAllowed
from bot.errors import NotFound
from bot.errors import UserError
from bot.governance.vocabulary import MeasurementKind
from bot.governance.zones import iso_instant
from bot.services import pilots
from bot.services import tokens
from bot.services.commands import PilotKey
from bot.services.commands import RecordEval
from bot.services.commands import RecordMeasurement
from bot.services.export import export_records
from bot.services.export import pilot_record
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
API_PREFIX = "/api/v1"
# Requests one token may make in any one second.
RATE = 10
# Failed authentications one client address may make in any one second. Behind a proxy that
# does not pass the client's address on, every client shares the proxy's address, and one of
# them presenting a bad token holds the others off for that second too.
FAILED_AUTHENTICATIONS = 10
# Printable ASCII without spaces, as a header value travels safely.
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,255}")
Model = TypeVar("Model", bound=BaseModel)
Handler = Callable[["ApiApp", Request, UnitOfWork, tokens.TokenHolder, re.Match[str]], Response]


def utc_now() -> datetime:
    return datetime.now(UTC)


class ApiApp:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        clock: Callable[[], datetime] = utc_now,
        rate_limit: RateLimit | None = None,
        failure_limit: RateLimit | None = None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._rate_limit = rate_limit or RateLimit(RATE)
        self._failure_limit = failure_limit or RateLimit(FAILED_AUTHENTICATIONS)

    def __call__(
        self, environ: Mapping[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        request = Request.of(environ, API_PREFIX)
        try:
            response = self._answer(request)
        except Problem as problem:
            response = problem_response(problem)
        except (OperationalError, InterfaceError, PoolTimeout) as error:
            log.warning("API: the database did not answer: %s", type(error).__name__)
            response = problem_response(
                Problem(
                    HTTPStatus.SERVICE_UNAVAILABLE,
                    "The database is not answering right now; nothing was changed. "
                    "Try again in a minute.",
                )
            )
        except Exception:  # the boundary: the client gets an id, the log the detail
            incident = uuid.uuid4().hex[:8]
            log.exception("API: unexpected error %s", incident)
            response = problem_response(
                Problem(
                    HTTPStatus.INTERNAL_SERVER_ERROR,
                    f"Something went wrong on our side (error id {incident}); read the pilot "
                    "before trying again.",
                )
            )
        return response.send(start_response)

    def _answer(self, request: Request) -> Response:
        if request.path == "/openapi.json":
            _allow(request, "GET")
            return Response(HTTPStatus.OK, openapi_json(), JSON)
        # One unit of work, so one connection and transaction, from the token check to the
        # answer: a second one cost a round trip or three (checkout, BEGIN, COMMIT) a request.
        with UnitOfWork(self._sessions) as uow:
            holder = self._authenticated(request, uow)
            uow.act_as(holder.name)
            return self._route(request, uow, holder)

    def _route(self, request: Request, uow: UnitOfWork, holder: tokens.TokenHolder) -> Response:
        wait = self._rate_limit.retry_after(holder.token_id)
        if wait is not None:
            raise Problem(
                HTTPStatus.TOO_MANY_REQUESTS,
                f"More than {RATE} requests from this token within a second; wait {wait} s.",
                [("Retry-After", str(wait))],
            )
        for pattern, handlers in ROUTES:
            match = pattern.fullmatch(request.path)
            if match:
                _allow(request, *handlers)
                try:
                    return handlers[request.method](self, request, uow, holder, match)
                except NotFound as error:
                    raise not_found(error.message) from None
                except InvalidInput as error:
                    raise unprocessable(error.message) from None
                except NotAllowed as error:
                    raise Problem(HTTPStatus.FORBIDDEN, error.message) from None
                except UserError as error:
                    raise bad_request(error.message) from None
        raise not_found(f"Nothing is at {API_PREFIX}{request.path[:80]}; see openapi.json.")

    def _authenticated(self, request: Request, uow: UnitOfWork) -> tokens.TokenHolder:
        """The token's holder; a client address that failed too often just now is refused
        without a look at its token (that look costs a hash and a query)."""
        wait = self._failure_limit.waiting(request.client)
        if wait is not None:
            raise Problem(
                HTTPStatus.TOO_MANY_REQUESTS,
                f"More than {self._failure_limit.requests} requests without a live token from "
                f"this address within a second; wait {wait} s.",
                [("Retry-After", str(wait))],
            )
        try:
            return self._holder(request, uow)
        except Problem:
            self._failure_limit.count(request.client)
            raise

    def _holder(self, request: Request, uow: UnitOfWork) -> tokens.TokenHolder:
        header = request.headers.get("authorization", "").strip()
        if not header:
            raise unauthorized(
                "Send a workspace API token as `Authorization: Bearer <token>`; a workspace "
                "admin makes one with `/pilot token new`."
            )
        scheme, _, presented = header.partition(" ")
        if scheme.lower() != "bearer" or not presented.strip():
            raise unauthorized("The Authorization header must be `Bearer <token>`.")
        holder = tokens.authenticate(uow, presented.strip(), self._clock())
        if holder is None:
            raise unauthorized(
                "This API token is unknown or revoked; a workspace admin makes a new one with "
                "`/pilot token new`."
            )
        return holder

    def _list(
        self, request: Request, uow: UnitOfWork, holder: tokens.TokenHolder, _: re.Match[str]
    ) -> Response:
        at = _instant(request.query["at"]) if "at" in request.query else self._clock()
        records = export_records(uow, at, team_id=holder.team_id)
        return json_response(HTTPStatus.OK, records)

    def _one(
        self, request: Request, uow: UnitOfWork, holder: tokens.TokenHolder, match: re.Match[str]
    ) -> Response:
        pilot = pilots.find_pilot(uow, holder.team_id, _key(match))
        record = pilot_record(uow, pilot, self._clock())
        return json_response(HTTPStatus.OK, record)

    def _reading(
        self, request: Request, uow: UnitOfWork, holder: tokens.TokenHolder, match: re.Match[str]
    ) -> Response:
        return self._dated_write(request, uow, holder, match, ReadingIn, _reading_change)

    def _eval(
        self, request: Request, uow: UnitOfWork, holder: tokens.TokenHolder, match: re.Match[str]
    ) -> Response:
        return self._dated_write(request, uow, holder, match, EvalIn, _eval_change)

    def _dated_write(
        self,
        request: Request,
        uow: UnitOfWork,
        holder: tokens.TokenHolder,
        match: re.Match[str],
        model: type[Model],
        to_change: Callable[[PilotKey, Model], RecordMeasurement | RecordEval],
    ) -> Response:
        """A write dated when it happened: never in the future, carried out once per
        Idempotency-Key."""
        key, raw = _key(match), request.body()
        body, now = _read(raw, model), self._clock()
        change = to_change(key, body)
        _not_future(change.at, now)
        return perform(uow, holder, change, now, _retry(request, raw))


def _reading_change(key: PilotKey, reading: ReadingIn) -> RecordMeasurement:
    if reading.metric is not None:
        # A guardrail's reading; an unknown name is refused by the use case (422).
        return RecordMeasurement(
            key, MeasurementKind.READING, None, reading.note,
            guardrails=((reading.metric.strip().lower(), reading.value),), at=reading.at,
        )  # fmt: skip
    return RecordMeasurement(
        key, MeasurementKind.READING, reading.value, reading.note, at=reading.at
    )


def _eval_change(key: PilotKey, run: EvalIn) -> RecordEval:
    # An evaluation run, as `/pilot eval` records it, dated when it ran.
    return RecordEval(key, run.score, run.size, run.note, at=run.at)


ROUTES: list[tuple[re.Pattern[str], dict[str, Handler]]] = [
    (re.compile(r"/pilots/?"), {"GET": ApiApp._list}),
    (re.compile(r"/pilots/([^/]+)/?"), {"GET": ApiApp._one}),
    (re.compile(r"/pilots/([^/]+)/readings/?"), {"POST": ApiApp._reading}),
    (re.compile(r"/pilots/([^/]+)/evals/?"), {"POST": ApiApp._eval}),
]


def _allow(request: Request, *methods: str) -> None:
    if request.method not in methods:
        allowed = ", ".join(methods)
        raise Problem(
            HTTPStatus.METHOD_NOT_ALLOWED,
            f"{API_PREFIX}{request.path[:80]} takes {allowed} only.",
            [("Allow", allowed)],
        )


def _key(match: re.Match[str]) -> PilotKey:
    key = PilotKey.parse(match.group(1))
    if key is None:
        raise not_found(
            f"No pilot `{_shown(match.group(1))}` in this workspace; keys look like P-1."
        )
    return key


def _read(raw: bytes, model: type[Model]) -> Model:
    if not raw.strip():
        raise bad_request("The body is empty; send a JSON object (see openapi.json).")
    try:
        return model.model_validate_json(raw)
    except ValidationError as error:
        raise _refusal(error, model) from None


def _refusal(error: ValidationError, model: type[BaseModel]) -> Problem:
    """The first thing wrong, in one line."""
    first = error.errors(include_url=False, include_input=False, include_context=False)[0]
    where = ".".join(str(part) for part in first["loc"])
    message = str(first["msg"]).removeprefix("Value error, ")
    kind = first["type"]
    if kind == "json_invalid":
        return bad_request(
            f"The body is not well-formed JSON: {message.removeprefix('Invalid JSON: ')}."
        )
    if kind == "model_type":
        return unprocessable("The body must be a JSON object (see openapi.json).")
    if kind == "missing":
        return unprocessable(f"`{where}` is missing.")
    if kind == "extra_forbidden":
        known = ", ".join(f"`{name}`" for name in model.model_fields)
        return unprocessable(f"`{_shown(where)}` is not a field here; the fields are {known}.")
    return unprocessable(
        f"`{where}` {message}." if kind == "value_error" else f"`{where}`: {message}."
    )


def _not_future(at: datetime | None, now: datetime) -> None:
    if at is not None and at > now:
        raise unprocessable(
            f"`at` is in the future (it is {now.isoformat(timespec='seconds')} here); send when "
            "it was measured, or leave `at` out for now."
        )


def _instant(text: str) -> datetime:
    try:
        return iso_instant(text)
    except ValueError:
        raise bad_request(
            f"`at` takes an ISO-8601 instant like 2026-11-22T09:00:00Z, not `{_shown(text)}`."
        ) from None


def _retry(request: Request, raw: bytes) -> Retry | None:
    key = request.headers.get("idempotency-key")
    if key is None:
        return None
    if not IDEMPOTENCY_KEY.fullmatch(key):
        raise bad_request("Idempotency-Key must be 1 to 255 visible ASCII characters.")
    return Retry.of(key, request.method, request.path, raw)


def _shown(text: str, limit: int = 40) -> str:
    flat = " ".join(text.replace("`", "'").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
