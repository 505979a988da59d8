"""The one error boundary of the Slack app.

Every listener is wrapped by `boundary`: a UserError raised after ack() becomes one ephemeral
line for the person who caused it; anything else is logged with a short id, and the person
gets that id so an admin can find the log line. (Letting the exception escape to Bolt would
also lose the ack when the failure comes quickly: Bolt then answers Slack with a 404.)
A database that does not answer is not a bug to look up: the person is told so in one line,
and the log gets one line too, without a traceback.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable
from typing import Any
from typing import TypeVar

from slack_bolt.context.ack import Ack
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import InterfaceError
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot.errors import DatabaseUnavailable
from bot.errors import NotFound
from bot.errors import UserError
from bot.slack.blocks.common import live_people

log = logging.getLogger(__name__)
Listener = TypeVar("Listener", bound=Callable[..., None])


def boundary(listener: Listener) -> Listener:
    """Wraps a listener; Bolt still sees the listener's own arguments (it unwraps)."""

    @functools.wraps(listener)
    def guarded(**kwargs: Any) -> None:
        try:
            listener(**kwargs)
        except Exception as error:  # the boundary: every failure is told, none escapes
            if database_unavailable(error) and _told_in_ack(error, kwargs):
                return
            body = kwargs.get("body") or {}
            respond = kwargs.get("respond") or _respond(body)
            handle_error(error, body, kwargs.get("client"), respond)

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
    tell(client, body, error_line(error), respond)


def error_line(error: Exception) -> str:
    """The one line a person is told about `error` (an unexpected one is logged here)."""
    if database_unavailable(error):
        log.warning("the database did not answer: %s", _first_line(error))
        error = DatabaseUnavailable()
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
    return live_people(text)


def database_unavailable(error: BaseException) -> bool:
    """The database refused, dropped or timed out the connection (OperationalError,
    InterfaceError), no pooled connection came free in time, or the driver marked the
    connection lost. Looked for along the causes too, as a layer may wrap it."""
    current: BaseException | None = error
    for _ in range(5):
        if current is None:
            return False
        if isinstance(current, OperationalError | InterfaceError | PoolTimeout):
            return True
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        current = current.__cause__ or current.__context__
    return False


def _told_in_ack(error: Exception, kwargs: dict[str, Any]) -> bool:
    """When the database failed before the ack, a slash command is answered in the ack
    itself, and a form submission is refused under its first field: at once, and without a
    reply that could fail too. Anything else not yet acked is
    acked here (or Bolt would answer Slack 404 after three seconds) and then told as usual.
    True when the person has been told."""
    ack: Ack | None = kwargs.get("ack")
    if ack is None or ack.response is not None:
        return False
    field = _first_field(kwargs.get("body"))
    if kwargs.get("command") is None and field is None:
        ack()
        return False
    log.warning("the database did not answer: %s", _first_line(error))
    if field is not None:
        # A form stays open, the line under its first field: sent again later, it is kept.
        ack(response_action="errors", errors={field: DatabaseUnavailable().message})
    else:
        ack(response_type="ephemeral", text=DatabaseUnavailable().message)
    return True


def _first_field(body: Any) -> str | None:
    """The first input of a submitted form (None for anything but a form submission)."""
    if not isinstance(body, dict) or body.get("type") != "view_submission":
        return None
    values = ((body.get("view") or {}).get("state") or {}).get("values") or {}
    return next((str(block) for block in values), None)


def _first_line(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    return (str(original).strip().splitlines() or [type(original).__name__])[0]


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
