"""A reading posted through the HTTP API vs a bare WSGI app under the same waitress settings
that validates the same JSON with pydantic and writes one row (docs/benchmarks.md).

    python -m bench.api [--database-url postgresql://...] [--record]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from datetime import UTC
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from waitress import serve

from bench import common
from bench import load
from bench.seeding import Databases
from bench.seeding import register
from bot.api.schemas import ReadingIn
from bot.server import LIMITS
from bot.server import THREADS
from storage.db import create_db_engine
from storage.models import Measurement

REQUESTS, CONCURRENCY, WARM_UP, RATIO_TARGET = 1000, 8, 100, 1.5
# Enough tokens that none nears 10 requests a second: the rate limit is not what is measured.
PILOTS, TOKENS = 100, 200
BODY = json.dumps({"value": 9.5, "note": "from the bench"}).encode()
API, BARE = "pilotgate API", "bare WSGI"


def serve_bare(url: str, port: int) -> None:
    engine = create_db_engine(url)

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        size = int(environ.get("CONTENT_LENGTH") or 0)
        reading = ReadingIn.model_validate_json(environ["wsgi.input"].read(size))
        pilot_id, now = int(environ["PATH_INFO"].rsplit("-", 1)[1]), datetime.now(UTC)
        row = {"kind": "reading", "value": reading.value, "note": reading.note, "recorded_by": "U"}
        row |= {"pilot_id": pilot_id, "recorded_at": now}
        with engine.begin() as connection:
            connection.execute(insert(Measurement).values(row))
        start_response("201 Created", [("Content-Type", "application/json")])
        return [b'{"verdict": "not_ready"}']

    serve(app, host=common.HOST, port=port, threads=THREADS, ident="bare", **LIMITS)


def run(args: argparse.Namespace) -> common.Report:
    with Databases(args.database_url) as dbs, tempfile.TemporaryDirectory() as tmp:
        url = {name: dbs.new(name) for name in (API, BARE)}
        now = datetime.now(UTC)
        issued = register(url[API], PILOTS, now, TOKENS) * (REQUESTS // TOKENS)
        register(url[BARE], PILOTS, now)
        url_text = {name: u.render_as_string(hide_password=False) for name, u in url.items()}
        env = load.environment({"DATABASE_URL": url_text[API], "SLACK_SIGNING_SECRET": "bench",
                                "SLACK_API_URL": f"http://{common.HOST}:9/api/",
                                "SLACK_BOT_TOKEN": "xoxb-bench"})  # fmt: skip
        bare = [sys.executable, "-m", "bench.api", "--bare", url_text[BARE]]
        servers = {
            API: load.pilotgate(API, env, Path(tmp)),
            BARE: load.Server(BARE, bare, load.environment({}), Path(tmp)),
        }
        paths = {API: "/api/v1/pilots/P-{}/readings", BARE: "/readings/P-{}"}

        def readings(name: str, count: int) -> list[load.Job]:
            return [load.Job("reading", BODY, paths[name].format(n % PILOTS + 1), {
                "Content-Type": "application/json", "Authorization": f"Bearer {issued[n]}"
            }) for n in range(count)]  # fmt: skip

        try:
            contest = load.Contest(list(servers.values()), CONCURRENCY)
            warm = [contest.send(name, readings(name, WARM_UP)) for name in servers]
            clock = common.CpuClock(dict(servers))
            rounds = {name: partial(contest.send, name, readings(name, REQUESTS // 2))
                      for name in servers}  # fmt: skip
            segments = [s for t in common.alternate(rounds, 2).values() for s in t.results]
            cpu = clock.spent()
            contest.close()
        finally:
            for server in servers.values():
                server.stop()
    if refused := [(s.target, o.status) for s in warm + segments for o in s.outcomes
                   if o.status != 201]:  # fmt: skip
        raise RuntimeError(f"answered {refused[:5]}, not 201")
    times = {name: [o.seconds for s in segments if s.target == name for o in s.outcomes]
             for name in servers}  # fmt: skip
    rows: list[tuple[str, ...]] = [("target", "requests", "median", "p95", "p99", "CPU/request")]
    for name, took in times.items():
        rows.append((name, f"{len(took):,}", *common.latencies(took),
                     common.ms(cpu.get(name, 0.0) / len(took))))  # fmt: skip
    ratio = statistics.median(times[API]) / statistics.median(times[BARE])
    return common.Report(
        chapter="bench.api", kind=dbs.kind, rows=rows,
        headline=f"bench.api: a reading through the API vs a bare WSGI app ({dbs.description})",
        about=[f"Database: {dbs.description}.",
               f"Load: {CONCURRENCY} keep-alive clients, {REQUESTS:,} POSTs per target in two "
               f"alternating rounds after {WARM_UP} warm-up requests each, over {PILOTS} pilots."],
        findings=[f"Ratio of medians (pilotgate / bare): {ratio:.2f} (target <= {RATIO_TARGET}: "
                  f"{common.verdict(ratio <= RATIO_TARGET)})."],
    )  # fmt: skip


if __name__ == "__main__":
    if sys.argv[1:2] == ["--bare"]:
        serve_bare(sys.argv[2], int(sys.argv[3]))
    else:
        parser = common.argument_parser("bench.api", "A reading through the API vs a bare app.")
        raise SystemExit(common.main(parser, run))
