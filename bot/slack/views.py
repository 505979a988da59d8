"""Opening a modal from wherever the click came: a message, the App Home, or another modal."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk import WebClient

from bot.services import pilots
from bot.services.commands import PilotKey
from bot.services.pilots import PilotReport
from bot.slack.deps import Deps
from bot.slack.identity import Requester
from storage.unit_of_work import UnitOfWork


def report_for_modal(deps: Deps, requester: Requester, key: PilotKey, now: datetime) -> PilotReport:
    """The pilot a modal shows, read before the trigger_id's three seconds run out."""
    with UnitOfWork(deps.sessions) as uow:
        return pilots.pilot_report(uow, requester.actor, key, now)


def open_view(client: WebClient, body: dict[str, Any], view: dict[str, Any]) -> None:
    if (body.get("view") or {}).get("type") == "modal":
        # Inside a modal Slack allows a stacked view, not a second one.
        client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)
