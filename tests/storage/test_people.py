"""The people cache and the record of Events API deliveries, on both databases."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from storage import people
from storage.models import Workspace
from storage.unit_of_work import UnitOfWork

NOW = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)


def test_an_event_counts_once_however_often_slack_retries_it(
    sessions: sessionmaker[Session],
) -> None:
    answers = []
    for _ in range(3):
        with UnitOfWork(sessions) as uow:
            answers.append(people.first_delivery(uow.session, "Ev1", "T1", NOW))
            uow.commit()
    with UnitOfWork(sessions) as uow:
        answers.append(people.first_delivery(uow.session, "Ev2", "T1", NOW))
    assert answers == [True, False, False, True]


def test_a_person_is_remembered_and_updated(sessions: sessionmaker[Session]) -> None:
    for tz, admin, at in (("Europe/Berlin", False, NOW), ("Asia/Tokyo", True, NOW + timedelta(1))):
        with UnitOfWork(sessions) as uow:
            people.remember_person(uow.session, "T1", "U1", tz, admin, at)
            uow.commit()
    with sessions() as session:
        person = people.cached_person(session, "T1", "U1")
        assert person is not None
        assert (person.timezone, person.is_admin, person.fetched_at) == (
            "Asia/Tokyo", True, NOW + timedelta(1),
        )  # fmt: skip
        assert people.cached_person(session, "T2", "U1") is None


def test_marking_a_workspace_creates_it_if_needed(sessions: sessionmaker[Session]) -> None:
    with UnitOfWork(sessions, actor="slack") as uow:
        people.ensure_and_mark(uow.session, "T9", "uninstalled_at", NOW)
        uow.commit()
    with sessions() as session:
        workspace = session.get(Workspace, "T9")
        assert workspace is not None
        assert workspace.uninstalled_at == NOW
