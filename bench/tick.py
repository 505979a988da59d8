"""What a scheduler tick costs over 100,000 pilots against 10,000, with the same 1,000 due.

    python -m bench.tick                         # SQLite files in a temporary directory
    python -m bench.tick --database-url postgresql://user:pw@host/postgres   # throwaway dbs there
    python -m bench.tick --record                # also write the figures to docs/benchmarks.md

One run seeds two databases with bulk inserts: 10,000 and 100,000 pilots in ten workspaces,
each with exactly 1,000 pilots whose `next_check_at` has come (a weekly reading fell due in the
last ten hours; everything else about them is complete, so each owes its owner one DM) and the
rest due a look only in the coming days. Then, each on a fresh copy of the seeded database and
each three times, sizes alternating:

- the bare due query, `storage.schedule.pilots_to_check(session, now, 100_000)`;
- `plan(sessions, now)`: reads what is due, evaluates it, records the outbox rows;
- `tick(sessions, transport, now)` with a transport that does nothing (database and pilotgate
  only) and with `SlackTransport` posting into a fake Slack in a process of its own.

The reference is the 10,000-pilot database measured in the same run: the result is the ratio
of medians, 100,000 over 10,000, never a pass/fail on wall-clock time (the run exits 0 either
way). "Finding what is due" is also compared with the issue's 2 s.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from sqlalchemy import bindparam, create_engine, insert, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.governance.vocabulary import RaciArea
from bot.scheduler.planner import plan
from bot.scheduler.runner import tick
from bot.scheduler.transport import SlackTransport, Transport
from storage import schedule
from storage.db import create_db_engine, normalise_url, session_factory
from storage.migrate import upgrade
from storage.models import Measurement, Person, Pilot, RaciAssignment, Workspace
from storage.types import UTCDateTime

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
# A Tuesday: 10:00 in UTC and London, 11:00 in Berlin. Working hours for every owner, so the
# DMs go out instead of waiting.
NOW = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)
ZONES = ("Europe/Berlin", "UTC", "Europe/London")
CADENCE = timedelta(days=7)
QUERY_LIMIT = 100_000
RATIO_TARGET = 1.5
FIND_TARGET_SECONDS = 2.0
CHUNK = 10_000  # pilots per INSERT batch: keeps memory flat at 100,000
TITLES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

QUERY = "due query"
PLAN = "plan()"
TICK_NOOP = "tick(), no-op transport"
TICK_FAKE = "tick(), fake Slack"
MEASURES = (QUERY, PLAN, TICK_NOOP, TICK_FAKE)


# -- the portfolio ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """`pilots` pilots in `teams` workspaces, `due` of them (evenly spread) due at `now`.

    Pilot n (1-based) lives in workspace (n - 1) % teams. Due pilots have distinct owners of
    their own; the others share one owner per ten pilots. Every other pilot has a sponsor.
    """

    pilots: int
    due: int
    teams: int = 10

    def __post_init__(self) -> None:
        if self.due < 1 or self.pilots % self.due:
            raise ValueError("pilots must be a whole multiple of due")

    @property
    def label(self) -> str:
        return f"{self.pilots:,}"

    def team(self, n: int) -> str:
        return f"T{(n - 1) % self.teams:02d}"

    def number(self, n: int) -> int:
        return (n - 1) // self.teams + 1

    def due_index(self, n: int) -> int | None:
        every = self.pilots // self.due
        return n // every - 1 if n % every == 0 else None

    def owner(self, n: int) -> str:
        index = self.due_index(n)
        if index is not None:
            return f"UD{index:05d}"
        per_team = max(1, self.pilots // self.teams // 10)
        return f"U{(n - 1) % self.teams:02d}O{(n - 1) // self.teams % per_team:05d}"

    def sponsor(self, n: int) -> str | None:
        return f"U{(n - 1) % self.teams:02d}S{n % 97:04d}" if n % 2 == 0 else None

    def zone(self, n: int) -> str:
        return ZONES[n % len(ZONES)]

    def due_owners(self) -> list[tuple[str, str, str]]:
        """(team, owner, zone) of every due pilot."""
        every = self.pilots // self.due
        return [
            (self.team(n), self.owner(n), self.zone(n))
            for n in range(every, self.pilots + 1, every)
        ]

    def team_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for index in range(self.teams):
            counts[f"T{index:02d}"] = len(range(index + 1, self.pilots + 1, self.teams))
        return counts


def last_reading(shape: Shape, n: int, now: datetime) -> datetime:
    """Due pilots: a week and 1 to 600 minutes ago (the next reading is due). The others:
    2 hours to 5 days ago (the next is due in 2 to 7 days)."""
    if shape.due_index(n) is not None:
        return now - CADENCE - timedelta(minutes=1 + n % 600)
    return now - timedelta(days=n % 6, hours=2)


def _pilot_row(shape: Shape, n: int, now: datetime) -> dict[str, Any]:
    sponsored = shape.sponsor(n) is not None
    registered = now - timedelta(days=30 + n % 60)
    return {
        "id": n,
        "team_id": shape.team(n),
        "number": shape.number(n),
        "name": f"Pilot {n}: triage assistant for queue {n % 97}",
        "stage": "piloting",
        "registered_at": registered,
        "registered_by": shape.owner(n),
        "owner_id": shape.owner(n),
        "sponsor_id": shape.sponsor(n),
        "workflow": "support triage",
        "decide_by": (now + timedelta(days=60 + n % 120)).date() if sponsored else None,
        "cadence": "weekly",
        "metric_name": "handle time",
        "unit": "minutes",
        "better": "lower",
        "threshold": 8.0,
        "next_check_at": last_reading(shape, n, now) + CADENCE,
    }


def _children(shape: Shape, n: int, now: datetime) -> tuple[list[dict[str, Any]], ...]:
    owner = shape.owner(n)
    registered = now - timedelta(days=30 + n % 60)
    measurements = [
        {"id": 2 * n - 1, "pilot_id": n, "kind": "baseline", "value": 10.0 + n % 7,
         "note": "before the pilot", "recorded_by": owner,
         "recorded_at": registered + timedelta(hours=1)},
        {"id": 2 * n, "pilot_id": n, "kind": "reading", "value": 9.0 + n % 5, "note": None,
         "recorded_by": owner, "recorded_at": last_reading(shape, n, now)},
    ]  # fmt: skip
    raci = [
        {"id": 5 * (n - 1) + i + 1, "pilot_id": n, "area": area.value, "role": "A",
         "user_id": owner}
        for i, area in enumerate(RaciArea)
    ]  # fmt: skip
    return measurements, raci


def seed(url: str | URL, shape: Shape, now: datetime = NOW, *, cache_people: bool = True) -> float:
    """Migrates, then bulk-inserts workspaces, pilots (with a baseline, a reading and an
    Accountable in every RACI area each) and, with `cache_people`, every owner's time zone as
    users.info said it an hour ago. Returns the seconds it took."""
    started = time.perf_counter()
    engine = create_db_engine(url)
    try:
        upgrade(engine)
        with engine.begin() as connection:
            connection.execute(
                insert(Workspace),
                [
                    {"team_id": team, "name": f"Bench {team}", "installed_at": now - timedelta(
                        days=400), "pilot_counter": count}
                    for team, count in shape.team_counts().items()
                ],
            )  # fmt: skip
            for start in range(1, shape.pilots + 1, CHUNK):
                numbers = range(start, min(start + CHUNK, shape.pilots + 1))
                connection.execute(insert(Pilot), [_pilot_row(shape, n, now) for n in numbers])
                measurements: list[dict[str, Any]] = []
                raci: list[dict[str, Any]] = []
                for n in numbers:
                    more_measurements, more_raci = _children(shape, n, now)
                    measurements += more_measurements
                    raci += more_raci
                connection.execute(insert(Measurement), measurements)
                connection.execute(insert(RaciAssignment), raci)
            if cache_people:
                people = {(shape.team(n), shape.owner(n)): shape.zone(n)
                          for n in range(1, shape.pilots + 1)}  # fmt: skip
                connection.execute(
                    insert(Person),
                    [
                        {"team_id": team, "user_id": user, "timezone": zone, "is_admin": False,
                         "fetched_at": now - timedelta(hours=1)}
                        for (team, user), zone in people.items()
                    ],
                )  # fmt: skip
            if connection.dialect.name == "postgresql":
                # Explicit ids leave the sequences behind; later ORM inserts must not collide.
                for table in ("pilots", "measurements", "raci_assignments"):
                    connection.execute(
                        text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                             f"(SELECT max(id) FROM {table}))")
                    )  # fmt: skip
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                # What autovacuum would have done by the time a portfolio is this size.
                connection.execute(text("VACUUM ANALYZE"))
        else:
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    return time.perf_counter() - started


# -- fresh copies of a seeded database --------------------------------------------------------


class Copies:
    """Seeded databases, and one working database refreshed from a seed before every
    measurement. The working engine lives across refreshes, so its statement cache stays
    warm, as it does in a scheduler process that has ticked before."""

    kind: str
    description: str

    def seed_url(self, shape: Shape) -> URL:
        raise NotImplementedError

    def refresh(self, shape: Shape) -> sessionmaker[Session]:
        raise NotImplementedError

    def engine(self) -> Engine:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class SQLiteCopies(Copies):
    def __init__(self, workdir: Path) -> None:
        self.kind = "sqlite"
        self.description = f"SQLite {sqlite3.sqlite_version} (files, WAL)"
        self._dir = workdir
        self._work = workdir / "work.db"
        self._engine = create_db_engine(f"sqlite:///{self._work}")
        self._sessions = session_factory(self._engine)

    def seed_url(self, shape: Shape) -> URL:
        return make_url(f"sqlite:///{self._dir / f'seed-{shape.pilots}.db'}")

    def refresh(self, shape: Shape) -> sessionmaker[Session]:
        self._engine.dispose()
        for suffix in ("-wal", "-shm"):
            Path(f"{self._work}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(str(self.seed_url(shape).database), self._work)
        return self._sessions

    def engine(self) -> Engine:
        return self._engine

    def close(self) -> None:
        self._engine.dispose()


class PostgresCopies(Copies):
    """Throwaway databases on the server: one per seed, copied with CREATE DATABASE ...
    TEMPLATE into a working one. Everything created here is dropped by close()."""

    def __init__(self, server: URL) -> None:
        self.kind = "postgresql"
        self._server = server
        self._admin = create_engine(server, isolation_level="AUTOCOMMIT")
        self._prefix = f"pilotgate_benchtick_{uuid.uuid4().hex[:8]}"
        self._created: list[str] = []
        with self._admin.connect() as connection:
            version = str(connection.execute(text("SHOW server_version")).scalar_one())
        self.description = f"PostgreSQL {version.split()[0]} on {server.host or 'local socket'}"
        self._work = f"{self._prefix}_work"
        self._engine = create_db_engine(server.set(database=self._work))
        self._sessions = session_factory(self._engine)

    def _create(self, name: str, template: str | None = None) -> None:
        clause = f' TEMPLATE "{template}"' if template else ""
        with self._admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        if name not in self._created:
            self._created.append(name)

    def seed_url(self, shape: Shape) -> URL:
        name = f"{self._prefix}_seed_{shape.pilots}"
        if name not in self._created:
            self._create(name)
        return self._server.set(database=name)

    def refresh(self, shape: Shape) -> sessionmaker[Session]:
        self._engine.dispose()
        self._create(self._work, f"{self._prefix}_seed_{shape.pilots}")
        return self._sessions

    def engine(self) -> Engine:
        return self._engine

    def close(self) -> None:
        self._engine.dispose()
        with self._admin.connect() as connection:
            for name in reversed(self._created):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._admin.dispose()


@contextmanager
def copies(requested: str | None) -> Iterator[Copies]:
    with ExitStack() as stack:
        if requested is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-tick-")))
            found: Copies = SQLiteCopies(workdir)
        else:
            parsed = normalise_url(requested)
            if parsed.get_backend_name() != "postgresql":
                raise SystemExit("bench: --database-url must be a PostgreSQL server")
            found = PostgresCopies(parsed)
        stack.callback(found.close)
        yield found


def due_query_plan(engine: Engine) -> str:
    """How the database runs pilots_to_check's main statement, in one line."""
    instant = bindparam("now", NOW, type_=UTCDateTime())
    if engine.dialect.name == "postgresql":
        sql = text(
            "EXPLAIN SELECT * FROM pilots WHERE next_check_at <= :now "
            "ORDER BY next_check_at, id LIMIT :limit FOR UPDATE OF pilots SKIP LOCKED"
        )
    else:
        sql = text(
            "EXPLAIN QUERY PLAN SELECT * FROM pilots WHERE next_check_at <= :now "
            "ORDER BY next_check_at, id LIMIT :limit"
        )
    with engine.connect() as connection:
        rows = connection.execute(sql.bindparams(instant, limit=QUERY_LIMIT)).all()
    steps = [str(row[-1]).strip() for row in rows]
    return "; ".join(re.sub(r"\s+\(cost=[^)]*\)", "", step) for step in steps)


