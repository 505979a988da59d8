"""FakeSlack itself: the HTTP server on 127.0.0.1, what it received, and how each request
is answered (faults first, then Slack's checks, then the method's answer)."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from pathlib import Path
from socketserver import TCPServer
from typing import Any
from typing import Self

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler

from tests.fakeslack.blockkit import check_message
from tests.fakeslack.faults import Fault
from tests.fakeslack.faults import FaultInjection
from tests.fakeslack.faults import fault_answer
from tests.fakeslack.methods import WebApiMethods
from tests.fakeslack.openapi import SPEC_PATH
from tests.fakeslack.openapi import check_call
from tests.fakeslack.openapi import web_api_spec
from tests.fakeslack.scopes import GRANTED
from tests.fakeslack.scopes import missing_scope
from tests.fakeslack.wire import Answer
from tests.fakeslack.wire import Call
from tests.fakeslack.wire import Invalid
from tests.fakeslack.wire import Refused
from tests.fakeslack.wire import Request
from tests.fakeslack.wire import read_request

FAKE_BOT_TOKEN = "xoxb-made-up"  # made up: the fake accepts any token
# Captured in a tuple so that freezegun, which swaps module attributes, leaves it alone: the
# fake's own time-outs must run on the real clock even in a test that freezes time.
_REAL_MONOTONIC: tuple[Callable[[], float]] = (time.monotonic,)
_QUIET_ERRORS = (ConnectionError, TimeoutError)


class _Server(ThreadingHTTPServer):
    # Handler threads are joined on close, so nothing outlives `stop()`.
    daemon_threads = False
    block_on_close = True

    def __init__(self, fake: FakeSlack) -> None:
        self.fake = fake
        super().__init__(("127.0.0.1", 0), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host up by name (slow on some machines); not needed.
        TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, _QUIET_ERRORS):
            self.fake._note(f"fake slack: handler failed: {error!r}")


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    timeout = 5  # a client that connects and sends nothing cannot hold `stop()` up for long

    def do_GET(self) -> None:
        self.server.fake._serve(self)

    def do_POST(self) -> None:
        self.server.fake._serve(self)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class FakeSlack(WebApiMethods, FaultInjection):
    """A fake Slack Web API on 127.0.0.1. See the package docstring."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] | None = None,
        team_id: str = "T1",
        bot_user_id: str = "U0BOT",
        bot_id: str = "B0BOT",
        app_id: str = "A0APP",
        spec_path: Path | None = SPEC_PATH,
    ) -> None:
        WebApiMethods.__init__(self, team_id, bot_user_id, bot_id, app_id)
        FaultInjection.__init__(self)
        self.clock: Callable[[], float] = clock or _REAL_MONOTONIC[0]
        self.spec = web_api_spec(spec_path) if spec_path is not None else None
        # What the installed app was granted: manifest.yml's bot scopes.
        self.scopes: frozenset[str] = GRANTED
        self._arrived = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._calls: list[Call] = []
        self._errors: list[str] = []

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> Self:
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fakeslack:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stopping.set()  # cuts short any `slow` delay
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join()
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        return self._server.server_port

    @property
    def url(self) -> str:
        """The server's base URL, `http://127.0.0.1:PORT/`."""
        return f"http://127.0.0.1:{self.port}/"

    @property
    def api_url(self) -> str:
        """The Web API base URL to use as SLACK_API_URL / WebClient(base_url=...)."""
        return f"{self.url}api/"

    def response_url(self, name: str = "default") -> str:
        """A `response_url` to hand to the app; its posts are recorded as `response_url` calls."""
        return f"{self.url}response/{name}"

    def env(self, token: str = FAKE_BOT_TOKEN) -> dict[str, str]:
        """Environment variables that point a pilotgate process at this fake."""
        return {"SLACK_API_URL": self.api_url, "SLACK_BOT_TOKEN": token}

    def client(
        self, token: str = FAKE_BOT_TOKEN, *, retries: int = 2, timeout: int = 5
    ) -> WebClient:
        """A real WebClient aimed at the fake, with slack_sdk's retry handlers."""
        return WebClient(
            token=token,
            base_url=self.api_url,
            timeout=timeout,
            retry_handlers=[
                RateLimitErrorRetryHandler(max_retry_count=retries),
                ServerErrorRetryHandler(max_retry_count=retries),
                ConnectionErrorRetryHandler(max_retry_count=retries),
            ],
        )

    # -- what arrived --------------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        """Every recorded call (of `method`), oldest first."""
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

    def delivered(self, method: str | None = None) -> list[Call]:
        """The calls (of `method`) that took effect: answered HTTP 200 with ok:true."""
        return [c for c in self.calls(method) if c.ok]

    @property
    def errors(self) -> list[str]:
        """Requests Slack would have rejected as malformed, and failures inside the fake."""
        with self._lock:
            return list(self._errors)

    def clear(self) -> None:
        """Forgets recorded calls and errors (users, channels, faults and limits stay)."""
        with self._lock:
            self._calls.clear()
            self._errors.clear()

    def wait_for(
        self, method: str | None, count: int = 1, timeout: float = 5.0, *, path_end: str = ""
    ) -> list[Call]:
        """Blocks until `count` calls of `method` (None: any; to a path ending `path_end`)
        arrived; returns all of them.

        Raises AssertionError naming what did arrive when `timeout` seconds pass first.
        """
        now = _REAL_MONOTONIC[0]
        deadline = now() + timeout
        with self._arrived:
            while True:
                matching = [
                    c
                    for c in self._calls
                    if (method is None or c.method == method) and c.path.endswith(path_end)
                ]
                if len(matching) >= count:
                    return matching
                remaining = deadline - now()
                if remaining <= 0:
                    raise AssertionError(self._wait_failure(method, count, timeout, matching))
                self._arrived.wait(remaining)

    def reply(self, name: str, timeout: float = 10.0) -> Call:
        """The latest post to `response_url(name)`, once one has arrived."""
        return self.wait_for("response_url", timeout=timeout, path_end=f"/{name}")[-1]

    def _wait_failure(self, method: str | None, count: int, timeout: float, got: list[Call]) -> str:
        wanted = method or "any method"
        lines = [
            f"FakeSlack.wait_for({wanted!r}, count={count}): {len(got)} arrived "
            f"within {timeout:g} s; all calls received ({len(self._calls)}):"
        ]
        lines += [f"  {c.describe()}" for c in self._calls] or ["  (none)"]
        if self._errors:
            lines.append("errors: " + "; ".join(self._errors))
        return "\n".join(lines)

    # -- serving -------------------------------------------------------------------------------

    def _note(self, problem: str) -> None:
        with self._lock:
            self._errors.append(problem)

    def _serve(self, handler: _Handler) -> None:
        request = read_request(handler, self.clock())
        if request is None:
            self._note(f"fake slack: unexpected request {handler.command} {handler.path}")
            self._send(handler, Answer(404, text="not found", content_type="text/plain"))
            return
        fault = self._next_fault(request.method)
        if fault is not None and fault.delay:
            self._stopping.wait(fault.delay)
        if fault is not None and fault.disconnect and not fault.deliver:
            self._record(request, None, fault)
            handler.close_connection = True
            return
        try:
            with self._lock:
                answer = fault_answer(fault, upload=request.kind == "upload") or self._answer(
                    request
                )
        except Exception as error:  # a bug in the fake: make it loud, answer like Slack would
            self._note(f"fake slack: {request.method} failed inside the fake: {error!r}")
            answer = Answer(500, {"ok": False, "error": "fatal_error"})
        self._record(request, answer, fault)
        if fault is not None and fault.disconnect:
            handler.close_connection = True
            return
        self._send(handler, answer)

    def _record(self, request: Request, answer: Answer | None, fault: Fault | None) -> None:
        call = Call(
            method=request.method,
            args=request.args,
            token=request.token,
            headers=request.headers,
            at=request.at,
            fault=fault.label if fault else None,
            status=answer.status if answer else 0,
            response=answer.recorded() if answer else None,
            path=request.path,
        )
        with self._arrived:
            self._calls.append(call)
            self._arrived.notify_all()

    def _send(self, handler: _Handler, answer: Answer) -> None:
        body = answer.body()
        with self._lock:
            self._counter += 1
            request_id = f"fake-{self._counter}"
        try:
            handler.send_response(answer.status)
            handler.send_header("Content-Type", answer.content_type)
            handler.send_header("Content-Length", str(len(body)))
            handler.send_header("X-Slack-Req-Id", request_id)
            for name, value in answer.headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(body)
        except _QUIET_ERRORS:
            pass  # the client gave up (a time-out): Slack does not care either

    # -- answering -----------------------------------------------------------------------------

    def _answer(self, request: Request) -> Answer:
        if request.kind == "upload":
            return self._upload(request)
        if request.kind == "response_url":
            return self._response_url_post(request)
        try:
            check_call(self.spec, request, self._revoked)
            needed = missing_scope(request.method, self.scopes)
            if needed is not None:
                self._note(f"{request.method}: missing_scope {needed}")
                return Answer(200, {"ok": False, "error": "missing_scope", "needed": needed,
                                    "provided": ",".join(sorted(self.scopes))})  # fmt: skip
            limited = self._rate_limited(request)
            if limited is not None:
                return limited
            handler = self._handlers().get(request.method)
            payload = handler(request) if handler else {"ok": True}
        except Refused as refused:
            payload = {"ok": False, "error": refused.error}
        except Invalid as invalid:
            detail = "; ".join(invalid.messages)
            self._note(f"{request.method}: {invalid.error}" + (f": {detail}" if detail else ""))
            payload = {"ok": False, "error": invalid.error}
            if invalid.messages:
                payload["response_metadata"] = {"messages": invalid.messages}
        return Answer(200, payload)

    def _rate_limited(self, request: Request) -> Answer | None:
        raw = request.args.get("channel")
        channel = self._resolve_channel(raw) if isinstance(raw, str) else None
        team = self._identity(request.token)["team_id"]
        retry_after = self._admit(request.method, self.clock(), team, channel or str(raw))
        if retry_after is None:
            return None
        return Answer(
            429,
            {"ok": False, "error": "ratelimited"},
            headers={"Retry-After": str(retry_after)},
        )

    def _upload(self, request: Request) -> Answer:
        upload = self._uploads.get(str(request.args["file_id"]))
        if upload is None:
            self._note(f"file upload to an unknown upload_url {request.path}")
            return Answer(404, text="not found", content_type="text/plain")
        upload["uploaded"] = True
        return Answer(200, text=f"OK - {request.args['bytes']}", content_type="text/plain")

    def _response_url_post(self, request: Request) -> Answer:
        args = request.args
        try:
            if request.invalid_json or not request.is_json:
                raise Invalid("invalid_payload", "[ERROR] response_url takes a JSON body")
            if not args.get("delete_original"):
                check_message(args)
        except Invalid as invalid:
            self._note(f"response_url: {invalid.error}: {'; '.join(invalid.messages)}")
            return Answer(400, text=invalid.error, content_type="text/html")
        return Answer(200, text="ok", content_type="text/html")
