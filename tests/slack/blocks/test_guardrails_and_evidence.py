"""Guardrails and evidence links where people look: the status card, the decision-due DM
and the digest line show each guardrail against its limit, and each evidence link beside the
check it supports. (The owner's reminder DM shows them too: test_asks.py.)"""

from __future__ import annotations

from dataclasses import replace

from bot.governance.facts import EvidenceLinks
from bot.governance.facts import Measurement
from bot.slack.blocks.decision import Ask
from bot.slack.blocks.decision import decision_due_message
from bot.slack.blocks.digest import digest_messages
from bot.slack.blocks.digest_lines import digest_line
from bot.slack.blocks.status_card import status_card
from tests.slack.blocks.factory import GUARDED
from tests.slack.blocks.factory import NOW
from tests.slack.blocks.factory import READY
from tests.slack.blocks.factory import SPONSOR
from tests.slack.blocks.factory import UTC_ZONE
from tests.slack.blocks.factory import ago
from tests.slack.blocks.factory import all_mrkdwn
from tests.slack.blocks.factory import check_blocks
from tests.slack.blocks.factory import rails_with
from tests.slack.blocks.factory import report_of

NBSP, NB_HYPHEN = "\u00a0", "\u2011"
LATENCY_OUT = replace(GUARDED, guardrails=rails_with(p_95_latency=Measurement(2.4, ago(days=1))))
EVAL_LINK = "<https://wiki.example.com/evals/support-drafting?run=12&amp;set=150|eval report>"
DASHBOARD_LINK = "<https://grafana.example.com/d/support-drafting|dashboard>"
RUNBOOK_LINK = "<https://wiki.example.com/runbooks/support-drafting-rollback|runbook>"


def card_text(facts: object) -> str:
    blocks = status_card(report_of(facts), NOW, UTC_ZONE, can_decide=True)  # type: ignore[arg-type]
    check_blocks(blocks)
    return all_mrkdwn(blocks)


def decision_text(facts: object) -> str:
    message = decision_due_message(report_of(facts), Ask.IN_7_DAYS, NOW, UTC_ZONE, SPONSOR)  # type: ignore[arg-type]
    check_blocks(message["blocks"])
    return all_mrkdwn(message["blocks"])


def line_of(text: str, start: str) -> str:
    [line] = [line for line in text.splitlines() if line.startswith(start)]
    return line


def test_the_status_card_shows_each_guardrail_with_its_reading_limit_and_state() -> None:
    text = card_text(GUARDED)
    assert "*Guardrails*: 3/3 within" in text
    assert f"✅ *errors* 1.8% · within ≤{NBSP}2%" in text
    assert f"✅ *p{NB_HYPHEN}95{NB_HYPHEN}latency* 1.4{NBSP}s · within ≤{NBSP}2{NBSP}s" in text
    assert f"✅ *csat* 4.5{NBSP}stars · within ≥{NBSP}4.2{NBSP}stars" in text


def test_the_status_card_names_the_guardrail_outside_its_limit() -> None:
    text = card_text(LATENCY_OUT)
    assert "*Guardrails*: p\u201195\u2011latency outside its limit" in text
    assert f"❌ *p{NB_HYPHEN}95{NB_HYPHEN}latency* 2.4{NBSP}s · outside ≤{NBSP}2{NBSP}s" in text


def test_a_stale_or_missing_guardrail_reading_reads_as_no_current_reading() -> None:
    facts = replace(GUARDED, guardrails=rails_with(errors=Measurement(1.0, ago(days=9)), csat=None))
    text = card_text(facts)
    assert "*Guardrails*: 2 guardrails without a current reading" in text
    assert f"⚪ *errors* no current reading · last 1% on 7{NBSP}Nov" in text
    assert f"⚪ *csat* no reading yet · limit ≥{NBSP}4.2{NBSP}stars" in text


def test_a_pilot_without_guardrails_shows_no_guardrail_section() -> None:
    assert "Guardrails" not in card_text(READY)


