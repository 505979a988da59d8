"""Events API bookkeeping: Slack retries deliveries, and each event must count once.

An event's change and the record that its id was seen commit together: a process that dies
between them would otherwise drop Slack's retry of a change it never made.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from bot.slack.deps import Deps
from storage import installations
from storage import people
from storage import pilots
from storage.unit_of_work import UnitOfWork

Change = Callable[[UnitOfWork, datetime], None]


def once(deps: Deps, body: dict[str, Any], *changes: Change) -> None:
    """Makes an event's changes, unless its id was seen before, in one transaction."""
    event_once(deps.sessions, deps.clock(), body, *changes)


def event_once(
    sessions: sessionmaker[Session], now: datetime, body: dict[str, Any], *changes: Change
) -> None:
    event_id = body.get("event_id")
    with UnitOfWork(sessions, actor="slack") as uow:
        team_id = str(body.get("team_id", ""))
        if event_id and not people.first_delivery(uow.session, str(event_id), team_id, now):
            return
        for change in changes:
            change(uow, now)
        uow.commit()


def mark_workspace(team_id: str, field: str) -> Change:
    def change(uow: UnitOfWork, now: datetime) -> None:
        people.ensure_and_mark(uow.session, team_id, field, now)

    return change


def person_changed(team_id: str, user_id: str, *, deactivated: bool) -> Change:
    """Remembers whether the account is deactivated; the pilots they sponsor are looked at
    again at the next tick (their verdict may have changed)."""

    def change(uow: UnitOfWork, now: datetime) -> None:
        people.mark_deactivated(uow.session, team_id, user_id, deactivated, now)
        pilots.check_sponsored_by(uow.session, team_id, user_id, now)

    return change


def forget_installation(body: dict[str, Any]) -> Change:
    """After an uninstall or revocation the workspace's token is useless; drop it so the
    scheduler stops trying it (an OAuth install only; a single token stays in settings)."""
    enterprise_id, team_id = str(body.get("enterprise_id") or ""), str(body.get("team_id") or "")

    def change(uow: UnitOfWork, _now: datetime) -> None:
        installations.forget(uow.session, enterprise_id, team_id)

    return change
