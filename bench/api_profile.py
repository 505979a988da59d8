"""Where a reading through the HTTP API spends its time, in process: the API's WSGI app
called directly (no HTTP, one thread), its SQL statements counted with an engine event and
its CPU split by part with cProfile (docs/benchmarks.md, next to bench.api).

    python -m bench.api_profile [--database-url postgresql://...] [--record]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
from collections import Counter
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from functools import partial
from typing import Any

from sqlalchemy import event
from sqlalchemy import insert
from sqlalchemy.engine import URL

from bench import common
from bench.api import BODY
from bench.api import PILOTS
from bench.api import TOKENS
from bench.seeding import Databases
from bench.seeding import register
from bot.api import ApiApp
from storage.db import create_db_engine
from storage.db import session_factory
from storage.models import Measurement

WARM_UP, ROUNDS, PER_ROUND = 100, 5, 200
# A pilot that has reported once a minute for three and a half days.
LONG_SERIES = 5000
# The parts of a reading, by the function whose cumulative time is that part's.
PARTS = [
    ("token check", "bot/api/app.py", "_authenticated"),
    ("pilot locked and read", "storage/pilots.py", "get_pilot"),
    ("flush: reading, audit entry, next check", "sqlalchemy/orm/session.py", "flush"),
    ("verdict: owner's clock and readiness", "bot/services/reports.py", "current_report"),
    ("commit", "storage/unit_of_work.py", "commit"),
]


class Reader:
    """Posts readings to the API app in process and counts the statements they run."""

    def __init__(self, url: URL) -> None:
        self.issued = register(url, PILOTS, datetime.now(UTC), TOKENS)
        self.engine = create_db_engine(url)
        self.app = ApiApp(session_factory(self.engine))
        self.statements: Counter[str] = Counter()
        self.counting = False
        event.listen(self.engine, "before_cursor_execute", self._count)
        self.sent = 0

    def _count(self, _connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if self.counting:
            # The verb and the table: "INSERT measurements", "SELECT pilots".
            words = statement.split()
            if words[1] == "EXISTS":
                table = "(which collections hold rows)"
            elif words[0] == "SELECT":
                table = words[words.index("FROM") + 1]
            else:
                table = words[1] if words[0] == "UPDATE" else words[2]
            self.statements[f"{words[0]} {table}"] += 1

    def post(self, number: int) -> None:
        token = self.issued[self.sent % len(self.issued)]
        self.sent += 1
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": f"/api/v1/pilots/P-{number}/readings",
            "CONTENT_LENGTH": str(len(BODY)),
            "wsgi.input": io.BytesIO(BODY),
            "HTTP_AUTHORIZATION": f"Bearer {token}",
            "REMOTE_ADDR": common.HOST,
        }
        status: list[str] = []
        b"".join(self.app(environ, lambda line, _headers, *_: status.append(line)))
        if not status[0].startswith("201"):
            raise RuntimeError(f"a reading was refused: {status[0]}")

    def post_round(self, pilot: Callable[[int], int]) -> None:
        """PER_ROUND readings, the nth to pilot(n)."""
        for n in range(PER_ROUND):
            self.post(pilot(n))

    def statements_per_reading(self, pilot: Callable[[int], int]) -> Counter[str]:
        self.statements.clear()
        self.counting = True
        self.post_round(pilot)
        self.counting = False
        return Counter({name: count / PER_ROUND for name, count in self.statements.items()})

    def parts(self, pilot: Callable[[int], int]) -> dict[str, float]:
        """Each part's share of a reading's profiled time."""
        profile = cProfile.Profile()
        profile.enable()
        self.post_round(pilot)
        profile.disable()
        stats: dict[Any, Any] = pstats.Stats(profile).stats  # type: ignore[attr-defined]
        total = sum(timing[2] for timing in stats.values())
        shares = {}
        for name, path, function in PARTS:
            found = [
                timing
                for (file, _, called), timing in stats.items()
                if file.endswith(path) and called == function
            ]
            shares[name] = sum(timing[3] for timing in found) / total
        shares["the rest: routing, JSON, pydantic, answer"] = 1 - sum(shares.values())
        return shares


def run(args: argparse.Namespace) -> common.Report:
    with Databases(args.database_url) as dbs:
        reader = Reader(dbs.new("profile"))
        long_one = 1
        with reader.engine.begin() as connection:
            start = datetime.now(UTC) - timedelta(days=4)
            series = [
                {"pilot_id": long_one, "kind": "reading", "value": 9.0 + n % 3,
                 "recorded_by": "U0BENCH", "recorded_at": start + timedelta(minutes=n)}
                for n in range(LONG_SERIES)
            ]  # fmt: skip
            connection.execute(insert(Measurement), series)

        def short(n: int) -> int:  # the other pilots in turn; each has few readings
            return 2 + n % (PILOTS - 1)

        def long(_: int) -> int:
            return long_one

        for n in range(WARM_UP):
            reader.post(short(n))
        counted = reader.statements_per_reading(short)
        # Milliseconds of CPU per reading, the median of ROUNDS rounds of each, alternating.
        rounds = {
            "short": partial(reader.post_round, short),
            "long": partial(reader.post_round, long),
        }
        cpu = {name: 1000 * timed.cpu_median / PER_ROUND
               for name, timed in common.alternate(rounds, ROUNDS).items()}  # fmt: skip
        shares = reader.parts(short)
        reader.engine.dispose()
    per_reading = sum(counted.values())
    rows: list[tuple[str, ...]] = [("part of a reading", "share of CPU", "about")]
    for name, share in shares.items():
        rows.append((name, f"{100 * share:.0f} %", f"{cpu['short'] * share:.2f} ms"))
    listed = ", ".join(f"{name} {count:.2f}" for name, count in counted.most_common())
    return common.Report(
        chapter="bench.api", kind=dbs.kind, rows=rows, variant=(" profile", ", in process"),
        headline=f"bench.api_profile: where a reading's time goes ({dbs.description})",
        about=[f"Database: {dbs.description}.",
               f"The API's WSGI app called in process, one thread, {PILOTS} pilots; CPU is the "
               f"median of {ROUNDS} rounds of {PER_ROUND} readings, shares from cProfile."],
        findings=[f"CPU per reading: {cpu['short']:.2f} ms on pilots with few readings, "
                  f"{cpu['long']:.2f} ms on one with {LONG_SERIES:,}.",
                  f"Statements per reading: {per_reading:.2f} ({listed})."],
    )  # fmt: skip


if __name__ == "__main__":
    parser = common.argument_parser("bench.api_profile", "Where a reading's time goes.")
    raise SystemExit(common.main(parser, run))
