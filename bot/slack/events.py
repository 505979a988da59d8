"""Events API bookkeeping: Slack retries deliveries, and each event must count once."""

from __future__ import annotations

from typing import Any

from bot.slack.deps import Deps
from storage import installations, people, pilots
from storage.unit_of_work import UnitOfWork


def first_delivery(deps: Deps, body: dict[str, Any]) -> bool:
    event_id = body.get("event_id")
    if not event_id:
        return True
    with UnitOfWork(deps.sessions) as uow:
        fresh = people.first_delivery(
            uow.session, str(event_id), str(body.get("team_id", "")), deps.clock()
        )
        uow.commit()
    return fresh


def mark_workspace(deps: Deps, team_id: str, field: str) -> None:
    with UnitOfWork(deps.sessions, actor="slack") as uow:
        people.ensure_and_mark(uow.session, team_id, field, deps.clock())
        uow.commit()


def person_changed(deps: Deps, team_id: str, user_id: str, *, deactivated: bool) -> None:
    """Remembers whether the account is deactivated; the pilots they sponsor are looked at
    again at the next tick (their verdict may have changed)."""
    now = deps.clock()
    with UnitOfWork(deps.sessions, actor="slack") as uow:
        people.mark_deactivated(uow.session, team_id, user_id, deactivated, now)
        pilots.check_sponsored_by(uow.session, team_id, user_id, now)
        uow.commit()


def forget_installation(deps: Deps, body: dict[str, Any]) -> None:
    """After an uninstall or revocation the workspace's token is useless; drop it so the
    scheduler stops trying it (an OAuth install only; a single token stays in settings)."""
    with UnitOfWork(deps.sessions, actor="slack") as uow:
        installations.forget(
            uow.session, str(body.get("enterprise_id") or ""), str(body.get("team_id") or "")
        )
        uow.commit()
