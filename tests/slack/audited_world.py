"""One database holding pilot P-1 of team T1, owned by U0ANN, and the people who type at it:
a change is run as the listener runs it, and what it left behind is checked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from typing import Any
from typing import get_args

from hypothesis import strategies as st
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from bot.errors import UserError
from bot.governance.vocabulary import Field
from bot.services import commands
from bot.services import pilots
from bot.services.actors import Actor
from bot.services.subscriptions import subscribe_digest
from bot.slack import grammar
from storage.models import AuditEntry
from storage.models import Decision as StoredDecision
from storage.models import DigestSubscription
from storage.models import Measurement
from storage.models import Pilot
from storage.models import RaciAssignment
from storage.models import Workspace
from storage.unit_of_work import UnitOfWork
from tests.slack.typed_input import P1
from tests.slack.typed_input import one_line

NOW = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
ANN = Actor("T1", "U0ANN")
STRANGER = Actor("T1", "U0XYZ")
OTHER_TEAM = Actor("T2", "U0ANN")
ADMIN = Actor("T1", "U0ADM", is_admin=True)
TIMEZONE = "Europe/Berlin"

AUDITED = (Workspace, Pilot, Measurement, RaciAssignment, StoredDecision, DigestSubscription)
Snapshot = dict[str, list[tuple[Any, ...]]]


class World:
    """One database holding pilot P-1 of team T1, owned by U0ANN, kept owned by U0ANN."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        with self.uow(ANN) as uow:
            assert pilots.handle(uow, ANN, commands.Register("Support drafting"), NOW).key == "P-1"

    def uow(self, actor: Actor) -> UnitOfWork:
        return UnitOfWork(self.sessions, actor=actor.user_id)

    def snapshot(self) -> tuple[Snapshot, int]:
        """Every audited row, and how many audit entries there are."""
        rows: Snapshot = {}
        with self.sessions() as session:
            for model in AUDITED:
                table = model.__table__
                ordered = select(table).order_by(*table.primary_key.columns)
                rows[table.name] = [tuple(row) for row in session.execute(ordered)]
            audited = session.scalar(select(func.count()).select_from(AuditEntry))
        return rows, int(audited or 0)

    def has_readings(self) -> bool:
        with self.uow(ANN) as uow:
            return pilots.pilot_report(uow, ANN, P1, NOW).facts.first_reading is not None

    def keep_ann_the_owner(self) -> None:
        """A successful `set P-1 owner:…` would lock U0ANN out of every later example."""
        with self.uow(ADMIN) as uow:
            if pilots.pilot_report(uow, ADMIN, P1, NOW).facts.owner != ANN.user_id:
                change = commands.SetFields(P1, {Field.OWNER: ANN.user_id})
                pilots.handle(uow, ADMIN, change, NOW)

    def attempt(self, actor: Actor, change: Callable[[UnitOfWork], object]) -> Outcome:
        """Runs one change and checks what it left behind."""
        before, audited_before = self.snapshot()
        refused: UserError | None = None
        try:
            with self.uow(actor) as uow:
                change(uow)
        except UserError as error:
            refused = error
        after, audited_after = self.snapshot()
        self.keep_ann_the_owner()
        outcome = Outcome(refused, after != before, audited_after - audited_before)
        if refused is not None:
            assert one_line(refused.message), repr(refused.message)
            assert not outcome.changed, f"refused ({refused}) yet something changed"
            assert outcome.audited == 0, f"refused ({refused}) yet audit entries were added"
        elif outcome.changed:
            assert outcome.audited > 0, "a change left no audit entry"
        return outcome


@dataclass(frozen=True)
class Outcome:
    refused: UserError | None
    changed: bool
    audited: int


def describe(outcome: Outcome) -> str:
    if outcome.refused is not None:
        return f"refused ({type(outcome.refused).__name__})"
    return "changed" if outcome.changed else "no change"


def run(uow: UnitOfWork, actor: Actor, command: grammar.Command) -> object:
    """What the listener does with a parsed change (bot.slack.commands.execute)."""
    if isinstance(command, grammar.SubscribeDigest):
        return subscribe_digest(uow, actor, command.channel_id, command.schedule, TIMEZONE, NOW)
    assert isinstance(command, get_args(commands.Command))
    return pilots.handle(uow, actor, command, NOW)


actors = st.sampled_from([ANN, ANN, ANN, ANN, STRANGER, OTHER_TEAM])
