"""The DMs owners and sponsors get: why each came, the verdict, and the button that does it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from bot.errors import InvalidInput
from bot.governance.facts import PilotFacts
from bot.governance.notices import Due
from bot.governance.notices import Reason
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole
from bot.slack.blocks.common import metric_line
from bot.slack.blocks.nudges import failure_notice
from bot.slack.blocks.nudges import nudge_message
from bot.slack.ids import Action
from bot.slack.metadata import DecideRef
from bot.slack.metadata import PilotRef
from bot.slack.metadata import SnoozeRef
from tests.slack.blocks.factory import ACCOUNTABLE
from tests.slack.blocks.factory import HOSTILE
from tests.slack.blocks.factory import NO_GO
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
SPONSOR_REASONS = [Reason.READINGS_MISSED, Reason.DECISION_OVERDUE]

NO_BASELINE = replace(READY, baseline=None, first_baseline=None)
DECIDE_IN_7 = replace(READY, decide_by=date(2026, 11, 23))
DECIDE_TODAY = replace(READY, decide_by=date(2026, 11, 16))
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
    Reason.DECIDE_BY_IN_7_DAYS: DECIDE_IN_7,
    Reason.DECIDE_BY_TODAY: DECIDE_TODAY,
    Reason.RACI_NO_ACCOUNTABLE: RACI_GAPS,
    Reason.READINGS_MISSED: STALLED,
    Reason.DECISION_OVERDUE: NO_GO,
}


def dm(reason: Reason, facts: PilotFacts | None = None) -> dict[str, Any]:
    facts = facts or FACTS_FOR[reason]
    recipient = SPONSOR if reason.to_sponsor else OWNER
    due = Due(recipient, reason, facts.key, "period", NOW)
    message = nudge_message(due, report_of(facts), NOW, UTC_ZONE)
    check_blocks(message["blocks"])
    return message


def buttons(message: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["text"]["text"]: b for b in elements_of(message["blocks"], "button")}


def first_text(message: dict[str, Any]) -> str:
    text: str = message["blocks"][0]["text"]["text"]
    return text


@pytest.mark.parametrize(
    ("reason", "sentence"),
    [
        (
            Reason.READING_DUE,
            "A reading of *handle time* for P-3 Support drafting is due "
            "(weekly cadence; last one 2026-11-13).",
        ),
        (
            Reason.BASELINE_MISSING,
            "P-3 Support drafting has no baseline yet: the before-state has to be measured "
            "before the pilot changes the work.",
        ),
        (
            Reason.DECIDE_BY_IN_7_DAYS,
            "P-3 Support drafting is due for its go/no-go decision on 2026-11-23, in 7 days; "
            "its verdict today is 🟢 Go.",
        ),
        (
            Reason.DECIDE_BY_TODAY,
            "Today, 2026-11-16, is the decide-by date of P-3 Support drafting; "
            "its verdict is 🟢 Go.",
        ),
        (
            Reason.RACI_NO_ACCOUNTABLE,
            "P-3 Support drafting has no Accountable person for incidents and changes: each "
            "area needs exactly one, so someone answers when it breaks.",
        ),
        (
            Reason.READINGS_MISSED,
            "<@U0ANN>, the owner, has missed two due readings of *handle time* for "
            "P-9 Contract review (weekly cadence; last one 2026-10-26).",
        ),
        (
            Reason.DECISION_OVERDUE,
            "The decide-by date of P-11 Sales email drafts, 2026-11-01, passed 15 days ago "
            "without a go/no-go decision; its verdict is 🔴 No-go.",
        ),
    ],
)
def test_every_dm_opens_with_why_it_came(reason: Reason, sentence: str) -> None:
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
    # The notification preview is one plain line naming the pilot and its verdict.
    assert "\n" not in message["text"]
    assert message["text"].startswith(
        f"{facts.key} {facts.name} ({report.assessment.verdict.label}): "
    )


@pytest.mark.parametrize(
    ("reason", "label", "action_id"),
    [
        (Reason.READING_DUE, "Record a reading", Action.RECORD_READING),
        (Reason.BASELINE_MISSING, "Record baseline", Action.RECORD_BASELINE),
        (Reason.DECIDE_BY_IN_7_DAYS, "Open the pilot", Action.OPEN_PILOT),
        (Reason.DECIDE_BY_TODAY, "Open the pilot", Action.OPEN_PILOT),
        (Reason.RACI_NO_ACCOUNTABLE, "Open the pilot", Action.OPEN_PILOT),
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
def test_owner_nudges_can_be_snoozed_for_a_day_or_a_week(reason: Reason) -> None:
    found = buttons(dm(reason))
    day, week = found["Snooze 1 day"], found["Snooze 1 week"]
    assert SnoozeRef.load(day["value"]) == SnoozeRef(key="P-3", days=1)
    assert SnoozeRef.load(week["value"]) == SnoozeRef(key="P-3", days=7)
    assert {day["action_id"], week["action_id"]} == {Action.SNOOZE_DAY, Action.SNOOZE_WEEK}
    assert "snooze to hear again later" in all_mrkdwn(dm(reason)["blocks"])


@pytest.mark.parametrize("reason", SPONSOR_REASONS)
def test_sponsor_escalations_cannot_be_snoozed(reason: Reason) -> None:
    found = buttons(dm(reason))
    assert not [label for label in found if label.startswith("Snooze")]
    assert "as its sponsor" in all_mrkdwn(dm(reason)["blocks"])


def test_an_overdue_decision_carries_go_no_go_and_extend() -> None:
    found = buttons(dm(Reason.DECISION_OVERDUE))
    assert list(found) == ["Go", "No-go", "Extend", "Open the pilot"]
    decisions = {
        label: DecideRef.load(found[label]["value"]) for label in ("Go", "No-go", "Extend")
    }
    assert decisions == {
        "Go": DecideRef(key="P-11", decision=Decision.GO),
        "No-go": DecideRef(key="P-11", decision=Decision.NO_GO),
        "Extend": DecideRef(key="P-11", decision=Decision.EXTEND),
    }
    assert found["Go"]["action_id"] == Action.DECIDE_GO
    assert found["No-go"]["action_id"] == Action.DECIDE_NO_GO
    assert found["No-go"]["style"] == "danger"
    assert found["No-go"]["confirm"]["title"]["text"] == "Stop P-11?"
    assert found["Extend"]["action_id"] == Action.DECIDE_EXTEND
    # Only the overdue decision offers them.
    for reason in [*OWNER_REASONS, Reason.READINGS_MISSED]:
        assert "Go" not in buttons(dm(reason))


@pytest.mark.parametrize("reason", OWNER_REASONS + SPONSOR_REASONS)
def test_action_ids_are_unique_within_each_actions_block(reason: Reason) -> None:
    for block in dm(reason)["blocks"]:
        if block["type"] == "actions":
            ids = [element["action_id"] for element in block["elements"]]
            assert len(ids) == len(set(ids))


def test_a_hostile_name_pings_nobody() -> None:
    for reason in OWNER_REASONS + SPONSOR_REASONS:
        message = dm(reason, replace(FACTS_FOR[reason], name=HOSTILE, metric_name="<!here>"))
        text = all_mrkdwn(message["blocks"]) + message["text"]
        assert "<!" not in text
        assert "<script" not in text
        assert "&lt;!channel&gt; &amp; &lt;script&gt;" in text


def test_a_missing_owner_and_a_first_reading_are_said_plainly() -> None:
    no_owner = replace(STALLED, owner=None)
    assert first_text(dm(Reason.READINGS_MISSED, no_owner)).startswith(
        "Nobody (it has no owner) has missed two due readings"
    )
    fresh = replace(READY, latest_reading=None, first_reading=None, metric_name=None)
    assert first_text(dm(Reason.READING_DUE, fresh)) == (
        "A reading of the metric for P-3 Support drafting is due "
        "(weekly cadence; none recorded yet)."
    )


@pytest.mark.parametrize("reason", [Reason.DIGEST, Reason.DELIVERY_FAILED])
def test_the_digest_and_failure_notices_are_not_nudges(reason: Reason) -> None:
    with pytest.raises(ValueError, match="not a DM about one pilot"):
        nudge_message(Due(OWNER, reason, "P-3", "p", NOW), report_of(READY), NOW, UTC_ZONE)


# ---- button state ----------------------------------------------------------------------


def test_snooze_and_decide_refs_round_trip() -> None:
    for days in (1, 7):
        ref = SnoozeRef(key="P-123", days=days)
        assert SnoozeRef.load(ref.dump()) == ref
    for decision in Decision:
        decide = DecideRef(key="P-9", decision=decision)
        assert DecideRef.load(decide.dump()) == decide
    assert DecideRef(key="P-9", decision=Decision.NO_GO).dump() == (
        '{"key":"P-9","decision":"no-go"}'
    )


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "{}",
        "not json",
        '{"key":"P-1"}',
        '{"key":"P-1","days":3}',
        '{"key":"P-1","days":"7"}',
        '{"key":"P-1","days":true}',
        '{"key":"P-1","days":7.0}',
        '{"key":"X-1","days":1}',
        '{"key":"P-1","days":1,"until":"2099-01-01"}',
    ],
)
def test_a_forged_snooze_is_refused(raw: str | None) -> None:
    with pytest.raises(InvalidInput):
        SnoozeRef.load(raw)


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        '{"key":"P-1"}',
        '{"key":"P-1","decision":"maybe"}',
        '{"key":"P-1","decision":"GO"}',
        '{"key":"P-1","decision":"go","by":"U1"}',
        '{"key":"P-01x","decision":"go"}',
    ],
)
def test_a_forged_decision_is_refused(raw: str | None) -> None:
    with pytest.raises(InvalidInput):
        DecideRef.load(raw)


# ---- a message that could never be delivered ---------------------------------------------


def _checked_notice(reason: Reason, subject: str, recipient: str, error: str) -> str:
    message = failure_notice(reason, subject, recipient, error)
    # The checker allows user mentions only; a channel link is the other live markup a
    # notice carries, so check the rest with it swapped for plain text.
    blocks = message["blocks"]
    swapped = [
        {**b, "text": {**b["text"], "text": b["text"]["text"].replace("<#C0DIGEST>", "#digest")}}
        if "text" in b
        else b
        for b in blocks
    ]
    check_blocks(swapped)
    assert "\n" not in message["text"]
    return all_mrkdwn(blocks)


def test_an_archived_digest_channel_says_how_to_fix_it() -> None:
    text = _checked_notice(Reason.DIGEST, "", "C0DIGEST", "is_archived")
    assert "could not deliver the pilot digest to <#C0DIGEST>: the channel is archived" in text
    assert "unarchive <#C0DIGEST>" in text
    assert "`/pilot digest #channel daily|weekly [mon…sun] [HH:MM]`" in text
    assert "`is_archived`" in text


@pytest.mark.parametrize("error", ["not_in_channel", "channel_not_found"])
def test_a_digest_channel_without_the_bot_says_invite_it(error: str) -> None:
    text = _checked_notice(Reason.DIGEST, "", "C0DIGEST", error)
    assert "invite pilotgate to <#C0DIGEST> with `/invite @pilotgate`" in text
    assert "`/pilot digest #channel" in text


def test_a_dm_that_failed_names_the_pilot_and_who_takes_over() -> None:
    text = _checked_notice(Reason.DECISION_OVERDUE, "P-3", SPONSOR, "user_disabled")
    assert "about P-3 to <@U0SPO>: their account is deactivated" in text
    assert "`/pilot set P-3 sponsor:@name`" in text
    owner_text = _checked_notice(Reason.READING_DUE, "P-3", OWNER, "something_new")
    assert "`/pilot set P-3 owner:@name`" in owner_text
    assert "`something_new`" in owner_text


def test_a_revoked_token_asks_for_a_reinstall() -> None:
    text = _checked_notice(Reason.DIGEST, "", "C0DIGEST", "token_revoked")
    assert "reinstall pilotgate" in text


def test_a_hostile_error_or_recipient_is_escaped() -> None:
    text = _checked_notice(Reason.READING_DUE, "<!channel>", "<!here>", "<!everyone>")
    assert "<!" not in text
