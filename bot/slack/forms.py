"""Modal submissions read into typed values, checked field by field so `response_action:
errors` can point at the exact input that is wrong. The same readers as the slash command's,
so a form that passes here is never refused for its words later."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from typing import Generic
from typing import TypeVar

from bot.errors import InvalidInput
from bot.governance.text import pilot_name
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import Field
from bot.services.commands import FieldValue
from bot.services.commands import Register
from bot.services.pilots import MAX_NOTE
from bot.slack.fields import FIELDS
from bot.slack.fields import MAX_TEXT
from bot.slack.fields import read_date
from bot.slack.fields import read_number
from bot.slack.fields import read_text
from bot.slack.fields import read_user_id
from bot.slack.ids import Block

# Which `set` field each registration input fills.
REGISTRATION_FIELDS = {
    Block.OWNER: Field.OWNER,
    Block.SPONSOR: Field.SPONSOR,
    Block.WORKFLOW: Field.WORKFLOW,
    Block.METRIC: Field.METRIC,
    Block.UNIT: Field.UNIT,
    Block.BETTER: Field.BETTER,
    Block.THRESHOLD: Field.THRESHOLD,
    Block.DECIDE_BY: Field.DECIDE_BY,
    Block.CADENCE: Field.CADENCE,
}
# A users_select hands back a bare user id.
USER_FIELDS = {Block.OWNER, Block.SPONSOR}

T = TypeVar("T")


@dataclass(frozen=True)
class Checked(Generic[T]):
    """What a form said, or the errors to show against its inputs."""

    value: T | None = None
    errors: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class MeasurementInput:
    value: float
    note: str | None
    reason: str | None = None


@dataclass(frozen=True)
class DecisionInput:
    decision: Decision
    rationale: str
    until: date | None = None


def _present(values: Mapping[str, str | None], block: Block) -> str | None:
    value = values.get(block.value)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _check_text(errors: dict[str, str], block: Block, name: str, text: str, limit: int) -> None:
    try:
        read_text(name, text, limit=limit, form="plain text")
    except InvalidInput:
        errors[block.value] = f"Plain text of at most {limit:,} characters, please."


def _read_fields(
    values: Mapping[str, str | None], fields: Mapping[Block, Field], errors: dict[str, str]
) -> dict[Field, FieldValue]:
    """Each filled input read as `set` reads it (a users_select as the user id it holds); an
    input left empty changes nothing. What does not read goes into `errors`, by block."""
    changes: dict[Field, FieldValue] = {}
    for block, which in fields.items():
        raw = _present(values, block)
        if raw is None:
            continue
        try:
            if block in USER_FIELDS:
                changes[which] = read_user_id(which.value, raw)
            else:
                changes[which] = FIELDS[which.value].parse(raw)
        except InvalidInput as error:
            errors[block.value] = error.message
    return changes


def registration(values: Mapping[str, str | None]) -> Checked[Register]:
    errors: dict[str, str] = {}
    name = _present(values, Block.NAME)
    if name is None:
        errors[Block.NAME.value] = "Give the pilot a name."
    else:
        _check_text(errors, Block.NAME, "name", name, MAX_TEXT)
        if Block.NAME.value not in errors:
            try:
                pilot_name(name)
            except InvalidInput as error:
                errors[Block.NAME.value] = error.message
    changes = _read_fields(values, REGISTRATION_FIELDS, errors)
    if errors or name is None:
        return Checked(errors=errors)
    return Checked(Register(name, changes))


def measurement(
    values: Mapping[str, str | None], *, reason_needed: bool = False
) -> Checked[MeasurementInput]:
    """`reason_needed`: a baseline measured again once readings began says why."""
    raw = _present(values, Block.VALUE)
    note = _present(values, Block.NOTE)
    reason = _present(values, Block.REASON) if reason_needed else None
    errors: dict[str, str] = {}
    if reason_needed and reason is None:
        errors[Block.REASON.value] = "Say why it is measured again, for the record."
    elif reason:
        _check_text(errors, Block.REASON, "reason", reason, MAX_NOTE)
    number = None
    if raw is None:
        errors[Block.VALUE.value] = "Enter the number."
    else:
        try:
            number = read_number("value", raw)
        except InvalidInput:
            errors[Block.VALUE.value] = "Enter a number, like 9.8."
    if note:
        _check_text(errors, Block.NOTE, "note", note, MAX_NOTE)
    if errors or number is None:
        return Checked(errors=errors)
    return Checked(MeasurementInput(number, note, reason))


def decision(
    values: Mapping[str, str | None], *, today: date | None = None
) -> Checked[DecisionInput]:
    """`today` on the pilot owner's clock: an extension's new date must come after it."""
    choice = _present(values, Block.DECISION)
    rationale = _present(values, Block.RATIONALE)
    errors: dict[str, str] = {}
    until = None
    if choice not in {d.value for d in Decision}:
        errors[Block.DECISION.value] = "Choose go, no-go or extend."
    elif choice == Decision.EXTEND.value:
        until, problem = _new_date(_present(values, Block.UNTIL), today)
        if problem:
            errors[Block.UNTIL.value] = problem
    if rationale is None:
        errors[Block.RATIONALE.value] = "Say why, for the record."
    else:
        _check_text(errors, Block.RATIONALE, "reason", rationale, MAX_NOTE)
    if errors or choice is None or rationale is None:
        return Checked(errors=errors)
    return Checked(DecisionInput(Decision(choice), rationale, until))


def _new_date(raw: str | None, today: date | None) -> tuple[date | None, str | None]:
    if raw is None:
        return None, "Extend needs its new decide-by date."
    try:
        day = read_date("until", raw)
    except InvalidInput:
        return None, "Pick the new decide-by date."
    if today is not None and day <= today:
        return None, f"Pick a date after today ({today.isoformat()})."
    return day, None


# Which field each input of the Complete the pilot form fills.
COMPLETE_FIELDS = {
    Block.METRIC: Field.METRIC,
    Block.UNIT: Field.UNIT,
    Block.BETTER: Field.BETTER,
    Block.THRESHOLD: Field.THRESHOLD,
    Block.WORKFLOW: Field.WORKFLOW,
    Block.MONITORING: Field.MONITORING,
    Block.ROLLBACK: Field.ROLLBACK,
    Block.EVAL_SIZE: Field.EVAL_SIZE,
    Block.EVAL_SCORE: Field.EVAL_SCORE,
    Block.EVAL_BAR: Field.EVAL_BAR,
    Block.COST_PER_UNIT: Field.COST_PER_UNIT,
    Block.VALUE_PER_UNIT: Field.VALUE_PER_UNIT,
    Block.VOLUME: Field.VOLUME,
    Block.CURRENCY: Field.CURRENCY,
    Block.EVAL_REPORT: Field.EVAL_REPORT,
    Block.DASHBOARD: Field.DASHBOARD,
    Block.RUNBOOK: Field.RUNBOOK,
}


@dataclass(frozen=True)
class CompleteInput:
    changes: dict[Field, FieldValue]
    accountable: str | None


def complete(values: Mapping[str, str | None]) -> Checked[CompleteInput]:
    """Every filled input is read as `set` reads it; an input left empty changes nothing."""
    errors: dict[str, str] = {}
    changes = _read_fields(values, COMPLETE_FIELDS, errors)
    accountable = _present(values, Block.ACCOUNTABLE)
    if accountable is not None:
        try:
            read_user_id("accountable", accountable)
        except InvalidInput as error:
            errors[Block.ACCOUNTABLE.value] = error.message
    if errors:
        return Checked(errors=errors)
    return Checked(CompleteInput(changes, accountable))
