"""A pilot registered with a name only has nothing to read yet: its reading and baseline
reminders ask for the metric to be agreed first, and their button opens the form that agrees
it, instead of a reading form for a number nobody has defined."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.governance.direct_messages import DirectMessage
from bot.governance.direct_messages import direct_messages
from bot.governance.facts import Measurement
from bot.governance.facts import PilotFacts
from bot.governance.notices import ButtonKind
from bot.governance.notices import Due
from bot.governance.notices import Reason
from bot.governance.vocabulary import Better
from bot.slack.blocks.asks import asks_message
from bot.slack.blocks.complete import complete_modal
from bot.slack.ids import Action
from tests.slack.blocks.factory import FRESH
from tests.slack.blocks.factory import NOW
from tests.slack.blocks.factory import OWNER
from tests.slack.blocks.factory import check_blocks
from tests.slack.blocks.factory import inputs_of
from tests.slack.blocks.factory import report_of

BERLIN = ZoneInfo("Europe/Berlin")
AGREED = replace(FRESH, metric_name="match rate", unit="%", better=Better.HIGHER, threshold=92)


def read_once() -> dict[str, Measurement]:
    reading = Measurement(88, NOW - timedelta(days=3))
    return {"first_reading": reading, "latest_reading": reading}


def owner_dm(facts: PilotFacts, *reasons: Reason) -> DirectMessage:
    """The owner's one DM about `facts` for `reasons` due together."""
    report = report_of(facts)
    dues = [Due(OWNER, reason, facts.key, f"{reason.value}:1", NOW - timedelta(hours=1))
            for reason in reasons]  # fmt: skip
    [dm] = direct_messages(dues, facts, report.assessment, NOW, BERLIN)
    return dm


@pytest.mark.parametrize(
    "missing",
    [
        {"metric_name": None},
        {"better": None},
        {"threshold": None},
        {"metric_name": None, "better": None, "threshold": None},
    ],
)
def test_a_reading_of_a_metric_not_agreed_asks_to_agree_it_with_the_complete_form(
    missing: dict[str, object],
) -> None:
    facts = replace(AGREED, **missing)
    report = report_of(facts)
    dm = owner_dm(facts, Reason.READING_DUE)
    assert dm.first_line == (
        "Agree the go-live metric of P-7 Invoice matching: what is measured, which way is "
        "better, and the value that means go. Until then its readings decide nothing."
    )
    assert dm.buttons == (ButtonKind.COMPLETE_PILOT,)
    message = asks_message(dm, report, BERLIN, NOW)
    check_blocks(message["blocks"])
    assert Action.RECORD_READING.value not in json.dumps(message["blocks"])
    assert Action.COMPLETE_PILOT.value in json.dumps(message["blocks"])
    # The button's form has the fields the ask names.
    assert {"metric", "better", "threshold"} <= set(inputs_of(complete_modal(report)))


def test_a_baseline_of_a_metric_not_agreed_asks_for_the_metric_then_the_baseline() -> None:
    dm = owner_dm(replace(AGREED, threshold=None), Reason.BASELINE_MISSING)
    assert dm.first_line == (
        "Agree the go-live metric of P-7 Invoice matching, then measure its baseline before the "
        "pilot changes the work."
    )
    assert dm.buttons == (ButtonKind.COMPLETE_PILOT,)


def test_once_the_metric_is_agreed_the_reminders_ask_for_the_numbers_again() -> None:
    assert owner_dm(AGREED, Reason.READING_DUE, Reason.BASELINE_MISSING).buttons == (
        ButtonKind.RECORD_READING,
        ButtonKind.RECORD_BASELINE,
    )
    # Reading and baseline due together on a pilot without a metric: one button, the form.
    assert owner_dm(FRESH, Reason.READING_DUE, Reason.BASELINE_MISSING).buttons == (
        ButtonKind.COMPLETE_PILOT,
    )


def test_a_long_name_at_the_end_of_a_sentence_ends_it_with_its_ellipsis_alone() -> None:
    long = "Customer support reply drafting for the Berlin and Munich tier-2 queues (DE/EN)"
    dm = owner_dm(replace(AGREED, name=long), Reason.READING_DUE)
    assert dm.first_line.endswith("Berlin and Munich…")


def test_with_readings_in_the_metric_is_set_on_the_card_not_in_the_form() -> None:
    """The form cannot set a direction or threshold a reading has locked: the reminder's
    button opens the pilot, whose card names the reasoned `set`."""
    read_without_a_threshold = replace(AGREED, threshold=None, **read_once())
    dm = owner_dm(read_without_a_threshold, Reason.READING_DUE)
    assert dm.first_line.startswith("Agree the go-live metric of P-7")
    assert dm.buttons == (ButtonKind.OPEN_PILOT,)
