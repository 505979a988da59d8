"""The decision-due DM: what the sponsor reads, and the three buttons that answer it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from bot.governance.facts import DecisionRecord
from bot.governance.facts import PilotFacts
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import DecisionStatus
from bot.slack.blocks.decision import Ask
from bot.slack.blocks.decision import decision_due_message
from bot.slack.ids import Action
from bot.slack.metadata import DecideRef
from tests.slack.blocks.factory import FRESH
from tests.slack.blocks.factory import HOSTILE
from tests.slack.blocks.factory import NO_GO
from tests.slack.blocks.factory import NOW
from tests.slack.blocks.factory import OWNER
from tests.slack.blocks.factory import READY
from tests.slack.blocks.factory import SPONSOR
from tests.slack.blocks.factory import UTC_ZONE
from tests.slack.blocks.factory import ago
from tests.slack.blocks.factory import all_mrkdwn
from tests.slack.blocks.factory import check_blocks
from tests.slack.blocks.factory import elements_of
from tests.slack.blocks.factory import portfolio
from tests.slack.blocks.factory import report_of

NBSP = "\u00a0"
NB_HYPHEN = "\u2011"
TODAY = replace(READY, decide_by=NOW.date())
# Everything filled in but the production path and an eval: Not ready, with open gaps.
NOT_READY = replace(FRESH, sponsor=SPONSOR, decide_by=date(2026, 12, 15))


def dm(facts: PilotFacts, ask: Ask, recipient: str = SPONSOR) -> dict[str, Any]:
    message = decision_due_message(report_of(facts), ask, NOW, UTC_ZONE, recipient)
    check_blocks(message["blocks"])
    assert "\n" not in message["text"]
    return message


def read(message: dict[str, Any]) -> str:
    """The message's text as the sponsor reads it (no-break spaces as spaces)."""
    return all_mrkdwn(message["blocks"]).replace(NBSP, " ")


@pytest.mark.parametrize(
    ("facts", "ask", "first", "then"),
    [
        (
            READY,
            Ask.TURNED_GO,
            "Decision due: go, no-go or extend P-3 Support drafting by 15 Dec",
            "It has just turned Go, 29 days before its decide-by date.",
        ),
        (
            replace(READY, decide_by=date(2026, 11, 23)),
            Ask.IN_7_DAYS,
            "Decision due: go, no-go or extend P-3 Support drafting by 23 Nov",
            "Its decide-by date is in 7 days.",
        ),
        (
            TODAY,
            Ask.TODAY,
            "Decision due today: go, no-go or extend P-3 Support drafting",
            "Today is its decide-by date.",
        ),
        (
            NO_GO,
            Ask.OVERDUE,
            "Decision overdue: go, no-go or extend P-11 Sales email drafts, due 1 Nov",
            "⚠️ The decide-by date passed 15 days ago; the pilot waits on your decision.",
        ),
    ],
)
def test_the_first_line_says_what_is_asked_and_by_when(
    facts: PilotFacts, ask: Ask, first: str, then: str
) -> None:
    message = dm(facts, ask)
    # The notification shows the question itself.
    # A key's no-break hyphen reads as a hyphen.
    assert message["text"].replace(NBSP, " ") == first
    opening = message["blocks"][0]["text"]["text"].replace(NBSP, " ").replace(NB_HYPHEN, "-")
    assert opening == f"*{first}*\n{then}"


def test_a_ready_pilot_shows_verdict_metric_and_money_with_its_currency() -> None:
    text = read(dm(READY, Ask.TURNED_GO))
    assert (
        "🟢 *Go*: every readiness check passes and the latest reading clears the threshold" in text
    )
    assert (
        "*handle time* 9 min now, 35.7% better than the 14 min baseline · go at ≤ 9.8 min ✓"
    ) in text
    assert "💰 *244,000 USD a month* at stake at full scale" in text
    assert "6.50 USD value less 0.40 USD cost a unit, 40,000 units a month" in text
    assert "$" not in text
    # Nothing open: the verdict line says so once; no gap list, no override note.
    assert "open gap" not in text
    assert "override" not in text


def test_numbers_and_their_units_never_wrap_apart() -> None:
    raw = all_mrkdwn(dm(READY, Ask.TURNED_GO)["blocks"])
    for kept in ("9\u00a0min now", "≤\u00a09.8\u00a0min", "244,000\u00a0USD", "15\u00a0Dec"):
        assert kept in raw


