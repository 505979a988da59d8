"""1,000 DMs through the scheduler against a fake Slack that enforces Slack's posting limits,
next to a bare loop of posts in the same run. What it does and why: docs/benchmarks.md.

    python -m bench.delivery [--database-url postgresql://...] [--latency 0.15] [--record]
"""

from __future__ import annotations

import argparse
import gc
import itertools
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from bench import common
from bench.common import verdict
from bench.seeding import Databases
from bench.seeding import Portfolio
from bench.seeding import seed
from bench.tick import NOW
from bot.scheduler.runner import tick
from bot.scheduler.transport import MARKER_EVENT
from bot.scheduler.transport import SlackTransport
from storage import outbox
from storage.models import Notification
from tests.fakeslack import Call
from tests.fakeslack import FakeSlack

POST = "chat.postMessage"
PER_CHANNEL_PER_SECOND = 1
PER_TEAM_PER_MINUTE = 600
RATE_TARGET = 0.8
MAX_PASSES = 200
HEADER: tuple[str, ...] = ("sender", "delivered", "wall", "per minute", "vs 600/min", "429s",
                           "asleep in 429s", "per post awake", "twice", "lost")  # fmt: skip


class MeasuredRateLimitHandler(RateLimitErrorRetryHandler):
    """slack_sdk's handler (sleeps Retry-After plus up to 1 s of jitter), timing its sleeps."""

    def __init__(self, max_retry_count: int) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.sleeps: list[tuple[float, float]] = []  # (start, end) on time.monotonic

    def prepare_for_next_attempt(self, **kwargs: Any) -> None:
        started = time.monotonic()
        super().prepare_for_next_attempt(**kwargs)
        self.sleeps.append((started, time.monotonic()))


def limited_fake(shape: Portfolio, latency: float) -> FakeSlack:
    """In this process, not one of its own: the figures read every call it recorded."""
    fake = FakeSlack(team_id=shape.team(1))
    for team, user, zone in shape.due_owners():
        fake.add_user(user, team_id=team, tz=zone)
    fake.rate_limit(
        per_channel_per_second=PER_CHANNEL_PER_SECOND, per_team_per_minute=PER_TEAM_PER_MINUTE
    )
    if latency > 0:
        fake.slow(POST, latency, times=None)
    return fake


@dataclass
class Traffic:
    """chat.postMessage as the fake Slack saw it."""

    calls: int
    rate_limited: int
    stamps: list[float]  # when each accepted post arrived, in seconds from the run's start
    markers: Counter[str]  # the outbox marker of each accepted post
    users_info: int
    refused: list[str]

    @classmethod
    def of(cls, fake: FakeSlack, started: float) -> Traffic:
        """`started`: when the run began, on the fake's clock (time.monotonic)."""
        calls = fake.calls(POST)
        accepted = [c for c in calls if c.ok]
        return cls(
            calls=len(calls),
            rate_limited=sum(1 for c in calls if c.status == 429),
            stamps=sorted(c.at - started for c in accepted),
            markers=Counter(_marker(c) for c in accepted),
            users_info=len(fake.calls("users.info")),
            refused=fake.errors,
        )

    @property
    def accepted(self) -> int:
        return len(self.stamps)

    @property
    def duplicates(self) -> int:
        return sum(1 for count in self.markers.values() if count > 1)


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


@dataclass
class Run:
    """One sender delivering `messages` messages."""

    sender: str
    messages: int
    wall: float
    traffic: Traffic
    sleeps: list[tuple[float, float]]
    lost: int
    passes: int = 1
    simulated: timedelta = timedelta(0)
    outcomes: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)

    @property
    def per_minute(self) -> float:
        return self.traffic.accepted / self.wall * 60 if self.wall else 0.0

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
    def service_ms(self) -> float:
        """Wall time per post outside the retry handler's sleeps."""
        return (self.wall - self.asleep) / max(1, self.traffic.calls) * 1000

    @property
    def clean(self) -> bool:
        """None lost, none twice."""
        delivered, twice = self.traffic.accepted, self.traffic.duplicates
        return not self.lost and not twice and delivered == self.messages


