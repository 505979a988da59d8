"""Snooze 1 day / Snooze 1 week, on an owner's nudge."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.services.reminders import snooze
from bot.slack.deps import Deps
from bot.slack.identity import ask_who
from bot.slack.ids import Action
from bot.slack.intake import Job
from bot.slack.intake import Outcome
from bot.slack.metadata import SnoozeRef
from storage.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners

BUTTONS = (Action.SNOOZE_DAY, Action.SNOOZE_WEEK)


def register(listeners: Listeners, deps: Deps) -> None:
    def snooze_nudges(job: Job) -> Outcome:
        ref = SnoozeRef.load(job.action().get("value"))
        now = deps.clock()
        who = ask_who(deps.directory, job.client, job.requester, now)
        with UnitOfWork(deps.sessions, actor=job.requester.user_id) as uow:
            until = snooze(uow, who.actor, ref.pilot, ref.days, now)
        return Outcome(
            lambda: job.respond(
                text=f"Snoozed: no nudges about {ref.key} until "
                f"{until.astimezone(who.timezone):%a %d %b %H:%M}.",
                response_type="ephemeral",
                replace_original=False,
            )
        )

    listeners.stored_actions(deps.intake, BUTTONS, snooze_nudges)
