"""Importing a file of pilots: one row a pilot, people by user id or email, all or nothing."""

from __future__ import annotations

import pytest

from tests.importer.conftest import Importer
from tests.importer.conftest import assert_refused

HEADER = [
    "name", "owner", "sponsor", "metric", "unit", "better", "threshold", "cadence", "decide-by",
    "workflow", "rollback", "cost-per-unit", "value-per-unit", "volume", "currency",
]  # fmt: skip
EMAILS = {f"owner{n}@example.com": f"U0MAIL{n}" for n in range(4)}


def portfolio(count: int = 200) -> list[list[str]]:
    """Odd rows name their owner by email, even rows by user id."""
    rows = [HEADER]
    for n in range(1, count + 1):
        owner = f"Owner{n % 4}@Example.com" if n % 2 else f"U0OWN{n % 7}"
        rows.append(
            [
                f"Pilot {n:03d}", owner, f"U0SPO{n % 3}", "handle time", "min", "lower",
                f"{5 + n % 10}", "weekly", "2027-03-01", "Zendesk", "yes", "0.12", "0.90",
                "100000", "EUR",
            ]
        )  # fmt: skip
    return rows


@pytest.fixture
def people(importer: Importer) -> None:
    for email, user_id in EMAILS.items():
        importer.fake.add_user(user_id, email=email)


def test_a_file_of_200_pilots_is_imported_once(importer: Importer, people: None) -> None:
    path = importer.write("pilots.csv", portfolio())

    first = importer.run(path, "--team", "T1")

    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[-1] == (
        "pilots.csv: Added 200 pilots, changed 0, 0 already as in the file."
    )
    records = importer.exported()
    assert [r["key"] for r in records] == [f"P-{n}" for n in range(1, 201)]
    assert [r["name"] for r in records] == [f"Pilot {n:03d}" for n in range(1, 201)]
    one, two = records[0], records[1]
    assert (one["owner"], one["sponsor"]) == ("U0MAIL1", "U0SPO1")  # owner1@example.com
    assert (two["owner"], two["sponsor"]) == ("U0OWN2", "U0SPO2")
    assert one["metric"]["name"] == "handle time"
    assert (one["metric"]["better"], one["metric"]["threshold"]) == ("lower", 6.0)
    assert (one["decide_by"], one["cadence"], one["currency"]) == ("2027-03-01", "weekly", "EUR")
    # Each address is asked of Slack once, however many rows name it (100 rows name two).
    lookups = importer.fake.calls("users.lookupByEmail")
    assert sorted(call.args["email"] for call in lookups) == [
        "owner1@example.com", "owner3@example.com",
    ]  # fmt: skip
    audit = importer.audit()
    assert audit
    assert {actor for actor, _, _ in audit} == {"import:pilots.csv"}

    second = importer.run(path)  # the database now holds one workspace: no --team needed

    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines() == [
        "pilots.csv: Added 0 pilots, changed 0, 200 already as in the file."
    ]
    assert importer.audit() == audit
    assert [(r["key"], r["owner"], r["sponsor"]) for r in importer.exported()] == [
        (r["key"], r["owner"], r["sponsor"]) for r in records
    ]


def test_rows_that_differ_change_only_what_differs(importer: Importer, people: None) -> None:
    rows = portfolio(5)
    importer.run(importer.write("pilots.csv", rows), "--team", "T1")
    audit = importer.audit()
    rows[3][6] = "7.5"  # Pilot 003's threshold
    rows[4][2] = "owner3@example.com"  # Pilot 004's sponsor, by email

    result = importer.run(importer.write("pilots.csv", rows))

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "P-3 Pilot 003: threshold 8 -> 7.5",
        "P-4 Pilot 004: sponsor U0SPO1 -> U0MAIL3",
        "pilots.csv: Added 0 pilots, changed 2, 3 already as in the file.",
    ]
    records = {r["key"]: r for r in importer.exported()}
    assert records["P-3"]["metric"]["threshold"] == 7.5
    assert records["P-4"]["sponsor"] == "U0MAIL3"
    assert {actor for actor, _, _ in importer.audit()[len(audit) :]} == {"import:pilots.csv"}


def test_a_dry_run_tells_what_would_change_and_changes_nothing(
    importer: Importer, people: None
) -> None:
    path = importer.write("pilots.csv", portfolio(3))

    dry = importer.run(path, "--team", "T1", "--dry-run")

    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines() == [
        "P-1 Pilot 001: new pilot; owner U0MAIL1, sponsor U0SPO1, metric handle time, unit min, "
        "better lower, threshold 6, cadence weekly, decide-by 2027-03-01, workflow Zendesk, "
        "rollback yes, cost-per-unit 0.12, value-per-unit 0.9, volume 100000, currency EUR",
        "P-2 Pilot 002: new pilot; owner U0OWN2, sponsor U0SPO2, metric handle time, unit min, "
        "better lower, threshold 7, cadence weekly, decide-by 2027-03-01, workflow Zendesk, "
        "rollback yes, cost-per-unit 0.12, value-per-unit 0.9, volume 100000, currency EUR",
        "P-3 Pilot 003: new pilot; owner U0MAIL3, sponsor U0SPO0, metric handle time, unit min, "
        "better lower, threshold 8, cadence weekly, decide-by 2027-03-01, workflow Zendesk, "
        "rollback yes, cost-per-unit 0.12, value-per-unit 0.9, volume 100000, currency EUR",
        "pilots.csv: dry run, nothing was changed: would add 3 pilots, would change 0, "
        "0 already as in the file.",
    ]
    assert importer.exported() == []
    assert importer.audit() == []

    real = importer.run(path, "--team", "T1")

    assert real.stdout.splitlines()[:-1] == dry.stdout.splitlines()[:-1]


