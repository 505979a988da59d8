"""When the database stops answering, `pilotgate serve` says so at once and recovers by itself.

PostgreSQL only, and without stopping the shared test server: `serve` reaches it through a
loopback proxy (tests/tcp_proxy.py) that the test cuts and restores. SQLite has no outage of
this kind to test: it is a file opened inside the process, with no server or connection to
lose (and the suite may run as root, whom a file's permissions do not stop).
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.slack.ids import Action
from tests.conftest import PostgresDatabases
from tests.fakeslack import FakeSlack
from tests.listeners.conftest import Server
from tests.listeners.conftest import eventually
from tests.listeners.conftest import start_server
from tests.listeners.conftest import stop_server
from tests.listeners.test_pilot_command import OWNER
from tests.listeners.test_pilot_command import pilots_of
from tests.listeners.test_pilot_command import reply_text
from tests.listeners.test_pilot_command import run
from tests.slack_requests import Slack
from tests.tcp_proxy import TcpProxy

DOWN = (
    "The pilotgate database is not answering right now; nothing was changed. "
    "Try again in a few minutes."
)


@pytest.fixture
def proxied(
    postgres_databases: PostgresDatabases, fake_slack: FakeSlack, tmp_path: Path
) -> Iterator[tuple[Server, TcpProxy]]:
    url = postgres_databases.create(migrated=True)
    direct = make_url(url)
    try:
        with TcpProxy(direct.host or "127.0.0.1", direct.port or 5432) as proxy:
            through_proxy = direct.set(host="127.0.0.1", port=proxy.port)
            server = start_server(
                through_proxy.render_as_string(hide_password=False),
                fake_slack,
                tmp_path / "serve.log",
            )
            try:
                yield server, proxy
            finally:
                stop_server(server)
    finally:
        postgres_databases.drop(url)


def health(server: Server) -> int:
    try:
        with urllib.request.urlopen(f"{server.url}/healthz", timeout=10) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        with error:
            return error.code


def press_next_page(slack: Slack, fake: FakeSlack, team: str) -> str:
    """Presses a list's Next page button; returns the text of the reply it gets."""
    name = uuid.uuid4().hex
    answer = slack.block_action(Action.LIST_PAGE.value, '{"page": 2}', team=team, user=OWNER,
                                response_url=fake.response_url(name))  # fmt: skip
    assert answer.status == 200
    replies = eventually(
        lambda: [c for c in fake.calls("response_url") if c.path.endswith(name)],
        "no reply to the button",
    )
    return reply_text(replies[-1])


def test_a_database_outage_is_told_in_one_line_and_recovers_without_a_restart(
    proxied: tuple[Server, TcpProxy], fake_slack: FakeSlack, team: str
) -> None:
    server, proxy = proxied
    slack = Slack(server.url)
    fake_slack.clear()
    assert "P-1" in reply_text(run(slack, fake_slack, "new Before the outage", team=team))
    fake_slack.wait_for("views.publish")  # the registration's last step: the owner's App Home

    proxy.cut()
    logged_from = len(server.log.read_bytes())
    assert health(server) == 503
    for text in ("new During the outage", "status P-1", "list"):
        started = time.monotonic()
        reply = run(slack, fake_slack, text, team=team)
        assert time.monotonic() - started < 3, f"{text!r} was answered late"
        assert (reply.args.get("text"), reply.args.get("blocks")) == (DOWN, None)
    assert press_next_page(slack, fake_slack, team) == DOWN + "[]"  # text, and no blocks
    written = server.log.read_bytes()[logged_from:].decode(errors="replace")
    assert "WARNING bot.slack.errors the database did not answer" in written
    assert "Traceback" not in written
    assert " ERROR " not in written

    proxy.restore()
    assert health(server) == 200
    assert "P-2" in reply_text(run(slack, fake_slack, "new After the outage", team=team))
    assert "Before the outage" in reply_text(run(slack, fake_slack, "list", team=team))
    names = sorted(pilot.name for pilot in pilots_of(server, team))
    assert names == ["After the outage", "Before the outage"]
