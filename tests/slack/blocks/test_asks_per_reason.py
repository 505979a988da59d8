"""The reminder DM owners and sponsors get, reason by reason, built as the scheduler builds it:
what is asked first, the verdict and metric line, the button that does it, and the snooze only
the owner gets. (The decision DMs, overdue included, are tested in test_decision.py.)"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from datetime import timedelta
from typing import Any

import pytest

from bot.governance.direct_messages import direct_messages
from bot.governance.facts import PilotFacts
from bot.governance.notices import Due
from bot.governance.notices import Reason
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole
from bot.slack.blocks.asks import asks_message
from bot.slack.blocks.common import metric_line
from bot.slack.ids import Action
from bot.slack.metadata import PilotRef
from bot.slack.metadata import SnoozeRef
from tests.slack.blocks.factory import ACCOUNTABLE
from tests.slack.blocks.factory import HOSTILE
from tests.slack.blocks.factory import NOW
from tests.slack.blocks.factory import OWNER
from tests.slack.blocks.factory import READY
from tests.slack.blocks.factory import SPONSOR
from tests.slack.blocks.factory import STALLED
from tests.slack.blocks.factory import UTC_ZONE
from tests.slack.blocks.factory import all_mrkdwn
from tests.slack.blocks.factory import check_blocks
from tests.slack.blocks.factory import elements_of
from tests.slack.blocks.factory import report_of

OWNER_REASONS = [
    Reason.READING_DUE,
    Reason.BASELINE_MISSING,
    Reason.DECIDE_BY_IN_7_DAYS,
    Reason.DECIDE_BY_TODAY,
    Reason.RACI_NO_ACCOUNTABLE,
]
# The sponsor's asks that come as a reminder DM; a decision due or overdue comes as the
# decision DM instead.
SPONSOR_REASONS = [Reason.READINGS_MISSED, Reason.STOP_OR_EXTEND]

NO_BASELINE = replace(READY, baseline=None, first_baseline=None)
RACI_GAPS = replace(
    READY,
    raci={
        area: {RaciRole.ACCOUNTABLE: (ACCOUNTABLE,)}
        for area in (RaciArea.EVALUATION, RaciArea.INTEGRATION, RaciArea.REPORTING)
    },
)
FACTS_FOR = {
    Reason.READING_DUE: READY,
    Reason.BASELINE_MISSING: NO_BASELINE,
    Reason.DECIDE_BY_IN_7_DAYS: replace(READY, decide_by=date(2026, 11, 23)),
    Reason.DECIDE_BY_TODAY: replace(READY, decide_by=date(2026, 11, 16)),
    Reason.RACI_NO_ACCOUNTABLE: RACI_GAPS,
    Reason.READINGS_MISSED: STALLED,
    Reason.STOP_OR_EXTEND: STALLED,
}


def dm(reason: Reason, facts: PilotFacts | None = None) -> dict[str, Any]:
    """The DM the scheduler sends for this one reason, checked against Slack's limits."""
    facts = facts or FACTS_FOR[reason]
    recipient = SPONSOR if reason.to_sponsor else OWNER
    report = report_of(facts)
    due = Due(recipient, reason, facts.key, f"{reason.value}:1", NOW - timedelta(hours=1))
    [message] = direct_messages([due], facts, report.assessment, NOW, UTC_ZONE)
    built = asks_message(message, report, UTC_ZONE, NOW)
    check_blocks(built["blocks"])
    return built


def buttons(message: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["text"]["text"]: b for b in elements_of(message["blocks"], "button")}


def first_text(message: dict[str, Any]) -> str:
    text: str = message["blocks"][0]["text"]["text"]
    return text


@pytest.mark.parametrize(
    ("reason", "sentence"),
    [
        (Reason.READING_DUE,
         "*Record this week's reading of handle time for P-3 Support drafting.*"),
        (Reason.BASELINE_MISSING,
         "*Record the baseline of P-3 Support drafting: measure handle time before the pilot "
         "changes the work.*"),
        (Reason.DECIDE_BY_IN_7_DAYS,
         "*Get P-3 Support drafting ready for its go/no-go decision on 23\u00a0Nov, "
         "a week from now.*"),
        (Reason.DECIDE_BY_TODAY,
         "*Get P-3 Support drafting ready for its go/no-go decision: it is due today, "
         "16\u00a0Nov.*"),
        (Reason.RACI_NO_ACCOUNTABLE,
         "*Name an Accountable for incidents and changes of P-3 Support drafting.*"),
        (Reason.READINGS_MISSED,
         "*Ask <@U0ANN> for a reading of P-9 Contract review: 2 readings missed.*"),
    ],
)  # fmt: skip
def test_every_dm_opens_with_what_is_asked(reason: Reason, sentence: str) -> None:
    assert first_text(dm(reason)) == sentence


@pytest.mark.parametrize("reason", OWNER_REASONS + SPONSOR_REASONS)
def test_every_dm_shows_the_verdict_and_the_metric_line(reason: Reason) -> None:
    message = dm(reason)
    facts = FACTS_FOR[reason]
    report = report_of(facts)
    text = all_mrkdwn(message["blocks"])
    assert f"*{facts.key}* {facts.name} · " in text
    assert report.assessment.verdict.label in text
    assert metric_line(facts, report.assessment) in text
    assert f"{facts.metric_name}: " in text
    assert " now · " in text
    # The notification preview is one plain line naming the pilot.
    assert "\n" not in message["text"]
    assert f"{facts.key} {facts.name}" in message["text"]