BAD_FILES = {
    "a cell that is not a number": (
        {125: {"threshold": "about ten"}},
        "pilots.csv line 125, column threshold: `threshold` takes a number",
    ),
    "a new pilot without an owner": (
        {3: {"owner": ""}},
        "pilots.csv line 3, column owner: a new pilot needs its owner.",
    ),
    "an email no one in the workspace has": (
        {60: {"sponsor": "nobody@example.com"}},
        "pilots.csv line 60, column sponsor: no one in the workspace has the email "
        "nobody@example.com.",
    ),
    "a date that is not one": (
        {200: {"decide-by": "31/12/2026"}},
        "pilots.csv line 200, column decide-by: `decide-by` is a date written YYYY-MM-DD",
    ),
    "the same pilot twice": (
        {9: {"name": "Pilot 004"}},
        "pilots.csv line 9, column name: Pilot 004 is on line 5 too; one row a pilot.",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_row_is_named_and_nothing_is_imported(
    importer: Importer, people: None, case: str
) -> None:
    edits, message = BAD_FILES[case]
    rows = portfolio()
    for line, cells in edits.items():
        for column, value in cells.items():
            rows[line - 1][HEADER.index(column)] = value  # line 1 is the header: rows[0]

    result = importer.run(importer.write("pilots.csv", rows), "--team", "T1")

    assert_refused(result, message)
    assert len(result.stderr.splitlines()) == 1
    assert importer.exported() == []
    assert importer.audit() == []


def test_a_header_with_an_unknown_column_is_line_1(importer: Importer) -> None:
    path = importer.write("pilots.csv", [["name", "owner", "colour"], ["Chat", "U0ANN", "red"]])

    result = importer.run(path, "--team", "T1")

    assert_refused(result, "pilots.csv line 1, column colour: is not a column of a pilots file")
    assert importer.exported() == []


def test_a_deactivated_account_is_refused(importer: Importer) -> None:
    importer.fake.add_user("U0GONE", email="gone@example.com", deleted=True)
    path = importer.write("pilots.csv", [["name", "owner"], ["Chat", "gone@example.com"]])

    result = importer.run(path, "--team", "T1")

    assert result.returncode == 2
    assert result.stderr == (
        "pilotgate: pilots.csv line 2, column owner: gone@example.com belongs to a deactivated "
        "account.\n"
    )


def test_a_locked_threshold_changes_only_with_a_reason(importer: Importer) -> None:
    importer.run(
        importer.write("pilots.csv", [["name", "owner", "threshold"], ["Chat", "U0ANN", "9"]]),
        "--team", "T1",
    )  # fmt: skip
    importer.run(
        importer.write("readings.csv", [["key", "value", "at"], ["P-1", "10", "2026-11-02"]])
    )

    refused = importer.run(
        importer.write("pilots.csv", [["name", "owner", "threshold"], ["Chat", "U0ANN", "8"]])
    )
    amended = importer.run(
        importer.write(
            "pilots.csv",
            [["name", "owner", "threshold", "reason"], ["Chat", "U0ANN", "8", "re-measured"]],
        )
    )

    assert_refused(
        refused, "pilots.csv line 2, column threshold: P-1 has readings, so its threshold is locked"
    )
    assert refused.stderr.rstrip().endswith("in a file, say why in the `reason` column.")
    assert amended.returncode == 0, amended.stderr
    (record,) = importer.exported()
    assert record["metric"]["threshold"] == 8.0
    assert [(a["from"], a["to"], a["reason"]) for a in record["amendments"]] == [
        ("9", "8", "re-measured")
    ]


def test_the_team_is_needed_once_the_database_holds_several(importer: Importer) -> None:
    importer.run(importer.write("a.csv", [["name", "owner"], ["Chat", "U0ANN"]]), "--team", "T1")
    importer.run(importer.write("b.csv", [["name", "owner"], ["Mail", "U0BOB"]]), "--team", "T2")
    path = importer.write("c.csv", [["name", "owner"], ["Voice", "U0CAT"]])

    unnamed = importer.run(path)
    named = importer.run(path, "--team", "T2")

    assert unnamed.returncode == 2
    assert unnamed.stderr == (
        "pilotgate: --team is needed: the database holds 2 workspaces (T1, T2); name one, "
        "like --team T1.\n"
    )
    assert named.returncode == 0, named.stderr
    assert [(r["team_id"], r["key"], r["name"]) for r in importer.exported()] == [
        ("T1", "P-1", "Chat"), ("T2", "P-1", "Mail"), ("T2", "P-2", "Voice"),
    ]  # fmt: skip
