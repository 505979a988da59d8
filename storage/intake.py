"""The durable intake: what Slack was told was received, recorded before the ack, then
claimed by a worker, carried out once and settled.

A claim marks a row running for one worker until a lease runs out; on PostgreSQL the row is
picked with FOR UPDATE SKIP LOCKED so several processes take disjoint rows, and on SQLite the
single writer does the same in one UPDATE (see `_take`). The worker's process
renews the lease while it works; a process that dies leaves its rows to be taken again when
the lease ends.

Carried out once: the work commits through `fenced` sessions, and every such commit also
marks the row applied, in the same transaction, and only while this worker still holds the
claim. A worker that takes a row over after a crash sees `applied` and does not make the
change again; a worker that lost its claim cannot commit at all (LeaseLost).
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from enum import StrEnum
from typing import Any
from typing import cast

from sqlalchemy import ColumnElement
from sqlalchemy import Table
from sqlalchemy import and_
from sqlalchemy import case
from sqlalchemy import delete
from sqlalchemy import event
from sqlalchemy import func
from sqlalchemy import literal
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import tuple_
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from storage.dialects import insert_for
from storage.models import IntakeRequest
from storage.types import UTCDateTime

# Core statements on the table: claims run for every request, and the ORM's bookkeeping
# would double their cost.
INTAKE = cast(Table, IntakeRequest.__table__)


class Kind(StrEnum):
    COMMAND = "command"
    ACTION = "action"
    VIEW_SUBMISSION = "view_submission"
    EVENT = "event"


class Status(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    EXPIRED = "expired"


FINISHED = (Status.DONE, Status.FAILED, Status.EXPIRED)


@dataclass(frozen=True)
class NewRequest:
    team_id: str
    user_id: str
    kind: Kind
    dedupe_key: str
    payload: dict[str, Any]
    response_url: str | None
    received_at: datetime


@dataclass(frozen=True)
class Claim:
    """One worker's hold on one request: the token is new at every claim."""

    request_id: int
    token: str


@dataclass(frozen=True)
class Taken:
    """A request as a worker (or the expiry) took it: plain values, no session attached."""

    id: int
    claim: Claim
    team_id: str
    user_id: str
    kind: Kind
    payload: dict[str, Any]
    response_url: str | None
    received_at: datetime
    attempts: int
    # The change it makes was committed already (by a worker that died before finishing).
    applied: bool
    # The person was answered already.
    replied: bool


class LeaseLost(Exception):
    """This worker no longer holds the request (its lease ran out and another took it, or it
    expired): what it was about to commit is rolled back."""


def record(session: Session, request: NewRequest) -> int | None:
    """Inserts the request; returns its id, or None when one with its key came before."""
    inserted = session.execute(
        insert_for(session, INTAKE)
        .values(
            team_id=request.team_id,
            user_id=request.user_id,
            kind=request.kind.value,
            dedupe_key=request.dedupe_key,
            payload=request.payload,
            response_url=request.response_url,
            received_at=request.received_at,
            status=Status.PENDING.value,
            attempts=0,
        )
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(INTAKE.c.id)
    ).first()
    return None if inserted is None else int(inserted[0])


def record_autocommitted(sessions: sessionmaker[Session], request: NewRequest) -> int | None:
    """`record` as one statement that commits itself, on a connection from `sessions`' pool:
    on the ack path each round trip to the database counts (no BEGIN, no COMMIT)."""
    with sessions.kw["bind"].connect() as connection:
        autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
        with Session(bind=autocommit) as session:
            return record(session, request)


def _claimable(wall: datetime) -> Any:
    return or_(
        INTAKE.c.status == Status.PENDING,
        and_(INTAKE.c.status == Status.RUNNING, INTAKE.c.lease_until < wall),
    )


def _take(session: Session, chosen: Any, wall: datetime, values: dict[str, Any]) -> list[Taken]:
    """Updates the claimable rows among `chosen` (a select of ids, oldest first) and returns
    them.

    On PostgreSQL the rows are picked and locked first (FOR UPDATE SKIP LOCKED: any other
    process passes them by until this transaction ends), then updated by primary key. As one
    `UPDATE ... WHERE id IN (subquery)`, PostgreSQL scans the whole table, and may run the
    subquery again for each row it updates, each run taking one more row past the limit.
    SQLite, one writer at a time, runs its IN subquery once.
    """
    if session.get_bind().dialect.name == "postgresql":
        ids = list(session.scalars(chosen.with_for_update(skip_locked=True)))
        if not ids:
            return []
        picked = INTAKE.c.id.in_(ids)
    else:
        picked = INTAKE.c.id.in_(chosen.scalar_subquery())
    rows = session.execute(
        update(INTAKE).where(picked, _claimable(wall)).values(values).returning(*INTAKE.c)
    ).all()
    return sorted((_taken(row) for row in rows), key=lambda taken: taken.id)


