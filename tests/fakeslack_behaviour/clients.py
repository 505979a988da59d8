"""Clients of the fake Slack, as pilotgate makes them, and what the tests send with them."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from tests.fakeslack import FakeSlack

TOKEN = "xoxb-made-up"
SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "*P-1* is ready"}}


def bare_client(fake: FakeSlack, **kwargs: Any) -> WebClient:
    """A client that shows every answer as it came (no retries)."""
    return WebClient(token=TOKEN, base_url=fake.api_url, retry_handlers=[], **kwargs)


class Clock:
    """A clock the rate limits read, moved by hand."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now
