"""How the scheduler reaches people: a Slack transport, and the two kinds of failure.

Transient failures (rate limits, 5xx, timeouts that slack_sdk's retry handlers could not ride
out) leave the message pending for a later pass; permanent ones (no such user, archived
channel, bot not in the channel) are recorded and never retried.
"""

from __future__ import annotations

import logging
import urllib.error
from typing import Any, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.slack.directory import ask_slack

log = logging.getLogger(__name__)
MARKER_EVENT = "pilotgate_outbox"
TRANSIENT_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable"}
)


class DeliveryError(Exception):
    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


class TransientError(DeliveryError):
    """Try again later."""


class UncertainError(TransientError):
    """The request may have reached Slack (it timed out): look before posting again."""


class PermanentError(DeliveryError):
    """Never going to work as it stands; tell a person instead."""


class Transport(Protocol):
    def post(
        self, channel: str, message: dict[str, Any], thread_ts: str | None, marker: str
    ) -> str:
        """Posts, tagged with `marker`, and returns the message's ts; raises TransientError
        (UncertainError when it may have arrived) or PermanentError."""
        ...

    def find(self, channel: str, marker: str, thread_ts: str | None) -> str | None:
        """The ts of a message posted earlier with `marker`, or None."""
        ...

    def person(self, user_id: str) -> tuple[bool, str | None] | None:
        """(is_admin, time zone) as Slack says, or None when it cannot say right now."""
        ...


class SlackTransport:
    def __init__(self, client: WebClient) -> None:
        self._client = client

    def post(
        self, channel: str, message: dict[str, Any], thread_ts: str | None, marker: str
    ) -> str:
        # Slack has no idempotency key for chat.postMessage; message metadata carries our
        # outbox id instead, so a post whose answer was lost can be found and not repeated.
        metadata = {"event_type": MARKER_EVENT, "event_payload": {"id": marker}}
        try:
            response = self._client.chat_postMessage(
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

    def find(self, channel: str, marker: str, thread_ts: str | None) -> str | None:
        try:
            target = channel
            if channel[:1] in ("U", "W"):
                target = self._client.conversations_open(users=channel)["channel"]["id"]
            if thread_ts:
                answer = self._client.conversations_replies(
                    channel=target, ts=thread_ts, include_all_metadata=True, limit=200
                )
            else:
                answer = self._client.conversations_history(
                    channel=target, include_all_metadata=True, limit=200
                )
        except (SlackApiError, SlackRequestError, urllib.error.URLError, TimeoutError) as error:
            # Not knowing means posting again: a repeat is better than a loss.
            log.warning("could not look for an earlier post in %s: %s", channel, error)
            return None
        messages: list[dict[str, Any]] = answer.get("messages") or []
        for found in messages:
            payload = (found.get("metadata") or {}).get("event_payload") or {}
            if payload.get("id") == marker:
                return str(found["ts"])
        return None

    def person(self, user_id: str) -> tuple[bool, str | None] | None:
        try:
            return ask_slack(self._client, user_id)
        except (SlackRequestError, urllib.error.URLError, TimeoutError):
            return None


def classify(error: SlackApiError) -> DeliveryError:
    status = error.response.status_code
    code = str(error.response.get("error") or f"http_{status}")
    if status == 429 or status >= 500 or code in TRANSIENT_ERRORS:
        return TransientError(code)
    # Everything else will not change by asking again: user_not_found, is_archived,
    # not_in_channel, channel_not_found, invalid_auth, token_revoked, invalid_blocks, ...
    return PermanentError(code)
