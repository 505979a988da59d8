"""How a spreadsheet's cells are read: as people type `set` values, each problem at its place."""

from __future__ import annotations

import io
from datetime import UTC
from datetime import datetime

import pytest

from bot.governance.vocabulary import Better
from bot.governance.vocabulary import Field
from bot.importer.rows import BadRow
from bot.importer.rows import FileKind
from bot.importer.rows import Person
from bot.importer.rows import changes_of
from bot.importer.rows import read_csv

NOW = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)


def read(text: str) -> tuple[FileKind, list[dict[Field, object]]]:
    kind, rows = read_csv(io.StringIO(text, newline=""), NOW)
    return kind, [changes_of(row) for row in rows]


def problem(text: str) -> tuple[int, str | None, str]:
    with pytest.raises(BadRow) as raised:
        read_csv(io.StringIO(text, newline=""), NOW)
    return raised.value.line, raised.value.column, str(raised.value)


def test_cells_are_read_like_set_values() -> None:
    kind, (changes,) = read(
        "Name,Owner,Sponsor,Better,Threshold,Rollback,Eval-Bar,Monitoring\n"
        'Chat,<@U0ANN|ann>,Sam@Example.com,HIGHER,"1,250.5",y,95%,none\n'
    )
    assert kind is FileKind.PILOTS
    assert changes == {
        Field.OWNER: Person(user_id="U0ANN"),
        Field.SPONSOR: Person(email="sam@example.com"),
        Field.BETTER: Better.HIGHER,
        Field.THRESHOLD: 1250.5,
        Field.ROLLBACK: True,
        Field.EVAL_BAR: 95.0,
        Field.MONITORING: None,  # `none` clears, as in `set`
    }


def test_an_empty_cell_leaves_the_field_as_it_is() -> None:
    _, (changes,) = read("name,owner,threshold,workflow\nChat,,9,\n")
    assert changes == {Field.THRESHOLD: 9.0}


def test_lines_count_from_the_header_across_blank_lines_and_quoted_line_breaks() -> None:
    text = 'name,owner,workflow\n\nA,U0ANN,"two\nlines"\nB,U0ANN,Zendesk\nC,U0ANN,"x\x00"\n'
    assert problem(text)[:2] == (6, "workflow")


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        ("", (1, None), "the file is empty"),
        ("owner,threshold\nU0ANN,9\n", (1, None), "the header needs `name`"),
        ("name,owner,name\n", (1, "name"), "appears twice"),
        ("name,,owner\n", (1, "2"), "has no name"),
        ("name,owner\nChat,U0ANN,extra\n", (2, None), "has 3 cells; the header names 2"),
        ("name,owner\nChat,ann\n", (2, "owner"), "a Slack user id like U012ABCDEF or an email"),
        ("name,owner\n\u200b,U0ANN\n", (2, "name"), "a name that shows"),
        ("key,value,at\nP-1,9,\n", (2, "at"), "`at` needs a value"),
        ("key,value,at\nX-1,9,2026-11-02\n", (2, "key"), "a pilot's key like P-3"),
        ("key,value,at\nP-1,inf,2026-11-02\n", (2, "value"), "`value` takes a number"),
        ("key,value,at,colour\n", (1, "colour"), "is not a column of a readings file"),
    ],
)
def test_each_problem_names_its_line_and_column(
    text: str, where: tuple[int, str | None], says: str
) -> None:
    line, column, message = problem(text)
    assert (line, column) == where
    assert says in message


def test_a_reading_is_dated_in_utc_and_not_after_now() -> None:
    _, rows = read_csv(
        io.StringIO("key,value,at\nP-1,9,2026-11-02T10:00:00+01:00\nP-1,8,2026-11-16 10:00\n"),
        NOW,
    )
    assert [row.model.at for row in rows] == [  # type: ignore[attr-defined]
        datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
        NOW,
    ]
    assert problem("key,value,at\nP-1,9,2026-11-16T10:00:01Z\n")[:2] == (2, "at")
