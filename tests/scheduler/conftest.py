"""The scheduler against a real database and the fake Slack, one tick at a time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from bot.scheduler.runner import Tick
from bot.scheduler.runner import tick
from bot.scheduler.transport import SlackTransport
from bot.services import pilots
from bot.services.actors import Actor
from bot.settings import Settings
from bot.slack.client import web_client
from storage.models import Notification
from storage.models import NotificationStatus
from storage.unit_of_work import UnitOfWork
from tests import typed
from tests.fakeslack import FAKE_BOT_TOKEN
from tests.fakeslack import Call
from tests.fakeslack import FakeSlack

TEAM = "T1"
OWNER = "U0ANN"
SPONSOR = "U0SPO"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(team_id=TEAM) as running:
        running.add_user(OWNER, team_id=TEAM, tz="Europe/Berlin")
        running.add_user(SPONSOR, team_id=TEAM, tz="America/New_York")
        yield running


def slack_transport(fake: FakeSlack) -> SlackTransport:
    """The transport `pilotgate tick` builds, with its client and retry handlers, aimed at
    the fake."""
    settings = Settings(slack_api_url=fake.api_url, slack_bot_token=FAKE_BOT_TOKEN)
    return SlackTransport(web_client(settings))


class World:
    """A workspace, its pilots, and ticks of the real scheduler at chosen instants."""

    def __init__(self, sessions: sessionmaker[Session], fake: FakeSlack) -> None:
        self.sessions = sessions
        self.fake = fake
        self.transport = slack_transport(fake)

    def register(self, at: datetime, name: str = "Support drafting", **fields: str) -> str:
        with UnitOfWork(self.sessions, actor=OWNER) as uow:
            return pilots.handle(uow, Actor(TEAM, OWNER), typed.register(name, fields), at).key

    def reading(self, key: str, value: str, at: datetime, kind: str = "reading") -> None:
        verb = "baseline" if kind == "baseline" else "update"
        self.run(f"{verb} {key} {value}", at)

    def decide(self, key: str, decision: str, at: datetime) -> None:
        self.run(f"decide {key} {decision} for the record", at)

    def run(self, text: str, at: datetime, by: str = OWNER) -> None:
        """A `/pilot` change as `by` types it, at `at`."""
        with UnitOfWork(self.sessions, actor=by) as uow:
            pilots.handle(uow, Actor(TEAM, by), typed.command(text), at)

    def tick(self, at: datetime) -> Tick:
        return tick(self.sessions, self.transport, at)

    def sent(self, method: str = "chat.postMessage") -> list[Call]:
        return self.fake.delivered(method)

    def sent_to(self, channel: str) -> list[str]:
        return [
            str(c.args.get("text", "")) for c in self.sent() if c.args.get("channel") == channel
        ]

    def outbox(self) -> list[Notification]:
        with self.sessions() as session:
            return list(session.scalars(select(Notification).order_by(Notification.id)))


def posted_markers(fake: FakeSlack) -> Counter[str]:
    """How often each outbox marker was posted (a row's id and the part: `12:0`)."""
    counts: Counter[str] = Counter()
    for call in fake.delivered("chat.postMessage"):
        metadata = call.json("metadata") if "metadata" in call.args else {}
        counts[str(metadata["event_payload"]["id"])] += 1
    return counts


def carriers(rows: list[Notification]) -> list[Notification]:
    """The rows that were posted: the others went out inside one of them (one DM per person
    per pilot per tick names every reason due)."""
    return [row for row in rows if "sent_with" not in row.payload]


def assert_each_delivered_once(world: World, fake: FakeSlack) -> None:
    """Every row sent; every post made once; each row posted, or carried by a posted row."""
    rows = world.outbox()
    assert {row.status for row in rows} == {NotificationStatus.SENT}
    counts = posted_markers(fake)
    posted = {int(marker.split(":")[0]) for marker in counts}
    assert posted == {row.id for row in carriers(rows)}
    assert {row.payload["sent_with"] for row in rows if row not in carriers(rows)} <= posted
    assert set(counts.values()) == {1}, "a message arrived twice"


@pytest.fixture
def world(sessions: sessionmaker[Session], fake: FakeSlack) -> World:
    return World(sessions, fake)
