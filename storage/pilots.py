"""Queries over workspaces and pilots. Every lookup is scoped to one workspace."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session, selectinload

from storage.dialects import insert_for
from storage.models import Pilot, RaciAssignment, Workspace


def ensure_workspace(session: Session, team_id: str, now: datetime) -> None:
    """Creates the workspace row once; concurrent first requests from one team are fine."""
    session.execute(
        insert_for(session, Workspace)
        .values(team_id=team_id, installed_at=now, pilot_counter=0)
        .on_conflict_do_nothing(index_elements=["team_id"])
    )


def allocate_pilot_number(session: Session, team_id: str) -> int:
    """The next P-n of a workspace, taken in one atomic UPDATE so concurrent
    registrations get distinct numbers (the row lock holds until commit)."""
    number = session.execute(
        update(Workspace)
        .where(Workspace.team_id == team_id)
        .values(pilot_counter=Workspace.pilot_counter + 1)
        .returning(Workspace.pilot_counter)
    ).scalar_one()
    return int(number)


_KEY = re.compile(r"[Pp]-([0-9]{1,9})")


def parse_key(key: str) -> int | None:
    """'P-12' or 'p-12' -> 12; anything else -> None."""
    match = _KEY.fullmatch(key.strip())
    return int(match.group(1)) if match else None


def _with_children(statement: Select[Any]) -> Select[Any]:
    return statement.options(
        selectinload(Pilot.measurements),
        selectinload(Pilot.raci),
        selectinload(Pilot.decisions),
        selectinload(Pilot.amendments),
    )


def get_pilot(
    session: Session, team_id: str, number: int, *, for_update: bool = False
) -> Pilot | None:
    statement = _with_children(
        select(Pilot).where(Pilot.team_id == team_id, Pilot.number == number)
    )
    if for_update:
        statement = statement.with_for_update(of=Pilot)
    return session.scalars(statement).one_or_none()


def list_pilots(session: Session, team_id: str | None = None) -> Sequence[Pilot]:
    """A workspace's pilots in key order; every workspace's when team_id is None (export)."""
    statement = select(Pilot).order_by(Pilot.team_id, Pilot.number)
    if team_id is not None:
        statement = statement.where(Pilot.team_id == team_id)
    return session.scalars(_with_children(statement)).all()


def pilots_involving(session: Session, team_id: str, user_id: str) -> Sequence[Pilot]:
    """The pilots a person owns, sponsors or holds a RACI role in, in key order."""
    in_raci = select(RaciAssignment.pilot_id).where(RaciAssignment.user_id == user_id)
    statement = (
        select(Pilot)
        .where(
            Pilot.team_id == team_id,
            (Pilot.owner_id == user_id) | (Pilot.sponsor_id == user_id) | Pilot.id.in_(in_raci),
        )
        .order_by(Pilot.number)
    )
    return session.scalars(_with_children(statement)).all()


def check_sponsored_by(session: Session, team_id: str, user_id: str, now: datetime) -> None:
    """The scheduler looks again at every pilot this person sponsors."""
    session.execute(
        update(Pilot)
        .where(Pilot.team_id == team_id, Pilot.sponsor_id == user_id)
        .values(next_check_at=now)
    )
