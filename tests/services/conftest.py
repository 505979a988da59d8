from __future__ import annotations

from datetime import UTC
from datetime import datetime

import pytest
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from bot.errors import NotAllowed
from bot.services import pilots
from bot.services.actors import Actor
from bot.services.commands import ReviewDecision
from storage.models import AuditEntry
from storage.unit_of_work import UnitOfWork
from tests import typed

NOW = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
ANN = Actor("T1", "U0ANN")
SPONSOR = Actor("T1", "U0SPO")
STRANGER = Actor("T1", "U0XYZ")
ADMIN = Actor("T1", "U0ADM", is_admin=True)
OTHER_TEAM = Actor("T2", "U0ANN")


class Portfolio:
    """Runs use cases the way a listener will: one unit of work per request."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def uow(self, actor: Actor) -> UnitOfWork:
        return UnitOfWork(self.sessions, actor=actor.user_id)

    def register(
        self,
        actor: Actor = ANN,
        name: str = "Support drafting",
        at: datetime = NOW,
        **fields: str,
    ) -> str:
        with self.uow(actor) as uow:
            return pilots.handle(uow, actor, typed.register(name, fields), at).key

    def set(self, actor: Actor, key: str, at: datetime = NOW, **fields: str) -> pilots.PilotReport:
        with self.uow(actor) as uow:
            return pilots.handle(uow, actor, typed.set_fields(key, fields), at)

    def run(self, actor: Actor, text: str, at: datetime = NOW) -> pilots.PilotReport:
        """A change as a person types it after `/pilot`."""
        with self.uow(actor) as uow:
            return pilots.handle(uow, actor, typed.command(text), at)

    def review(
        self, actor: Actor, key: str, *, approve: bool, at: datetime = NOW
    ) -> pilots.PilotReport:
        """The second person's Approve or Reject of a go over open gaps."""
        with self.uow(actor) as uow:
            return pilots.handle(uow, actor, ReviewDecision(typed.key(key), approve), at)

    def read(self, key: str, actor: Actor = ANN, at: datetime = NOW) -> pilots.PilotReport:
        with self.uow(actor) as uow:
            return pilots.pilot_report(uow, actor, typed.key(key), at)

    def assert_refused(self, actor: Actor, *texts: str) -> None:
        """Each command is refused for `actor`, and none of them leaves a trace."""
        before = self.audit_count()
        for text in texts:
            with pytest.raises(NotAllowed):
                self.run(actor, text)
        assert self.audit_count() == before

    def audit_count(self) -> int:
        with self.sessions() as session:
            return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


@pytest.fixture
def portfolio(sessions: sessionmaker[Session]) -> Portfolio:
    return Portfolio(sessions)