# -- transports -------------------------------------------------------------------------------


class NoopTransport:
    """Accepts every post at once: what is left of a tick is pilotgate and its database.

    Takes whatever arguments the Transport protocol passes (it has grown a workspace id
    before), so the benchmark does not break when that signature moves again.
    """

    def __init__(self) -> None:
        self.posts = 0

    def post(self, *args: Any, **kwargs: Any) -> str:
        self.posts += 1
        return f"1700000000.{self.posts:06d}"

    def find(self, *args: Any, **kwargs: Any) -> str | None:
        return None

    def person(self, *args: Any, **kwargs: Any) -> tuple[bool, str | None] | None:
        return False, "Europe/Berlin"


def serve_fake() -> int:
    """The fake Slack in a process of its own: prints its port, then for every line read from
    stdin answers how many chat.postMessage calls took effect since the last line."""
    from tests.fakeslack import FakeSlack

    with FakeSlack() as fake:
        print(fake.port, flush=True)
        for _line in sys.stdin:
            delivered = len(fake.delivered("chat.postMessage"))
            problems = len(fake.errors)
            fake.clear()
            print(f"{delivered} {problems}", flush=True)
    return 0


class FakeSlackProcess:
    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "bench.tick", "--serve-fake"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdin is not None
        assert self._process.stdout is not None
        self._in, self._out = self._process.stdin, self._process.stdout
        line = self._out.readline()
        if not line.strip().isdigit():
            raise RuntimeError(f"the fake Slack did not start (said {line!r})")
        self.api_url = f"http://127.0.0.1:{int(line)}/api/"

    def transport(self) -> SlackTransport:
        from tests.fakeslack import FAKE_BOT_TOKEN

        client = WebClient(
            token=FAKE_BOT_TOKEN,
            base_url=self.api_url,
            timeout=10,
            retry_handlers=[
                ConnectionErrorRetryHandler(max_retry_count=2),
                RateLimitErrorRetryHandler(max_retry_count=2),
                ServerErrorRetryHandler(max_retry_count=2),
            ],
        )
        return SlackTransport(client)

    def take_counts(self) -> tuple[int, int]:
        """(posts that took effect, calls the fake refused as malformed) since last asked."""
        self._in.write("count\n")
        self._in.flush()
        delivered, problems = self._out.readline().split()
        return int(delivered), int(problems)

    def close(self) -> None:
        self._in.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


