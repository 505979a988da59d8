"""A spreadsheet's rows read into typed values, one pydantic model per row.

Cells are read by the same readers as `/pilot set` values (bot.slack.fields), since people
type them the same way; only people differ: a cell names a Slack user id or an email, where
Slack hands `set` an escaped mention. An empty cell leaves a field as it is; `none` (or `-`)
clears the fields that `set` can clear. Every problem names its line (the header is line 1)
and its column.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from enum import StrEnum
from typing import Annotated
from typing import Any
from typing import TextIO

from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import Field as Column
from pydantic import PlainValidator
from pydantic import ValidationError
from pydantic import ValidationInfo
from pydantic import create_model

from bot.errors import InvalidInput
from bot.governance.text import pilot_name
from bot.governance.vocabulary import Field
from bot.governance.zones import iso_instant
from bot.services.commands import FieldValue
from bot.services.commands import PilotKey
from bot.slack.fields import FIELDS
from bot.slack.fields import USER_ID
from bot.slack.fields import mentioned_user
from bot.slack.fields import read_number
from bot.slack.fields import read_text
from bot.slack.fields import shown

MAX_NOTE = 2000
EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
READING_COLUMNS = ("key", "value", "at")
# Pilot columns besides the `set` fields: why a locked threshold or direction changes.
PILOT_EXTRAS = ("reason",)


class BadRow(InvalidInput):
    """A cell, row or header that cannot be imported: nothing is."""

    def __init__(self, line: int, column: str | None, problem: str) -> None:
        where = f"line {line}" + (f", column {column}" if column else "")
        super().__init__(f"{where}: {problem}")
        self.line = line
        self.column = column


class FileKind(StrEnum):
    PILOTS = "pilots"
    READINGS = "readings"


@dataclass(frozen=True)
class Person:
    """Who a cell names: a Slack user id, or an email to look up in the workspace."""

    user_id: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Row:
    line: int
    model: BaseModel

    def fills(self, column: str) -> bool:
        """Whether the row's cell in `column` has a value (an empty one leaves a field be)."""
        return _python(column) in self.model.model_fields_set


def _cell_reader(read: Callable[[str], Any]) -> Any:
    """A pydantic validator around a reader that speaks InvalidInput."""

    def validate(raw: object) -> Any:
        try:
            return read(str(raw))
        except InvalidInput as error:
            raise ValueError(error.message) from None

    return PlainValidator(validate)


def read_person(name: str) -> Callable[[str], Person]:
    def read(raw: str) -> Person:
        text = raw.strip()
        user = mentioned_user(text) or (text if USER_ID.match(text) else None)
        if user is not None:
            return Person(user_id=user)
        if EMAIL.match(text):
            return Person(email=text.lower())
        raise InvalidInput(
            f"`{name}` takes a Slack user id like U012ABCDEF or an email; `{shown(raw)}` is "
            "neither."
        )

    return read


def _pilot_columns() -> dict[str, Any]:
    columns: dict[str, Any] = {
        "name": (Annotated[str, _cell_reader(pilot_name)], Column(alias="name")),
        "reason": (
            Annotated[str | None, _cell_reader(lambda raw: read_text("reason", raw))],
            Column(default=None, alias="reason"),
        ),
    }
    for name in FIELDS:
        if name == Field.NAME.value:
            continue
        people = name in (Field.OWNER, Field.SPONSOR)
        reader: Callable[[str], Any] = read_person(name) if people else FIELDS[name].parse
        columns[_python(name)] = (
            Annotated[Any, _cell_reader(reader)],
            Column(default=None, alias=name),
        )
    return columns


def _python(column: str) -> str:
    return column.replace("-", "_")


PilotRow: type[BaseModel] = create_model(
    "PilotRow",
    __config__=ConfigDict(frozen=True, extra="forbid", populate_by_name=False),
    **_pilot_columns(),
)


def changes_of(row: Row) -> dict[Field, FieldValue | Person]:
    """The `set` fields a pilot row fills, with the people still to be resolved."""
    return {
        Field(name): getattr(row.model, _python(name))
        for name in FIELDS
        if name != Field.NAME.value and row.fills(name)
    }


