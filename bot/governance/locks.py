"""What is locked once readings begin, and the amendments a reasoned change leaves behind.

Once a pilot has a reading, the yardstick it is judged by (the baseline, the threshold and
which way is better) may still change, but only with a reason: otherwise moving the
threshold from 8 to 9.5 after a reading of 9 turns a pilot Go without anyone noticing. The
change is kept as an `Amendment`, shown on the status card and in the digest and told to the
sponsor (`Reason.AMENDMENT_TOLD`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum

from bot.governance.facts import Amendment
from bot.governance.facts import PilotFacts
from bot.governance.formatting import format_number
from bot.governance.vocabulary import Better


class LockedField(StrEnum):
    """The facts a reading is judged by; the values are the names people type."""

    BASELINE = "baseline"
    THRESHOLD = "threshold"
    BETTER = "better"


LockedValue = float | Better | None


def has_readings(facts: PilotFacts) -> bool:
    return facts.first_reading is not None or facts.latest_reading is not None


def metric_to_agree(facts: PilotFacts) -> bool:
    """The metric is not agreed and no reading has locked its direction and threshold: what
    is measured and what means go are settled first, before any number of it."""
    return not facts.metric_agreed and not has_readings(facts)


def current_value(facts: PilotFacts, name: LockedField) -> LockedValue:
    if name is LockedField.BASELINE:
        return facts.baseline.value if facts.baseline is not None else None
    if name is LockedField.THRESHOLD:
        return facts.threshold
    return facts.better


def locked_changes(
    facts: PilotFacts, changes: Mapping[LockedField, LockedValue]
) -> tuple[LockedField, ...]:
    """Which of `changes` (field -> new value) need a reason: those that change a locked
    field's value once the pilot has a reading. Setting a field to the value it already has
    changes nothing and needs none; before the first reading nothing is locked."""
    if not has_readings(facts):
        return ()
    return tuple(
        name
        for name in LockedField
        if name in changes and changes[name] != current_value(facts, name)
    )


def lock_refusal(key: str, fields: tuple[LockedField, ...]) -> str:
    """The one line that refuses a locked change made without a reason, naming the form."""
    names = " and ".join(name.value for name in fields)
    if fields == (LockedField.BASELINE,):
        form = f'/pilot baseline {key} <number> reason:"…"'
    else:
        values = " ".join(f"{name.value}:<value>" for name in fields)
        form = f'/pilot set {key} {values} reason:"…"'
    verb, them = ("is", "it") if len(fields) == 1 else ("are", "them")
    return (
        f"{key} has readings, so its {names} {verb} locked: change {them} with a reason, `{form}`"
    )


def amendments_for(
    facts: PilotFacts,
    changes: Mapping[LockedField, LockedValue],
    *,
    reason: str,
    by: str,
    at: datetime,
) -> tuple[Amendment, ...]:
    """The amendments to record for a reasoned change: one per locked field whose value
    changes, with before and after written as people read them. Empty when nothing locked
    changes (before the first reading, a change is an ordinary edit)."""
    return tuple(
        Amendment(
            field=name.value,
            before=_shown(current_value(facts, name)),
            after=_shown(changes[name]),
            reason=reason,
            by=by,
            at=at,
        )
        for name in locked_changes(facts, changes)
    )


def _shown(value: LockedValue) -> str | None:
    if value is None:
        return None
    if isinstance(value, Better):
        return value.value
    return format_number(value)