@pytest.mark.parametrize(
    ("reason", "label", "action_id"),
    [
        (Reason.READING_DUE, "Record a reading", Action.RECORD_READING),
        (Reason.BASELINE_MISSING, "Record baseline", Action.RECORD_BASELINE),
        (Reason.DECIDE_BY_IN_7_DAYS, "Complete the pilot", Action.COMPLETE_PILOT),
        (Reason.DECIDE_BY_TODAY, "Complete the pilot", Action.COMPLETE_PILOT),
        (Reason.RACI_NO_ACCOUNTABLE, "Complete the pilot", Action.COMPLETE_PILOT),
        (Reason.READINGS_MISSED, "Open the pilot", Action.OPEN_PILOT),
    ],
)
def test_the_first_button_does_the_job(reason: Reason, label: str, action_id: Action) -> None:
    message = dm(reason)
    first = next(elements_of(message["blocks"], "button"))
    assert first["text"]["text"] == label
    assert first["action_id"] == action_id
    assert first["style"] == "primary"
    assert PilotRef.load(first["value"]).key == FACTS_FOR[reason].key


@pytest.mark.parametrize("reason", OWNER_REASONS)
def test_owner_reminders_can_be_snoozed_for_a_day_or_a_week(reason: Reason) -> None:
    message = dm(reason)
    found = buttons(message)
    day, week = found["Snooze 1 day"], found["Snooze 1 week"]
    assert SnoozeRef.load(day["value"]) == SnoozeRef(key="P-3", days=1)
    assert SnoozeRef.load(week["value"]) == SnoozeRef(key="P-3", days=7)
    assert {day["action_id"], week["action_id"]} == {Action.SNOOZE_DAY, Action.SNOOZE_WEEK}
    assert "snooze to hear again later" in all_mrkdwn(message["blocks"])


def test_an_owner_with_every_ask_at_once_keeps_the_snoozes() -> None:
    facts = replace(NO_BASELINE, raci={}, decide_by=date(2026, 11, 23))
    report = report_of(facts)
    dues = [
        Due(OWNER, reason, facts.key, f"{reason.value}:1", NOW - timedelta(hours=1))
        for reason in OWNER_REASONS
    ]
    [message] = direct_messages(dues, facts, report.assessment, NOW, UTC_ZONE)
    built = asks_message(message, report, UTC_ZONE, NOW)
    check_blocks(built["blocks"])
    assert list(buttons(built)) == [
        "Complete the pilot", "Record a reading", "Record baseline", "Snooze 1 day",
        "Snooze 1 week",
    ]  # fmt: skip


@pytest.mark.parametrize("reason", SPONSOR_REASONS)
def test_sponsor_escalations_cannot_be_snoozed(reason: Reason) -> None:
    message = dm(reason)
    assert not [label for label in buttons(message) if label.startswith("Snooze")]
    text = all_mrkdwn(message["blocks"])
    assert "as its sponsor." in text
    assert "snooze" not in text


@pytest.mark.parametrize("reason", OWNER_REASONS + SPONSOR_REASONS)
def test_action_ids_are_unique_and_only_a_decision_offers_go(reason: Reason) -> None:
    message = dm(reason)
    for block in message["blocks"]:
        if block["type"] == "actions":
            ids = [element["action_id"] for element in block["elements"]]
            assert len(ids) == len(set(ids))
    assert "Go" not in buttons(message)


@pytest.mark.parametrize("reason", OWNER_REASONS + SPONSOR_REASONS)
def test_a_hostile_name_or_metric_pings_nobody(reason: Reason) -> None:
    message = dm(reason, replace(FACTS_FOR[reason], name=HOSTILE, metric_name="<!here>"))
    text = all_mrkdwn(message["blocks"]) + message["text"]
    assert "<!" not in text
    assert "<script" not in text
    assert "&lt;!channel&gt; &amp; &lt;script&gt;" in text
    # The notification preview too: Slack reads it as mrkdwn.
    assert "&lt;!channel&gt; &amp; &lt;script&gt;" in message["text"]


def test_a_missing_owner_and_a_missing_metric_are_said_plainly() -> None:
    no_owner = replace(STALLED, owner=None)
    assert first_text(dm(Reason.READINGS_MISSED, no_owner)).startswith(
        "*Ask its owner for a reading of P-9 Contract review"
    )
    fresh = replace(READY, latest_reading=None, first_reading=None, metric_name=None)
    message = dm(Reason.READING_DUE, fresh)
    assert first_text(message) == (
        "*Agree the go-live metric of P-3 Support drafting: what is measured, which way is "
        "better, and the value that means go. Until then its readings decide nothing.*"
    )
    assert "No go-live metric yet: no reading yet" in all_mrkdwn(message["blocks"])


@pytest.mark.parametrize("reason", [Reason.DIGEST, Reason.DELIVERY_FAILED])
def test_the_digest_and_failure_notices_are_not_reminder_dms(reason: Reason) -> None:
    report = report_of(READY)
    due = Due(OWNER, reason, "P-3", "p", NOW)
    assert direct_messages([due], READY, report.assessment, NOW, UTC_ZONE) == []
