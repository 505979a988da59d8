"""The yardstick is locked once readings begin: a change then needs a reason and is kept."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from datetime import datetime

from bot.governance.facts import Amendment
from bot.governance.facts import Measurement
from bot.governance.facts import PilotFacts
from bot.governance.locks import LockedField
from bot.governance.locks import amendments_for
from bot.governance.locks import has_readings
from bot.governance.locks import lock_refusal
from bot.governance.locks import locked_changes
from bot.governance.vocabulary import Better

REGISTERED = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
AMENDED_AT = datetime(2026, 9, 20, 14, 30, tzinfo=UTC)
BASELINE = Measurement(12, datetime(2026, 9, 2, 9, 0, tzinfo=UTC))
READING = Measurement(9, datetime(2026, 9, 9, 9, 0, tzinfo=UTC))

BEFORE_READINGS = PilotFacts(
    key="P-4",
    name="Invoice matching",
    registered_at=REGISTERED,
    owner="U0ANN",
    sponsor="U0SPO",
    better=Better.LOWER,
    threshold=8.0,
    first_baseline=BASELINE,
    baseline=BASELINE,
)
WITH_A_READING = replace(BEFORE_READINGS, first_reading=READING, latest_reading=READING)


def test_nothing_is_locked_before_the_first_reading() -> None:
    changes = {LockedField.THRESHOLD: 9.5, LockedField.BASELINE: 11.0}
    assert not has_readings(BEFORE_READINGS)
    assert locked_changes(BEFORE_READINGS, changes) == ()
    assert amendments_for(BEFORE_READINGS, changes, reason="r", by="U0ANN", at=AMENDED_AT) == ()


def test_moving_the_threshold_after_a_reading_of_9_needs_a_reason() -> None:
    """The user's story: threshold 8 -> 9.5 after a reading of 9 turned it Go silently."""
    changes = {LockedField.THRESHOLD: 9.5}
    assert locked_changes(WITH_A_READING, changes) == (LockedField.THRESHOLD,)
    assert amendments_for(
        WITH_A_READING, changes, reason="the queue got harder", by="U0ANN", at=AMENDED_AT
    ) == (Amendment("threshold", "8", "9.5", "the queue got harder", "U0ANN", AMENDED_AT),)


def test_the_baseline_and_direction_are_locked_too_and_written_as_people_read_them() -> None:
    changes = {
        LockedField.BASELINE: 12.5,
        LockedField.BETTER: Better.HIGHER,
        LockedField.THRESHOLD: 8.0,  # the value it already has: no change, no amendment
    }
    assert locked_changes(WITH_A_READING, changes) == (LockedField.BASELINE, LockedField.BETTER)
    amendments = amendments_for(WITH_A_READING, changes, reason="r", by="U0SPO", at=AMENDED_AT)
    assert [(a.field, a.before, a.after) for a in amendments] == [
        ("baseline", "12", "12.5"),
        ("better", "lower", "higher"),
    ]


def test_a_first_value_set_after_readings_is_locked_with_nothing_before_it() -> None:
    facts = replace(WITH_A_READING, threshold=None)
    amendments = amendments_for(
        facts, {LockedField.THRESHOLD: 8.0}, reason="agreed late", by="U0ANN", at=AMENDED_AT
    )
    assert [(a.before, a.after) for a in amendments] == [(None, "8")]


def test_the_refusal_names_the_form_with_a_reason() -> None:
    assert lock_refusal("P-4", (LockedField.THRESHOLD,)) == (
        "P-4 has readings, so its threshold is locked: change it with a reason, "
        '`/pilot set P-4 threshold:<value> reason:"…"`'
    )
    assert lock_refusal("P-4", (LockedField.BASELINE,)).endswith(
        '`/pilot baseline P-4 <number> reason:"…"`'
    )
    assert "threshold and better are locked: change them" in lock_refusal(
        "P-4", (LockedField.THRESHOLD, LockedField.BETTER)
    )
