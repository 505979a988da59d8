"""How the scheduler reaches people: a Slack transport, and the two kinds of failure.

Transient failures (rate limits, 5xx, timeouts that slack_sdk's retry handlers could not ride
out) leave the message pending for a later pass; permanent ones (no such user, archived
channel, bot not in the channel) are recorded and never retried.
"""

from __future__ import annotations

import logging
import urllib.error
from collections.abc import Callable
from typing import Any, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import DeliveryError, PermanentError, TransientError, UncertainError
from bot.settings import Settings
from bot.slack.client import web_client
from bot.slack.installations import token_finder

log = logging.getLogger(__name__)
MARKER_EVENT = "pilotgate_outbox"
TRANSIENT_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable"}
)


class Transport(Protocol):
    def post(
        self, team_id: str, channel: str, message: dict[str, Any], thread_ts: str | None,
        marker: str,
    ) -> str:  # fmt: skip
        """Posts, tagged with `marker`, and returns the message's ts; raises TransientError
        (UncertainError when it may have arrived) or PermanentError."""
        ...

    def find(self, team_id: str, channel: str, marker: str, thread_ts: str | None) -> str | None:
        """The ts of a message posted earlier with `marker`, or None."""
        ...

    def client(self, team_id: str) -> WebClient | None:
        """The Web API client of the workspace's bot; None when it has none (uninstalled)."""
        ...


class SlackTransport:
    """Posts through the Web API as each workspace's bot: one token for a single-workspace
    app, or the token of that workspace's OAuth install."""

    def __init__(self, clients: WebClient | Callable[[str], WebClient | None]) -> None:
        self._clients = clients

    def client(self, team_id: str) -> WebClient | None:
        if isinstance(self._clients, WebClient):
            return self._clients
        return self._clients(team_id)

    def _client(self, team_id: str) -> WebClient:
        client = self.client(team_id)
        if client is None:
            raise PermanentError("no_installation")
        return client

    def post(
        self, team_id: str, channel: str, message: dict[str, Any], thread_ts: str | None,
        marker: str,
    ) -> str:  # fmt: skip
        # Slack has no idempotency key for chat.postMessage; message metadata carries our
        # outbox id instead, so a post whose answer was lost can be found and not repeated.
        metadata = {"event_type": MARKER_EVENT, "event_payload": {"id": marker}}
        try:
            response = self._client(team_id).chat_postMessage(
                channel=channel, thread_ts=thread_ts, metadata=metadata, **message
            )
        except SlackApiError as error:
            raise classify(error) from error
        except TimeoutError as error:
            raise UncertainError("timeout") from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise UncertainError("timeout") from error
            raise TransientError(f"connection: {error.reason}") from error
        except SlackRequestError as error:
            raise TransientError(f"connection: {error}") from error
        return str(response["ts"])

    def find(self, team_id: str, channel: str, marker: str, thread_ts: str | None) -> str | None:
        try:
            client = self._client(team_id)
            target = channel
            if channel[:1] in ("U", "W"):
                target = client.conversations_open(users=channel)["channel"]["id"]
            if thread_ts:
                answer = client.conversations_replies(
                    channel=target, ts=thread_ts, include_all_metadata=True, limit=200
                )
            else:
                answer = client.conversations_history(
                    channel=target, include_all_metadata=True, limit=200
                )
        except (
            SlackApiError, SlackRequestError, PermanentError, urllib.error.URLError, TimeoutError,
        ) as error:  # fmt: skip
            # Not knowing means posting again: a repeat is better than a loss.
            log.warning("could not look for an earlier post in %s: %s", channel, error)
            return None
        messages: list[dict[str, Any]] = answer.get("messages") or []
        for found in messages:
            payload = (found.get("metadata") or {}).get("event_payload") or {}
            if payload.get("id") == marker:
                return str(found["ts"])
        return None


def classify(error: SlackApiError) -> DeliveryError:
    status = error.response.status_code
    code = str(error.response.get("error") or f"http_{status}")
    if status == 429 or status >= 500 or code in TRANSIENT_ERRORS:
        return TransientError(code)
    # Everything else will not change by asking again: user_not_found, is_archived,
    # not_in_channel, channel_not_found, invalid_auth, token_revoked, invalid_blocks, ...
    return PermanentError(code)


def transport_for(settings: Settings, sessions: sessionmaker[Session]) -> SlackTransport:
    """One bot token, or each workspace's own from its OAuth install."""
    if not settings.oauth:
        return SlackTransport(web_client(settings))
    token_for = token_finder(sessions)
    clients: dict[str, WebClient] = {}

    def client_for(team_id: str) -> WebClient | None:
        token = token_for(team_id)
        if token is None:
            return None
        if clients.get(team_id) is None or clients[team_id].token != token:
            clients[team_id] = web_client(settings, token=token)
        return clients[team_id]

    return SlackTransport(client_for)
