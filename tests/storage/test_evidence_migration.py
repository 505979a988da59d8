"""Migration 0007 on SQLite and PostgreSQL: a database of the old schema, with eval size and
score on its pilots, upgraded, has one evaluation run per pilot that had both; downgraded
again, the pilots get their latest run back."""

from __future__ import annotations

import argparse
from datetime import UTC
from datetime import datetime

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine
from sqlalchemy import select
from sqlalchemy import text

from storage.db import create_db_engine
from storage.db import session_factory
from storage.migrate import MIGRATIONS
from storage.migrate import current_revision
from storage.migrate import upgrade
from storage.models import Evaluation

REGISTERED = datetime(2026, 9, 1, 9, 30, tzinfo=UTC)
OLD_PILOT = (
    "INSERT INTO pilots (id, team_id, number, name, stage, registered_at, registered_by, "
    "owner_id, cadence, currency, eval_size, eval_score, eval_bar) VALUES (:id, 'T1', :id, "
    ":name, 'proposed', :at, 'U0ANN', 'U0BEA', 'weekly', 'USD', :size, :score, 95)"
)


def downgrade(engine: Engine, revision: str) -> None:
    with engine.begin() as connection:
        config = Config(cmd_opts=argparse.Namespace(quiet=True))
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def old_database(url: str) -> Engine:
    """At 0006, with three pilots: eval size and score, size only, and neither."""
    engine = create_db_engine(url)
    upgrade(engine, "0006")
    # The instant as the old schema's column type stores it on each database.
    stored_at = REGISTERED.replace(tzinfo=None) if engine.dialect.name == "sqlite" else REGISTERED
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO workspaces (team_id, installed_at, pilot_counter) "
                "VALUES ('T1', :at, 3)"
            ),
            {"at": stored_at},
        )
        for pilot_id, name, size, score in (
            (1, "Support drafting", 150, 96.5),
            (2, "Legal intake", 120, None),
            (3, "Invoice matching", None, None),
        ):
            connection.execute(
                text(OLD_PILOT),
                {"id": pilot_id, "name": name, "at": stored_at, "size": size, "score": score},
            )
        connection.execute(
            text(
                "INSERT INTO measurements (pilot_id, kind, value, recorded_by, recorded_at) "
                "VALUES (1, 'reading', 9.5, 'U0ANN', :at)"
            ),
            {"at": stored_at},
        )
        connection.execute(
            text(
                "INSERT INTO raci_assignments (pilot_id, area, role, user_id) "
                "VALUES (1, 'incidents', 'A', 'U0ANN')"
            )
        )
    return engine


def rows_kept(engine: Engine) -> tuple[int, int]:
    """The readings and RACI rows: what hangs off the pilots must outlive any change to them."""
    with engine.connect() as connection:
        readings = connection.execute(text("SELECT COUNT(*) FROM measurements")).scalar_one()
        raci = connection.execute(text("SELECT COUNT(*) FROM raci_assignments")).scalar_one()
    return int(readings), int(raci)


def test_the_eval_fields_become_one_run_at_registration(empty_database_url: str) -> None:
    engine = old_database(empty_database_url)
    try:
        upgrade(engine)  # through 0007, and the later ones the live model reads with
        with session_factory(engine)() as session:
            runs = session.scalars(select(Evaluation)).all()
            assert [
                (run.pilot_id, run.score, run.size, run.recorded_at, run.recorded_by)
                for run in runs
            ] == [(1, 96.5, 150, REGISTERED, "U0ANN")]
            # 0010: a run carried over was reported when it ran.
            assert runs[0].reported_at == REGISTERED
            assert runs[0].note == "carried over from the pilot's eval-size and eval-score"
        with engine.connect() as connection:
            columns = connection.execute(text("SELECT * FROM pilots")).keys()
        assert "eval_size" not in columns
        assert "eval_score" not in columns
        assert {"eval_report", "dashboard", "runbook"} <= set(columns)
        assert rows_kept(engine) == (1, 1)
    finally:
        engine.dispose()


def test_a_downgrade_puts_the_latest_run_back_on_its_pilot(empty_database_url: str) -> None:
    engine = old_database(empty_database_url)
    try:
        upgrade(engine)
        with session_factory(engine)() as session:
            session.add(
                Evaluation(
                    pilot_id=1, score=97.0, size=200, recorded_by="U0ANN",
                    recorded_at=datetime(2026, 10, 1, tzinfo=UTC),
                )
            )  # fmt: skip
            session.commit()
        downgrade(engine, "0006")
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, eval_size, eval_score FROM pilots ORDER BY id")
            ).all()
        assert [tuple(row) for row in rows] == [(1, 200, 97.0), (2, None, None), (3, None, None)]
        assert rows_kept(engine) == (1, 1)
        upgrade(engine, "0007")  # and up again, as the next start would
        assert current_revision(engine) == "0007"
    finally:
        engine.dispose()
