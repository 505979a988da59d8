"""A database that stops answering at ack time: the ack says so, and nothing is stored.

PostgreSQL only: `serve` reaches it through a loopback proxy the test cuts. SQLite is a file
inside the process, with no connection to lose (and the suite may run as root, whom a file's
permissions do not stop); its one failure of this kind, a lock held past the busy timeout,
would hold the ack past Slack's three seconds.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from collections.abc import Iterator
from typing import NamedTuple

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot.slack.ids import Callback
from storage.models import IntakeRequest
from tests.conftest import PostgresDatabases
from tests.fakeslack import FakeSlack
from tests.listeners.conftest import Server
from tests.listeners.test_intake import pilot_names
from tests.listeners.test_intake import replies
from tests.listeners.test_intake import wait_until
from tests.listeners.test_interactivity import registration
from tests.listeners.test_pilot_command import OWNER
from tests.slack_requests import Slack
from tests.tcp_proxy import TcpProxy

DOWN = (
    "The pilotgate database is not answering right now; nothing was changed. "
    "Try again in a few minutes."
)


@pytest.fixture
def database(postgres_databases: PostgresDatabases) -> Iterator[str]:
    url = postgres_databases.create(migrated=True)
    yield url
    postgres_databases.drop(url)


class CutOff(NamedTuple):
    proxy: TcpProxy
    server: Server
    slack: Slack


@pytest.fixture
def cut_off(database: str, serving: Callable[[str, str], Server]) -> Iterator[CutOff]:
    """`serve` reaching the database through a loopback proxy the test can cut."""
    direct = make_url(database)
    with TcpProxy(direct.host or "127.0.0.1", direct.port or 5432) as proxy:
        proxied = direct.set(host="127.0.0.1", port=proxy.port)
        server = serving(proxied.render_as_string(hide_password=False), "serve")
        yield CutOff(proxy, server, Slack(server.url))


def test_a_database_down_at_ack_time_is_said_in_the_ack_and_nothing_is_stored(
    cut_off: CutOff, fake_slack: FakeSlack, team: str
) -> None:
    proxy, server, slack = cut_off
    proxy.cut()
    name = uuid.uuid4().hex
    started = time.monotonic()
    answer = slack.command('new "During the cut"', team=team, user=OWNER,
                           response_url=fake_slack.response_url(name))  # fmt: skip
    assert time.monotonic() - started < 3
    assert answer.status == 200
    assert answer.json() == {"response_type": "ephemeral", "text": DOWN}
    proxy.restore()
    # Given time to carry out anything it had stored, the server has nothing to do.
    after = uuid.uuid4().hex
    slack.command('new "After the cut"', team=team, user=OWNER,
                  response_url=fake_slack.response_url(after))  # fmt: skip
    wait_until(lambda: bool(replies(fake_slack, after)), 20, server.log_text)
    assert pilot_names(server, team) == ["After the cut"]
    with server.sessions() as session:
        texts = [row.payload["text"] for row in session.scalars(select(IntakeRequest))]
    assert texts == ['new "After the cut"']
    assert replies(fake_slack, name) == [], "told in the ack, and only there"


def test_a_form_sent_while_the_database_is_down_stays_open_saying_nothing_was_changed(
    cut_off: CutOff, fake_slack: FakeSlack, team: str
) -> None:
    values = registration("Filed during the cut")
    proxy, server, slack = cut_off
    proxy.cut()
    started = time.monotonic()
    answer = slack.view_submission(Callback.REGISTER.value, values, team=team, user=OWNER)
    assert time.monotonic() - started < 3
    proxy.restore()
    # The same form sent again once the database answers is registered, once.
    again = slack.view_submission(Callback.REGISTER.value, values, team=team, user=OWNER)
    wait_until(lambda: pilot_names(server, team) != [], 20, server.log_text)
    assert pilot_names(server, team) == ["Filed during the cut"]
    assert answer.status == 200
    assert answer.json() == {"response_action": "errors", "errors": {"name": DOWN}}
    assert (again.status, again.body) == (200, "")
