"""The status card: what `/pilot status P-3` shows a person."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.governance.facts import PilotFacts
from bot.governance.vocabulary import Decision, Stage
from bot.slack.blocks.status_card import status_card, status_text
from bot.slack.ids import Action
from bot.slack.metadata import PilotRef
from tests.slack.blocks.factory import (
    FRESH,
    HOSTILE,
    NO_GO,
    NOW,
    READY,
    STALLED,
    UTC_ZONE,
    all_mrkdwn,
    check_blocks,
    decided,
    elements_of,
    portfolio,
    report_of,
    texts_of,
)


@pytest.mark.parametrize(
    ("facts", "verdict"),
    [(READY, "🟢 Go"), (FRESH, "🟡 Not ready"), (NO_GO, "🔴 No-go"), (STALLED, "⏸️ Stalled")],
)
def test_the_card_shows_the_verdict(facts: PilotFacts, verdict: str) -> None:
    blocks = status_card(report_of(facts), NOW, UTC_ZONE, can_decide=False)
    check_blocks(blocks)
    assert f"*Verdict*\n{verdict}" in all_mrkdwn(blocks)


def test_the_card_reads_like_a_status_report() -> None:
    blocks = status_card(report_of(READY), NOW, UTC_ZONE, can_decide=True)
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "P-3 · Support drafting", "emoji": True},
    }
    text = all_mrkdwn(blocks)
    assert "handle time: 9 min now · baseline 14 min (\u221235.7%) · go at ≤ 9.8 min" in text
    assert "*Owner*\n<@U0ANN>" in text
    assert "*Sponsor*\n<@U0SPO>" in text
    assert "*Stage*\npiloting" in text
    assert "decide by 2026-12-15 (in 29 days)" in text
    assert "Every readiness check passes." in text
    assert "net value of 244,000 a month" in text


def test_every_open_gap_is_listed_with_its_command() -> None:
    report = report_of(FRESH)
    blocks = status_card(report, NOW, UTC_ZONE, can_decide=False)
    check_blocks(blocks)
    text = all_mrkdwn(blocks)
    assert len(report.assessment.gaps) >= 8
    assert f"*{len(report.assessment.gaps)} open gaps*" in text
    assert "*Sponsor*\nnobody yet" in text
    for gap in report.assessment.gaps:
        escaped = gap.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert f"• {escaped}" in text
    assert "`/pilot baseline P-7 &lt;number&gt;`" in text


def test_a_hostile_name_is_shown_but_pings_nobody() -> None:
    facts = replace(FRESH, name=HOSTILE, workflow="<!here>", metric_name="<@U999|boss>")
    blocks = status_card(report_of(facts), NOW, UTC_ZONE, can_decide=True)
    check_blocks(blocks)
    # Headers are plain text: shown as typed, never parsed for mentions.
    assert blocks[0]["text"] == {"type": "plain_text", "text": f"P-7 · {HOSTILE}", "emoji": True}
    text = all_mrkdwn(blocks)
    assert "<!" not in text
    assert "&lt;!here&gt;" in text
    assert "&lt;@U999|boss&gt;" in text
    assert all(element["verbatim"] is True for element in elements_of(blocks, "mrkdwn"))


def test_warnings_are_shown_as_context() -> None:
    warning = "Note: decide-by 2026-11-01 has already passed; the verdict reads No-go <soon>."
    blocks = status_card(report_of(NO_GO, warnings=[warning]), NOW, UTC_ZONE, can_decide=False)
    check_blocks(blocks)
    contexts = [block for block in blocks if block["type"] == "context"]
    assert len(contexts) == 1
    assert list(texts_of(contexts, "mrkdwn")) == [
        "Note: decide-by 2026-11-01 has already passed; the verdict reads No-go &lt;soon&gt;."
    ]


def _buttons(can_decide: bool) -> list[dict[str, object]]:
    blocks = status_card(report_of(READY), NOW, UTC_ZONE, can_decide=can_decide)
    assert blocks[-1]["type"] == "actions"
    return list(blocks[-1]["elements"])


def test_decide_is_offered_only_to_those_who_may_decide() -> None:
    assert [b["action_id"] for b in _buttons(can_decide=True)] == [
        Action.RECORD_READING,
        Action.RECORD_BASELINE,
        Action.DECIDE,
    ]
    assert [b["action_id"] for b in _buttons(can_decide=False)] == [
        Action.RECORD_READING,
        Action.RECORD_BASELINE,
    ]
    assert _buttons(can_decide=True)[0]["style"] == "primary"


def test_every_button_names_its_pilot() -> None:
    for element in _buttons(can_decide=True):
        value = element["value"]
        assert isinstance(value, str)
        assert PilotRef.load(value) == PilotRef(key="P-3")


def test_a_decided_pilot_says_what_was_decided() -> None:
    report = report_of(decided(READY, Decision.GO), stage=Stage.APPROVED)
    blocks = status_card(report, NOW, UTC_ZONE, can_decide=True)
    check_blocks(blocks)
    assert "*Stage*\napproved (decided go)" in all_mrkdwn(blocks)


def test_cards_of_a_large_portfolio_stay_within_slack_limits() -> None:
    for report in portfolio(200):
        check_blocks(status_card(report, NOW, UTC_ZONE, can_decide=True))


@pytest.mark.parametrize(
    ("facts", "text"),
    [
        (READY, "P-3 Support drafting: Go"),
        (FRESH, "P-7 Invoice matching: Not ready (10 gaps)"),
        (NO_GO, "P-11 Sales email drafts: No-go (1 gap)"),
        (replace(FRESH, name=HOSTILE), "P-7 &lt;!channel&gt; &amp; &lt;script&gt;: Not ready"),
    ],
)
def test_status_text_is_one_plain_line(facts: PilotFacts, text: str) -> None:
    line = status_text(report_of(facts))
    assert line.startswith(text)
    assert "\n" not in line
