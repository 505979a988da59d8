"""What `pilotgate import` of 1,000 readings costs, against recording the same readings one
command at a time as `/pilot update` does. What it does and why: docs/benchmarks.md.

    python -m bench.importer [--database-url postgresql://...] [--record]
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

from slack_sdk import WebClient

from bench import common
from bench.seeding import Databases
from bench.seeding import register
from bot.governance.vocabulary import MeasurementKind
from bot.importer import import_csv
from bot.services.actors import Actor
from bot.services.commands import PilotKey
from bot.services.commands import RecordMeasurement
from bot.services.pilots import handle
from storage.unit_of_work import UnitOfWork

NOW, OWNER, PILOTS, TARGET = datetime(2026, 11, 16, 10, tzinfo=UTC), Actor("T1", "U0A"), 10, 5.0
ALONE, IN_PROCESS, COMMAND = "one command a reading", "import_csv()", "pilotgate import"


def run(args: argparse.Namespace) -> common.Report:
    # Readings an hour apart, spread over PILOTS pilots registered 90 days before.
    rows = [(n % PILOTS + 1, 10.0 + n % 7, NOW - timedelta(hours=n)) for n in range(args.count)]
    seconds: dict[str, float] = {}
    with Databases(args.database_url, "a file") as dbs, tempfile.TemporaryDirectory() as tmp:
        register(dbs.new("seed"), PILOTS, NOW - timedelta(days=90))
        with (path := Path(tmp) / "readings.csv").open("w", newline="") as out:
            lines = [(f"P-{key}", value, at.isoformat()) for key, value, at in rows]
            csv.writer(out).writerows([("key", "value", "at"), *lines])
        sessions, started = dbs.fresh("seed"), time.perf_counter()
        for number, value, at in rows:
            with UnitOfWork(sessions, actor=OWNER.user_id) as uow:
                reading = RecordMeasurement(PilotKey(number), MeasurementKind.READING, value)
                handle(uow, OWNER, reading, at)
        seconds[ALONE] = time.perf_counter() - started
        sessions, started = dbs.fresh("seed"), time.perf_counter()
        import_csv(path, sessions, team=None, slack_client=_no_slack, now=NOW, dry_run=False)
        seconds[IN_PROCESS] = time.perf_counter() - started
        dbs.fresh("seed")
        env = {**os.environ, "DATABASE_URL": dbs.url("work").render_as_string(hide_password=False)}
        command = [sys.executable, "-m", "bot", "import", "--format", "csv", str(path)]
        started, cpu = time.perf_counter(), _children_cpu()
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        seconds[COMMAND], cpu = time.perf_counter() - started, _children_cpu() - cpu
    table = [("measure", "seconds", "readings/s")]
    table += [(name, f"{s:.2f}", f"{len(rows) / s:,.0f}") for name, s in seconds.items()]
    return common.Report(
        chapter="bench.importer", kind=dbs.kind, rows=table,
        headline=f"import of {len(rows):,} readings into {PILOTS} pilots; {dbs.description}",
        machine_notes=dbs.description,
        about=[f"One run of each, in this order; load average {os.getloadavg()[0]:.1f} at the "
               "end."],
        findings=[
            f"`{COMMAND}` of {len(rows):,} readings took {seconds[COMMAND]:.2f} s, start-up "
            f"included (target < {TARGET:g} s: {common.verdict(seconds[COMMAND] < TARGET)}), "
            f"of which {cpu:.2f} s of CPU: on a machine of its own, about the wall time.",
            f"One transaction for the file costs {seconds[IN_PROCESS] / seconds[ALONE]:.2f}x "
            "recording each reading in a transaction of its own.",
        ],
        failed="" if done.returncode == 0 else f"{COMMAND} failed: {done.stderr[-300:]}",
        exit_status=done.returncode,
    )  # fmt: skip


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _no_slack(team: str) -> WebClient:
    raise AssertionError(f"a file of readings never asks Slack (asked about {team})")


if __name__ == "__main__":
    parser = common.argument_parser("bench.importer", "pilotgate import of 1,000 readings.")
    parser.add_argument("--count", type=int, default=1_000, help="readings in the file")
    raise SystemExit(common.main(parser, run))
