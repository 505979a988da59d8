"""How a pilot reads as of an instant: its facts, stage and verdict, on its owner's clock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.governance.facts import PilotFacts
from bot.governance.readiness import UTC_ZONE
from bot.governance.readiness import Assessment
from bot.governance.readiness import assess
from bot.governance.vocabulary import Stage
from bot.governance.zones import zone
from bot.services.facts import pilot_facts
from storage import people
from storage.models import Pilot
from storage.unit_of_work import UnitOfWork


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
