"""Queries over workspaces and pilots. Every lookup is scoped to one workspace."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select
from sqlalchemy import bindparam
from sqlalchemy import event
from sqlalchemy import exists
from sqlalchemy import select
from sqlalchemy import union
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from storage.dialects import insert_for
from storage.models import Amendment
from storage.models import Decision
from storage.models import Evaluation
from storage.models import Guardrail
from storage.models import Measurement
from storage.models import MeasurementKind
from storage.models import Pilot
from storage.models import RaciAssignment
from storage.models import Workspace


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
# In the order they are read: the measurements last, as a window of them needs the guardrails.
_CHILDREN: dict[str, type[Any]] = {
    "raci": RaciAssignment,
    "decisions": Decision,
    "amendments": Amendment,
    "guardrails": Guardrail,
    "evaluations": Evaluation,
    "measurements": Measurement,
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


@dataclass(frozen=True)
class MeasurementWindow:
    """Of each series of measurements (the baseline, the readings, and each of the pilot's
    guardrails), the first and the `latest` latest recorded by `as_of`: what a verdict as of
    then reads, however long the pilot has been reporting."""

    as_of: datetime
    latest: int


# Pilots whose measurements this session holds only a window of.
_WINDOWED = "pilotgate_pilots_windowed"


def _ends(kind: MeasurementKind, metric: Any) -> list[Select[Any]]:
    """The first and the `latest` latest ids of one series by `as_of`; each an index range
    (pilot, kind, metric, recorded_at), so the cost does not grow with the series."""
    series = select(Measurement.id).where(
        Measurement.pilot_id == bindparam("pilot_id"),
        Measurement.kind == kind.value,
        Measurement.metric.is_(None) if metric is None else Measurement.metric == metric,
        Measurement.recorded_at <= bindparam("as_of"),
    )
    first = series.order_by(Measurement.recorded_at, Measurement.id).limit(1)
    newest = Measurement.recorded_at.desc(), Measurement.id.desc()
    latest = series.order_by(*newest).limit(bindparam("latest"))
    # Wrapped: SQLite takes no LIMIT on a bare member of a UNION.
    return [select(part.subquery().c.id) for part in (first, latest)]


@functools.cache
def _window_rows(guardrails: int) -> Select[Any]:
    """The window's rows for a pilot with this many guardrails (named g0, g1, ...)."""
    parts = [
        *_ends(MeasurementKind.BASELINE, None),
        *_ends(MeasurementKind.READING, None),
        *(
            part
            for n in range(guardrails)
            for part in _ends(MeasurementKind.GUARDRAIL, bindparam(f"g{n}"))
        ),
    ]
    wanted = union(*parts).subquery()
    return (
        select(Measurement).where(Measurement.id.in_(select(wanted.c.id))).order_by(Measurement.id)
    )


def get_pilot(
    session: Session,
    team_id: str,
    number: int,
    *,
    for_update: bool = False,
    window: MeasurementWindow | None = None,
) -> Pilot | None:
    """The pilot with its children. With a `window`, its measurements are only that window
    until the transaction ends (then they are read whole again when touched): for a change,
    which reads its verdict as of `window.as_of`, not its history."""
    statement = _ONE_PILOT_LOCKED if for_update else _ONE_PILOT
    wanted = {"team_id": team_id, "number": number}
    pilot = session.scalars(statement, wanted).one_or_none()
    read_whole: set[tuple[str, int]] = session.info.setdefault(_READ_WHOLE, set())
    if pilot is None or (team_id, number) in read_whole:
        # Read again in the same session (an import, one command after another): the
        # session keeps the children it holds, so skip reading them. Anything expired since
        # loads lazily when touched.
        return pilot
    if not _load_children(session, pilot, window):
        read_whole.add((team_id, number))
    return pilot


def _load_children(session: Session, pilot: Pilot, window: MeasurementWindow | None) -> bool:
    """Every collection of `pilot`, read after the pilot itself (so after its lock): one
    query says which hold anything, and only those are read; most pilots have few. True when
    only a window of the measurements was read."""
    held = session.execute(_HAS_CHILDREN, {"pilot_id": pilot.id}).one()._asdict()
    windowed = False
    for name in _CHILDREN:
        if name in pilot.__dict__:
            continue  # loaded already: keep what the session holds
        rows = []
        if held[name] and name == "measurements" and window is not None:
            # The guardrails are read before the measurements: their names say which
            # series there are.
            names = {f"g{n}": rail.name for n, rail in enumerate(pilot.guardrails)}
            bound = {"pilot_id": pilot.id, "as_of": window.as_of, "latest": window.latest}
            rows = list(session.scalars(_window_rows(len(names)), bound | names))
            session.info.setdefault(_WINDOWED, set()).add(pilot)
            windowed = True
        elif held[name]:
            rows = list(session.scalars(_CHILD_ROWS[name], {"pilot_id": pilot.id}))
        for row in rows:
            set_committed_value(row, "pilot", pilot)
        set_committed_value(pilot, name, rows)
    return windowed


@event.listens_for(Session, "after_commit")
def _forget_windows(session: Session) -> None:
    # A window is read for one transaction; after it, the session must not pass it off as the
    # whole series (sessions keep objects across commits here). Rollback expires it anyway.
    for pilot in session.info.pop(_WINDOWED, ()):
        if pilot in session:
            session.expire(pilot, ["measurements"])


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
