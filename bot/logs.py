"""How pilotgate writes its log: plain lines for people, or one JSON object per line for a log
pipeline (`LOG_FORMAT=json`), and never a secret either way.

Why the standard `logging` module and no structured-logging library: every line worth having
already comes through it (pilotgate, Bolt, slack_sdk, waitress, APScheduler, Alembic, Python's
warnings once captured), so one handler with a JSON formatter covers them all.

Why a redacting filter although pilotgate logs no secret on purpose: libraries log what they
like (slack_sdk at DEBUG logs the Authorization header), and an exception's text can quote a
request. The filter is the safety net on the one handler every line passes through.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import re
import sys
import threading
import uuid
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from concurrent.futures import Future
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC
from datetime import datetime
from types import MappingProxyType
from typing import Any
from typing import ParamSpec
from typing import TypeVar

REDACTED = "[redacted]"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
# Slack tokens (bot xoxb-, user xoxp-, and the other xox?- kinds; app-level xapp-), pilotgate's
# API tokens (pgt_), and request signatures (X-Slack-Signature: v0=<sha256 hex>).
SECRET_PATTERNS = (
    r"xox[a-z]-[A-Za-z0-9-]+",
    r"xapp-[A-Za-z0-9-]+",
    r"pgt_[A-Za-z0-9_-]+",
    r"v0=[0-9a-fA-F]{64}",
)
# A configured secret shorter than this is not searched for: redacting every "abc" in the log
# would hide more than it protects, and such a secret is no secret anyway.
SHORTEST_SECRET = 8
# The fields a JSON line carries besides time, level, logger and message.
CONTEXT_FIELDS = ("team", "event", "request_id")

# An immutable default: a mapping that every block replaces, never changes.
_context: contextvars.ContextVar[Mapping[str, str]] = contextvars.ContextVar(
    "pilotgate_log_context", default=MappingProxyType({})
)
_P = ParamSpec("_P")
_T = TypeVar("_T")


class Redactor:
    """Replaces anything that looks like a token, and each configured secret, by REDACTED."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        literal = [re.escape(s) for s in sorted(set(secrets), key=len, reverse=True)]
        wanted = [s for s in literal if len(s) >= SHORTEST_SECRET]
        self._pattern = re.compile("|".join([*wanted, *SECRET_PATTERNS]))

    def __call__(self, text: str) -> str:
        return self._pattern.sub(REDACTED, text)


class RedactingFilter(logging.Filter):
    """Redacts a record's message, its arguments and its traceback before any formatter or
    other handler sees them; it never drops a record."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self._redact = redact

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self._redact(_message(record))
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self._redact(record.stack_info)
        for name, value in _context.get().items():
            if getattr(record, name, None) is None:
                setattr(record, name, value)
        return True


def _message(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except (TypeError, ValueError):
        # A call whose arguments do not fit its format string: keep both, as logging would.
        return f"{record.msg} {record.args!r}"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, team, event (null when not
    known), request_id when known, and the traceback of an exception."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "team": getattr(record, "team", None),
            "event": getattr(record, "event", None),
        }
        request_id = getattr(record, "request_id", None)
        if request_id is not None:
            line["request_id"] = request_id
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, ensure_ascii=False, default=str)


class _Redacted(logging.Formatter):
    """Redacts the finished line once more: a formatter may add text the filter never saw."""

    def __init__(self, inner: logging.Formatter, redact: Redactor) -> None:
        super().__init__()
        self._inner = inner
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        return self._redact(self._inner.format(record))


class _State:
    json = False
    redact = Redactor()


def configure(log_format: str = "text", secrets: Iterable[str] = ()) -> None:
    """Sends every log line, warnings and uncaught thread errors included, to stderr in
    `log_format`, with `secrets` (and anything token-like) redacted. Replaces what was there,
    so calling it again (as tests do) leaves one handler."""
    _State.json = log_format == "json"
    _State.redact = Redactor(secrets)
    handler = logging.StreamHandler(sys.stderr)
    inner = JsonFormatter() if _State.json else logging.Formatter(TEXT_FORMAT)
    handler.setFormatter(_Redacted(inner, _State.redact))
    handler.addFilter(RedactingFilter(_State.redact))
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    # Alembic narrates every migration step at INFO; people need only its warnings.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.captureWarnings(True)
    threading.excepthook = _log_thread_error


def _log_thread_error(hook: threading.ExceptHookArgs) -> None:
    if hook.exc_type is SystemExit:
        return
    name = hook.thread.name if hook.thread is not None else "?"
    exc_info = (hook.exc_type, hook.exc_value, hook.exc_traceback)
    logging.getLogger("pilotgate").error("uncaught error in thread %s", name, exc_info=exc_info)  # type: ignore[arg-type]


def say(message: str, *, event: str | None = None, level: int = logging.INFO) -> None:
    """A line for the person at the terminal (a summary, an error): `pilotgate: …` in text
    mode, a JSON object like every other line in JSON mode."""
    if _State.json:
        logging.getLogger("pilotgate").log(level, message, extra={"event": event})
    else:
        print(f"pilotgate: {_State.redact(message)}", file=sys.stderr)


@contextlib.contextmanager
def context(**fields: str | None) -> Iterator[None]:
    """Every line logged inside the block (on this thread, and on threads started through
    ContextThreadPool) carries these fields."""
    merged = {**_context.get(), **{k: v for k, v in fields.items() if v is not None}}
    token = _context.set(merged)
    try:
        yield
    finally:
        _context.reset(token)


def slack_request_context(payload: Mapping[str, Any]) -> contextlib.AbstractContextManager[None]:
    """The fields of a Slack request worth a log line: its workspace, what kind of request it
    is, and an id to follow it by (Slack's event id or trigger id, else a new one)."""
    team = payload.get("team_id") or _nested(payload, "team", "id")
    inner = payload.get("event")
    event = payload.get("command") or (
        inner.get("type") if isinstance(inner, dict) else payload.get("type")
    )
    request_id = payload.get("event_id") or payload.get("trigger_id") or uuid.uuid4().hex[:12]
    return context(team=_text(team), event=_text(event), request_id=_text(request_id))


def _nested(payload: Mapping[str, Any], outer: str, inner: str) -> Any:
    value = payload.get(outer)
    return value.get(inner) if isinstance(value, dict) else None


def _text(value: Any) -> str | None:
    return value[:100] if isinstance(value, str) and value else None


class ContextThreadPool(ThreadPoolExecutor):
    """A thread pool whose tasks see the log context of the thread that submitted them, so a
    listener's lines name the request it works for."""

    def submit(self, fn: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> Future[_T]:
        snapshot = contextvars.copy_context()

        def run() -> _T:
            return snapshot.run(fn, *args, **kwargs)

        return super().submit(run)