@pytest.mark.parametrize(
    ("changes", "line"),
    [
        ({"currency": "EUR"}, "💰 *244,000 EUR a month* at stake at full scale"),
        ({"cost_per_unit": 6.5}, "⚖️ *Break-even* at full scale: a unit costs what it returns"),
        ({"cost_per_unit": 6.8}, "💸 *A loss of 12,000 USD a month* at full scale"),
        ({"volume": None}, "💰 Money at stake unknown: no unit economics at full scale yet"),
    ],
)
def test_the_money_at_stake_is_value_loss_or_break_even(changes: dict[str, Any], line: str) -> None:
    text = read(dm(replace(READY, **changes), Ask.IN_7_DAYS))
    assert line in text
    assert "loss of 0 USD" not in text


def test_open_gaps_are_one_short_line_each_without_commands() -> None:
    report = report_of(NOT_READY)
    text = read(dm(NOT_READY, Ask.IN_7_DAYS))
    gaps = report.assessment.gaps
    assert f"🟡 *Not ready*: {len(gaps)} gaps still open" in text
    assert f"*{len(gaps)} open gaps*" in text
    bullets = [line for line in text.split("\n") if line.startswith("• ")]
    assert len(bullets) == len(gaps)
    assert "• No baseline" in bullets
    assert "`" not in text  # the sponsor decides; the commands are the owner's
    assert "A go while the verdict is not Go is an override" in text


def test_three_buttons_go_no_go_and_extend_open_the_form_with_the_choice_made() -> None:
    message = dm(NO_GO, Ask.OVERDUE)
    buttons = list(elements_of(message["blocks"], "button"))
    assert [b["text"]["text"] for b in buttons] == ["Go", "No-go", "Extend"]
    assert [b["action_id"] for b in buttons] == [
        Action.DECIDE_GO,
        Action.DECIDE_NO_GO,
        Action.DECIDE_EXTEND,
    ]
    assert [DecideRef.load(b["value"]) for b in buttons] == [
        DecideRef(key="P-11", decision=Decision.GO),
        DecideRef(key="P-11", decision=Decision.NO_GO),
        DecideRef(key="P-11", decision=Decision.EXTEND),
    ]
    go, no_go, extend = buttons
    assert go["style"] == "primary"
    assert no_go["style"] == "danger"
    assert "style" not in extend
    confirm = no_go["confirm"]
    assert confirm["title"]["text"] == "Stop P-11?"
    assert confirm["confirm"]["text"] == "Yes, no-go"
    assert confirm["style"] == "danger"
    assert "Go" not in [b["text"]["text"] for b in buttons if "confirm" in b]


@pytest.mark.parametrize("ask", list(Ask))
def test_every_variant_carries_the_same_three_buttons(ask: Ask) -> None:
    labels = [b["text"]["text"] for b in elements_of(dm(READY, ask)["blocks"], "button")]
    assert labels == ["Go", "No-go", "Extend"]


def test_it_says_why_the_recipient_gets_it() -> None:
    assert "You get this about P-3 as its sponsor." in read(dm(READY, Ask.TODAY))
    orphan = replace(READY, sponsor=None)
    text = read(dm(orphan, Ask.TODAY, recipient=OWNER))
    assert "You get this about P-3 as its owner, because it has no sponsor." in text


def test_a_go_waiting_for_approval_is_mentioned() -> None:
    pending = DecisionRecord(Decision.GO, OWNER, ago(hours=5), "ship", DecisionStatus.PENDING)
    text = read(dm(replace(NOT_READY, pending_decision=pending), Ask.IN_7_DAYS))
    assert "⏳ Go decision waiting for approval by <@U0SPO>" in text


def test_a_hostile_name_is_text_in_the_message_and_in_the_confirm_dialog() -> None:
    long_name = f"{HOSTILE} rollout for the Berlin support queues and then some more words"
    message = dm(replace(NO_GO, name=long_name, unit="<!here>"), Ask.OVERDUE)
    text = all_mrkdwn(message["blocks"]) + message["text"]
    assert "<!" not in text
    assert "&lt;!channel&gt; &amp; &lt;script&gt;" in message["text"]
    # The first line keeps the name short, cut after a whole word.
    assert "P-11 &lt;!channel&gt; &amp; &lt;script&gt;…, due" in message["text"]
    no_go = list(elements_of(message["blocks"], "button"))[1]
    assert no_go["confirm"]["text"]["type"] == "plain_text"
    assert HOSTILE in no_go["confirm"]["text"]["text"]


def test_a_large_portfolio_stays_within_slacks_limits() -> None:
    for report in portfolio(120):
        for ask in Ask:
            message = decision_due_message(report, ask, NOW, UTC_ZONE, SPONSOR)
            check_blocks(message["blocks"])
            assert len(message["text"]) <= 150
