"""What the API reads and writes, as pydantic models: the request models validate every body,
and every model is what `openapi.json` describes, so the description cannot drift.

Request models are strict (a number is a JSON number, not a string) and refuse fields they do
not know, so a misspelt `nte` is an error rather than a note silently dropped.
"""

from __future__ import annotations

import re
from datetime import UTC
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator
from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import Field

from bot.governance.vocabulary import Better
from bot.governance.vocabulary import Cadence
from bot.governance.vocabulary import Stage
from bot.governance.vocabulary import Verdict

# The bounds `/pilot` keeps: no real metric is that large, and a note is a sentence or two.
MAX_NUMBER = 1e15
MAX_NOTE = 2000
MAX_WHOLE = 1_000_000_000
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _utc(moment: datetime) -> datetime:
    # Without an offset an instant is read as UTC, as `pilotgate export --at` reads it.
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    if moment < EARLIEST:
        raise ValueError("is before 2000; send the instant it was measured")
    return moment


def _plain_text(text: str) -> str:
    if _CONTROL.search(text):
        raise ValueError("has a control character in it; send plain text")
    return text


Instant = Annotated[
    datetime,
    AfterValidator(_utc),
    Field(description="ISO-8601 instant, not in the future; UTC when it has no offset."),
]
Note = Annotated[
    str,
    Field(min_length=1, max_length=MAX_NOTE, description="Plain text, shown with the value."),
    AfterValidator(_plain_text),
]


class Request(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class ReadingIn(Request):
    """A reading of the pilot's go-live metric, or of one of its guardrails."""

    model_config = ConfigDict(
        title="Reading",
        json_schema_extra={
            "examples": [
                {"value": 9.5},
                {"value": 8.7, "at": "2026-11-20T09:00:00Z", "note": "after the macro change"},
            ]
        },
    )

    value: float = Field(
        allow_inf_nan=False, gt=-MAX_NUMBER, lt=MAX_NUMBER, description="In the metric's unit."
    )
    metric: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="A guardrail's name; leave it out for the go-live metric.",
    )
    at: Instant | None = Field(default=None, description="When it was measured (default: now).")
    note: Note | None = None


class EvalIn(Request):
    """An evaluation run: the score on the labelled set, and the set's size."""

    model_config = ConfigDict(
        title="EvaluationRun",
        json_schema_extra={
            "examples": [
                {"score": 91.5, "size": 150},
                {"score": 88, "size": 200, "at": "2026-11-19T16:30:00Z", "note": "new prompt"},
            ]
        },
    )

    score: float = Field(
        allow_inf_nan=False, ge=0, le=100, description="Percent of the set scored correct."
    )
    size: int = Field(ge=1, le=MAX_WHOLE, description="How many labelled examples the set has.")
    at: Instant | None = Field(default=None, description="When it ran (default: now).")
    note: Note | None = None


class VerdictOut(BaseModel):
    """The pilot's verdict just after the change, as every Slack surface shows it."""

    model_config = ConfigDict(
        title="Verdict",
        json_schema_extra={
            "examples": [
                {
                    "key": "P-1",
                    "verdict": "not_ready",
                    "stage": "piloting",
                    "gaps": ["Monitoring is not in place."],
                }
            ]
        },
    )

    key: str
    verdict: Verdict
    stage: Stage
    gaps: list[str]


class MetricOut(BaseModel):
    model_config = ConfigDict(title="Metric")

    name: str | None
    unit: str | None
    better: Better | None
    threshold: float | None
    baseline: float | None
    latest: float | None


class DecisionOut(BaseModel):
    model_config = ConfigDict(title="Decision", extra="allow")

    decision: str
    by: str
    at: str
    rationale: str
    status: str
    approved_by: str | None
    until: str | None


class AmendmentOut(BaseModel):
    model_config = ConfigDict(title="Amendment", extra="allow", populate_by_name=True)

    field: str
    from_: str | None = Field(alias="from")
    to: str | None
    reason: str
    by: str
    at: str


class PilotRecord(BaseModel):
    """A pilot's export record, as `pilotgate export` prints it; further fields may follow."""

    model_config = ConfigDict(title="PilotRecord", extra="allow")

    key: str
    name: str
    team_id: str
    owner: str | None
    sponsor: str | None
    stage: Stage
    verdict: Verdict
    gaps: list[str]
    metric: MetricOut
    cadence: Cadence
    decide_by: str | None = Field(description="YYYY-MM-DD")
    raci: dict[str, dict[str, list[str]]] = Field(
        description="Area -> role (R, A, C, I) -> Slack user ids."
    )
    decisions: list[DecisionOut]
    amendments: list[AmendmentOut]
    currency: str


class ProblemOut(BaseModel):
    """An RFC 9457 problem document: what was refused and why, in one line."""

    model_config = ConfigDict(
        title="Problem",
        json_schema_extra={
            "examples": [
                {
                    "type": "about:blank",
                    "title": "Unprocessable Entity",
                    "status": 422,
                    "detail": "`value`: Input should be a finite number.",
                }
            ]
        },
    )

    type: str
    title: str
    status: int
    detail: str
