"""1,000 DMs through the scheduler against a fake Slack that enforces Slack's posting limits.

    python -m bench.delivery                     # SQLite in a temporary directory
    python -m bench.delivery --database-url postgresql://user:pw@host/postgres
    python -m bench.delivery --latency 0.15      # every chat.postMessage also takes 150 ms
    python -m bench.delivery --record            # also write the figures to docs/benchmarks.md

The fake Slack allows one message per second per channel and 600 a minute per workspace and
answers 429 with a true Retry-After beyond that. One run seeds 1,000 pilots in one workspace,
each with an owner of its own whose weekly reading fell due (one DM each), registers the
owners in the fake Slack (in Berlin, London or UTC: inside working hours at `now`), and runs
the real scheduler, `tick(sessions, SlackTransport(client), now)`, until nothing is pending.
The client is a real slack_sdk WebClient with the retry handlers pilotgate uses. `now` moves
on only when the outbox backs a message off; the rate is measured on the wall clock.

The references, measured in the same run: the rate the fake allows (600 a minute), the
fastest schedule its 60 s window allows for 1,000 messages (600 at once, the rest 60 s
later), and a bare sender (a loop of chat.postMessage calls through the same client against
a fresh fake with the same limits). The run exits 0 whether or not the target is met; only a
lost or repeated message makes it exit 1.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import sys
import time
from collections import Counter
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import IO

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bench.tick import (
    DOC,
    NOW,
    ROOT,
    TITLES,
    Shape,
    copies,
    machine,
    markdown_table,
    print_table,
    record_section,
    say,
    seed,
    verdict,
)
from bot.scheduler.runner import tick
from bot.scheduler.transport import MARKER_EVENT, SlackTransport
from storage import outbox
from storage.models import Notification
from tests.fakeslack import FAKE_BOT_TOKEN, Call, FakeSlack

POST = "chat.postMessage"
PER_CHANNEL_PER_SECOND = 1
PER_TEAM_PER_MINUTE = 600
RATE_TARGET = 0.8
MAX_PASSES = 200


class MeasuredRateLimitHandler(RateLimitErrorRetryHandler):
    """slack_sdk's handler (sleeps Retry-After plus up to 1 s of jitter), timing its sleeps."""

    def __init__(self, max_retry_count: int) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.sleeps: list[tuple[float, float]] = []  # (start, end) on time.monotonic

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        started = time.monotonic()
        super().prepare_for_next_attempt(
            state=state, request=request, response=response, error=error
        )
        self.sleeps.append((started, time.monotonic()))


def client(fake: FakeSlack, retries: int, handler: MeasuredRateLimitHandler) -> WebClient:
    """What `fake.client()` builds (and bot.slack.client for Slack), with a measured
    rate-limit handler in the same place of the same list."""
    return WebClient(
        token=FAKE_BOT_TOKEN,
        base_url=fake.api_url,
        timeout=10,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=retries),
            handler,
            ServerErrorRetryHandler(max_retry_count=retries),
        ],
    )


def limited_fake(shape: Shape, latency: float) -> FakeSlack:
    fake = FakeSlack(team_id=shape.team(1))
    for team, user, zone in shape.due_owners():
        fake.add_user(user, team_id=team, tz=zone)
    fake.rate_limit(
        per_channel_per_second=PER_CHANNEL_PER_SECOND, per_team_per_minute=PER_TEAM_PER_MINUTE
    )
    if latency > 0:
        fake.slow(POST, latency, times=None)
    return fake


# -- what the fake saw ------------------------------------------------------------------------


