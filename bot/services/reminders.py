"""Use cases around the scheduler's messages: snoozing them."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta

from bot.errors import InvalidInput
from bot.services.actors import Actor
from bot.services.commands import PilotKey
from bot.services.pilots import find_pilot
from storage import outbox
from storage import schedule
from storage.unit_of_work import UnitOfWork

SNOOZE_DAYS = (1, 7)


def snooze(uow: UnitOfWork, actor: Actor, key: PilotKey, days: int, now: datetime) -> datetime:
    """Holds this person's nudges about one pilot for a day or a week. It only quiets the
    person asking, so anyone the pilot nudges may snooze it."""
    if days not in SNOOZE_DAYS:
        raise InvalidInput("Snooze for 1 day or 1 week.")
    pilot = find_pilot(uow, actor.team_id, key)
    until = now + timedelta(days=days)
    schedule.snooze(uow.session, pilot.id, actor.user_id, until)
    outbox.postpone(uow.session, pilot.id, actor.user_id, until)
    uow.commit()
    return until
