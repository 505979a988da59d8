"""What Slack was told was received is never lost, and is carried out once.

Each test runs its own `pilotgate serve` on a database of its own, on SQLite and on
PostgreSQL, and does to it what a host does to a process: kills it with SIGKILL right after
it acknowledged a burst, or stops it with SIGTERM during one, then starts it again.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy import select

from bot.services import pilots
from bot.services.actors import Actor
from bot.slack.workers import WORKERS
from storage.intake import Status
from storage.models import IntakeRequest
from storage.models import Measurement
from storage.models import Pilot
from storage.unit_of_work import UnitOfWork
from tests import typed
from tests.fakeslack import Call
from tests.fakeslack import FakeSlack
from tests.listeners.conftest import Server
from tests.listeners.conftest import start_server
from tests.listeners.conftest import stop_server
from tests.listeners.test_pilot_command import OWNER
from tests.listeners.test_pilot_command import reply_text
from tests.slack_requests import Answer
from tests.slack_requests import Slack

# A request whose worker died is taken again when its lease (10 s) runs out; the rest is work.
RESTART_TIMEOUT = 90.0


@dataclass(frozen=True)
class Sent:
    text: str
    reply_to: str  # the name of its response_url on the fake Slack
    answer: Answer | None  # None: the server was gone before it answered

    @property
    def acked(self) -> bool:
        """Acknowledged as received: HTTP 200 with nothing to say."""
        return self.answer is not None and self.answer.status == 200 and not self.answer.body


def send_all(
    slack: Slack, fake: FakeSlack, texts: Sequence[str], *, team: str, clients: int = 8,
    after_each: Callable[[int], None] | None = None,
) -> list[Sent]:  # fmt: skip
    """Sends the commands from `clients` senders at once; `after_each(n)` runs after the
    n-th answer arrives."""
    answered = iter(range(1, len(texts) + 1))

    def send(text: str) -> Sent:
        name = uuid.uuid4().hex
        try:
            answer: Answer | None = slack.command(
                text, team=team, user=OWNER, response_url=fake.response_url(name)
            )
        except OSError:
            answer = None
        if after_each is not None:
            after_each(next(answered))
        return Sent(text, name, answer)

    with ThreadPoolExecutor(clients) as pool:
        return list(pool.map(send, texts))


def replies(fake: FakeSlack, name: str) -> list[Call]:
    return [c for c in fake.calls("response_url") if c.path.endswith(f"/{name}")]


def wait_until(done: Callable[[], bool], timeout: float, what: Callable[[], str]) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, what()
        time.sleep(0.1)


def unfinished(server: Server) -> int:
    with server.sessions() as session:
        query = select(func.count()).where(
            IntakeRequest.status.in_([Status.PENDING, Status.RUNNING])
        )
        return int(session.scalar(query) or 0)


def response_urls(server: Server, status: Status) -> list[str]:
    with server.sessions() as session:
        query = select(IntakeRequest.response_url).where(IntakeRequest.status == status)
        return [url for url in session.scalars(query) if url]


def readings(server: Server, team: str) -> list[float]:
    with server.sessions() as session:
        query = (
            select(Measurement.value)
            .join(Pilot)
            .where(Pilot.team_id == team, Measurement.kind == "reading")
        )
        return sorted(session.scalars(query))


def pilot_names(server: Server, team: str) -> list[str]:
    with server.sessions() as session:
        return sorted(session.scalars(select(Pilot.name).where(Pilot.team_id == team)))


def seed_pilot(server: Server, team: str) -> None:
    with UnitOfWork(server.sessions, actor=OWNER) as uow:
        pilots.handle(uow, Actor(team, OWNER), typed.register("Support drafting"),
                      datetime.now(UTC))  # fmt: skip


@pytest.fixture
def serving(
    database_url: str, fake_slack: FakeSlack, tmp_path: Path
) -> Iterator[Callable[[str], Server]]:
    """Starts `pilotgate serve` on this test's database (log `<name>.log`); stops what is
    still running at the end."""
    started: list[Server] = []

    def start(name: str) -> Server:
        server = start_server(database_url, fake_slack, tmp_path / f"{name}.log")
        started.append(server)
        return server

    yield start
    for server in started:
        if server.process.poll() is None:
            stop_server(server)
        else:
            server.sessions.kw["bind"].dispose()


def test_killed_right_after_30_acks_every_update_is_recorded_and_answered_once_on_restart(
    serving: Callable[[str], Server], fake_slack: FakeSlack, team: str
) -> None:
    first = serving("first")
    seed_pilot(first, team)
    fake_slack.clear()
    values = [float(100 + n) for n in range(30)]
    sent = send_all(Slack(first.url), fake_slack, [f"update P-1 {v:g}" for v in values],
                    team=team)  # fmt: skip
    first.process.kill()  # SIGKILL: no shutdown, no finishing the work in hand
    first.process.wait()
    assert all(s.acked for s in sent), [s.answer for s in sent if not s.acked]
    assert len(readings(first, team)) < len(values), "the kill came after the work"
    # Slack's response_url takes no idempotency key: a request whose reply was on its way
    # when the process died may be answered twice. It is never carried out twice.
    in_hand = {url.rsplit("/", 1)[-1] for url in response_urls(first, Status.RUNNING)}
    assert len(in_hand) <= WORKERS

    again = serving("again")

    def answered() -> bool:
        return all(replies(fake_slack, s.reply_to) for s in sent) and unfinished(again) == 0

    wait_until(answered, RESTART_TIMEOUT, lambda: again.log_text())
    assert readings(again, team) == values, "each update recorded once, none lost"
    for one in sent:
        got = replies(fake_slack, one.reply_to)
        assert len(got) == 1 or one.reply_to in in_hand, [reply_text(r)[:200] for r in got]
        for reply in got:
            assert "P-1" in reply_text(reply) or "was carried out" in reply_text(reply)
    assert "Traceback" not in again.log_text()


def test_sigterm_during_a_burst_of_300_registrations_loses_none(
    serving: Callable[[str], Server], fake_slack: FakeSlack, team: str
) -> None:
    first = serving("first")
    fake_slack.clear()
    names = [f"Burst {n:03d}" for n in range(300)]

    def stop_a_third_of_the_way(answered: int) -> None:
        if answered == 100:
            first.process.terminate()

    sent = send_all(Slack(first.url), fake_slack, [f'new "{name}"' for name in names],
                    team=team, after_each=stop_a_third_of_the_way)  # fmt: skip
    assert first.process.wait(timeout=30) == 0, first.log_text()
    acked = sorted(s.text.split('"')[1] for s in sent if s.acked)
    assert len(acked) >= 100
    assert unfinished(first) > 0, "the stop came after the work: nothing to test"

    again = serving("again")
    wait_until(lambda: unfinished(again) == 0, RESTART_TIMEOUT, lambda: again.log_text())
    registered = pilot_names(again, team)
    assert set(acked) <= set(registered), "every acknowledged registration was carried out"
    assert len(registered) == len(set(registered)), "none twice"
    for one in sent:
        if one.acked:
            [reply] = replies(fake_slack, one.reply_to)
            assert "Registered" in reply_text(reply) or "P-" in reply_text(reply)
