"""A local fake of the Slack Web API, for tests that drive the real slack_sdk client.

`FakeSlack` is a real HTTP server on 127.0.0.1 (a random free port). Point the app at it through
`SLACK_API_URL` (`fake.api_url`, e.g. `http://127.0.0.1:PORT/api/`) and every Web API call goes
through slack_sdk's own HTTP code and retry handlers, as it would against Slack.

    with FakeSlack() as fake:
        fake.add_user("U1", tz="Europe/Berlin")
        fake.fail("chat.postMessage", status=429, retry_after=1)
        ...  # run the app with SLACK_API_URL=fake.api_url
        (post,) = fake.delivered("chat.postMessage")
        assert fake.errors == []

What it does, like Slack:
- Answers HTTP 200 with `{"ok": true, ...}` or `{"ok": false, "error": ...}`; realistic bodies for
  the methods pilotgate uses, `{"ok": true}` for any other real method.
- Checks each call against Slack's OpenAPI description of the Web API (method exists, required
  arguments present, JSON only where the method takes JSON) and Block Kit limits (50 blocks per
  message, 100 per view, text lengths, unique block_id). Every such problem is answered with
  Slack's error and also kept in `fake.errors`, so a test can assert that none happened.
- Programmable faults (`fail`, `error`, `slow`, `disconnect`, `chaos`) and Slack's per-channel /
  per-workspace limits on chat.postMessage (`rate_limit`), answered with 429 and `Retry-After`.

Records every request as a `Call`; `wait_for` blocks until calls arrive. Besides `/api/<method>`
it serves `/response/<name>` (a `response_url`; calls named "response_url") and the upload URLs
files.getUploadURLExternal hands out (calls named "upload").
"""

from __future__ import annotations

import base64
import binascii
import copy
import email.parser
import email.policy
import hashlib
import inspect
import json
import math
import random
import re
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from socketserver import TCPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

__all__ = [
    "FAKE_BOT_TOKEN",
    "SPEC_PATH",
    "Call",
    "FakeSlack",
    "MethodSpec",
    "dm_channel_id",
    "web_api_spec",
]

SPEC_PATH = Path(__file__).resolve().parents[2] / "shared" / "slack" / "slack_web_openapi_v2.json"

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

FAKE_BOT_TOKEN = "xoxb-made-up"  # made up: the fake accepts any token
MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100
MESSAGE_TEXT_LIMIT = 40_000
_ID_PATTERN = re.compile(r"[CGDUWZ][A-Z0-9]+")
_JSON = "application/json; charset=utf-8"
# Captured in a tuple so that freezegun, which swaps module attributes, leaves it alone: the
# fake's own time-outs must run on the real clock even in a test that freezes time.
_REAL_MONOTONIC: tuple[Callable[[], float]] = (time.monotonic,)
_QUIET_ERRORS = (ConnectionError, TimeoutError)


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


def dm_channel_id(*user_ids: str) -> str:
    """The stable id of the DM (one user) or group DM (several) the fake opens with them."""
    key = ",".join(sorted(user_ids))
    prefix = "D" if len(user_ids) == 1 else "G"
    return prefix + hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:8].upper()


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


class _Invalid(Exception):
    """A request Slack would reject because the app sent it wrong (kept in `fake.errors`)."""

    def __init__(self, error: str, *messages: str) -> None:
        super().__init__(error, *messages)
        self.error = error
        self.messages = list(messages)


@dataclass
class _Rule:
    method: str | None
    kind: str  # "status" | "error" | "slow" | "disconnect"
    remaining: int | None
    status: int = 0
    retry_after: int = 0
    error: str = ""
    seconds: float = 0.0
    body: str | None = None
    deliver: bool = False


@dataclass
class _Chaos:
    method: str | None
    ratio: float
    rng: random.Random
    kinds: tuple[str, ...]
    retry_after: int
    slow_seconds: float


@dataclass
class _Fault:
    label: str
    delay: float = 0.0
    status: int = 0
    retry_after: int = 0
    error: str = ""
    body: str | None = None
    disconnect: bool = False
    deliver: bool = False


@dataclass
class _RateLimit:
    per_channel: int | None
    per_team: int | None
    channels: dict[tuple[str, str], deque[float]] = field(default_factory=dict)
    teams: dict[str, deque[float]] = field(default_factory=dict)

    def admit(self, now: float, team: str, channel: str) -> int | None:
        """Counts the call and returns None, or returns Retry-After seconds when over."""
        windows: list[tuple[deque[float], int, float]] = []
        if self.per_channel is not None:
            windows.append(
                (self.channels.setdefault((team, channel), deque()), self.per_channel, 1)
            )
        if self.per_team is not None:
            windows.append((self.teams.setdefault(team, deque()), self.per_team, 60))
        waits: list[float] = []
        for stamps, allowed, window in windows:
            while stamps and stamps[0] <= now - window:
                stamps.popleft()
            if len(stamps) >= allowed:
                waits.append(stamps[-allowed] + window - now)
        if waits:
            return max(1, math.ceil(max(waits) - 1e-9))
        for stamps, _, _ in windows:
            stamps.append(now)
        return None


@dataclass
class _Request:
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
class _Answer:
    status: int = 200
    payload: dict[str, Any] | None = None
    text: str = ""
    content_type: str = _JSON
    headers: dict[str, str] = field(default_factory=dict)

    def body(self) -> bytes:
        if self.payload is not None:
            return json.dumps(self.payload).encode()
        return self.text.encode()

    def recorded(self) -> dict[str, Any]:
        if self.payload is not None:
            return self.payload
        return {"ok": self.status == 200, "body": self.text}


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


