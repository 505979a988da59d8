"""The sponsor digest: one glance at verdicts, decisions waiting and money at stake."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from bot.governance.facts import PilotFacts
from bot.governance.vocabulary import Decision, Stage
from bot.services.pilots import PilotReport
from bot.slack.blocks.common import MAX_MESSAGE_BLOCKS
from bot.slack.blocks.digest import MAX_MESSAGE_TEXT, block_text, digest_line, digest_messages
from tests.slack.blocks.factory import (
    FRESH,
    NO_GO,
    NOW,
    READY,
    STALLED,
    UTC_ZONE,
    all_mrkdwn,
    check_blocks,
    decided,
    portfolio,
    report_of,
)

_HEADING = re.compile(r"^\*(Ready for a go decision|Decision overdue|Stalled|Not ready)\*")
_KEY = re.compile(r"^\*(P-\d+)\*")


def numbered(*facts: PilotFacts) -> list[PilotReport]:
    return [report_of(replace(f, key=f"P-{n}")) for n, f in enumerate(facts, 1)]


def digest(reports: list[PilotReport]) -> list[dict[str, Any]]:
    messages = digest_messages(reports, NOW, UTC_ZONE)
    for message in messages:
        check_blocks(message["blocks"])
        assert len(message["blocks"]) <= MAX_MESSAGE_BLOCKS
        assert len(block_text(message["blocks"])) <= MAX_MESSAGE_TEXT
        assert message["text"]
        assert "\n" not in message["text"]
    return messages


def listed(messages: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(section, key) for every pilot line, in reading order across all messages."""
    rows = []
    heading = ""
    for message in messages:
        for line in all_mrkdwn(message["blocks"]).split("\n"):
            if found := _HEADING.match(line):
                heading = found.group(1)
            elif found := _KEY.match(line):
                rows.append((heading, found.group(1)))
    return rows


def test_an_empty_portfolio_is_one_short_message() -> None:
    messages = digest([])
    assert len(messages) == 1
    blocks = messages[0]["blocks"]
    assert blocks[0]["text"]["text"] == "Pilot portfolio: 2026-11-16"
    assert len(blocks) == 2
    assert "No pilots in this workspace yet" in all_mrkdwn(blocks)


def test_sections_come_in_order_with_one_line_per_pilot() -> None:
    reports = numbered(FRESH, STALLED, NO_GO, READY, FRESH, READY)
    messages = digest(reports)
    assert len(messages) == 1
    blocks = messages[0]["blocks"]
    assert blocks[0]["text"]["text"] == "Pilot portfolio: 2026-11-16"
    text = all_mrkdwn(blocks)
    assert "*6 pilots*: 2 Go · 2 Not ready · 1 No-go · 1 Stalled" in text
    headings = [line for line in text.split("\n") if _HEADING.match(line)]
    assert headings == [
        "*Ready for a go decision* (2)",
        "*Decision overdue* (1)",
        "*Stalled* (1)",
        "*Not ready* (2)",
    ]
    assert listed(messages) == [
        ("Ready for a go decision", "P-4"),
        ("Ready for a go decision", "P-6"),
        ("Decision overdue", "P-3"),
        ("Stalled", "P-2"),
        ("Not ready", "P-1"),
        ("Not ready", "P-5"),
    ]
    assert "Continued in the thread" not in text


def test_a_line_shows_key_verdict_metric_owner_and_what_is_next() -> None:
    assert digest_line(report_of(READY), NOW, UTC_ZONE) == (
        "*P-3* Support drafting — 🟢 Go · 9 min (base 14, go ≤ 9.8) · <@U0ANN> · "
        "decide by 2026-12-15 (in 29 days)"
    )
    assert digest_line(report_of(FRESH), NOW, UTC_ZONE) == (
        "*P-7* Invoice matching — 🟡 Not ready · no metric yet · <@U0ANN> · No sponsor (+9 more)"
    )
    stalled = digest_line(report_of(replace(STALLED, owner=None)), NOW, UTC_ZONE)
    assert stalled.startswith("*P-9* Contract review — ⏸️ Stalled · 12 min (base 14, go ≤ 9.8)")
    # The missing owner shows once, in the owner's place; the top gap is the next one.
    assert stalled.endswith(
        "· no owner · Latest reading is from 2026-10-26, older than the weekly cadence (+2 more)"
    )
    overdue = digest_line(report_of(NO_GO), NOW, UTC_ZONE)
    assert "decide by 2026-11-01 (passed 15 days ago)" in overdue
    assert "\n" not in overdue


