"""`pilotgate serve`: the Bolt app behind a threaded WSGI server (waitress).

Why a threaded WSGI server: Bolt's App.dispatch is synchronous. Under an ASGI server it would
run on the event loop, where one slow request holds up every other; waitress gives each
request a thread, and Bolt runs the work after ack() on its own thread pool.
"""

from __future__ import annotations

import json
import logging
import signal
from collections.abc import Callable, Iterable
from types import FrameType
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from waitress.server import create_server

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
THREADS = 8

StartResponse = Callable[..., Any]


class PilotgateWsgi:
    """POST /slack/events goes to Bolt; GET /healthz answers when the database does."""

    def __init__(self, app: App, engine: Engine) -> None:
        self._slack = SlackRequestHandler(app, path=EVENTS_PATH)
        self._engine = engine

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") == "GET":
            return self._health(start_response)
        return self._slack(environ, start_response)

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
