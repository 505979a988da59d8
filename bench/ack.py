"""How long Slack waits for pilotgate's ack of `/pilot`, next to a Bolt app that only acks.

    python -m bench.ack                              # SQLite in a temporary directory
    python -m bench.ack --database-url postgresql://user:pw@host/postgres   # a throwaway db there
    python -m bench.ack --record                     # also write the figures to docs/benchmarks.md

One run seeds a workspace with 10,000 pilots, starts `pilotgate serve` and a bare Bolt app (an
`ack()` and nothing else) under the same WSGI server with the same thread counts, both pointed
at one fake Slack, then sends the two the same signed `/pilot status` and `/pilot update`
requests from 8 keep-alive clients, target after target in alternating rounds so that whatever
else the machine does hits both. Latency is what Slack waits for: from sending the request to
receiving the ack. The result is a ratio against the bare app measured in the same run, never a
pass/fail on wall-clock time: the run exits 0 whether or not the targets are met.

The fake Slack runs in a process of its own, so the follow-up replies pilotgate posts after
acking do not take the measuring clients' interpreter lock. After each pilotgate round the run
waits for every follow-up to arrive (proof the work after ack() ran) before the next round.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import platform
import random
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import IO, Any

from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url

from storage.db import create_db_engine, normalise_url
from storage.migrate import upgrade
from storage.models import Measurement, Person, Pilot, Workspace
from tests.fakeslack import FAKE_BOT_TOKEN, Call
from tests.slack_requests import SIGNING_SECRET, sign

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
EVENTS_PATH = "/slack/events"
TEAM = "T1"
HOST = "127.0.0.1"
SERVER_THREADS = 8  # waitress threads and listener threads, as bot.server and bot.cli use
RATIO_TARGET = 1.5
P99_TARGET_MS = 250.0
READY_TIMEOUT = 60.0
POLL_SECONDS = 0.1
TITLES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

BARE = "bare Bolt"
PILOTGATE = "pilotgate"
STATUS = "status"
UPDATE = "update"


# -- the workspace ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """Who owns and sponsors the seeded pilots; an update is sent by the pilot's owner."""

    pilots: int
    owners: int
    sponsors: int

    def owner(self, number: int) -> str:
        return f"UOWN{number % self.owners:05d}"

    def sponsor(self, number: int) -> str | None:
        # Every other pilot has a sponsor (and a metric and a baseline): half are under way.
        return f"USPN{number % self.sponsors:04d}" if number % 2 == 0 else None

    def people(self) -> list[str]:
        sponsors = {self.sponsor(n) for n in range(0, 2 * self.sponsors, 2)}
        return [self.owner(n) for n in range(self.owners)] + sorted(s for s in sponsors if s)


def seed(url: str, shape: Shape, now: datetime) -> float:
    """Migrates, then inserts the workspace, its pilots, half of them with a baseline, and the
    cached directory entry of everyone (a warm users.info cache), in one transaction.
    Returns the seconds it took."""
    started = time.perf_counter()
    engine = create_db_engine(url)
    try:
        upgrade(engine)
        with engine.begin() as connection:
            connection.execute(
                insert(Workspace).values(
                    team_id=TEAM, name="Bench", installed_at=now, pilot_counter=shape.pilots
                )
            )
            connection.execute(insert(Pilot), [_pilot_row(n, shape, now) for n in _numbers(shape)])
            numbered = select(Pilot.number, Pilot.id).where(Pilot.team_id == TEAM)
            ids = {number: id_ for number, id_ in connection.execute(numbered)}
            connection.execute(
                insert(Measurement),
                [
                    {
                        "pilot_id": ids[n],
                        "kind": "baseline",
                        "value": 10.0 + n % 7,
                        "note": "before the pilot",
                        "recorded_by": shape.owner(n),
                        "recorded_at": now - timedelta(days=30 + n % 60),
                    }
                    for n in _numbers(shape)
                    if shape.sponsor(n)
                ],
            )
            connection.execute(
                insert(Person),
                [
                    {
                        "team_id": TEAM,
                        "user_id": user,
                        "timezone": "Europe/Berlin",
                        "is_admin": False,
                        "fetched_at": now,
                    }
                    for user in shape.people()
                ],
            )
    finally:
        engine.dispose()
    return time.perf_counter() - started