def test_the_value_waiting_on_decisions_adds_up_ready_and_overdue_pilots() -> None:
    # Ready (P-2) and overdue (P-3) each net (6.5 - 0.4) * 40,000 = 244,000 a month; the
    # stalled pilot's value is not waiting on a decision, and a loss is not value.
    losing = replace(NO_GO, cost_per_unit=9.0)
    text = all_mrkdwn(digest(numbered(STALLED, READY, NO_GO, losing, FRESH))[0]["blocks"])
    assert "💰 *$488,000 a month* of value waits on decisions (2 pilots at full scale)" in text
    assert "waits on decisions" not in all_mrkdwn(digest(numbered(STALLED, FRESH))[0]["blocks"])


def test_pilots_with_a_final_decision_are_counted_not_listed() -> None:
    reports = [
        report_of(replace(decided(READY, Decision.GO), key="P-1"), stage=Stage.APPROVED),
        report_of(replace(decided(NO_GO, Decision.NO_GO), key="P-2"), stage=Stage.STOPPED),
        report_of(replace(decided(READY, Decision.EXTEND), key="P-3"), stage=Stage.EXTENDED),
        report_of(replace(READY, key="P-4")),
    ]
    messages = digest(reports)
    assert listed(messages) == [
        ("Ready for a go decision", "P-3"),
        ("Ready for a go decision", "P-4"),
    ]
    text = all_mrkdwn(messages[0]["blocks"])
    assert "Not listed: 2 pilots already decided (1 go, 1 no-go)." in text
    # The decided pilots' value no longer waits on anyone.
    assert "*$488,000 a month*" in text


def test_a_go_pilot_past_its_date_is_listed_once_as_overdue() -> None:
    late_but_good = replace(READY, decide_by=date(2026, 11, 10))
    report = report_of(late_but_good)
    assert report.assessment.decision_overdue
    assert listed(digest([report])) == [("Decision overdue", "P-3")]


def test_a_middling_portfolio_fits_one_message() -> None:
    messages = digest(portfolio(24))
    assert len(messages) == 1
    assert len(listed(messages)) == 24


def test_500_pilots_fit_within_slacks_limits_each_listed_once() -> None:
    reports = portfolio(500)
    # A few decided ones, left out of the lists.
    reports[0] = report_of(decided(reports[0].facts, Decision.NO_GO), stage=Stage.STOPPED)
    reports[3] = report_of(decided(reports[3].facts, Decision.GO), stage=Stage.APPROVED)
    messages = digest(reports)
    assert len(messages) > 1
    first = all_mrkdwn(messages[0]["blocks"])
    assert "*500 pilots*: " in first
    assert "Continued in the thread" in first
    for title, count in [("Ready for a go decision", 124), ("Not ready", 124)]:
        assert f"*{title}* ({count})" in first
    assert "…and 119 more in the thread" in first

    keys = Counter(key for _, key in listed(messages))
    expected = {r.key for r in reports} - {"P-1", "P-4"}
    assert set(keys) == expected
    assert all(count == 1 for count in keys.values())
    # The first message and the thread each keep the sections in order.
    order = ["Ready for a go decision", "Decision overdue", "Stalled", "Not ready"]
    for part in (messages[:1], messages[1:]):
        sections = [section for section, _ in listed(part)]
        assert sections == sorted(sections, key=order.index)
    replies = messages[1:]
    for number, reply in enumerate(replies, 1):
        assert (
            reply["text"] == f"Pilot portfolio: 2026-11-16, continued ({number} of {len(replies)})"
        )


@pytest.mark.parametrize("count", [1, 49, 120])
def test_every_size_lists_every_pilot_once(count: int) -> None:
    reports = portfolio(count)
    keys = [key for _, key in listed(digest(reports))]
    assert sorted(keys) == sorted(r.key for r in reports)
