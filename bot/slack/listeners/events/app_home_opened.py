"""The App Home is drawn fresh each time a person opens it."""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any

from slack_bolt import BoltContext

from bot.slack.deps import Deps
from bot.slack.home import publish_home
from bot.slack.identity import Requester
from bot.slack.intake import Job
from bot.slack.intake import Outcome
from storage.intake import Kind

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners

EVENT = "app_home_opened"


def register(listeners: Listeners, deps: Deps) -> None:
    @listeners.event(EVENT)
    def app_home_opened(body: dict[str, Any], event: dict[str, Any], context: BoltContext) -> None:
        # Bolt acks an event before its listener runs; stored here, a retry of it (same
        # event id) is drawn once.
        if event.get("tab", "home") == "home":
            deps.intake.store(Kind.EVENT, body, Requester.of(context))

    @deps.intake.handles(Kind.EVENT, EVENT)
    def draw(job: Job) -> Outcome:
        publish_home(deps, job.client, job.requester.team_id, job.requester.user_id)
        return Outcome()