def _read_key(raw: str) -> PilotKey:
    key = PilotKey.parse(raw)
    if key is None:
        raise InvalidInput(f"`key` is a pilot's key like P-3; `{shown(raw)}` is not one.")
    return key


def _read_at(raw: object, info: ValidationInfo) -> datetime:
    """ISO-8601; without an offset it is UTC, and a bare date is its midnight, UTC."""
    text = str(raw).strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            moment = datetime.combine(date.fromisoformat(text), time(), UTC)
        else:
            moment = iso_instant(text)
    except ValueError:
        raise ValueError(
            f"`at` is an ISO-8601 instant like 2026-11-02T09:00:00Z; `{shown(text)}` is not one."
        ) from None
    now = (info.context or {}).get("now")
    if isinstance(now, datetime) and moment > now:
        raise ValueError(f"`at` {moment.isoformat()} is in the future; a reading has happened.")
    return moment.astimezone(UTC)


class ReadingRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    key: Annotated[PilotKey, _cell_reader(_read_key)]
    value: Annotated[float, _cell_reader(lambda raw: read_number("value", raw))]
    at: Annotated[datetime, PlainValidator(_read_at)]
    metric: Annotated[str | None, _cell_reader(lambda raw: read_text("metric", raw))] = None
    note: Annotated[
        str | None, _cell_reader(lambda raw: read_text("note", raw, limit=MAX_NOTE))
    ] = None


def read_csv(source: TextIO, now: datetime) -> tuple[FileKind, list[Row]]:
    """Every row of the file, read and checked; the first problem stops the reading."""
    lines = _records(source)
    try:
        line, header = next(lines)
    except StopIteration:
        raise BadRow(1, None, "the file is empty; it needs a header line") from None
    columns = [cell.strip().lower() for cell in header]
    kind = _kind(columns)
    _check_header(columns, kind)
    model = PilotRow if kind is FileKind.PILOTS else ReadingRow
    rows = []
    for line, cells in lines:
        if len(cells) > len(columns):
            raise BadRow(line, None, f"has {len(cells)} cells; the header names {len(columns)}")
        given = {c: v.strip() for c, v in zip(columns, cells, strict=False) if v.strip()}
        rows.append(Row(line, _validate(model, given, line, now)))
    return kind, rows


def _records(source: TextIO) -> Iterator[tuple[int, list[str]]]:
    """(line the record starts on, its cells); blank lines are skipped."""
    reader = csv.reader(source, strict=True)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise BadRow(start, None, f"is not well-formed CSV: {error}") from None
        if any(cell.strip() for cell in cells):
            yield start, cells


def _kind(columns: list[str]) -> FileKind:
    if all(name in columns for name in READING_COLUMNS):
        return FileKind.READINGS
    if "name" in columns:
        return FileKind.PILOTS
    raise BadRow(
        1, None, "the header needs `name` (a file of pilots) or `key,value,at` (a file of readings)"
    )


def _check_header(columns: list[str], kind: FileKind) -> None:
    known: Iterable[str] = (
        ReadingRow.model_fields if kind is FileKind.READINGS else [*FIELDS, *PILOT_EXTRAS]
    )
    allowed = set(known)
    seen: set[str] = set()
    for number, name in enumerate(columns, start=1):
        if not name:
            raise BadRow(1, str(number), "has no name; name every column or remove it")
        if name in seen:
            raise BadRow(1, name, "appears twice")
        if name not in allowed:
            raise BadRow(1, name, f"is not a column of a {kind} file; they are {', '.join(known)}")
        seen.add(name)


def _validate(model: type[BaseModel], given: Mapping[str, str], line: int, now: datetime) -> Any:
    try:
        return model.model_validate(given, context={"now": now})
    except ValidationError as error:
        first = error.errors()[0]
        column = str(first["loc"][0]) if first["loc"] else None
        if first["type"] == "missing":
            raise BadRow(line, column, f"`{column}` needs a value") from None
        problem = str(first["msg"]).removeprefix("Value error, ")
        raise BadRow(line, column, problem) from None
