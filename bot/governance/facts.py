"""The plain facts of one pilot, as the rules need them. Built by services from storage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import date
from datetime import datetime

from bot.governance.vocabulary import Better
from bot.governance.vocabulary import Cadence
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import DecisionStatus
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole


@dataclass(frozen=True)
class Measurement:
    value: float
    at: datetime
    by: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class DecisionRecord:
    decision: Decision
    by: str
    at: datetime
    rationale: str
    status: DecisionStatus = DecisionStatus.RECORDED
    # The second person of an override, once they approved or rejected it.
    approved_by: str | None = None
    # When that second person approved or rejected it.
    approved_at: datetime | None = None
    # The new decide-by date an extension set.
    until: date | None = None


@dataclass(frozen=True)
class Amendment:
    """A locked fact changed after readings began (baseline, threshold, direction), or a late
    baseline the sponsor accepted (`field` "baseline-accepted"), with its reason."""

    field: str
    before: str | None
    after: str | None
    reason: str
    by: str
    at: datetime


@dataclass(frozen=True)
class EvaluationRun:
    """One dated evaluation run: the share of `size` labelled examples it got right."""

    score: float
    size: int
    at: datetime
    by: str | None = None
    note: str | None = None
    # When it was reported: a run posted days after it ran is news from then.
    reported_at: datetime | None = None


@dataclass(frozen=True)
class Guardrail:
    """A metric that must stay on the right side of its limit while the pilot runs (error
    rate, latency, escalations), with its latest reading, if any."""

    name: str
    better: Better
    limit: float
    unit: str | None = None
    latest: Measurement | None = None

    def within_limit(self, value: float) -> bool:
        """At or below the limit for `lower`, at or above it for `higher`."""
        return value <= self.limit if self.better is Better.LOWER else value >= self.limit

    @property
    def outside_limit(self) -> bool:
        """Its latest reading, however old, is on the wrong side of the limit."""
        return self.latest is not None and not self.within_limit(self.latest.value)


@dataclass(frozen=True)
class EvidenceLinks:
    """Where the evidence lives: https URLs, each shown beside the check it supports."""

    eval_report: str | None = None
    dashboard: str | None = None
    runbook: str | None = None


RaciMatrix = Mapping[RaciArea, Mapping[RaciRole, tuple[str, ...]]]


@dataclass(frozen=True)
class PilotFacts:
    key: str
    name: str
    registered_at: datetime
    owner: str | None = None
    sponsor: str | None = None
    metric_name: str | None = None
    unit: str | None = None
    better: Better | None = None
    threshold: float | None = None
    cadence: Cadence = Cadence.WEEKLY
    decide_by: date | None = None
    workflow: str | None = None
    eval_bar: float | None = None
    monitoring: str | None = None
    rollback: bool | None = None
    cost_per_unit: float | None = None
    value_per_unit: float | None = None
    volume: float | None = None
    # The earliest baseline matters for "measured before the pilot changed the work";
    # the latest one is what readings are compared against.
    first_baseline: Measurement | None = None
    baseline: Measurement | None = None
    first_reading: Measurement | None = None
    latest_reading: Measurement | None = None
    # The values of the last few readings, oldest first: the trend digest lines draw.
    recent_values: tuple[float, ...] = ()
    latest_decision: DecisionRecord | None = None
    raci: RaciMatrix = field(default_factory=dict)
    # ISO 4217 code every amount of money is shown with.
    currency: str = "USD"
    # Slack said the sponsor's account is deactivated (a user_change event or users.info).
    sponsor_deactivated: bool = False
    amendments: tuple[Amendment, ...] = ()
    # A go over open gaps waiting for its second approver; `latest_decision` is the latest
    # decision in force (recorded or approved).
    pending_decision: DecisionRecord | None = None
    # The latest decision, when it is a go over open gaps that its second person rejected:
    # news for whoever took it.
    rejected_decision: DecisionRecord | None = None
    # Oldest first; the latest is the one the evaluation check reads.
    evaluations: tuple[EvaluationRun, ...] = ()
    guardrails: tuple[Guardrail, ...] = ()
    links: EvidenceLinks = field(default_factory=EvidenceLinks)

    @property
    def metric_agreed(self) -> bool:
        """What is measured, which way is better and the value that means go are all set."""
        return None not in (self.metric_name, self.better, self.threshold)

    @property
    def baseline_accepted(self) -> bool:
        return any(a.field == "baseline-accepted" for a in self.amendments)

    @property
    def latest_eval(self) -> EvaluationRun | None:
        return self.evaluations[-1] if self.evaluations else None

    @property
    def eval_size(self) -> int | None:
        """The size of the set the latest run scored (None before any run)."""
        return self.latest_eval.size if self.latest_eval else None

    @property
    def eval_score(self) -> float | None:
        """The latest run's score in percent (None before any run)."""
        return self.latest_eval.score if self.latest_eval else None


def last_activity(facts: PilotFacts, now: datetime) -> datetime:
    """The latest reading, decision or registration at or before `now`.

    Readiness counts Stalled from it and the reminders count due readings from it: a
    reading or an extension restarts the cadence clock. What is recorded after `now` has not
    happened yet as of `now`.
    """
    moments = [facts.registered_at]
    if facts.latest_reading is not None and facts.latest_reading.at <= now:
        moments.append(facts.latest_reading.at)
    if facts.latest_decision is not None and facts.latest_decision.at <= now:
        moments.append(facts.latest_decision.at)
    return max(moments).astimezone(UTC)
