"""Every insert, update and delete of an audited row is logged: who, what, before, after, when.

It hangs off the mapper's flush events, so no service can change a pilot and forget the log,
and rows that a cascade removes (a replaced RACI holder) are logged too. The actor is the
`actor` the unit of work puts in `session.info`.
"""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import Connection
from sqlalchemy import event
from sqlalchemy import insert
from sqlalchemy import inspect
from sqlalchemy import select
from sqlalchemy.orm import Mapper
from sqlalchemy.orm import object_session
from sqlalchemy.orm.util import identity_key

from storage.models import Audited
from storage.models import AuditEntry
from storage.models import Pilot

SYSTEM_ACTOR = "system"
# Scheduler bookkeeping, not something a person changed.
UNAUDITED = frozenset({"next_check_at"})
# Built once, its values bound per row: building it with .values() each time cost more than
# the insert itself.
_ENTRY = insert(AuditEntry)


@event.listens_for(Audited, "after_insert", propagate=True)
def _inserted(_mapper: Mapper[Any], connection: Connection, target: Audited) -> None:
    _write(connection, target, "create", None, _snapshot(target))


@event.listens_for(Audited, "after_update", propagate=True)
def _updated(_mapper: Mapper[Any], connection: Connection, target: Audited) -> None:
    before, after = _changes(target)
    if before != after:
        _write(connection, target, "update", before, after)


@event.listens_for(Audited, "after_delete", propagate=True)
def _deleted(_mapper: Mapper[Any], connection: Connection, target: Audited) -> None:
    _write(connection, target, "delete", _snapshot(target), None)


def _write(
    connection: Connection,
    target: Audited,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    session = object_session(target)
    actor = session.info.get("actor") if session is not None else None
    state = inspect(target)
    connection.execute(
        _ENTRY,
        {
            "team_id": _team_of(connection, target),
            "actor": str(actor or SYSTEM_ACTOR),
            "entity": state.mapper.local_table.name,
            "entity_id": "/".join(str(part) for part in state.identity or ()),
            "action": action,
            "before": before,
            "after": after,
            "at": datetime.now(UTC),
        },
    )


def _team_of(connection: Connection, target: Audited) -> str:
    team_id = getattr(target, "team_id", None)
    if team_id is not None:
        return str(team_id)
    # A pilot's children carry only pilot_id, which stays set even on a row being deleted.
    pilot_id = target.pilot_id  # type: ignore[attr-defined]
    # The pilot is nearly always in the session already (a child changes through it): take
    # its workspace from there rather than asking the database again inside the flush.
    session = object_session(target)
    if session is not None:
        pilot = session.identity_map.get(identity_key(Pilot, pilot_id))
        team_id = None if pilot is None else pilot.__dict__.get("team_id")
        if team_id is not None:
            return str(team_id)
    return str(connection.execute(select(Pilot.team_id).where(Pilot.id == pilot_id)).scalar_one())


def _snapshot(target: Audited) -> dict[str, Any]:
    state = inspect(target)
    return {
        attr.key: _plain(getattr(target, attr.key))
        for attr in state.mapper.column_attrs
        if attr.key not in UNAUDITED
    }


def _changes(target: Audited) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(target)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in UNAUDITED:
            continue
        history = state.attrs[attr.key].history
        if history.has_changes():
            before[attr.key] = _plain(history.deleted[0] if history.deleted else None)
            after[attr.key] = _plain(history.added[0] if history.added else None)
    return before, after


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
