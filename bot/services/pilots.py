"""Use cases that register, change and read pilots.

Every door hands in a typed command (bot.services.commands); `handle` runs it. A change to an
existing pilot takes one path: find it locked, check the right to change it, apply the
mutation, look at it again at the next tick, and report it as of now.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.errors import InvalidInput, NotFound
from bot.governance import cadence as cadence_rules
from bot.governance.facts import PilotFacts
from bot.governance.locks import LockedField, LockedValue
from bot.governance.people import person
from bot.governance.readiness import UTC_ZONE, Assessment, assess
from bot.governance.text import pilot_name
from bot.governance.vocabulary import (
    Better,
    Cadence,
    Field,
    MeasurementKind,
    RaciArea,
    RaciRole,
    Stage,
)
from bot.governance.zones import zone
from bot.services import decisions
from bot.services.actors import Actor, require_change_rights
from bot.services.commands import (
    AcceptBaseline,
    AssignRaci,
    Changes,
    Command,
    CompletePilot,
    Decide,
    PilotKey,
    RecordMeasurement,
    Register,
    ReviewDecision,
    SetFields,
)
from bot.services.facts import pilot_facts
from bot.services.fields import ATTRIBUTES
from storage import people
from storage import pilots as pilot_store
from storage.models import Measurement, Pilot, RaciAssignment
from storage.unit_of_work import UnitOfWork

MAX_NOTE = 2000


@dataclass(frozen=True)
class PilotReport:
    """A pilot as people see it: its facts, stage and readiness as of an instant."""

    team_id: str
    facts: PilotFacts
    stage: Stage
    assessment: Assessment
    warnings: tuple[str, ...] = field(default=())
    # The clock the verdict was read on; dates a person picks for the pilot are read on it too.
    owner_zone: ZoneInfo = UTC_ZONE

    @property
    def key(self) -> str:
        return self.facts.key


@dataclass(frozen=True)
class Standing:
    """What Slack told us about a pilot's people that its verdict depends on."""

    owner_zone: ZoneInfo = UTC_ZONE
    # The sponsor's account is deactivated.
    sponsor_gone: bool = False


def report(
    pilot: Pilot,
    now: datetime,
    owner_zone: ZoneInfo,
    warnings: Sequence[str] = (),
    *,
    sponsor_gone: bool = False,
) -> PilotReport:
    """The pilot as of `now`. Its verdict is read on its owner's clock (a decide-by date has
    passed once that day is over where the owner is), so every reply, DM, Home tab and digest
    shows the same verdict whoever looks; the viewer's zone only formats dates."""
    facts = pilot_facts(pilot, now, sponsor_deactivated=sponsor_gone)
    return PilotReport(
        team_id=pilot.team_id,
        facts=facts,
        stage=Stage(pilot.stage),
        assessment=assess(facts, now, owner_zone),
        warnings=tuple(warnings),
        owner_zone=owner_zone,
    )


def standings(uow: UnitOfWork, pilots: Sequence[Pilot]) -> dict[int, Standing]:
    """Each pilot's Standing by pilot id, its owners and sponsors read in one query."""
    wanted = sorted({(p.team_id, who) for p in pilots for who in (p.owner_id, p.sponsor_id) if who})
    known = people.cached_people(uow.session, wanted)
    found = {}
    for pilot in pilots:
        owner = known.get((pilot.team_id, pilot.owner_id or ""))
        sponsor = known.get((pilot.team_id, pilot.sponsor_id or ""))
        found[pilot.id] = Standing(
            zone(owner.timezone if owner else None), bool(sponsor and sponsor.deactivated)
        )
    return found


def standing(uow: UnitOfWork, pilot: Pilot) -> Standing:
    return standings(uow, [pilot])[pilot.id]


def owner_zone(uow: UnitOfWork, pilot: Pilot) -> ZoneInfo:
    return standing(uow, pilot).owner_zone


def current_report(
    uow: UnitOfWork, pilot: Pilot, now: datetime, warnings: Sequence[str] = ()
) -> PilotReport:
    known = standing(uow, pilot)
    return report(pilot, now, known.owner_zone, warnings, sponsor_gone=known.sponsor_gone)


def reports(uow: UnitOfWork, pilots: Sequence[Pilot], now: datetime) -> list[PilotReport]:
    """Many pilots at once, their people read in one query."""
    known = standings(uow, pilots)
    return [
        report(p, now, known[p.id].owner_zone, sponsor_gone=known[p.id].sponsor_gone)
        for p in pilots
    ]


