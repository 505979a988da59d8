"""Approve / Reject, on the DM asking a second person about a go taken over open gaps."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.services import pilots
from bot.services.commands import ReviewDecision
from bot.slack.deps import Deps
from bot.slack.home import refresh_homes
from bot.slack.identity import Requester, ask_who
from bot.slack.ids import Action
from bot.slack.metadata import OverrideRef, pilot_key
from storage.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners


def register(listeners: Listeners, deps: Deps) -> None:
    def review(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
        respond: Respond, context: BoltContext,
    ) -> None:  # fmt: skip
        ack()
        ref = OverrideRef.load(action.get("value"))
        approve = action.get("action_id") == Action.APPROVE_OVERRIDE
        requester = Requester.of(context)

        def answer() -> None:
            now = deps.clock()
            who = ask_who(deps.directory, client, requester, now)
            command = ReviewDecision(pilot_key(ref.key), approve, ref.decided_at)
            with UnitOfWork(deps.sessions, actor=requester.user_id) as uow:
                report = pilots.handle(uow, who.actor, command, now)
            if approve:
                text = f"You approved the go on {report.key}: it is approved for production."
            else:
                text = f"You rejected the go on {report.key}: it stays {report.stage.value}."
            respond(text=text, replace_original=True)
            refresh_homes(deps, client, report, also=requester.user_id)

        deps.work.submit(answer, body=body, client=client, respond=respond)

    for action_id in (Action.APPROVE_OVERRIDE, Action.REJECT_OVERRIDE):
        listeners.action(action_id.value)(review)
