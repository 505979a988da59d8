"""Who is asking, and what they may change."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import NotAllowed
from bot.governance.vocabulary import RaciRole
from storage.models import Pilot


@dataclass(frozen=True)
class Actor:
    """A person acting in one workspace. `is_admin` comes from Slack (users.info)."""

    team_id: str
    user_id: str
    is_admin: bool = False


def may_change(actor: Actor, pilot: Pilot) -> bool:
    if pilot.team_id != actor.team_id:
        return False
    if actor.is_admin or actor.user_id in (pilot.owner_id, pilot.sponsor_id):
        return True
    return any(
        entry.role == RaciRole.ACCOUNTABLE.value and entry.user_id == actor.user_id
        for entry in pilot.raci
    )


def require_change_rights(actor: Actor, pilot: Pilot) -> None:
    if may_change(actor, pilot):
        return
    who = [
        f"its owner <@{pilot.owner_id}>" if pilot.owner_id else None,
        f"its sponsor <@{pilot.sponsor_id}>" if pilot.sponsor_id else None,
        "its Accountable people",
        "a workspace admin",
    ]
    allowed = ", ".join(part for part in who if part)
    raise NotAllowed(f"You can't change {pilot.key}: only {allowed} can.")
