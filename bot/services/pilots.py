"""Use cases that register and change pilots."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import object_session

from bot.errors import InvalidInput, NotFound
from bot.governance import cadence as cadence_rules
from bot.governance.facts import PilotFacts
from bot.governance.fields import (
    FieldSpec,
    FieldValue,
    field_spec,
    mentioned_user,
    read_number,
    read_text,
    shown,
)
from bot.governance.readiness import UTC_ZONE, Assessment, assess
from bot.governance.vocabulary import (
    STAGE_AFTER_DECISION,
    Cadence,
    Decision,
    RaciArea,
    RaciRole,
    Stage,
)
from bot.governance.zones import zone
from bot.services.actors import Actor, require_change_rights
from bot.services.facts import BASELINE, READING, pilot_facts
from storage import people
from storage import pilots as pilot_store
from storage.models import Decision as StoredDecision
from storage.models import Measurement, Pilot, RaciAssignment
from storage.unit_of_work import UnitOfWork

MAX_NOTE = 2000
KEY_FORM = "P-12"


@dataclass(frozen=True)
class PilotReport:
    """A pilot as people see it: its facts, stage and readiness as of an instant."""

    team_id: str
    facts: PilotFacts
    stage: Stage
    assessment: Assessment
    warnings: tuple[str, ...] = field(default=())

    @property
    def key(self) -> str:
        return self.facts.key


def report(pilot: Pilot, now: datetime, warnings: Sequence[str] = ()) -> PilotReport:
    """The pilot as of `now`. Its verdict is read on its owner's clock (a decide-by date has
    passed once that day is over where the owner is), so every reply, DM, Home tab and digest
    shows the same verdict whoever looks; the viewer's zone only formats dates."""
    facts = pilot_facts(pilot, now)
    return PilotReport(
        team_id=pilot.team_id,
        facts=facts,
        stage=Stage(pilot.stage),
        assessment=assess(facts, now, owner_zone(pilot)),
        warnings=tuple(warnings),
    )


def owner_zone(pilot: Pilot) -> ZoneInfo:
    session = object_session(pilot)
    if session is None or not pilot.owner_id:
        return UTC_ZONE
    return zone(people.cached_timezone(session, pilot.team_id, pilot.owner_id))


def find_pilot(uow: UnitOfWork, team_id: str, key: str, *, for_update: bool = False) -> Pilot:
    number = pilot_store.parse_key(key)
    if number is None:
        raise InvalidInput(f"`{shown(key)}` is not a pilot key; keys look like `{KEY_FORM}`.")
    pilot = pilot_store.get_pilot(uow.session, team_id, number, for_update=for_update)
    if pilot is None:
        # Another workspace's P-n reads exactly like a missing one: nothing leaks across.
        raise NotFound(
            f"No pilot {shown(key.upper())} in this workspace; `/pilot list` shows them all."
        )
    return pilot


def parse_changes(raw: Mapping[str, str]) -> dict[FieldSpec, FieldValue]:
    """Reads every field first, so one bad value means nothing is changed."""
    if not raw:
        raise InvalidInput('Say what to set, like `/pilot set P-1 metric:"handle time"`.')
    return {field_spec(name): field_spec(name).parse(value) for name, value in raw.items()}


def _apply(pilot: Pilot, changes: Mapping[FieldSpec, FieldValue], now: datetime) -> list[str]:
    warnings = []
    for spec, value in changes.items():
        setattr(pilot, spec.attribute, value)
        # Read on the owner's clock, like the verdict the warning speaks of.
        day = pilot.decide_by
        if (
            spec.name == "decide-by"
            and day
            and cadence_rules.has_passed(day, now, owner_zone(pilot))
        ):
            warnings.append(
                f"Note: decide-by {value} has already passed; the verdict reads No-go "
                "unless the latest reading clears the threshold."
            )
    return warnings


def register(
    uow: UnitOfWork,
    actor: Actor,
    name: str,
    now: datetime,
    raw_fields: Mapping[str, str] | None = None,
) -> PilotReport:
    name = name.strip()
    if not name:
        raise InvalidInput(
            "Give the pilot a name: `/pilot new <name>`, or `/pilot new` for a form."
        )
    read_text("name", name, form="`/pilot new <name>`")
    changes = parse_changes(raw_fields) if raw_fields else {}
    session = uow.session
    pilot_store.ensure_workspace(session, actor.team_id, now)
    pilot = Pilot(
        team_id=actor.team_id,
        number=pilot_store.allocate_pilot_number(session, actor.team_id),
        name=name,
        stage=Stage.PROPOSED.value,
        registered_at=now,
        registered_by=actor.user_id,
        owner_id=actor.user_id,
        cadence=Cadence.WEEKLY.value,
        measurements=[],
        raci=[],
        decisions=[],
    )
    session.add(pilot)  # first, so the owner's time zone can be looked up
    warnings = _apply(pilot, changes, now)
    pilot.next_check_at = now
    session.flush()
    result = report(pilot, now, warnings=warnings)
    uow.commit()
    return result


def set_fields(
    uow: UnitOfWork, actor: Actor, key: str, raw: Mapping[str, str], now: datetime
) -> PilotReport:
    changes = parse_changes(raw)
    pilot = find_pilot(uow, actor.team_id, key, for_update=True)
    require_change_rights(actor, pilot)
    warnings = _apply(pilot, changes, now)
    pilot.next_check_at = now
    uow.session.flush()
    result = report(pilot, now, warnings=warnings)
    uow.commit()
    return result


