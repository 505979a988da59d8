"""Imported rows carried out as the typed commands every door hands to bot.services.

One transaction for the whole file: each use case commits its own change, which inside an
import only flushes it, and the import commits once at the end; a bad row anywhere rolls
everything back, and a dry run never commits. Rows that match what is stored change nothing,
so importing a file twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from bot.errors import InvalidInput
from bot.errors import UserError
from bot.governance.vocabulary import Field
from bot.governance.vocabulary import MeasurementKind
from bot.importer.emails import EmailDirectory
from bot.importer.rows import BadRow
from bot.importer.rows import FileKind
from bot.importer.rows import Person
from bot.importer.rows import Row
from bot.importer.rows import changes_of
from bot.services.actors import Actor
from bot.services.commands import FieldValue
from bot.services.commands import PilotKey
from bot.services.commands import RecordMeasurement
from bot.services.commands import Register
from bot.services.commands import SetFields
from bot.services.evidence import GUARDRAIL_KIND
from bot.services.fields import ATTRIBUTES
from bot.services.pilots import handle
from storage import pilots as pilot_store
from storage.models import Pilot
from storage.unit_of_work import UnitOfWork

# Where an import's actor is written: the audit log's actor column, and the user columns
# (registered_by, recorded_by) that hold a Slack user id elsewhere.
AUDIT_ACTOR_WIDTH = 64
USER_ID_WIDTH = 32


@dataclass
class Outcome:
    kind: FileKind
    lines: list[str] = field(default_factory=list)
    added: int = 0
    changed: int = 0
    unchanged: int = 0

    def summary(self, dry_run: bool) -> str:
        noun = "pilots" if self.kind is FileKind.PILOTS else "readings"
        parts = [f"{'would add' if dry_run else 'added'} {self.added} {noun}"]
        if self.kind is FileKind.PILOTS:
            parts.append(f"{'would change' if dry_run else 'changed'} {self.changed}")
        parts.append(f"{self.unchanged} already as in the file")
        text = ", ".join(parts)
        return f"dry run, nothing was changed: {text}." if dry_run else f"{text.capitalize()}."


class _AllOrNothing(UnitOfWork):
    def commit(self) -> None:
        self.session.flush()

    def commit_all(self) -> None:
        self.session.commit()


def import_rows(
    sessions: sessionmaker[Session],
    kind: FileKind,
    rows: Sequence[Row],
    *,
    team_id: str,
    actor_label: str,
    directory: EmailDirectory,
    now: datetime,
    dry_run: bool,
) -> Outcome:
    """Carries out every row as `actor_label` (audited so), an admin of `team_id`: the
    operator running the import holds the database already."""
    people = _resolve_emails(rows, directory) if kind is FileKind.PILOTS else {}
    actor = Actor(team_id, actor_label[:USER_ID_WIDTH], is_admin=True)
    transaction = _AllOrNothing(sessions, actor=actor_label[:AUDIT_ACTOR_WIDTH])
    with transaction as uow:
        if kind is FileKind.PILOTS:
            outcome = _pilots(uow, actor, rows, people, now)
        else:
            outcome = _readings(uow, actor, rows)
        if not dry_run:
            transaction.commit_all()
    return outcome


def _resolve_emails(rows: Sequence[Row], directory: EmailDirectory) -> dict[str, str]:
    found: dict[str, str] = {}
    for row in rows:
        for column, value in changes_of(row).items():
            if isinstance(value, Person) and value.email and value.email not in found:
                try:
                    found[value.email] = directory.user_id(value.email)
                except InvalidInput as error:
                    raise BadRow(row.line, column.value, error.message) from None
    return found


def _pilots(
    uow: UnitOfWork, actor: Actor, rows: Sequence[Row], people: Mapping[str, str], now: datetime
) -> Outcome:
    outcome = Outcome(FileKind.PILOTS)
    stored: dict[str, list[Pilot]] = {}
    for pilot in pilot_store.list_pilots(uow.session, actor.team_id):
        stored.setdefault(pilot.name, []).append(pilot)
    lines_of: dict[str, int] = {}
    for row in rows:
        name: str = row.model.name  # type: ignore[attr-defined]
        if name in lines_of:
            raise BadRow(
                row.line, "name", f"{name} is on line {lines_of[name]} too; one row a pilot"
            )
        lines_of[name] = row.line
        matches = stored.get(name, [])
        if len(matches) > 1:
            keys = ", ".join(p.key for p in matches)
            raise BadRow(row.line, "name", f"{keys} are all called {name}; rename all but one")
        changes = {f: _person(v, people) for f, v in changes_of(row).items()}
        reason: str | None = row.model.reason  # type: ignore[attr-defined]
        try:
            if matches:
                _update(uow, actor, matches[0], changes, reason, now, outcome)
            else:
                if Field.OWNER not in changes:
                    raise BadRow(row.line, "owner", "a new pilot needs its owner")
                key = handle(uow, actor, Register(name, changes), now).key
                shown = ", ".join(f"{f.value} {_show(v)}" for f, v in changes.items())
                outcome.lines.append(f"{key} {name}: new pilot; {shown}")
                outcome.added += 1
        except BadRow:
            raise
        except UserError as error:
            column = _blame(changes)
            missing_reason = column != "name" and reason is None
            hint = "; in a file, say why in the `reason` column" if missing_reason else ""
            raise BadRow(row.line, column, error.message.rstrip(".") + hint) from None
    return outcome


def _update(
    uow: UnitOfWork,
    actor: Actor,
    pilot: Pilot,
    changes: Mapping[Field, FieldValue],
    reason: str | None,
    now: datetime,
    outcome: Outcome,
) -> None:
    before = {f: getattr(pilot, ATTRIBUTES[f]) for f in changes}
    differ = {f: v for f, v in changes.items() if before[f] != v}
    if not differ:
        outcome.unchanged += 1
        return
    handle(uow, actor, SetFields(PilotKey(pilot.number), differ, reason), now)
    shown = ", ".join(f"{f.value} {_show(before[f])} -> {_show(v)}" for f, v in differ.items())
    outcome.lines.append(f"{pilot.key} {pilot.name}: {shown}")
    outcome.changed += 1


def _person(value: FieldValue | Person, people: Mapping[str, str]) -> FieldValue:
    if not isinstance(value, Person):
        return value
    return value.user_id or people[value.email or ""]


def _blame(changes: Mapping[Field, FieldValue]) -> str:
    """The column a refusal from the rules is about: a locked yardstick, or else the pilot."""
    locked = [f.value for f in (Field.THRESHOLD, Field.BETTER) if f in changes]
    return locked[0] if locked else "name"


def _readings(uow: UnitOfWork, actor: Actor, rows: Sequence[Row]) -> Outcome:
    outcome = Outcome(FileKind.READINGS)
    # Read once: the session keeps each pilot's readings current as the import adds them.
    pilots = {p.number: p for p in pilot_store.list_pilots(uow.session, actor.team_id)}
    for row in rows:
        reading: Any = row.model
        pilot = pilots.get(reading.key.number)
        if pilot is None:
            raise BadRow(row.line, "key", f"No pilot {reading.key} in this workspace.")
        rail = _guardrail_named(pilot, reading.metric)
        metric = pilot.metric_name or ""
        unknown = rail is None and reading.metric is not None
        if unknown and str(reading.metric).casefold() != metric.casefold():
            names = [metric, *(g.name for g in pilot.guardrails)]
            known = ", ".join(name for name in names if name)
            problem = f"{pilot.key} has no metric or guardrail called {reading.metric}" + (
                f"; it has {known}" if known else ""
            )
            raise BadRow(row.line, "metric", problem)
        if _recorded(pilot, reading.value, reading.at, rail):
            outcome.unchanged += 1
            continue
        if rail is None:
            command = RecordMeasurement(
                reading.key, MeasurementKind.READING, reading.value, reading.note
            )
        else:
            command = RecordMeasurement(
                reading.key, MeasurementKind.READING, None, reading.note,
                guardrails=((rail, reading.value),),
            )  # fmt: skip
        # The reading is dated when it was taken, not when it was imported.
        handle(uow, actor, command, reading.at)
        outcome.lines.append(
            f"{pilot.key} {pilot.name}: reading {_show(reading.value)} at {reading.at.isoformat()}"
        )
        outcome.added += 1
    return outcome


def _guardrail_named(pilot: Pilot, name: str | None) -> str | None:
    if name is None:
        return None
    return next((g.name for g in pilot.guardrails if g.name.casefold() == name.casefold()), None)


def _recorded(pilot: Pilot, value: float, at: datetime, rail: str | None) -> bool:
    kind = GUARDRAIL_KIND if rail is not None else MeasurementKind.READING.value
    return any(
        m.kind == kind and m.metric == rail and m.value == value and m.recorded_at == at
        for m in pilot.measurements
    )


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