class FakeSlack:
    """A fake Slack Web API on 127.0.0.1. See the module docstring."""

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
        self.clock: Callable[[], float] = clock or _REAL_MONOTONIC[0]
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.app_id = app_id
        self.spec = web_api_spec(spec_path) if spec_path is not None else None
        self._lock = threading.RLock()
        self._arrived = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._calls: list[Call] = []
        self._errors: list[str] = []
        self._rules: list[_Rule] = []
        self._chaos: list[_Chaos] = []
        self._rate_limits: dict[str, _RateLimit] = {}
        self._identities: dict[str, dict[str, Any]] = {}
        self._revoked: dict[str, str] = {}
        self._teams: dict[str, dict[str, Any]] = {}
        self._users: dict[str, dict[str, Any]] = {}
        self._channels: dict[str, dict[str, Any]] = {}
        self._messages: dict[str, dict[str, dict[str, Any]]] = {}
        self._views: dict[str, dict[str, Any]] = {}
        self._homes: dict[str, str] = {}
        self._uploads: dict[str, dict[str, Any]] = {}
        self._counter = 0
        self._ts_base = int(time.time())
        self.add_team(team_id)
        self.installation: dict[str, Any] = {}
        self.set_installation()

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

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
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

    def wait_for(self, method: str | None, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Blocks until `count` calls of `method` (None: any) arrived; returns all of them.

        Raises AssertionError naming what did arrive when `timeout` seconds pass first.
        """
        now = _REAL_MONOTONIC[0]
        deadline = now() + timeout
        with self._arrived:
            while True:
                matching = [c for c in self._calls if method is None or c.method == method]
                if len(matching) >= count:
                    return matching
                remaining = deadline - now()
                if remaining <= 0:
                    raise AssertionError(self._wait_failure(method, count, timeout, matching))
                self._arrived.wait(remaining)

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

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """The messages now in `channel` (as updated by chat.update), oldest first."""
        with self._lock:
            found = self._messages.get(channel, {})
            return [copy.deepcopy(found[ts]) for ts in sorted(found, key=float)]

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        """The App Home view last published for `user_id`."""
        with self._lock:
            view_id = self._homes.get(user_id)
            return copy.deepcopy(self._views[view_id]) if view_id else None

    def view(self, view_id: str) -> dict[str, Any] | None:
        with self._lock:
            found = self._views.get(view_id)
            return copy.deepcopy(found) if found else None

    def dm_channel(self, user_id: str) -> str:
        """The id conversations.open answers for a DM with `user_id`."""
        return dm_channel_id(user_id)

    # -- the workspace -----------------------------------------------------------------------

    def add_team(
        self,
        team_id: str,
        name: str | None = None,
        domain: str | None = None,
        enterprise_id: str | None = None,
    ) -> dict[str, Any]:
        team: dict[str, Any] = {
            "id": team_id,
            "name": name or f"Team {team_id}",
            "domain": domain or f"team-{team_id.lower()}",
            "email_domain": "",
            "icon": {"image_default": True},
        }
        if enterprise_id:
            team["enterprise_id"] = enterprise_id
        with self._lock:
            self._teams[team_id] = team
        return team

    def add_token(
        self,
        token: str,
        *,
        team_id: str | None = None,
        user_id: str | None = None,
        bot_id: str | None = None,
        enterprise_id: str | None = None,
    ) -> None:
        """Makes `token` belong to `team_id` (auth.test, team.info and rate limits use it)."""
        team_id = team_id or self.team_id
        with self._lock:
            if team_id not in self._teams:
                self.add_team(team_id, enterprise_id=enterprise_id)
            self._identities[token] = {
                "team_id": team_id,
                "user_id": user_id or self.bot_user_id,
                "bot_id": bot_id or self.bot_id,
                "enterprise_id": enterprise_id,
            }

    def revoke(self, token: str, error: str = "token_revoked") -> None:
        """From now on every call with `token` answers `error` (token_revoked, invalid_auth...)."""
        with self._lock:
            self._revoked[token] = error

    def add_user(
        self,
        user_id: str,
        team_id: str = "T1",
        tz: str = "Europe/Berlin",
        is_admin: bool = False,
        is_owner: bool = False,
        deleted: bool = False,
        name: str | None = None,
        *,
        real_name: str | None = None,
        is_primary_owner: bool = False,
        is_bot: bool = False,
        email: str | None = None,
    ) -> dict[str, Any]:
        """Registers a user for users.info (and users.lookupByEmail when `email` is given);
        `tz_offset` is computed when asked."""
        ZoneInfo(tz)  # fail here, not in the server thread, for an unknown zone
        name = name or user_id.lower()
        user: dict[str, Any] = {
            "id": user_id,
            "team_id": team_id,
            "name": name,
            "real_name": real_name or name,
            "tz": tz,
            "is_admin": is_admin,
            "is_owner": is_owner,
            "is_primary_owner": is_primary_owner,
            "deleted": deleted,
            "is_bot": is_bot,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "profile": {
                "real_name": real_name or name,
                "display_name": name,
                "team": team_id,
            },
        }
        if email is not None:
            user["profile"]["email"] = email
        with self._lock:
            self._users[user_id] = user
        return copy.deepcopy(user)

    def add_channel(
        self,
        channel_id: str,
        name: str,
        is_member: bool = True,
        is_archived: bool = False,
        is_private: bool = False,
        *,
        team_id: str | None = None,
    ) -> dict[str, Any]:
        """Registers a channel for conversations.info and for posting checks.

        Posting to a registered channel the bot is not in answers `not_in_channel` (private:
        `channel_not_found`); to an archived one `is_archived`. Unregistered ids are accepted.
        """
        channel: dict[str, Any] = {
            "id": channel_id,
            "name": name.lstrip("#"),
            "is_channel": not is_private,
            "is_group": is_private,
            "is_im": False,
            "is_mpim": False,
            "is_private": is_private,
            "is_archived": is_archived,
            "is_member": is_member,
            "is_general": False,
            "created": self._ts_base,
            "context_team_id": team_id or self.team_id,
        }
        with self._lock:
            self._channels[channel_id] = channel
        return copy.deepcopy(channel)

    def add_message(self, channel: str, ts: str, text: str = "", **fields: Any) -> None:
        """Seeds a message (e.g. one a previous run posted) for messages() and chat.update."""
        with self._lock:
            message = {"type": "message", "text": text, "ts": ts, **fields}
            self._messages.setdefault(channel, {})[ts] = message

    def set_installation(
        self,
        *,
        team_id: str = "T1",
        team_name: str | None = None,
        enterprise_id: str | None = None,
        is_enterprise_install: bool = False,
        installer_user_id: str = "U1",
        bot_token: str | None = None,
        scope: str = "commands,chat:write,im:write,users:read,channels:read,groups:read",
    ) -> dict[str, Any]:
        """Sets the canned oauth.v2.access answer (its bot token then passes auth.test)."""
        key = enterprise_id if is_enterprise_install and enterprise_id else team_id
        token = bot_token or f"xoxb-made-up-{key.lower()}"
        enterprise = (
            {"id": enterprise_id, "name": f"Org {enterprise_id}"} if enterprise_id else None
        )
        team = {"id": team_id, "name": team_name or f"Team {team_id}"}
        installation: dict[str, Any] = {
            "ok": True,
            "app_id": self.app_id,
            "authed_user": {"id": installer_user_id},
            "scope": scope,
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": self.bot_user_id,
            "team": None if is_enterprise_install else team,
            "enterprise": enterprise,
            "is_enterprise_install": is_enterprise_install,
        }
        with self._lock:
            self.installation = installation
            if team_name is not None or team_id not in self._teams:
                self.add_team(team_id, team["name"], enterprise_id=enterprise_id)
            self.add_token(token, team_id=team_id, enterprise_id=enterprise_id)
        return copy.deepcopy(installation)

    # -- faults --------------------------------------------------------------------------------

    def fail(
        self,
        method: str | None,
        status: int = 429,
        retry_after: int = 1,
        times: int | None = 1,
        *,
        body: str | None = None,
    ) -> None:
        """The next `times` calls (None: all) of `method` (None: any) answer HTTP `status`.

        429 carries `Retry-After: retry_after` and `{"ok": false, "error": "ratelimited"}`;
        500 a JSON error body; other statuses an HTML page, like a load balancer. Note that
        slack_sdk's ServerErrorRetryHandler retries only 500 and 503.
        """
        self._add_rule(
            _Rule(method, "status", times, status=status, retry_after=retry_after, body=body)
        )

    def error(
        self, method: str | None, error: str = "channel_not_found", times: int | None = 1
    ) -> None:
        """The next `times` calls answer HTTP 200 `{"ok": false, "error": error}`."""
        self._add_rule(_Rule(method, "error", times, error=error))

    def slow(self, method: str | None, seconds: float, times: int | None = 1) -> None:
        """The next `times` calls wait `seconds` before they are handled and answered."""
        self._add_rule(_Rule(method, "slow", times, seconds=seconds))

    def disconnect(
        self, method: str | None, times: int | None = 1, *, deliver: bool = False
    ) -> None:
        """The next `times` calls get the connection closed without an answer.

        With `deliver=True` the call takes effect first (Slack posted, the answer got lost):
        the case that tempts a client into sending twice.
        """
        self._add_rule(_Rule(method, "disconnect", times, deliver=deliver))

    def chaos(
        self,
        ratio: float,
        seed: int,
        kinds: Iterable[str] = ("429", "500", "slow"),
        *,
        method: str | None = None,
        retry_after: int = 0,
        slow_seconds: float = 0.2,
    ) -> None:
        """A `ratio` share of calls (of `method`) get a fault drawn from `kinds`.

        Kinds: an HTTP status ("429", "500", "502", "503", "504"), "slow" (delayed, then
        answered normally), "disconnect" (closed unanswered) or "error" (ok:false
        internal_error). Draws come from random.Random(seed), so a run of calls made in the
        same order meets the same faults; faulted calls are recorded with fault="chaos:<kind>".
        """
        kinds = tuple(kinds)
        known = {"429", "500", "502", "503", "504", "slow", "disconnect", "error"}
        if not kinds or not set(kinds) <= known:
            raise ValueError(f"chaos kinds must be among {sorted(known)}, not {kinds}")
        if not 0 <= ratio <= 1:
            raise ValueError("chaos ratio must be between 0 and 1")
        rng = random.Random(seed)  # noqa: S311 - reproducible faults, not secrets
        with self._lock:
            self._chaos.append(_Chaos(method, ratio, rng, kinds, retry_after, slow_seconds))

    def rate_limit(
        self,
        per_channel_per_second: int | None = 1,
        per_team_per_minute: int | None = 600,
        *,
        method: str = "chat.postMessage",
    ) -> None:
        """Slack's posting limits: beyond them `method` answers 429 with a true Retry-After.

        Sliding windows on `clock`: at most `per_channel_per_second` calls per channel in any
        second and `per_team_per_minute` per workspace in any 60 s (None: no such limit).
        Calls refused with 429 do not count.
        """
        with self._lock:
            self._rate_limits[method] = _RateLimit(per_channel_per_second, per_team_per_minute)

    def clear_faults(self) -> None:
        """Removes pending faults, chaos and rate limits."""
        with self._lock:
            self._rules.clear()
            self._chaos.clear()
            self._rate_limits.clear()

    def _add_rule(self, rule: _Rule) -> None:
        if rule.remaining is not None and rule.remaining < 1:
            raise ValueError("times must be at least 1 (or None for every call)")
        with self._lock:
            self._rules.append(rule)

    def _next_fault(self, method: str) -> _Fault | None:
        for rule in self._rules:
            if rule.remaining == 0 or rule.method not in (None, method):
                continue
            if rule.remaining is not None:
                rule.remaining -= 1
            if rule.kind == "status":
                return _Fault(
                    str(rule.status),
                    status=rule.status,
                    retry_after=rule.retry_after,
                    body=rule.body,
                )
            if rule.kind == "error":
                return _Fault(f"error:{rule.error}", error=rule.error)
            if rule.kind == "slow":
                return _Fault("slow", delay=rule.seconds)
            label = "disconnect_after" if rule.deliver else "disconnect"
            return _Fault(label, disconnect=True, deliver=rule.deliver)
        for chaos in self._chaos:
            if chaos.method not in (None, method):
                continue
            hit = chaos.rng.random() < chaos.ratio
            kind = chaos.rng.choice(chaos.kinds)  # drawn every time: outcomes stay in step
            if not hit:
                continue
            label = f"chaos:{kind}"
            if kind == "slow":
                return _Fault(label, delay=chaos.slow_seconds)
            if kind == "disconnect":
                return _Fault(label, disconnect=True)
            if kind == "error":
                return _Fault(label, error="internal_error")
            return _Fault(label, status=int(kind), retry_after=chaos.retry_after)
        return None

    # -- serving -------------------------------------------------------------------------------

    def _note(self, problem: str) -> None:
        with self._lock:
            self._errors.append(problem)

    def _serve(self, handler: _Handler) -> None:
        request = self._read(handler)
        if request is None:
            return
        with self._lock:
            fault = self._next_fault(request.method)
        if fault is not None and fault.delay:
            self._stopping.wait(fault.delay)
        if fault is not None and fault.disconnect and not fault.deliver:
            self._record(request, None, fault)
            handler.close_connection = True
            return
        try:
            with self._lock:
                answer = self._fault_answer(fault) or self._answer(request)
        except Exception as error:  # a bug in the fake: make it loud, answer like Slack would
            self._note(f"fake slack: {request.method} failed inside the fake: {error!r}")
            answer = _Answer(500, {"ok": False, "error": "fatal_error"})
        self._record(request, answer, fault)
        if fault is not None and fault.disconnect:
            handler.close_connection = True
            return
        self._send(handler, answer)

    def _fault_answer(self, fault: _Fault | None) -> _Answer | None:
        if fault is None or not (fault.status or fault.error):
            return None
        if fault.error:
            return _Answer(200, {"ok": False, "error": fault.error})
        status = fault.status
        headers: dict[str, str] = {}
        if status == 429:
            headers["Retry-After"] = str(fault.retry_after)
        if fault.body is not None:
            content_type = _JSON if fault.body.startswith("{") else "text/html; charset=utf-8"
            return _Answer(status, text=fault.body, content_type=content_type, headers=headers)
        if status == 429:
            return _Answer(status, {"ok": False, "error": "ratelimited"}, headers=headers)
        if status == 500:
            return _Answer(status, {"ok": False, "error": "internal_error"})
        page = f"<html><body><h1>{status}</h1><p>upstream unavailable</p></body></html>"
        return _Answer(status, text=page, content_type="text/html; charset=utf-8")

    def _record(self, request: _Request, answer: _Answer | None, fault: _Fault | None) -> None:
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

    def _send(self, handler: _Handler, answer: _Answer) -> None:
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

    def _read(self, handler: _Handler) -> _Request | None:
        at = self.clock()
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
            args.update(_multipart(handler.headers.get("Content-Type", ""), raw))
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
            basic = _basic_credentials(credentials)
        body_token = args.pop("token", None)
        if token is None and isinstance(body_token, str) and body_token and not is_json:
            token = body_token  # Slack takes a form/query token, never one inside JSON
        parts = split.path.strip("/").split("/", 1)
        kinds = {"api": "api", "response": "response_url", "upload": "upload"}
        if len(parts) != 2 or parts[0] not in kinds or not parts[1]:
            self._note(f"fake slack: unexpected request {handler.command} {handler.path}")
            self._send(handler, _Answer(404, text="not found", content_type="text/plain"))
            return None
        kind = kinds[parts[0]]
        method = parts[1] if kind == "api" else kind
        if kind == "upload":
            args = {"file_id": parts[1], "bytes": len(raw)}
        return _Request(
            kind, method, args, token, headers, split.path, at, is_json, basic, bool(problem)
        )

    # -- answering -----------------------------------------------------------------------------

    def _answer(self, request: _Request) -> _Answer:
        if request.kind == "upload":
            return self._upload(request)
        if request.kind == "response_url":
            return self._response_url_post(request)
        try:
            self._check_call(request)
            limited = self._rate_limited(request)
            if limited is not None:
                return limited
            handler = self._handlers().get(request.method)
            payload = handler(request) if handler else {"ok": True}
        except _Refused as refused:
            payload = {"ok": False, "error": refused.error}
        except _Invalid as invalid:
            detail = "; ".join(invalid.messages)
            self._note(f"{request.method}: {invalid.error}" + (f": {detail}" if detail else ""))
            payload = {"ok": False, "error": invalid.error}
            if invalid.messages:
                payload["response_metadata"] = {"messages": invalid.messages}
        return _Answer(200, payload)

    def _check_call(self, request: _Request) -> None:
        method, args = request.method, request.args
        if request.invalid_json:
            raise _Invalid("invalid_json", "[ERROR] the request body is not a JSON object")
        if method.startswith(RETIRED_PREFIXES) or method in RETIRED_METHODS:
            raise _Invalid("method_deprecated", f"[ERROR] {method} is retired")
        spec = self.spec.get(method) if self.spec is not None else None
        known = spec is not None or method in NEWER_METHODS or method in sdk_methods()
        if self.spec is not None and not known:
            raise _Invalid("unknown_method", f"[ERROR] no Web API method named {method!r}")
        needs_token = spec.takes_token if spec is not None else method not in TOKENLESS_METHODS
        if needs_token and not request.token:
            raise _Invalid("not_authed", "[ERROR] no token (send Authorization: Bearer ...)")
        if request.token in self._revoked:
            # Not the app's mistake: answered, not kept in `errors`.
            raise _Refused(self._revoked[request.token])
        if spec is None:
            return
        if request.is_json and not spec.accepts_json:
            raise _Invalid(
                "invalid_arguments", f"[ERROR] {method} takes form arguments, not a JSON body"
            )
        satisfied = set(k for k, v in args.items() if v is not None and v != "")
        if method in ("views.open", "views.push") and "interactivity_pointer" in satisfied:
            satisfied.add("trigger_id")
        missing = sorted(spec.required - satisfied)
        if missing:
            raise _Invalid(
                "invalid_arguments",
                *(f"[ERROR] missing required field: {name}" for name in missing),
            )

    def _rate_limited(self, request: _Request) -> _Answer | None:
        limit = self._rate_limits.get(request.method)
        if limit is None:
            return None
        raw = request.args.get("channel")
        channel = self._resolve_channel(raw) if isinstance(raw, str) else None
        team = self._identity(request.token)["team_id"]
        retry_after = limit.admit(self.clock(), team, channel or str(raw))
        if retry_after is None:
            return None
        return _Answer(
            429,
            {"ok": False, "error": "ratelimited"},
            headers={"Retry-After": str(retry_after)},
        )

    def _handlers(self) -> Mapping[str, Callable[[_Request], dict[str, Any]]]:
        return {
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.getPermalink": self._chat_get_permalink,
            "views.open": self._views_open,
            "views.push": self._views_open,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "users.info": self._users_info,
            "users.lookupByEmail": self._users_lookup_by_email,
            "conversations.open": self._conversations_open,
            "conversations.info": self._conversations_info,
            "conversations.history": self._conversations_history,
            "conversations.replies": self._conversations_replies,
            "team.info": self._team_info,
            "oauth.v2.access": self._oauth_v2_access,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
        }

    def _next_id(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}{self._counter:08d}"

    def _next_ts(self) -> str:
        self._counter += 1
        micros = self._counter * 100
        return f"{self._ts_base + micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _identity(self, token: str | None) -> dict[str, Any]:
        known = self._identities.get(token or "")
        if known is not None:
            return known
        return {
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "enterprise_id": None,
        }

    def _team(self, team_id: str) -> dict[str, Any]:
        return self._teams.get(team_id) or self.add_team(team_id)

    def _resolve_channel(self, raw: str) -> str | None:
        """A channel id for an id, a user id (its DM) or a #name; None for an unknown name."""
        if _ID_PATTERN.fullmatch(raw):
            return dm_channel_id(raw) if raw[0] in "UW" else raw
        name = raw.lstrip("#")
        for channel in self._channels.values():
            if channel["name"] == name:
                return str(channel["id"])
        return None

    def _postable(self, raw: Any) -> str | dict[str, Any]:
        """The channel id to post into, or the ok:false answer Slack gives."""
        channel = self._resolve_channel(raw) if isinstance(raw, str) else None
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        known = self._channels.get(channel)
        if known is not None:
            if known["is_archived"]:
                return {"ok": False, "error": "is_archived"}
            if not known["is_member"]:
                error = "channel_not_found" if known["is_private"] else "not_in_channel"
                return {"ok": False, "error": error}
        return channel

    # -- method handlers -----------------------------------------------------------------------

    def _auth_test(self, request: _Request) -> dict[str, Any]:
        identity = self._identity(request.token)
        team = self._team(identity["team_id"])
        answer: dict[str, Any] = {
            "ok": True,
            "url": f"https://{team['domain']}.slack.com/",
            "team": team["name"],
            "user": "pilotgate",
            "team_id": identity["team_id"],
            "user_id": identity["user_id"],
            "bot_id": identity["bot_id"],
            "is_enterprise_install": False,
        }
        if identity.get("enterprise_id"):
            answer["enterprise_id"] = identity["enterprise_id"]
        return answer

    def _message(self, request: _Request, ts: str) -> dict[str, Any]:
        args = request.args
        identity = self._identity(request.token)
        message: dict[str, Any] = {
            "type": "message",
            "subtype": "bot_message",
            "text": args.get("text", ""),
            "user": identity["user_id"],
            "bot_id": identity["bot_id"],
            "app_id": self.app_id,
            "team": identity["team_id"],
            "ts": ts,
        }
        for name in ("blocks", "attachments", "metadata"):
            if args.get(name) not in (None, ""):
                message[name] = _lenient(args[name])
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        return message

    def _chat_post_message(self, request: _Request) -> dict[str, Any]:
        _check_message(request.args)
        channel = self._postable(request.args.get("channel"))
        if isinstance(channel, dict):
            return channel
        ts = self._next_ts()
        message = self._message(request, ts)
        self._messages.setdefault(channel, {})[ts] = message
        return {"ok": True, "channel": channel, "ts": ts, "message": copy.deepcopy(message)}

    def _chat_post_ephemeral(self, request: _Request) -> dict[str, Any]:
        _check_message(request.args)
        channel = self._postable(request.args.get("channel"))
        if isinstance(channel, dict):
            return channel
        user = self._users.get(str(request.args.get("user")))
        if user is not None and user["deleted"]:
            return {"ok": False, "error": "user_not_in_channel"}
        return {"ok": True, "message_ts": self._next_ts()}

    def _chat_update(self, request: _Request) -> dict[str, Any]:
        args = request.args
        _check_message(args)
        channel, ts = str(args.get("channel", "")), str(args.get("ts", ""))
        if not ts:
            return {"ok": False, "error": "message_not_found"}
        if not _ID_PATTERN.fullmatch(channel) or channel[0] in "UW":
            return {"ok": False, "error": "channel_not_found"}
        stored = self._messages.setdefault(channel, {})
        message = stored.get(ts) or self._message(request, ts)
        message = {**message, "text": args.get("text", message.get("text", ""))}
        for name in ("blocks", "attachments"):
            if args.get(name) not in (None, ""):
                message[name] = _lenient(args[name])
        message["edited"] = {"user": self._identity(request.token)["user_id"], "ts": ts}
        stored[ts] = message
        return {
            "ok": True,
            "channel": channel,
            "ts": ts,
            "text": message["text"],
            "message": copy.deepcopy(message),
        }

    def _chat_get_permalink(self, request: _Request) -> dict[str, Any]:
        channel = str(request.args.get("channel", ""))
        ts = str(request.args.get("message_ts", ""))
        if not channel or not ts:
            return {"ok": False, "error": "message_not_found"}
        domain = self._team(self._identity(request.token)["team_id"])["domain"]
        return {
            "ok": True,
            "channel": channel,
            "permalink": f"https://{domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}",
        }

    def _view(
        self, request: _Request, raw: Any, view_id: str, kinds: tuple[str, ...]
    ) -> dict[str, Any]:
        if raw in (None, ""):
            raise _Invalid("invalid_arguments", "[ERROR] missing required field: view")
        try:
            view = _parsed(raw)
        except ValueError as error:
            raise _Invalid("invalid_arguments", f"[ERROR] view is not JSON: {error}") from None
        _check_view(view, kinds)
        identity = self._identity(request.token)
        previous = self._views.get(view_id, {})
        stored: dict[str, Any] = {
            "id": view_id,
            "team_id": identity["team_id"],
            "type": view["type"],
            "blocks": view.get("blocks", []),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "external_id": view.get("external_id", previous.get("external_id", "")),
            "state": {"values": {}},
            "hash": f"{self._ts_base}.{self._next_id('h')}",
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "root_view_id": previous.get("root_view_id", view_id),
            "previous_view_id": previous.get("previous_view_id"),
            "app_id": self.app_id,
            "app_installed_team_id": identity["team_id"],
            "bot_id": identity["bot_id"],
        }
        for name in ("title", "submit", "close"):
            if name in view:
                stored[name] = view[name]
        self._views[view_id] = stored
        return copy.deepcopy(stored)

    def _views_open(self, request: _Request) -> dict[str, Any]:
        view_id = self._next_id("V")
        return {
            "ok": True,
            "view": self._view(request, request.args.get("view"), view_id, ("modal",)),
        }

    def _views_update(self, request: _Request) -> dict[str, Any]:
        args = request.args
        view_id = args.get("view_id")
        if not view_id and args.get("external_id"):
            view_id = next(
                (v["id"] for v in self._views.values() if v["external_id"] == args["external_id"]),
                None,
            )
            if view_id is None:
                return {"ok": False, "error": "not_found"}
        if not view_id:
            raise _Invalid("invalid_arguments", "[ERROR] either view_id or external_id is required")
        known = self._views.get(str(view_id))
        if args.get("hash") and known is not None and args["hash"] != known["hash"]:
            return {"ok": False, "error": "hash_conflict"}
        return {
            "ok": True,
            "view": self._view(request, args.get("view"), str(view_id), ("modal", "home")),
        }

    def _views_publish(self, request: _Request) -> dict[str, Any]:
        user_id = str(request.args.get("user_id") or "")
        if not user_id:
            raise _Invalid("invalid_arguments", "[ERROR] missing required field: user_id")
        view_id = self._homes.get(user_id) or self._next_id("V")
        known = self._views.get(view_id)
        hash_ = request.args.get("hash")
        if hash_ and known is not None and hash_ != known["hash"]:
            return {"ok": False, "error": "hash_conflict"}
        view = self._view(request, request.args.get("view"), view_id, ("home",))
        self._homes[user_id] = view_id
        return {"ok": True, "view": view}

    def _users_info(self, request: _Request) -> dict[str, Any]:
        user = self._users.get(str(request.args.get("user", "")))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        now = datetime.now(ZoneInfo(user["tz"]))
        offset = now.utcoffset()
        answer = copy.deepcopy(user)
        answer["tz_offset"] = int(offset.total_seconds()) if offset is not None else 0
        answer["tz_label"] = now.tzname() or user["tz"]
        answer["updated"] = self._ts_base
        return {"ok": True, "user": answer}

    def _users_lookup_by_email(self, request: _Request) -> dict[str, Any]:
        # Slack compares addresses without regard to case, and says `users_not_found`.
        wanted = str(request.args.get("email", "")).lower()
        for user in self._users.values():
            if str(user["profile"].get("email", "")).lower() == wanted:
                return {"ok": True, "user": copy.deepcopy(user)}
        return {"ok": False, "error": "users_not_found"}

    def _stored_messages(self, request: _Request) -> tuple[str, list[dict[str, Any]]] | None:
        channel = self._resolve_channel(str(request.args.get("channel", "")))
        if channel is None:
            return None
        keep_metadata = str(request.args.get("include_all_metadata", "")).lower() in {"1", "true"}
        messages = []
        for ts in sorted(self._messages.get(channel, {}), reverse=True):
            message = copy.deepcopy(self._messages[channel][ts])
            if not keep_metadata:
                message.pop("metadata", None)
            messages.append(message)
        return channel, messages

    def _conversations_history(self, request: _Request) -> dict[str, Any]:
        """Top-level messages, newest first (metadata only with include_all_metadata)."""
        stored = self._stored_messages(request)
        if stored is None:
            return {"ok": False, "error": "channel_not_found"}
        limit = int(request.args.get("limit") or 100)
        top = [m for m in stored[1] if m.get("thread_ts") in (None, m["ts"])]
        return {"ok": True, "messages": top[:limit], "has_more": len(top) > limit}

    def _conversations_replies(self, request: _Request) -> dict[str, Any]:
        """A thread: its parent, then its replies, oldest first."""
        stored = self._stored_messages(request)
        if stored is None:
            return {"ok": False, "error": "channel_not_found"}
        parent = str(request.args.get("ts", ""))
        thread = [m for m in stored[1] if m["ts"] == parent or m.get("thread_ts") == parent]
        if not thread:
            return {"ok": False, "error": "thread_not_found"}
        return {"ok": True, "messages": sorted(thread, key=lambda m: m["ts"]), "has_more": False}

    def _conversations_open(self, request: _Request) -> dict[str, Any]:
        args = request.args
        if args.get("channel"):
            channel = str(args["channel"])
            return {"ok": True, "channel": {"id": channel}}
        users = [u.strip() for u in str(args.get("users") or "").split(",") if u.strip()]
        if not users:
            raise _Invalid("users_list_not_supplied", "[ERROR] give users or channel")
        if len(users) > 8:
            return {"ok": False, "error": "too_many_users"}
        for user_id in users:
            user = self._users.get(user_id)
            if user is not None and user["deleted"]:
                return {"ok": False, "error": "user_disabled"}
        channel_id = dm_channel_id(*users)
        already = channel_id in self._channels
        if not already:
            self._channels[channel_id] = {
                "id": channel_id,
                "name": "",
                "is_im": len(users) == 1,
                "is_mpim": len(users) > 1,
                "is_channel": False,
                "is_group": False,
                "is_private": True,
                "is_archived": False,
                "is_member": True,
                "is_open": True,
                "user": users[0] if len(users) == 1 else None,
                "created": self._ts_base,
                "context_team_id": self._identity(request.token)["team_id"],
            }
        answer: dict[str, Any] = {"ok": True, "channel": {"id": channel_id}}
        if str(args.get("return_im", "")).lower() in ("1", "true"):
            answer["channel"] = copy.deepcopy(self._channels[channel_id])
        if already:
            answer.update(no_op=True, already_open=True)
        return answer

    def _conversations_info(self, request: _Request) -> dict[str, Any]:
        channel = self._channels.get(str(request.args.get("channel", "")))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "channel": copy.deepcopy(channel)}

    def _team_info(self, request: _Request) -> dict[str, Any]:
        team_id = request.args.get("team") or self._identity(request.token)["team_id"]
        team = self._teams.get(str(team_id))
        if team is None:
            return {"ok": False, "error": "team_not_found"}
        return {"ok": True, "team": copy.deepcopy(team)}

    def _oauth_v2_access(self, request: _Request) -> dict[str, Any]:
        args = request.args
        client_id = request.basic_auth[0] if request.basic_auth else args.get("client_id")
        secret = request.basic_auth[1] if request.basic_auth else args.get("client_secret")
        if not client_id:
            raise _Invalid("invalid_client_id", "[ERROR] no client_id (basic auth or argument)")
        if not secret:
            raise _Invalid("bad_client_secret", "[ERROR] no client_secret")
        return copy.deepcopy(self.installation)

    def _files_get_upload_url(self, request: _Request) -> dict[str, Any]:
        args = request.args
        missing = [name for name in ("filename", "length") if not args.get(name)]
        if missing:
            raise _Invalid(
                "invalid_arguments", *(f"[ERROR] missing required field: {n}" for n in missing)
            )
        file_id = self._next_id("F")
        self._uploads[file_id] = {"filename": args["filename"], "uploaded": False}
        return {"ok": True, "upload_url": f"{self.url}upload/{file_id}", "file_id": file_id}

    def _files_complete_upload(self, request: _Request) -> dict[str, Any]:
        try:
            files = _parsed(request.args.get("files", ""))
        except ValueError:
            files = None
        if not isinstance(files, list) or not files:
            raise _Invalid("invalid_arguments", "[ERROR] files must be a JSON array")
        done = []
        for item in files:
            file_id = item.get("id") if isinstance(item, dict) else None
            upload = self._uploads.get(str(file_id))
            if upload is None or not upload["uploaded"]:
                raise _Invalid("file_not_found", f"[ERROR] file {file_id} was not uploaded")
            done.append({"id": file_id, "title": item.get("title") or upload["filename"]})
        return {"ok": True, "files": done}

    def _upload(self, request: _Request) -> _Answer:
        upload = self._uploads.get(str(request.args["file_id"]))
        if upload is None:
            self._note(f"file upload to an unknown upload_url {request.path}")
            return _Answer(404, text="not found", content_type="text/plain")
        upload["uploaded"] = True
        return _Answer(200, text=f"OK - {request.args['bytes']}", content_type="text/plain")

    def _response_url_post(self, request: _Request) -> _Answer:
        args = request.args
        try:
            if request.invalid_json or not request.is_json:
                raise _Invalid("invalid_payload", "[ERROR] response_url takes a JSON body")
            if not args.get("delete_original"):
                _check_message(args)
        except _Invalid as invalid:
            self._note(f"response_url: {invalid.error}: {'; '.join(invalid.messages)}")
            return _Answer(400, text=invalid.error, content_type="text/html")
        return _Answer(200, text="ok", content_type="text/html")


