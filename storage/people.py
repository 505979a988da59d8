"""The cache of what Slack said about people, and of Events API deliveries already handled."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam
from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy import tuple_
from sqlalchemy.orm import Session

from storage.dialects import insert_for
from storage.models import Person
from storage.models import ProcessedEvent
from storage.models import Workspace
from storage.pilots import ensure_workspace


def cached_person(session: Session, team_id: str, user_id: str) -> Person | None:
    return session.get(Person, (team_id, user_id))


# Built once (every verdict reads its pilot's people), the pairs bound per call.
_PEOPLE = select(Person).where(
    tuple_(Person.team_id, Person.user_id).in_(bindparam("people", expanding=True))
)


def cached_people(
    session: Session, people: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], Person]:
    """Many (team id, user id) at once: one query, not one each."""
    if not people:
        return {}
    rows = session.scalars(_PEOPLE, {"people": list(people)})
    return {(row.team_id, row.user_id): row for row in rows}


def cached_timezone(session: Session, team_id: str, user_id: str) -> str | None:
    person = session.get(Person, (team_id, user_id))
    return person.timezone if person is not None else None


def remember_person(
    session: Session,
    team_id: str,
    user_id: str,
    timezone: str | None,
    is_admin: bool,
    now: datetime,
    *,
    deactivated: bool = False,
) -> None:
    known = {"timezone": timezone, "is_admin": is_admin, "deactivated": deactivated}
    statement = insert_for(session, Person).values(
        team_id=team_id, user_id=user_id, fetched_at=now, **known
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["team_id", "user_id"], set_={**known, "fetched_at": now}
        )
    )


def mark_deactivated(
    session: Session, team_id: str, user_id: str, deactivated: bool, now: datetime
) -> None:
    """What Slack said of an account (users.info `deleted`, a user_change event)."""
    statement = insert_for(session, Person).values(
        team_id=team_id, user_id=user_id, deactivated=deactivated, fetched_at=now
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["team_id", "user_id"], set_={"deactivated": deactivated}
        )
    )


def deactivated(session: Session, people: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of (team id, user id) Slack said are deactivated, in one query."""
    return {key for key, person in cached_people(session, people).items() if person.deactivated}


def first_delivery(session: Session, event_id: str, team_id: str, now: datetime) -> bool:
    """True the first time an event id is seen; False for Slack's retries of it."""
    # RETURNING says whether this call inserted the row; rowcount is not reliable for an
    # ORM-enabled INSERT on every driver.
    inserted = session.execute(
        insert_for(session, ProcessedEvent)
        .values(event_id=event_id, team_id=team_id, received_at=now)
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(ProcessedEvent.event_id)
    ).first()
    return inserted is not None


def ensure_and_mark(session: Session, team_id: str, field: str, now: datetime) -> None:
    """Records an uninstall or a token revocation against the workspace."""
    ensure_workspace(session, team_id, now)
    workspace = session.get(Workspace, team_id)
    if workspace is not None:  # ensured just above; the ORM path keeps the audit log
        setattr(workspace, field, now)


def forget_events_before(session: Session, cutoff: datetime) -> int:
    """Slack retries a delivery within minutes; ids older than that need not be kept."""
    result = session.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
