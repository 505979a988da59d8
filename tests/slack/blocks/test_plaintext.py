"""What `pilotgate demo` prints: the same messages, readable in a terminal, markup softened."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest

from bot.governance.direct_messages import direct_messages
from bot.governance.facts import PilotFacts
from bot.governance.notices import Due
from bot.governance.notices import Reason
from bot.slack.blocks.asks import asks_message
from bot.slack.blocks.decision import Ask
from bot.slack.blocks.decision import decision_due_message
from bot.slack.blocks.digest import digest_messages
from bot.slack.blocks.nudges import failure_notice
from bot.slack.blocks.plaintext import WIDTH
from bot.slack.blocks.plaintext import render_text
from bot.slack.blocks.plaintext import soften
from bot.slack.blocks.status_card import status_card
from tests.slack.blocks.factory import HOSTILE
from tests.slack.blocks.factory import NO_GO
from tests.slack.blocks.factory import NOW
from tests.slack.blocks.factory import OWNER
from tests.slack.blocks.factory import READY
from tests.slack.blocks.factory import SPONSOR
from tests.slack.blocks.factory import STALLED
from tests.slack.blocks.factory import UTC_ZONE
from tests.slack.blocks.factory import portfolio
from tests.slack.blocks.factory import report_of


@pytest.mark.parametrize(
    ("mrkdwn", "shown"),
    [
        ("*P-3* Support drafting", "P-3 Support drafting"),
        ("ask <@U123> for a reading", "ask @U123 for a reading"),
        ("ask <@U123|ann>", "ask @ann"),
        ("post in <#C1|ai-sponsors>", "post in #ai-sponsors"),
        ("post in <#C1>", "post in #C1"),
        ("<!here> look", "@here look"),
        ("see <https://example.com|the docs>", "see the docs (https://example.com)"),
        ("`/pilot baseline P-7 &lt;number&gt;`", "`/pilot baseline P-7 <number>`"),
        ("&lt;!channel&gt; &amp; &lt;script&gt;", HOSTILE),
        ("&amp;lt; stays", "&lt; stays"),
        ("2*3*4 and a * star", "2*3*4 and a * star"),
    ],
)
def test_markup_is_softened(mrkdwn: str, shown: str) -> None:
    assert soften(mrkdwn) == shown


def reminder(due: Due, facts: PilotFacts) -> dict[str, Any]:
    """The reminder DM the scheduler sends for `due`."""
    report = report_of(facts)
    [dm] = direct_messages([due], facts, report.assessment, NOW, UTC_ZONE)
    return asks_message(dm, report, UTC_ZONE, NOW)


def test_a_reminder_reads_as_plain_text_with_its_buttons() -> None:
    due = Due(OWNER, Reason.READING_DUE, "P-3", "reading:2026-11-16", NOW)
    text = render_text(reminder(due, READY))
    assert text.startswith("Record this week's reading of handle time for P-3 Support drafting.")
    assert "P-3 Support drafting · 🟢 Go" in text
    assert "[ Record a reading ]  [ Snooze 1 day ]  [ Snooze 1 week ]" in text
    assert "\n· You get this about P-3 as its owner" in text
    for markup in ("*", "<@", "&lt;", "&amp;", "\x1b"):
        assert markup not in text
    assert all(len(line) <= WIDTH for line in text.split("\n"))


def test_a_sponsor_sees_the_owner_by_name_and_the_decision_buttons() -> None:
    overdue = decision_due_message(report_of(NO_GO), Ask.OVERDUE, NOW, UTC_ZONE, SPONSOR)
    text = render_text(overdue)
    assert "[ Go ]  [ No-go ]  [ Extend ]" in text
    assert "The decide-by date passed 15 days ago" in " ".join(text.split())
    missed = Due(SPONSOR, Reason.READINGS_MISSED, "P-9", "missed:2026-11-09", NOW)
    text = render_text(reminder(missed, STALLED))
    assert text.startswith("Ask @U0ANN for a reading of P-9 Contract review: 2 readings missed.")


def test_a_hostile_name_reads_as_typed() -> None:
    due = Due(OWNER, Reason.BASELINE_MISSING, "P-3", "baseline:2026-11-16", NOW)
    text = render_text(reminder(due, replace(READY, name=HOSTILE)))
    assert f"Record the baseline of P-3 {HOSTILE}: measure" in text
    assert f"P-3 {HOSTILE} · 🟢 Go" in text


def test_a_header_is_underlined_and_fields_read_label_colon_value() -> None:
    text = render_text({"blocks": status_card(report_of(READY), NOW, UTC_ZONE, can_decide=True)})
    lines = text.split("\n")
    assert lines[0] == "P-3 · Support drafting"
    assert lines[1] == "=" * len(lines[0])
    assert "Verdict: 🟢 Go" in lines
    assert "Owner: @U0ANN" in lines
    # Ready for a decision: Decide comes first; the baseline is there, so no Record baseline.
    assert "[ Decide ]  [ Record a reading ]" in text


def test_a_channel_link_in_a_failure_notice_reads_as_a_channel() -> None:
    text = render_text(failure_notice(Reason.DIGEST, "", "C0DIGEST", "not_in_channel"))
    assert "could not deliver the pilot digest to #C0DIGEST" in text
    assert "To fix it: invite pilotgate to #C0DIGEST with `/invite @pilotgate`" in text


def test_long_lines_wrap_and_a_digest_reads_with_its_thread() -> None:
    messages = digest_messages(portfolio(500), NOW, UTC_ZONE)
    first, *thread = [render_text(message) for message in messages]
    assert first.startswith("Pilot portfolio: 16\u00a0Nov\n=======================\n")
    assert "\nReady for a go decision (125)\n" in first
    assert "· Continued in the thread" in first
    assert thread
    text = "\n".join([first, *thread])
    assert all(len(line) <= WIDTH for line in text.split("\n"))
    assert "<@" not in text
    # Every pilot is there once, each line starting with its key.
    keys = re.findall(r"^ *(P-\d+) ", text, re.MULTILINE)
    assert sorted(keys) == sorted(f"P-{n}" for n in range(1, 501))


def test_a_message_without_blocks_shows_its_text() -> None:
    assert render_text({"text": "*Hello* <@U1>"}) == "Hello @U1"
