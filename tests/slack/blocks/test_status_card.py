"""The status card: what `/pilot status P-3` shows a person."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from bot.governance.facts import Amendment
from bot.governance.facts import DecisionRecord
from bot.governance.facts import PilotFacts
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import Stage
from bot.slack.blocks.status_card import status_card
from bot.slack.blocks.status_card import status_text
from bot.slack.ids import Action
from bot.slack.metadata import PilotRef
from tests.slack.blocks.factory import FRESH
from tests.slack.blocks.factory import HOSTILE
from tests.slack.blocks.factory import NO_GO
from tests.slack.blocks.factory import NOW
from tests.slack.blocks.factory import OWNER
from tests.slack.blocks.factory import READY
from tests.slack.blocks.factory import SPONSOR
from tests.slack.blocks.factory import STALLED
from tests.slack.blocks.factory import UTC_ZONE
from tests.slack.blocks.factory import ago
from tests.slack.blocks.factory import all_mrkdwn
from tests.slack.blocks.factory import check_blocks
from tests.slack.blocks.factory import decided
from tests.slack.blocks.factory import elements_of
from tests.slack.blocks.factory import extended
from tests.slack.blocks.factory import portfolio
from tests.slack.blocks.factory import report_of
from tests.slack.blocks.factory import texts_of


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
    assert "handle time: 9 min now · baseline 14 min (35.7% better) · go at ≤ 9.8 min" in text
    assert "*Owner*\n<@U0ANN>" in text
    assert "*Sponsor*\n<@U0SPO>" in text
    assert "*Stage*\npiloting" in text
    assert "decide by 15\u00a0Dec (in 29 days)" in text
    assert "Every readiness check passes." in text
    assert "net value of 244,000\u00a0USD a month" in text
    assert "$" not in text


def test_money_is_shown_in_the_pilots_currency_and_break_even_says_so() -> None:
    euros = status_card(report_of(replace(READY, currency="EUR")), NOW, UTC_ZONE, can_decide=False)
    assert "net value of 244,000\u00a0EUR a month" in all_mrkdwn(euros)
    even = replace(READY, cost_per_unit=6.5)
    text = all_mrkdwn(status_card(report_of(even), NOW, UTC_ZONE, can_decide=False))
    assert "at full scale: break-even" in text
    assert "loss of 0" not in text
    # The gap in the rules' words, whole on its short line, its command beneath.
    assert (
        "• At full scale (40,000 units a month) a unit costs 6.50 USD and returns 6.50 USD, "
        "break-even, so it does not pay\n\u2003`/pilot set P-3 cost-per-unit:&lt;number&gt;`"
    ) in text


def test_every_open_gap_is_one_short_line_with_its_command_on_a_line_of_its_own() -> None:
    report = report_of(FRESH)
    blocks = status_card(report, NOW, UTC_ZONE, can_decide=False)
    check_blocks(blocks)
    text = all_mrkdwn(blocks)
    gaps = report.assessment.gaps
    assert len(gaps) >= 8
    assert f"*{len(gaps)} open gaps*" in text
    assert "*Sponsor*\nnobody yet" in text
    bullets = [line for line in text.split("\n") if line.startswith("• ")]
    assert len(bullets) == len(gaps)
    # A short title each, never the whole sentence of the rule.
    assert all(len(line) <= 120 for line in bullets)
    assert "• No sponsor" in bullets
    assert "\u2003`/pilot set P-7 sponsor:@name`" in text.split("\n")
    # The baseline and the reading have buttons on the card; their commands are not repeated.
    assert "• No baseline · _Record baseline_" in bullets
    assert "• No reading yet · _Record a reading_" in bullets
    assert "/pilot baseline" not in text
    buttons = [b["text"]["text"] for b in elements_of(doing(blocks), "button")]
    assert buttons == ["Record baseline", "Record a reading"]


def test_with_the_form_wired_its_gaps_point_at_complete_the_pilot() -> None:
    report = report_of(FRESH)
    blocks = status_card(report, NOW, UTC_ZONE, can_decide=True, complete=True)
    check_blocks(blocks)
    lines = all_mrkdwn(blocks).split("\n")
    # The seven gaps the form closes come last, under its name, a short line each.
    under = lines.index("_Complete the pilot_ closes these:")
    assert lines[under + 1 : under + 8] == [
        "• No agreed go-live metric or direction or threshold",
        "• No evaluation bar",
        "• No live workflow named",
        "• No monitoring in place",
        "• No rollback or kill switch",
        "• No unit economics at full scale",
        "• RACI has no Accountable for incidents, changes, evaluation, integration, reporting",
    ]
    assert "• No baseline · _Record baseline_" in lines
    text = "\n".join(lines)
    assert "eval-size" not in text
    # Commands stay only for what no button does: here the sponsor.
    assert text.count("\u2003`/pilot") == 1
    assert "\u2003`/pilot set P-7 sponsor:@name`" in text
    actions = [b["action_id"] for b in elements_of(doing(blocks), "button")]
    assert actions == [
        Action.COMPLETE_PILOT,
        Action.RECORD_BASELINE,
        Action.RECORD_READING,
        Action.DECIDE,
    ]
    for element in elements_of(doing(blocks), "button"):
        assert PilotRef.load(element["value"]) == PilotRef(key="P-7")


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
    blocks = doing(status_card(report_of(READY), NOW, UTC_ZONE, can_decide=can_decide))
    assert blocks[-1]["type"] == "actions"
    return list(blocks[-1]["elements"])


def doing(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The card without its evidence row (Chart, History), which every card ends with."""
    assert blocks[-1].get("block_id") == "evidence"
    return blocks[:-1]


