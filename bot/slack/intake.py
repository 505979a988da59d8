"""The durable intake: what Slack was told was received is in the database before the ack.

A listener reads the request (parse, check the form), then `accept` writes it as one row,
one INSERT that commits itself, and only then acks. A worker (bot/slack/workers.py) takes
the row from the database and carries it out with the handler registered here for its kind
and name: the command, the button's action id, the form's callback id, the event type. So
a process killed right after an ack loses nothing, and a request Slack delivers twice (a
replay, a retry, a double click: the same trigger_id or event id) is carried out once.

When the database cannot take the row, nothing is acked as received: the error reaches the
boundary before the ack, which says so in the ack itself (bot/slack/errors.py).

Buttons that only open a form (Record a reading, Decide, Open, Complete the pilot, and
`/pilot new` without a name) are not stored: their trigger_id lasts three seconds, so they
open it before answering Slack (process_before_response), change nothing, and a request
whose process dies first was never acknowledged.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_bolt import Ack
from slack_bolt import BoltContext
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from bot.errors import InvalidInput
from bot.slack.identity import Requester
from storage import intake as store
from storage.intake import Kind

log = logging.getLogger(__name__)
# Past this many requests waiting, a command is refused in its ack (nothing changed) rather
# than answered minutes late.
MAX_WAITING = 1000
BUSY = "pilotgate is busy right now; nothing was changed. Try again in a minute."


@dataclass(frozen=True)
class Job:
    """A stored request, handed back to the handler that carries it out."""

    payload: dict[str, Any]
    requester: Requester
    client: WebClient
    response_url: str | None
    received_at: datetime

    def respond(self, **message: Any) -> None:
        """Answers where the person asked (the request's response_url)."""
        if self.response_url:
            Respond(response_url=self.response_url)(**message)

    def action(self) -> dict[str, Any]:
        """The button of a block action."""
        actions = self.payload.get("actions") or [{}]
        first: dict[str, Any] = actions[0]
        return first


@dataclass(frozen=True)
class Outcome:
    """What a handler leaves once its change is committed: the reply to the person, then
    whatever may follow it (App Homes to refresh). A worker records the reply as given
    before it starts the rest, so a crash after it does not answer twice."""

    reply: Callable[[], None] | None = None
    then: Callable[[], None] | None = None


Handler = Callable[[Job], Outcome]


def route(kind: Kind, payload: dict[str, Any]) -> str:
    """The name a handler is registered under, read from the stored payload."""
    if kind is Kind.COMMAND:
        return str(payload.get("command") or "")
    if kind is Kind.ACTION:
        return str((payload.get("actions") or [{}])[0].get("action_id") or "")
    if kind is Kind.VIEW_SUBMISSION:
        return str((payload.get("view") or {}).get("callback_id") or "")
    return str((payload.get("event") or {}).get("type") or "")


def dedupe_key(kind: Kind, payload: dict[str, Any]) -> str:
    """What a second delivery of the same request shares with the first."""
    given = payload.get("event_id") if kind is Kind.EVENT else payload.get("trigger_id")
    if isinstance(given, str) and given:
        return f"{kind.value}:{given}"[:128]
    # Without a trigger_id only a byte-identical replay is recognised.
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return f"{kind.value}:sha256:{hashlib.sha256(canonical.encode()).hexdigest()}"


class Intake:
    """Writes requests before their ack, says whether there is room for more, wakes the
    workers, and holds the table from (kind, name) to the handler that carries it out."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Callable[[], datetime],
        *,
        max_waiting: int = MAX_WAITING,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._max_waiting = max_waiting
        self._handlers: dict[tuple[Kind, str], Handler] = {}
        self._arrived = threading.Condition()
        self._arrivals = 0
        # Requests waiting as last counted in the database, plus those stored here since.
        self._counted = 0
        self._stored_since_count = 0

    def handles(self, kind: Kind, name: str) -> Callable[[Handler], Handler]:
        def add(handler: Handler) -> Handler:
            self._handlers[(kind, name)] = handler
            return handler

        return add

    def handler_for(self, kind: Kind, payload: dict[str, Any]) -> Handler | None:
        return self._handlers.get((kind, route(kind, payload)))

    def accept(self, ack: Ack, kind: Kind, body: dict[str, Any], context: BoltContext) -> None:
        """Stores the request, then acks it. A request already stored is acked and left to
        the worker that has it: carried out once."""
        try:
            requester = Requester.of(context)
        except InvalidInput:
            ack()  # nothing to store; the boundary tells the person why
            raise
        new = self.store(kind, body, requester, wake=False)
        ack()
        if new:
            self.wake()  # after the ack: a worker starting on it must not hold the ack up

    def store(
        self, kind: Kind, body: dict[str, Any], requester: Requester, *, wake: bool = True
    ) -> bool:
        """One short transaction; True when the request is new (a worker is woken for it
        unless `wake` is False). Database errors propagate: the caller has not acked, and the
        boundary tells the person nothing was changed."""
        response_url = body.get("response_url")
        new = store.NewRequest(
            team_id=requester.team_id,
            user_id=requester.user_id,
            kind=kind,
            dedupe_key=dedupe_key(kind, body),
            # Slack's legacy verification token is no part of the request: not kept.
            payload={key: value for key, value in body.items() if key != "token"},
            response_url=response_url if isinstance(response_url, str) else None,
            received_at=self._clock(),
        )
        stored = store.record_autocommitted(self._sessions, new)
        if stored is None:
            log.info("a %s delivered again was acknowledged and left alone", kind.value)
            return False
        with self._arrived:
            self._stored_since_count += 1
        if wake:
            self.wake()
        return True

    def wake(self) -> None:
        """Wakes one idle worker: a request arrived."""
        with self._arrived:
            self._arrivals += 1
            self._arrived.notify()

    def has_room(self) -> bool:
        return self.waiting() < self._max_waiting

    def waiting(self) -> int:
        """Requests received and not yet finished, by every process sharing the database (as
        last counted), plus those this process stored since: the work waiting."""
        with self._arrived:
            return self._counted + self._stored_since_count

    def counted(self, waiting: int) -> None:
        """The workers' periodic count of what waits in the database."""
        with self._arrived:
            self._counted = waiting
            self._stored_since_count = 0

    def arrivals(self) -> int:
        with self._arrived:
            return self._arrivals

    def wait_for_arrival(self, seen: int, timeout: float) -> None:
        """Until a request arrives after `seen` (from `arrivals`), a wake, or the timeout."""
        with self._arrived:
            self._arrived.wait_for(lambda: self._arrivals != seen, timeout)

    def wake_all(self) -> None:
        with self._arrived:
            self._arrivals += 1
            self._arrived.notify_all()
