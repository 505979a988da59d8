"""How long Slack waits for pilotgate's ack of `/pilot`, next to a Bolt app that only acks,
both under load in the same run. What it does and why: docs/benchmarks.md.

    python -m bench.ack [--database-url postgresql://...] [--record]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import common
from bench import load
from bench.common import ms
from bench.common import percentile
from bench.common import verdict
from bench.seeding import Databases
from bench.seeding import Portfolio
from bench.seeding import seed
from tests.fakeslack import FAKE_BOT_TOKEN
from tests.slack_requests import SIGNING_SECRET
from tests.slack_requests import command_form

RATIO_TARGET = 1.3
P99_TARGET_MS = 250.0

BARE = "bare Bolt"
PILOTGATE = "pilotgate"
STATUS = "status"
UPDATE = "update"
REGISTER = "new"
HEADER = ("target", "requests", "median", "p95", "p99", "max", "acks/s", "median by command")


@dataclass(frozen=True)
class Shares:
    """What share of the requests registers a pilot, and what share updates one; the rest
    ask for a status."""

    register: float
    update: float

    @classmethod
    def of(cls, args: argparse.Namespace) -> Shares:
        return cls(args.register_share, min(args.update_share, 1 - args.register_share))

    def describe(self) -> str:
        status = max(0.0, 1 - self.register - self.update)
        parts = [(self.register, "`new`"), (self.update, "`update`"), (status, "`status`")]
        return ", ".join(f"{share:.0%} {name}" for share, name in parts if share)


def jobs(
    rng: random.Random, shape: Portfolio, shares: Shares, reply_to: str, count: int
) -> list[load.Job]:
    """`new "<name>"` from an owner, `update P-n <value>` from the pilot's owner, and
    `status P-n` from anyone, in the shares asked for."""
    made = []
    for _ in range(count):
        number = rng.randint(1, shape.pilots)
        roll = rng.random()
        if roll < shares.register:
            kind, user = REGISTER, shape.owner(number)
            text = f'new "Bench pilot {rng.getrandbits(40):010x}"'
        elif roll < shares.register + shares.update:
            kind, user = UPDATE, shape.owner(number)
            text = f"update P-{number} {rng.uniform(5, 15):.1f}"
        else:
            kind, user = STATUS, shape.owner(rng.randint(0, shape.owners - 1))
            text = f"status P-{number}"
        trigger = f"trigger-{rng.getrandbits(48):012x}"
        body = command_form(text, team=shape.team(number), user=user, response_url=reply_to,
                            team_domain="bench", trigger_id=trigger)  # fmt: skip
        made.append(load.Job(kind, body))
    return made


def row(target: str, mine: Sequence[load.Segment]) -> tuple[str, ...]:
    """The target's line of the table: its latencies, its ack rate, its medians by kind."""
    outcomes = [o for s in mine for o in s.outcomes]
    slowest = max(o.seconds for o in outcomes)
    by_kind = [
        f"{kind} {ms(statistics.median(o.seconds for o in outcomes if o.kind == kind))}"
        for kind in (REGISTER, STATUS, UPDATE)
        if any(o.kind == kind for o in outcomes)
    ]
    acks_per_second = len(outcomes) / sum(s.wall for s in mine)
    return (target, f"{len(outcomes):,}", *common.latencies(o.seconds for o in outcomes),
            ms(slowest), f"{acks_per_second:,.0f}", " / ".join(by_kind))  # fmt: skip


@dataclass
class Result:
    args: argparse.Namespace
    kind: str
    description: str
    shape: Portfolio
    seed_seconds: float
    timed: dict[str, common.Timed]  # each target's measured rounds: a load.Segment each
    fake: dict[str, Any]  # what the fake Slack saw: FakeSlackProcess.ask("stats")
    problems: Counter[str]  # warnings and errors in the servers' logs
    cpu: dict[str, float]  # CPU seconds each process spent during the measured rounds


