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
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from waitress import serve

from bench import common
from bench import load
from bench import timing
from bot.api.schemas import ReadingIn
from bot.server import LIMITS
from bot.server import THREADS
from bot.services import pilots
from bot.services import tokens
from bot.services.actors import Actor
from bot.services.commands import Register
from storage.db import create_db_engine
from storage.db import session_factory
from storage.migrate import upgrade
from storage.models import Measurement
from storage.unit_of_work import UnitOfWork

REQUESTS, CONCURRENCY, WARM_UP, RATIO_TARGET = 1000, 8, 100, 1.5
# Enough tokens that none nears 10 requests a second: the rate limit is not what is measured.
PILOTS, TOKENS, TEAM = 100, 200, "T1"
BODY = json.dumps({"value": 9.5, "note": "from the bench"}).encode()
API, BARE = "pilotgate API", "bare WSGI"


def seed(url: str) -> list[str]:
    """Migrates, registers the pilots (ids 1 to PILOTS) and issues the tokens it returns."""
    engine = create_db_engine(url)
    upgrade(engine)
    now, admin = datetime.now(UTC), Actor(TEAM, "U0A", is_admin=True)
    with UnitOfWork(session_factory(engine), actor="U0A") as uow:  # each use case commits
        for number in range(PILOTS):
            pilots.handle(uow, admin, Register(f"Pilot {number}"), now)
        made = [tokens.issue(uow, admin, tokens.IssueToken(f"t{n}"), now) for n in range(TOKENS)]
    engine.dispose()
    return [token.secret for token in made]


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
    with common.Databases(args.database_url) as dbs, tempfile.TemporaryDirectory() as tmp:
        url = {name: dbs.new(name).render_as_string(hide_password=False) for name in (API, BARE)}
        issued, _ = seed(url[API]) * (REQUESTS // TOKENS), seed(url[BARE])
        env = load.environment({"DATABASE_URL": url[API], "SLACK_SIGNING_SECRET": "bench",
                                "SLACK_API_URL": f"http://{common.HOST}:9/api/",
                                "SLACK_BOT_TOKEN": "xoxb-bench"})  # fmt: skip
        bare = [sys.executable, "-m", "bench.api", "--bare", url[BARE]]
        servers = {
            API: load.pilotgate(API, env, Path(tmp)),
            BARE: load.Server(BARE, bare, load.environment({}), Path(tmp)),
        }
        paths = {API: "/api/v1/pilots/P-{}/readings", BARE: "/readings/P-{}"}
        times: dict[str, list[float]] = {API: [], BARE: []}
        cpu = dict.fromkeys(servers, 0.0)

        def post(name: str, count: int) -> list[float]:
            """`count` readings from CONCURRENCY keep-alive clients; the seconds each took."""
            jobs = [load.Job("reading", BODY, paths[name].format(n % PILOTS + 1), {
                "Content-Type": "application/json", "Authorization": f"Bearer {issued[n]}"
            }) for n in range(count)]  # fmt: skip
            clients = [load.Client(servers[name].port) for _ in range(CONCURRENCY)]
            outcomes = load.run_segment(name, clients, jobs, 0).outcomes
            for client in clients:
                client.connection.close()
            if refused := [o.status for o in outcomes if o.status != 201]:
                raise RuntimeError(f"{name}: answered {refused[:5]}, not 201")
            return [o.seconds for o in outcomes]

        try:
            servers[API].wait_ready("/healthz")
            servers[BARE].wait_ready(None)
            for name in servers:
                post(name, WARM_UP)
            for _ in range(2):  # alternating, so neither always runs on a warmer machine
                for name, server in servers.items():
                    before = server.cpu() or 0.0
                    times[name] += post(name, REQUESTS // 2)
                    cpu[name] += (server.cpu() or 0.0) - before
        finally:
            for server in servers.values():
                server.stop()
    rows: list[tuple[str, ...]] = [("target", "requests", "median", "p95", "p99", "CPU/request")]
    for name, took in times.items():
        rows.append((name, f"{len(took):,}", *timing.latencies(took),
                     timing.ms(cpu[name] / len(took))))  # fmt: skip
    ratio = statistics.median(times[API]) / statistics.median(times[BARE])
    return common.Report(
        chapter="bench.api", kind=dbs.kind, rows=rows,
        headline=f"bench.api: a reading through the API vs a bare WSGI app ({dbs.description})",
        about=[f"Machine: {common.machine()}.", f"Database: {dbs.description}.",
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
