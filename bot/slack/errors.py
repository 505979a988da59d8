"""The one error boundary of the Slack app.

Every listener is wrapped by `boundary`: a UserError raised after ack() becomes one ephemeral
line for the person who caused it; anything else is logged with a short id, and the person
gets that id so an admin can find the log line. (Letting the exception escape to Bolt would
also lose the ack when the failure comes quickly: Bolt then answers Slack with a 404.)
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.errors import NotFound, UserError

log = logging.getLogger(__name__)
Listener = TypeVar("Listener", bound=Callable[..., None])


def boundary(listener: Listener) -> Listener:
    """Wraps a listener; Bolt still sees the listener's own arguments (it unwraps)."""

    @functools.wraps(listener)
    def guarded(**kwargs: Any) -> None:
        try:
            listener(**kwargs)
        except Exception as error:  # the boundary: every failure is told, none escapes
            body = kwargs.get("body") or {}
            handle_error(error, body, kwargs.get("client"), kwargs.get("respond") or _respond(body))

    return guarded  # type: ignore[return-value]


def _respond(body: dict[str, Any]) -> Respond | None:
    """Where the person acted, when the listener did not ask Bolt for it."""
    url = body.get("response_url") if isinstance(body, dict) else None
    return Respond(response_url=url) if isinstance(url, str) and url else None


def handle_error(
    error: Exception,
    body: dict[str, Any],
    client: WebClient | None = None,
    respond: Respond | None = None,
) -> None:
    if isinstance(error, NotFound):
        text = f"{error.message.rstrip('.')}; `/pilot list` shows them all."
    elif isinstance(error, UserError):
        text = error.message
    else:
        incident = uuid.uuid4().hex[:8]
        log.error("unexpected error %s", incident, exc_info=error)
        text = (
            f"Something went wrong on our side (error id {incident}). Check with "
            "`/pilot status <key>` or `/pilot list` before trying again."
        )
    tell(client, body, text, respond)


def tell(
    client: WebClient | None, body: dict[str, Any], text: str, respond: Respond | None
) -> None:
    """Tells the person who acted: in place when Slack gave a response_url, else by DM."""
    try:
        if respond is not None and respond.response_url:
            respond(text=text, response_type="ephemeral", replace_original=False)
            return
        user = body.get("user_id") or (body.get("user") or {}).get("id")
        if user and client is not None:
            client.chat_postMessage(channel=user, text=text)
    except Exception:  # telling is best effort; the failure itself is in the log already
        log.warning("could not tell the person about an error", exc_info=True)
