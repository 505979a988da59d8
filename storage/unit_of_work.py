"""One transaction per use case: commit explicitly, roll back by default."""

from __future__ import annotations

from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker


class UnitOfWork:
    """`with UnitOfWork(sessions, actor="U123") as uow: ...; uow.commit()`.

    Leaving the block without commit() rolls everything back, so a failure half-way
    through a use case changes nothing.
    """

    def __init__(self, sessions: sessionmaker[Session], actor: str | None = None) -> None:
        self._sessions = sessions
        self._actor = actor
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("use the unit of work inside a with block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = self._sessions()
        self._session.info["actor"] = self._actor
        return self

    def __exit__(self, *exc_info: object) -> None:
        session = self.session
        try:
            session.rollback()
        finally:
            session.close()
            self._session = None

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        """Undoes what is not committed; the unit of work goes on with a new transaction."""
        self.session.rollback()

    def act_as(self, actor: str) -> None:
        """Changes from now on are audited as `actor` (who it is may only be known once the
        request is under way, as for an API token)."""
        self._actor = actor
        self.session.info["actor"] = actor
