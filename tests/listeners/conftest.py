"""End to end: `pilotgate serve` as a real process, signed requests over HTTP, a fake Slack.

One server per database backend for the whole session; each test works in a workspace of its
own (a fresh team id), which is also what keeps tests apart, since workspaces never see each
other's pilots.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from storage.db import create_db_engine
from storage.db import session_factory
from storage.intake import Status
from storage.models import IntakeRequest
from tests.conftest import DATABASES
from tests.conftest import PostgresDatabases
from tests.fakeslack import FakeSlack
from tests.slack_requests import SIGNING_SECRET
from tests.slack_requests import Slack

FAKE_BOT_TOKEN = "xoxb-made-up-bot-token"
Found = TypeVar("Found")


@pytest.fixture(scope="session")
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    sessions: sessionmaker[Session]
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def start_server(
    database_url: str, fake: FakeSlack, log: Path, *, scheduler: bool = False, **env: str
) -> Server:
    port = free_port()
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE"))},
        "DATABASE_URL": database_url,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": FAKE_BOT_TOKEN,
        "SLACK_API_URL": fake.api_url,
        **env,
    }
    with log.open("wb") as sink:
        command = [sys.executable, "-m", "bot", "serve", "--port", str(port)]
        if not scheduler:
            command.append("--no-scheduler")
        process = subprocess.Popen(command, env=environment, stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"pilotgate serve exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1):
                break
        except OSError:
            time.sleep(0.05)
    else:
        process.kill()
        raise AssertionError(f"pilotgate serve did not answer /healthz:\n{log.read_text()}")
    return Server(url, process, session_factory(create_db_engine(database_url)), log)


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
    server.sessions.kw["bind"].dispose()


@pytest.fixture
def serving(fake_slack: FakeSlack, tmp_path: Path) -> Iterator[Callable[[str, str], Server]]:
    """Starts `serve` processes of its own (a database and a name each), stopped after the
    test: for tests that kill, restart or run several replicas."""
    started: list[Server] = []

    def start(database_url: str, name: str) -> Server:
        server = start_server(database_url, fake_slack, tmp_path / f"{name}.log")
        started.append(server)
        return server

    yield start
    for server in started:
        stop_server(server)


@pytest.fixture(scope="session", params=DATABASES)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, fake_slack: FakeSlack
) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp(f"serve-{request.param}")
    if request.param == "sqlite":
        database_url = f"sqlite:///{folder / 'pilotgate.db'}"
    else:
        databases: PostgresDatabases = request.getfixturevalue("postgres_databases")
        database_url = databases.create(migrated=False)
    running = start_server(database_url, fake_slack, folder / "serve.log")
    yield running
    stop_server(running)


def wait_until_idle(server: Server, timeout: float = 20) -> None:
    """Until the server has carried out every request it acknowledged: what follows a reply
    (App Homes refreshed) must not land among the next test's calls."""
    unfinished = select(func.count()).where(
        IntakeRequest.status.in_([Status.PENDING, Status.RUNNING])
    )
    deadline = time.monotonic() + timeout
    while True:
        with server.sessions() as session:
            if not session.scalar(unfinished):
                return
        assert time.monotonic() < deadline, "the server did not finish its work"
        time.sleep(0.02)


def eventually(look: Callable[[], Found], failure: str, timeout: float = 10) -> Found:
    """What `look` finds once it finds something (it is asked every 50 ms): for what the
    server does after it has answered the request."""
    deadline = time.monotonic() + timeout
    while not (found := look()):
        assert time.monotonic() < deadline, failure
        time.sleep(0.05)
    return found


@pytest.fixture
def slack(server: Server, fake_slack: FakeSlack) -> Iterator[Slack]:
    wait_until_idle(server)
    fake_slack.clear()
    yield Slack(server.url)
    # Every Web API call the app made was one Slack would accept (arguments, Block Kit limits).
    assert fake_slack.errors == []


@pytest.fixture
def team(fake_slack: FakeSlack) -> str:
    team_id = f"T{uuid.uuid4().hex[:10].upper()}"
    fake_slack.add_team(team_id)
    return team_id
