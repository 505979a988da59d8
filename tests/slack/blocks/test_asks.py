"""A reminder DM as the rules word it: the first ask leads, the others follow, each with the
button that does it; a hostile name stays text."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.governance.direct_messages import direct_messages
from bot.governance.facts import Measurement
from bot.governance.facts import PilotFacts
from bot.governance.notices import Due
from bot.governance.notices import Reason
from bot.governance.vocabulary import Better
from bot.slack.blocks.asks import asks_message
from bot.slack.ids import Action
from tests.slack.blocks.factory import FRESH
from tests.slack.blocks.factory import GUARDED
from tests.slack.blocks.factory import HOSTILE
from tests.slack.blocks.factory import NOW
from tests.slack.blocks.factory import ago
from tests.slack.blocks.factory import all_mrkdwn
from tests.slack.blocks.factory import check_blocks
from tests.slack.blocks.factory import rails_with
from tests.slack.blocks.factory import report_of

BERLIN = ZoneInfo("Europe/Berlin")
# A new pilot whose metric is agreed: its readings and baseline can be taken.
AGREED = replace(FRESH, metric_name="match rate", unit="%", better=Better.HIGHER, threshold=92)


def message_for(
    *reasons: Reason, name: str = FRESH.name, sent: int = 0, facts: PilotFacts = FRESH
) -> dict[str, object]:
    report = report_of(replace(facts, name=name))
    facts = report.facts
    assert facts.owner is not None
    dues = [
        Due(facts.owner, reason, facts.key, f"{reason.value}:1", NOW - timedelta(hours=number))
        for number, reason in enumerate(reasons, start=1)
    ]
    already = {(facts.owner, reason): sent for reason in reasons}
    [dm] = direct_messages(dues, facts, report.assessment, NOW, BERLIN, already_sent=already)
    return asks_message(dm, report, BERLIN, NOW)


def action_ids(message: dict[str, object]) -> list[str]:
    blocks = message["blocks"]
    assert isinstance(blocks, list)
    return [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


def test_three_asks_make_one_message_with_the_buttons_that_do_them() -> None:
    message = message_for(
        Reason.READING_DUE, Reason.BASELINE_MISSING, Reason.RACI_NO_ACCOUNTABLE, facts=AGREED
    )
    check_blocks(message["blocks"])  # type: ignore[arg-type]
    text = json.dumps(message["blocks"])
    assert str(message["text"]).startswith("Record this week's reading")
    assert "Also:" in text
    assert action_ids(message)[:3] == [
        Action.RECORD_READING.value, Action.RECORD_BASELINE.value, Action.COMPLETE_PILOT.value,
    ]  # fmt: skip
    assert Action.SNOOZE_WEEK.value in action_ids(message)  # the owner may quiet it


def test_the_third_reminder_says_so_on_its_first_line() -> None:
    assert str(message_for(Reason.READING_DUE, sent=2)["text"]).startswith("Third reminder")


def test_a_hostile_name_never_becomes_a_mention_or_a_broadcast() -> None:
    message = message_for(Reason.BASELINE_MISSING, name=HOSTILE)
    text = json.dumps(message["blocks"])
    assert "<!channel>" not in text
    assert "&lt;!channel&gt;" in text


def test_a_reading_reminder_shows_each_guardrail_against_its_limit() -> None:
    stale = Measurement(1.1, ago(days=12))
    facts = replace(GUARDED, guardrails=rails_with(errors=Measurement(2.6, ago(days=1)),
                                                   p_95_latency=stale, csat=None))  # fmt: skip
    message = message_for(Reason.READING_DUE, name=GUARDED.name, facts=facts)
    check_blocks(message["blocks"])  # type: ignore[arg-type]
    text = all_mrkdwn(message["blocks"])  # type: ignore[arg-type]
    assert "*Guardrails*: errors outside its limit" in text
    assert "❌ *errors* 2.6% · outside ≤\u00a02%" in text
    assert "⚪ *p\u201195\u2011latency* no current reading · last 1.1\u00a0s on 4\u00a0Nov" in text
    assert "⚪ *csat* no reading yet · limit ≥\u00a04.2\u00a0stars" in text


def test_a_pilot_without_guardrails_gets_no_guardrail_lines() -> None:
    assert "Guardrails" not in all_mrkdwn(message_for(Reason.READING_DUE)["blocks"])  # type: ignore[arg-type]
