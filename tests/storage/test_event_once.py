"""An event's change and the record of its id commit together: Slack's retry of an event whose
change failed is carried out, and a retry of one that succeeded changes nothing more."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

import pytest
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from bot.slack.events import event_once
from bot.slack.events import person_changed
from storage import people
from storage.unit_of_work import UnitOfWork

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
EVENT = {"event_id": "Ev0DEACTIVATED", "team_id": "T1"}


def deactivated(sessions: sessionmaker[Session]) -> bool:
    with UnitOfWork(sessions) as uow:
        known = people.cached_people(uow.session, [("T1", "U0SPO")])
        return ("T1", "U0SPO") in known and known[("T1", "U0SPO")].deactivated


def test_a_retry_of_an_event_whose_change_failed_is_carried_out(
    sessions: sessionmaker[Session],
) -> None:
    def fails(_uow: UnitOfWork, _now: datetime) -> None:
        raise ConnectionError("the database went away mid-event")

    with pytest.raises(ConnectionError):
        event_once(sessions, NOW, EVENT, person_changed("T1", "U0SPO", deactivated=True), fails)
    assert not deactivated(sessions)  # nothing half done
    event_once(sessions, NOW, EVENT, person_changed("T1", "U0SPO", deactivated=True))
    assert deactivated(sessions)


def test_a_retry_of_an_event_that_was_carried_out_changes_nothing(
    sessions: sessionmaker[Session],
) -> None:
    event_once(sessions, NOW, EVENT, person_changed("T1", "U0SPO", deactivated=True))
    # A later reactivation arrives; then Slack retries the old deactivation: it is ignored.
    event_once(sessions, NOW, {**EVENT, "event_id": "Ev0LATER"},
               person_changed("T1", "U0SPO", deactivated=False))  # fmt: skip
    event_once(sessions, NOW, EVENT, person_changed("T1", "U0SPO", deactivated=True))
    assert not deactivated(sessions)
