"""`pilotgate demo`: eight weeks of a sample portfolio, offline.

A throwaway SQLite database, the same services, rules and scheduler that run against Slack,
and a transport that prints each DM and digest as a person would read it instead of
posting it. No Slack account, no network.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any
from typing import TextIO

from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from bot.governance.vocabulary import MeasurementKind
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole
from bot.scheduler.runner import tick
from bot.seeds import DIGEST_CHANNEL
from bot.seeds import PEOPLE
from bot.seeds import SAMPLE_PORTFOLIO
from bot.seeds import SPONSOR
from bot.seeds import SeedPilot
from bot.services import pilots
from bot.services.actors import Actor
from bot.services.commands import AssignRaci
from bot.services.commands import Command
from bot.services.commands import PilotKey
from bot.services.commands import RecordMeasurement
from bot.services.commands import Register
from bot.services.subscriptions import subscribe_digest
from bot.slack.blocks.plaintext import render_text
from bot.slack.digest_words import parse_schedule
from bot.slack.fields import read_changes
from storage import people
from storage.db import create_db_engine
from storage.db import session_factory
from storage.migrate import upgrade
from storage.unit_of_work import UnitOfWork

TEAM = "T0DEMO"
START = datetime(2026, 9, 21, 7, 0, tzinfo=UTC)  # a Monday morning
WEEKS = 8
RULE = "─" * 88


class PrintingTransport:
    """Stands in for Slack: shows each message, numbered, with who gets it and when."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.now = START
        self.counts: Counter[str] = Counter()

    def post(
        self, team_id: str, channel: str, message: dict[str, Any], thread_ts: str | None,
        marker: str,
    ) -> str:  # fmt: skip
        self.counts[channel] += 1
        who = "#ai-sponsors" if channel == DIGEST_CHANNEL else f"DM to {PEOPLE[channel][0]}"
        where = " (in the thread)" if thread_ts else ""
        self.out.write(f"\n{RULE}\n{self.now:%a %Y-%m-%d %H:%M} UTC · {who}{where}\n{RULE}\n")
        self.out.write(_names(render_text(message)).rstrip() + "\n")
        return f"{self.now.timestamp():.6f}"

    def find(self, team_id: str, channel: str, marker: str, thread_ts: str | None) -> str | None:
        return None  # nothing here ever times out

    def client(self, team_id: str) -> None:
        return None  # no Slack to ask: the people's time zones are known from the start

    def upload(self, team_id: str, png: bytes, filename: str, title: str) -> str:
        return f"F-{filename}"  # the picture stays unseen; its message says what it shows


def _names(text: str) -> str:
    for user_id, (name, _) in PEOPLE.items():
        text = text.replace(f"@{user_id}", f"@{name.split()[0]}")
    return text


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
    out.write(
        "pilotgate demo: a sample portfolio lived through eight weeks, offline.\n"
        "Below is every DM and channel digest pilotgate would have sent, as people would "
        "read them.\n"
    )
    transport = PrintingTransport(out)
    keys = [_register(sessions, seed, START) for seed in SAMPLE_PORTFOLIO]
    with UnitOfWork(sessions, actor=SPONSOR) as uow:
        subscribe_digest(uow, Actor(TEAM, SPONSOR), DIGEST_CHANNEL,
                         parse_schedule(["weekly", "mon", "09:00"]), "Europe/London",
                         START)  # fmt: skip
    now = START
    end = START + timedelta(weeks=WEEKS)
    while now < end:
        week = (now - START).days // 7
        if (now - START) % timedelta(weeks=1) == timedelta(days=3, hours=3):
            out.write(f"\n\n=== Week {week + 1}: owners record their readings ===\n")
            _record_week(sessions, keys, week, now)
        transport.now = now
        tick(sessions, transport, now)
        now += timedelta(hours=1)
    _summary(sessions, transport, end, out)


def _register(sessions: sessionmaker[Session], seed: SeedPilot, now: datetime) -> PilotKey:
    owner = Actor(TEAM, seed.owner)
    with UnitOfWork(sessions, actor=seed.owner) as uow:
        for user_id, (_, tz) in PEOPLE.items():
            people.remember_person(uow.session, TEAM, user_id, tz, False, now)
        # The seeds are written as owners would type them in Slack.
        register = Register(seed.name, read_changes(seed.fields))
        key = PilotKey.parse(pilots.handle(uow, owner, register, now).key)
    assert key is not None
    changes: list[Command] = []
    if seed.baseline is not None:
        changes.append(RecordMeasurement(key, MeasurementKind.BASELINE, seed.baseline))
    if seed.raci_accountable:
        changes.extend(
            AssignRaci(key, (RaciArea(area),), RaciRole.ACCOUNTABLE, (seed.raci_accountable,))
            for area in seed.raci_areas
        )
    for command in changes:
        with UnitOfWork(sessions, actor=seed.owner) as uow:
            pilots.handle(uow, owner, command, now)
    return key


def _record_week(
    sessions: sessionmaker[Session], keys: list[PilotKey], week: int, now: datetime
) -> None:
    for key, seed in zip(keys, SAMPLE_PORTFOLIO, strict=True):
        value = seed.weekly_readings[week] if week < len(seed.weekly_readings) else None
        if value is None:
            continue
        with UnitOfWork(sessions, actor=seed.owner) as uow:
            reading = RecordMeasurement(key, MeasurementKind.READING, value)
            pilots.handle(uow, Actor(TEAM, seed.owner), reading, now)


def _summary(
    sessions: sessionmaker[Session], transport: PrintingTransport, now: datetime, out: TextIO
) -> None:
    with UnitOfWork(sessions) as uow:
        reports = pilots.team_reports(uow, TEAM, now)
    out.write(f"\n\n=== Where each pilot stands on {now.date().isoformat()} ===\n")
    for report in reports:
        out.write(f"\n{report.key} {report.facts.name}: {report.assessment.verdict.label}\n")
        for gap in report.assessment.gaps or ("No gaps: ready for a go decision.",):
            out.write(f"  - {gap}\n")
    received = ", ".join(
        f"{PEOPLE[c][0] if c in PEOPLE else '#' + c}: {n}"
        for c, n in sorted(transport.counts.items())
    )
    out.write(f"\nMessages sent over the eight weeks: {received}.\n")