# -- measuring --------------------------------------------------------------------------------


@dataclass
class Sample:
    seconds: float
    found: int  # pilots found / looked at
    sent: int = 0  # DMs that went out (tick only)


@dataclass
class Figures:
    shape: Shape
    seed_seconds: float = 0.0
    samples: dict[str, list[Sample]] = field(default_factory=dict)

    def median(self, measure: str) -> float:
        return statistics.median(s.seconds for s in self.samples[measure])

    def spread(self, measure: str) -> str:
        values = [s.seconds for s in self.samples[measure]]
        return f"{min(values):.3f} to {max(values):.3f}"


def measure_once(
    copies_: Copies, shape: Shape, measure: str, fake: FakeSlackProcess | None
) -> Sample:
    sessions = copies_.refresh(shape)
    # Garbage from seeding and earlier runs is collected now, not inside the timed call.
    gc.collect()
    if measure == QUERY:
        with sessions() as session:
            started = time.perf_counter()
            found = len(schedule.pilots_to_check(session, NOW, QUERY_LIMIT))
            seconds = time.perf_counter() - started
            session.rollback()
        return Sample(seconds, found)
    if measure == PLAN:
        started = time.perf_counter()
        planned = plan(sessions, NOW)
        seconds = time.perf_counter() - started
        return Sample(seconds, planned.pilots_checked, planned.recorded)
    transport: Transport
    if measure == TICK_NOOP:
        transport = NoopTransport()
    else:
        assert fake is not None
        transport = fake.transport()
    started = time.perf_counter()
    result = tick(sessions, transport, NOW)
    seconds = time.perf_counter() - started
    if fake is not None and measure == TICK_FAKE:
        delivered, problems = fake.take_counts()
        if delivered != result.delivery.sent or problems:
            say(f"warning: the fake Slack saw {delivered} posts, {problems} refused")
    return Sample(seconds, result.plan.pilots_checked, result.delivery.sent)


