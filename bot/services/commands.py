"""The typed commands that change pilots: what every door (Slack, the CLI, an API, an import)
builds from its own input before calling a use case. Values here are already read: numbers,
dates, user ids and enums, never the text a person typed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime

from bot.governance.vocabulary import Better
from bot.governance.vocabulary import Cadence
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import Field
from bot.governance.vocabulary import MeasurementKind
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole

# The plain hyphen, or the no-break one messages show keys with (copied from a message).
_KEY = re.compile(r"[Pp][-\u2010\u2011]([0-9]{1,9})")
FieldValue = str | float | int | bool | date | Better | Cadence | None
Changes = Mapping[Field, FieldValue]


@dataclass(frozen=True, order=True)
class PilotKey:
    """`P-3` is pilot number 3 of the asking workspace."""

    number: int

    def __str__(self) -> str:
        return f"P-{self.number}"

    @classmethod
    def parse(cls, text: str) -> PilotKey | None:
        """'P-12' or 'p-12' -> P-12; anything else -> None."""
        match = _KEY.fullmatch(text.strip())
        return cls(int(match.group(1))) if match else None


@dataclass(frozen=True)
class Register:
    name: str
    changes: Changes = field(default_factory=dict)


@dataclass(frozen=True)
class SetFields:
    key: PilotKey
    changes: Changes
    # Why a locked fact (threshold, direction) changes after readings began.
    reason: str | None = None


@dataclass(frozen=True)
class RecordMeasurement:
    key: PilotKey
    kind: MeasurementKind
    # None when a reading command reads only guardrails.
    value: float | None
    note: str | None = None
    # Why the baseline is re-recorded after readings began.
    reason: str | None = None
    # Readings of the pilot's guardrails taken at the same time: (name, value).
    guardrails: tuple[tuple[str, float], ...] = ()
    # When it was measured, if not now (a live system reporting what it saw earlier).
    at: datetime | None = None


@dataclass(frozen=True)
class SetGuardrail:
    """Adds a guardrail, or changes the direction, limit or unit of the one of that name."""

    key: PilotKey
    name: str
    better: Better
    limit: float
    # None keeps the unit a guardrail being changed has.
    unit: str | None = None


@dataclass(frozen=True)
class RemoveGuardrail:
    key: PilotKey
    name: str


@dataclass(frozen=True)
class RecordEval:
    """A dated evaluation run: `score` percent of `size` labelled examples right."""

    key: PilotKey
    score: float
    # None: the same set as the run before.
    size: int | None = None
    note: str | None = None
    # When the run was made, if not now (a live system reporting a run it made earlier).
    at: datetime | None = None


@dataclass(frozen=True)
class AssignRaci:
    """Sets who holds one role in each of `areas`, replacing whoever held it."""

    key: PilotKey
    areas: tuple[RaciArea, ...]
    role: RaciRole
    users: tuple[str, ...]


@dataclass(frozen=True)
class Decide:
    key: PilotKey
    decision: Decision
    rationale: str
    # The new decide-by date of an extension.
    until: date | None = None


@dataclass(frozen=True)
class ReviewDecision:
    """The second person's answer to a go decision taken over open gaps; `decided_at` names
    the decision they were asked about (an older request cannot answer a newer go)."""

    key: PilotKey
    approve: bool
    decided_at: datetime | None = None


@dataclass(frozen=True)
class CompletePilot:
    """The Complete the pilot form: the fields a gap asks for, and one Accountable for every
    RACI area, changed together."""

    key: PilotKey
    changes: Changes
    accountable: str | None = None


@dataclass(frozen=True)
class AcceptBaseline:
    """The sponsor accepts a baseline recorded after the first reading."""

    key: PilotKey
    reason: str


Command = (
    Register | SetFields | RecordMeasurement | AssignRaci | Decide | ReviewDecision
    | AcceptBaseline | CompletePilot | SetGuardrail | RemoveGuardrail | RecordEval
)  # fmt: skip
