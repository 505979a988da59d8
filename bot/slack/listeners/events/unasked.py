"""Events pilotgate did not ask for are acknowledged, never refused.

Slack sends some without any subscription (`app_rate_limited`), and may send an event type
no listener here handles. Bolt would answer those 404, and Slack may turn off event delivery
for an app that fails more than 5% of deliveries; so each is answered 200 and noted at info.
Registered after every other listener: Bolt runs the first listener that matches, so this one
only gets the events nobody else takes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING
from typing import Any

from slack_bolt import BoltResponse

from bot.slack.deps import Deps

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners

log = logging.getLogger(__name__)
# Top-level notices of the Events API that are not events, so no event listener can match them.
NOTICES = frozenset({"app_rate_limited"})


def register(listeners: Listeners, _deps: Deps) -> None:
    @listeners.middleware
    def acknowledge_notices(
        body: dict[str, Any],
        next: Callable[[], BoltResponse],  # Bolt passes arguments by these names
    ) -> BoltResponse:
        if body.get("type") not in NOTICES:
            return next()
        log.info("Slack notice %s for %s acknowledged", body["type"], body.get("team_id"))
        return BoltResponse(status=200, body="")

    @listeners.event(re.compile(".*"))
    def acknowledge_unasked(event: dict[str, Any], body: dict[str, Any]) -> None:
        log.info(
            "event %s for %s acknowledged; pilotgate does not act on it",
            event.get("type"), body.get("team_id"),
        )  # fmt: skip