@dataclass
class Result:
    when: date
    kind: str
    description: str
    repeats: int
    small: Figures
    large: Figures
    query_plan: str
    warnings: list[str]

    def ratio(self, measure: str) -> float:
        return self.large.median(measure) / self.small.median(measure)


def run(args: argparse.Namespace) -> Result:
    small = Figures(Shape(args.small, args.due))
    large = Figures(Shape(args.large, args.due))
    warnings: list[str] = []
    with ExitStack() as stack:
        found = stack.enter_context(copies(args.database_url))
        for figures in (small, large):
            say(f"seeding {figures.shape.label} pilots ({args.due:,} due) into {found.description}")
            figures.seed_seconds = seed(found.seed_url(figures.shape), figures.shape)
            say(f"  took {figures.seed_seconds:.1f} s")
        fake = FakeSlackProcess()
        stack.callback(fake.close)
        found.refresh(large.shape)
        query_plan = due_query_plan(found.engine())
        for round_ in range(0 if args.warmup else 1, args.repeats + 1):
            order = (small, large) if round_ % 2 else (large, small)
            for figures in order:
                for measure in MEASURES:
                    sample = measure_once(found, figures.shape, measure, fake)
                    expected = (args.due, args.due) if measure != QUERY else (args.due, 0)
                    if (sample.found, sample.sent) != expected:
                        warnings.append(
                            f"{measure} at {figures.shape.label}: looked at {sample.found}, "
                            f"sent {sample.sent}; expected {expected}"
                        )
                    if round_ > 0:
                        figures.samples.setdefault(measure, []).append(sample)
            say(f"round {round_}/{args.repeats} done" + (" (warm-up)" if round_ == 0 else ""))
    return Result(
        when=datetime.now(UTC).date(),
        kind=found.kind,
        description=found.description,
        repeats=args.repeats,
        small=small,
        large=large,
        query_plan=query_plan,
        warnings=sorted(set(warnings)),
    )


