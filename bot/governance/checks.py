"""The readiness checks one by one: each passes, or leaves a gap worded for a person with
the one command that closes it.

`bot.governance.readiness` runs them all and turns them into the verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.governance import cadence as cadence_rules
from bot.governance.facts import PilotFacts
from bot.governance.formatting import format_day
from bot.governance.formatting import format_money
from bot.governance.formatting import format_number
from bot.governance.formatting import format_quantity
from bot.governance.formatting import is_break_even
from bot.governance.locks import has_readings
from bot.governance.people import person
from bot.governance.vocabulary import Better
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole

MIN_EVAL_EXAMPLES = 100


class CheckId(StrEnum):
    OWNER = "owner"
    SPONSOR = "sponsor"
    SPONSOR_NOT_OWNER = "sponsor_not_owner"
    SPONSOR_ACTIVE = "sponsor_active"
    METRIC = "metric"
    BASELINE = "baseline"
    THRESHOLD_IMPROVES = "threshold_improves"
    READING_CURRENT = "reading_current"
    THRESHOLD_CLEARED = "threshold_cleared"
    # One check per guardrail (bot.governance.guardrails); none for a pilot without any.
    GUARDRAIL = "guardrail"
    EVALUATION = "evaluation"
    WORKFLOW = "workflow"
    MONITORING = "monitoring"
    ROLLBACK = "rollback"
    ECONOMICS = "economics"
    RACI = "raci"


@dataclass(frozen=True)
class Check:
    id: CheckId
    passed: bool
    # None on a failed check whose cause another gap already names (no reading to compare).
    gap: str | None = None


def clears_threshold(facts: PilotFacts) -> bool | None:
    """Whether the latest reading clears the threshold; None when there is nothing to compare."""
    if facts.latest_reading is None or facts.threshold is None or facts.better is None:
        return None
    value = facts.latest_reading.value
    if facts.better is Better.LOWER:
        return value <= facts.threshold
    return value >= facts.threshold


def all_checks(facts: PilotFacts, now: datetime, tz: ZoneInfo) -> tuple[Check, ...]:
    """Every check in the order people read them: who, what is measured, how it does, and
    what production needs."""
    key = facts.key
    return (
        _present(
            CheckId.OWNER,
            facts.owner,
            f"No owner: name the one person accountable with `/pilot set {key} owner:@name`",
        ),
        _present(
            CheckId.SPONSOR,
            facts.sponsor,
            "No sponsor: name the executive who will decide go or no-go with "
            f"`/pilot set {key} sponsor:@name`",
        ),
        _sponsor_not_owner_check(facts),
        _sponsor_active_check(facts),
        _metric_check(facts),
        _baseline_check(facts),
        _threshold_improves_check(facts),
        _reading_check(facts, now, tz),
        _threshold_check(facts),
        _evaluation_check(facts),
        _present(
            CheckId.WORKFLOW,
            facts.workflow,
            "No live workflow named: say which system it will write into with "
            f"`/pilot set {key} workflow:<system>`",
        ),
        _present(
            CheckId.MONITORING,
            facts.monitoring,
            "No monitoring in place: say where its quality is watched in production with "
            f"`/pilot set {key} monitoring:<where>`",
        ),
        _rollback_check(facts),
        _economics_check(facts),
        _raci_check(facts),
    )


def _present(check_id: CheckId, value: object, gap: str) -> Check:
    passed = value is not None and value != ""
    return Check(check_id, passed, None if passed else gap)


def _sponsor_not_owner_check(facts: PilotFacts) -> Check:
    """The person who decides is not the person whose work is judged. Like the two checks
    after it, it passes when there is nothing to compare: the missing owner or sponsor is
    a gap of its own and already keeps the pilot from Go."""
    problem = None
    if facts.sponsor is not None and facts.sponsor == facts.owner:
        problem = (
            f"The sponsor is also the owner, {person(facts.sponsor)}: name an executive other "
            "than the owner to decide go or no-go"
        )
    return _sponsor_check(CheckId.SPONSOR_NOT_OWNER, facts, problem)


def _sponsor_active_check(facts: PilotFacts) -> Check:
    problem = None
    if facts.sponsor is not None and facts.sponsor_deactivated:
        problem = (
            f"The sponsor, {person(facts.sponsor)}, is no longer a member of the workspace: "
            "name who decides now"
        )
    return _sponsor_check(CheckId.SPONSOR_ACTIVE, facts, problem)


def _sponsor_check(check_id: CheckId, facts: PilotFacts, problem: str | None) -> Check:
    """A check on who the sponsor is: passed without a `problem`, else a gap saying it and the
    one command that names another sponsor."""
    if problem is None:
        return Check(check_id, True)
    return Check(check_id, False, f"{problem} with `/pilot set {facts.key} sponsor:@name`")


def _metric_check(facts: PilotFacts) -> Check:
    missing = [
        name
        for name, value in (
            ("metric", facts.metric_name),
            ("better", facts.better),
            ("threshold", facts.threshold),
        )
        if value is None
    ]
    if not missing:
        return Check(CheckId.METRIC, True)
    example = {
        "metric": 'metric:"handle time"',
        "better": "better:lower|higher",
        "threshold": "threshold:<number>",
    }
    form = " ".join(example[name] for name in missing)
    return Check(
        CheckId.METRIC,
        False,
        f"No agreed go-live {' or '.join(_METRIC_WORDS[name] for name in missing)}: "
        f"agree it before the build and set it with `/pilot set {facts.key} {form}`",
    )


_METRIC_WORDS = {"metric": "metric", "better": "direction", "threshold": "threshold"}


def _baseline_check(facts: PilotFacts) -> Check:
    key = facts.key
    if facts.first_baseline is None:
        return Check(
            CheckId.BASELINE,
            False,
            "No baseline: measure the before-state and record it with "
            f"`/pilot baseline {key} <number>`",
        )
    first_reading = facts.first_reading
    late = first_reading is not None and first_reading.at < facts.first_baseline.at
    if not late or facts.baseline_accepted or first_reading is None:
        return Check(CheckId.BASELINE, True)
    return Check(
        CheckId.BASELINE,
        False,
        f"Baseline was recorded after readings began ({format_day(first_reading.at.date())}"
        f" before {format_day(facts.first_baseline.at.date())}), so it may already include "
        "the pilot's effect: the sponsor accepts it with "
        f"`/pilot accept {key} baseline <reason…>`",
    )


def _threshold_improves_check(facts: PilotFacts) -> Check:
    """A target no better than the before-state cannot make a pilot Go: a reading can clear
    it while the work got worse (baseline 7, go at ≤ 8, a reading of 7.9)."""
    baseline, threshold, better = facts.baseline, facts.threshold, facts.better
    if baseline is None or threshold is None or better is None:
        return Check(CheckId.THRESHOLD_IMPROVES, True)
    improves = threshold < baseline.value if better is Better.LOWER else threshold > baseline.value
    if improves:
        return Check(CheckId.THRESHOLD_IMPROVES, True)
    word = "below" if better is Better.LOWER else "above"
    reason = ' reason:"…"' if has_readings(facts) else ""
    return Check(
        CheckId.THRESHOLD_IMPROVES,
        False,
        f"The threshold of {format_quantity(threshold, facts.unit)} is no improvement on the "
        f"baseline of {format_quantity(baseline.value, facts.unit)} ({better.value} is better): "
        f"agree a target {word} the baseline and set it with "
        f"`/pilot set {facts.key} threshold:<number>{reason}`",
    )


def _reading_check(facts: PilotFacts, now: datetime, tz: ZoneInfo) -> Check:
    key = facts.key
    reading = facts.latest_reading
    if reading is None:
        return Check(
            CheckId.READING_CURRENT,
            False,
            f"No reading yet: record the go-live metric with `/pilot update {key} <number>`",
        )
    if cadence_rules.is_current(reading.at, now, facts.cadence, tz):
        return Check(CheckId.READING_CURRENT, True)
    return Check(
        CheckId.READING_CURRENT,
        False,
        f"Latest reading is from {format_day(reading.at.astimezone(tz).date())}, older than the "
        f"{facts.cadence.value} cadence: record a new one with `/pilot update {key} <number>`",
    )


def _threshold_check(facts: PilotFacts) -> Check:
    reading, threshold = facts.latest_reading, facts.threshold
    clears = clears_threshold(facts)
    if clears is None or reading is None or threshold is None:
        return Check(CheckId.THRESHOLD_CLEARED, False)
    if clears:
        return Check(CheckId.THRESHOLD_CLEARED, True)
    bound = "or lower" if facts.better is Better.LOWER else "or higher"
    return Check(
        CheckId.THRESHOLD_CLEARED,
        False,
        f"Latest reading {format_quantity(reading.value, facts.unit)} does not clear "
        f"the threshold of {format_quantity(threshold, facts.unit)} {bound}: record the "
        f"next one with `/pilot update {facts.key} <number>`",
    )


def _evaluation_check(facts: PilotFacts) -> Check:
    key = facts.key
    if facts.eval_size is None or facts.eval_score is None or facts.eval_bar is None:
        return Check(
            CheckId.EVALUATION,
            False,
            f"No evaluation bar: score it on at least {MIN_EVAL_EXAMPLES} real, labelled examples "
            f"and set `/pilot set {key} eval-size:<examples> eval-score:<percent> "
            "eval-bar:<percent>`",
        )
    if facts.eval_bar <= 0:
        # Every score clears a bar of 0: it was never agreed.
        return Check(
            CheckId.EVALUATION,
            False,
            f"The eval bar is {format_number(facts.eval_bar)}%, so any score passes: agree the "
            f"share of examples it must get right and set `/pilot set {key} eval-bar:<percent>`",
        )
    if facts.eval_size < MIN_EVAL_EXAMPLES:
        return Check(
            CheckId.EVALUATION,
            False,
            f"Eval set has {format_number(facts.eval_size)} examples; at least "
            f"{MIN_EVAL_EXAMPLES} are needed: grow it and set "
            f"`/pilot set {key} eval-size:<examples> eval-score:<percent>`",
        )
    if facts.eval_score < facts.eval_bar:
        return Check(
            CheckId.EVALUATION,
            False,
            f"Eval score {format_number(facts.eval_score)}% is below the "
            f"{format_number(facts.eval_bar)}% bar: after the next run set "
            f"`/pilot set {key} eval-score:<percent>`",
        )
    return Check(CheckId.EVALUATION, True)


def _rollback_check(facts: PilotFacts) -> Check:
    if facts.rollback:
        return Check(CheckId.ROLLBACK, True)
    return Check(
        CheckId.ROLLBACK,
        False,
        "No rollback or kill switch: build one, then record it with "
        f"`/pilot set {facts.key} rollback:yes`",
    )


def _economics_check(facts: PilotFacts) -> Check:
    cost, value, volume = facts.cost_per_unit, facts.value_per_unit, facts.volume
    key = facts.key
    if cost is None or value is None or volume is None:
        missing = [
            f"{name}:<number>"
            for name, known in (
                ("cost-per-unit", cost),
                ("value-per-unit", value),
                ("volume", volume),
            )
            if known is None
        ]
        return Check(
            CheckId.ECONOMICS,
            False,
            "No unit economics at full scale: set the cost and value of one unit at full volume "
            f"and the units a month with `/pilot set {key} {' '.join(missing)}`",
        )
    if volume <= 0:
        # Nothing times a margin is nothing: a pilot must say what full scale is.
        return Check(
            CheckId.ECONOMICS,
            False,
            f"The volume at full scale is {format_number(volume)} units a month: set how many "
            f"units it will handle with `/pilot set {key} volume:<number>`",
        )
    if cost < value:
        return Check(CheckId.ECONOMICS, True)
    money = facts.currency
    scale = (
        f"At full scale ({format_number(volume)} units a month) a unit costs "
        f"{format_money(cost, money)} and returns {format_money(value, money)}"
    )
    loss = (cost - value) * volume
    outcome = (
        "break-even, so it does not pay"
        if is_break_even(loss)
        else f"a loss of {format_money(loss, money)} a month"
    )
    return Check(
        CheckId.ECONOMICS,
        False,
        f"{scale}, {outcome}: re-plan the cost and set `/pilot set {key} cost-per-unit:<number>`",
    )


def _raci_check(facts: PilotFacts) -> Check:
    without: list[str] = []
    crowded: list[str] = []
    for area in RaciArea:
        accountable = facts.raci.get(area, {}).get(RaciRole.ACCOUNTABLE, ())
        if not accountable:
            without.append(area.value)
        elif len(accountable) > 1:
            crowded.append(area.value)
    if not without and not crowded:
        return Check(CheckId.RACI, True)
    problems = []
    if without:
        problems.append(f"no Accountable for {', '.join(without)}")
    if crowded:
        problems.append(f"more than one Accountable for {', '.join(crowded)}")
    first_area = (without or crowded)[0]
    return Check(
        CheckId.RACI,
        False,
        f"RACI has {' and '.join(problems)}: name exactly one per area with "
        f"`/pilot raci {facts.key} {first_area} A @name`",
    )
