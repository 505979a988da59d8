"""Faults a test programs into the fake: HTTP errors, ok:false answers, slowness, dropped
connections, seeded chaos, and Slack's posting rate limits."""

from __future__ import annotations

import math
import random
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field

from tests.fakeslack.wire import JSON
from tests.fakeslack.wire import Answer


@dataclass
class Rule:
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
class Chaos:
    method: str | None
    ratio: float
    rng: random.Random
    kinds: tuple[str, ...]
    retry_after: int
    slow_seconds: float


@dataclass
class Fault:
    label: str
    delay: float = 0.0
    status: int = 0
    retry_after: int = 0
    error: str = ""
    body: str | None = None
    disconnect: bool = False
    deliver: bool = False


@dataclass
class RateLimit:
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


class FaultInjection:
    """The fault-programming half of FakeSlack: what a test asks for, and which fault (if
    any) the next call of a method meets."""

    def __init__(self) -> None:
        self._faults_lock = threading.Lock()
        self._rules: list[Rule] = []
        self._chaos: list[Chaos] = []
        self._rate_limits: dict[str, RateLimit] = {}

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
            Rule(method, "status", times, status=status, retry_after=retry_after, body=body)
        )

    def error(
        self, method: str | None, error: str = "channel_not_found", times: int | None = 1
    ) -> None:
        """The next `times` calls answer HTTP 200 `{"ok": false, "error": error}`."""
        self._add_rule(Rule(method, "error", times, error=error))

    def slow(self, method: str | None, seconds: float, times: int | None = 1) -> None:
        """The next `times` calls wait `seconds` before they are handled and answered."""
        self._add_rule(Rule(method, "slow", times, seconds=seconds))

    def disconnect(
        self, method: str | None, times: int | None = 1, *, deliver: bool = False
    ) -> None:
        """The next `times` calls get the connection closed without an answer.

        With `deliver=True` the call takes effect first (Slack posted, the answer got lost):
        the case that tempts a client into sending twice.
        """
        self._add_rule(Rule(method, "disconnect", times, deliver=deliver))

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
        internal_error; "error:<code>" for another code, such as "error:ratelimited"). Draws
        come from random.Random(seed), so a run of calls made in the same order meets the same
        faults; faulted calls are recorded with fault="chaos:<kind>".
        """
        kinds = tuple(kinds)
        known = {"429", "500", "502", "503", "504", "slow", "disconnect", "error"}
        named = {"error" if k.startswith("error:") else k for k in kinds}
        if not kinds or not named <= known:
            raise ValueError(f"chaos kinds must be among {sorted(known)}, not {kinds}")
        if not 0 <= ratio <= 1:
            raise ValueError("chaos ratio must be between 0 and 1")
        rng = random.Random(seed)  # noqa: S311 - reproducible faults, not secrets
        with self._faults_lock:
            self._chaos.append(Chaos(method, ratio, rng, kinds, retry_after, slow_seconds))

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
        with self._faults_lock:
            self._rate_limits[method] = RateLimit(per_channel_per_second, per_team_per_minute)

    def clear_faults(self) -> None:
        """Removes pending faults, chaos and rate limits."""
        with self._faults_lock:
            self._rules.clear()
            self._chaos.clear()
            self._rate_limits.clear()

    def _add_rule(self, rule: Rule) -> None:
        if rule.remaining is not None and rule.remaining < 1:
            raise ValueError("times must be at least 1 (or None for every call)")
        with self._faults_lock:
            self._rules.append(rule)

    def _next_fault(self, method: str) -> Fault | None:
        """The fault the call of `method` arriving now meets (None: none); it counts as used."""
        with self._faults_lock:
            return self._pick_fault(method)

    def _pick_fault(self, method: str) -> Fault | None:
        for rule in self._rules:
            if rule.remaining == 0 or rule.method not in (None, method):
                continue
            if rule.remaining is not None:
                rule.remaining -= 1
            if rule.kind == "status":
                return Fault(
                    str(rule.status),
                    status=rule.status,
                    retry_after=rule.retry_after,
                    body=rule.body,
                )
            if rule.kind == "error":
                return Fault(f"error:{rule.error}", error=rule.error)
            if rule.kind == "slow":
                return Fault("slow", delay=rule.seconds)
            label = "disconnect_after" if rule.deliver else "disconnect"
            return Fault(label, disconnect=True, deliver=rule.deliver)
        for chaos in self._chaos:
            if chaos.method not in (None, method):
                continue
            hit = chaos.rng.random() < chaos.ratio
            kind = chaos.rng.choice(chaos.kinds)  # drawn every time: outcomes stay in step
            if not hit:
                continue
            label = f"chaos:{kind}"
            if kind == "slow":
                return Fault(label, delay=chaos.slow_seconds)
            if kind == "disconnect":
                return Fault(label, disconnect=True)
            if kind.startswith("error"):
                return Fault(label, error=kind.partition(":")[2] or "internal_error")
            return Fault(label, status=int(kind), retry_after=chaos.retry_after)
        return None

    def _admit(self, method: str, now: float, team: str, channel: str) -> int | None:
        """None when a call of `method` in `channel` is within its rate limit (it is then
        counted); otherwise the Retry-After seconds to answer."""
        with self._faults_lock:
            limit = self._rate_limits.get(method)
            return None if limit is None else limit.admit(now, team, channel)


def fault_answer(fault: Fault | None, *, upload: bool = False) -> Answer | None:
    """The answer a fault gives instead of the real one (None: answer normally). An upload URL
    is no Web API method: it fails with an HTTP status, never with `ok: false`."""
    if fault is None or not (fault.status or fault.error):
        return None
    if fault.error and upload:
        return Answer(500, text="upload failed", content_type="text/plain")
    if fault.error:
        return Answer(200, {"ok": False, "error": fault.error})
    status = fault.status
    headers: dict[str, str] = {}
    if status == 429:
        headers["Retry-After"] = str(fault.retry_after)
    if fault.body is not None:
        content_type = JSON if fault.body.startswith("{") else "text/html; charset=utf-8"
        return Answer(status, text=fault.body, content_type=content_type, headers=headers)
    if status == 429:
        return Answer(status, {"ok": False, "error": "ratelimited"}, headers=headers)
    if status == 500:
        return Answer(status, {"ok": False, "error": "internal_error"})
    page = f"<html><body><h1>{status}</h1><p>upstream unavailable</p></body></html>"
    return Answer(status, text=page, content_type="text/html; charset=utf-8")
