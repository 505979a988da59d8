"""The modal forms: what a view_submission says, read into the same typed values the slash
command gives, or errors keyed by the exact block ids Slack shows them against."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.governance.vocabulary import Better
from bot.governance.vocabulary import Cadence
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import Field
from bot.services.commands import Register
from bot.slack import forms
from bot.slack.blocks.modals import submitted_values
from bot.slack.ids import INPUT
from bot.slack.ids import Block

BLOCK_IDS = {block.value for block in Block}
NAME = "Support drafting"

# ---- registration --------------------------------------------------------------------------


def _state(**elements: dict[str, Any]) -> dict[str, Any]:
    """`view.state.values` as Slack sends it: {block_id: {action_id: element}}."""
    return {block: {INPUT: element} for block, element in elements.items()}


def _text(value: str | None, kind: str = "plain_text_input") -> dict[str, Any]:
    return {"type": kind, "value": value}


def _choice(value: str, kind: str = "static_select") -> dict[str, Any]:
    label = {"type": "plain_text", "text": value}
    return {"type": kind, "selected_option": {"text": label, "value": value}}


FULL_SUBMISSION = _state(
    name=_text("  Support drafting "),
    owner={"type": "users_select", "selected_user": "U0ANN"},
    sponsor={"type": "users_select", "selected_user": "U0SPO"},
    workflow=_text("Zendesk"),
    metric=_text("handle time"),
    unit=_text("min"),
    better=_choice("lower"),
    threshold=_text("9.8", "number_input"),
    decide_by={"type": "datepicker", "selected_date": "2026-12-15"},
    cadence=_choice("biweekly"),
)


def test_a_full_registration_reads_as_typed_fields_with_users_as_ids() -> None:
    checked = forms.registration(submitted_values(FULL_SUBMISSION))
    assert checked.errors == {}
    assert checked.value == Register(
        NAME,
        {
            Field.OWNER: "U0ANN",
            Field.SPONSOR: "U0SPO",
            Field.WORKFLOW: "Zendesk",
            Field.METRIC: "handle time",
            Field.UNIT: "min",
            Field.BETTER: Better.LOWER,
            Field.THRESHOLD: 9.8,
            Field.DECIDE_BY: date(2026, 12, 15),
            Field.CADENCE: Cadence.BIWEEKLY,
        },
    )


def test_a_registration_with_only_a_name_leaves_the_rest_for_later() -> None:
    state = _state(
        name=_text(NAME),
        owner={"type": "users_select", "selected_user": "U0ANN"},
        sponsor={"type": "users_select", "selected_user": None},
        workflow=_text(None),
        threshold=_text("", "number_input"),
        better={"type": "static_select", "selected_option": None},
        decide_by={"type": "datepicker", "selected_date": None},
    )
    checked = forms.registration(submitted_values(state))
    assert checked == forms.Checked(Register(NAME, {Field.OWNER: "U0ANN"}))


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"name": NAME}, Register(NAME)),
        ({"name": NAME, "owner": "W0ENT"}, Register(NAME, {Field.OWNER: "W0ENT"})),
        (
            {"name": NAME, "decide_by": "2020-01-01"},
            Register(NAME, {Field.DECIDE_BY: date(2020, 1, 1)}),
        ),
        ({"name": NAME, "unit": "none"}, Register(NAME, {Field.UNIT: None})),
        ({"name": NAME, "threshold": "1,250.5"}, Register(NAME, {Field.THRESHOLD: 1250.5})),
        ({"name": NAME, "better": "Higher"}, Register(NAME, {Field.BETTER: Better.HIGHER})),
        ({"name": "x" * 200}, Register("x" * 200)),
        ({"name": NAME, "workflow": "w" * 200}, Register(NAME, {Field.WORKFLOW: "w" * 200})),
        # Blocks of other forms, and blocks nobody knows, are not read.
        ({"name": NAME, "value": "9", "rationale": "x", "colour": "red"}, Register(NAME)),
    ],
    ids=[
        "name-only",
        "enterprise-user",
        "decide-by-in-the-past",
        "unit-cleared",
        "threshold-with-commas",
        "better-any-case",
        "name-of-200",
        "workflow-of-200",
        "foreign-blocks",
    ],
)
def test_a_good_registration_gives_its_values(
    values: dict[str, str | None], expected: Register
) -> None:
    assert forms.registration(values) == forms.Checked(expected)


@pytest.mark.parametrize(
    ("block", "value", "words"),
    [
        (Block.NAME, None, "Give the pilot a name"),
        (Block.NAME, "", "Give the pilot a name"),
        (Block.NAME, "   \t ", "Give the pilot a name"),
        (Block.NAME, "x" * 201, "200"),
        (Block.OWNER, "ann", "`owner` takes a person"),
        (Block.SPONSOR, "@sam", "`sponsor` takes a person"),
        (Block.WORKFLOW, "w" * 201, "201 characters"),
        (Block.METRIC, "m" * 201, "201 characters"),
        (Block.UNIT, "u" * 201, "201 characters"),
        (Block.BETTER, "sideways", "lower|higher"),
        (Block.THRESHOLD, "nine", "`nine` is not one"),
        (Block.THRESHOLD, "1e400", "is not one"),
        (Block.DECIDE_BY, "2026-02-30", "`2026-02-30` is not one"),
        (Block.DECIDE_BY, "31/12/2026", "YYYY-MM-DD"),
        (Block.CADENCE, "daily", "weekly|biweekly|monthly"),
    ],
    ids=lambda v: repr(v)[:20] if not isinstance(v, Block) else v.value,
)
def test_a_bad_registration_input_is_named_by_its_block(
    block: Block, value: str | None, words: str
) -> None:
    values: dict[str, str | None] = {"name": NAME, "owner": "U0ANN", block.value: value}
    checked = forms.registration(values)
    assert checked.value is None
    assert list(checked.errors) == [block.value]
    message = checked.errors[block.value]
    assert words in message
    assert message.splitlines() == [message]


def test_every_bad_registration_input_is_named_at_once() -> None:
    checked = forms.registration(
        {
            "name": " ",
            "owner": "U0ANN",
            "threshold": "nine",
            "decide_by": "2026-02-30",
            "better": "sideways",
            "workflow": "w" * 201,
        }
    )
    assert checked.value is None
    assert set(checked.errors) == {
        Block.NAME.value,
        Block.THRESHOLD.value,
        Block.DECIDE_BY.value,
        Block.BETTER.value,
        Block.WORKFLOW.value,
    }
    assert set(checked.errors) <= BLOCK_IDS


def test_an_empty_registration_asks_for_the_name_only() -> None:
    assert forms.registration({}) == forms.Checked(errors={"name": "Give the pilot a name."})
    assert forms.registration(submitted_values({})).errors == {"name": "Give the pilot a name."}


# ---- measurement ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"value": "9.8", "note": "measured over 4 weeks"}, (9.8, "measured over 4 weeks")),
        ({"value": " 14 ", "note": "  spaced  "}, (14.0, "spaced")),
        ({"value": "-3"}, (-3.0, None)),
        ({"value": "1,250", "note": None}, (1250.0, None)),
        ({"value": "$0.42", "note": "  "}, (0.42, None)),
        ({"value": "0", "note": "n" * 2000}, (0.0, "n" * 2000)),
    ],
)
def test_a_good_measurement_gives_the_number_and_note(
    values: dict[str, str | None], expected: tuple[float, str | None]
) -> None:
    value, note = expected
    assert forms.measurement(values) == forms.Checked(forms.MeasurementInput(value, note))


def test_a_measurement_reads_from_a_submission() -> None:
    state = _state(value=_text("9", "number_input"), note=_text("after the new prompt"))
    checked = forms.measurement(submitted_values(state))
    assert checked.value == forms.MeasurementInput(9.0, "after the new prompt")


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({}, {"value": "Enter the number."}),
        ({"value": None}, {"value": "Enter the number."}),
        ({"value": "  "}, {"value": "Enter the number."}),
        ({"value": "nine"}, {"value": "Enter a number, like 9.8."}),
        ({"value": "9 min"}, {"value": "Enter a number, like 9.8."}),
        ({"value": "NaN"}, {"value": "Enter a number, like 9.8."}),
        ({"value": "1e400"}, {"value": "Enter a number, like 9.8."}),
        (
            {"value": "9", "note": "n" * 2001},
            {"note": "Plain text of at most 2,000 characters, please."},
        ),
        (
            {"value": "nine", "note": "n" * 2001},
            {
                "value": "Enter a number, like 9.8.",
                "note": "Plain text of at most 2,000 characters, please.",
            },
        ),
    ],
    ids=[
        "missing",
        "none",
        "blank",
        "word",
        "with-unit",
        "nan",
        "overflow",
        "note-too-long",
        "both",
    ],
)
def test_a_bad_measurement_is_named_by_its_block(
    values: dict[str, str | None], errors: dict[str, str]
) -> None:
    assert forms.measurement(values) == forms.Checked(errors=errors)


# ---- decision ------------------------------------------------------------------------------


@pytest.mark.parametrize("choice", ["go", "no-go"])
def test_a_good_decision_gives_the_choice_and_why(choice: str) -> None:
    state = _state(decision=_choice(choice, "radio_buttons"), rationale=_text(" 14 -> 9 min "))
    checked = forms.decision(submitted_values(state))
    assert checked == forms.Checked(forms.DecisionInput(Decision(choice), "14 -> 9 min"))


def test_an_extension_gives_its_new_date() -> None:
    state = _state(
        decision=_choice("extend", "radio_buttons"),
        rationale=_text("two more months of data"),
        until={"type": "datepicker", "selected_date": "2027-03-05"},
    )
    checked = forms.decision(submitted_values(state), today=date(2027, 1, 29))
    assert checked.value == forms.DecisionInput(
        Decision.EXTEND, "two more months of data", date(2027, 3, 5)
    )


@pytest.mark.parametrize(
    ("until", "error"),
    [
        (None, "Extend needs its new decide-by date."),
        ("2027-01-29", "Pick a date after today (2027-01-29)."),
        ("2026-12-31", "Pick a date after today (2027-01-29)."),
        ("2027-02-30", "Pick the new decide-by date."),
    ],
    ids=["missing", "today", "past", "not-a-date"],
)
def test_the_extend_forms_date_errors_are_named_by_its_block(until: str | None, error: str) -> None:
    values = {"decision": "extend", "rationale": "more data", "until": until}
    checked = forms.decision(values, today=date(2027, 1, 29))
    assert checked == forms.Checked(errors={"until": error})


def test_a_date_left_on_the_form_is_not_read_for_go() -> None:
    values = {"decision": "go", "rationale": "ready", "until": "2020-01-01"}
    checked = forms.decision(values, today=date(2027, 1, 29))
    assert checked.value == forms.DecisionInput(Decision.GO, "ready")


def test_a_rationale_of_2000_characters_is_kept() -> None:
    checked = forms.decision({"decision": "go", "rationale": "r" * 2000})
    assert checked.value == forms.DecisionInput(Decision.GO, "r" * 2000)


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        (
            {},
            {"decision": "Choose go, no-go or extend.", "rationale": "Say why, for the record."},
        ),
        ({"decision": "go", "rationale": "   "}, {"rationale": "Say why, for the record."}),
        ({"decision": "maybe", "rationale": "why"}, {"decision": "Choose go, no-go or extend."}),
        ({"decision": None, "rationale": "why"}, {"decision": "Choose go, no-go or extend."}),
        (
            {"decision": "go", "rationale": "r" * 2001},
            {"rationale": "Plain text of at most 2,000 characters, please."},
        ),
    ],
    ids=["empty", "blank-why", "unknown-choice", "no-choice", "why-too-long"],
)
def test_a_bad_decision_is_named_by_its_block(
    values: dict[str, str | None], errors: dict[str, str]
) -> None:
    assert forms.decision(values) == forms.Checked(errors=errors)
    assert set(errors) <= BLOCK_IDS
