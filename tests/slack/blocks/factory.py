"""Realistic pilots for the block tests, and the checks every surface must pass.

Reports are built the way services build them, with `assess` over plain facts, so the
verdicts and gaps are the real ones; no database is needed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.governance.facts import DecisionRecord
from bot.governance.facts import EvaluationRun
from bot.governance.facts import EvidenceLinks
from bot.governance.facts import Guardrail
from bot.governance.facts import Measurement
from bot.governance.facts import PilotFacts
from bot.governance.readiness import assess
from bot.governance.vocabulary import Better
from bot.governance.vocabulary import Cadence
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole
from bot.governance.vocabulary import Stage
from bot.services.pilots import PilotReport
from bot.slack.blocks.common import MAX_MESSAGE_BLOCKS
from bot.slack.blocks.common import MAX_VIEW_BLOCKS
from bot.slack.ids import INPUT

NOW = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)  # a Monday
UTC_ZONE = ZoneInfo("UTC")
TEAM = "T0PILOT"
OWNER = "U0ANN"
SPONSOR = "U0SPO"
ACCOUNTABLE = "U0ACC"
HOSTILE = "<!channel> & <script>"


def ago(**delta: float) -> datetime:
    return NOW - timedelta(**delta)


def full_raci(user: str = ACCOUNTABLE) -> dict[RaciArea, dict[RaciRole, tuple[str, ...]]]:
    return {area: {RaciRole.ACCOUNTABLE: (user,)} for area in RaciArea}


# Support reply drafting: 14-minute baseline, threshold 9.8 (30% down), now at 9. Every check
# passes, so its verdict is Go. The tests' one ready pilot: the readiness table starts from it
# too, and the reminder rules take its full_raci, rather than keeping copies of their own.
READY = PilotFacts(
    key="P-3",
    name="Support drafting",
    registered_at=datetime(2026, 9, 1, 9, 0, tzinfo=UTC),
    owner=OWNER,
    sponsor=SPONSOR,
    metric_name="handle time",
    unit="min",
    better=Better.LOWER,
    threshold=9.8,
    cadence=Cadence.WEEKLY,
    decide_by=date(2026, 12, 15),
    workflow="Zendesk",
    evaluations=(EvaluationRun(96, 150, datetime(2026, 9, 20, 9, 0, tzinfo=UTC)),),
    eval_bar=95,
    monitoring="quality dashboard",
    rollback=True,
    cost_per_unit=0.4,
    value_per_unit=6.5,
    volume=40_000,
    first_baseline=Measurement(14, datetime(2026, 9, 2, 9, 0, tzinfo=UTC)),
    baseline=Measurement(14, datetime(2026, 9, 2, 9, 0, tzinfo=UTC)),
    first_reading=Measurement(13.5, datetime(2026, 9, 9, 9, 0, tzinfo=UTC)),
    latest_reading=Measurement(9, ago(days=3)),
    raci=full_raci(),
)

# Registered last week with only a name and an owner: Not ready, with most gaps open.
FRESH = PilotFacts(
    key="P-7",
    name="Invoice matching",
    registered_at=ago(days=6),
    owner=OWNER,
)

# No reading for three weeks on a weekly cadence: Stalled.
STALLED = replace(
    READY,
    key="P-9",
    name="Contract review",
    first_reading=Measurement(13, ago(days=30)),
    latest_reading=Measurement(12, ago(days=21)),
)

# The decide-by date passed and the latest reading does not clear the threshold: No-go.
NO_GO = replace(
    READY,
    key="P-11",
    name="Sales email drafts",
    decide_by=date(2026, 11, 1),
    latest_reading=Measurement(12.5, ago(days=2)),
)

# READY with three guardrails, each read this week within its limit, and its evidence links:
# still Go.
LINKS = EvidenceLinks(
    eval_report="https://wiki.example.com/evals/support-drafting?run=12&set=150",
    dashboard="https://grafana.example.com/d/support-drafting",
    runbook="https://wiki.example.com/runbooks/support-drafting-rollback",
)
RAILS = (
    Guardrail("errors", Better.LOWER, 2, "%", Measurement(1.8, ago(days=2))),
    Guardrail("p-95-latency", Better.LOWER, 2, "s", Measurement(1.4, ago(days=2))),
    Guardrail("csat", Better.HIGHER, 4.2, "stars", Measurement(4.5, ago(days=2))),
)
GUARDED = replace(READY, guardrails=RAILS, links=LINKS)


def rails_with(**readings: Measurement | None) -> tuple[Guardrail, ...]:
    """RAILS with the latest reading of some replaced (`csat=None`: never read)."""
    return tuple(
        replace(rail, latest=readings[rail.name.replace("-", "_")])
        if rail.name.replace("-", "_") in readings
        else rail
        for rail in RAILS
    )


def report_of(
    facts: PilotFacts,
    *,
    stage: Stage = Stage.PILOTING,
    warnings: Sequence[str] = (),
    now: datetime = NOW,
) -> PilotReport:
    return PilotReport(
        team_id=TEAM,
        facts=facts,
        stage=stage,
        assessment=assess(facts, now),
        warnings=tuple(warnings),
    )


def decided(facts: PilotFacts, decision: Decision) -> PilotFacts:
    return replace(
        facts,
        latest_decision=DecisionRecord(decision, SPONSOR, ago(days=1), "numbers are in"),
    )


def extended(facts: PilotFacts, until: date) -> PilotFacts:
    """`facts` whose latest decision is an extension to `until`, as services record it."""
    record = facts.latest_decision or DecisionRecord(
        Decision.EXTEND, SPONSOR, ago(days=1), "more data"
    )
    return replace(
        facts,
        decide_by=until,
        latest_decision=replace(record, decision=Decision.EXTEND, until=until),
    )


# Eight guardrails with long names, the last read outside its limit: the most a careful team
# would set, and what makes a line longest.
# READY after a final decision. STOPPED is the case people saw: a pilot whose verdict was
# Go when the sponsor stopped it.
STOPPED = report_of(decided(READY, Decision.NO_GO), stage=Stage.STOPPED)
APPROVED = report_of(decided(READY, Decision.GO), stage=Stage.APPROVED)

MANY_RAILS = tuple(
    Guardrail(f"escalations-to-tier-two-{n}", Better.LOWER, 2, "per 100 tickets",
              Measurement(2.5 if n == 8 else 1.5, ago(days=2)))
    for n in range(1, 9)
)  # fmt: skip


def portfolio(count: int) -> list[PilotReport]:
    """`count` pilots of every verdict, some with 200-character names full of markup, every
    third with guardrails and evidence links (eight, one outside its limit, unless Go)."""
    kinds = (READY, FRESH, STALLED, NO_GO)
    reports = []
    for number in range(1, count + 1):
        base = kinds[number % len(kinds)]
        name = f"{base.name} {number}"
        if number % 7 == 0:
            name = (f"{HOSTILE} {number} " * 20)[:200]
        if number % 3 == 0:
            rails = RAILS if base is READY else MANY_RAILS
            base = replace(base, guardrails=rails, links=LINKS)
        reports.append(report_of(replace(base, key=f"P-{number}", name=name)))
    return reports


# ---- what every surface must satisfy -----------------------------------------------------

_LIVE_MARKUP = re.compile(r"<[^>]*>")
# A user mention, or an evidence link as bot.slack.blocks.evidence builds it.
_ALLOWED_MARKUP = re.compile(
    r"^<@[UW][A-Z0-9]+>$|^<https://[\x21-\x7b\x7d\x7e]+\|(eval report|dashboard|runbook)>$"
)


def texts_of(node: Any, kind: str) -> Iterator[str]:
    """Every text of text objects of `kind` (`mrkdwn` or `plain_text`) anywhere in `node`."""
    if isinstance(node, dict):
        if node.get("type") == kind and isinstance(node.get("text"), str):
            yield node["text"]
        for value in node.values():
            yield from texts_of(value, kind)
    elif isinstance(node, list):
        for value in node:
            yield from texts_of(value, kind)


def elements_of(node: Any, kind: str) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get("type") == kind:
            yield node
        for value in node.values():
            yield from elements_of(value, kind)
    elif isinstance(node, list):
        for value in node:
            yield from elements_of(value, kind)


def all_mrkdwn(blocks: Sequence[dict[str, Any]]) -> str:
    return "\n".join(texts_of(list(blocks), "mrkdwn"))


def check_blocks(blocks: Sequence[dict[str, Any]], max_blocks: int = MAX_MESSAGE_BLOCKS) -> None:
    """Slack's limits, no live markup but user mentions, and slack_sdk's own validation."""
    assert 0 < len(blocks) <= max_blocks
    for block in blocks:
        if block["type"] == "section" and "text" in block:
            assert len(block["text"]["text"]) <= 3000
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
        for text in texts_of(block, "mrkdwn"):
            assert 0 < len(text) <= 3000
            for markup in _LIVE_MARKUP.findall(text):
                assert _ALLOWED_MARKUP.match(markup), markup
        for element in elements_of(block, "button"):
            assert len(element["text"]["text"]) <= 75
            assert len(element["value"]) <= 2000
        # slack_sdk validates lengths on to_dict(); equality shows no key was dropped.
        assert Block.parse(block).to_dict() == block  # type: ignore[union-attr]


def check_view(view: dict[str, Any]) -> None:
    check_blocks(view["blocks"], MAX_VIEW_BLOCKS)
    assert View(**view).to_dict() == view


def inputs_of(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A modal's input blocks by block id, in order."""
    return {block["block_id"]: block for block in view["blocks"] if block["type"] == "input"}


def input_kinds(found: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Each input's element type, once every input is checked to answer under INPUT."""
    assert all(block["element"]["action_id"] == INPUT for block in found.values())
    return {block_id: block["element"]["type"] for block_id, block in found.items()}