def report(result: Result) -> common.Report:
    args, shape, fake, cpu = result.args, result.shape, result.fake, result.cpu
    bare, ours = result.timed[BARE].results, result.timed[PILOTGATE].results
    segments = bare + ours
    sent = sum(len(s.outcomes) for s in ours)  # as many as the bare app got, round by round
    busy = sum(s.wall + (s.drain or 0.0) for s in ours)  # from each round's start to its last reply
    ratio = load.median(ours) / load.median(bare)
    rounds = [load.median([o]) / load.median([b]) for o, b in zip(ours, bare, strict=True)]
    p99 = percentile(sorted(o.seconds for s in ours for o in s.outcomes), 0.99)
    drains = [s.drain for s in ours]
    slowest = "not all arrived" if None in drains else f"{max(d or 0.0 for d in drains):.1f} s"
    replies = fake["methods"].get("response_url", 0)
    findings = [
        f"Ratio of medians (pilotgate / bare): {ratio:.2f} (target <= {RATIO_TARGET}: "
        f"{verdict(ratio <= RATIO_TARGET)}); per round {min(rounds):.2f} to {max(rounds):.2f}.",
        f"pilotgate p99: {ms(p99)} (target < {P99_TARGET_MS:g} ms: "
        f"{verdict(p99 * 1000 < P99_TARGET_MS)}).",
        f"Follow-ups: {replies:,} of {sent:,} replies reached the response_url "
        f"({replies - fake['plain_replies']:,} status cards), plus "
        f"{fake['methods'].get('views.publish', 0):,} App Home publishes; the slowest round's "
        f"last reply came {slowest} after its last ack; work done at {sent / busy:,.0f} "
        f"commands/s.",
    ]
    if PILOTGATE in cpu and BARE in cpu:
        findings.append(
            f"CPU per command: bare {ms(cpu[BARE] / sent)}, pilotgate {ms(cpu[PILOTGATE] / sent)} "
            f"(busy {cpu[PILOTGATE] / busy:.2f} cores over its rounds and their follow-ups), "
            f"fake Slack {ms(cpu.get('fake Slack', 0.0) / sent)}."
        )
    if fake["plain_samples"]:
        findings.append(f"Replies without a card, e.g.: {fake['plain_samples']}")
    if fake["errors"]:
        findings.append(
            f"The fake Slack refused {fake['errors']} calls, e.g.: {fake['error_samples']}"
        )
    if not_plain := sum(1 for s in segments for o in s.outcomes if not o.acked_plainly):
        findings.append(f"{not_plain} acks were not a plain HTTP 200 (see the server logs).")
    if reconnects := sum(o.reconnected for s in segments for o in s.outcomes):
        findings.append(f"Clients reconnected {reconnects} times.")
    if problems := result.problems.most_common(4):
        shown = "; ".join(f"{message} (x{count})" for message, count in problems)
        findings.append(f"Server log warnings: {shown}.")
    return common.Report(
        chapter="bench.ack",
        kind=result.kind,
        # A backlog of registrations is a section of its own, apart from the mix.
        variant=("-registrations", ", registrations") if args.register_share else ("", ""),
        headline=f"/pilot ack latency: {shape.pilots:,} pilots, {result.description}, "
        f"concurrency {args.concurrency}, {sent:,} requests per target in {args.rounds} "
        f"alternating rounds ({Shares.of(args).describe()}), after {args.warmup} warm-up "
        f"requests each",
        about=[
            f"Database: {result.description}; seeded with {shape.pilots:,} pilots "
            f"({shape.owners:,} owners, {shape.sponsors:,} sponsors, half with a baseline) in "
            f"{result.seed_seconds:.1f} s.",
            f"Load: {args.concurrency} keep-alive clients, {sent:,} requests per target in "
            f"{args.rounds} alternating rounds after {args.warmup} warm-up requests each; "
            f"{Shares.of(args).describe()}.",
        ],
        rows=[HEADER, row(BARE, bare), row(PILOTGATE, ours)],
        findings=findings,
        console_machine=f"; seeding took {result.seed_seconds:.1f} s",
        # A missed target is a finding, not a failure; only requests that went wrong are.
        exit_status=1 if not_plain else 0,
    )


