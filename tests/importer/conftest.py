"""`pilotgate import` as an operator runs it: a real process, a CSV file, a real database,
and a fake Slack to find people by email."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from bot.services.export import export_records
from storage.models import AuditEntry
from storage.models import Measurement
from storage.unit_of_work import UnitOfWork
from tests.fakeslack import FAKE_BOT_TOKEN
from tests.fakeslack import FakeSlack

TEAM = "T1"


@pytest.fixture(scope="module")
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@dataclass
class Importer:
    database_url: str
    sessions: sessionmaker[Session]
    fake: FakeSlack
    folder: Path

    def write(self, name: str, rows: Sequence[Sequence[Any]]) -> Path:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        path = self.folder / name
        path.write_text(buffer.getvalue(), encoding="utf-8")
        return path

    def run(self, path: Path, *options: str) -> subprocess.CompletedProcess[str]:
        environment = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE"))},
            "DATABASE_URL": self.database_url,
            "SLACK_BOT_TOKEN": FAKE_BOT_TOKEN,
            "SLACK_API_URL": self.fake.api_url,
        }
        return subprocess.run(
            [sys.executable, "-m", "bot", "import", "--format", "csv", path.name, *options],
            cwd=self.folder, env=environment, capture_output=True, text=True, timeout=120,
            check=False,
        )  # fmt: skip

    def exported(self) -> list[dict[str, Any]]:
        """The portfolio as `pilotgate export` shows it."""
        with UnitOfWork(self.sessions) as uow:
            return export_records(uow, datetime.now(UTC))

    def audit(self) -> list[tuple[str, str, str]]:
        """(actor, table, action) of every audit entry, oldest first."""
        with self.sessions() as session:
            rows = session.execute(
                select(AuditEntry.actor, AuditEntry.entity, AuditEntry.action).order_by(
                    AuditEntry.id
                )
            )
            return [(actor, entity, action) for actor, entity, action in rows]

    def readings(self) -> list[tuple[float, datetime, str | None]]:
        with self.sessions() as session:
            rows = session.execute(
                select(Measurement.value, Measurement.recorded_at, Measurement.note).order_by(
                    Measurement.recorded_at, Measurement.id
                )
            )
            return [(value, at, note) for value, at, note in rows]

    def measurement_count(self) -> int:
        with self.sessions() as session:
            return int(session.scalar(select(func.count()).select_from(Measurement)) or 0)


def assert_refused(result: subprocess.CompletedProcess[str], problem: str) -> None:
    """The import stopped with exit status 2, its first words naming `problem`."""
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"pilotgate: {problem}"), result.stderr


@pytest.fixture
def importer(
    database_url: str, sessions: sessionmaker[Session], fake_slack: FakeSlack, tmp_path: Path
) -> Iterator[Importer]:
    fake_slack.clear()
    yield Importer(database_url, sessions, fake_slack, tmp_path)
    # Every Web API call the import made was one Slack would accept.
    assert fake_slack.errors == []
