"""How the scheduler reaches people: a Slack transport, and what its failures mean.

Transient failures (rate limits, 5xx, connections that slack_sdk's retry handlers could not
ride out) leave the message pending for a later pass; uncertain ones (the answer was lost) do
too, and the next pass looks for the post before posting again; permanent ones (no such user,
archived channel, bot not in the channel) are recorded and never retried.
"""

from __future__ import annotations

import logging
import urllib.error
from collections.abc import Callable
from typing import Any
from typing import Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.errors import SlackRequestError
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from bot.errors import PermanentError
from bot.errors import TransientError
from bot.errors import UncertainError
from bot.settings import Settings
from bot.slack.client import SLACK_FAILURES
from bot.slack.client import retry_after
from bot.slack.client import web_client
from bot.slack.installations import clients_for

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
        """The ts of a message posted earlier with `marker`, or None when there is none (or
        there is no way ever to tell); raises UncertainError when it cannot look right now."""
        ...

    def client(self, team_id: str) -> WebClient | None:
        """The Web API client of the workspace's bot; None when it has none (uninstalled)."""
        ...

    def upload(self, team_id: str, png: bytes, filename: str, title: str) -> str:
        """Uploads a picture through Slack's external upload flow, private to the app until a
        block shows it, and returns its file id; raises as `post` does."""
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

    def post(
        self, team_id: str, channel: str, message: dict[str, Any], thread_ts: str | None,
        marker: str,
    ) -> str:  # fmt: skip
        client = self.client(team_id)
        if client is None:
            raise PermanentError("no_installation")
        # Slack has no idempotency key for chat.postMessage; message metadata carries our
        # outbox id instead, so a post whose answer was lost can be found and not repeated.
        metadata = {"event_type": MARKER_EVENT, "event_payload": {"id": marker}}
        try:
            response = client.chat_postMessage(
                channel=channel, thread_ts=thread_ts, metadata=metadata, **message
            )
        except SLACK_FAILURES as error:
            raise failure(error) from error
        return str(response["ts"])

    def upload(self, team_id: str, png: bytes, filename: str, title: str) -> str:
        client = self.client(team_id)
        if client is None:
            raise PermanentError("no_installation")
        try:
            answer = client.files_upload_v2(
                content=png, filename=filename, title=title, request_file_info=False
            )
        except SLACK_FAILURES as error:
            raise failure(error) from error
        file = answer.get("file") or (answer.get("files") or [{}])[0]
        if not file.get("id"):
            raise PermanentError("no_file_id")
        return str(file["id"])

    def find(self, team_id: str, channel: str, marker: str, thread_ts: str | None) -> str | None:
        client = self.client(team_id)
        if client is None:
            return None
        try:
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
        except SLACK_FAILURES as error:
            cause = failure(error)
            if isinstance(cause, PermanentError):
                # No way ever to look (a scope removed, say): a repeat is better than a loss.
                log.warning("cannot look for an earlier post in %s: %s", channel, cause.error)
                return None
            # Posting now might post twice; look again on a later pass.
            raise UncertainError(f"could not look: {cause.error}", cause.retry_after) from error
        messages: list[dict[str, Any]] = answer.get("messages") or []
        for found in messages:
            payload = (found.get("metadata") or {}).get("event_payload") or {}
            if payload.get("id") == marker:
                return str(found["ts"])
        return None


def failure(error: Exception) -> TransientError | PermanentError:
    """What a failed Web API call means for the message it carried."""
    if isinstance(error, SlackApiError):
        return classify(error)
    if isinstance(error, SlackRequestError):
        return TransientError(f"request: {error}"[:200])  # refused before it was sent
    if isinstance(error, urllib.error.URLError):
        if isinstance(error.reason, TimeoutError):
            return UncertainError("timeout")
        # It could not be sent (refused, no route, no name): Slack never saw it.
        return TransientError(f"connection: {error.reason}")
    if isinstance(error, TimeoutError):
        return UncertainError("timeout")
    # It went out and no answer came back (cut, reset, garbled): it may have arrived.
    return UncertainError(f"no answer: {error!r}"[:200])


def classify(error: SlackApiError) -> TransientError | PermanentError:
    status = error.response.status_code
    code = str(error.response.get("error") or f"http_{status}")
    if status == 429 or status >= 500 or code in TRANSIENT_ERRORS:
        return TransientError(code, retry_after(error.response.headers))
    # Everything else will not change by asking again: user_not_found, is_archived,
    # not_in_channel, channel_not_found, invalid_auth, token_revoked, invalid_blocks, ...
    return PermanentError(code)


def transport_for(settings: Settings, sessions: sessionmaker[Session]) -> SlackTransport:
    """One bot token, or each workspace's own from its OAuth install."""
    return SlackTransport(clients_for(settings, sessions, web_client(settings)))