def run(args: argparse.Namespace) -> Result:
    """Seeds, starts the fake Slack and both apps, warms them up, then measures."""
    shape = Portfolio(args.pilots, args.owners, args.sponsors, all_under_way=False)
    if args.requests % args.rounds or (args.requests // args.rounds) < args.concurrency:
        raise SystemExit("bench: --requests must split evenly into --rounds of >= 1 per client")
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-ack-")))
        if args.keep_logs is not None:
            stack.callback(shutil.copytree, workdir, args.keep_logs, dirs_exist_ok=True)
        db = stack.enter_context(Databases(args.database_url, sqlite_files="a file"))
        common.say(f"seeding {shape.label} pilots into {db.description}")
        url = db.new("ack")
        seed_seconds = seed(url, shape.batches(datetime.now(UTC), cached=("owners", "sponsors")))

        fake = common.FakeSlackProcess(stack.enter_context((workdir / "fake.log").open("w")))
        stack.callback(fake.stop)
        env = load.environment({
            "DATABASE_URL": url.render_as_string(hide_password=False),
            "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_BOT_TOKEN": FAKE_BOT_TOKEN,
            "SLACK_API_URL": fake.api_url,
        })  # fmt: skip
        pilotgate = load.pilotgate(PILOTGATE, env, workdir)
        stack.callback(pilotgate.stop)
        bare = load.Server(BARE, [sys.executable, "-m", "bench.load"], env, workdir)
        stack.callback(bare.stop)
        contest = load.Contest([bare, pilotgate], args.concurrency)
        stack.callback(contest.close)
        rng = random.Random(args.seed)
        reply_to = f"{fake.url}response/bench"

        def mix(count: int) -> list[load.Job]:
            return jobs(rng, shape, Shares.of(args), reply_to, count)

        common.say(f"warming up with {args.warmup} requests per target")
        for target in (BARE, PILOTGATE):
            contest.send(target, mix(args.warmup))
        if fake.wait_for("response_url", args.warmup, args.drain_timeout) is None:
            common.say("warning: not every warm-up reply arrived")
        time.sleep(1)
        fake.ask("clear")

        replies = 0

        def pilotgate_round() -> load.Segment:
            """A round of pilotgate's, and the wait until every reply has reached Slack."""
            nonlocal replies
            segment = contest.send(PILOTGATE, mix(per_round))
            replies += len(segment.outcomes)
            segment.drain = fake.wait_for("response_url", replies, args.drain_timeout)
            return segment

        clock = common.CpuClock({BARE: bare, PILOTGATE: pilotgate, "fake Slack": fake})
        per_round = args.requests // args.rounds
        rounds = {BARE: lambda: contest.send(BARE, mix(per_round)), PILOTGATE: pilotgate_round}
        timed = common.alternate(rounds, args.rounds, say_rounds=True)
        time.sleep(args.settle)  # anything arriving late (a duplicate, an error) shows up too
        cpu = clock.spent()
        problems = pilotgate.log_problems() + bare.log_problems()
        fake_saw = fake.ask("stats")
        return Result(
            args, db.kind, db.description, shape, seed_seconds, timed, fake_saw, problems, cpu
        )


if __name__ == "__main__":
    parser = common.argument_parser(
        "bench.ack", "pilotgate's /pilot ack latency against a bare Bolt app, in one run."
    )
    parser.add_argument("--pilots", type=int, default=10_000)
    parser.add_argument("--owners", type=int, default=1_000)
    parser.add_argument("--sponsors", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=2_000, help="measured, per target")
    parser.add_argument("--warmup", type=int, default=200, help="per target")
    parser.add_argument("--update-share", type=float, default=0.5)
    parser.add_argument("--register-share", type=float, default=0.0, help="share of `new`")
    parser.add_argument(
        "--drain-timeout", type=float, default=120.0, help="seconds to wait for follow-ups"
    )
    parser.add_argument("--settle", type=float, default=2.0, help=argparse.SUPPRESS)
    parser.add_argument("--keep-logs", type=Path, metavar="DIR", help="copy the logs to DIR")
    raise SystemExit(common.main(parser, lambda args: report(run(args))))