class _Refused(_Invalid):
    """An ok:false answer that is not the app's mistake (e.g. a revoked token)."""


def _parsed(value: Any) -> Any:
    """A JSON-valued argument as data, whether it came as a form string or inside JSON."""
    if isinstance(value, str | bytes):
        return json.loads(value)
    return value


def _lenient(value: Any) -> Any:
    """Parsed JSON if it parses, else the raw value (for echoing back what was sent)."""
    try:
        return _parsed(value)
    except ValueError:
        return value


def _basic_credentials(encoded: str) -> tuple[str, str] | None:
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, _, password = decoded.partition(":")
    return user, password


def _multipart(content_type: str, raw: bytes) -> dict[str, Any]:
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


def _text_problems(text: Any, limit: int, pointer: str, *, plain_only: bool = False) -> list[str]:
    if not isinstance(text, dict):
        return [f"[ERROR] must be a text object [json-pointer:{pointer}]"]
    allowed = ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
    if text.get("type") not in allowed:
        return [f"[ERROR] must be one of {list(allowed)} [json-pointer:{pointer}/type]"]
    value = text.get("text")
    if not isinstance(value, str) or not value:
        return [f"[ERROR] must be more than 0 characters [json-pointer:{pointer}/text]"]
    if len(value) > limit:
        return [f"[ERROR] must be less than {limit + 1} characters [json-pointer:{pointer}/text]"]
    return []


