"""Who is asking, and whether they may change a pilot."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import NotAllowed
from bot.governance.decisions import change_refusal
from bot.governance.rights import may_change
from bot.governance.vocabulary import RaciRole
from storage.models import Pilot


@dataclass(frozen=True)
class Actor:
    """A person acting in one workspace. `is_admin` comes from Slack (users.info)."""

    team_id: str
    user_id: str
    is_admin: bool = False


def require_change_rights(actor: Actor, pilot: Pilot) -> None:
    allowed = pilot.team_id == actor.team_id and may_change(
        actor.user_id,
        is_admin=actor.is_admin,
        owner=pilot.owner_id,
        sponsor=pilot.sponsor_id,
        accountable=(e.user_id for e in pilot.raci if e.role == RaciRole.ACCOUNTABLE.value),
    )
    if not allowed:
        raise NotAllowed(change_refusal(pilot.key, pilot.owner_id, pilot.sponsor_id))
