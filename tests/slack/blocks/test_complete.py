"""The Complete the pilot form, and the new date on the Decide form's Extend."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from bot.governance.vocabulary import Better
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole
from bot.slack.blocks.complete import complete_modal
from bot.slack.blocks.complete import plain_number
from bot.slack.blocks.modals import decision_modal
from bot.slack.blocks.modals import submitted_values
from bot.slack.ids import INPUT
from bot.slack.ids import Block
from bot.slack.ids import Callback
from bot.slack.metadata import PilotRef
from tests.slack.blocks.factory import ACCOUNTABLE
from tests.slack.blocks.factory import FRESH
from tests.slack.blocks.factory import HOSTILE
from tests.slack.blocks.factory import NOW
from tests.slack.blocks.factory import OWNER
from tests.slack.blocks.factory import READY
from tests.slack.blocks.factory import all_mrkdwn
from tests.slack.blocks.factory import check_view
from tests.slack.blocks.factory import full_raci
from tests.slack.blocks.factory import input_kinds
from tests.slack.blocks.factory import inputs_of
from tests.slack.blocks.factory import portfolio
from tests.slack.blocks.factory import report_of

FORM_BLOCKS = [
    Block.METRIC,
    Block.UNIT,
    Block.BETTER,
    Block.THRESHOLD,
    Block.WORKFLOW,
    Block.MONITORING,
    Block.ROLLBACK,
    Block.EVAL_SIZE,
    Block.EVAL_SCORE,
    Block.EVAL_BAR,
    Block.COST_PER_UNIT,
    Block.VALUE_PER_UNIT,
    Block.VOLUME,
    Block.CURRENCY,
    Block.EVAL_REPORT,
    Block.DASHBOARD,
    Block.RUNBOOK,
    Block.ACCOUNTABLE,
]


def test_one_form_asks_for_every_field_a_gap_can_ask_for() -> None:
    view = complete_modal(report_of(FRESH))
    check_view(view)
    assert view["callback_id"] == Callback.COMPLETE
    assert view["title"]["text"] == "Complete the pilot"
    assert PilotRef.load(view["private_metadata"]) == PilotRef(key="P-7")
    found = inputs_of(view)
    assert list(found) == FORM_BLOCKS
    assert all(block["optional"] for block in found.values())
    assert input_kinds(found) == {
        "metric": "plain_text_input",
        "unit": "plain_text_input",
        "better": "static_select",
        "threshold": "number_input",
        "workflow": "plain_text_input",
        "monitoring": "plain_text_input",
        "rollback": "radio_buttons",
        "eval_size": "number_input",
        "eval_score": "number_input",
        "eval_bar": "number_input",
        "cost_per_unit": "number_input",
        "value_per_unit": "number_input",
        "volume": "number_input",
        "currency": "plain_text_input",
        "eval_report": "url_text_input",
        "dashboard": "url_text_input",
        "runbook": "url_text_input",
        "accountable": "users_select",
    }
    assert found["eval_size"]["element"]["is_decimal_allowed"] is False
    assert found["volume"]["element"]["is_decimal_allowed"] is False
    assert found["eval_bar"]["element"]["max_value"] == "100"
    assert [o["value"] for o in found["rollback"]["element"]["options"]] == ["yes", "no"]
    assert [o["value"] for o in found["better"]["element"]["options"]] == ["lower", "higher"]


def test_a_new_pilot_shows_what_each_part_still_needs() -> None:
    view = complete_modal(report_of(FRESH))
    text = all_mrkdwn(view["blocks"])
    assert "*Go-live metric*\n🟡 No agreed go-live metric or direction or threshold" in text
    assert "*Production path*\n🟡 No live workflow named\n🟡 No monitoring in place" in text
    assert "*Evaluation*\n🟡 No evaluation bar" in text
    assert "*Accountable*\n🟡 RACI has no Accountable for incidents" in text
    # Nothing to prefill but the currency every pilot has.
    prefilled = {
        block_id: block["element"]
        for block_id, block in inputs_of(view).items()
        if {"initial_value", "initial_option", "initial_user"} & set(block["element"])
    }
    assert list(prefilled) == ["currency"]
    assert prefilled["currency"]["initial_value"] == "USD"


def test_a_complete_pilot_is_prefilled_with_what_it_has() -> None:
    links = {"eval-report": "https://example.org/eval", "runbook": "https://example.org/run"}
    view = complete_modal(report_of(replace(READY, currency="EUR")), links)
    check_view(view)
    found = inputs_of(view)
    initial = {
        block_id: block["element"].get("initial_value")
        for block_id, block in found.items()
        if "initial_value" in block["element"]
    }
    assert initial == {
        "workflow": "Zendesk",
        "monitoring": "quality dashboard",
        "eval_size": "150",
        "eval_score": "96",
        "eval_bar": "95",
        "cost_per_unit": "0.4",
        "value_per_unit": "6.5",
        "volume": "40000",
        "currency": "EUR",
        "eval_report": "https://example.org/eval",
        "runbook": "https://example.org/run",
    }
    assert found["rollback"]["element"]["initial_option"]["value"] == "yes"
    assert found["accountable"]["element"]["initial_user"] == ACCOUNTABLE
    assert "🟡" not in all_mrkdwn(view["blocks"])


def test_an_agreed_metric_stays_editable_until_the_first_reading_locks_it() -> None:
    agreed = replace(
        FRESH, metric_name="match rate", unit="%", better=Better.HIGHER, threshold=92.5
    )
    found = inputs_of(complete_modal(report_of(agreed)))
    assert found["metric"]["element"]["initial_value"] == "match rate"
    assert found["unit"]["element"]["initial_value"] == "%"
    assert found["better"]["element"]["initial_option"]["value"] == "higher"
    assert found["threshold"]["element"]["initial_value"] == "92.5"
    assert "Locked once readings begin" in found["threshold"]["hint"]["text"]
    # Once a reading is in, the metric is READY's record: nothing of it in the form.
    view = complete_modal(report_of(READY))
    assert not {"metric", "unit", "better", "threshold"} & set(inputs_of(view))
    assert "Go-live metric" not in all_mrkdwn(view["blocks"])


def test_a_metric_left_unagreed_after_readings_began_is_set_with_a_reason() -> None:
    read_without_a_threshold = replace(READY, threshold=None)
    view = complete_modal(report_of(read_without_a_threshold))
    check_view(view)
    # Name and unit lock nothing: they stay in the form. Direction and threshold do.
    found = inputs_of(view)
    assert {"metric", "unit"} <= set(found)
    assert not {"better", "threshold"} & set(found)
    text = all_mrkdwn(view["blocks"])
    assert "*Go-live metric*\n🟡 No agreed go-live threshold" in text
    assert (
        "It has readings, so its direction and threshold change only with a reason, on the "
        'record: `/pilot set P-3 threshold:&lt;number&gt; reason:"…"`'
    ) in text


def test_a_metric_name_missing_after_readings_is_set_in_the_form_without_a_reason() -> None:
    view = complete_modal(report_of(replace(READY, metric_name=None)))
    check_view(view)
    assert {"metric", "unit"} <= set(inputs_of(view))
    assert "reason:" not in all_mrkdwn(view["blocks"])


def test_a_threshold_may_be_agreed_below_zero() -> None:
    nps = replace(FRESH, metric_name="NPS change", better=Better.HIGHER, threshold=-5.0)
    threshold = inputs_of(complete_modal(report_of(nps)))["threshold"]["element"]
    assert "min_value" not in threshold
    assert threshold["initial_value"] == "-5"


def test_a_threshold_that_does_not_improve_on_the_baseline_is_changed_with_a_reason() -> None:
    # Lower is better, the baseline is 14 min: a go at 15 min would be a step back.
    view = complete_modal(report_of(replace(READY, threshold=15)))
    check_view(view)
    text = all_mrkdwn(view["blocks"])
    assert "*Go-live metric*\n🟡 " in text
    assert '`/pilot set P-3 threshold:&lt;number&gt; reason:"…"`' in text
    assert "threshold" not in inputs_of(view)


def test_the_accountable_is_prefilled_only_when_one_person_holds_every_area() -> None:
    mixed = full_raci()
    mixed[RaciArea.REPORTING] = {RaciRole.ACCOUNTABLE: (OWNER,)}
    view = complete_modal(report_of(replace(READY, raci=mixed)))
    assert "initial_user" not in inputs_of(view)["accountable"]["element"]


def test_numbers_are_prefilled_as_a_number_input_reads_them() -> None:
    assert [plain_number(v) for v in (40_000.0, 0.42, 1e-5, 12.5, -5.0)] == [
        "40000",
        "0.42",
        "0.00001",
        "12.5",
        "-5",
    ]


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_a_prefilled_number_sent_back_untouched_is_the_number_stored(value: float) -> None:
    """A form saved for another field must not move a threshold by rounding it (0.1234567
    shown as 0.123457 read as a change, and as a locked one once readings began)."""
    shown = plain_number(value)
    assert "e" not in shown.lower()
    assert "," not in shown
    assert float(shown) == value


def test_the_form_reads_back_with_submitted_values() -> None:
    state = {
        "eval_report": {INPUT: {"type": "url_text_input", "value": "https://example.org/e"}},
        "volume": {INPUT: {"type": "number_input", "value": "40000"}},
        "rollback": {INPUT: {"type": "radio_buttons", "selected_option": {"value": "yes"}}},
        "accountable": {INPUT: {"type": "users_select", "selected_user": "U0ACC"}},
        "currency": {INPUT: {"type": "plain_text_input", "value": "EUR"}},
    }
    assert submitted_values(state) == {
        "eval_report": "https://example.org/e",
        "volume": "40000",
        "rollback": "yes",
        "accountable": "U0ACC",
        "currency": "EUR",
    }


def test_a_hostile_pilot_and_a_large_portfolio_stay_valid() -> None:
    hostile = replace(FRESH, name=HOSTILE, workflow=HOSTILE * 10, monitoring="<!here>")
    view = complete_modal(report_of(hostile))
    check_view(view)
    assert "&lt;!channel&gt;" in all_mrkdwn(view["blocks"])
    for report in portfolio(60):
        check_view(complete_modal(report))


def test_extend_on_the_decide_form_asks_for_the_new_date() -> None:
    view = decision_modal(report_of(READY), NOW, Decision.EXTEND.value)
    check_view(view)
    found = inputs_of(view)
    # Right after the choice it belongs to, before the reason.
    assert list(found) == [Block.DECISION, Block.UNTIL, Block.RATIONALE]
    date_input = found["until"]
    assert date_input["element"]["type"] == "datepicker"
    assert date_input["label"]["text"] == "New decide-by date (for Extend)"
    # Slack cannot require it for one choice only; the submission handler does.
    assert date_input["optional"] is True
    assert "after today" in date_input["hint"]["text"]
    assert found["decision"]["element"]["initial_option"]["value"] == "extend"
    state = {"until": {INPUT: {"type": "datepicker", "selected_date": "2027-03-05"}}}
    assert submitted_values(state) == {"until": "2027-03-05"}