def _block_problems(blocks: Any, limit: int, pointer: str) -> list[str]:
    """Block Kit rules Slack enforces and slack_sdk does not (for dict blocks)."""
    if not isinstance(blocks, list):
        return [f"[ERROR] must be an array [json-pointer:{pointer}]"]
    problems = []
    if len(blocks) > limit:
        problems.append(f"[ERROR] no more than {limit} items allowed [json-pointer:{pointer}]")
    seen: set[str] = set()
    for index, block in enumerate(blocks):
        at = f"{pointer}/{index}"
        if not isinstance(block, dict) or not isinstance(block.get("type"), str):
            problems.append(f"[ERROR] missing required field: type [json-pointer:{at}]")
            continue
        block_id = block.get("block_id")
        if block_id is not None:
            if not isinstance(block_id, str) or not 0 < len(block_id) <= 255:
                problems.append(f"[ERROR] must be 1 to 255 characters [json-pointer:{at}/block_id]")
            elif block_id in seen:
                problems.append(f"[ERROR] duplicate block_id [json-pointer:{at}/block_id]")
            else:
                seen.add(block_id)
        kind = block["type"]
        if kind == "section":
            fields = block.get("fields")
            if "text" not in block and not fields:
                problems.append(f"[ERROR] must provide either text or fields [json-pointer:{at}]")
            if "text" in block:
                problems += _text_problems(block["text"], 3000, f"{at}/text")
            if fields is not None:
                if not isinstance(fields, list) or len(fields) > 10:
                    problems.append(f"[ERROR] at most 10 fields [json-pointer:{at}/fields]")
                else:
                    for number, item in enumerate(fields):
                        problems += _text_problems(item, 2000, f"{at}/fields/{number}")
        elif kind == "header":
            problems += _text_problems(block.get("text"), 150, f"{at}/text", plain_only=True)
        elif kind in ("actions", "context"):
            most = 25 if kind == "actions" else 10
            elements = block.get("elements")
            if not isinstance(elements, list) or not 0 < len(elements) <= most:
                problems.append(f"[ERROR] 1 to {most} elements [json-pointer:{at}/elements]")
    return problems


