"""Queries over a pilot's evidence and its audit trail."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Amendment
from storage.models import AuditEntry
from storage.models import Decision
from storage.models import Evaluation
from storage.models import Guardrail
from storage.models import Measurement
from storage.models import Pilot
from storage.models import RaciAssignment
from storage.models import Snooze

# The audited tables whose rows belong to one pilot through their pilot_id.
PILOT_CHILDREN = tuple(
    model.__tablename__
    for model in (Measurement, RaciAssignment, Decision, Amendment, Guardrail, Evaluation, Snooze)
)


def audit_trail(session: Session, team_id: str, pilot_id: int) -> Sequence[AuditEntry]:
    """Every audit entry about one pilot and the rows that belong to it, oldest first.

    A child row names its pilot in its snapshot (`after` when created or changed, `before`
    when deleted), so rows deleted since (a replaced RACI holder, a removed guardrail) are
    found too.
    """
    own = and_(
        AuditEntry.entity == Pilot.__tablename__,
        # A row's creation is logged before its id is known to the log's entity_id.
        or_(AuditEntry.entity_id == str(pilot_id), AuditEntry.after["id"].as_integer() == pilot_id),
    )
    children = and_(
        AuditEntry.entity.in_(PILOT_CHILDREN),
        or_(
            AuditEntry.after["pilot_id"].as_integer() == pilot_id,
            AuditEntry.before["pilot_id"].as_integer() == pilot_id,
        ),
    )
    statement = (
        select(AuditEntry)
        .where(AuditEntry.team_id == team_id, or_(own, children))
        .order_by(AuditEntry.id)
    )
    return session.scalars(statement).all()
