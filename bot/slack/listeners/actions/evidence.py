"""Chart and History, on the status card: the evidence behind a pilot, shown to the person
who asked (stored with the ack, drawn by a worker)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.services.chart_data import chart_data
from bot.services.history import history
from bot.slack.blocks.history import history_reply
from bot.slack.charts import chart_reply
from bot.slack.deps import Deps
from bot.slack.identity import ask_who
from bot.slack.ids import Action
from bot.slack.intake import Job
from bot.slack.intake import Outcome
from bot.slack.metadata import PilotRef
from storage.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners

BUTTONS = (Action.CHART, Action.HISTORY)


def register(listeners: Listeners, deps: Deps) -> None:
    def show(job: Job) -> Outcome:
        action = job.action()
        key = PilotRef.load(action.get("value")).pilot
        wants_chart = action.get("action_id") == Action.CHART
        now = deps.clock()
        who = ask_who(deps.directory, job.client, job.requester, now)
        with UnitOfWork(deps.sessions) as uow:
            if wants_chart:
                data = chart_data(uow, who.actor, key, now)
            else:
                page = history(uow, who.actor, key)
        # Read-only: a request taken over after a crash draws it again, changing nothing.
        reply = chart_reply(job.client, data) if wants_chart else history_reply(page, who.timezone)
        return Outcome(
            lambda: job.respond(response_type="ephemeral", replace_original=False, **reply)
        )

    listeners.stored_actions(deps.intake, BUTTONS, show)
