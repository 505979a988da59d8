"""Approve / Reject, on the DM asking a second person about a go taken over open gaps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.services import pilots
from bot.services.commands import ReviewDecision
from bot.slack.deps import Deps
from bot.slack.home import refresh_homes
from bot.slack.identity import ask_who
from bot.slack.ids import Action
from bot.slack.intake import Job
from bot.slack.intake import Outcome
from bot.slack.metadata import OverrideRef
from bot.slack.metadata import pilot_key
from storage.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners

BUTTONS = (Action.APPROVE_OVERRIDE, Action.REJECT_OVERRIDE)


def register(listeners: Listeners, deps: Deps) -> None:
    def review(job: Job) -> Outcome:
        action = job.action()
        ref = OverrideRef.load(action.get("value"))
        approve = action.get("action_id") == Action.APPROVE_OVERRIDE
        now = deps.clock()
        who = ask_who(deps.directory, job.client, job.requester, now)
        command = ReviewDecision(pilot_key(ref.key), approve, ref.decided_at)
        with UnitOfWork(deps.sessions, actor=job.requester.user_id) as uow:
            report = pilots.handle(uow, who.actor, command, now)
        if approve:
            text = f"You approved the go on {report.key}: it is approved for production."
        else:
            text = f"You rejected the go on {report.key}: it stays {report.stage.value}."
        return Outcome(
            lambda: job.respond(text=text, replace_original=True),
            then=lambda: refresh_homes(deps, job.client, report, also=job.requester.user_id),
        )

    listeners.stored_actions(deps.intake, BUTTONS, review)
