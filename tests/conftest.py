"""Shared fixtures: a migrated database on SQLite and on a real PostgreSQL server.

Every test that takes `sessions` (or `database_url`) runs once per database. PostgreSQL
comes from PILOTGATE_TEST_POSTGRES_URL (a role that may CREATE DATABASE; scripts/pg-test-server
starts one). Without it the PostgreSQL runs are skipped with that reason, unless
PILOTGATE_REQUIRE_POSTGRES=1 (set by CI), which makes its absence a failure.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from storage.db import create_db_engine
from storage.db import normalise_url
from storage.db import session_factory
from storage.migrate import upgrade
from tests.fakeslack import FakeSlack

POSTGRES_URL = os.environ.get("PILOTGATE_TEST_POSTGRES_URL", "")
REQUIRE_POSTGRES = os.environ.get("PILOTGATE_REQUIRE_POSTGRES", "") == "1"
DATABASES = ["sqlite", "postgresql"]


def _postgres_admin() -> Engine:
    if not POSTGRES_URL:
        reason = "PILOTGATE_TEST_POSTGRES_URL is not set (start one: scripts/pg-test-server start)"
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required here but {reason}")
        pytest.skip(reason)
    return create_engine(normalise_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")


class PostgresDatabases:
    """Creates throwaway databases, each a copy of one migrated template."""

    def __init__(self) -> None:
        self.admin = _postgres_admin()
        self.template: str | None = None

    def create(self, *, migrated: bool) -> str:
        name = f"pilotgate_test_{uuid.uuid4().hex[:12]}"
        source = f" TEMPLATE {self._template()}" if migrated else ""
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{source}'))
        return (
            make_url(normalise_url(POSTGRES_URL))
            .set(database=name)
            .render_as_string(hide_password=False)
        )

    def drop(self, url: str) -> None:
        name = make_url(url).database
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def _template(self) -> str:
        if self.template is None:
            url = self.create(migrated=False)
            engine = create_db_engine(url)
            upgrade(engine)
            engine.dispose()
            self.template = make_url(url).database
        return self.template

    def close(self) -> None:
        if self.template:
            self.drop(
                make_url(normalise_url(POSTGRES_URL))
                .set(database=self.template)
                .render_as_string(hide_password=False)
            )
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[PostgresDatabases]:
    databases = PostgresDatabases()
    yield databases
    databases.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = create_db_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


def _database(request: pytest.FixtureRequest, tmp_path: Path, *, migrated: bool) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "pilotgate.db"
        if migrated:
            shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    databases: PostgresDatabases = request.getfixturevalue("postgres_databases")
    url = databases.create(migrated=migrated)
    try:
        yield url
    finally:
        databases.drop(url)


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a freshly migrated database, once per backend."""
    yield from _database(request, tmp_path, migrated=True)


@pytest.fixture(params=DATABASES)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database with no tables at all, once per backend."""
    yield from _database(request, tmp_path, migrated=False)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    """A fake Slack of the test's own, with no people in it; folders whose tests need
    people or a shared one define their own."""
    with FakeSlack() as running:
        yield running
