"""Queries over workspaces and pilots. Every lookup is scoped to one workspace."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, exists, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from storage.dialects import insert_for
from storage.models import (
    Amendment,
    Decision,
    Evaluation,
    Guardrail,
    Measurement,
    Pilot,
    RaciAssignment,
    Workspace,
)


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
        selectinload(Pilot.guardrails),
        selectinload(Pilot.evaluations),
    )


# Pilots this session has read with their children, by (team id, number).
_READ_WHOLE = "pilotgate_pilots_read_whole"
# Built once: building a statement and its cache key costs about as much as running it.
_ONE_PILOT = select(Pilot).where(
    Pilot.team_id == bindparam("team_id"), Pilot.number == bindparam("number")
)
_ONE_PILOT_LOCKED = _ONE_PILOT.with_for_update(of=Pilot)
_CHILDREN: dict[str, type[Any]] = {
    "measurements": Measurement,
    "raci": RaciAssignment,
    "decisions": Decision,
    "amendments": Amendment,
    "guardrails": Guardrail,
    "evaluations": Evaluation,
}
# Which of a pilot's collections hold anything, in one round trip.
_HAS_CHILDREN = select(
    *(
        exists().where(model.pilot_id == bindparam("pilot_id")).label(name)
        for name, model in _CHILDREN.items()
    )
)
_CHILD_ROWS = {
    name: select(model).where(model.pilot_id == bindparam("pilot_id")).order_by(model.id)
    for name, model in _CHILDREN.items()
}


def get_pilot(
    session: Session, team_id: str, number: int, *, for_update: bool = False
) -> Pilot | None:
    statement = _ONE_PILOT_LOCKED if for_update else _ONE_PILOT
    wanted = {"team_id": team_id, "number": number}
    pilot = session.scalars(statement, wanted).one_or_none()
    read_whole: set[tuple[str, int]] = session.info.setdefault(_READ_WHOLE, set())
    if pilot is None or (team_id, number) in read_whole:
        # Read again in the same session (an import, one command after another): the
        # session keeps the children it holds, so skip reading them. Anything expired since
        # loads lazily when touched.
        return pilot
    _load_children(session, pilot)
    read_whole.add((team_id, number))
    return pilot


def _load_children(session: Session, pilot: Pilot) -> None:
    """Every collection of `pilot`, read after the pilot itself (so after its lock): one
    query says which hold anything, and only those are read; most pilots have few."""
    held = session.execute(_HAS_CHILDREN, {"pilot_id": pilot.id}).one()._asdict()
    for name in _CHILDREN:
        if name in pilot.__dict__:
            continue  # loaded already: keep what the session holds
        rows = []
        if held[name]:
            rows = list(session.scalars(_CHILD_ROWS[name], {"pilot_id": pilot.id}))
        for row in rows:
            set_committed_value(row, "pilot", pilot)
        set_committed_value(pilot, name, rows)


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


def team_ids(session: Session) -> list[str]:
    """Every workspace the database holds, in order."""
    return list(session.scalars(select(Workspace.team_id).order_by(Workspace.team_id)))