def _numbers(shape: Shape) -> range:
    return range(1, shape.pilots + 1)


def _pilot_row(number: int, shape: Shape, now: datetime) -> dict[str, Any]:
    under_way = shape.sponsor(number) is not None
    registered = now - timedelta(days=40 + number % 60)
    return {
        "team_id": TEAM,
        "number": number,
        "name": f"Pilot {number}: triage assistant for queue {number % 97}",
        "stage": "piloting" if under_way else "proposed",
        "registered_at": registered,
        "registered_by": shape.owner(number),
        "owner_id": shape.owner(number),
        "sponsor_id": shape.sponsor(number),
        "workflow": "support triage" if under_way else None,
        "decide_by": (now + timedelta(days=number % 120)).date() if under_way else None,
        "cadence": "weekly",
        "metric_name": "handle time" if under_way else None,
        "unit": "minutes" if under_way else None,
        "better": "lower" if under_way else None,
        "threshold": 8.0 if under_way else None,
    }


# -- databases --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    url: str  # what the servers get as DATABASE_URL; never printed (it may hold a password)
    kind: str  # "sqlite" | "postgresql"
    description: str


@contextmanager
def database(requested: str | None, workdir: Path) -> Iterator[Database]:
    """A temporary SQLite file by default; for a PostgreSQL URL, a throwaway database on that
    server (the role must be allowed to CREATE DATABASE), dropped afterwards."""
    if requested is None:
        requested = f"sqlite:///{workdir / 'bench.db'}"
    parsed = normalise_url(requested)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        path = Path(parsed.database or "")
        if not parsed.database or path.exists():
            raise SystemExit(f"bench: want a new SQLite file, not {parsed.database or 'memory'}")
        description = f"SQLite {sqlite3.sqlite_version} (a file, WAL)"
        yield Database(parsed.render_as_string(hide_password=False), "sqlite", description)
        return
    if backend != "postgresql":
        raise SystemExit(f"bench: runs on sqlite or postgresql, not {backend}")
    admin = create_engine(parsed, isolation_level="AUTOCOMMIT")
    name = f"pilotgate_bench_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            version = str(connection.execute(text("SHOW server_version")).scalar_one())
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(parsed).set(database=name).render_as_string(hide_password=False)
            host = f"{parsed.host or 'local socket'}"
            yield Database(url, "postgresql", f"PostgreSQL {version.split()[0]} on {host}")
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


# -- the processes under test -----------------------------------------------------------------


