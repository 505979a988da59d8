"""Publishing the App Home: on app_home_opened, and whenever one of a person's pilots changes."""

from __future__ import annotations

import logging

from slack_sdk import WebClient

from bot.governance.attention import needs_from
from bot.governance.attention import roles_of
from bot.services import pilots
from bot.slack.blocks.home import HomeItem
from bot.slack.blocks.home import home_view
from bot.slack.blocks.programme import programme_home
from bot.slack.deps import Deps
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


def publish_home(deps: Deps, client: WebClient, team_id: str, user_id: str) -> None:
    now = deps.clock()
    person = deps.directory.person(client, team_id, user_id, now)
    tz = person.timezone
    with UnitOfWork(deps.sessions) as uow:
        reports = pilots.reports_involving(uow, team_id, user_id, now)
        # The programme office (workspace admins) sees the whole portfolio first.
        portfolio = pilots.team_reports(uow, team_id, now) if person.is_admin else None
    items = [
        HomeItem(
            report=report,
            roles=roles_of(report.facts, user_id),
            needs=needs_from(report.facts, report.assessment, user_id),
        )
        for report in reports
    ]
    if portfolio is not None:
        view = programme_home(user_id, portfolio, items, now, tz, complete=True)
    else:
        view = home_view(user_id, items, now, tz, complete=True)
    client.views_publish(user_id=user_id, view=view)


def refresh_homes(
    deps: Deps, client: WebClient, report: pilots.PilotReport, also: str | None = None
) -> None:
    """Re-publishes the Home of everyone the changed pilot concerns. A failure here is logged,
    never shown: the change itself has been made."""
    facts = report.facts
    people = {facts.owner, facts.sponsor, also}
    for area in facts.raci.values():
        for holders in area.values():
            people.update(holders)
    for user_id in sorted(person for person in people if person):
        try:
            publish_home(deps, client, report.team_id, user_id)
        except Exception:  # the change is made and told; a stale Home is refreshed when opened
            log.warning("refreshing the App Home of %s failed", user_id, exc_info=True)
