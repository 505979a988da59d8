"""Importing a file of readings: each dated when it was taken, each recorded once."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

import pytest

from tests.importer.conftest import Importer
from tests.importer.conftest import assert_refused

PILOTS = [
    ["name", "owner", "metric", "unit", "better", "threshold"],
    ["Support drafting", "U0ANN", "handle time", "min", "lower", "9"],
    ["Invoice matching", "U0BOB", "match rate", "%", "higher", "95"],
]


@pytest.fixture
def pilots(importer: Importer) -> None:
    result = importer.run(importer.write("pilots.csv", PILOTS), "--team", "T1")
    assert result.returncode == 0, result.stderr


def readings() -> list[list[str]]:
    """Thirty readings of P-1 and P-2, their instants written the ways spreadsheets do."""
    rows = [["key", "at", "value", "metric", "note"]]
    for day in range(1, 16):
        rows.append(["P-1", f"2026-10-{day:02d}T09:30:00Z", f"{12 - day * 0.2:.1f}", "", ""])
        rows.append(["p-2", f"2026-10-{day:02d} 17:00", f"{80 + day}", "match rate", f"day {day}"])
    rows[1][1] = "2026-10-01"  # a bare date is its midnight, UTC
    return rows


def test_a_file_of_readings_is_recorded_once(importer: Importer, pilots: None) -> None:
    path = importer.write("readings.csv", readings())
    audit = importer.audit()

    first = importer.run(path)

    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert lines[0] == "P-1 Support drafting: reading 11.8 at 2026-10-01T00:00:00+00:00"
    assert lines[1] == "P-2 Invoice matching: reading 81 at 2026-10-01T17:00:00+00:00"
    assert lines[-1] == "readings.csv: Added 30 readings, 0 already as in the file."
    recorded = importer.readings()
    assert len(recorded) == 30
    assert recorded[0] == (11.8, datetime(2026, 10, 1, tzinfo=UTC), None)
    assert recorded[-1] == (95.0, datetime(2026, 10, 15, 17, 0, tzinfo=UTC), "day 15")
    latest = {r["key"]: r["metric"]["latest"] for r in importer.exported()}
    assert latest == {"P-1": 9.0, "P-2": 95.0}
    assert {actor for actor, _, _ in importer.audit()[len(audit) :]} == {"import:readings.csv"}
    audit = importer.audit()

    second = importer.run(path)

    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines() == [
        "readings.csv: Added 0 readings, 30 already as in the file."
    ]
    assert importer.measurement_count() == 30
    assert importer.audit() == audit


def test_a_dry_run_records_nothing(importer: Importer, pilots: None) -> None:
    rows = readings()[:3]

    result = importer.run(importer.write("readings.csv", rows), "--dry-run")

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "P-1 Support drafting: reading 11.8 at 2026-10-01T00:00:00+00:00",
        "P-2 Invoice matching: reading 81 at 2026-10-01T17:00:00+00:00",
        "readings.csv: dry run, nothing was changed: would add 2 readings, "
        "0 already as in the file.",
    ]
    assert importer.measurement_count() == 0


BAD_READINGS = {
    "a pilot the workspace does not have": (
        {"key": "P-9"},
        "readings.csv line 17, column key: No pilot P-9 in this workspace.",
    ),
    "a reading from the future": (
        {"at": "2999-01-01T00:00:00Z"},
        "readings.csv line 17, column at: `at` 2999-01-01T00:00:00+00:00 is in the future",
    ),
    "a metric the pilot does not have": (
        {"metric": "errors"},
        "readings.csv line 17, column metric: P-2 has no metric or guardrail called errors; it "
        "has match rate.",
    ),
    "a value that is not a number": (
        {"value": "n/a"},
        "readings.csv line 17, column value: `value` takes a number",
    ),
    "an instant that is not one": (
        {"at": "last Tuesday"},
        "readings.csv line 17, column at: `at` is an ISO-8601 instant",
    ),
}


@pytest.mark.parametrize("case", list(BAD_READINGS))
def test_a_bad_reading_is_named_and_nothing_is_recorded(
    importer: Importer, pilots: None, case: str
) -> None:
    cells, message = BAD_READINGS[case]
    rows = readings()
    header = rows[0]
    for column, value in cells.items():
        rows[16][header.index(column)] = value  # line 17: P-2's reading of 8 October

    result = importer.run(importer.write("readings.csv", rows))

    assert_refused(result, message)
    assert importer.measurement_count() == 0


def test_a_guardrail_reading_is_recorded_against_its_guardrail(
    importer: Importer, pilots: None
) -> None:
    from bot.services import pilots as use_cases
    from bot.services.actors import Actor
    from storage.unit_of_work import UnitOfWork
    from tests import typed

    with UnitOfWork(importer.sessions, actor="U0ANN") as uow:
        command = typed.command("guardrail P-1 errors lower 2 per 100")
        use_cases.handle(uow, Actor("T1", "U0ANN", is_admin=True), command,
                         datetime(2026, 10, 1, tzinfo=UTC))  # fmt: skip
    rows = [["key", "at", "value", "metric"], ["P-1", "2026-10-02T09:00:00Z", "1.8", "Errors"]]
    path = importer.write("guardrails.csv", rows)
    first = importer.run(path)
    assert first.returncode == 0, first.stderr
    [record] = [r for r in importer.exported() if r["key"] == "P-1"]
    [errors] = record["guardrails"]
    assert (errors["name"], errors["latest"]) == ("errors", 1.8)
    again = importer.run(path)
    assert again.stdout.splitlines()[-1].endswith("1 already as in the file.")
