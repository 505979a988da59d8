"""What listeners need besides Bolt's own arguments, handed to them once at wiring time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime

from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from bot.slack.directory import Directory
from bot.slack.intake import Intake


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Deps:
    sessions: sessionmaker[Session]
    directory: Directory
    # Where acknowledged requests wait for a worker (bot/slack/intake.py).
    intake: Intake
    clock: Callable[[], datetime] = field(default=utc_now)
    # Hosts a response_url read back from a modal's metadata may point at: Slack's own (and
    # SLACK_API_URL's, where a test double stands in). Metadata can be forged.
    reply_hosts: frozenset[str] = frozenset({"hooks.slack.com"})
