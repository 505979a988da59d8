"""Showing a result where the person acted: through a response_url when Slack gave one
(in place of the card they clicked), otherwise in their DM with the app."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.services.pilots import PilotReport
from bot.slack.blocks.status_card import status_reply
from bot.slack.deps import Deps

log = logging.getLogger(__name__)


def deliver(
    client: WebClient,
    user_id: str,
    reply: dict[str, Any],
    *,
    response_url: str | None,
    replace: bool = False,
) -> None:
    if response_url:
        answer = WebhookClient(response_url, timeout=10).send(
            response_type="ephemeral", replace_original=replace, **reply
        )
        if answer.status_code == 200:
            return
        # An expired response_url (30 minutes, five uses) falls back to the DM.
        log.info("response_url answered %s; replying by DM instead", answer.status_code)
    client.chat_postMessage(channel=user_id, **reply)


def show_change(
    deps: Deps,
    client: WebClient,
    user_id: str,
    tz: ZoneInfo,
    report: PilotReport,
    *,
    response_url: str | None,
    replace: bool,
    lead: str = "",
) -> None:
    """After a change from a form: the new status card where the person acted. (The App
    Homes of everyone the pilot concerns are refreshed after it: home.refresh_homes.)"""
    reply = status_reply(report, deps.clock(), tz, user_id, lead, complete=True)
    if response_url and urlsplit(response_url).netloc not in deps.reply_hosts:
        log.warning("ignoring a response_url on %s", urlsplit(response_url).netloc)
        response_url = None
    deliver(client, user_id, reply, response_url=response_url, replace=replace)
