"""Readiness checks, the gaps they leave, and the one verdict of a pilot.

Precedence (contract): No-go, Stalled, Go, Not ready. A pilot with a final decision keeps
the verdict it had when the decision was recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.governance import cadence as cadence_rules
from bot.governance.facts import PilotFacts, last_activity
from bot.governance.formatting import format_day, format_number, format_quantity
from bot.governance.vocabulary import Better, RaciArea, RaciRole, Verdict

MIN_EVAL_EXAMPLES = 100
UTC_ZONE = ZoneInfo("UTC")


class CheckId(StrEnum):
    OWNER = "owner"
    SPONSOR = "sponsor"
    METRIC = "metric"
    BASELINE = "baseline"
    READING_CURRENT = "reading_current"
    THRESHOLD_CLEARED = "threshold_cleared"
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


@dataclass(frozen=True)
class Assessment:
    verdict: Verdict
    checks: tuple[Check, ...]
    clears: bool | None
    change_percent: float | None
    monthly_net_value: float | None
    decision_overdue: bool

    @property
    def gaps(self) -> tuple[str, ...]:
        return tuple(check.gap for check in self.checks if not check.passed and check.gap)

    def check(self, check_id: CheckId) -> Check:
        return next(check for check in self.checks if check.id == check_id)


def clears_threshold(facts: PilotFacts) -> bool | None:
    """Whether the latest reading clears the threshold; None when there is nothing to compare."""
    if facts.latest_reading is None or facts.threshold is None or facts.better is None:
        return None
    value = facts.latest_reading.value
    if facts.better is Better.LOWER:
        return value <= facts.threshold
    return value >= facts.threshold


def assess(facts: PilotFacts, now: datetime, tz: ZoneInfo = UTC_ZONE) -> Assessment:
    cadence_rules.require_aware(now)
    decision = facts.latest_decision
    if decision is not None and decision.decision.is_final and decision.at <= now:
        now = decision.at
    checks = _checks(facts, now, tz)
    clears = clears_threshold(facts)
    decide_by_passed = facts.decide_by is not None and cadence_rules.has_passed(
        facts.decide_by, now, tz
    )
    # An extension agreed before the date still leaves the date to be decided on.
    decided = (
        decision is not None
        and decision.at <= now
        and (decision.decision.is_final or _on_or_after(decision.at, facts.decide_by, tz))
    )
    if decide_by_passed and clears is not True:
        verdict = Verdict.NO_GO
    elif now >= cadence_rules.stalled_at(last_activity(facts, now), facts.cadence, tz):
        verdict = Verdict.STALLED
    elif all(check.passed for check in checks):
        verdict = Verdict.GO
    else:
        verdict = Verdict.NOT_READY
    return Assessment(
        verdict=verdict,
        checks=checks,
        clears=clears,
        change_percent=_change_percent(facts),
        monthly_net_value=_monthly_net_value(facts),
        decision_overdue=decide_by_passed and not decided,
    )


def _on_or_after(moment: datetime, day: date | None, tz: ZoneInfo) -> bool:
    return day is not None and moment.astimezone(tz).date() >= day


def _change_percent(facts: PilotFacts) -> float | None:
    if facts.baseline is None or facts.latest_reading is None or facts.baseline.value == 0:
        return None
    return (facts.latest_reading.value - facts.baseline.value) / abs(facts.baseline.value) * 100


def _monthly_net_value(facts: PilotFacts) -> float | None:
    if facts.cost_per_unit is None or facts.value_per_unit is None or facts.volume is None:
        return None
    return (facts.value_per_unit - facts.cost_per_unit) * facts.volume


def _checks(facts: PilotFacts, now: datetime, tz: ZoneInfo) -> tuple[Check, ...]:
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
        _metric_check(facts),
        _baseline_check(facts),
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
    if late and first_reading is not None and not facts.baseline_accepted:
        return Check(
            CheckId.BASELINE,
            False,
            f"Baseline was recorded after readings began ({format_day(first_reading.at.date())}"
            f" before {format_day(facts.first_baseline.at.date())}), so it may already include "
            "the pilot's effect: the sponsor decides whether to accept it with "
            f"`/pilot decide {key} extend <why>`",
        )
    return Check(CheckId.BASELINE, True)


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
            f"and the units a month with `/pilot set {facts.key} {' '.join(missing)}`",
        )
    if cost < value:
        return Check(CheckId.ECONOMICS, True)
    return Check(
        CheckId.ECONOMICS,
        False,
        f"At full scale ({format_number(volume)} units a month) a unit costs "
        f"{format_number(cost)} and returns {format_number(value)}, a loss of "
        f"{format_number((cost - value) * volume)} a month: re-plan the cost and set "
        f"`/pilot set {facts.key} cost-per-unit:<number>`",
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
