"""The closed sets of words the product speaks: verdicts, cadences, RACI areas and roles."""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    """A pilot's one verdict; the value is what exports carry, the label what people read."""

    GO = "go"
    NOT_READY = "not_ready"
    NO_GO = "no_go"
    STALLED = "stalled"

    @property
    def label(self) -> str:
        return _VERDICT_LABELS[self]


_VERDICT_LABELS = {
    Verdict.GO: "Go",
    Verdict.NOT_READY: "Not ready",
    Verdict.NO_GO: "No-go",
    Verdict.STALLED: "Stalled",
}


class Cadence(StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"

    @property
    def days(self) -> int:
        return _CADENCE_DAYS[self]


_CADENCE_DAYS = {Cadence.WEEKLY: 7, Cadence.BIWEEKLY: 14, Cadence.MONTHLY: 30}


class Better(StrEnum):
    LOWER = "lower"
    HIGHER = "higher"


class RaciArea(StrEnum):
    INCIDENTS = "incidents"
    CHANGES = "changes"
    EVALUATION = "evaluation"
    INTEGRATION = "integration"
    REPORTING = "reporting"


class RaciRole(StrEnum):
    RESPONSIBLE = "R"
    ACCOUNTABLE = "A"
    CONSULTED = "C"
    INFORMED = "I"


class Field(StrEnum):
    """The facts of a pilot that people set by name (`/pilot set`, forms, imports)."""

    NAME = "name"
    OWNER = "owner"
    SPONSOR = "sponsor"
    METRIC = "metric"
    UNIT = "unit"
    BETTER = "better"
    THRESHOLD = "threshold"
    CADENCE = "cadence"
    DECIDE_BY = "decide-by"
    WORKFLOW = "workflow"
    EVAL_SIZE = "eval-size"
    EVAL_SCORE = "eval-score"
    EVAL_BAR = "eval-bar"
    MONITORING = "monitoring"
    ROLLBACK = "rollback"
    COST_PER_UNIT = "cost-per-unit"
    VALUE_PER_UNIT = "value-per-unit"
    VOLUME = "volume"
    CURRENCY = "currency"
    # Evidence links: https URLs shown beside the check each supports.
    EVAL_REPORT = "eval-report"
    DASHBOARD = "dashboard"
    RUNBOOK = "runbook"


class MeasurementKind(StrEnum):
    BASELINE = "baseline"
    READING = "reading"


class Decision(StrEnum):
    GO = "go"
    NO_GO = "no-go"
    EXTEND = "extend"

    @property
    def is_final(self) -> bool:
        return self is not Decision.EXTEND


class DecisionStatus(StrEnum):
    """A decision is recorded at once, unless it is a go over a verdict that is not Go: then it
    waits for a second person (pending) who approves or rejects it."""

    RECORDED = "recorded"
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def in_force(self) -> bool:
        return self in (DecisionStatus.RECORDED, DecisionStatus.APPROVED)


class Stage(StrEnum):
    """Where a pilot is in its life; a decision sets the last three."""

    PROPOSED = "proposed"
    PILOTING = "piloting"
    EXTENDED = "extended"
    APPROVED = "approved"
    STOPPED = "stopped"


STAGE_AFTER_DECISION = {
    Decision.GO: Stage.APPROVED,
    Decision.NO_GO: Stage.STOPPED,
    Decision.EXTEND: Stage.EXTENDED,
}