def find_pilot(uow: UnitOfWork, team_id: str, key: PilotKey, *, for_update: bool = False) -> Pilot:
    pilot = pilot_store.get_pilot(uow.session, team_id, key.number, for_update=for_update)
    if pilot is None:
        # Another workspace's P-n reads exactly like a missing one: nothing leaks across.
        raise NotFound(f"No pilot {key} in this workspace.")
    return pilot


def _change(
    uow: UnitOfWork,
    actor: Actor,
    key: PilotKey,
    now: datetime,
    mutate: Callable[[Pilot], list[str]],
) -> PilotReport:
    """The one way an existing pilot changes; `mutate` returns warnings for the person."""
    pilot = find_pilot(uow, actor.team_id, key, for_update=True)
    require_change_rights(actor, pilot)
    warnings = mutate(pilot)
    return _settle(uow, pilot, now, warnings)


def _settle(uow: UnitOfWork, pilot: Pilot, now: datetime, warnings: list[str]) -> PilotReport:
    pilot.next_check_at = now  # the scheduler looks again at the next tick
    uow.session.flush()
    result = current_report(uow, pilot, now, warnings)
    uow.commit()
    return result


def _apply(
    uow: UnitOfWork,
    pilot: Pilot,
    changes: Changes,
    now: datetime,
    *,
    by: str,
    reason: str | None = None,
) -> list[str]:
    yardstick: dict[LockedField, LockedValue] = {}
    for name in (Field.THRESHOLD, Field.BETTER):
        if name in changes:
            value = changes[name]
            assert value is None or isinstance(value, float | Better)  # as the readers give
            yardstick[LockedField(name.value)] = value
    decisions.guard_locked(pilot, yardstick, reason, by, now)
    sponsor = changes.get(Field.SPONSOR)
    if isinstance(sponsor, str) and people.deactivated(uow.session, [(pilot.team_id, sponsor)]):
        raise InvalidInput(
            f"{person(sponsor)} is deactivated in Slack; name a sponsor who is still a member."
        )
    for name, value in changes.items():
        setattr(pilot, ATTRIBUTES[name], value)
    day = pilot.decide_by
    # Read on the owner's clock, like the verdict the warning speaks of.
    if (
        Field.DECIDE_BY in changes
        and day
        and cadence_rules.has_passed(day, now, owner_zone(uow, pilot))
    ):
        return [
            f"Note: decide-by {day.isoformat()} has already passed; the verdict reads No-go "
            "unless the latest reading clears the threshold."
        ]
    return []


def _register(uow: UnitOfWork, actor: Actor, command: Register, now: datetime) -> PilotReport:
    name = pilot_name(command.name)
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
    session.add(pilot)
    return _settle(uow, pilot, now, _apply(uow, pilot, command.changes, now, by=actor.user_id))


def _set_fields(uow: UnitOfWork, actor: Actor, command: SetFields, now: datetime) -> PilotReport:
    if not command.changes:
        raise InvalidInput("Say what to set.")
    return _change(
        uow,
        actor,
        command.key,
        now,
        lambda pilot: _apply(
            uow, pilot, command.changes, now, by=actor.user_id, reason=command.reason
        ),
    )


def _record_measurement(
    uow: UnitOfWork, actor: Actor, command: RecordMeasurement, now: datetime
) -> PilotReport:
    if command.at is not None and command.at > now:
        raise InvalidInput("A measurement can't be dated in the future.")

    def record(pilot: Pilot) -> list[str]:
        if command.kind is MeasurementKind.BASELINE:
            baseline = {LockedField.BASELINE: command.value}
            decisions.guard_locked(pilot, baseline, command.reason, actor.user_id, now)
        pilot.measurements.append(
            Measurement(
                kind=command.kind.value,
                value=command.value,
                note=command.note or None,
                recorded_by=actor.user_id,
                recorded_at=command.at or now,
            )
        )
        if pilot.stage == Stage.PROPOSED.value:
            pilot.stage = Stage.PILOTING.value
        return []

    return _change(uow, actor, command.key, now, record)