@dataclass
class Traffic:
    """chat.postMessage as the fake Slack saw it."""

    calls: int
    accepted: int
    first: float  # seconds from the start of the run to the first accepted post
    rate_limited: int
    other_failures: int
    first_to_last: float  # seconds from the first accepted post to the last
    at_600: float | None  # seconds from the first accepted post to the 600th
    longest_gap: float
    busiest_minute: int  # most posts accepted in any 60 s
    markers: Counter[str]
    users_info: int
    refused: list[str]

    @property
    def post_rate(self) -> float:
        """Accepted posts a minute between the first and the last."""
        return (self.accepted - 1) / self.first_to_last * 60 if self.first_to_last else 0.0

    @classmethod
    def of(cls, fake: FakeSlack, started: float) -> Traffic:
        """`started`: when the run began, on the fake's clock (time.monotonic)."""
        calls = fake.calls(POST)
        accepted = [c for c in calls if c.ok]
        stamps = sorted(c.at for c in accepted)
        gaps = [b - a for a, b in itertools.pairwise(stamps)]
        return cls(
            calls=len(calls),
            accepted=len(accepted),
            first=stamps[0] - started if stamps else 0.0,
            rate_limited=sum(1 for c in calls if c.status == 429),
            other_failures=sum(1 for c in calls if not c.ok and c.status != 429),
            first_to_last=stamps[-1] - stamps[0] if stamps else 0.0,
            at_600=stamps[PER_TEAM_PER_MINUTE - 1] - stamps[0]
            if len(stamps) >= PER_TEAM_PER_MINUTE
            else None,
            longest_gap=max(gaps, default=0.0),
            busiest_minute=_busiest(stamps, 60.0),
            markers=Counter(_marker(c) for c in accepted),
            users_info=len(fake.calls("users.info")),
            refused=fake.errors,
        )


def _marker(call: Call) -> str:
    metadata = call.json("metadata") if "metadata" in call.args else {}
    if not isinstance(metadata, dict) or metadata.get("event_type") != MARKER_EVENT:
        return ""
    return str(metadata["event_payload"]["id"])


def _busiest(stamps: Sequence[float], window: float) -> int:
    best, start = 0, 0
    for end, stamp in enumerate(stamps):
        while stamps[start] <= stamp - window:
            start += 1
        best = max(best, end - start + 1)
    return best


# -- the runs ---------------------------------------------------------------------------------


@dataclass
class Run:
    """One sender delivering `messages` messages."""

    sender: str
    messages: int
    wall: float
    traffic: Traffic
    sleeps: list[tuple[float, float]]
    passes: int = 1
    simulated: timedelta = timedelta(0)
    outcomes: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    lost: int = 0
    duplicates: int = 0

    @property
    def delivered(self) -> int:
        return self.traffic.accepted

    @property
    def per_minute(self) -> float:
        return self.delivered / self.wall * 60 if self.wall else 0.0

    @property
    def ratio(self) -> float:
        return self.per_minute / PER_TEAM_PER_MINUTE

    @property
    def asleep(self) -> float:
        """Wall time during which some sender slept in the retry handler (overlaps once)."""
        total, reached = 0.0, float("-inf")
        for start, end in sorted(self.sleeps):
            if end > reached:
                total += end - max(start, reached)
                reached = end
        return total

    @property
    def longest_sleep(self) -> float:
        return max((end - start for start, end in self.sleeps), default=0.0)

    @property
    def service_ms(self) -> float:
        """Wall time per post outside the retry handler's sleeps."""
        return (self.wall - self.asleep) / max(1, self.traffic.calls) * 1000


