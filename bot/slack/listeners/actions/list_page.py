"""Next page / Previous page of `/pilot list`, replacing the list in place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.services import pilots
from bot.slack.blocks.pilot_list import pilot_list
from bot.slack.deps import Deps
from bot.slack.ids import Action
from bot.slack.intake import Job
from bot.slack.intake import Outcome
from bot.slack.metadata import ListPage
from storage.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from bot.slack.listeners import Listeners


def register(listeners: Listeners, deps: Deps) -> None:
    def turn_page(job: Job) -> Outcome:
        page = ListPage.load(job.action().get("value")).page
        with UnitOfWork(deps.sessions) as uow:
            reports = pilots.list_reports(uow, job.requester.actor, deps.clock())
        return Outcome(
            lambda: job.respond(
                blocks=pilot_list(reports, page=page),
                text=f"{len(reports)} pilots",
                replace_original=True,
                response_type="ephemeral",
            )
        )

    listeners.stored_actions(deps.intake, (Action.LIST_PAGE,), turn_page)