def _assign_raci(uow: UnitOfWork, actor: Actor, command: AssignRaci, now: datetime) -> PilotReport:
    users = list(dict.fromkeys(command.users))
    if not users or not command.areas:
        raise InvalidInput("Name at least one area and one person.")
    if command.role is RaciRole.ACCOUNTABLE and len(users) != 1:
        raise InvalidInput("Each area has exactly one Accountable; name one person.")

    def assign(pilot: Pilot) -> list[str]:
        _hold_role(pilot, command.areas, command.role.value, users)
        return []

    return _change(uow, actor, command.key, now, assign)


def _hold_role(pilot: Pilot, areas: tuple[RaciArea, ...], role: str, users: list[str]) -> None:
    """`users` hold `role` in each of `areas`, and nobody else does."""
    # Holders who keep the role keep their row: replacing it would insert the same
    # (pilot, area, role, user) before the old row is deleted.
    roles = {(area.value, role) for area in areas}
    kept = [e for e in pilot.raci if (e.area, e.role) not in roles or e.user_id in users]
    held = {(e.area, e.role, e.user_id) for e in kept}
    pilot.raci = kept + [
        RaciAssignment(area=area, role=role, user_id=user)
        for area, role in sorted(roles)
        for user in users
        if (area, role, user) not in held
    ]


def _complete(uow: UnitOfWork, actor: Actor, command: CompletePilot, now: datetime) -> PilotReport:
    def complete(pilot: Pilot) -> list[str]:
        warnings = _apply(uow, pilot, command.changes, now, by=actor.user_id)
        if command.accountable:
            _hold_role(pilot, tuple(RaciArea), RaciRole.ACCOUNTABLE.value, [command.accountable])
        return warnings

    return _change(uow, actor, command.key, now, complete)


def _decide(uow: UnitOfWork, actor: Actor, command: Decide, now: datetime) -> PilotReport:
    if not command.rationale.strip():
        raise InvalidInput("A decision needs its reason, for the record.")

    def record(pilot: Pilot) -> list[str]:
        before = current_report(uow, pilot, now)
        zone_of_owner = before.owner_zone
        return decisions.record(
            pilot, command, actor.user_id, now, before.assessment, zone_of_owner
        )

    return _change(uow, actor, command.key, now, record)


def _review_decision(
    uow: UnitOfWork, actor: Actor, command: ReviewDecision, now: datetime
) -> PilotReport:
    return _change(
        uow,
        actor,
        command.key,
        now,
        lambda pilot: decisions.review(pilot, command, actor.user_id, now),
    )


def _accept_baseline(
    uow: UnitOfWork, actor: Actor, command: AcceptBaseline, now: datetime
) -> PilotReport:
    if not command.reason.strip():
        raise InvalidInput("Accepting a late baseline needs its reason, for the record.")
    return _change(
        uow,
        actor,
        command.key,
        now,
        lambda pilot: decisions.accept_baseline(pilot, command.reason.strip(), actor.user_id, now),
    )


HANDLERS: Mapping[type[Any], Callable[[UnitOfWork, Actor, Any, datetime], PilotReport]] = {
    Register: _register,
    SetFields: _set_fields,
    RecordMeasurement: _record_measurement,
    AssignRaci: _assign_raci,
    Decide: _decide,
    ReviewDecision: _review_decision,
    AcceptBaseline: _accept_baseline,
    CompletePilot: _complete,
}


def handle(uow: UnitOfWork, actor: Actor, command: Command, now: datetime) -> PilotReport:
    """Runs one command as `actor` and commits; one bad command changes nothing."""
    return HANDLERS[type(command)](uow, actor, command, now)


def pilot_report(uow: UnitOfWork, actor: Actor, key: PilotKey, now: datetime) -> PilotReport:
    """Anyone in the workspace may read a pilot."""
    pilot = find_pilot(uow, actor.team_id, key)
    return current_report(uow, pilot, now)


def list_reports(uow: UnitOfWork, actor: Actor, now: datetime) -> list[PilotReport]:
    """Anyone in the workspace may list its pilots."""
    return team_reports(uow, actor.team_id, now)


def reports_involving(
    uow: UnitOfWork, team_id: str, user_id: str, now: datetime
) -> list[PilotReport]:
    """What the App Home shows a person: pilots they own, sponsor or hold a RACI role in."""
    return reports(uow, pilot_store.pilots_involving(uow.session, team_id, user_id), now)


def team_reports(uow: UnitOfWork, team_id: str, now: datetime) -> list[PilotReport]:
    """Every pilot of one workspace as of `now`."""
    return reports(uow, pilot_store.list_pilots(uow.session, team_id), now)