def _check_message(args: Mapping[str, Any]) -> None:
    """Slack's checks on a message body (chat.* methods and response_url posts)."""
    present = [n for n in ("text", "blocks", "attachments") if args.get(n) not in (None, "", [])]
    if not present:
        raise _Invalid("no_text", "[ERROR] a message needs text, blocks or attachments")
    text = args.get("text")
    if isinstance(text, str) and len(text) > MESSAGE_TEXT_LIMIT:
        raise _Invalid("msg_too_long", f"[ERROR] text is over {MESSAGE_TEXT_LIMIT} characters")
    if args.get("attachments") not in (None, ""):
        try:
            attachments = _parsed(args["attachments"])
        except ValueError:
            attachments = None
        if not isinstance(attachments, list):
            raise _Invalid("invalid_attachments", "[ERROR] attachments must be a JSON array")
        if len(attachments) > 100:
            raise _Invalid("too_many_attachments", "[ERROR] no more than 100 attachments")
    if args.get("blocks") in (None, ""):
        return
    try:
        blocks = _parsed(args["blocks"])
    except ValueError as error:
        raise _Invalid("invalid_blocks_format", f"[ERROR] blocks are not JSON: {error}") from None
    if not isinstance(blocks, list):
        raise _Invalid("invalid_blocks_format", "[ERROR] blocks must be an array")
    problems = _block_problems(blocks, MESSAGE_BLOCK_LIMIT, "/blocks")
    if problems:
        raise _Invalid("invalid_blocks", *problems)