def serve_bare(port: int) -> int:
    """The reference: a Bolt app whose `/pilot` only acks, behind waitress like pilotgate."""
    from slack_bolt import Ack, App
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from slack_sdk import WebClient
    from waitress.server import create_server

    app = App(
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        client=WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"]),
        token_verification_enabled=False,
        listener_executor=ThreadPoolExecutor(SERVER_THREADS, thread_name_prefix="bare-listener"),
    )

    @app.command("/pilot")
    def pilot(ack: Ack) -> None:
        ack()

    server = create_server(
        SlackRequestHandler(app, path=EVENTS_PATH),
        host=HOST,
        port=port,
        threads=SERVER_THREADS,
        ident="bench-bare",
    )

    def stop(_signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    try:
        server.run()
    finally:
        server.close()
    return 0


def serve_fake() -> int:
    """The fake Slack in a process of its own: prints its port, then answers one JSON line
    per command read from stdin (`count`, `stats`, `clear`) until stdin closes."""
    from tests.fakeslack import FakeSlack

    with FakeSlack() as fake:
        print(fake.port, flush=True)
        for line in sys.stdin:
            command = line.strip()
            if command == "count":
                answer: dict[str, Any] = {"count": len(fake.calls("response_url"))}
            elif command == "stats":
                answer = _fake_stats(fake.calls(), fake.errors)
            elif command == "clear":
                fake.clear()
                answer = {}
            else:
                answer = {"error": f"unknown command {command!r}"}
            print(json.dumps(answer), flush=True)
    return 0


def _fake_stats(calls: Sequence[Call], errors: Sequence[str]) -> dict[str, Any]:
    methods: dict[str, int] = {}
    for call in calls:
        methods[call.method] = methods.get(call.method, 0) + 1
    replies = [c for c in calls if c.method == "response_url"]
    plain = [str(c.args.get("text", ""))[:160] for c in replies if not c.args.get("blocks")]
    return {
        "methods": methods,
        "replies": len(replies),
        "cards": len(replies) - len(plain),
        "plain_samples": plain[:3],
        "errors": len(errors),
        "error_samples": list(errors[:3]),
    }


class FakeSlackProcess:
    def __init__(self, log: IO[str]) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "bench.ack", "--serve-fake"],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": _pythonpath()},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        assert self._process.stdout is not None
        assert self._process.stdin is not None
        self._in, self._out = self._process.stdin, self._process.stdout
        line = self._out.readline()
        if not line.strip().isdigit():
            raise RuntimeError(f"the fake Slack did not start (said {line!r})")
        self.url = f"http://{HOST}:{int(line)}/"

    @property
    def api_url(self) -> str:
        return f"{self.url}api/"

    def response_url(self, name: str) -> str:
        return f"{self.url}response/{name}"

    def ask(self, command: str) -> dict[str, Any]:
        self._in.write(command + "\n")
        self._in.flush()
        answer: dict[str, Any] = json.loads(self._out.readline())
        return answer

    def replies(self) -> int:
        return int(self.ask("count")["count"])

    def wait_for_replies(self, count: int, timeout: float) -> float | None:
        """Seconds until `count` replies had arrived, or None if they did not in time."""
        started = time.perf_counter()
        while self.replies() < count:
            if time.perf_counter() - started > timeout:
                return None
            time.sleep(POLL_SECONDS)
        return time.perf_counter() - started

    def cpu(self) -> float | None:
        return cpu_seconds(self._process.pid)

    def close(self) -> None:
        self._in.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


class Server:
    """A server process under test, stopped with SIGTERM (pilotgate then finishes its work)."""

    def __init__(
        self, name: str, command: list[str], env: dict[str, str], cwd: Path, log: Path
    ) -> None:
        """`command` ends with the option that takes the port; the port is appended."""
        self.name = name
        self.port = _free_port()
        self.log = log
        self._output = log.open("w")
        self._process = subprocess.Popen(
            [*command, str(self.port)],
            cwd=cwd,
            env=env,
            stdout=self._output,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, health_path: str | None) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start:\n{self.log_tail()}")
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=2)
                if health_path is None:
                    connection.connect()
                    connection.close()
                    return
                connection.request("GET", health_path)
                ok = connection.getresponse().status == 200
                connection.close()
                if ok:
                    return
            except OSError:
                pass
            time.sleep(POLL_SECONDS)
        raise RuntimeError(f"{self.name} did not answer within {READY_TIMEOUT:g} s")

    def cpu(self) -> float | None:
        return cpu_seconds(self._process.pid)

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._output.close()

    def log_tail(self, lines: int = 20) -> str:
        self._output.flush()
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def log_problems(self) -> dict[str, int]:
        """Warning and error lines of the log, without their time stamps, counted."""
        self._output.flush()
        wanted = re.compile(r"\b(ERROR|WARNING|CRITICAL|Traceback)\b")
        stamp = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ ")
        counted: dict[str, int] = {}
        for line in self.log.read_text(errors="replace").splitlines():
            if wanted.search(line):
                message = f"{self.name}: {stamp.sub('', line)[:200]}"
                counted[message] = counted.get(message, 0) + 1
        return counted


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU time of a process and all its threads so far (Linux; else None)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pythonpath() -> str:
    """The repository first (for bench and tests), then whatever the caller had."""
    return os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


