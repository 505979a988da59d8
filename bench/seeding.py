"""The databases the benchmarks measure on: throwaway ones, and the two ways to fill them, in
bulk with a portfolio of pilots (bench.ack, bench.tick, bench.delivery) or through pilotgate's
own use cases (bench.api, bench.api_profile, bench.importer)."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Collection
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy import insert
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from bot.governance.vocabulary import RaciArea
from bot.services import pilots as use_cases
from bot.services import tokens
from bot.services.actors import Actor
from bot.services.commands import Register
from storage.db import create_db_engine
from storage.db import normalise_url
from storage.db import session_factory
from storage.migrate import upgrade
from storage.models import Measurement
from storage.models import Person
from storage.models import Pilot
from storage.models import RaciAssignment
from storage.models import Workspace
from storage.unit_of_work import UnitOfWork

Batch = tuple[type[Any], list[dict[str, Any]]]  # a model and rows of it, to insert at once
ZONES = ("Europe/Berlin", "UTC", "Europe/London")
CADENCE = timedelta(days=7)
CHUNK = 10_000  # pilots per INSERT batch: keeps memory flat at 100,000
ADMIN = Actor("T1", "U0A", is_admin=True)  # who registers pilots through the use cases


class Databases:
    """Throwaway databases, gone when the `with` block ends: SQLite files in a temporary
    directory, or databases on a PostgreSQL server (whose role may CREATE DATABASE). A benchmark
    seeds some with `new(name)`, and measures on them, or on `fresh(name)`: a working database
    made a copy of a seed again before each measurement, whose engine (and its statement cache)
    lives on, as a scheduler process's does."""

    def __init__(self, requested: str | None, sqlite_files: str = "files") -> None:
        """`sqlite_files` says how the report describes the SQLite files ("a file" when one)."""
        self._workdir = tempfile.TemporaryDirectory(prefix="bench-")
        self._dir = Path(self._workdir.name)
        self._prefix = f"pilotgate_bench_{uuid.uuid4().hex[:8]}"
        self._created: list[str] = []
        self._server = None if requested is None else normalise_url(requested)
        if self._server is None:
            self.kind = "sqlite"
            self.description = f"SQLite {sqlite3.sqlite_version} ({sqlite_files}, WAL)"
        elif self._server.get_backend_name() != "postgresql":
            raise SystemExit("bench: --database-url must be a PostgreSQL server")
        else:
            self._admin = create_engine(self._server, isolation_level="AUTOCOMMIT")
            with self._admin.connect() as connection:
                version = str(connection.execute(text("SHOW server_version")).scalar_one())
            self.kind = "postgresql"
            host = self._server.host or "local socket"
            self.description = f"PostgreSQL {version.split()[0]} on {host}"
        self.engine = create_db_engine(self.url("work"))
        self.sessions = session_factory(self.engine)

    def url(self, name: str) -> URL:
        if self._server is None:
            return make_url(f"sqlite:///{self._dir / f'{name}.db'}")
        return self._server.set(database=f"{self._prefix}_{name}")

    def new(self, name: str) -> URL:
        """The URL of a new, empty database called `name`, to seed."""
        if self._server is not None:
            self._create(name)
        return self.url(name)

    def fresh(self, seed: str) -> sessionmaker[Session]:
        """Sessions on the working database, made a copy of the seeded `seed` just now."""
        self.engine.dispose()
        if self._server is not None:
            self._create("work", template=seed)
            return self.sessions
        work = str(self.url("work").database)
        for suffix in ("-wal", "-shm"):
            Path(f"{work}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(str(self.url(seed).database), work)
        return self.sessions

    def _create(self, name: str, template: str | None = None) -> None:
        full = f"{self._prefix}_{name}"
        self._admin_sql(f'DROP DATABASE IF EXISTS "{full}" WITH (FORCE)')
        clause = f' TEMPLATE "{self._prefix}_{template}"' if template else ""
        self._admin_sql(f'CREATE DATABASE "{full}"{clause}')
        if full not in self._created:
            self._created.append(full)

    def _admin_sql(self, statement: str) -> None:
        with self._admin.connect() as connection:
            connection.execute(text(statement))

    def __enter__(self) -> Databases:
        return self

    def __exit__(self, *_: object) -> None:
        self.engine.dispose()
        if self._server is not None:
            for full in reversed(self._created):
                self._admin_sql(f'DROP DATABASE IF EXISTS "{full}" WITH (FORCE)')
            self._admin.dispose()
        self._workdir.cleanup()


def seed(url: URL, batches: Iterable[Batch]) -> float:
    """Migrates, then bulk-inserts each batch of rows (a model, its rows) in one transaction,
    and leaves the database as a while of use would: sequences past the explicit ids (later
    ORM inserts must not collide), statistics gathered on PostgreSQL (what autovacuum would
    have done by the time a portfolio is this size), the WAL checkpointed on SQLite. Returns
    the seconds it took."""
    started = time.perf_counter()
    engine = create_db_engine(url)
    try:
        upgrade(engine)
        with engine.begin() as connection:
            for model, rows in batches:
                if rows:  # an empty list would insert one row of defaults
                    connection.execute(insert(model), rows)
            if connection.dialect.name == "postgresql":
                for table in ("pilots", "measurements", "raci_assignments"):
                    connection.execute(
                        text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                             f"(SELECT max(id) FROM {table}))")
                    )  # fmt: skip
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE"))
        else:
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    return time.perf_counter() - started