def run_pilotgate(
    sessions: sessionmaker[Session], shape: Portfolio, args: argparse.Namespace
) -> Run:
    """Ticks until the outbox is empty: the first tick plans the 1,000 DMs (asking users.info
    for the owners' time zones, as a tick does) and starts delivering them."""
    with limited_fake(shape, args.latency) as fake:
        handler = MeasuredRateLimitHandler(args.retries)
        transport = SlackTransport(common.web_client(fake.api_url, args.retries, handler))
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
            with sessions() as session:
                still_open = Notification.status.in_((outbox.PENDING, outbox.SENDING))
                waiting = list(session.scalars(select(Notification.not_before).where(still_open)))
            if not waiting:
                break
            # Jump to when the outbox will next try (after a backoff, after working hours).
            at = max(at + timedelta(seconds=1), min(waiting))
        wall = time.monotonic() - started
        traffic = Traffic.of(fake, started)
    with sessions() as session:
        rows = session.execute(select(Notification.id, Notification.status)).all()
    sent = {f"{id_}:0" for id_, status in rows if status == outbox.SENT}
    return Run(
        sender="pilotgate",
        messages=recorded,
        wall=wall,
        traffic=traffic,
        sleeps=handler.sleeps,
        lost=recorded - len(sent & set(traffic.markers)),
        passes=passes,
        simulated=at - NOW,
        outcomes=outcomes,
        statuses=Counter(str(status) for _, status in rows),
    )


def run_bare(shape: Portfolio, args: argparse.Namespace) -> Run:
    """The reference sender: the same client posts one plain DM per person, in a loop."""
    users = [user for _, user, _ in shape.due_owners()]
    with limited_fake(shape, args.latency) as fake:
        handler = MeasuredRateLimitHandler(args.retries)
        web = common.web_client(fake.api_url, args.retries, handler)
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
    return Run("bare loop", len(users), wall, traffic, handler.sleeps, lost=failures)


def run(args: argparse.Namespace) -> common.Report:
    """pilotgate's scheduler, then the bare loop, each against a fresh fake Slack."""
    shape = Portfolio(args.people, owners=1, due=args.people)
    with Databases(args.database_url) as dbs:
        common.say(f"seeding {shape.label} due pilots with distinct owners into {dbs.description}")
        seed_seconds = seed(dbs.new(shape.database), shape.batches(NOW, cached=()))
        sessions = dbs.fresh(shape.database)
        common.say(f"delivering through pilotgate's scheduler (retries={args.retries})")
        pilotgate = run_pilotgate(sessions, shape, args)
        common.say(f"  {pilotgate.traffic.accepted} delivered in {pilotgate.wall:.1f} s")
        bare = None
        if args.reference:
            common.say("delivering through a bare loop of chat.postMessage calls")
            bare = run_bare(shape, args)
            common.say(f"  {bare.traffic.accepted} delivered in {bare.wall:.1f} s")
    latency = args.latency
    plus = f", plus {latency * 1000:.0f} ms per post" if latency else ""
    conditions = (
        f"{pilotgate.messages:,} DMs to distinct people; fake Slack at {PER_CHANNEL_PER_SECOND}/s "
        f"per channel and {PER_TEAM_PER_MINUTE}/min per workspace{plus}; slack_sdk "
        f"retries={args.retries}; {dbs.description}"
    )
    variant = (f"-latency-{latency * 1000:.0f}ms", f", {latency * 1000:.0f} ms per post")
    return common.Report(
        chapter="bench.delivery",
        kind=dbs.kind,
        variant=variant if latency else ("", ""),
        headline=f"delivery under Slack's limits: {conditions}",
        machine_notes=dbs.description,
        about=[f"{conditions}; seeded in {seed_seconds:.1f} s."],
        rows=table([pilotgate, bare] if bare else [pilotgate]),
        findings=findings(pilotgate, bare),
        # A slow rate is a finding, not a failure; a lost or repeated message is.
        exit_status=0 if pilotgate.clean else 1,
    )


def table(runs: Sequence[Run]) -> list[tuple[str, ...]]:
    rows = [HEADER]
    for run_ in runs:
        traffic = run_.traffic
        rows.append((
            run_.sender, f"{traffic.accepted:,} of {run_.messages:,}", f"{run_.wall:.1f} s",
            f"{run_.per_minute:,.0f}", f"{run_.per_minute / PER_TEAM_PER_MINUTE:.2f}",
            f"{traffic.rate_limited:,}", f"{run_.asleep:.1f} s", f"{run_.service_ms:.1f} ms",
            f"{traffic.duplicates}", f"{run_.lost}",
        ))  # fmt: skip
    return rows


