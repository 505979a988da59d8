"""`GET /metrics` on `pilotgate serve`: Prometheus' text format, read back with its own parser,
after signed requests and a scheduler tick against a fake Slack."""

from __future__ import annotations

import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from bot.metrics import Metrics
from bot.services import pilots
from bot.services.actors import Actor
from bot.services.commands import Register
from storage.db import create_db_engine
from storage.db import session_factory
from storage.models import Notification
from storage.unit_of_work import UnitOfWork
from tests.fakeslack import FakeSlack
from tests.listeners.conftest import Server
from tests.listeners.conftest import start_server
from tests.listeners.conftest import stop_server
from tests.slack_requests import Slack

TEAM = "T1"
OWNER = "U0ANN"
FAMILIES = {
    "pilotgate_acks": "counter",
    "pilotgate_ack_seconds": "histogram",
    "pilotgate_work_waiting": "gauge",
    "pilotgate_outbox_rows": "gauge",
    "pilotgate_tick_seconds": "histogram",
    "pilotgate_slack_api_errors": "counter",
    "pilotgate_database_errors": "counter",
}


def scrape(url: str) -> dict[str, list[Sample]]:
    with urllib.request.urlopen(f"{url}/metrics", timeout=5) as answer:
        assert answer.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        page = answer.read().decode()
    families = {f.name: f for f in text_string_to_metric_families(page)}
    assert {name: families[name].type for name in FAMILIES} == FAMILIES
    return {name: list(family.samples) for name, family in families.items()}


def value(samples: list[Sample], name: str, **labels: str) -> float:
    (found,) = [s for s in samples if s.name == name and s.labels == labels]
    return float(found.value)


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.add_user(OWNER, tz="UTC")
        yield fake


@pytest.fixture
def server(
    database_url: str, sessions: sessionmaker[Session], fake: FakeSlack, tmp_path: Path
) -> Iterator[Server]:
    # A pilot registered a month ago, with no baseline: the first tick has a nudge to record.
    with UnitOfWork(sessions, actor=OWNER) as uow:
        pilots.handle(
            uow, Actor(TEAM, OWNER), Register("Support drafting"),
            datetime.now(UTC) - timedelta(days=30),
        )  # fmt: skip
    running = start_server(database_url, fake, tmp_path / "serve.log", scheduler=True)
    yield running
    stop_server(running)


def test_metrics_count_acks_ticks_the_outbox_and_slack_errors(
    server: Server, fake: FakeSlack, sessions: sessionmaker[Session]
) -> None:
    slack = Slack(server.url)
    # The caller is unknown to Slack, so asking users.info about them fails: a Slack error.
    for words in ("help", "list", "status P-1", "new Invoice matching"):
        reply_to = fake.response_url(uuid.uuid4().hex)
        answer = slack.command(words, team=TEAM, user="U0NEW", response_url=reply_to)
        assert answer.status == 200
    refused = slack.command("help", team=TEAM, user="U0NEW", response_url="x", signature="v0=0")
    assert refused.status == 401
    assert len(fake.wait_for("response_url", 4, timeout=15)) == 4
    # Work after an ack ends soon after its reply; the first tick runs at start-up.
    samples = _until(
        server.url, lambda s: value(s["pilotgate_work_waiting"], "pilotgate_work_waiting") == 0
    )
    samples = _until(
        server.url,
        lambda s: value(s["pilotgate_tick_seconds"], "pilotgate_tick_seconds_count") >= 1,
    )

    # Four signed requests were answered, all within Slack's three seconds; the refused one
    # was not an ack.
    assert value(samples["pilotgate_acks"], "pilotgate_acks_total") == 4
    ack_seconds = samples["pilotgate_ack_seconds"]
    assert value(ack_seconds, "pilotgate_ack_seconds_count") == 4
    assert value(ack_seconds, "pilotgate_ack_seconds_bucket", le="3.0") == 4
    assert value(samples["pilotgate_database_errors"], "pilotgate_database_errors_total") == 0
    # The outbox as the database holds it, by status and reason.
    with sessions() as session:
        stored = session.execute(
            select(Notification.status, Notification.reason, func.count()).group_by(
                Notification.status, Notification.reason
            )
        ).all()
    assert stored
    assert {
        (s.labels["status"], s.labels["reason"]): s.value for s in samples["pilotgate_outbox_rows"]
    } == {(status, reason): float(count) for status, reason, count in stored}
    # Every failed Web API call the fake Slack answered, and nothing else, by method and error.
    failed = Counter(
        (c.method, str((c.response or {}).get("error") or f"http_{c.status}"))
        for c in fake.calls()
        if c.method not in ("response_url", "upload") and not c.ok
    )
    assert failed[("users.info", "user_not_found")] >= 1
    assert {
        (s.labels["method"], s.labels["error"]): s.value
        for s in samples["pilotgate_slack_api_errors"]
        if s.name == "pilotgate_slack_api_errors_total"
    } == {key: float(count) for key, count in failed.items()}


def _until(url: str, done: Callable[[dict[str, list[Sample]]], bool]) -> dict[str, list[Sample]]:
    """The scrape that first shows `done`, within 30 s."""
    deadline = time.monotonic() + 30
    while True:
        samples = scrape(url)
        if done(samples):
            return samples
        assert time.monotonic() < deadline, "the metrics never showed it"
        time.sleep(0.1)


def test_database_errors_are_counted(database_url: str) -> None:
    engine = create_db_engine(database_url)
    metrics = Metrics()
    metrics.watch_database(engine, session_factory(engine))
    with pytest.raises(DBAPIError), engine.connect() as connection:
        connection.execute(text("SELECT * FROM no_such_table"))

    families = {f.name: f for f in text_string_to_metric_families(metrics.exposition().decode())}
    engine.dispose()

    (total,) = [
        s for s in families["pilotgate_database_errors"].samples if s.name.endswith("_total")
    ]
    assert total.value == 1


def test_each_app_counts_on_its_own_registry() -> None:
    first, second = Metrics(), Metrics()
    first.acked(time.perf_counter())

    def acks(metrics: Metrics) -> float:
        page = metrics.exposition().decode()
        (family,) = [f for f in text_string_to_metric_families(page) if f.name == "pilotgate_acks"]
        return float(family.samples[0].value)

    assert (acks(first), acks(second)) == (1, 0)