@dataclass(frozen=True)
class Portfolio:
    """Pilots 1 to `pilots` in `teams` workspaces, pilot n in workspace (n - 1) % teams. `due`
    of them (evenly spread) are due at the seeding's `now` and have distinct owners of their
    own; the others share `owners` owners a workspace. Every other pilot has a sponsor, one of
    `sponsors` a workspace. With `all_under_way` every pilot is piloting, with a metric, a
    baseline, a last reading and its owner Accountable in every RACI area; without it only the
    sponsored half is, with a metric and a baseline, and the other half is proposed."""

    pilots: int
    owners: int
    sponsors: int = 97
    teams: int = 1
    due: int = 0
    all_under_way: bool = True

    def __post_init__(self) -> None:
        if self.due and self.pilots % self.due:
            raise ValueError("pilots must be a whole multiple of due")

    @property
    def label(self) -> str:
        return f"{self.pilots:,}"

    @property
    def database(self) -> str:
        """The name of its seeded database."""
        return f"seed_{self.pilots}"

    def team(self, n: int) -> str:
        return f"T{(n - 1) % self.teams:02d}"

    def number(self, n: int) -> int:
        return (n - 1) // self.teams + 1

    def due_index(self, n: int) -> int | None:
        every = self.pilots // self.due if self.due else 0
        return n // every - 1 if every and n % every == 0 else None

    def owner(self, n: int) -> str:
        index = self.due_index(n)
        if index is not None:
            return f"UD{index:05d}"
        return f"U{(n - 1) % self.teams:02d}O{(n - 1) // self.teams % self.owners:05d}"

    def sponsor(self, n: int) -> str | None:
        return f"U{(n - 1) % self.teams:02d}S{n % self.sponsors:04d}" if n % 2 == 0 else None

    def zone(self, n: int) -> str:
        return ZONES[n % len(ZONES)]

    def under_way(self, n: int) -> bool:
        return self.all_under_way or self.sponsor(n) is not None

    def due_owners(self) -> list[tuple[str, str, str]]:
        """(team, owner, zone) of every due pilot."""
        return [(self.team(n), self.owner(n), self.zone(n)) for n in range(1, self.pilots + 1)
                if self.due_index(n) is not None]  # fmt: skip

    def last_reading(self, n: int, now: datetime) -> datetime:
        """Due pilots: a week and 1 to 600 minutes ago (the next reading is due). The others:
        2 hours to 5 days ago (the next is due in 2 to 7 days)."""
        if self.due_index(n) is not None:
            return now - CADENCE - timedelta(minutes=1 + n % 600)
        return now - timedelta(days=n % 6, hours=2)

    def batches(self, now: datetime, cached: Collection[str]) -> Iterator[Batch]:
        """The rows, and the directory entries of the people `cached` ("owners", "sponsors") as
        users.info gave them an hour ago: a warm cache, so that nothing asks Slack about them."""
        teams = Counter(self.team(n) for n in range(1, self.pilots + 1))
        yield Workspace, [
            {"team_id": team, "name": f"Bench {team}", "installed_at": now - timedelta(days=400),
             "pilot_counter": count}
            for team, count in teams.items()
        ]  # fmt: skip
        for start in range(1, self.pilots + 1, CHUNK):
            numbers = range(start, min(start + CHUNK, self.pilots + 1))
            yield Pilot, [self._pilot(n, now) for n in numbers]
            yield Measurement, [m for n in numbers for m in self._measurements(n, now)]
            yield RaciAssignment, [
                {"id": 5 * (n - 1) + i + 1, "pilot_id": n, "area": area.value, "role": "A",
                 "user_id": self.owner(n)}
                for n in numbers if self.all_under_way for i, area in enumerate(RaciArea)
            ]  # fmt: skip
        roles = {"owners": self.owner, "sponsors": self.sponsor}
        people = {
            (self.team(n), user): self.zone(n)
            for role in cached
            for n in range(1, self.pilots + 1)
            if (user := roles[role](n))
        }
        yield Person, [
            {"team_id": team, "user_id": user, "timezone": zone, "is_admin": False,
             "fetched_at": now - timedelta(hours=1)}
            for (team, user), zone in people.items()
        ]  # fmt: skip

    def _pilot(self, n: int, now: datetime) -> dict[str, Any]:
        row = {
            "id": n, "team_id": self.team(n), "number": self.number(n), "cadence": "weekly",
            "name": f"Pilot {n}: triage assistant for queue {n % 97}",
            "stage": "piloting" if self.under_way(n) else "proposed",
            "registered_at": now - timedelta(days=30 + n % 60), "registered_by": self.owner(n),
            "owner_id": self.owner(n), "sponsor_id": self.sponsor(n),
        }  # fmt: skip
        # What a pilot under way has agreed; a proposed one has none of it yet.
        agreed = {
            "workflow": "support triage", "metric_name": "handle time", "unit": "minutes",
            "better": "lower", "threshold": 8.0,
            "decide_by": (now + timedelta(days=60 + n % 120)).date() if self.sponsor(n) else None,
            "next_check_at": self.last_reading(n, now) + CADENCE,
        }  # fmt: skip
        return row | {key: value if self.under_way(n) else None for key, value in agreed.items()}

    def _measurements(self, n: int, now: datetime) -> list[dict[str, Any]]:
        """A baseline an hour after registration, and (all under way) the last reading."""
        owner, registered = self.owner(n), now - timedelta(days=30 + n % 60)
        baseline = {"id": 2 * n - 1, "pilot_id": n, "kind": "baseline", "value": 10.0 + n % 7,
                    "note": "before the pilot", "recorded_by": owner,
                    "recorded_at": registered + timedelta(hours=1)}  # fmt: skip
        if not self.all_under_way:
            return [baseline] if self.under_way(n) else []
        return [baseline, {"id": 2 * n, "pilot_id": n, "kind": "reading", "value": 9.0 + n % 5,
                           "note": None, "recorded_by": owner,
                           "recorded_at": self.last_reading(n, now)}]  # fmt: skip


def register(url: URL, pilots: int, now: datetime, api_tokens: int = 0) -> list[str]:
    """Migrates, registers pilots P-1 to P-`pilots` through the use case as an admin of
    workspace T1, and issues `api_tokens` API tokens; returns their secrets."""
    engine = create_db_engine(url)
    upgrade(engine)
    with UnitOfWork(session_factory(engine), actor=ADMIN.user_id) as uow:  # each use case commits
        for number in range(1, pilots + 1):
            use_cases.handle(uow, ADMIN, Register(f"Pilot {number}"), now)
        issued = [tokens.issue(uow, ADMIN, tokens.IssueToken(f"t{n}"), now)
                  for n in range(api_tokens)]  # fmt: skip
    engine.dispose()
    return [token.secret for token in issued]