def findings(run_: Run, bare: Run | None) -> list[str]:
    traffic, sleeps = run_.traffic, run_.sleeps
    ratio = run_.per_minute / PER_TEAM_PER_MINUTE
    # The fastest schedule the fake's window allows for distinct people: 600 at once, the
    # next 600 a minute later.
    best = ((run_.messages - 1) // PER_TEAM_PER_MINUTE) * 60.0
    stamps = traffic.stamps or [0.0]
    first_to_last = stamps[-1] - stamps[0]
    at_600 = "never"
    if traffic.accepted >= PER_TEAM_PER_MINUTE:
        at_600 = f"{stamps[PER_TEAM_PER_MINUTE - 1] - stamps[0]:.1f} s"
    longest_gap = max((b - a for a, b in itertools.pairwise(stamps)), default=0.0)
    post_rate = (traffic.accepted - 1) / first_to_last * 60 if first_to_last else 0
    statuses = ", ".join(f"{count:,} {status}" for status, count in sorted(run_.statuses.items()))
    lines = [
        f"Achieved {run_.per_minute:,.0f} DMs a minute on the wall clock, {ratio:.2f} of the "
        f"allowed {PER_TEAM_PER_MINUTE}/min (target >= {RATE_TARGET:.0%}, none lost, none "
        f"twice: {verdict(ratio >= RATE_TARGET and run_.clean)}).",
        f"The fake's window allows 600 at once and the rest 60 s later: the fastest schedule "
        f"for {run_.messages:,} spans {best:.0f} s; pilotgate's first-to-last post took "
        f"{first_to_last:.1f} s ({best / max(first_to_last, 1e-9):.2f} of that best), the "
        f"600th came {at_600} after the first, the longest pause was {longest_gap:.1f} s, and "
        f"no 60 s held more than {_busiest(traffic.stamps, 60.0)} accepted posts.",
        f"429s: {traffic.rate_limited} answered, each waited out inside slack_sdk's "
        f"RateLimitErrorRetryHandler (Retry-After plus up to 1 s of jitter; {len(sleeps)} "
        f"sleeps, {run_.asleep:.1f} s in all, longest "
        f"{max((end - start for start, end in sleeps), default=0.0):.1f} s); "
        f"{run_.outcomes['retrying']} messages went back to the outbox for a later pass, "
        f"{run_.outcomes['failed']} failed.",
        f"Outside those sleeps the run spent {run_.service_ms:.1f} ms of wall time per post "
        f"(planning, rendering, the database, users.info for first-time recipients "
        f"({traffic.users_info} calls), the post itself).",
        f"Outbox afterwards: {statuses}; {run_.passes} tick(s), simulated clock moved "
        f"{run_.simulated.total_seconds():.0f} s. Markers seen twice: {traffic.duplicates}; "
        f"outbox rows not delivered: {run_.lost}.",
        f"The first DM went out {stamps[0]:.1f} s after the first tick began (planning "
        f"all {run_.messages:,}, users.info included); from the first accepted post to the "
        f"last the rate was {post_rate:,.0f}/min.",
    ]
    if bare is not None:
        lines.append(
            f"Reference, a bare loop through the same client: {bare.per_minute:,.0f}/min "
            f"({bare.per_minute / PER_TEAM_PER_MINUTE:.2f} of 600/min) in {bare.wall:.1f} s, "
            f"{bare.traffic.rate_limited} 429s, {bare.service_ms:.1f} ms per call outside "
            f"sleeps; pilotgate's rate is {run_.per_minute / bare.per_minute:.2f} of it."
        )
    if traffic.refused:
        lines.append(f"The fake Slack refused {len(traffic.refused)} calls: {traffic.refused[:3]}")
    return lines


if __name__ == "__main__":
    parser = common.argument_parser(
        "bench.delivery", "1,000 DMs through the scheduler against a rate-limited fake Slack."
    )
    parser.add_argument("--people", type=int, default=1_000, help="DMs, one per person")
    parser.add_argument("--retries", type=int, default=2, help="slack_sdk retries per handler")
    parser.add_argument(
        "--latency", type=float, default=0.0, help="seconds the fake takes over every post"
    )
    parser.add_argument(
        "--no-reference", dest="reference", action="store_false", help="skip the bare loop"
    )
    raise SystemExit(common.main(parser, run))
