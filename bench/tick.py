"""What a scheduler tick costs over 100,000 pilots against 10,000, with the same 1,000 due,
both measured in the same run. What it does and why: docs/benchmarks.md.

    python -m bench.tick [--database-url postgresql://...] [--record]
"""

from __future__ import annotations

import argparse
import re
from contextlib import ExitStack
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from bench import common
from bench.common import verdict
from bench.seeding import Databases
from bench.seeding import Portfolio
from bench.seeding import seed
from bot.scheduler.planner import plan
from bot.scheduler.runner import tick
from bot.scheduler.transport import SlackTransport
from bot.scheduler.transport import Transport
from storage import schedule
from storage.types import UTCDateTime

# A Tuesday: 10:00 in UTC and London, 11:00 in Berlin. Working hours for every owner, so the
# DMs go out instead of waiting.
NOW = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)
QUERY_LIMIT = 100_000
RATIO_TARGET = 1.5
FIND_TARGET_SECONDS = 2.0

QUERY = "due query"
PLAN = "plan()"
TICK_NOOP = "tick(), no-op transport"
TICK_FAKE = "tick(), fake Slack"
MEASURES = (QUERY, PLAN, TICK_NOOP, TICK_FAKE)


def portfolio(pilots: int, due: int) -> Portfolio:
    """Ten workspaces, every pilot under way; the pilots not due share one owner per ten."""
    return Portfolio(pilots, owners=max(1, pilots // 100), teams=10, due=due)


def due_query_plan(engine: Engine) -> str:
    """How the database runs pilots_to_check's main statement, in one line."""
    postgres = engine.dialect.name == "postgresql"
    explain = "EXPLAIN" if postgres else "EXPLAIN QUERY PLAN"
    lock = " FOR UPDATE OF pilots SKIP LOCKED" if postgres else ""
    query = (
        "SELECT * FROM pilots WHERE next_check_at <= :now ORDER BY next_check_at, id LIMIT :limit"
    )
    sql = text(f"{explain} {query}{lock}")
    instant = bindparam("now", NOW, type_=UTCDateTime())
    with engine.connect() as connection:
        rows = connection.execute(sql.bindparams(instant, limit=QUERY_LIMIT)).all()
    return "; ".join(re.sub(r"\s+\(cost=[^)]*\)", "", str(row[-1]).strip()) for row in rows)


class NoopTransport:
    """Accepts every post at once: what is left of a tick is pilotgate and its database. Takes
    any arguments, so that the Transport protocol can grow without breaking the benchmark."""

    def __init__(self) -> None:
        self.posts = 0

    def post(self, *args: Any, **kwargs: Any) -> str:
        self.posts += 1
        return f"1700000000.{self.posts:06d}"

    def find(self, *args: Any, **kwargs: Any) -> str | None:
        return None

    def upload(self, *args: Any, **kwargs: Any) -> str:
        return f"F{self.posts:06d}"

    def client(self, *args: Any, **kwargs: Any) -> None:
        """No Slack to ask about people: the benchmark's owners are known already."""
        return None


@dataclass(eq=False)  # hashed by identity: a key of the contenders
class Figures:
    """One portfolio's measurements."""

    shape: Portfolio
    seed_seconds: float = 0.0
    timed: dict[str, common.Timed] = field(default_factory=dict)  # by measure
    query_plan: str = ""

    def median(self, measure: str) -> float:
        return self.timed[measure].median

    def ms(self, measure: str) -> str:
        return f"{self.median(measure) * 1000:,.0f} ms"

    def spread(self, measure: str) -> str:
        values = self.timed[measure].seconds
        return f"{min(values):.3f} to {max(values):.3f}"


def measure_once(
    sessions: sessionmaker[Session], measure: str, transports: dict[str, Transport]
) -> tuple[int, int]:
    """Does what `measure` times once; returns the pilots it looked at and the DMs it sent."""
    if measure == QUERY:
        with sessions() as session:
            return len(schedule.pilots_to_check(session, NOW, QUERY_LIMIT)), 0
    if measure == PLAN:
        planned = plan(sessions, NOW)
        return planned.pilots_checked, planned.recorded
    result = tick(sessions, transports[measure], NOW)
    return result.plan.pilots_checked, result.delivery.sent


def run(args: argparse.Namespace) -> common.Report:
    small, large = (Figures(portfolio(pilots, args.due)) for pilots in (args.small, args.large))
    with ExitStack() as stack:
        dbs = stack.enter_context(Databases(args.database_url))
        for figures in (small, large):
            shape = figures.shape
            common.say(f"seeding {shape.label} pilots ({args.due:,} due) into {dbs.description}")
            figures.seed_seconds = seed(
                dbs.new(shape.database), shape.batches(NOW, cached=("owners",))
            )
            common.say(f"  took {figures.seed_seconds:.1f} s")
        fake = common.FakeSlackProcess()
        stack.callback(fake.stop)
        dbs.fresh(large.shape.database)
        large.query_plan = due_query_plan(dbs.engine)
        transports: dict[str, Transport] = {
            TICK_NOOP: NoopTransport(),
            TICK_FAKE: SlackTransport(common.web_client(fake.api_url)),
        }
        contenders = {
            (figures, measure): partial(measure_once, dbs.sessions, measure, transports)
            for figures in (small, large)
            for measure in MEASURES
        }
        # Each call on a fresh copy of its portfolio; garbage from seeding and earlier calls
        # is collected before it, not inside it.
        timed = common.alternate(
            contenders, args.repeats, int(args.warmup), say_rounds=True,
            before=lambda key: dbs.fresh(key[0].shape.database),
        )  # fmt: skip
        posted = fake.ask("stats")
    unexpected = set()
    for (figures, measure), measured in timed.items():
        figures.timed[measure] = measured
        expected = (args.due, args.due) if measure != QUERY else (args.due, 0)
        for found, sent in measured.results:
            if (found, sent) != expected:
                unexpected.add(f"{measure} at {figures.shape.label}: looked at {found}, sent "
                               f"{sent}; expected {expected}")  # fmt: skip
    rounds = args.repeats + int(args.warmup)
    delivered = posted["delivered"].get("chat.postMessage", 0)
    if delivered != 2 * rounds * args.due or posted["errors"]:
        common.say(f"warning: the fake Slack saw {delivered} posts, {posted['errors']} refused")
    return report(dbs, args.repeats, small, large, sorted(unexpected))


def report(
    dbs: Databases, repeats: int, small: Figures, large: Figures, warnings: list[str]
) -> common.Report:
    """`small` is the reference: each ratio is `large` over it."""
    due, at = large.shape.due, large.shape.label

    def ratio(measure: str) -> float:
        return large.median(measure) / small.median(measure)

    rows = [("measure", f"{small.shape.label} pilots", f"{at} pilots", "ratio",
             f"target <= {RATIO_TARGET:g}x")]  # fmt: skip
    for measure in MEASURES:
        met = verdict(ratio(measure) <= RATIO_TARGET)
        rows.append((measure, small.ms(measure), large.ms(measure), f"{ratio(measure):.2f}", met))
    query, planned = large.median(QUERY), large.median(PLAN)
    noop, fake = ratio(TICK_NOOP), ratio(TICK_FAKE)
    findings = [
        f"Finding what is due at {at} pilots: the due query {large.ms(QUERY)}, plan() "
        f"{large.ms(PLAN)} (target < {FIND_TARGET_SECONDS:g} s: "
        f"{verdict(max(query, planned) < FIND_TARGET_SECONDS)}).",
        f"A whole tick ({due:,} due pilots, {due:,} DMs sent) costs {noop:.2f}x at {at} what "
        f"it costs at {small.shape.label} with a no-op transport, {fake:.2f}x posting into the "
        f"fake Slack (target <= {RATIO_TARGET:g}x: {verdict(max(noop, fake) <= RATIO_TARGET)}).",
        f"Per due pilot at {at}: plan() {planned / due * 1000:.2f} ms, tick (no-op transport) "
        f"{large.median(TICK_NOOP) / due * 1000:.2f} ms, tick (fake Slack) "
        f"{large.median(TICK_FAKE) / due * 1000:.2f} ms.",
        f"Range of the {repeats} runs at {at} (s): "
        + ", ".join(f"{m} {large.spread(m)}" for m in MEASURES)
        + ".",
        f"The due query's plan at {at}: {large.query_plan}.",
        *(f"Unexpected: {warning}." for warning in warnings),
    ]
    return common.Report(
        chapter="bench.tick",
        kind=dbs.kind,
        headline=f"scheduler tick: {small.shape.label} against {at} pilots, {due:,} due in "
        f"each; {dbs.description}; medians of {repeats} runs on fresh copies",
        machine_notes=dbs.description,
        about=[
            f"Seeded in {small.seed_seconds:.1f} s ({small.shape.label} pilots) and "
            f"{large.seed_seconds:.1f} s ({at}); {due:,} due in each; medians of "
            f"{repeats} runs, each on a fresh copy, after a warm-up round.",
        ],
        rows=rows,
        findings=findings,
        # A missed target is a finding, not a failure; only a run that did not do its work is.
        failed="the run did not do the work it measures (see Unexpected above)" if warnings else "",
        exit_status=1 if warnings else 0,
    )


if __name__ == "__main__":
    parser = common.argument_parser(
        "bench.tick", "A scheduler tick over 100,000 pilots against 10,000, with the same due."
    )
    parser.add_argument("--small", type=int, default=10_000, help="pilots in the reference")
    parser.add_argument("--large", type=int, default=100_000, help="pilots in the portfolio")
    parser.add_argument("--due", type=int, default=1_000, help="due pilots in each")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-warmup", dest="warmup", action="store_false")
    raise SystemExit(common.main(parser, run))
