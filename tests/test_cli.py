"""The `pilotgate` command as a person runs it: a real process, real databases."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect

from bot.services import pilots
from bot.services.actors import Actor
from storage.db import create_db_engine
from storage.db import session_factory
from storage.unit_of_work import UnitOfWork
from tests import typed

ANN = Actor("T1", "U0ANN")
VERSIONS = Path(__file__).resolve().parents[1] / "storage" / "migrations" / "versions"


def pilotgate(
    *args: str, cwd: Path, database_url: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE"))}
    if database_url:
        environment["DATABASE_URL"] = database_url
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd, env=environment, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_help_lists_every_command(tmp_path: Path) -> None:
    result = pilotgate("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("serve", "socket", "tick", "db", "export", "demo"):
        assert command in result.stdout


def test_db_upgrade_builds_the_schema(empty_database_url: str, tmp_path: Path) -> None:
    result = pilotgate("db", "upgrade", cwd=tmp_path, database_url=empty_database_url)
    assert result.returncode == 0, result.stderr
    engine = create_db_engine(empty_database_url)
    assert "pilots" in inspect(engine).get_table_names()
    engine.dispose()


def test_db_revision_writes_the_next_migration_from_the_models(tmp_path: Path) -> None:
    # A copy of the migrations that stops before the OAuth tables: the models have them, so
    # the next migration, 0004, must create them. No DATABASE_URL and no dev database needed.
    versions = tmp_path / "versions"
    versions.mkdir()
    for migration in sorted(VERSIONS.glob("000[1-3]_*.py")):
        shutil.copy(migration, versions)
    in_the_repository = sorted(VERSIONS.iterdir())

    result = pilotgate(
        "db", "revision", "-m", "OAuth installations, again", "--directory", "versions",
        cwd=tmp_path,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout == "versions/0004_oauth_installations_again.py\n"
    written = (versions / "0004_oauth_installations_again.py").read_text()
    assert re.search(r"^revision = [\"']0004[\"']$", written, re.MULTILINE)
    assert re.search(r"^down_revision = [\"']0003[\"']$", written, re.MULTILINE)
    assert re.search(r"create_table\(\s*[\"']installations[\"']", written)
    assert sorted(VERSIONS.iterdir()) == in_the_repository


def test_db_revision_help_names_the_directory_it_writes_to(tmp_path: Path) -> None:
    result = pilotgate("db", "revision", "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "--directory DIR" in result.stdout
    assert "storage/migrations/versions" in result.stdout


def test_export_of_an_empty_database_is_an_empty_list(
    empty_database_url: str, tmp_path: Path
) -> None:
    result = pilotgate("export", cwd=tmp_path, database_url=empty_database_url)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_export_of_a_filled_database_in_json_and_csv(database_url: str, tmp_path: Path) -> None:
    engine = create_db_engine(database_url)
    sessions = session_factory(engine)
    registered = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
    with UnitOfWork(sessions, actor="U0ANN") as uow:
        pilots.handle(
            uow, ANN, typed.register("Support drafting", {"threshold": "9.8"}), registered
        )
    with UnitOfWork(sessions, actor="U0ANN") as uow:
        pilots.handle(uow, ANN, typed.register("Legal intake"), registered + timedelta(days=10))
    engine.dispose()

    result = pilotgate("export", "--at", "2026-10-05T00:00:00Z", cwd=tmp_path,
                       database_url=database_url)  # fmt: skip
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert [r["name"] for r in records] == ["Support drafting"]
    assert records[0]["verdict"] == "not_ready"
    assert records[0]["metric"]["threshold"] == 9.8

    # Three weeks on with no reading, the first pilot has stalled.
    result = pilotgate("export", "--format", "csv", "--at", "2026-10-16", cwd=tmp_path,
                       database_url=database_url)  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["key"], r["verdict"]) for r in rows] == [("P-1", "stalled"), ("P-2", "not_ready")]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("export", "--at", "last tuesday"), "takes an ISO-8601 instant"),
        (("export", "--format", "xml"), "invalid choice: 'xml'"),
        (("launch",), "invalid choice: 'launch'"),
    ],
)
def test_bad_arguments_get_one_line_and_no_traceback(
    tmp_path: Path, args: tuple[str, ...], says: str
) -> None:
    result = pilotgate(*args, cwd=tmp_path, database_url=f"sqlite:///{tmp_path / 'p.db'}")
    assert result.returncode == 2
    assert says in result.stderr
    assert "Traceback" not in result.stderr


def test_a_malformed_setting_stops_with_one_line_naming_it(tmp_path: Path) -> None:
    result = pilotgate("export", cwd=tmp_path, database_url="mysql://x/y")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "pilotgate: DATABASE_URL uses 'mysql'; pilotgate runs on sqlite or postgresql."
    )


def test_an_unreachable_database_is_one_line(tmp_path: Path) -> None:
    result = pilotgate("export", cwd=tmp_path, database_url="postgresql://nobody@127.0.0.1:9/none")
    assert result.returncode == 1
    assert result.stderr.startswith("pilotgate: the database at DATABASE_URL did not answer:")
    assert "Traceback" not in result.stderr


def test_the_demo_runs_offline_and_shows_every_verdict(tmp_path: Path) -> None:
    result = pilotgate("demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for verdict in ("Go", "Not ready", "No-go", "Stalled"):
        assert f": {verdict}\n" in result.stdout
    assert "Week 8" in result.stdout
    assert "DM to Ann" in result.stdout
    assert "#ai-sponsors" in result.stdout
    assert "[ Record a reading ]" in result.stdout
    assert not list(tmp_path.iterdir()), "the demo leaves no database behind"


def test_tick_runs_one_pass_and_a_second_pass_at_the_same_instant_sends_nothing(
    database_url: str, tmp_path: Path
) -> None:
    from tests.fakeslack import FakeSlack

    engine = create_db_engine(database_url)
    with UnitOfWork(session_factory(engine), actor="U0ANN") as uow:
        first = typed.register("Support drafting")
        pilots.handle(uow, ANN, first, datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    engine.dispose()
    with FakeSlack() as fake:
        fake.add_user("U0ANN", tz="Europe/Berlin")
        env = {"SLACK_BOT_TOKEN": "xoxb-made-up", "SLACK_API_URL": fake.api_url}
        at = "2026-11-03T10:00:00Z"
        first = pilotgate("tick", "--at", at, cwd=tmp_path, database_url=database_url, **env)
        assert first.returncode == 0, first.stderr
        assert "2 sent" in first.stderr
        second = pilotgate("tick", "--at", at, cwd=tmp_path, database_url=database_url, **env)
        assert second.returncode == 0, second.stderr
        assert "0 messages newly due; 0 sent" in second.stderr
        # Baseline missing and no Accountable: one DM about the pilot naming both.
        assert len(fake.delivered("chat.postMessage")) == 1


@pytest.mark.parametrize(
    ("command", "env", "line"),
    [
        (("tick",), {}, "SLACK_BOT_TOKEN is not set; pilotgate tick needs it to send messages."),
        (("serve",), {}, "SLACK_BOT_TOKEN is not set; pilotgate needs it to call Slack."),
        (("serve",), {"SLACK_BOT_TOKEN": "xoxb-made-up"},
         "SLACK_SIGNING_SECRET is not set; pilotgate serve needs it to verify Slack's requests."),
        (("socket",), {"SLACK_BOT_TOKEN": "xoxb-made-up"},
         "SLACK_APP_TOKEN is not set; pilotgate socket needs it to connect."),
        (("socket",), {"SLACK_BOT_TOKEN": "xoxb-made-up", "SLACK_APP_TOKEN": "xoxb-wrong"},
         "SLACK_APP_TOKEN must be an app-level token, starting with xapp-."),
    ],
)  # fmt: skip
def test_the_slack_modes_name_a_missing_setting_in_one_line(
    tmp_path: Path, command: tuple[str, ...], env: dict[str, str], line: str
) -> None:
    result = pilotgate(*command, cwd=tmp_path, database_url=f"sqlite:///{tmp_path / 'p.db'}", **env)
    assert result.returncode == 2
    assert result.stderr.strip() == f"pilotgate: {line}"
