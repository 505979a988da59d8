"""The error boundary when the database fails before a listener has acknowledged.

End to end, today's listeners acknowledge before they touch the database (see
tests/listeners/test_database_outage.py); a listener that stores a request before its ack
must still answer Slack at once, with the one line, rather than leave Bolt to answer 404.
"""

from __future__ import annotations

import json
from typing import Any

from slack_bolt.context.ack import Ack
from sqlalchemy.exc import OperationalError

from bot.errors import DatabaseUnavailable
from bot.slack.errors import boundary

REFUSED = OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))


@boundary
def stores_first(ack: Ack, body: dict[str, Any], command: dict[str, Any] | None = None) -> None:
    raise REFUSED


def test_a_command_whose_database_fails_before_the_ack_is_answered_in_the_ack() -> None:
    ack = Ack()
    stores_first(ack=ack, body={}, command={"command": "/pilot", "text": "list"})
    assert ack.response is not None
    assert ack.response.status == 200
    assert json.loads(ack.response.body) == {
        "text": DatabaseUnavailable().message,
        "response_type": "ephemeral",
    }


def test_a_button_whose_database_fails_before_the_ack_is_still_acknowledged() -> None:
    ack = Ack()
    stores_first(ack=ack, body={"type": "block_actions"})
    assert ack.response is not None
    assert ack.response.status == 200
