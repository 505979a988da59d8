"""Chart and History, on the status card: the evidence behind a pilot, shown to the person
who asked (drawn after the ack, on the work pool)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.services.chart_data import chart_data
from bot.services.history import history
from bot.slack.blocks.history import history_reply
from bot.slack.charts import chart_reply
from bot.slack.deps import Deps
from bot.slack.identity import Requester, ask_who
from bot.slack.ids import Action
from bot.slack.metadata import PilotRef
from storage.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners


def register(listeners: Listeners, deps: Deps) -> None:
    def show(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
        respond: Respond, context: BoltContext,
    ) -> None:  # fmt: skip
        ack()
        key = PilotRef.load(action.get("value")).pilot
        requester = Requester.of(context)
        wants_chart = action.get("action_id") == Action.CHART

        def answer() -> None:
            now = deps.clock()
            who = ask_who(deps.directory, client, requester, now)
            with UnitOfWork(deps.sessions) as uow:
                if wants_chart:
                    data = chart_data(uow, who.actor, key, now)
                else:
                    page = history(uow, who.actor, key)
            reply = chart_reply(client, data) if wants_chart else history_reply(page, who.timezone)
            respond(response_type="ephemeral", replace_original=False, **reply)

        deps.work.submit(answer, body=body, client=client, respond=respond)

    for action_id in (Action.CHART, Action.HISTORY):
        listeners.action(action_id.value)(show)
