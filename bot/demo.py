"""`pilotgate demo`: the sample portfolio lived through eight weeks, offline, on a throwaway
SQLite database, through the same services and rules Slack uses."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from sqlalchemy.orm import Session, sessionmaker

from bot.governance.formatting import format_number
from bot.seeds import SAMPLE_PORTFOLIO, SeedPilot
from bot.services import pilots
from bot.services.actors import Actor
from storage.db import create_db_engine, session_factory
from storage.migrate import upgrade
from storage.unit_of_work import UnitOfWork

TEAM = "T0DEMO"
START = datetime(2026, 9, 21, 9, 0, tzinfo=UTC)
WEEKS = 8


def run_demo(out: TextIO) -> int:
    with tempfile.TemporaryDirectory(prefix="pilotgate-demo-") as folder:
        engine = create_db_engine(f"sqlite:///{Path(folder) / 'demo.db'}")
        try:
            upgrade(engine)
            _tour(session_factory(engine), out)
        finally:
            engine.dispose()
    return 0


def _tour(sessions: sessionmaker[Session], out: TextIO) -> None:
    out.write("pilotgate demo: a sample portfolio lived through eight weeks (no Slack needed)\n\n")
    keys = [_register(sessions, seed, START) for seed in SAMPLE_PORTFOLIO]
    for week in range(WEEKS):
        now = START + timedelta(weeks=week, days=4)
        for key, seed in zip(keys, SAMPLE_PORTFOLIO, strict=True):
            value = seed.weekly_readings[week] if week < len(seed.weekly_readings) else None
            if value is not None:
                with UnitOfWork(sessions, actor=seed.owner) as uow:
                    pilots.record_reading(
                        uow, Actor(TEAM, seed.owner), key, format_number(value), "", now
                    )
        _print_week(sessions, week + 1, now + timedelta(days=2), out)
    _print_status(sessions, START + timedelta(weeks=WEEKS), out)
    out.write(
        "Nudges, sponsor escalations and channel digests arrive with the scheduler; "
        "this tour shows the readiness rules they will speak from.\n"
    )


def _register(sessions: sessionmaker[Session], seed: SeedPilot, now: datetime) -> str:
    owner = Actor(TEAM, seed.owner)
    with UnitOfWork(sessions, actor=seed.owner) as uow:
        key = pilots.register(uow, owner, seed.name, now, seed.fields).key
    if seed.baseline is not None:
        with UnitOfWork(sessions, actor=seed.owner) as uow:
            pilots.record_baseline(uow, owner, key, format_number(seed.baseline), "", now)
    if seed.raci_accountable:
        for area in seed.raci_areas:
            with UnitOfWork(sessions, actor=seed.owner) as uow:
                pilots.assign_raci(uow, owner, key, area, "A", [f"<@{seed.raci_accountable}>"], now)
    return key


def _print_week(sessions: sessionmaker[Session], week: int, now: datetime, out: TextIO) -> None:
    with UnitOfWork(sessions) as uow:
        reports = pilots.list_reports(uow, Actor(TEAM, "U0VIEWER"), now)
    out.write(f"Week {week} ({now.date().isoformat()})\n")
    for report in reports:
        latest = report.facts.latest_reading
        reading = format_number(latest.value) if latest else "-"
        out.write(
            f"  {report.key:<5} {report.facts.name:<24} {report.assessment.verdict.label:<10}"
            f" latest {reading}\n"
        )
    out.write("\n")


def _print_status(sessions: sessionmaker[Session], now: datetime, out: TextIO) -> None:
    with UnitOfWork(sessions) as uow:
        reports = pilots.list_reports(uow, Actor(TEAM, "U0VIEWER"), now)
    out.write(f"Where each pilot stands on {now.date().isoformat()}\n")
    for report in reports:
        out.write(f"\n{report.key} {report.facts.name}: {report.assessment.verdict.label}\n")
        for gap in report.assessment.gaps or ("No gaps: ready for a go decision.",):
            out.write(f"  - {gap}\n")
    out.write("\n")
