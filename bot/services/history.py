"""A pilot's audit trail as a person reads it: who changed what, from what to what, and when.

Built from the audit log (every change of an audited row, storage.audit), newest first and
a page at a time. Fields are named as people type them (`decide-by`, `eval-bar`), people are
written with `person()` so a surface shows them as mentions, and a locked fact changed with
a reason carries that reason beside the change.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

from bot.governance.formatting import format_money
from bot.governance.formatting import format_number
from bot.governance.formatting import format_quantity
from bot.governance.people import person
from bot.governance.people import without_person_marks
from bot.governance.vocabulary import Better
from bot.governance.vocabulary import Field
from bot.services.actors import Actor
from bot.services.commands import PilotKey
from bot.services.fields import ATTRIBUTES
from bot.services.pilots import find_pilot
from storage import evidence as evidence_store
from storage.models import AuditEntry
from storage.models import Pilot
from storage.unit_of_work import UnitOfWork

PAGE_SIZE = 10
# A change and the amendment that gives its reason are written in the same transaction.
_SAME_CHANGE = timedelta(seconds=5)
_NEARBY = 6

# Stored column -> the field name people type; eval_size and eval_score were fields before
# evaluation runs were kept.
FIELD_OF_COLUMN: Mapping[str, str] = {
    **{column: field.value for field, column in ATTRIBUTES.items()},
    "eval_size": "eval-size",
    "eval_score": "eval-score",
    "stage": "stage",
}
# A pilot's fields that registration fills in on its own.
_DEFAULTS: Mapping[str, object] = {"cadence": "weekly", "currency": "USD", "stage": "proposed"}


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    # Who made the change: a Slack user id, `token:<id>` for an API token, or `scheduler`.
    who: str
    # What changed: a field name as people type it, `reading`, `baseline`, `guardrail errors`,
    # `errors reading`, `eval run`, `decision`, `RACI incidents A`, …
    what: str
    before: str | None
    after: str | None
    # A reading's note, a decision's rationale, or the reason a locked fact changed.
    note: str | None = None


@dataclass(frozen=True)
class HistoryPage:
    key: str
    entries: tuple[HistoryEntry, ...]
    page: int
    pages: int
    total: int


def history(uow: UnitOfWork, actor: Actor, key: PilotKey, page: int = 1) -> HistoryPage:
    """One page of the pilot's history, newest first; anyone in the workspace may read it.
    A page past the last one shows the last."""
    pilot = find_pilot(uow, actor.team_id, key)
    rows = evidence_store.audit_trail(uow.session, actor.team_id, pilot.id)
    entries = _fold_reasons(_Reader(pilot).entries(rows))[::-1]
    pages = max(1, math.ceil(len(entries) / PAGE_SIZE))
    shown = min(max(page, 1), pages)
    start = (shown - 1) * PAGE_SIZE
    return HistoryPage(
        pilot.key, tuple(entries[start : start + PAGE_SIZE]), shown, pages, len(entries)
    )


class _Reader:
    """Turns audit rows, oldest first, into entries; it remembers each row's last known
    state, since an update logs only the columns it changed."""

    def __init__(self, pilot: Pilot) -> None:
        self.pilot = pilot
        self.known: dict[tuple[str, str], dict[str, Any]] = {}
        # The latest value shown of each series (kind, guardrail name), for "from … to …".
        self.latest: dict[tuple[Any, Any], str | None] = {}
        # Each guardrail's unit as it was when it was last set, removed ones too.
        self.units: dict[str, str | None] = {}

    def entries(self, rows: Sequence[AuditEntry]) -> list[HistoryEntry]:
        found: list[HistoryEntry] = []
        for row in rows:
            snapshot = row.after or row.before or {}
            # A creation is logged with an empty entity_id (its id comes with the insert).
            identity = row.entity_id or str(snapshot.get("id", ""))
            state = self.known.setdefault((row.entity, identity), {})
            before = {**state, **(row.before or {})} if row.action != "create" else None
            state.update(row.after or {})
            after = dict(state) if row.action != "delete" else None
            if row.entity == "guardrails" and after is not None:
                self.units[str(after.get("name"))] = after.get("unit")
            read = _READERS.get(row.entity)
            if read is not None:
                found.extend(read(self, row, before, after))
        return found

    def unit(self) -> str | None:
        return self.pilot.unit

    def guardrail_unit(self, name: str) -> str | None:
        return self.units.get(name)

    def series_entry(
        self,
        row: AuditEntry,
        what: str,
        series: tuple[Any, Any],
        shown: Shown,
        before: Row | None,
        after: Row | None,
    ) -> HistoryEntry:
        """A reading or an eval run reads from the series' latest value before it to its own,
        with its note; one removed (only ever with its pilot) reads from itself to nothing."""
        if after is None:
            return _change(row, what, shown, before, None)
        previous = self.latest.get(series)
        self.latest[series] = current = shown(after)
        return HistoryEntry(row.at, row.actor, what, previous, current, _text(after.get("note")))


Row = dict[str, Any]
# How one side of a change is shown; `_change` shows a side that is not there (before a
# creation, after a deletion) as None without asking.
Shown = Callable[[Row], str | None]


def _change(
    row: AuditEntry,
    what: str,
    shown: Shown,
    before: Row | None,
    after: Row | None,
    note: str | None = None,
) -> HistoryEntry:
    old = None if before is None else shown(before)
    new = None if after is None else shown(after)
    return HistoryEntry(row.at, row.actor, what, old, new, note)


def _pilot_entries(
    reader: _Reader, row: AuditEntry, before: Row | None, after: Row | None
) -> list[HistoryEntry]:
    def entry(what: str, old: str | None, new: str | None) -> HistoryEntry:
        return HistoryEntry(row.at, row.actor, what, old, new)

    if row.action == "create" and after is not None:
        found = [entry("registered", None, _text(after.get("name")))]
        for column, value in after.items():
            field = FIELD_OF_COLUMN.get(column)
            skip = value is None or _DEFAULTS.get(column) == value or column == "name"
            if (
                field is None
                or skip
                or (column == "owner_id" and value == after.get("registered_by"))
            ):
                continue
            found.append(entry(field, None, _field_value(reader, after, column, value)))
        return found
    changed = row.after or {}
    old_row, new_row = before or {}, after or {}
    return [
        entry(
            FIELD_OF_COLUMN[column],
            _field_value(reader, old_row, column, old_row.get(column)),
            _field_value(reader, new_row, column, value),
        )
        for column, value in changed.items()
        if column in FIELD_OF_COLUMN
    ]


def _measurement_entries(
    reader: _Reader, row: AuditEntry, before: Row | None, after: Row | None
) -> list[HistoryEntry]:
    state = after or before or {}
    kind, metric = state.get("kind"), state.get("metric")
    what = f"{metric} reading" if kind == "guardrail" else str(kind)
    unit = reader.guardrail_unit(str(metric)) if kind == "guardrail" else reader.unit()

    def value(values: Row) -> str | None:
        return _quantity(values.get("value"), unit)

    return [reader.series_entry(row, what, (kind, metric), value, before, after)]


def _guardrail_entries(
    reader: _Reader, row: AuditEntry, before: Row | None, after: Row | None
) -> list[HistoryEntry]:
    name = (after or before or {}).get("name")
    return [_change(row, f"guardrail {name}", _limit, before, after)]


def _limit(values: Row) -> str | None:
    sign = "at most" if values.get("better") == Better.LOWER.value else "at least"
    return f"{sign} {_quantity(values.get('limit'), values.get('unit'))}"


def _evaluation_entries(
    reader: _Reader, row: AuditEntry, before: Row | None, after: Row | None
) -> list[HistoryEntry]:
    return [reader.series_entry(row, "eval run", ("eval", None), _run, before, after)]


def _run(values: Row) -> str | None:
    size = values.get("size")
    examples = format_number(size) if isinstance(size, int | float) else "?"
    return f"{_quantity(values.get('score'), '%')} on {examples} examples"


def _decision_entries(
    reader: _Reader, row: AuditEntry, before: Row | None, after: Row | None
) -> list[HistoryEntry]:
    note = _text((after or {}).get("rationale")) if row.action == "create" else None
    return [_change(row, "decision", _decision, before, after, note)]


def _decision(values: Row) -> str:
    words = str(values.get("decision"))
    if values.get("until"):
        words += f" until {values['until']}"
    status = values.get("status")
    if status == "pending":
        words += ", waiting for approval"
    elif status in ("approved", "rejected"):
        by = values.get("approved_by")
        words += f", {status}" + (f" by {person(str(by))}" if by else "")
    return words


def _raci_entries(
    reader: _Reader, row: AuditEntry, before: Row | None, after: Row | None
) -> list[HistoryEntry]:
    state = after or before or {}
    what = f"RACI {state.get('area')} {state.get('role')}"
    return [_change(row, what, _holder, before, after)]


def _holder(values: Row) -> str:
    return person(str(values.get("user_id")))


def _amendment_entries(
    reader: _Reader, row: AuditEntry, before: Row | None, after: Row | None
) -> list[HistoryEntry]:
    if after is None:
        return []
    field = str(after.get("field"))
    reason = _text(after.get("reason"))
    if field == "baseline-accepted":
        return [HistoryEntry(row.at, row.actor, "late baseline accepted", None, None, reason)]
    return [HistoryEntry(row.at, row.actor, f"amended {field}", after.get("before"),
                         after.get("after"), reason)]  # fmt: skip


def _snooze_entries(
    reader: _Reader, row: AuditEntry, before: Row | None, after: Row | None
) -> list[HistoryEntry]:
    return [_change(row, "nudges snoozed until", _until, before, after)]


def _until(values: Row) -> str | None:
    if not values.get("until"):
        return None
    moment = datetime.fromisoformat(str(values["until"])).astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


Reader = Callable[[_Reader, AuditEntry, Row | None, Row | None], list[HistoryEntry]]
_READERS: Mapping[str, Reader] = {
    "pilots": _pilot_entries,
    "measurements": _measurement_entries,
    "guardrails": _guardrail_entries,
    "evaluations": _evaluation_entries,
    "decisions": _decision_entries,
    "raci_assignments": _raci_entries,
    "amendments": _amendment_entries,
    "snoozes": _snooze_entries,
}


def _fold_reasons(entries: list[HistoryEntry]) -> list[HistoryEntry]:
    """An amendment (`amended threshold`) gives the reason of the change beside it in the same
    transaction (`threshold`, or the new `baseline`): the change carries the reason instead
    of two lines saying one thing."""
    folded = list(entries)
    for index, entry in enumerate(entries):
        if not entry.what.startswith("amended "):
            continue
        field = entry.what.removeprefix("amended ")
        partner = _partner(folded, index, entry, field)
        if partner is None:
            continue
        folded[partner] = replace(folded[partner], note=entry.note)
        folded[index] = replace(entry, what="")
    return [entry for entry in folded if entry.what]


def _partner(
    entries: list[HistoryEntry], index: int, amendment: HistoryEntry, field: str
) -> int | None:
    window = range(max(0, index - _NEARBY), min(len(entries), index + _NEARBY + 1))
    for other in sorted(window, key=lambda i: abs(i - index)):
        entry = entries[other]
        if (
            entry.what == field
            and entry.who == amendment.who
            and entry.note is None
            and abs(entry.at - amendment.at) <= _SAME_CHANGE
        ):
            return other
    return None


def _field_value(reader: _Reader, values: Row, column: str, value: Any) -> str | None:
    if value is None:
        return None
    field = FIELD_OF_COLUMN.get(column)
    if field in (Field.OWNER, Field.SPONSOR):
        return person(str(value))
    if field == Field.ROLLBACK:
        return "yes" if value else "no"
    if field == Field.THRESHOLD:
        return _quantity(value, reader.unit())
    if field in (Field.EVAL_BAR, Field.EVAL_SCORE):
        return _quantity(value, "%")
    if field in (Field.COST_PER_UNIT, Field.VALUE_PER_UNIT) and isinstance(value, int | float):
        return format_money(float(value), str(values.get("currency") or "USD"))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return format_number(float(value))
    return _text(value)


def _quantity(value: Any, unit: str | None) -> str | None:
    if not isinstance(value, int | float):
        return None
    return format_quantity(float(value), unit)


def _text(value: Any) -> str | None:
    return None if value is None else without_person_marks(str(value))
