"""A pilot and what is recorded about it: readings, guardrails, evaluation runs, RACI,
decisions and amendments; and the workspace that numbers them."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON
from sqlalchemy import Boolean
from sqlalchemy import Date
from sqlalchemy import Float
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from storage.models.base import USER_ID
from storage.models.base import Audited
from storage.models.base import Base
from storage.types import UTCDateTime


class Workspace(Audited, Base):
    __tablename__ = "workspaces"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(200))
    installed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    uninstalled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    tokens_revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The last P-n handed out; bumped atomically so two registrations never share a key.
    pilot_counter: Mapped[int] = mapped_column(Integer, default=0)


class Pilot(Audited, Base):
    __tablename__ = "pilots"
    __table_args__ = (
        UniqueConstraint("team_id", "number"),
        Index("ix_pilots_team_owner", "team_id", "owner_id"),
        Index("ix_pilots_team_sponsor", "team_id", "sponsor_id"),
        Index("ix_pilots_decide_by", "decide_by"),
        Index("ix_pilots_next_check", "next_check_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id"))
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    stage: Mapped[str] = mapped_column(String(16))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    registered_by: Mapped[str] = mapped_column(USER_ID)
    owner_id: Mapped[str | None] = mapped_column(USER_ID)
    sponsor_id: Mapped[str | None] = mapped_column(USER_ID)
    workflow: Mapped[str | None] = mapped_column(String(200))
    decide_by: Mapped[date | None] = mapped_column(Date)
    cadence: Mapped[str] = mapped_column(String(16))
    metric_name: Mapped[str | None] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(200))
    better: Mapped[str | None] = mapped_column(String(8))
    threshold: Mapped[float | None] = mapped_column(Float)
    eval_bar: Mapped[float | None] = mapped_column(Float)
    monitoring: Mapped[str | None] = mapped_column(String(200))
    rollback: Mapped[bool | None] = mapped_column(Boolean)
    cost_per_unit: Mapped[float | None] = mapped_column(Float)
    value_per_unit: Mapped[float | None] = mapped_column(Float)
    volume: Mapped[float | None] = mapped_column(Float)
    # Evidence links (https URLs), each shown beside the check it supports.
    eval_report: Mapped[str | None] = mapped_column(String(500))
    dashboard: Mapped[str | None] = mapped_column(String(500))
    runbook: Mapped[str | None] = mapped_column(String(500))
    # ISO 4217: every amount of this pilot's money is shown with it.
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    # When the scheduler should look at this pilot again (None: nothing can become due).
    # Every change sets it to "now", so a tick reads only the pilots that have work.
    next_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    measurements: Mapped[list[Measurement]] = relationship(
        back_populates="pilot", cascade="all, delete-orphan", order_by="Measurement.id"
    )
    raci: Mapped[list[RaciAssignment]] = relationship(
        back_populates="pilot", cascade="all, delete-orphan", order_by="RaciAssignment.id"
    )
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="pilot", cascade="all, delete-orphan", order_by="Decision.id"
    )
    amendments: Mapped[list[Amendment]] = relationship(
        back_populates="pilot", cascade="all, delete-orphan", order_by="Amendment.id"
    )
    guardrails: Mapped[list[Guardrail]] = relationship(
        back_populates="pilot", cascade="all, delete-orphan", order_by="Guardrail.id"
    )
    evaluations: Mapped[list[Evaluation]] = relationship(
        back_populates="pilot", cascade="all, delete-orphan", order_by="Evaluation.id"
    )

    @property
    def key(self) -> str:
        return f"P-{self.number}"


class MeasurementKind(StrEnum):
    BASELINE = "baseline"  # the before-state, measured before the pilot changes the work
    READING = "reading"  # a dated value of the go-live metric while the pilot runs
    GUARDRAIL = "guardrail"  # a dated value of one guardrail, named in `metric`


class Measurement(Audited, Base):
    """A baseline (the before-state) or a reading of the go-live metric, or a reading of one
    of the pilot's guardrails (kind "guardrail", `metric` naming it)."""

    __tablename__ = "measurements"
    __table_args__ = (
        # One series per (kind, metric): the go-live metric's has no metric name.
        Index("ix_measurements_pilot_series_at", "pilot_id", "kind", "metric", "recorded_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # a MeasurementKind
    # The guardrail's name for a guardrail reading; None for the go-live metric.
    metric: Mapped[str | None] = mapped_column(String(32))
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(USER_ID)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    pilot: Mapped[Pilot] = relationship(back_populates="measurements")


class Guardrail(Audited, Base):
    """A metric that must stay on the right side of its limit while the pilot runs; its
    readings are measurements of kind "guardrail" carrying its name."""

    __tablename__ = "guardrails"
    __table_args__ = (UniqueConstraint("pilot_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(32))
    better: Mapped[str] = mapped_column(String(8))
    limit: Mapped[float] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(200))
    # A verdict replayed as of an earlier instant leaves out guardrails added after it.
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())

    pilot: Mapped[Pilot] = relationship(back_populates="guardrails")


class Evaluation(Audited, Base):
    """One dated evaluation run: its score in percent on a set of `size` labelled examples.
    Never edited; the latest run is the one the evaluation check reads."""

    __tablename__ = "evaluations"
    __table_args__ = (Index("ix_evaluations_pilot_at", "pilot_id", "recorded_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
    size: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(USER_ID)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # When it was reported; later than recorded_at for a run posted after the fact.
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    pilot: Mapped[Pilot] = relationship(back_populates="evaluations")


class RaciAssignment(Audited, Base):
    __tablename__ = "raci_assignments"
    __table_args__ = (
        UniqueConstraint("pilot_id", "area", "role", "user_id"),
        Index("ix_raci_user", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"))
    area: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(1))
    user_id: Mapped[str] = mapped_column(USER_ID)

    pilot: Mapped[Pilot] = relationship(back_populates="raci")


class Decision(Audited, Base):
    """A go / no-go / extend decision. Never edited: a newer one supersedes it."""

    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_pilot_at", "pilot_id", "decided_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"))
    decision: Mapped[str] = mapped_column(String(8))
    decided_by: Mapped[str] = mapped_column(USER_ID)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())
    rationale: Mapped[str] = mapped_column(Text)
    # recorded, or for a go over open gaps: pending until a second person approves or
    # rejects it.
    status: Mapped[str] = mapped_column(String(16), default="recorded")
    approved_by: Mapped[str | None] = mapped_column(USER_ID)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The decide-by date an extension set.
    until: Mapped[date | None] = mapped_column(Date)
    # What was still open when the decision was taken (an override goes over these).
    open_gaps: Mapped[list[str] | None] = mapped_column(JSON)

    pilot: Mapped[Pilot] = relationship(back_populates="decisions")


class Amendment(Audited, Base):
    """A locked fact changed after readings began, with its reason; or a late baseline the
    sponsor accepted (field "baseline-accepted"). Never edited."""

    __tablename__ = "amendments"
    __table_args__ = (Index("ix_amendments_pilot", "pilot_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(32))
    before: Mapped[str | None] = mapped_column(String(200))
    after: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    amended_by: Mapped[str] = mapped_column(USER_ID)
    amended_at: Mapped[datetime] = mapped_column(UTCDateTime())

    pilot: Mapped[Pilot] = relationship(back_populates="amendments")