# -- the load ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    kind: str
    body: bytes


@dataclass
class Outcome:
    kind: str
    seconds: float
    status: int
    acked_plainly: bool  # HTTP 200 with an empty body: ack() with nothing to say


@dataclass
class Segment:
    target: str
    round: int
    outcomes: list[Outcome]
    wall: float
    reconnects: int
    drain: float | None = None  # seconds from the last ack to the last follow-up


class Client:
    """One of Slack's concurrent senders: a keep-alive connection per target."""

    def __init__(self) -> None:
        self._connections: dict[int, http.client.HTTPConnection] = {}
        self.reconnects = 0

    def send(self, port: int, body: bytes) -> tuple[float, int, bytes]:
        for attempt in (1, 2):
            connection = self._connection(port)
            stamp = int(time.time())
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Slack-Request-Timestamp": str(stamp),
                "X-Slack-Signature": sign(body, stamp, SIGNING_SECRET),
            }
            started = time.perf_counter()
            try:
                connection.request("POST", EVENTS_PATH, body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
            except (http.client.HTTPException, OSError):
                self._drop(port)
                self.reconnects += 1
                if attempt == 2:
                    raise
                continue
            elapsed = time.perf_counter() - started
            if response.will_close:
                self._drop(port)
            return elapsed, response.status, payload
        raise AssertionError("unreachable")

    def _connection(self, port: int) -> http.client.HTTPConnection:
        connection = self._connections.get(port)
        if connection is None:
            connection = http.client.HTTPConnection(HOST, port, timeout=30)
            connection.connect()  # outside the timed part, as Slack's connections are warm
            self._connections[port] = connection
        return connection

    def _drop(self, port: int) -> None:
        connection = self._connections.pop(port, None)
        if connection is not None:
            connection.close()

    def close(self) -> None:
        for port in list(self._connections):
            self._drop(port)


class Workload:
    """The requests: `status P-n` from anyone, `update P-n <value>` from the pilot's owner."""

    def __init__(self, shape: Shape, update_share: float, response_url: str, seed: int) -> None:
        self._shape = shape
        self._update_share = update_share
        self._response_url = response_url
        self._rng = random.Random(seed)

    def jobs(self, count: int) -> list[Job]:
        return [self._job() for _ in range(count)]

    def _job(self) -> Job:
        number = self._rng.randint(1, self._shape.pilots)
        if self._rng.random() < self._update_share:
            kind, user = UPDATE, self._shape.owner(number)
            text_ = f"update P-{number} {self._rng.uniform(5, 15):.1f}"
        else:
            kind, user = STATUS, self._shape.owner(self._rng.randint(0, self._shape.owners - 1))
            text_ = f"status P-{number}"
        fields = {
            "token": "deprecated-verification-token",
            "team_id": TEAM,
            "team_domain": "bench",
            "channel_id": "C0GENERAL",
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/pilot",
            "text": text_,
            "api_app_id": "A0PILOTGATE",
            "is_enterprise_install": "false",
            "response_url": self._response_url,
            "trigger_id": f"trigger-{self._rng.getrandbits(48):012x}",
        }
        return Job(kind, urllib.parse.urlencode(fields).encode())


def run_segment(
    target: str, port: int, clients: Sequence[Client], jobs: Sequence[Job], round_: int
) -> Segment:
    """Sends `jobs` to one target, split over the clients, all clients starting together."""
    shares = [list(jobs[i :: len(clients)]) for i in range(len(clients))]
    results: list[list[Outcome]] = [[] for _ in clients]
    failures: list[BaseException] = []
    start = threading.Barrier(len(clients) + 1)
    reconnects_before = sum(c.reconnects for c in clients)

    def work(index: int) -> None:
        client, mine, out = clients[index], shares[index], results[index]
        start.wait()
        try:
            for job in mine:
                seconds, status, payload = client.send(port, job.body)
                out.append(Outcome(job.kind, seconds, status, status == 200 and not payload))
        except BaseException as error:  # reported by the main thread
            failures.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    if failures:
        raise RuntimeError(f"{target}: a request failed: {failures[0]!r}") from failures[0]
    outcomes = [outcome for share in results for outcome in share]
    reconnects = sum(c.reconnects for c in clients) - reconnects_before
    return Segment(target, round_, outcomes, wall, reconnects)


# -- figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    target: str
    requests: int
    median: float
    p95: float
    p99: float
    max: float
    acks_per_second: float
    by_kind: dict[str, float] = field(default_factory=dict)  # median per command kind


def percentile(ordered: Sequence[float], share: float) -> float:
    """Nearest rank: the smallest value at or above `share` of the samples."""
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def figures(target: str, segments: Sequence[Segment]) -> Figures:
    mine = [s for s in segments if s.target == target]
    outcomes = [o for s in mine for o in s.outcomes]
    ordered = sorted(o.seconds for o in outcomes)
    kinds = sorted({o.kind for o in outcomes})
    return Figures(
        target=target,
        requests=len(ordered),
        median=statistics.median(ordered),
        p95=percentile(ordered, 0.95),
        p99=percentile(ordered, 0.99),
        max=ordered[-1],
        acks_per_second=len(ordered) / sum(s.wall for s in mine),
        by_kind={
            kind: statistics.median(o.seconds for o in outcomes if o.kind == kind) for kind in kinds
        },
    )


@dataclass
class Result:
    when: date
    database: Database
    shape: Shape
    concurrency: int
    rounds: int
    warmup: int
    update_share: float
    seed_seconds: float
    bare: Figures
    pilotgate: Figures
    round_ratios: list[float]
    sent: int
    fake: dict[str, Any]
    drains: list[float | None]
    pilotgate_walls: list[float]
    followup_per_second: float
    not_plain: int
    reconnects: int
    server_problems: dict[str, int]
    cpu: dict[str, float]  # CPU seconds each process spent during the measured rounds

    @property
    def ratio(self) -> float:
        return self.pilotgate.median / self.bare.median

    @property
    def ratio_met(self) -> bool:
        return self.ratio <= RATIO_TARGET

    @property
    def p99_met(self) -> bool:
        return self.pilotgate.p99 * 1000 < P99_TARGET_MS

    @property
    def pilotgate_busy(self) -> float:
        """Seconds from the first pilotgate request of each round to its last follow-up."""
        return sum(self.pilotgate_walls) + sum(d or 0.0 for d in self.drains)

    @property
    def slowest_drain(self) -> str:
        if any(d is None for d in self.drains):
            return "not all arrived"
        return f"{max(d for d in self.drains if d is not None):.1f} s"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def machine() -> str:
    cpus = len(os.sched_getaffinity(0))
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        model = f", {found.group(1).strip()}" if found else ""
    return (
        f"{cpus} CPUs (nproc){model}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )


def table(result: Result) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = [
        ("target", "requests", "median", "p95", "p99", "max", "acks/s", "status / update median")
    ]
    for fig in (result.bare, result.pilotgate):
        kinds = " / ".join(ms(fig.by_kind[k]) for k in (STATUS, UPDATE) if k in fig.by_kind)
        rows.append(
            (
                fig.target,
                f"{fig.requests:,}",
                ms(fig.median),
                ms(fig.p95),
                ms(fig.p99),
                ms(fig.max),
                f"{fig.acks_per_second:,.0f}",
                kinds,
            )
        )
    return rows


def findings(result: Result) -> list[str]:
    fake = result.fake
    spread = f"{min(result.round_ratios):.2f} to {max(result.round_ratios):.2f}"
    lines = [
        f"Ratio of medians (pilotgate / bare): {result.ratio:.2f} "
        f"(target <= {RATIO_TARGET}: {verdict(result.ratio_met)}); per round {spread}.",
        f"pilotgate p99: {ms(result.pilotgate.p99)} "
        f"(target < {P99_TARGET_MS:g} ms: {verdict(result.p99_met)}).",
        f"Follow-ups: {fake['replies']:,} of {result.sent:,} replies reached the response_url "
        f"({fake['cards']:,} status cards), plus {fake['methods'].get('views.publish', 0):,} "
        f"App Home publishes; the slowest round's last reply came {result.slowest_drain} "
        f"after its last ack; work done at {result.followup_per_second:,.0f} commands/s.",
    ]
    if PILOTGATE in result.cpu and BARE in result.cpu:
        lines.append(
            f"CPU per command: bare {ms(result.cpu[BARE] / result.bare.requests)}, pilotgate "
            f"{ms(result.cpu[PILOTGATE] / result.pilotgate.requests)} (busy "
            f"{result.cpu[PILOTGATE] / result.pilotgate_busy:.2f} cores over its rounds and "
            f"their follow-ups), fake Slack "
            f"{ms(result.cpu.get('fake Slack', 0.0) / result.pilotgate.requests)}."
        )
    if fake["plain_samples"]:
        lines.append(f"Replies without a card, e.g.: {fake['plain_samples']}")
    if fake["errors"]:
        lines.append(
            f"The fake Slack refused {fake['errors']} calls, e.g.: {fake['error_samples']}"
        )
    if result.not_plain:
        lines.append(f"{result.not_plain} acks were not a plain HTTP 200 (see the server logs).")
    if result.reconnects:
        lines.append(f"Clients reconnected {result.reconnects} times.")
    if result.server_problems:
        common = sorted(result.server_problems.items(), key=lambda item: -item[1])
        shown_ = "; ".join(f"{message} (x{count})" for message, count in common[:4])
        lines.append(f"Server log warnings: {shown_}.")
    return lines


def print_report(result: Result, out: IO[str]) -> None:
    shape = result.shape
    print(
        f"\n/pilot ack latency: {shape.pilots:,} pilots, {result.database.description}, "
        f"concurrency {result.concurrency}, {result.pilotgate.requests:,} requests per target in "
        f"{result.rounds} alternating rounds ({result.update_share:.0%} updates), after "
        f"{result.warmup} warm-up requests each",
        file=out,
    )
    print(f"machine: {machine()}; seeding took {result.seed_seconds:.1f} s\n", file=out)
    rows = table(result)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells), file=out)
    print(file=out)
    for line in findings(result):
        print(line, file=out)


