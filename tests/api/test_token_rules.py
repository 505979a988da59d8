"""The rules behind the API's doors, on each database: how tokens are kept and checked, and
the instant a reading carries, whichever door hands it in."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from bot.errors import InvalidInput
from bot.errors import NotAllowed
from bot.governance.vocabulary import MeasurementKind
from bot.services import pilots
from bot.services import tokens
from bot.services.actors import Actor
from bot.services.commands import RecordMeasurement
from bot.services.commands import Register
from storage.models import ApiToken
from storage.models import AuditEntry
from storage.unit_of_work import UnitOfWork
from tests import typed

NOW = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
ADMIN = Actor("T1", "U0ADM", is_admin=True)
OWNER = Actor("T1", "U0ANN")


def issue(
    sessions: sessionmaker[Session], label: str = "router", at: datetime = NOW
) -> tokens.IssuedToken:
    with UnitOfWork(sessions, actor=ADMIN.user_id) as uow:
        return tokens.issue(uow, ADMIN, tokens.IssueToken(label), at)


def holder(sessions: sessionmaker[Session], presented: str, at: datetime = NOW) -> object:
    with UnitOfWork(sessions) as uow:
        return tokens.authenticate(uow, presented, at)


def test_only_a_keyed_hash_is_kept_and_the_token_checks_out(
    sessions: sessionmaker[Session],
) -> None:
    issued = issue(sessions)
    assert tokens.TOKEN_SHAPE.fullmatch(issued.secret)
    with sessions() as session:
        stored = session.scalars(select(ApiToken)).one()
        audited = session.scalars(select(AuditEntry.after)).all()
    assert issued.secret not in (stored.token_hash, stored.label, stored.id)
    assert issued.secret not in str(audited)
    assert holder(sessions, issued.secret) == tokens.TokenHolder("T1", issued.info.id)


@pytest.mark.parametrize(
    "presented",
    ["", "pgt_", "pgt_" + "A" * 43, "pgt_" + "A" * 44, "Bearer x", "pgt_" + "é" * 43],
)
def test_anything_but_a_live_token_is_nobody(
    sessions: sessionmaker[Session], presented: str
) -> None:
    issue(sessions)
    assert holder(sessions, presented) is None


def test_a_revoked_token_is_nobody_and_revoking_again_keeps_the_first_time(
    sessions: sessionmaker[Session],
) -> None:
    issued = issue(sessions)
    for at in (NOW, NOW + timedelta(days=1)):
        with UnitOfWork(sessions, actor=ADMIN.user_id) as uow:
            info = tokens.revoke(uow, ADMIN, tokens.RevokeToken(issued.info.id), at)
        assert info.revoked_at == NOW
    assert holder(sessions, issued.secret) is None


def test_last_used_is_kept_to_the_minute_without_a_write_per_request(
    sessions: sessionmaker[Session],
) -> None:
    issued = issue(sessions)
    for seconds in (0, 30, 59, 61):
        holder(sessions, issued.secret, NOW + timedelta(seconds=seconds))
        with UnitOfWork(sessions) as uow:
            [info] = tokens.list_tokens(uow, ADMIN)
        expected = NOW + timedelta(seconds=61 if seconds == 61 else 0)
        assert info.last_used_at == expected


def test_tokens_are_listed_per_workspace_and_by_admins_only(
    sessions: sessionmaker[Session],
) -> None:
    issue(sessions, "second", NOW + timedelta(minutes=1))
    issue(sessions, "first")
    with UnitOfWork(sessions) as uow:
        assert [t.label for t in tokens.list_tokens(uow, ADMIN)] == ["first", "second"]
        elsewhere = Actor("T2", "U0ADM", is_admin=True)
        assert tokens.list_tokens(uow, elsewhere) == []
        with pytest.raises(NotAllowed, match="Only workspace admins"):
            tokens.list_tokens(uow, OWNER)


@pytest.mark.parametrize("label", ["", "   ", "\u200b\u200d", "x" * 101])
def test_a_label_must_show_and_be_short(sessions: sessionmaker[Session], label: str) -> None:
    with pytest.raises(InvalidInput):
        issue(sessions, label)


def test_a_reading_dated_in_the_future_is_refused_whichever_door(
    sessions: sessionmaker[Session],
) -> None:
    with UnitOfWork(sessions, actor=OWNER.user_id) as uow:
        key = pilots.handle(uow, OWNER, Register("Drafting"), NOW).key
    later = RecordMeasurement(
        typed.key(key), MeasurementKind.READING, 9.0, at=NOW + timedelta(seconds=1)
    )
    with UnitOfWork(sessions, actor=OWNER.user_id) as uow, pytest.raises(InvalidInput):
        pilots.handle(uow, OWNER, later, NOW)
    earlier = RecordMeasurement(later.key, MeasurementKind.READING, 9.0, at=NOW - timedelta(days=3))
    with UnitOfWork(sessions, actor=OWNER.user_id) as uow:
        report = pilots.handle(uow, OWNER, earlier, NOW)
    assert report.facts.latest_reading is not None
    assert report.facts.latest_reading.at == NOW - timedelta(days=3)