# -- reporting --------------------------------------------------------------------------------


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def machine(databases: Sequence[str] = ()) -> str:
    cpus = len(os.sched_getaffinity(0))
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        model = f", {found.group(1).strip()}" if found else ""
    parts = [
        f"{cpus} CPUs (nproc){model}",
        f"{platform.system()} {platform.release()}",
        f"Python {platform.python_version()}",
        *databases,
    ]
    return "; ".join(parts)


def table(result: Result) -> list[tuple[str, ...]]:
    small, large = result.small, result.large
    rows: list[tuple[str, ...]] = [
        ("measure", f"{small.shape.label} pilots", f"{large.shape.label} pilots", "ratio",
         f"target <= {RATIO_TARGET:g}x")
    ]  # fmt: skip
    for measure in MEASURES:
        ratio = result.ratio(measure)
        rows.append(
            (
                measure,
                f"{small.median(measure) * 1000:,.0f} ms",
                f"{large.median(measure) * 1000:,.0f} ms",
                f"{ratio:.2f}",
                verdict(ratio <= RATIO_TARGET),
            )
        )
    return rows


def findings(result: Result) -> list[str]:
    large = result.large
    due = large.shape.due
    query, planned = large.median(QUERY), large.median(PLAN)
    lines = [
        f"Finding what is due at {large.shape.label} pilots: the due query "
        f"{query * 1000:,.0f} ms, plan() {planned * 1000:,.0f} ms "
        f"(target < {FIND_TARGET_SECONDS:g} s: "
        f"{verdict(max(query, planned) < FIND_TARGET_SECONDS)}).",
        f"A whole tick ({due:,} due pilots, {due:,} DMs sent) costs "
        f"{result.ratio(TICK_NOOP):.2f}x at {large.shape.label} what it costs at "
        f"{result.small.shape.label} with a no-op transport, {result.ratio(TICK_FAKE):.2f}x "
        f"posting into the fake Slack (target <= {RATIO_TARGET:g}x: "
        f"{verdict(max(result.ratio(TICK_NOOP), result.ratio(TICK_FAKE)) <= RATIO_TARGET)}).",
        f"Per due pilot at {large.shape.label}: plan() "
        f"{planned / due * 1000:.2f} ms, tick (no-op transport) "
        f"{large.median(TICK_NOOP) / due * 1000:.2f} ms, tick (fake Slack) "
        f"{large.median(TICK_FAKE) / due * 1000:.2f} ms.",
        f"Range of the {result.repeats} runs at {large.shape.label} (s): "
        + ", ".join(f"{m} {large.spread(m)}" for m in MEASURES)
        + ".",
        f"The due query's plan at {large.shape.label}: {result.query_plan}.",
    ]
    lines += [f"Unexpected: {warning}." for warning in result.warnings]
    return lines