# -- recording --------------------------------------------------------------------------------

INTRO = """# Benchmarks

A benchmark here compares pilotgate against a reference measured in the same run on the same
machine and reports ratios; it is never a timed test, and it never fails a build. Absolute
numbers move with the machine; a ratio against a reference that shares the machine, the
server and the load says what pilotgate itself costs.

## `/pilot` ack latency (`bench/ack.py`)

Reproduce, from the repository root:

    python -m bench.ack                    # SQLite in a temporary file
    python -m bench.ack --database-url postgresql://USER:PASSWORD@HOST/postgres
    python -m bench.ack --record           # also replaces the matching section below

<!-- bench.ack: a database's first recorded section goes above this line -->
"""
SECTIONS_END = "<!-- bench.ack: a database's first recorded section goes above this line -->"


def markdown(result: Result) -> str:
    shape = result.shape
    rows = table(result)
    lines = [
        f"### {TITLES[result.database.kind]} ({result.when.isoformat()})",
        "",
        f"- Machine: {machine()}.",
        f"- Database: {result.database.description}; seeded with {shape.pilots:,} pilots "
        f"({shape.owners:,} owners, {shape.sponsors:,} sponsors, half with a baseline) in "
        f"{result.seed_seconds:.1f} s.",
        f"- Load: {result.concurrency} keep-alive clients, {result.pilotgate.requests:,} "
        f"requests per target in {result.rounds} alternating rounds after {result.warmup} "
        f"warm-up requests each; {result.update_share:.0%} `update`, the rest `status`.",
        "",
        "| " + " | ".join(rows[0]) + " |",
        "|" + "|".join("---" if i == 0 else "---:" for i in range(len(rows[0]))) + "|",
        *("| " + " | ".join(row) + " |" for row in rows[1:]),
        "",
        *(f"- {line}" for line in findings(result)),
    ]
    return "\n".join(lines) + "\n"


