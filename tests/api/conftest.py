"""End to end over HTTP: `pilotgate serve` as a real process (one per database backend, as in
tests/listeners), called with urllib as a live system would call it.

Each test works in a workspace of its own with a token of its own, and calls from a loopback
address of its own where the system has more than one, so neither pilots nor rate limits
(per token, and per client address for failed authentications) cross between tests. Tokens
and pilots are set up through the services, as an admin and an owner would through `/pilot`;
what is tested is what the API answers.
"""

from __future__ import annotations

import functools
import http.client
import json
import random
import socket
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot.services import pilots
from bot.services import tokens
from bot.services.actors import Actor
from storage.models import AuditEntry
from storage.models import Measurement
from storage.models import Pilot
from storage.unit_of_work import UnitOfWork
from tests import typed
from tests.fakeslack import FakeSlack
from tests.listeners.conftest import Server
from tests.listeners.conftest import fake_slack  # noqa: F401  (a fixture, shared)
from tests.listeners.conftest import server  # noqa: F401  (a fixture, shared)
from tests.listeners.conftest import slack  # noqa: F401  (a fixture, shared)

OWNER = "U0ANN"
SPONSOR = "U0SPO"
ADMIN = "U0ADM"
# Everything a Go needs beside a current reading that clears the threshold.
READY = (
    f'set {{key}} sponsor:<@{SPONSOR}> metric:"handle time" unit:min better:lower threshold:9.8 '
    "decide-by:2030-01-31 workflow:Zendesk eval-size:150 eval-score:96 eval-bar:95 "
    'monitoring:"quality dashboard" rollback:yes cost-per-unit:0.40 value-per-unit:6.50 '
    "volume:40000"
)


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def detail(self) -> str:
        problem = self.json()
        assert self.headers["content-type"] == "application/problem+json"
        assert set(problem) == {"type", "title", "status", "detail"}
        assert problem["status"] == self.status
        assert "\n" not in problem["detail"]
        return str(problem["detail"])


def call(
    base: str,
    method: str,
    path: str,
    body: Any = None,
    *,
    token: str | None = None,
    raw: bytes | Iterable[bytes] | None = None,
    headers: dict[str, str] | None = None,
    source: str | None = None,
) -> Answer:
    """One request to `base` + `/api/v1` + `path`: `body` sent as JSON, or `raw` as it is
    (an iterable of chunks goes chunked, with no Content-Length), from the address `source`
    (default: the system's choice)."""
    sent = dict(headers or {})
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    data = raw if raw is not None else None if body is None else json.dumps(body).encode()
    if data is not None:
        sent.setdefault("Content-Type", "application/json")
    request = urllib.request.Request(f"{base}/api/v1{path}", data=data, method=method, headers=sent)
    opener = urllib.request.build_opener(_From(source)) if source else urllib.request.build_opener()
    try:
        with opener.open(request, timeout=10) as response:
            return Answer(response.status, _lower(response.headers.items()), response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Answer(error.code, _lower(error.headers.items()), error.read())


def _lower(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in items}


class _From(urllib.request.HTTPHandler):
    """Connects from a chosen local address."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self._source = source

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        connection = functools.partial(http.client.HTTPConnection, source_address=(self._source, 0))
        return self.do_open(connection, req)  # type: ignore[arg-type]


LOOPBACK = "127.0.0.1"


@functools.cache
def _many_loopback_addresses() -> bool:
    """Linux routes all of 127.0.0.0/8 to the loopback interface; some systems only .1."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.2", 0))
        except OSError:
            return False
    return True


def loopback_address() -> str:
    """A loopback address of its own, or 127.0.0.1 where there is no other."""
    if not _many_loopback_addresses():
        return LOOPBACK
    # Distinct, not secret: any generator will do.
    return "127." + ".".join(str(random.randint(1, 254)) for _ in range(3))  # noqa: S311


@dataclass
class Workspace:
    """A fresh workspace on the running server, with a token of its own."""

    server: Server
    team: str
    token: str = ""
    token_id: str = ""
    owner: Actor = field(init=False)
    # Where its requests come from.
    address: str = field(default_factory=loopback_address)

    def __post_init__(self) -> None:
        self.owner = Actor(self.team, OWNER)
        self.token, self.token_id = self.issue("ticket router")

    def issue(self, label: str) -> tuple[str, str]:
        admin = Actor(self.team, ADMIN, is_admin=True)
        with UnitOfWork(self.server.sessions, actor=ADMIN) as uow:
            issued = tokens.issue(uow, admin, tokens.IssueToken(label), datetime.now(UTC))
        return issued.secret, issued.info.id

    def revoke(self, token_id: str) -> None:
        admin = Actor(self.team, ADMIN, is_admin=True)
        with UnitOfWork(self.server.sessions, actor=ADMIN) as uow:
            tokens.revoke(uow, admin, tokens.RevokeToken(token_id), datetime.now(UTC))

    def run(self, text: str) -> str:
        """A `/pilot` change by the owner, as typed; returns the pilot's key."""
        with UnitOfWork(self.server.sessions, actor=OWNER) as uow:
            return pilots.handle(uow, self.owner, typed.command(text), datetime.now(UTC)).key

    def pilot(self, name: str = "Support drafting", *, ready: bool = False) -> str:
        key = self.run(f"new {name}")
        if ready:
            self.run(READY.format(key=key))
            self.run(f"raci {key} all A <@{OWNER}>")
            self.run(f"baseline {key} 14 four weeks by hand")
        return key

    def get(self, path: str, **options: Any) -> Answer:
        return self.call("GET", path, token=self.token, **options)

    def post(self, path: str, body: Any = None, **options: Any) -> Answer:
        return self.call("POST", path, body, token=self.token, **options)

    def call(self, method: str, path: str, body: Any = None, **options: Any) -> Answer:
        """A request from this workspace's address, with whatever token `options` give."""
        return call(self.server.url, method, path, body, source=self.address, **options)

    def readings(self, key: str) -> list[Measurement]:
        with self.server.sessions() as session:
            query = (
                select(Measurement)
                .join(Pilot)
                .where(Pilot.team_id == self.team, Pilot.number == typed.key(key).number)
                .where(Measurement.kind == "reading")
                .order_by(Measurement.id)
            )
            return list(session.scalars(query))

    def audit_actors(self) -> list[str]:
        with self.server.sessions() as session:
            query = select(AuditEntry.actor).where(AuditEntry.team_id == self.team)
            return list(session.scalars(query.order_by(AuditEntry.id)))


def new_team() -> str:
    return f"T{uuid.uuid4().hex[:10].upper()}"


@pytest.fixture
def workspace(server: Server, fake_slack: FakeSlack) -> Workspace:  # noqa: F811
    team = new_team()
    fake_slack.add_team(team)
    return Workspace(server, team)


@pytest.fixture
def other_workspace(server: Server, fake_slack: FakeSlack) -> Workspace:  # noqa: F811
    team = new_team()
    fake_slack.add_team(team)
    return Workspace(server, team)