def print_report(result: Result, out: IO[str]) -> None:
    print(
        f"\nscheduler tick: {result.small.shape.label} against {result.large.shape.label} pilots, "
        f"{result.large.shape.due:,} due in each; {result.description}; medians of "
        f"{result.repeats} runs on fresh copies",
        file=out,
    )
    print(f"machine: {machine()}\n", file=out)
    print_table(table(result), out)
    print(file=out)
    for line in findings(result):
        print(line, file=out)


def print_table(rows: Sequence[tuple[str, ...]], out: IO[str]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells), file=out)


def markdown_table(rows: Sequence[tuple[str, ...]]) -> list[str]:
    return [
        "| " + " | ".join(rows[0]) + " |",
        "|" + "|".join("---" if i == 0 else "---:" for i in range(len(rows[0]))) + "|",
        *("| " + " | ".join(row) + " |" for row in rows[1:]),
    ]


def markdown(result: Result) -> str:
    small, large = result.small, result.large
    lines = [
        f"### {TITLES[result.kind]} ({result.when.isoformat()})",
        "",
        f"- Machine: {machine([result.description])}.",
        f"- Seeded in {small.seed_seconds:.1f} s ({small.shape.label} pilots) and "
        f"{large.seed_seconds:.1f} s ({large.shape.label}); {large.shape.due:,} due in each; "
        f"medians of {result.repeats} runs, each on a fresh copy, after a warm-up round.",
        "",
        *markdown_table(table(result)),
        "",
        *(f"- {line}" for line in findings(result)),
    ]
    return "\n".join(lines) + "\n"


