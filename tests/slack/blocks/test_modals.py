"""The modals, and reading a view_submission back."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from bot.governance.facts import Measurement
from bot.slack.blocks.modals import decision_modal
from bot.slack.blocks.modals import measurement_modal
from bot.slack.blocks.modals import registration_modal
from bot.slack.blocks.modals import submitted_values
from bot.slack.ids import INPUT
from bot.slack.ids import Block
from bot.slack.ids import Callback
from bot.slack.metadata import PilotRef
from tests.slack.blocks.factory import FRESH
from tests.slack.blocks.factory import HOSTILE
from tests.slack.blocks.factory import NO_GO
from tests.slack.blocks.factory import NOW
from tests.slack.blocks.factory import OWNER
from tests.slack.blocks.factory import READY
from tests.slack.blocks.factory import ago
from tests.slack.blocks.factory import all_mrkdwn
from tests.slack.blocks.factory import check_view
from tests.slack.blocks.factory import input_kinds
from tests.slack.blocks.factory import inputs_of
from tests.slack.blocks.factory import portfolio
from tests.slack.blocks.factory import report_of


def test_registration_asks_for_every_field_with_known_ids() -> None:
    view = registration_modal(OWNER)
    check_view(view)
    assert view["callback_id"] == Callback.REGISTER
    assert len(view["title"]["text"]) <= 24
    inputs = inputs_of(view)
    assert list(inputs) == [
        Block.NAME,
        Block.OWNER,
        Block.SPONSOR,
        Block.WORKFLOW,
        Block.METRIC,
        Block.UNIT,
        Block.BETTER,
        Block.THRESHOLD,
        Block.DECIDE_BY,
        Block.CADENCE,
    ]
    assert input_kinds(inputs) == {
        "name": "plain_text_input",
        "owner": "users_select",
        "sponsor": "users_select",
        "workflow": "plain_text_input",
        "metric": "plain_text_input",
        "unit": "plain_text_input",
        "better": "static_select",
        "threshold": "number_input",
        "decide_by": "datepicker",
        "cadence": "static_select",
    }
    required = {block_id for block_id, block in inputs.items() if not block["optional"]}
    assert required == {"name", "owner", "cadence"}
    assert inputs["owner"]["element"]["initial_user"] == OWNER
    assert inputs["threshold"]["element"]["is_decimal_allowed"] is True
    assert inputs["cadence"]["element"]["initial_option"]["value"] == "weekly"
    options = [o["value"] for o in inputs["better"]["element"]["options"]]
    assert options == ["lower", "higher"]
    cadences = [o["value"] for o in inputs["cadence"]["element"]["options"]]
    assert cadences == ["weekly", "biweekly", "monthly"]
    # The rest of what a go needs is asked later, and the form says where.
    assert "Evaluation, unit economics, the production path and RACI come next" in all_mrkdwn(
        view["blocks"]
    )


def test_recording_a_reading_shows_the_metric_and_the_last_value() -> None:
    view = measurement_modal("reading", report_of(READY), NOW)
    check_view(view)
    assert view["callback_id"] == Callback.RECORD_READING
    assert view["title"]["text"] == "Record a reading"
    assert PilotRef.load(view["private_metadata"]) == PilotRef(key="P-3")
    text = all_mrkdwn(view["blocks"])
    assert "handle time: 9 min now" in text
    assert "last reading 9 min on 13\u00a0Nov" in text
    inputs = inputs_of(view)
    assert list(inputs) == [Block.VALUE, Block.NOTE]
    assert inputs["value"]["label"]["text"] == "handle time (min)"
    assert inputs["value"]["element"] == {
        "type": "number_input",
        "is_decimal_allowed": True,
        "placeholder": {"type": "plain_text", "text": "a number, like 9.8", "emoji": True},
        "action_id": INPUT,
    }
    assert inputs["note"]["optional"] is True
    assert inputs["note"]["element"]["multiline"] is True


def test_the_last_value_is_dated_on_the_owners_clock() -> None:
    report = report_of(replace(READY, latest_reading=Measurement(9, ago(hours=12))))
    utc = measurement_modal("reading", report, NOW)
    in_auckland = replace(report, owner_zone=ZoneInfo("Pacific/Auckland"))
    auckland = measurement_modal("reading", in_auckland, NOW)
    assert "last reading 9 min on 15\u00a0Nov" in all_mrkdwn(utc["blocks"])
    assert "last reading 9 min on 16\u00a0Nov" in all_mrkdwn(auckland["blocks"])


def test_recording_a_baseline_says_there_is_none_yet() -> None:
    view = measurement_modal("baseline", report_of(FRESH), NOW)
    check_view(view)
    assert view["callback_id"] == Callback.RECORD_BASELINE
    assert PilotRef.load(view["private_metadata"]).key == "P-7"
    assert "no baseline yet" in all_mrkdwn(view["blocks"])
    assert inputs_of(view)["value"]["label"]["text"] == "the go-live metric"


def test_the_decision_modal_shows_the_status_and_asks_why() -> None:
    view = decision_modal(report_of(NO_GO), NOW)
    check_view(view)
    assert view["callback_id"] == Callback.DECIDE
    assert len(view["title"]["text"]) <= 24
    assert PilotRef.load(view["private_metadata"]).key == "P-11"
    text = all_mrkdwn(view["blocks"])
    assert "*P-11* Sales email drafts — 🔴 No-go" in text
    assert "go at ≤ 9.8 min" in text
    assert "decide by 1\u00a0Nov (passed 15 days ago)" in text
    inputs = inputs_of(view)
    assert [o["value"] for o in inputs["decision"]["element"]["options"]] == [
        "go",
        "no-go",
        "extend",
    ]
    assert inputs["decision"]["optional"] is False
    assert inputs["rationale"]["optional"] is False
    assert inputs["rationale"]["element"]["multiline"] is True


def test_every_modal_of_a_large_portfolio_is_valid() -> None:
    for report in portfolio(60):
        check_view(decision_modal(report, NOW))
        check_view(measurement_modal("reading", report, NOW))
        check_view(measurement_modal("baseline", report, NOW))


def test_a_hostile_name_in_a_modal_pings_nobody() -> None:
    report = report_of(replace(FRESH, name=HOSTILE, metric_name=HOSTILE * 30))
    for view in (decision_modal(report, NOW), measurement_modal("reading", report, NOW)):
        check_view(view)
        assert "&lt;!channel&gt;" in all_mrkdwn(view["blocks"])


def chosen(label: str, value: str) -> dict[str, Any]:
    """A static_select as Slack reports the option chosen in it."""
    return {
        "type": "static_select",
        "selected_option": {
            "text": {"type": "plain_text", "text": label, "emoji": True},
            "value": value,
        },
    }


# A registration as Slack sends it in view_submission: view.state.values.
SUBMITTED: dict[str, Any] = {
    "name": {"input": {"type": "plain_text_input", "value": "Support drafting"}},
    "owner": {"input": {"type": "users_select", "selected_user": "U0ANN"}},
    "sponsor": {"input": {"type": "users_select", "selected_user": None}},
    "workflow": {"input": {"type": "plain_text_input", "value": "Zendesk"}},
    "metric": {"input": {"type": "plain_text_input", "value": "handle time"}},
    "unit": {"input": {"type": "plain_text_input", "value": None}},
    "better": {"input": chosen("Lower is better", "lower")},
    "threshold": {"input": {"type": "number_input", "value": "9.8"}},
    "decide_by": {"input": {"type": "datepicker", "selected_date": "2026-12-15"}},
    "cadence": {"input": chosen("Weekly", "weekly")},
    "Xq9+": {"input": {"type": "plain_text_input", "value": "from someone else's block"}},
}


def test_submitted_values_reads_a_registration() -> None:
    assert submitted_values(SUBMITTED) == {
        "name": "Support drafting",
        "owner": "U0ANN",
        "sponsor": None,
        "workflow": "Zendesk",
        "metric": "handle time",
        "unit": None,
        "better": "lower",
        "threshold": "9.8",
        "decide_by": "2026-12-15",
        "cadence": "weekly",
    }


def test_submitted_values_reads_a_decision() -> None:
    state = {
        "decision": {
            "input": {
                "type": "radio_buttons",
                "selected_option": {"text": {"type": "plain_text", "text": "Go"}, "value": "go"},
            }
        },
        "rationale": {"input": {"type": "plain_text_input", "value": "14 -> 9 minutes"}},
    }
    assert submitted_values(state) == {"decision": "go", "rationale": "14 -> 9 minutes"}


def test_submitted_values_tolerates_garbage() -> None:
    assert submitted_values({}) == {}
    assert submitted_values({"x": 1}) == {}
    assert submitted_values({"name": {"input": None}}) == {"name": None}
    assert submitted_values({"name": {}}) == {"name": None}
    assert submitted_values({"name": "text"}) == {"name": None}
    assert submitted_values({"name": {"input": {"type": "plain_text_input", "value": 3}}}) == {
        "name": None
    }
    assert submitted_values({"better": {"input": {"type": "static_select"}}}) == {"better": None}
    assert submitted_values({"better": {INPUT: {"selected_option": {"value": "x"}}}}) == {
        "better": None
    }
    assert submitted_values(None) == {}
    assert submitted_values([1, 2]) == {}


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from([*(b.value for b in Block), INPUT, "type", "value", "x"]) | st.text(),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@settings(database=None, max_examples=300)
@given(_json)
def test_submitted_values_never_raises(state: object) -> None:
    values = submitted_values(state)
    assert set(values) <= {block.value for block in Block}
    assert all(value is None or isinstance(value, str) for value in values.values())
