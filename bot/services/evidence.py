"""The evidence use cases' changes to a pilot: guardrails and their readings, and evaluation
runs (from `/pilot eval`, or `eval-score`/`eval-size` set like any field).

Each function changes the stored pilot it is given, inside the one mutation path of
bot.services.pilots, and returns warnings for the person; a bad value raises InvalidInput
before anything is changed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.errors import InvalidInput
from bot.governance.evaluations import regressions
from bot.governance.facts import EvaluationRun
from bot.governance.formatting import format_number
from bot.governance.guardrails import MAX_GUARDRAILS
from bot.governance.guardrails import NAME_RULE
from bot.governance.guardrails import guardrail_name
from bot.governance.vocabulary import Field
from bot.services.commands import Changes
from bot.services.commands import RemoveGuardrail
from bot.services.commands import SetGuardrail
from storage.models import Evaluation
from storage.models import Guardrail as StoredGuardrail
from storage.models import Measurement
from storage.models import MeasurementKind
from storage.models import Pilot

# The measurement kind of a guardrail reading; its `metric` names the guardrail.
GUARDRAIL_KIND = MeasurementKind.GUARDRAIL
MAX_UNIT = 200
MAX_EVAL_SIZE = 1_000_000_000


@dataclass(frozen=True)
class EvalFields:
    """An evaluation run given as the fields `eval-score` and `eval-size` of `set`."""

    score: float
    size: int | None


def set_guardrail(pilot: Pilot, command: SetGuardrail, now: datetime) -> list[str]:
    name = _name(pilot, command.name)
    if not math.isfinite(command.limit):
        raise InvalidInput(f"A guardrail's limit is a number: {_guardrail_form(pilot, name)}.")
    if command.unit is not None and len(command.unit) > MAX_UNIT:
        raise InvalidInput(f"A unit is {MAX_UNIT} characters at most.")
    rail = _find(pilot, name)
    if rail is None:
        if len(pilot.guardrails) >= MAX_GUARDRAILS:
            raise InvalidInput(
                f"{pilot.key} has {MAX_GUARDRAILS} guardrails, as many as a chart shows; "
                f"remove one first: `/pilot guardrail {pilot.key} <name> remove`."
            )
        pilot.guardrails.append(
            StoredGuardrail(
                name=name,
                better=command.better.value,
                limit=command.limit,
                unit=command.unit,
                added_at=now,
            )
        )
        return []
    rail.better = command.better.value
    rail.limit = command.limit
    if command.unit is not None:
        rail.unit = command.unit
    return []


def remove_guardrail(pilot: Pilot, command: RemoveGuardrail) -> list[str]:
    """Its readings stay in the record; only the guardrail stops counting."""
    name = _name(pilot, command.name)
    rail = _find(pilot, name)
    if rail is None:
        raise InvalidInput(_unknown(pilot, name))
    pilot.guardrails.remove(rail)
    return []


def record_guardrail_readings(
    pilot: Pilot,
    readings: Sequence[tuple[str, float]],
    by: str,
    now: datetime,
    note: str | None,
) -> None:
    """Every name must be a guardrail of the pilot, each read once."""
    names = [_name(pilot, name) for name, _ in readings]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise InvalidInput(
            f"Read each guardrail once; {', '.join(twice)} came twice: "
            f"`/pilot update {pilot.key} <number> {twice[0]}:<number>`."
        )
    for name, (_, value) in zip(names, readings, strict=True):
        rail = _find(pilot, name)
        if rail is None:
            raise InvalidInput(_unknown(pilot, name))
        if not math.isfinite(value):
            raise InvalidInput(f"A reading of {name} is a number: `{name}:1.8`.")
        pilot.measurements.append(
            Measurement(
                kind=GUARDRAIL_KIND,
                metric=rail.name,
                value=value,
                note=note,
                recorded_by=by,
                recorded_at=now,
            )
        )


def split_eval_run(key: str, changes: Changes) -> tuple[Changes, EvalFields | None]:
    """The fields of `set` other than `eval-score` and `eval-size`, and the run those two
    record. A size alone is no run: it needs the score the run got."""
    rest = {name: value for name, value in changes.items() if name not in _RUN_FIELDS}
    score, size = changes.get(Field.EVAL_SCORE), changes.get(Field.EVAL_SIZE)
    if score is None and size is None:
        return rest, None
    if not isinstance(score, int | float) or isinstance(score, bool):
        raise InvalidInput(
            f"`eval-size` comes with the run's score: `/pilot set {key} eval-score:<percent> "
            f"eval-size:<examples>`, or `/pilot eval {key} <score>% n:<examples>`."
        )
    if size is not None and (not isinstance(size, int) or isinstance(size, bool)):
        raise InvalidInput(
            f"`eval-size` is a whole number above 0: `/pilot set {key} eval-size:150`."
        )
    return rest, EvalFields(float(score), size)


_RUN_FIELDS = frozenset({Field.EVAL_SCORE, Field.EVAL_SIZE})


def record_eval_fields(pilot: Pilot, run: EvalFields, by: str, now: datetime) -> list[str]:
    """`set eval-score:… [eval-size:…]` records a run, unless it says what the latest run
    already says: setting a field to the value it has changes nothing, and a form showing the
    latest run that comes back untouched records no second one."""
    latest = _latest_run(pilot)
    if latest is not None and run.score == latest.score and run.size in (None, latest.size):
        return []
    return record_eval(pilot, run.score, run.size, None, by, now)


def record_eval(
    pilot: Pilot,
    score: float,
    size: int | None,
    note: str | None,
    by: str,
    at: datetime,
    reported_at: datetime | None = None,
) -> list[str]:
    """Records a run made at `at` and reported at `reported_at` (by default then); `size`
    None is the size of the run before. A run that is a regression says so at once (its owner
    and the Accountable of evaluation hear of it by DM, from when it was reported)."""
    key = pilot.key
    if not math.isfinite(score) or not 0 <= score <= 100:
        raise InvalidInput(f"An eval score is a percentage from 0 to 100: `/pilot eval {key} 96%`.")
    # The run before this one in time: a run reported late is compared with what came before.
    previous = _latest_run(pilot, at)
    if size is None:
        if previous is None:
            raise InvalidInput(
                f"Say how many examples the first run scored: `/pilot eval {key} "
                f"{format_number(score)}% n:<examples>`."
            )
        size = previous.size
    if not 1 <= size <= MAX_EVAL_SIZE:
        raise InvalidInput(
            "An eval set has a whole number of examples above 0: "
            f"`/pilot eval {key} {format_number(score)}% n:150`."
        )
    pilot.evaluations.append(
        Evaluation(
            score=score,
            size=size,
            note=note or None,
            recorded_by=by,
            recorded_at=at,
            reported_at=max(at, reported_at or at),
        )
    )
    latest = EvaluationRun(score, size, at)
    runs = [latest]
    if previous is not None:
        runs.insert(0, EvaluationRun(previous.score, previous.size, previous.recorded_at))
    found = regressions(runs, pilot.eval_bar)
    if not found or found[-1].run is not latest:
        return []
    return [
        f"Note: this run is a regression: it {found[-1].words(pilot.eval_bar)}. Its owner and "
        "the Accountable of evaluation will hear of it."
    ]


def _latest_run(pilot: Pilot, as_of: datetime | None = None) -> Evaluation | None:
    runs = [run for run in pilot.evaluations if as_of is None or run.recorded_at <= as_of]
    return max(runs, key=lambda run: (run.recorded_at, run.id), default=None)


def _name(pilot: Pilot, text: str) -> str:
    name = guardrail_name(text)
    if name is None:
        raise InvalidInput(
            f"A guardrail name is short and plain ({NAME_RULE}), like `errors`: "
            f"`/pilot guardrail {pilot.key} errors lower 2 %`."
        )
    return name


def _find(pilot: Pilot, name: str) -> StoredGuardrail | None:
    return next((rail for rail in pilot.guardrails if rail.name == name), None)


def _unknown(pilot: Pilot, name: str) -> str:
    known = ", ".join(rail.name for rail in pilot.guardrails)
    kept = f" (it has {known})" if known else ""
    return (
        f"{pilot.key} has no guardrail {name}{kept}; add it with "
        f"`/pilot guardrail {pilot.key} {name} lower|higher <limit>`."
    )


def _guardrail_form(pilot: Pilot, name: str) -> str:
    return f"`/pilot guardrail {pilot.key} {name} lower|higher <limit> [unit]`"
