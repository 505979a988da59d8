"""Migrations and engine set-up, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from storage.db import create_db_engine
from storage.migrate import current_revision
from storage.migrate import head_revision
from storage.migrate import upgrade
from storage.models import Base
from storage.models import Workspace


def test_migrations_take_an_empty_database_to_head(empty_database_url: str) -> None:
    engine = create_db_engine(empty_database_url)
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        upgrade(engine)  # a second upgrade is a no-op, as every start runs one
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_the_migrations_build_exactly_what_the_models_describe(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
    finally:
        engine.dispose()


def test_plain_postgresql_urls_get_the_psycopg_driver() -> None:
    engine = create_db_engine("postgresql://user:pw@127.0.0.1:1/db")
    assert engine.dialect.driver == "psycopg"
    engine.dispose()


def test_instants_come_back_aware_in_utc(sessions: sessionmaker[Session]) -> None:
    berlin_noon = datetime.fromisoformat("2026-10-25T12:00:00+01:00")
    with sessions() as session:
        session.add(Workspace(team_id="T1", installed_at=berlin_noon, pilot_counter=0))
        session.commit()
    with sessions() as session:
        stored = session.get(Workspace, "T1")
        assert stored is not None
        assert stored.installed_at == datetime(2026, 10, 25, 11, 0, tzinfo=UTC)
        assert stored.installed_at.tzinfo is UTC


def test_a_naive_instant_is_refused(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        session.add(Workspace(team_id="T1", installed_at=datetime(2026, 1, 1), pilot_counter=0))  # noqa: DTZ001
        with pytest.raises(StatementError, match="naive datetime"):
            session.commit()
