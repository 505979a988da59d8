"""A person's time zone as the scheduler needs it: asked of Slack through the workspace's bot,
or what is known already when the workspace has no bot any more."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.governance.zones import zone
from bot.slack.directory import Directory

# The Web API client of a workspace's bot, or None when it has none (uninstalled); the
# scheduler has no request to read an Enterprise Grid org from.
Clients = Callable[[str], WebClient | None]


def timezone_of(
    directory: Directory, clients: Clients, team_id: str, user_id: str, now: datetime
) -> ZoneInfo:
    """Never fails for Slack's sake: an answer Slack cannot give falls back to the last one."""
    client = clients(team_id)
    if client is None:
        known = directory.cached(team_id, user_id)
        return known.timezone if known is not None else zone(None)
    return directory.person(client, team_id, user_id, now).timezone