def claim(
    session: Session, token: str, *, wall: datetime, lease: timedelta, fresh_since: datetime
) -> Taken | None:
    """Takes the oldest request received since `fresh_since` that nobody holds, for `lease`.

    Leases are the machine's clock (`wall`): a claim outlives neither a dead process nor a
    process that stopped renewing.
    """
    oldest = (
        select(INTAKE.c.id)
        .where(_claimable(wall), INTAKE.c.received_at >= fresh_since)
        .order_by(INTAKE.c.received_at, INTAKE.c.id)
        .limit(1)
    )
    taken = _take(
        session,
        oldest,
        wall,
        {
            "status": Status.RUNNING.value,
            "lease_until": wall + lease,
            "claimed_by": token,
            "attempts": INTAKE.c.attempts + 1,
        },
    )
    return taken[0] if taken else None


def expire(
    session: Session, *, received_before: datetime, wall: datetime, limit: int
) -> list[Taken]:
    """Settles requests nobody holds that came too long ago to be answered where they were
    asked: expired when nothing was changed nor answered, done when the change was made or
    the person answered (by a process that died before it settled the row). Returns them,
    so the person can be told."""
    stale = (
        select(INTAKE.c.id)
        .where(_claimable(wall), INTAKE.c.received_at < received_before)
        .order_by(INTAKE.c.received_at, INTAKE.c.id)
        .limit(limit)
    )
    untouched = and_(INTAKE.c.applied_at.is_(None), INTAKE.c.replied_at.is_(None))
    status = case((untouched, Status.EXPIRED.value), else_=Status.DONE.value)
    return _take(session, stale, wall, {"status": status, "lease_until": None, "finished_at": wall})


def renew(session: Session, claims: Iterable[Claim], until: datetime) -> None:
    """Extends the leases this process still holds."""
    held = [(claim.request_id, claim.token) for claim in claims]
    if not held:
        return
    session.execute(
        update(INTAKE)
        .where(
            tuple_(INTAKE.c.id, INTAKE.c.claimed_by).in_(held),
            INTAKE.c.status == Status.RUNNING,
        )
        .values(lease_until=until)
    )


def _still_claimed(claim: Claim) -> ColumnElement[bool]:
    """The request is still running under this worker's claim, not taken over since."""
    return and_(
        INTAKE.c.id == claim.request_id,
        INTAKE.c.claimed_by == claim.token,
        INTAKE.c.status == Status.RUNNING,
    )


def mark_replied(session: Session, claim: Claim, now: datetime) -> None:
    session.execute(
        update(INTAKE)
        .where(INTAKE.c.id == claim.request_id, INTAKE.c.claimed_by == claim.token)
        .values(replied_at=now)
    )


def settle(
    session: Session, claim: Claim, status: Status, now: datetime, error: str | None = None
) -> bool:
    """Records how the request ended (done or failed); False when the claim was lost."""
    values: dict[str, Any] = {"status": status.value, "lease_until": None, "finished_at": now}
    if error is not None:
        values["last_error"] = error[:2000]
    settled = session.execute(
        update(INTAKE).where(_still_claimed(claim)).values(values).returning(INTAKE.c.id)
    ).first()
    return settled is not None


def waiting(session: Session) -> int:
    """Requests received and not finished: waiting for a worker, or with one now."""
    count = session.scalar(
        select(func.count())
        .select_from(INTAKE)
        .where(INTAKE.c.status.in_([Status.PENDING, Status.RUNNING]))
    )
    return int(count or 0)


def forget_finished(session: Session, received_before: datetime) -> int:
    """Finished requests are kept a while (a replay of one is still recognised), then
    dropped: their payloads hold what people typed."""
    result = session.execute(
        delete(INTAKE).where(
            INTAKE.c.status.in_(list(FINISHED)),
            INTAKE.c.received_at < received_before,
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _taken(row: Any) -> Taken:
    return Taken(
        id=row.id,
        claim=Claim(row.id, row.claimed_by or ""),
        team_id=row.team_id,
        user_id=row.user_id,
        kind=Kind(row.kind),
        payload=row.payload,
        response_url=row.response_url,
        received_at=row.received_at,
        attempts=row.attempts,
        applied=row.applied_at is not None,
        replied=row.replied_at is not None,
    )


# The claim the work on this thread is done under, if any (see `holding`).
_HELD: ContextVar[Claim | None] = ContextVar("pilotgate_intake_claim", default=None)


@contextmanager
def holding(claim: Claim) -> Iterator[None]:
    """Commits of fenced sessions inside the block belong to this claim."""
    reset = _HELD.set(claim)
    try:
        yield
    finally:
        _HELD.reset(reset)


def fenced(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """Sessions like `sessions`', whose commits under `holding` also mark the request applied,
    or fail with LeaseLost when the claim is no longer this worker's. Outside `holding` they
    are plain sessions."""
    made = sessionmaker(**sessions.kw)
    event.listen(made, "before_commit", _fence)
    return made


def _fence(session: Session) -> None:
    claim = _HELD.get()
    if claim is None:
        return
    now = literal(datetime.now(UTC), UTCDateTime())
    marked = session.execute(
        update(INTAKE)
        .where(_still_claimed(claim))
        .values(applied_at=func.coalesce(INTAKE.c.applied_at, now))
        .returning(INTAKE.c.id)
    ).first()
    if marked is None:
        raise LeaseLost(f"intake request {claim.request_id} is no longer held by this worker")
