"""Behind an HTTPS proxy, every client connects from the proxy's address. With TRUSTED_PROXY
set to it, the limit on failed authentications counts each client by the address the proxy
names; without it, X-Forwarded-For is anyone's to write and is not believed."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.api.conftest import LOOPBACK
from tests.api.conftest import Workspace
from tests.api.conftest import new_team
from tests.fakeslack import FakeSlack
from tests.listeners.conftest import Server
from tests.listeners.conftest import start_server
from tests.listeners.conftest import stop_server

GUESSED = {"Authorization": "Bearer pgt_" + "A" * 43}
CLIENT, NEIGHBOUR = "203.0.113.5", "198.51.100.7"


@pytest.fixture(scope="module")
def behind_proxy(
    tmp_path_factory: pytest.TempPathFactory,
    fake_slack: FakeSlack,
) -> Iterator[Server]:
    """`serve` with the proxy at 127.0.0.1. On SQLite only: which address a request comes from
    is the HTTP server's business, the same whatever the database."""
    folder = tmp_path_factory.mktemp("behind-proxy")
    running = start_server(
        f"sqlite:///{folder / 'pilotgate.db'}",
        fake_slack,
        folder / "serve.log",
        TRUSTED_PROXY=LOOPBACK,
    )
    yield running
    stop_server(running)


def forwarded_for(*addresses: str) -> dict[str, str]:
    return {**GUESSED, "X-Forwarded-For": ", ".join(addresses)}


def test_behind_a_trusted_proxy_one_client_failing_holds_off_that_client_only(
    behind_proxy: Server,
    fake_slack: FakeSlack,
) -> None:
    team = new_team()
    fake_slack.add_team(team)
    proxy = Workspace(behind_proxy, team, address=LOOPBACK)
    started = time.monotonic()
    answers = [proxy.call("GET", "/pilots", headers=forwarded_for(CLIENT)) for _ in range(11)]
    assert time.monotonic() - started < 1, "the requests took too long to test the limit"
    assert [a.status for a in answers] == [401] * 10 + [429]
    # A client cannot step out by naming another address first: the proxy adds the address it
    # saw last, and that is the one counted.
    assert proxy.call("GET", "/pilots", headers=forwarded_for(NEIGHBOUR, CLIENT)).status == 429
    # Its neighbour behind the same proxy is not held off: its live token goes through.
    assert proxy.get("/pilots", headers={"X-Forwarded-For": NEIGHBOUR}).status == 200


def test_without_a_trusted_proxy_x_forwarded_for_changes_nothing(workspace: Workspace) -> None:
    if workspace.address == LOOPBACK:
        pytest.skip("needs a loopback address besides 127.0.0.1 to keep other tests' failures out")
    started = time.monotonic()
    answers = [
        workspace.call("GET", "/pilots", headers=forwarded_for(f"203.0.113.{n}")) for n in range(11)
    ]
    assert time.monotonic() - started < 1, "the requests took too long to test the limit"
    # Eleven addresses claimed, one connection's address counted.
    assert [a.status for a in answers] == [401] * 10 + [429]