CHAPTER = "bench.tick"
INTRO = """## Scheduler tick cost (`bench/tick.py`)

Reproduce, from the repository root:

    python -m bench.tick                   # SQLite files in a temporary directory
    python -m bench.tick --database-url postgresql://USER:PASSWORD@HOST/postgres
    python -m bench.tick --record          # also replaces the matching section below

The run seeds two databases with bulk inserts: 10,000 and 100,000 pilots in ten workspaces,
each pilot with a baseline, a reading and an Accountable in every RACI area; in both, exactly
1,000 pilots (evenly spread, each with an owner of its own, in Berlin, London or UTC) have a
weekly reading that fell due in the last ten hours, and the rest are due a look in two to seven
days. Owners' time zones are already cached. `now` is a Tuesday at 10:00 UTC, inside everyone's
working hours, so every due pilot yields one DM that goes out in the same tick. On a fresh copy
of the seeded database each time (a file copy; on PostgreSQL `CREATE DATABASE ... TEMPLATE`,
after `VACUUM ANALYZE` of the seed), three times, sizes alternating, after one warm-up round,
it times the bare due query (`pilots_to_check(session, now, 100_000)`), `plan()`, and a whole
`tick()` with a no-op transport (pilotgate and the database alone) and with `SlackTransport`
posting into the fake Slack running in a process of its own. With a PostgreSQL URL it creates
throwaway databases on that server and drops them afterwards.

Targets from the issue: a tick over 100,000 pilots costs at most 1.5x a tick over 10,000 with
the same 1,000 due, and finding what is due takes under 2 s at 100,000 pilots.
"""


def record_section(chapter: str, intro: str, key: str, section: str, doc: Path = DOC) -> None:
    """Replaces the `key` section of `chapter` in docs/benchmarks.md, or adds it at the end of
    the chapter (adding the chapter, after everything else, if it is not there yet)."""
    begin, end = f"<!-- {chapter} {key} -->", f"<!-- /{chapter} {key} -->"
    anchor = f"<!-- {chapter}: recorded sections go above this line -->"
    block = f"{begin}\n{section}{end}\n"
    current = doc.read_text() if doc.is_file() else "# Benchmarks\n"
    if anchor not in current:
        current = current.rstrip("\n") + f"\n\n{intro.rstrip()}\n\n{anchor}\n"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end) + r"\n?", re.DOTALL)
    if pattern.search(current):
        updated = pattern.sub(lambda _match: block, current, count=1)
    else:
        updated = current.replace(anchor, f"{block}\n{anchor}", 1)
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(updated)


def say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.tick",
        description="A scheduler tick over 100,000 pilots against 10,000, with the same due.",
    )
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server to create throwaway databases on (default: SQLite, temporary)",
    )
    parser.add_argument("--record", action="store_true", help="write docs/benchmarks.md")
    parser.add_argument("--small", type=int, default=10_000, help="pilots in the reference")
    parser.add_argument("--large", type=int, default=100_000, help="pilots in the portfolio")
    parser.add_argument("--due", type=int, default=1_000, help="due pilots in each")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-warmup", dest="warmup", action="store_false")
    parser.add_argument("--serve-fake", action="store_true", help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.serve_fake:
        return serve_fake()
    result = run(args)
    print_report(result, sys.stdout)
    if args.record and result.warnings:
        say("not recorded: the run did not do the work it measures (see Unexpected above)")
    elif args.record:
        record_section(CHAPTER, INTRO, result.kind, markdown(result))
        say(f"recorded in {DOC.relative_to(ROOT)}")
    # A missed target is a finding, not a failure; only a run that did not do its work is.
    return 1 if result.warnings else 0


if __name__ == "__main__":
    raise SystemExit(main())