def record(result: Result, doc: Path = DOC) -> None:
    """Replaces this database's section of docs/benchmarks.md, or adds it after the others."""
    begin = f"<!-- bench.ack {result.database.kind} -->"
    end = f"<!-- /bench.ack {result.database.kind} -->"
    section = f"{begin}\n{markdown(result)}{end}\n"
    current = doc.read_text() if doc.is_file() else INTRO
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end) + r"\n?", re.DOTALL)
    if pattern.search(current):
        updated = pattern.sub(lambda _match: section, current, count=1)
    elif SECTIONS_END in current:
        updated = current.replace(SECTIONS_END, f"{section}\n{SECTIONS_END}", 1)
    else:
        updated = current.rstrip("\n") + "\n\n" + section
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(updated)


# -- the run ----------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> Result:
    shape = Shape(args.pilots, args.owners, args.sponsors)
    if args.requests % args.rounds or (args.requests // args.rounds) < args.concurrency:
        raise SystemExit("bench: --requests must split evenly into --rounds of >= 1 per client")
    per_round = args.requests // args.rounds
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-ack-")))
        if args.keep_logs is not None:
            stack.callback(_copy_logs, workdir, args.keep_logs)
        db = stack.enter_context(database(args.database_url, workdir))
        say(f"seeding {shape.pilots:,} pilots into {db.description}")
        seed_seconds = seed(db.url, shape, datetime.now(UTC))

        fake_log = stack.enter_context((workdir / "fake.log").open("w"))
        fake = FakeSlackProcess(fake_log)
        stack.callback(fake.close)
        env = {
            **os.environ,
            "PYTHONPATH": _pythonpath(),
            "DATABASE_URL": db.url,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_BOT_TOKEN": FAKE_BOT_TOKEN,
            "SLACK_API_URL": fake.api_url,
        }
        pilotgate = Server(
            PILOTGATE,
            [sys.executable, "-m", "bot", "serve", "--no-scheduler", "--host", HOST, "--port"],
            env,
            workdir,  # not the repository: a developer's .env there must not leak in
            workdir / "pilotgate.log",
        )
        stack.callback(pilotgate.stop)
        bare = Server(
            BARE,
            [sys.executable, "-m", "bench.ack", "--serve-bare"],
            env,
            ROOT,
            workdir / "bare.log",
        )
        stack.callback(bare.stop)
        pilotgate.wait_ready("/healthz")
        bare.wait_ready(None)
        ports = {PILOTGATE: pilotgate.port, BARE: bare.port}

        workload = Workload(shape, args.update_share, fake.response_url("bench"), args.seed)
        clients = [Client() for _ in range(args.concurrency)]
        for client in clients:
            stack.callback(client.close)

        say(f"warming up with {args.warmup} requests per target")
        for target in (BARE, PILOTGATE):
            run_segment(target, ports[target], clients, workload.jobs(args.warmup), 0)
        if fake.wait_for_replies(args.warmup, args.drain_timeout) is None:
            say("warning: not every warm-up reply arrived")
        time.sleep(1)
        fake.ask("clear")

        segments: list[Segment] = []
        sent = 0
        processes = {BARE: bare.cpu, PILOTGATE: pilotgate.cpu, "fake Slack": fake.cpu}
        cpu_before = {name: read() for name, read in processes.items()}
        for round_ in range(1, args.rounds + 1):
            order = (BARE, PILOTGATE) if round_ % 2 else (PILOTGATE, BARE)
            for target in order:
                segment = run_segment(
                    target, ports[target], clients, workload.jobs(per_round), round_
                )
                if target == PILOTGATE:
                    sent += len(segment.outcomes)
                    segment.drain = fake.wait_for_replies(sent, args.drain_timeout)
                segments.append(segment)
            say(f"round {round_}/{args.rounds} done")
        time.sleep(args.settle)  # anything arriving late (a duplicate, an error) shows up too
        cpu_after = {name: read() for name, read in processes.items()}
        fake_stats = fake.ask("stats")
        pilot_segments = [s for s in segments if s.target == PILOTGATE]
        problems = pilotgate.log_problems() | bare.log_problems()
        by_round: dict[int, dict[str, float]] = {}
        for segment in segments:
            by_round.setdefault(segment.round, {})[segment.target] = statistics.median(
                o.seconds for o in segment.outcomes
            )
        return Result(
            when=datetime.now(UTC).date(),
            database=db,
            shape=shape,
            concurrency=args.concurrency,
            rounds=args.rounds,
            warmup=args.warmup,
            update_share=args.update_share,
            seed_seconds=seed_seconds,
            bare=figures(BARE, segments),
            pilotgate=figures(PILOTGATE, segments),
            round_ratios=[r[PILOTGATE] / r[BARE] for _, r in sorted(by_round.items())],
            sent=sent,
            fake=fake_stats,
            drains=[s.drain for s in pilot_segments],
            pilotgate_walls=[s.wall for s in pilot_segments],
            followup_per_second=sent / sum(s.wall + (s.drain or 0.0) for s in pilot_segments),
            not_plain=sum(1 for s in segments for o in s.outcomes if not o.acked_plainly),
            reconnects=sum(s.reconnects for s in segments),
            server_problems=problems,
            cpu={
                name: after - before
                for name, after in cpu_after.items()
                if after is not None and (before := cpu_before[name]) is not None
            },
        )


def _copy_logs(workdir: Path, destination: Path) -> None:
    destination.mkdir(parents=True, exist_ok=True)
    for log in workdir.glob("*.log"):
        shutil.copyfile(log, destination / log.name)


def say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.ack",
        description="pilotgate's /pilot ack latency against a bare Bolt app, in one run.",
    )
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server to create a throwaway database on (default: SQLite, temporary)",
    )
    parser.add_argument("--record", action="store_true", help="write docs/benchmarks.md")
    parser.add_argument("--pilots", type=int, default=10_000)
    parser.add_argument("--owners", type=int, default=1_000)
    parser.add_argument("--sponsors", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--requests", type=int, default=2_000, help="measured, per target")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=200, help="per target")
    parser.add_argument("--update-share", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--drain-timeout", type=float, default=120.0, help="seconds to wait for follow-ups"
    )
    parser.add_argument("--settle", type=float, default=2.0, help=argparse.SUPPRESS)
    parser.add_argument(
        "--keep-logs", type=Path, metavar="DIR", help="copy the servers' logs to DIR"
    )
    parser.add_argument("--serve-bare", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--serve-fake", action="store_true", help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.serve_bare is not None:
        return serve_bare(args.serve_bare)
    if args.serve_fake:
        return serve_fake()
    result = run(args)
    print_report(result, sys.stdout)
    if args.record:
        record(result)
        say(f"recorded in {DOC.relative_to(ROOT)}")
    # A missed target is a finding, not a failure; only requests that went wrong are.
    return 1 if result.not_plain else 0


if __name__ == "__main__":
    raise SystemExit(main())