def record_measurement(
    uow: UnitOfWork, actor: Actor, key: str, kind: str, raw_value: str, note: str, now: datetime
) -> PilotReport:
    word = "baseline" if kind == BASELINE else "update"
    try:
        value = read_number("value", raw_value)
    except InvalidInput:
        raise InvalidInput(
            f"`{shown(raw_value)}` is not a number: "
            f"`/pilot {word} {shown(key.upper())} <number> [note]`."
        ) from None
    note = note.strip()
    if note:
        form = f"`/pilot {word} {shown(key.upper())} <number> [note]`"
        read_text("note", note, limit=MAX_NOTE, form=form)
    pilot = find_pilot(uow, actor.team_id, key, for_update=True)
    require_change_rights(actor, pilot)
    pilot.measurements.append(
        Measurement(
            kind=kind, value=value, note=note or None, recorded_by=actor.user_id, recorded_at=now
        )
    )
    if pilot.stage == Stage.PROPOSED.value:
        pilot.stage = Stage.PILOTING.value
    pilot.next_check_at = now
    uow.session.flush()
    result = report(pilot, now)
    uow.commit()
    return result


def record_baseline(
    uow: UnitOfWork, actor: Actor, key: str, raw_value: str, note: str, now: datetime
) -> PilotReport:
    return record_measurement(uow, actor, key, BASELINE, raw_value, note, now)


def record_reading(
    uow: UnitOfWork, actor: Actor, key: str, raw_value: str, note: str, now: datetime
) -> PilotReport:
    return record_measurement(uow, actor, key, READING, raw_value, note, now)


def assign_raci(
    uow: UnitOfWork,
    actor: Actor,
    key: str,
    raw_area: str,
    raw_role: str,
    raw_users: Sequence[str],
    now: datetime,
) -> PilotReport:
    """Sets who holds one role in one area, replacing whoever held it."""
    form = f"`/pilot raci {shown(key.upper())} <area> <R|A|C|I> @person…`"
    try:
        area = RaciArea(raw_area.lower())
    except ValueError:
        areas = "|".join(a.value for a in RaciArea)
        raise InvalidInput(
            f"`{shown(raw_area)}` is not a RACI area; use {areas}: {form}."
        ) from None
    try:
        role = RaciRole(raw_role.upper())
    except ValueError:
        raise InvalidInput(
            f"`{shown(raw_role)}` is not a RACI role; use R, A, C or I: {form}."
        ) from None
    if not raw_users:
        raise InvalidInput(f"Name at least one person: {form}.")
    users = list(dict.fromkeys(_raci_user(raw, form) for raw in raw_users))
    if role is RaciRole.ACCOUNTABLE and len(users) != 1:
        raise InvalidInput(
            f"Each area has exactly one Accountable; name one person for {area.value}."
        )
    pilot = find_pilot(uow, actor.team_id, key, for_update=True)
    require_change_rights(actor, pilot)
    # Holders who keep the role keep their row: replacing it would insert the same
    # (pilot, area, role, user) before the old row is deleted.
    role_of = (area.value, role.value)
    kept = [e for e in pilot.raci if (e.area, e.role) != role_of or e.user_id in users]
    held = {e.user_id for e in kept if (e.area, e.role) == role_of}
    pilot.raci = kept + [
        RaciAssignment(area=area.value, role=role.value, user_id=user)
        for user in users
        if user not in held
    ]
    pilot.next_check_at = now
    uow.session.flush()
    result = report(pilot, now)
    uow.commit()
    return result


def _raci_user(raw: str, form: str) -> str:
    user = mentioned_user(raw)
    if user is None:
        raise InvalidInput(f"`{shown(raw)}` is not a person; type @ and pick them: {form}.")
    return user


def decide(
    uow: UnitOfWork, actor: Actor, key: str, raw_decision: str, rationale: str, now: datetime
) -> PilotReport:
    form = f"`/pilot decide {shown(key.upper())} go|no-go|extend <why>`"
    try:
        decision = Decision(raw_decision.lower())
    except ValueError:
        raise InvalidInput(f"`{shown(raw_decision)}` is not a decision: {form}.") from None
    rationale = rationale.strip()
    if not rationale:
        raise InvalidInput(f"A decision needs its reason, for the record: {form}.")
    read_text("reason", rationale, limit=MAX_NOTE, form=form)
    pilot = find_pilot(uow, actor.team_id, key, for_update=True)
    require_change_rights(actor, pilot)
    pilot.decisions.append(
        StoredDecision(
            decision=decision.value, decided_by=actor.user_id, decided_at=now, rationale=rationale
        )
    )
    pilot.stage = STAGE_AFTER_DECISION[decision].value
    pilot.next_check_at = now
    uow.session.flush()
    warnings = []
    if decision is Decision.EXTEND:
        warnings.append(f"Set the new date with `/pilot set {pilot.key} decide-by:YYYY-MM-DD`.")
    result = report(pilot, now, warnings=warnings)
    uow.commit()
    return result


def pilot_report(uow: UnitOfWork, actor: Actor, key: str, now: datetime) -> PilotReport:
    """Anyone in the workspace may read a pilot."""
    return report(find_pilot(uow, actor.team_id, key), now)


def list_reports(uow: UnitOfWork, actor: Actor, now: datetime) -> list[PilotReport]:
    """Anyone in the workspace may list its pilots."""
    return team_reports(uow, actor.team_id, now)


def reports_involving(
    uow: UnitOfWork, team_id: str, user_id: str, now: datetime
) -> list[PilotReport]:
    """What the App Home shows a person: pilots they own, sponsor or hold a RACI role in."""
    return [report(p, now) for p in pilot_store.pilots_involving(uow.session, team_id, user_id)]


def team_reports(uow: UnitOfWork, team_id: str, now: datetime) -> list[PilotReport]:
    """Every pilot of one workspace as of `now`."""
    return [report(p, now) for p in pilot_store.list_pilots(uow.session, team_id)]
