"""Snooze 1 day / Snooze 1 week, on an owner's nudge."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.services.reminders import snooze
from bot.slack.deps import Deps
from bot.slack.identity import Requester, ask_who
from bot.slack.ids import Action
from bot.slack.metadata import SnoozeRef
from storage.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners


def register(listeners: Listeners, deps: Deps) -> None:
    def snooze_nudges(
        ack: Ack, action: dict[str, Any], client: WebClient, respond: Respond,
        context: BoltContext,
    ) -> None:  # fmt: skip
        ack()
        ref = SnoozeRef.load(action.get("value"))
        requester = Requester.of(context)
        now = deps.clock()
        who = ask_who(deps.directory, client, requester, now)
        with UnitOfWork(deps.sessions, actor=requester.user_id) as uow:
            until = snooze(uow, who.actor, ref.pilot, ref.days, now)
        respond(
            text=f"Snoozed: no nudges about {ref.key} until "
            f"{until.astimezone(who.timezone):%a %d %b %H:%M}.",
            response_type="ephemeral",
            replace_original=False,
        )

    for action_id in (Action.SNOOZE_DAY, Action.SNOOZE_WEEK):
        listeners.action(action_id.value)(snooze_nudges)
