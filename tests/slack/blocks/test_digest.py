"""The sponsor digest: one glance at verdicts, decisions waiting and money at stake."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from bot.governance.facts import PilotFacts
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import Stage
from bot.services.pilots import PilotReport
from bot.slack.blocks.common import MAX_MESSAGE_BLOCKS
from bot.slack.blocks.digest import MAX_MESSAGE_TEXT
from bot.slack.blocks.digest import block_text
from bot.slack.blocks.digest import digest_line
from bot.slack.blocks.digest import digest_messages
from bot.slack.ids import Action
from bot.slack.metadata import PilotRef
from tests.slack.blocks.factory import FRESH
from tests.slack.blocks.factory import NO_GO
from tests.slack.blocks.factory import NOW
from tests.slack.blocks.factory import READY
from tests.slack.blocks.factory import STALLED
from tests.slack.blocks.factory import UTC_ZONE
from tests.slack.blocks.factory import ago
from tests.slack.blocks.factory import all_mrkdwn
from tests.slack.blocks.factory import check_blocks
from tests.slack.blocks.factory import decided
from tests.slack.blocks.factory import portfolio
from tests.slack.blocks.factory import report_of

_HEADING = re.compile(
    r"^\*(Ready for a go decision|Decision overdue|Stalled|Not ready|Decided this week)\*"
)
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
    assert blocks[0]["text"]["text"] == "Pilot portfolio: 16\u00a0Nov"
    assert len(blocks) == 2
    assert "No pilots in this workspace yet" in all_mrkdwn(blocks)


def test_sections_come_in_order_with_one_line_per_pilot() -> None:
    reports = numbered(FRESH, STALLED, NO_GO, READY, FRESH, READY)
    messages = digest(reports)
    assert len(messages) == 1
    blocks = messages[0]["blocks"]
    assert blocks[0]["text"]["text"] == "Pilot portfolio: 16\u00a0Nov"
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


def line(report: PilotReport) -> str:
    """The digest line as read: no-break spaces (which keep `9 min` together) as spaces."""
    return digest_line(report, NOW, UTC_ZONE).replace("\u00a0", " ")


def test_a_ready_line_names_the_sponsor_who_decides_and_the_money() -> None:
    assert line(report_of(READY)) == (
        "*P-3* Support drafting — 🟢 Go · 9 min, 35.7% better than 14 min (go at ≤ 9.8 min) · "
        "💰 244,000 USD a month · <@U0SPO> to decide by 15 Dec (in 29 days)"
    )
    # Numbers keep their units and amounts their currency across a phone's line wrap.
    raw = digest_line(report_of(READY), NOW, UTC_ZONE)
    assert "9\u00a0min" in raw
    assert "244,000\u00a0USD" in raw
    # Overdue with nobody to decide: the line says so where the sponsor would be.
    assert "· no sponsor to decide, due 1 Nov (15 days ago)" in line(
        report_of(replace(NO_GO, sponsor=None))
    )


def test_other_lines_name_the_owner_and_what_is_next() -> None:
    assert line(report_of(FRESH)) == (
        "*P-7* Invoice matching — 🟡 Not ready · no metric yet · <@U0ANN> · No sponsor (+9 more)"
    )
    stalled = line(report_of(replace(STALLED, owner=None)))
    assert stalled.startswith(
        "*P-9* Contract review — ⏸️ Stalled · 12 min, 14.3% better than 14 min (go at ≤ 9.8 min)"
    )
    # The missing owner shows once, in the owner's place; the top gap is the next one.
    assert stalled.endswith(
        "· no owner · Latest reading is from 2026-10-26, older than the weekly cadence (+2 more)"
    )
    overdue = line(report_of(NO_GO))
    assert "<@U0SPO> to decide, due 1 Nov (15 days ago)" in overdue
    assert "12.5 min, 10.7% better than 14 min" in overdue
    assert "\n" not in overdue


def test_each_pilot_waiting_on_a_decision_offers_a_decide_button() -> None:
    reports = numbered(FRESH, NO_GO, READY)
    blocks = digest(reports)[0]["blocks"]
    decide = {
        PilotRef.load(block["accessory"]["value"]).key: block["text"]["text"]
        for block in blocks
        if block.get("accessory", {}).get("action_id") == Action.DECIDE
    }
    assert set(decide) == {"P-2", "P-3"}
    assert all("<@U0SPO> to decide" in text for text in decide.values())
    assert all(b["accessory"]["text"]["text"] == "Decide" for b in blocks if b.get("accessory"))


def test_the_value_waiting_on_decisions_counts_only_go_pilots() -> None:
    # Ready (P-2) and Go but past its date (P-6) each net (6.5 - 0.4) * 40,000 = 244,000 a
    # month. The No-go pilot past its date waits on no go, the stalled pilot on no decision,
    # and a loss is not value.
    late_but_good = replace(READY, decide_by=date(2026, 11, 10))
    losing = replace(READY, cost_per_unit=9.0)
    reports = numbered(STALLED, READY, NO_GO, losing, FRESH, late_but_good)
    text = all_mrkdwn(digest(reports)[0]["blocks"])
    assert (
        "💰 *488,000\u00a0USD a month* of value waits on decisions (2 pilots at full scale)" in text
    )
    assert "$" not in text
    assert "waits on decisions" not in all_mrkdwn(
        digest(numbered(STALLED, FRESH, NO_GO))[0]["blocks"]
    )


def test_money_in_several_currencies_is_summed_per_currency() -> None:
    reports = numbered(READY, replace(READY, currency="EUR"))
    text = all_mrkdwn(digest(reports)[0]["blocks"])
    assert "*244,000\u00a0EUR + 244,000\u00a0USD a month*" in text


def test_decisions_of_the_week_lead_with_the_decision_and_older_ones_are_counted() -> None:
    old_stop = replace(decided(NO_GO, Decision.NO_GO), key="P-5")
    assert old_stop.latest_decision is not None
    old_stop = replace(old_stop, latest_decision=replace(old_stop.latest_decision, at=ago(days=20)))
    reports = [
        report_of(replace(decided(READY, Decision.GO), key="P-1"), stage=Stage.APPROVED),
        report_of(replace(decided(READY, Decision.NO_GO), key="P-2"), stage=Stage.STOPPED),
        report_of(replace(decided(READY, Decision.EXTEND), key="P-3"), stage=Stage.EXTENDED),
        report_of(replace(READY, key="P-4")),
        report_of(old_stop, stage=Stage.STOPPED),
    ]
    messages = digest(reports)
    assert listed(messages) == [
        ("Ready for a go decision", "P-3"),
        ("Ready for a go decision", "P-4"),
        ("Decided this week", "P-1"),
        ("Decided this week", "P-2"),
    ]
    text = all_mrkdwn(messages[0]["blocks"])
    assert "*P-1* Support drafting — ✅ Approved for production · 🟢 Go when decided" in text
    assert "*P-2* Support drafting — ⛔ Stopped · 🟢 Go when decided" in text
    assert "*P-3* Support drafting — ⏩ Extended to 15\u00a0Dec\u00a02026 · now 🟢 Go" in text
    assert "— 🟢 Go · decided" not in text
    assert "Not listed: 1 pilot decided earlier (⛔ 1 stopped)." in text
    # The decided pilots' value no longer waits on anyone.
    assert "*488,000\u00a0USD a month*" in text


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
    # Decided yesterday: listed under the decisions of the week, like every other pilot once.
    assert set(keys) == {r.key for r in reports}
    assert [key for section, key in listed(messages) if section == "Decided this week"] == [
        "P-1",
        "P-4",
    ]
    assert all(count == 1 for count in keys.values())
    # The first message and the thread each keep the sections in order.
    order = [
        "Ready for a go decision",
        "Decision overdue",
        "Stalled",
        "Not ready",
        "Decided this week",
    ]
    for part in (messages[:1], messages[1:]):
        sections = [section for section, _ in listed(part)]
        assert sections == sorted(sections, key=order.index)
    replies = messages[1:]
    for number, reply in enumerate(replies, 1):
        assert (
            reply["text"] == f"Pilot portfolio: 16\u00a0Nov, continued ({number} of {len(replies)})"
        )


@pytest.mark.parametrize("count", [1, 49, 120])
def test_every_size_lists_every_pilot_once(count: int) -> None:
    reports = portfolio(count)
    keys = [key for _, key in listed(digest(reports))]
    assert sorted(keys) == sorted(r.key for r in reports)
