"""Use cases that register, change and read pilots.

Every door hands in a typed command (bot.services.commands); `handle` runs it. A change to an
existing pilot takes one path: find it locked, check the right to change it, apply the
mutation, look at it again at the next tick, and report it as of now (bot.services.reports).
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.errors import InvalidInput
from bot.errors import NotFound
from bot.governance import cadence as cadence_rules
from bot.governance.locks import LockedField
from bot.governance.locks import LockedValue
from bot.governance.people import person
from bot.governance.text import pilot_name
from bot.governance.vocabulary import Better
from bot.governance.vocabulary import Cadence
from bot.governance.vocabulary import Field
from bot.governance.vocabulary import MeasurementKind
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole
from bot.governance.vocabulary import Stage
from bot.services import decisions
from bot.services import evidence
from bot.services.actors import Actor
from bot.services.actors import require_change_rights
from bot.services.commands import AcceptBaseline
from bot.services.commands import AssignRaci
from bot.services.commands import Changes
from bot.services.commands import Command
from bot.services.commands import CompletePilot
from bot.services.commands import Decide
from bot.services.commands import PilotKey
from bot.services.commands import RecordEval
from bot.services.commands import RecordMeasurement
from bot.services.commands import Register
from bot.services.commands import RemoveGuardrail
from bot.services.commands import ReviewDecision
from bot.services.commands import SetFields
from bot.services.commands import SetGuardrail
from bot.services.facts import RECENT
from bot.services.fields import ATTRIBUTES
from bot.services.reports import PilotReport
from bot.services.reports import Standing
from bot.services.reports import current_report
from bot.services.reports import owner_zone
from bot.services.reports import report
from bot.services.reports import reports
from bot.services.reports import standing
from bot.services.reports import standings
from storage import people
from storage import pilots as pilot_store
from storage.models import Measurement
from storage.models import Pilot
from storage.models import RaciAssignment
from storage.pilots import MeasurementWindow
from storage.unit_of_work import UnitOfWork

__all__ = [
    "MAX_NOTE",
    "PilotReport",
    "Standing",
    "current_report",
    "handle",
    "owner_zone",
    "report",
    "reports",
    "standing",
    "standings",
]

MAX_NOTE = 2000


def find_pilot(
    uow: UnitOfWork,
    team_id: str,
    key: PilotKey,
    *,
    for_update: bool = False,
    as_of: datetime | None = None,
) -> Pilot:
    """The pilot of `key`; with `as_of`, holding of its measurements only what its facts as of
    then read (a change costs the same on the thousandth reading as on the first)."""
    window = None if as_of is None else MeasurementWindow(as_of, RECENT)
    pilot = pilot_store.get_pilot(
        uow.session, team_id, key.number, for_update=for_update, window=window
    )
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
    pilot = find_pilot(uow, actor.team_id, key, for_update=True, as_of=now)
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
    # eval-score and eval-size are no facts of the pilot: they record a run.
    changes, run = evidence.split_eval_run(pilot.key, changes)
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
    warnings = [] if run is None else evidence.record_eval_fields(pilot, run, by, now)
    day = pilot.decide_by
    # Read on the owner's clock, like the verdict the warning speaks of.
    if (
        Field.DECIDE_BY in changes
        and day
        and cadence_rules.has_passed(day, now, owner_zone(uow, pilot))
    ):
        warnings.append(
            f"Note: decide-by {day.isoformat()} has already passed; the verdict reads No-go "
            "unless the latest reading clears the threshold."
        )
    return warnings


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
    value, key = command.value, command.key
    if command.at is not None and command.at > now:
        raise InvalidInput("A measurement can't be dated in the future.")
    at = command.at or now
    if command.kind is MeasurementKind.BASELINE and (value is None or command.guardrails):
        raise InvalidInput(f"A baseline is one number: `/pilot baseline {key} <number>`.")
    if value is None and not command.guardrails:
        raise InvalidInput(f"Say what was read: `/pilot update {key} <number>`.")

    def record(pilot: Pilot) -> list[str]:
        note = command.note or None
        if value is not None:
            if command.kind is MeasurementKind.BASELINE:
                baseline = {LockedField.BASELINE: value}
                decisions.guard_locked(pilot, baseline, command.reason, actor.user_id, now)
            pilot.measurements.append(
                Measurement(
                    kind=command.kind.value,
                    value=value,
                    note=note,
                    recorded_by=actor.user_id,
                    recorded_at=at,
                )
            )
            if pilot.stage == Stage.PROPOSED.value:
                pilot.stage = Stage.PILOTING.value
        evidence.record_guardrail_readings(pilot, command.guardrails, actor.user_id, at, note)
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


def _evidence(
    uow: UnitOfWork,
    actor: Actor,
    command: SetGuardrail | RemoveGuardrail | RecordEval,
    now: datetime,
) -> PilotReport:
    def mutate(pilot: Pilot) -> list[str]:
        if isinstance(command, SetGuardrail):
            return evidence.set_guardrail(pilot, command, now)
        if isinstance(command, RemoveGuardrail):
            return evidence.remove_guardrail(pilot, command)
        if command.at is not None and command.at > now:
            raise InvalidInput("An evaluation run can't be dated in the future.")
        score, size, note = command.score, command.size, command.note
        return evidence.record_eval(
            pilot, score, size, note, actor.user_id, command.at or now, reported_at=now
        )

    return _change(uow, actor, command.key, now, mutate)


HANDLERS: Mapping[type[Any], Callable[[UnitOfWork, Actor, Any, datetime], PilotReport]] = {
    Register: _register,
    SetFields: _set_fields,
    RecordMeasurement: _record_measurement,
    AssignRaci: _assign_raci,
    Decide: _decide,
    ReviewDecision: _review_decision,
    AcceptBaseline: _accept_baseline,
    CompletePilot: _complete,
    SetGuardrail: _evidence,
    RemoveGuardrail: _evidence,
    RecordEval: _evidence,
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
