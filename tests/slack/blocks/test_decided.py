"""Shown as decided: every surface leads with the decision, never a bare verdict."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC
from datetime import date
from datetime import datetime
from typing import Any

import pytest

from bot.governance.attention import needs_from
from bot.governance.attention import roles_of
from bot.governance.facts import DecisionRecord
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import DecisionStatus
from bot.governance.vocabulary import Stage
from bot.services.pilots import PilotReport
from bot.slack.blocks.decided import standing
from bot.slack.blocks.decided import standing_text
from bot.slack.blocks.digest import digest_messages
from bot.slack.blocks.home import HomeItem
from bot.slack.blocks.home import home_view
from bot.slack.blocks.outcome import decision_announcement
from bot.slack.blocks.outcome import decision_outcome_message
from bot.slack.blocks.pilot_list import pilot_line
from bot.slack.blocks.pilot_list import pilot_list
from bot.slack.blocks.programme import programme_home
from bot.slack.blocks.status_card import status_card
from tests.slack.blocks.factory import APPROVED
from tests.slack.blocks.factory import NOW
from tests.slack.blocks.factory import OWNER
from tests.slack.blocks.factory import READY
from tests.slack.blocks.factory import SPONSOR
from tests.slack.blocks.factory import STOPPED
from tests.slack.blocks.factory import UTC_ZONE
from tests.slack.blocks.factory import ago
from tests.slack.blocks.factory import all_mrkdwn
from tests.slack.blocks.factory import check_blocks
from tests.slack.blocks.factory import decided
from tests.slack.blocks.factory import extended
from tests.slack.blocks.factory import portfolio
from tests.slack.blocks.factory import report_of

EXTENDED = report_of(
    extended(decided(READY, Decision.EXTEND), date(2027, 3, 5)), stage=Stage.EXTENDED
)


def item(report: PilotReport, user: str) -> HomeItem:
    facts = report.facts
    return HomeItem(report, roles_of(facts, user), needs_from(facts, report.assessment, user))


SURFACES: dict[str, Callable[[PilotReport], Any]] = {
    "status card": lambda r: status_card(r, NOW, UTC_ZONE, can_decide=True),
    "list": lambda r: pilot_list([r], 1),
    "home": lambda r: home_view(SPONSOR, [item(r, SPONSOR)], NOW, UTC_ZONE)["blocks"],
    "digest": lambda r: [b for m in digest_messages([r], NOW, UTC_ZONE) for b in m["blocks"]],
    "admin home": lambda r: programme_home(OWNER, [r], [], NOW, UTC_ZONE)["blocks"],
    "announcement": lambda r: decision_announcement(r, UTC_ZONE)["blocks"],
    "outcome": lambda r: decision_outcome_message(r, OWNER, NOW, UTC_ZONE)["blocks"],
}
# A verdict shown on its own: not "… when decided", not after "now" or a field label.
_BARE = re.compile(r"(?<!now )(?<!: )(?<!\*\n)🟢 Go(?! when decided)")


@pytest.mark.parametrize("surface", list(SURFACES))
def test_a_stopped_go_pilot_leads_with_stopped_everywhere(surface: str) -> None:
    text = all_mrkdwn(SURFACES[surface](STOPPED))
    assert "Stopped" in text or "stopped" in text
    assert not _BARE.search(text), text
    if surface == "admin home":
        # Counted, not listed: under its decision, never among the Go pilots.
        assert "*1 pilot*: 0 Go · 0 Not ready · 0 No-go · 0 Stalled · ⛔ 1 stopped" in text
    else:
        assert "🟢 Go" in text  # the verdict at the decision, beside it


@pytest.mark.parametrize("surface", ["status card", "list", "home", "digest"])
def test_approved_and_extended_pilots_lead_with_their_decision(surface: str) -> None:
    approved = all_mrkdwn(SURFACES[surface](APPROVED))
    assert "✅ Approved for production" in approved
    extended_text = all_mrkdwn(SURFACES[surface](EXTENDED))
    assert "⏩ Extended to 5\u00a0Mar\u00a02027" in extended_text


REJECTED_GO = DecisionRecord(
    Decision.GO, OWNER, ago(days=2), "ship it", DecisionStatus.REJECTED, approved_by=SPONSOR
)
PENDING_GO = DecisionRecord(Decision.GO, OWNER, ago(days=1), "ship it", DecisionStatus.PENDING)


@pytest.mark.parametrize(
    ("report", "lead", "plain"),
    [
        (
            STOPPED,
            "⛔ Stopped · 🟢 Go when decided",
            "Stopped (Go when decided)",
        ),
        (
            APPROVED,
            "✅ Approved for production · 🟢 Go when decided",
            "Approved for production (Go when decided)",
        ),
        (
            EXTENDED,
            "⏩ Extended to 5\u00a0Mar\u00a02027 · now 🟢 Go",
            "Extended to 5\u00a0Mar\u00a02027 (now Go)",
        ),
        (report_of(READY), "🟢 Go", "Go"),
        # A go its second person rejected, or one still waiting, decided nothing yet.
        (report_of(replace(READY, latest_decision=REJECTED_GO)), "🟢 Go", "Go"),
        (report_of(replace(READY, pending_decision=PENDING_GO)), "🟢 Go", "Go"),
    ],
)
def test_the_standing_of_a_pilot(report: PilotReport, lead: str, plain: str) -> None:
    assert standing(report) == lead
    assert standing_text(report) == plain


def test_a_list_line_of_a_decided_pilot_drops_its_gaps() -> None:
    stopped_with_gaps = report_of(
        decided(replace(READY, rollback=False), Decision.NO_GO), stage=Stage.STOPPED
    )
    assert pilot_line(stopped_with_gaps) == (
        "*P-3* Support drafting — ⛔ Stopped · 🟡 Not ready when decided"
    )


def test_every_decided_surface_of_a_large_portfolio_stays_within_limits() -> None:
    for index, report in enumerate(portfolio(80)):
        kind = (Decision.GO, Decision.NO_GO, Decision.EXTEND)[index % 3]
        facts = decided(report.facts, kind)
        if kind is Decision.EXTEND:
            facts = extended(facts, date(2027, 3, 5))
        done = report_of(facts, stage=Stage.APPROVED)
        check_blocks(decision_announcement(done, UTC_ZONE)["blocks"])
        check_blocks(decision_outcome_message(done, OWNER, NOW, UTC_ZONE)["blocks"])
        check_blocks(status_card(done, NOW, UTC_ZONE, can_decide=True))


def test_an_extension_read_months_later_says_its_year() -> None:
    """Extended on 1 Mar to 1 Jun and read the next January: "1 Jun" alone would read as a
    date still to come."""
    record = DecisionRecord(
        Decision.EXTEND, SPONSOR, datetime(2026, 3, 1, 9, 0, tzinfo=UTC), "more data",
        DecisionStatus.RECORDED, until=date(2026, 6, 1),
    )  # fmt: skip
    report = report_of(replace(READY, latest_decision=record), stage=Stage.EXTENDED,
                       now=datetime(2027, 1, 10, 9, 0, tzinfo=UTC))  # fmt: skip
    assert standing(report).startswith("⏩ Extended to 1\u00a0Jun\u00a02026 · now ")
