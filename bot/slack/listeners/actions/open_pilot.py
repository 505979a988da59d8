"""Open, from the App Home: the pilot's status card in a modal."""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any

from slack_bolt import Ack
from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.governance.zones import zone
from bot.slack.blocks.status_card import status_modal
from bot.slack.deps import Deps
from bot.slack.identity import Requester
from bot.slack.ids import Action
from bot.slack.metadata import PilotRef
from bot.slack.views import open_view
from bot.slack.views import report_for_modal

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners


def register(listeners: Listeners, deps: Deps) -> None:
    @listeners.action(Action.OPEN_PILOT.value)
    def open_pilot(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
        context: BoltContext,
    ) -> None:  # fmt: skip
        ack()
        ref = PilotRef.load(action.get("value"))
        requester = Requester.of(context)
        now = deps.clock()
        # No users.info here: the trigger_id lasts three seconds. A zone not known yet
        # only shows dates in UTC.
        known = deps.directory.cached(requester.team_id, requester.user_id)
        tz = known.timezone if known else zone(None)
        report = report_for_modal(deps, requester, ref.pilot, now)
        open_view(client, body, status_modal(report, now, tz, requester.user_id, complete=True))