def fastest_allowed(messages: int) -> float:
    """Seconds from the first post to the last on the fastest schedule the fake's window
    allows for `messages` DMs to distinct people: 600 at once, the next 600 a minute later."""
    return ((messages - 1) // PER_TEAM_PER_MINUTE) * 60.0


def open_rows(sessions: sessionmaker[Session]) -> list[Notification]:
    with sessions() as session:
        return list(
            session.scalars(
                select(Notification).where(
                    Notification.status.in_((outbox.PENDING, outbox.SENDING))
                )
            )
        )


def statuses(sessions: sessionmaker[Session]) -> dict[str, int]:
    with sessions() as session:
        rows = session.execute(
            select(Notification.status, func.count()).group_by(Notification.status)
        ).all()
    return {str(status): int(count) for status, count in rows}


def sent_ids(sessions: sessionmaker[Session]) -> set[str]:
    with sessions() as session:
        ids = session.scalars(select(Notification.id).where(Notification.status == outbox.SENT))
        return {f"{id_}:0" for id_ in ids}


def run_pilotgate(sessions: sessionmaker[Session], shape: Shape, args: argparse.Namespace) -> Run:
    """Ticks until the outbox is empty: the first tick plans the 1,000 DMs (asking users.info
    for the owners' time zones, as a tick does) and starts delivering them."""
    with limited_fake(shape, args.latency) as fake:
        handler = MeasuredRateLimitHandler(args.retries)
        transport = SlackTransport(client(fake, args.retries, handler))
        gc.collect()
        outcomes: Counter[str] = Counter()
        at = NOW
        passes = recorded = 0
        started = time.monotonic()  # the fake Slack stamps calls on this clock too
        while passes < MAX_PASSES:
            passes += 1
            result = tick(sessions, transport, at)
            delivery = result.delivery
            recorded += result.plan.recorded
            outcomes.update(
                sent=delivery.sent, retrying=delivery.retrying, failed=delivery.failed,
                postponed=delivery.postponed, cancelled=delivery.cancelled,
            )  # fmt: skip
            waiting = [row.not_before for row in open_rows(sessions)]
            if not waiting:
                break
            # Jump to when the outbox will next try (after a backoff, after working hours).
            at = max(at + timedelta(seconds=1), min(waiting))
        wall = time.monotonic() - started
        traffic = Traffic.of(fake, started)
    sent = sent_ids(sessions)
    return Run(
        sender="pilotgate",
        messages=recorded,
        wall=wall,
        traffic=traffic,
        sleeps=handler.sleeps,
        passes=passes,
        simulated=at - NOW,
        outcomes=dict(outcomes),
        statuses=statuses(sessions),
        lost=recorded - len(sent & set(traffic.markers)),
        duplicates=sum(1 for count in traffic.markers.values() if count > 1),
    )


def run_bare(shape: Shape, args: argparse.Namespace) -> Run:
    """The reference sender: the same client posts one plain DM per person, in a loop."""
    users = [user for _, user, _ in shape.due_owners()]
    with limited_fake(shape, args.latency) as fake:
        handler = MeasuredRateLimitHandler(args.retries)
        web = client(fake, args.retries, handler)
        failures = 0
        started = time.monotonic()
        for index, user in enumerate(users):
            metadata = {"event_type": MARKER_EVENT, "event_payload": {"id": f"bare-{index}"}}
            try:
                web.chat_postMessage(channel=user, text="A reading is due.", metadata=metadata)
            except SlackApiError:  # counted, not retried: the reference is a bare loop
                failures += 1
        wall = time.monotonic() - started
        traffic = Traffic.of(fake, started)
    return Run(
        sender="bare loop",
        messages=len(users),
        wall=wall,
        traffic=traffic,
        sleeps=handler.sleeps,
        lost=failures,
        duplicates=sum(1 for count in traffic.markers.values() if count > 1),
    )


@dataclass
class Result:
    when: date
    kind: str
    description: str
    retries: int
    latency: float
    seed_seconds: float
    pilotgate: Run
    bare: Run | None

    @property
    def met(self) -> bool:
        return self.pilotgate.ratio >= RATE_TARGET and self.clean

    @property
    def clean(self) -> bool:
        run = self.pilotgate
        return run.lost == 0 and run.duplicates == 0 and run.delivered == run.messages


def run(args: argparse.Namespace) -> Result:
    shape = Shape(args.people, args.people, teams=1)
    with ExitStack() as stack:
        found = stack.enter_context(copies(args.database_url))
        say(f"seeding {shape.label} due pilots with distinct owners into {found.description}")
        seed_seconds = seed(found.seed_url(shape), shape, cache_people=False)
        sessions = found.refresh(shape)
        say(f"delivering through pilotgate's scheduler (retries={args.retries})")
        pilotgate = run_pilotgate(sessions, shape, args)
        say(f"  {pilotgate.delivered} delivered in {pilotgate.wall:.1f} s")
        bare = None
        if args.reference:
            say("delivering through a bare loop of chat.postMessage calls")
            bare = run_bare(shape, args)
            say(f"  {bare.delivered} delivered in {bare.wall:.1f} s")
    return Result(
        when=datetime.now(UTC).date(),
        kind=found.kind,
        description=found.description,
        retries=args.retries,
        latency=args.latency,
        seed_seconds=seed_seconds,
        pilotgate=pilotgate,
        bare=bare,
    )


# -- reporting --------------------------------------------------------------------------------


def table(result: Result) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = [
        ("sender", "delivered", "wall", "per minute", "vs 600/min", "429s", "asleep in 429s",
         "per post awake", "twice", "lost")
    ]  # fmt: skip
    for run_ in (result.pilotgate, result.bare):
        if run_ is None:
            continue
        rows.append(
            (
                run_.sender,
                f"{run_.delivered:,} of {run_.messages:,}",
                f"{run_.wall:.1f} s",
                f"{run_.per_minute:,.0f}",
                f"{run_.ratio:.2f}",
                f"{run_.traffic.rate_limited:,}",
                f"{run_.asleep:.1f} s",
                f"{run_.service_ms:.1f} ms",
                f"{run_.duplicates}",
                f"{run_.lost}",
            )
        )
    return rows


def findings(result: Result) -> list[str]:
    run_ = result.pilotgate
    traffic = run_.traffic
    best = fastest_allowed(run_.messages)
    lines = [
        f"Achieved {run_.per_minute:,.0f} DMs a minute on the wall clock, "
        f"{run_.ratio:.2f} of the allowed {PER_TEAM_PER_MINUTE}/min "
        f"(target >= {RATE_TARGET:.0%}, none lost, none twice: {verdict(result.met)}).",
        f"The fake's window allows 600 at once and the rest 60 s later: the fastest schedule "
        f"for {run_.messages:,} spans {best:.0f} s; pilotgate's first-to-last post took "
        f"{traffic.first_to_last:.1f} s ({best / max(traffic.first_to_last, 1e-9):.2f} of that "
        f"best), "
        f"the 600th came {_seconds(traffic.at_600)} after the first, the longest pause was "
        f"{traffic.longest_gap:.1f} s, and no 60 s held more than {traffic.busiest_minute} "
        f"accepted posts.",
        f"429s: {traffic.rate_limited} answered, each waited out inside slack_sdk's "
        f"RateLimitErrorRetryHandler (Retry-After plus up to 1 s of jitter; "
        f"{len(run_.sleeps)} sleeps, {run_.asleep:.1f} s in all, longest "
        f"{run_.longest_sleep:.1f} s); {run_.outcomes.get('retrying', 0)} messages "
        f"went back to the outbox for a later pass, {run_.outcomes.get('failed', 0)} failed.",
        f"Outside those sleeps the run spent {run_.service_ms:.1f} ms of wall time per post "
        f"(planning, rendering, the database, users.info for first-time recipients "
        f"({traffic.users_info} calls), the post itself).",
        f"Outbox afterwards: {_statuses(run_.statuses)}; {run_.passes} tick(s), simulated "
        f"clock moved {run_.simulated.total_seconds():.0f} s. Markers seen twice: "
        f"{run_.duplicates}; outbox rows not delivered: {run_.lost}.",
        f"The first DM went out {traffic.first:.1f} s after the first tick began (planning "
        f"all {run_.messages:,}, users.info included); from the first accepted post to the "
        f"last the rate was {traffic.post_rate:,.0f}/min.",
    ]
    if result.bare is not None:
        bare = result.bare
        lines.append(
            f"Reference, a bare loop through the same client: {bare.per_minute:,.0f}/min "
            f"({bare.ratio:.2f} of 600/min) in {bare.wall:.1f} s, {bare.traffic.rate_limited} "
            f"429s, {bare.service_ms:.1f} ms per call outside sleeps; pilotgate's rate is "
            f"{run_.per_minute / bare.per_minute:.2f} of it."
        )
    if traffic.refused:
        lines.append(f"The fake Slack refused {len(traffic.refused)} calls: {traffic.refused[:3]}")
    return lines


def _seconds(value: float | None) -> str:
    return "never" if value is None else f"{value:.1f} s"


def _statuses(counts: dict[str, int]) -> str:
    return ", ".join(f"{count:,} {status}" for status, count in sorted(counts.items()))


def conditions(result: Result) -> str:
    latency = f", plus {result.latency * 1000:.0f} ms per post" if result.latency else ""
    return (
        f"{result.pilotgate.messages:,} DMs to distinct people; fake Slack at "
        f"{PER_CHANNEL_PER_SECOND}/s per channel and {PER_TEAM_PER_MINUTE}/min per "
        f"workspace{latency}; slack_sdk retries={result.retries}; {result.description}"
    )


def print_report(result: Result, out: IO[str]) -> None:
    print(f"\ndelivery under Slack's limits: {conditions(result)}", file=out)
    print(f"machine: {machine()}\n", file=out)
    print_table(table(result), out)
    print(file=out)
    for line in findings(result):
        print(line, file=out)


def markdown(result: Result) -> str:
    latency = f", {result.latency * 1000:.0f} ms per post" if result.latency else ""
    lines = [
        f"### {TITLES[result.kind]}{latency} ({result.when.isoformat()})",
        "",
        f"- Machine: {machine([result.description])}.",
        f"- {conditions(result)}; seeded in {result.seed_seconds:.1f} s.",
        "",
        *markdown_table(table(result)),
        "",
        *(f"- {line}" for line in findings(result)),
    ]
    return "\n".join(lines) + "\n"


CHAPTER = "bench.delivery"
INTRO = """## Delivery under Slack's rate limits (`bench/delivery.py`)

Reproduce, from the repository root:

    python -m bench.delivery               # SQLite in a temporary file
    python -m bench.delivery --database-url postgresql://USER:PASSWORD@HOST/postgres
    python -m bench.delivery --latency 0.15   # every post also takes 150 ms, as over a WAN
    python -m bench.delivery --record      # also replaces the matching section below

The fake Slack allows one message per second per channel and 600 a minute per workspace (a
sliding 60 s window) and answers 429 with a true `Retry-After` beyond that. The run seeds
1,000 pilots in one workspace, each with an owner of its own whose weekly reading fell due,
registers the owners in the fake Slack (Berlin, London or UTC, all inside working hours at
`now`, a Tuesday at 10:00 UTC; their time zones are not cached, so the scheduler asks
users.info), then runs `tick()` with `SlackTransport` over a real slack_sdk client with the
retry handlers and counts pilotgate uses (`retries=2`) until nothing is pending. The rate is
measured on the wall clock from the start of the first tick (which plans the 1,000 DMs) to
the end of the last; the scheduler's own clock moves on only when the outbox backs a message
off. Exactly-once is counted at the fake Slack from the outbox marker in each accepted post's
metadata. The references, in the same run: the
allowed 600/min, the fastest schedule the window allows for 1,000 messages (600 at once, the
rest a minute later: 60 s from first to last), and a bare loop of `chat.postMessage` calls
through the same client against a fresh fake with the same limits.

Target from the issue: 1,000 DMs to distinct people delivered at 80 % or more of the allowed
rate, none lost, none twice.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.delivery",
        description="1,000 DMs through the scheduler against a rate-limited fake Slack.",
    )
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server to create throwaway databases on (default: SQLite, temporary)",
    )
    parser.add_argument("--record", action="store_true", help="write docs/benchmarks.md")
    parser.add_argument("--people", type=int, default=1_000, help="DMs, one per person")
    parser.add_argument("--retries", type=int, default=2, help="slack_sdk retries per handler")
    parser.add_argument(
        "--latency", type=float, default=0.0, help="seconds the fake takes over every post"
    )
    parser.add_argument(
        "--no-reference", dest="reference", action="store_false", help="skip the bare loop"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result = run(args)
    print_report(result, sys.stdout)
    if args.record:
        key = result.kind + (f"-latency-{result.latency * 1000:.0f}ms" if result.latency else "")
        record_section(CHAPTER, INTRO, key, markdown(result))
        say(f"recorded in {DOC.relative_to(ROOT)}")
    # A slow rate is a finding, not a failure; a lost or repeated message is.
    return 0 if result.clean else 1


if __name__ == "__main__":
    raise SystemExit(main())
