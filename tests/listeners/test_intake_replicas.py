"""Two `serve` replicas on one database share a backlog and carry out nothing twice, even
when one of them dies with work in hand. On SQLite (two processes on one file) and on
PostgreSQL (claims with FOR UPDATE SKIP LOCKED).
"""

from __future__ import annotations

import socket
from collections.abc import Callable

from sqlalchemy import select

from storage.intake import Status
from storage.models import IntakeRequest
from tests.fakeslack import FakeSlack
from tests.listeners.conftest import Server
from tests.listeners.test_intake import RESTART_TIMEOUT
from tests.listeners.test_intake import readings
from tests.listeners.test_intake import replies
from tests.listeners.test_intake import seed_pilot
from tests.listeners.test_intake import send_all
from tests.listeners.test_intake import unfinished
from tests.listeners.test_intake import wait_until
from tests.listeners.test_pilot_command import reply_text
from tests.slack_requests import Slack


def claimed_by(server: Server, *statuses: Status) -> dict[str, str]:
    """response_url -> the process ("host:pid") that claimed the request last."""
    with server.sessions() as session:
        query = select(IntakeRequest).where(IntakeRequest.status.in_(statuses))
        return {
            str(row.response_url): row.claimed_by.split("/")[0]
            for row in session.scalars(query)
            if row.claimed_by
        }


def process_name(server: Server) -> str:
    return f"{socket.gethostname()[:40]}:{server.process.pid}"


def test_two_replicas_share_a_backlog_and_carry_out_nothing_twice(
    database_url: str, serving: Callable[[str, str], Server], fake_slack: FakeSlack, team: str
) -> None:
    one, other = serving(database_url, "one"), serving(database_url, "other")
    seed_pilot(one, team)
    fake_slack.clear()
    # Long enough that the first replica still has work in hand when the second has helped.
    values = [float(200 + n) for n in range(200)]
    # All of it to one replica: the other, idle, finds the backlog in the database.
    sent = send_all(Slack(one.url), fake_slack, [f"update P-1 {v:g}" for v in values], team=team)
    assert all(s.acked for s in sent)
    helping = process_name(other)
    wait_until(lambda: helping in claimed_by(other, Status.DONE).values(), 20, other.log_text)
    # Then the first replica dies with work in hand; the other takes the rest over.
    one.process.kill()
    one.process.wait()
    assert unfinished(other) > 0, "the backlog was gone before the kill: nothing to take over"
    dying = process_name(one)
    in_hand = {url for url, name in claimed_by(other, Status.RUNNING).items() if name == dying}

    def answered() -> bool:
        return all(replies(fake_slack, s.reply_to) for s in sent) and unfinished(other) == 0

    wait_until(answered, RESTART_TIMEOUT, other.log_text)
    assert readings(other, team) == values, "each update recorded once, none lost"
    assert set(claimed_by(other, Status.DONE).values()) == {dying, helping}
    for one_sent in sent:
        got = replies(fake_slack, one_sent.reply_to)
        # As after any crash, a reply on its way at the kill may arrive twice (never the change).
        assert len(got) == 1 or fake_slack.response_url(one_sent.reply_to) in in_hand
        for reply in got:
            assert "P-1" in reply_text(reply) or "was carried out" in reply_text(reply)
