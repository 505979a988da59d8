"""What `GET /metrics` on `pilotgate serve` tells Prometheus.

Each app has a registry of its own (not prometheus_client's global one), so a test process can
build several apps, and each replica exposes only what it saw.

Failed Slack Web API calls are counted by SLACK_API_ERRORS, a retry handler that never retries.
Why there: slack_sdk asks a client's retry handlers about the outcome of every attempt, an
`ok: false` answer included, and Bolt copies the app client's handlers into the client it makes
for each request; so one handler, added where bot.slack.client builds every client, sees every
call of the app, the scheduler and Socket Mode. A WebClient subclass would miss the clients Bolt
makes for itself. The handler belongs to the process (clients outlive any one registry), and
each app's registry reads it when scraped.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.error
from collections import Counter as Tally
from collections.abc import Callable
from collections.abc import Iterable
from typing import Any

from prometheus_client import CollectorRegistry
from prometheus_client import Counter
from prometheus_client import Gauge
from prometheus_client import Histogram
from prometheus_client import generate_latest
from prometheus_client.core import CounterMetricFamily
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.core import Metric
from prometheus_client.registry import Collector
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from storage import outbox

log = logging.getLogger(__name__)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Slack wants an answer within 3 s; the buckets are finest where acks should be.
ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
TICK_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)


class SlackApiErrors(RetryHandler):
    """Counts failed Web API attempts by method and error; never asks for a retry."""

    def __init__(self) -> None:
        super().__init__(max_retry_count=0)
        self._lock = threading.Lock()
        self._counts: Tally[tuple[str, str]] = Tally()

    def can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        code = _error_code(response, error)
        if code is not None:
            method = request.url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
            with self._lock:
                self._counts[(method, code)] += 1
        return False

    def counts(self) -> dict[tuple[str, str], int]:
        with self._lock:
            return dict(self._counts)


def _error_code(response: HttpResponse | None, error: Exception | None) -> str | None:
    if response is None:
        if isinstance(error, TimeoutError) or (
            isinstance(error, urllib.error.URLError) and isinstance(error.reason, TimeoutError)
        ):
            return "timeout"
        return "connection" if error is not None else None
    body: Any = response.body if isinstance(response.body, dict) else _json(response.data)
    if response.status_code == 200:
        return None if body.get("ok", True) else str(body.get("error") or "unknown")
    return str(body.get("error") or f"http_{response.status_code}")


def _json(data: bytes | None) -> dict[str, Any]:
    try:
        parsed = json.loads(data or b"{}")
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


SLACK_API_ERRORS = SlackApiErrors()


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.acks = Counter(
            "pilotgate_acks",
            "Slack requests answered on POST /slack/events.",
            registry=self.registry,
        )
        self.ack_seconds = Histogram(
            "pilotgate_ack_seconds",
            "Time from a Slack request's arrival to Bolt's answer.",
            buckets=ACK_BUCKETS,
            registry=self.registry,
        )
        self.work_waiting = Gauge(
            "pilotgate_work_waiting",
            "Requests acknowledged and stored, not yet carried out (by any replica).",
            registry=self.registry,
        )
        self.tick_seconds = Histogram(
            "pilotgate_tick_seconds",
            "How long a scheduler pass (plan, then deliver) took.",
            buckets=TICK_BUCKETS,
            registry=self.registry,
        )
        self.database_errors = Counter(
            "pilotgate_database_errors",
            "Errors the database driver raised.",
            registry=self.registry,
        )
        self.registry.register(_SlackErrorsCollector(SLACK_API_ERRORS))

    def acked(self, arrived: float) -> None:
        """One Slack request answered; `arrived` is its time.perf_counter() on arrival."""
        self.acks.inc()
        self.ack_seconds.observe(time.perf_counter() - arrived)

    def watch_work(self, waiting: Callable[[], int]) -> None:
        self.work_waiting.set_function(lambda: float(waiting()))

    def watch_database(self, engine: Engine, sessions: sessionmaker[Session]) -> None:
        """Counts the engine's errors, and counts the outbox at each scrape."""
        event.listen(engine, "handle_error", lambda _context: self.database_errors.inc())
        self.registry.register(_OutboxCollector(sessions))

    def exposition(self) -> bytes:
        return bytes(generate_latest(self.registry))


class _SlackErrorsCollector(Collector):
    def __init__(self, errors: SlackApiErrors) -> None:
        self._errors = errors

    def describe(self) -> Iterable[Metric]:
        return [self._family()]

    def collect(self) -> Iterable[Metric]:
        family = self._family()
        for (method, error), count in sorted(self._errors.counts().items()):
            family.add_metric([method, error], count)
        return [family]

    @staticmethod
    def _family() -> CounterMetricFamily:
        return CounterMetricFamily(
            "pilotgate_slack_api_errors",
            "Slack Web API attempts that failed, by method and error.",
            labels=["method", "error"],
        )


class _OutboxCollector(Collector):
    """The outbox by status and reason, counted when scraped (one GROUP BY query)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def describe(self) -> Iterable[Metric]:
        return [self._family()]

    def collect(self) -> Iterable[Metric]:
        family = self._family()
        try:
            with self._sessions() as session:
                counted = outbox.count_by_status_and_reason(session)
        except SQLAlchemyError as error:
            log.warning("metrics: the outbox could not be counted: %s", type(error).__name__)
            return [family]
        for status, reason, count in counted:
            family.add_metric([status, reason], count)
        return [family]

    @staticmethod
    def _family() -> GaugeMetricFamily:
        return GaugeMetricFamily(
            "pilotgate_outbox_rows",
            "Rows in the notification outbox, by status and reason.",
            labels=["status", "reason"],
        )
