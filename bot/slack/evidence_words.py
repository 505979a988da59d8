"""The words of the evidence verbs after the pilot key: `update` (with guardrail readings),
`guardrail` and `eval`, and the links `set` takes. Each reads them into its typed command
or raises InvalidInput with one line and the right form."""

from __future__ import annotations

from collections.abc import Sequence

from bot.errors import InvalidInput
from bot.governance.guardrails import NAME_RULE
from bot.governance.guardrails import guardrail_name
from bot.governance.vocabulary import Better
from bot.governance.vocabulary import MeasurementKind
from bot.services.commands import PilotKey
from bot.services.commands import RecordEval
from bot.services.commands import RecordMeasurement
from bot.services.commands import RemoveGuardrail
from bot.services.commands import SetGuardrail
from bot.services.pilots import MAX_NOTE
from bot.slack.fields import quoting
from bot.slack.fields import read_number
from bot.slack.fields import read_percent
from bot.slack.fields import read_text
from bot.slack.fields import read_whole
from bot.slack.fields import shown


def parse_update(key: PilotKey, words: Sequence[str]) -> RecordMeasurement:
    """`[9] [errors:1.8 …] [note]`: the words right after the key or the number that read
    `name:number` are guardrail readings; the note starts at the first that does not."""
    form = f"`/pilot update {key} <number> [guardrail:<number> …] [note]`"
    rest, value = list(words), None
    if rest and guardrail_reading(rest[0]) is None:
        # Whoever typed a word for the number meant a plain reading.
        with quoting(rest[0], f"is not a number: `/pilot update {key} <number> [note]`"):
            value = read_number("value", rest[0])
        rest = rest[1:]
    readings: dict[str, float] = {}
    while rest and (reading := guardrail_reading(rest[0])) is not None:
        name, number = reading
        if name in readings:
            raise InvalidInput(f"`{name}` is read twice; give it once: {form}.")
        readings[name] = number
        rest = rest[1:]
    if value is None and not readings:
        raise InvalidInput(f"`/pilot update` needs a number: {form}.")
    note = read_note(rest, form)
    guardrails = tuple(readings.items())
    return RecordMeasurement(key, MeasurementKind.READING, value, note, None, guardrails)


def guardrail_reading(word: str) -> tuple[str, float] | None:
    """`errors:1.8` -> ("errors", 1.8); None for a word that is no guardrail reading."""
    name_part, colon, number = word.partition(":")
    name = guardrail_name(name_part)
    if not colon or name is None:
        return None
    try:
        return name, read_number(name, number)
    except InvalidInput:
        return None


def parse_guardrail(key: PilotKey, words: Sequence[str]) -> SetGuardrail | RemoveGuardrail:
    """`<name> lower|higher <limit> [unit…]`, or `<name> remove`."""
    form = f"`/pilot guardrail {key} <name> lower|higher <limit> [unit]`"
    if len(words) < 2:
        raise InvalidInput(f"Name the guardrail, which way is better and its limit: {form}.")
    name = guardrail_name(words[0])
    if name is None:
        raise InvalidInput(f"`{shown(words[0])}` is no guardrail name ({NAME_RULE}): {form}.")
    if words[1].lower() == "remove":
        if len(words) > 2:
            raise InvalidInput(
                f"Removing takes nothing more: `/pilot guardrail {key} {name} remove`."
            )
        return RemoveGuardrail(key, name)
    with quoting(words[1], f"is not lower or higher: {form}"):
        better = Better(words[1].lower())
    if len(words) < 3:
        raise InvalidInput(f"Say the limit of {name}: {form}.")
    with quoting(words[2], f"is not a number: {form}"):
        limit = read_number("limit", words[2])
    unit = " ".join(words[3:]).strip()
    if unit:
        read_text("unit", unit, form=form)
    return SetGuardrail(key, name, better, limit, unit or None)


def parse_eval(key: PilotKey, words: Sequence[str]) -> RecordEval:
    """`<score>[%] [n:<size>] [note…]`; without `n:` the run scored the set the last one did."""
    form = f"`/pilot eval {key} <score>% [n:<examples>] [note]`"
    if not words:
        raise InvalidInput(f"`/pilot eval` needs the run's score: {form}.")
    with quoting(words[0], f"is not a score from 0 to 100%: {form}"):
        score = read_percent("score", words[0])
    rest, size = list(words[1:]), None
    if rest and rest[0].lower().startswith("n:"):
        with quoting(rest[0], f"is no number of examples above 0, like `n:150`: {form}"):
            size = read_whole("n", rest[0][len("n:") :])
        rest = rest[1:]
    return RecordEval(key, score, size, read_note(rest, form))


def rejoin_slack_escapes(tokens: Sequence[str]) -> list[str]:
    """Rejoins a Slack escape that spaces split: a link's label may hold spaces
    (`eval-report:<https://x|run 7>`)."""
    joined: list[str] = []
    for token in tokens:
        if joined and "<" in joined[-1] and ">" not in joined[-1].rsplit("<", 1)[1]:
            joined[-1] += " " + token
        else:
            joined.append(token)
    return joined


def read_note(words: Sequence[str], form: str) -> str | None:
    """The words left as a note, or None; a note too long or holding control characters is
    refused with `form`."""
    note = " ".join(words).strip()
    if note:
        read_text("note", note, limit=MAX_NOTE, form=form)
    return note or None
