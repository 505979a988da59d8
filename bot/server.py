"""`pilotgate serve`: the Bolt app behind a threaded WSGI server (waitress).

Why a threaded WSGI server: Bolt's App.dispatch is synchronous. Under an ASGI server it would
run on the event loop, where one slow request holds up every other; waitress gives each
request a thread; the work after ack() waits in the durable intake for its workers.

Why waitress holds idle connections cheaply: one asyncore loop reads every connection and a
request reaches a worker thread only once it has arrived whole, so a connection that sends
half a request and waits costs a socket and a few kilobytes, never a thread. What bounds the
cost is set in LIMITS below.
"""

from __future__ import annotations

import json
import logging
import resource
import signal
import time
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence
from http import HTTPStatus
from types import FrameType
from typing import Any

from slack_bolt import App
from slack_bolt import BoltRequest
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from waitress.server import create_server

from bot.api import ApiApp
from bot.api import is_api_path
from bot.edge.admission import MAX_BODY
from bot.edge.admission import Refused
from bot.edge.admission import admit
from bot.logs import slack_request_context
from bot.metrics import CONTENT_TYPE
from bot.metrics import Metrics
from bot.settings import Settings
from storage.db import session_factory

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
THREADS = 8

# Measured on 2 cores (README, "Limits of serve"): with these, 900 connections that send half
# a request and wait leave a signed command acked in well under a second.
LIMITS: dict[str, Any] = {
    # waitress' default of 100 let 100 idle connections stop it accepting anything else.
    "connection_limit": 1000,
    # select() cannot watch a descriptor numbered past 1023; poll() can.
    "asyncore_use_poll": True,
    # An idle connection is closed after 30 s (default 120), looked for every 5 s (default 30).
    "channel_timeout": 30,
    "cleanup_interval": 5,
    # Bodies over 1 MiB are refused with 413 while they arrive: at the Content-Length, or as a
    # chunked body passes the limit (waitress refuses at the limit itself, hence the + 1).
    "max_request_body_size": MAX_BODY + 1,
    # What a slow connection can make waitress hold in memory: its headers (default 256 KiB)
    # and the part of its body kept off disk (default 512 KiB).
    "max_request_header_size": 16 * 1024,
    "inbuf_overflow": 64 * 1024,
}
# Each connection is a file descriptor; the database, logs and Slack calls need some more.
OPEN_FILES_NEEDED = LIMITS["connection_limit"] + 200

StartResponse = Callable[..., Any]


class PilotgateWsgi:
    """POST /slack/events goes through the edge, then to Bolt; GET /healthz answers when the
    database does; GET /metrics is for Prometheus; /api/v1 is the HTTP API (bot.api), which
    checks its own tokens; the OAuth install pages go to Bolt's own handler."""

    def __init__(
        self, app: App, engine: Engine, settings: Settings, metrics: Metrics | None = None
    ) -> None:
        settings.require(
            "slack_signing_secret", purpose="pilotgate serve needs it to verify requests"
        )
        assert settings.slack_signing_secret is not None  # narrowed by require()
        self._secret = settings.slack_signing_secret.get_secret_value()
        self._app = app
        self._oauth_pages = SlackRequestHandler(app, path=EVENTS_PATH)
        self._engine = engine
        self._metrics = metrics or Metrics()
        self._api = ApiApp(session_factory(engine))

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        route = environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")
        if route == ("GET", "/healthz"):
            return self._health(start_response)
        if route == ("GET", "/metrics"):
            page = self._metrics.exposition()
            start_response(
                "200 OK", [("Content-Type", CONTENT_TYPE), ("Content-Length", str(len(page)))]
            )
            return [page]
        if route == ("POST", EVENTS_PATH):
            return self._slack_request(environ, start_response)
        if is_api_path(str(route[1])):
            return self._api(environ, start_response)
        return self._oauth_pages(environ, start_response)

    def _slack_request(
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        arrived = time.perf_counter()
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
        with slack_request_context(admitted.payload):
            answer = self._app.dispatch(request)
        self._metrics.acked(arrived)
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


def allow_open_files(needed: int) -> None:
    """Raises the soft limit of open files towards `needed` (never past the hard limit), so
    the connection limit is not cut short by a default of 1024 descriptors."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def serve(
    wsgi: PilotgateWsgi,
    host: str,
    port: int,
    on_stop: Callable[[], None],
    trusted_proxy: str | None = None,
) -> None:
    """Serves until SIGTERM or SIGINT, then lets requests in flight finish. Requests from
    `trusted_proxy` are taken to come from the address its X-Forwarded-For names last (waitress
    does this, and drops the header from anyone else), so that limits per client address see
    the client rather than the proxy."""
    allow_open_files(OPEN_FILES_NEEDED)
    proxy: dict[str, Any] = {}
    if trusted_proxy is not None:
        proxy = {"trusted_proxy": trusted_proxy, "trusted_proxy_headers": {"x-forwarded-for"}}
    server = create_server(
        wsgi, host=host, port=port, threads=THREADS, ident="pilotgate", **LIMITS, **proxy
    )

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
