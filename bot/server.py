"""`pilotgate serve`: the Bolt app behind a threaded WSGI server (waitress).

Why a threaded WSGI server: Bolt's App.dispatch is synchronous. Under an ASGI server it would
run on the event loop, where one slow request holds up every other; waitress gives each
request a thread, and Bolt runs the work after ack() on its own thread pool.
"""

from __future__ import annotations

import json
import logging
import signal
import time
from collections.abc import Callable, Iterable, Sequence
from http import HTTPStatus
from types import FrameType
from typing import Any

from slack_bolt import App, BoltRequest
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from waitress.server import create_server

from bot.edge.admission import Refused, admit
from bot.settings import Settings

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
THREADS = 8

StartResponse = Callable[..., Any]


class PilotgateWsgi:
    """POST /slack/events goes through the edge, then to Bolt; GET /healthz answers when the
    database does; the OAuth install pages go to Bolt's own handler."""

    def __init__(self, app: App, engine: Engine, settings: Settings) -> None:
        settings.require(
            "slack_signing_secret", purpose="pilotgate serve needs it to verify requests"
        )
        assert settings.slack_signing_secret is not None  # narrowed by require()
        self._secret = settings.slack_signing_secret.get_secret_value()
        self._app = app
        self._oauth_pages = SlackRequestHandler(app, path=EVENTS_PATH)
        self._engine = engine

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        route = environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")
        if route == ("GET", "/healthz"):
            return self._health(start_response)
        if route == ("POST", EVENTS_PATH):
            return self._slack_request(environ, start_response)
        return self._oauth_pages(environ, start_response)

    def _slack_request(
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        headers = _headers(environ)
        try:
            admitted = admit(headers, environ["wsgi.input"], self._secret, time.time())
        except Refused as refusal:
            # Info, not error: anyone can send these, and they change nothing.
            log.info(
                "refused a request from %s: %s %s",
                environ.get("REMOTE_ADDR", "?"), refusal.status.value, refusal.reason,
            )  # fmt: skip
            return _plain(start_response, refusal.status, refusal.reason)
        # Bolt is given the payload the edge read and checked, so both read the same request
        # (Bolt's own parser takes any form containing the word "payload" for a button and
        # finds nothing in it), and the signed text, to check the signature again itself.
        bolt_headers: dict[str, str | Sequence[str]] = dict(headers)
        request = BoltRequest(
            body=admitted.payload,
            query=environ.get("QUERY_STRING", ""),
            headers=bolt_headers,
            mode="socket_mode",
        )
        request.raw_body, request.mode = admitted.text, "http"
        answer = self._app.dispatch(request)
        response = WsgiHttpResponse(status=answer.status, headers=answer.headers, body=answer.body)
        start_response(response.status, response.get_headers())
        return response.get_body()

    def _health(self, start_response: StartResponse) -> Iterable[bytes]:
        try:
            with self._engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            status, body = "200 OK", {"status": "ok", "database": "ok"}
        except SQLAlchemyError as error:
            log.warning("health check: database did not answer: %s", error)
            status, body = "503 Service Unavailable", {"status": "error", "database": "down"}
        payload = json.dumps(body).encode()
        start_response(
            status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
        )
        return [payload]


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    """The request's headers with lower-case names, as Bolt and the edge read them."""
    headers = {}
    for key, value in environ.items():
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            headers[key.lower().replace("_", "-")] = value
        elif key.startswith("HTTP_"):
            headers[key[5:].lower().replace("_", "-")] = value
    return headers


def _plain(start_response: StartResponse, status: HTTPStatus, line: str) -> Iterable[bytes]:
    body = (line + "\n").encode()
    start_response(
        f"{status.value} {status.phrase}",
        [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))],
    )
    return [body]


def serve(wsgi: PilotgateWsgi, host: str, port: int, on_stop: Callable[[], None]) -> None:
    """Serves until SIGTERM or SIGINT, then lets requests in flight finish."""
    server = create_server(wsgi, host=host, port=port, threads=THREADS, ident="pilotgate")

    def stop(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %s: finishing requests in flight, then stopping", signum)
        # waitress' run loop turns SystemExit into an orderly shutdown of its worker threads.
        raise SystemExit(0)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    log.info("pilotgate listening on http://%s:%s%s", host, port, EVENTS_PATH)
    try:
        server.run()
    finally:
        server.close()
        on_stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
