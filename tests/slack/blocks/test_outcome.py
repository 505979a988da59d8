"""Told the outcome: the DM after a decision, the channel line, and the override approval."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from datetime import date
from datetime import datetime
from typing import Any

import pytest

from bot.errors import InvalidInput
from bot.governance.facts import DecisionRecord
from bot.governance.facts import PilotFacts
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import DecisionStatus
from bot.governance.vocabulary import Stage
from bot.services.pilots import PilotReport
from bot.slack.blocks.outcome import decision_announcement
from bot.slack.blocks.outcome import decision_outcome_message
from bot.slack.blocks.outcome import override_approval_message
from bot.slack.ids import Action
from bot.slack.metadata import OverrideRef
from bot.slack.metadata import PilotRef
from tests.slack.blocks.factory import ACCOUNTABLE
from tests.slack.blocks.factory import APPROVED
from tests.slack.blocks.factory import FRESH
from tests.slack.blocks.factory import HOSTILE
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
from tests.slack.blocks.factory import elements_of
from tests.slack.blocks.factory import extended
from tests.slack.blocks.factory import report_of

EXTENDED = report_of(
    extended(decided(replace(FRESH, sponsor=SPONSOR), Decision.EXTEND), date(2027, 3, 5)),
    stage=Stage.EXTENDED,
)
PENDING = DecisionRecord(
    Decision.GO, OWNER, ago(hours=2), "The queue needs it now.", DecisionStatus.PENDING
)
WAITING = replace(FRESH, sponsor=SPONSOR, pending_decision=PENDING)


def told(report: PilotReport, recipient: str = OWNER, **kwargs: Any) -> dict[str, Any]:
    message = decision_outcome_message(report, recipient, NOW, UTC_ZONE, **kwargs)
    check_blocks(message["blocks"])
    assert "\n" not in message["text"]
    return message


def test_the_owner_is_told_a_stop_with_who_why_and_the_verdict_at_the_decision() -> None:
    message = told(STOPPED)
    assert message["text"] == "⛔ P-3 Support drafting: stopped"
    text = all_mrkdwn(message["blocks"])
    assert text.startswith(
        "*⛔ P-3 Support drafting: stopped*\n"
        "<@U0SPO> decided no-go on 15\u00a0Nov\n"
        "Verdict when decided: 🟢 Go"
    )
    assert "> numbers are in" in text
    assert "Nothing more will be asked about it." in text
    assert "You get this about P-3 as its owner." in text
    (open_button,) = elements_of(message["blocks"], "button")
    assert open_button["action_id"] == Action.OPEN_PILOT
    assert PilotRef.load(open_button["value"]).key == "P-3"


def test_an_extension_tells_its_new_date_and_the_verdict_now() -> None:
    text = all_mrkdwn(told(EXTENDED, SPONSOR)["blocks"])
    assert "*⏩ P-7 Invoice matching: extended to 5\u00a0Mar\u00a02027*" in text
    assert "New decide-by date: *5\u00a0Mar\u00a02027* (in 109 days)" in text
    assert "Verdict now: 🟡 Not ready" in text
    assert "You get this about P-7 as its sponsor." in text


def test_an_approved_override_names_both_people() -> None:
    record = DecisionRecord(
        Decision.GO, OWNER, ago(days=2), "ship", DecisionStatus.APPROVED, approved_by=ACCOUNTABLE
    )
    report = report_of(replace(READY, latest_decision=record), stage=Stage.APPROVED)
    text = all_mrkdwn(told(report, SPONSOR)["blocks"])
    assert "*✅ P-3 Support drafting: approved for production*" in text
    assert "<@U0ANN> decided go on 14\u00a0Nov; <@U0ACC> approved it" in text


def test_a_pending_and_a_rejected_go_are_told_as_such() -> None:
    pending = told(report_of(WAITING), SPONSOR, record=PENDING)
    assert pending["text"] == "⏳ A go for P-7 Invoice matching waits for a second approval"
    rejected = replace(PENDING, status=DecisionStatus.REJECTED, approved_by=SPONSOR)
    message = told(report_of(WAITING), OWNER, record=rejected)
    assert (
        message["text"] == "↩️ The go for P-7 Invoice matching was not approved; it stays as it was"
    )
    assert "Nothing more will be asked" not in all_mrkdwn(message["blocks"])


def test_a_pilot_without_a_decision_has_nothing_to_tell() -> None:
    with pytest.raises(ValueError, match="no decision"):
        decision_outcome_message(report_of(READY), OWNER, NOW, UTC_ZONE)


@pytest.mark.parametrize(
    ("report", "line"),
    [
        (
            STOPPED,
            "⛔ *P-3* Support drafting stopped by <@U0SPO> on 15\u00a0Nov · 🟢 Go when decided: "
            "“numbers are in”",
        ),
        (
            APPROVED,
            "✅ *P-3* Support drafting approved for production by <@U0SPO> on 15\u00a0Nov · "
            "🟢 Go when decided: “numbers are in”",
        ),
        (
            EXTENDED,
            "⏩ *P-7* Invoice matching extended to 5\u00a0Mar\u00a02027 by <@U0SPO> on 15\u00a0Nov "
            "· now 🟡 Not ready: “numbers are in”",
        ),
    ],
)
def test_the_channel_gets_one_line(report: PilotReport, line: str) -> None:
    message = decision_announcement(report, UTC_ZONE)
    check_blocks(message["blocks"])
    assert [block["text"]["text"] for block in message["blocks"]] == [line]
    assert "\n" not in message["text"]


def test_a_hostile_name_and_rationale_in_the_announcement_ping_nobody() -> None:
    facts = decided(replace(READY, name=HOSTILE), Decision.NO_GO)
    assert facts.latest_decision is not None
    facts = replace(
        facts, latest_decision=replace(facts.latest_decision, rationale="<!here> " * 100)
    )
    message = decision_announcement(report_of(facts, stage=Stage.STOPPED), UTC_ZONE)
    check_blocks(message["blocks"])
    text = message["blocks"][0]["text"]["text"]
    assert "<!" not in text + message["text"]
    assert "\n" not in text
    assert len(text) < 400


def approval(facts: PilotFacts = WAITING, **kwargs: Any) -> dict[str, Any]:
    message = override_approval_message(report_of(facts), SPONSOR, NOW, UTC_ZONE, **kwargs)
    check_blocks(message["blocks"])
    return message


def test_the_second_person_sees_what_the_go_goes_over_and_approves_or_rejects() -> None:
    message = approval()
    assert message["text"] == "Approve a go over open gaps? P-7 Invoice matching"
    text = all_mrkdwn(message["blocks"])
    assert (
        "<@U0ANN> decided go on 16\u00a0Nov while the verdict is 🟡 Not ready. It takes effect "
        "only if you approve."
    ) in text
    assert "> The queue needs it now." in text
    gaps = report_of(WAITING).assessment.gaps
    assert f"*The {len(gaps)} open gaps this go goes over*" in text
    assert "• No baseline" in text.split("\n")
    approve, reject = elements_of(message["blocks"], "button")
    assert (approve["text"]["text"], approve["style"]) == ("Approve", "primary")
    assert (reject["text"]["text"], reject["style"]) == ("Reject", "danger")
    assert (approve["action_id"], reject["action_id"]) == (
        Action.APPROVE_OVERRIDE,
        Action.REJECT_OVERRIDE,
    )
    for element in (approve, reject):
        assert OverrideRef.load(element["value"]) == OverrideRef(key="P-7", decided_at=PENDING.at)
    assert "cannot approve their own go" in text


def test_the_gaps_recorded_with_the_go_are_the_ones_listed() -> None:
    recorded = ["No rollback or kill switch: build one with `/pilot set P-7 rollback:yes`"]
    text = all_mrkdwn(approval(gaps=recorded)["blocks"])
    assert "*The 1 open gap this go goes over*\n• No rollback or kill switch" in text


def test_there_is_nothing_to_approve_without_a_pending_go() -> None:
    with pytest.raises(ValueError, match="no go waiting"):
        override_approval_message(report_of(READY), SPONSOR, NOW, UTC_ZONE)


def test_override_refs_round_trip_and_forged_ones_are_refused() -> None:
    ref = OverrideRef(key="P-7", decided_at=datetime(2026, 11, 16, 8, 0, tzinfo=UTC))
    assert OverrideRef.load(ref.dump()) == ref
    for raw in (None, "", '{"key":"P-7"}', '{"key":"X-7","decided_at":"2026-11-16T08:00:00Z"}',
                '{"key":"P-7","decided_at":"soon"}',
                '{"key":"P-7","decided_at":"2026-11-16T08:00:00Z","by":"U1"}'):  # fmt: skip
        with pytest.raises(InvalidInput):
            OverrideRef.load(raw)