def test_the_status_card_shows_each_link_beside_the_check_it_supports() -> None:
    text = card_text(GUARDED)
    assert line_of(text, "✅ Evaluation").endswith(f"(bar 95%) · {EVAL_LINK}")
    assert line_of(text, "✅ Monitoring").endswith(f"quality dashboard · {DASHBOARD_LINK}")
    assert line_of(text, "✅ Rollback") == f"✅ Rollback in place · {RUNBOOK_LINK}"


def test_a_failing_check_carries_its_link_on_its_gap_line() -> None:
    text = card_text(replace(GUARDED, rollback=False))
    assert line_of(text, "• No rollback").endswith(RUNBOOK_LINK)
    assert not [line for line in text.splitlines() if line.startswith("✅ Rollback")]


def test_a_link_that_is_not_https_is_not_shown() -> None:
    facts = replace(GUARDED, links=EvidenceLinks(runbook="javascript:alert(1)"))
    assert "alert" not in card_text(facts)


def test_the_decision_dm_shows_at_a_glance_that_the_guardrails_hold() -> None:
    text = decision_text(GUARDED)
    assert "*Guardrails*: 3/3 within" in text
    assert "🟢 *Go*: every readiness check passes" in text
    for link in (EVAL_LINK, DASHBOARD_LINK, RUNBOOK_LINK):
        assert link in text


def test_the_decision_dm_names_the_guardrail_that_does_not_hold() -> None:
    text = decision_text(LATENCY_OUT)
    heading = text.index("*Guardrails*: p\u201195\u2011latency outside its limit")
    assert heading < text.index("open gap"), "the guardrails come before the gap list"
    assert f"❌ *p{NB_HYPHEN}95{NB_HYPHEN}latency* 2.4{NBSP}s · outside ≤{NBSP}2{NBSP}s" in text


def test_the_decision_dm_shows_only_the_passing_checks_that_have_a_link() -> None:
    facts = replace(GUARDED, links=EvidenceLinks(runbook=GUARDED.links.runbook))
    text = decision_text(facts)
    assert RUNBOOK_LINK in text
    assert "✅ Evaluation" not in text


def test_the_digest_line_sums_the_guardrails_up() -> None:
    assert "· guardrails 3/3 within ·" in digest_line(report_of(GUARDED), NOW, UTC_ZONE)
    line = digest_line(report_of(LATENCY_OUT), NOW, UTC_ZONE)
    assert "· ❌ p\u201195\u2011latency outside its limit ·" in line
    assert "Guardrail p-95-latency reads" not in line  # said once, not twice


def test_the_digest_line_counts_the_gaps_it_does_not_name() -> None:
    facts = replace(
        GUARDED, guardrails=rails_with(p_95_latency=Measurement(2.4, ago(days=1)), csat=None)
    )
    assert "outside its limit (+1 more)" in digest_line(report_of(facts), NOW, UTC_ZONE)


def test_a_digest_with_guardrails_keeps_slacks_limits() -> None:
    reports = [
        report_of(replace(facts, key=f"P-{n}"))
        for n, facts in enumerate([GUARDED, LATENCY_OUT] * 40, start=1)
    ]
    messages = digest_messages(reports, NOW, UTC_ZONE)
    for message in messages:
        check_blocks(message["blocks"])
    assert "guardrails 3/3 within" in all_mrkdwn(messages[0]["blocks"])


def test_the_decision_dm_never_wraps_the_key_at_its_hyphen() -> None:
    message = decision_due_message(report_of(GUARDED), Ask.IN_7_DAYS, NOW, UTC_ZONE, SPONSOR)
    assert f"*Decision due: go, no-go or extend P{NB_HYPHEN}3 Support" in all_mrkdwn(
        message["blocks"]
    )
    assert "extend P-3 Support drafting" in str(message["text"])  # searchable as typed


def test_the_decision_dm_says_a_guardrail_that_does_not_hold_once() -> None:
    text = decision_text(LATENCY_OUT)
    assert text.count("latency") == 2  # its heading and its line, not a gap line again
    assert "*1 open gap*\n• 1 guardrail not holding, shown above" in text