def test_every_card_ends_with_its_chart_and_history() -> None:
    for facts in (READY, FRESH):
        last = status_card(report_of(facts), NOW, UTC_ZONE, can_decide=False)[-1]
        assert [e["action_id"] for e in last["elements"]] == [Action.CHART, Action.HISTORY]


def test_decide_is_offered_only_to_those_who_may_decide() -> None:
    # Go with every check passing: deciding is the job, so Decide leads.
    assert [b["action_id"] for b in _buttons(can_decide=True)] == [
        Action.DECIDE,
        Action.RECORD_READING,
    ]
    assert [b["action_id"] for b in _buttons(can_decide=False)] == [Action.RECORD_READING]
    assert _buttons(can_decide=True)[0]["style"] == "primary"
    assert "style" not in _buttons(can_decide=True)[1]


def test_every_button_names_its_pilot() -> None:
    for element in _buttons(can_decide=True):
        value = element["value"]
        assert isinstance(value, str)
        assert PilotRef.load(value) == PilotRef(key="P-3")


@pytest.mark.parametrize(
    ("facts", "decision", "stage", "lead", "beside"),
    [
        (
            READY,
            Decision.GO,
            Stage.APPROVED,
            "✅ Approved for production",
            "Verdict when decided",
        ),
        (READY, Decision.NO_GO, Stage.STOPPED, "⛔ Stopped", "Verdict when decided"),
        (
            FRESH,
            Decision.EXTEND,
            Stage.EXTENDED,
            "⏩ Extended to 5\u00a0Mar\u00a02027",
            "Verdict now",
        ),
    ],
)
def test_a_decided_pilot_leads_with_the_decision(
    facts: PilotFacts, decision: Decision, stage: Stage, lead: str, beside: str
) -> None:
    record = decided(facts, decision)
    if decision is Decision.EXTEND:
        record = extended(record, date(2027, 3, 5))
    report = report_of(record, stage=stage)
    blocks = status_card(report, NOW, UTC_ZONE, can_decide=True)
    check_blocks(blocks)
    text = all_mrkdwn(blocks)
    verdict = "🟡 Not ready" if facts is FRESH else "🟢 Go"
    assert blocks[1]["fields"][0]["text"] == f"*Decision*\n{lead}"
    assert blocks[1]["fields"][1]["text"] == f"*{beside}*\n{verdict}"
    assert "*Verdict*\n" not in text
    assert f"by <@{SPONSOR}>: numbers are in" in text
    assert status_text(report).startswith(f"P-{facts.key[2:]} {facts.name}: {lead[2:]}")


def test_a_stopped_pilot_never_reads_as_a_bare_go() -> None:
    report = report_of(decided(READY, Decision.NO_GO), stage=Stage.STOPPED)
    blocks = status_card(report, NOW, UTC_ZONE, can_decide=True)
    text = all_mrkdwn(blocks)
    assert "*Decision*\n⛔ Stopped" in text
    assert "*Verdict when decided*\n🟢 Go" in text
    assert "decide by" not in text  # the date no longer asks anything
    assert status_text(report) == "P-3 Support drafting: Stopped (Go when decided)"
    # Nothing left to record on a stopped pilot; a new decision may still supersede.
    assert [b["action_id"] for b in elements_of(doing(blocks), "button")] == [Action.DECIDE]


def test_a_pending_override_and_an_amendment_are_shown() -> None:
    pending = DecisionRecord(Decision.GO, OWNER, ago(hours=3), "ship it")
    amended = Amendment("baseline", "14", "13", "re-measured on the full queue", OWNER, ago(days=2))
    facts = replace(FRESH, sponsor=SPONSOR, pending_decision=pending, amendments=(amended,))
    text = all_mrkdwn(status_card(report_of(facts), NOW, UTC_ZONE, can_decide=True))
    assert "⏳ Go decision waiting for approval by <@U0SPO>" in text
    assert "✏️ baseline amended 14\u00a0Nov by <@U0ANN>: re-measured on the full queue" in text


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
