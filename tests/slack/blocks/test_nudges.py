"""The snooze and decide buttons' state, and the notice that a message could never be
delivered. (The reminder DMs themselves: test_asks.py and test_asks_per_reason.py.)"""

from __future__ import annotations

import pytest

from bot.errors import InvalidInput
from bot.governance.notices import Reason
from bot.governance.vocabulary import Decision
from bot.slack.blocks.nudges import failure_notice
from bot.slack.metadata import DecideRef
from bot.slack.metadata import SnoozeRef
from tests.slack.blocks.factory import OWNER
from tests.slack.blocks.factory import SPONSOR
from tests.slack.blocks.factory import all_mrkdwn
from tests.slack.blocks.factory import check_blocks

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


FORGED_SNOOZES = [
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
]
FORGED_DECISIONS = [
    None,
    "",
    '{"key":"P-1"}',
    '{"key":"P-1","decision":"maybe"}',
    '{"key":"P-1","decision":"GO"}',
    '{"key":"P-1","decision":"go","by":"U1"}',
    '{"key":"P-01x","decision":"go"}',
]


@pytest.mark.parametrize(
    ("ref", "raw"),
    [(SnoozeRef, raw) for raw in FORGED_SNOOZES] + [(DecideRef, raw) for raw in FORGED_DECISIONS],
)
def test_a_forged_snooze_or_decision_is_refused(
    ref: type[SnoozeRef] | type[DecideRef], raw: str | None
) -> None:
    with pytest.raises(InvalidInput):
        ref.load(raw)


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