def _check_view(view: Any, kinds: tuple[str, ...]) -> None:
    """Slack's checks on a modal or Home tab view (views.* methods)."""
    if not isinstance(view, dict):
        raise _Invalid("invalid_arguments", "[ERROR] view must be a JSON object")
    problems = []
    kind = view.get("type")
    if kind not in kinds:
        problems.append(f"[ERROR] type must be one of {list(kinds)} [json-pointer:/view/type]")
    if kind == "modal":
        if "title" not in view:
            problems.append("[ERROR] missing required field: title [json-pointer:/view]")
        for name in ("title", "submit", "close"):
            if name in view:
                problems += _text_problems(view[name], 24, f"/view/{name}", plain_only=True)
        blocks = view.get("blocks")
        has_input = isinstance(blocks, list) and any(
            isinstance(b, dict) and b.get("type") == "input" for b in blocks
        )
        if has_input and "submit" not in view:
            problems.append("[ERROR] a view with input blocks needs submit [json-pointer:/view]")
    problems += _block_problems(view.get("blocks"), VIEW_BLOCK_LIMIT, "/view/blocks")
    for name, limit in (("private_metadata", 3000), ("callback_id", 255), ("external_id", 255)):
        value = view.get(name)
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            problems.append(
                f"[ERROR] must be a string under {limit + 1} characters [json-pointer:/view/{name}]"
            )
    if problems:
        raise _Invalid("invalid_arguments", *problems)
