"""Modal submissions read as the same raw field strings the slash command takes, and checked
field by field so `response_action: errors` can point at the exact input that is wrong."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.errors import InvalidInput
from bot.governance.fields import MAX_TEXT, field_spec, read_number, read_text
from bot.governance.vocabulary import Decision
from bot.services.pilots import MAX_NOTE
from bot.slack.ids import Block

# Which `set` field each registration input fills.
REGISTRATION_FIELDS = {
    Block.OWNER: "owner",
    Block.SPONSOR: "sponsor",
    Block.WORKFLOW: "workflow",
    Block.METRIC: "metric",
    Block.UNIT: "unit",
    Block.BETTER: "better",
    Block.THRESHOLD: "threshold",
    Block.DECIDE_BY: "decide-by",
    Block.CADENCE: "cadence",
}
USER_FIELDS = {Block.OWNER, Block.SPONSOR}


@dataclass(frozen=True)
class Checked:
    """What a form said, or the errors to show against its inputs."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _present(values: Mapping[str, str | None], block: Block) -> str | None:
    value = values.get(block.value)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _check_text(errors: dict[str, str], block: Block, name: str, text: str, limit: int) -> None:
    """The same rule the use case applies, so a form that passes here is never refused later."""
    try:
        read_text(name, text, limit=limit, form="plain text")
    except InvalidInput:
        errors[block.value] = f"Plain text of at most {limit:,} characters, please."


def registration(values: Mapping[str, str | None]) -> Checked:
    errors: dict[str, str] = {}
    name = _present(values, Block.NAME)
    if name is None:
        errors[Block.NAME.value] = "Give the pilot a name."
    else:
        _check_text(errors, Block.NAME, "name", name, MAX_TEXT)
    fields: dict[str, str] = {}
    for block, name_of_field in REGISTRATION_FIELDS.items():
        value = _present(values, block)
        if value is None:
            continue
        raw = f"<@{value}>" if block in USER_FIELDS else value
        try:
            field_spec(name_of_field).parse(raw)
        except InvalidInput as error:
            errors[block.value] = error.message
            continue
        fields[name_of_field] = raw
    if errors:
        return Checked(errors=errors)
    return Checked(values={"name": name or "", **fields})


def measurement(values: Mapping[str, str | None]) -> Checked:
    value = _present(values, Block.VALUE)
    note = _present(values, Block.NOTE) or ""
    errors: dict[str, str] = {}
    if value is None:
        errors[Block.VALUE.value] = "Enter the number."
    else:
        try:
            read_number("value", value)
        except InvalidInput:
            errors[Block.VALUE.value] = "Enter a number, like 9.8."
    if note:
        _check_text(errors, Block.NOTE, "note", note, MAX_NOTE)
    if errors:
        return Checked(errors=errors)
    return Checked(values={"value": value or "", "note": note})


def decision(values: Mapping[str, str | None]) -> Checked:
    choice = _present(values, Block.DECISION)
    rationale = _present(values, Block.RATIONALE)
    errors: dict[str, str] = {}
    if choice not in {d.value for d in Decision}:
        errors[Block.DECISION.value] = "Choose go, no-go or extend."
    if rationale is None:
        errors[Block.RATIONALE.value] = "Say why, for the record."
    else:
        _check_text(errors, Block.RATIONALE, "reason", rationale, MAX_NOTE)
    if errors:
        return Checked(errors=errors)
    return Checked(values={"decision": choice or "", "rationale": rationale or ""})
