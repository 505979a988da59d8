"""Properties of the `/pilot` surface, over text and modal states no one thought to write down:
`parse` answers anything with a command or one line of InvalidInput, never another error, and
`submitted_values` and the forms read any JSON-like state without raising.

That a command or form changes nothing unless it was valid is in test_command_properties and
test_form_properties.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import InvalidInput
from bot.slack import grammar
from bot.slack.blocks.modals import submitted_values
from bot.slack.ids import INPUT
from tests.slack.typed_input import BLOCK_IDS
from tests.slack.typed_input import FORMS
from tests.slack.typed_input import NUMBERS
from tests.slack.typed_input import ODD_VALUES
from tests.slack.typed_input import PURE
from tests.slack.typed_input import any_text
from tests.slack.typed_input import check_outcome
from tests.slack.typed_input import one_line
from tests.slack.typed_input import parse_or_refuse
from tests.slack.typed_input import small_text

# ---- parse on anything ---------------------------------------------------------------------


@PURE
@given(any_text)
def test_parse_answers_anything_with_a_command_or_one_line(text: str) -> None:
    parsed = parse_or_refuse(text)
    if isinstance(parsed, InvalidInput):
        assert one_line(parsed.message), repr(parsed.message)
        assert "`" in parsed.message
    else:
        assert isinstance(parsed, grammar.Command)
        assert grammar.parse(text) == parsed


@PURE
@given(st.text(min_size=grammar.MAX_TEXT + 1, max_size=grammar.MAX_TEXT + 50) | st.text())
def test_parse_refuses_any_text_over_the_limit(text: str) -> None:
    if len(text) <= grammar.MAX_TEXT:
        return
    with pytest.raises(InvalidInput) as refused:
        grammar.parse(text)
    assert one_line(refused.value.message)


# ---- forms on anything ---------------------------------------------------------------------

ELEMENT_TYPES = [
    "plain_text_input",
    "number_input",
    "users_select",
    "static_select",
    "radio_buttons",
    "datepicker",
    "checkboxes",
]
JSON_KEYS = [
    *BLOCK_IDS,
    INPUT,
    "type",
    "value",
    "selected_user",
    "selected_option",
    "selected_date",
]
json_like = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.sampled_from([*ELEMENT_TYPES, *NUMBERS, *ODD_VALUES])
    | small_text,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(JSON_KEYS) | small_text, children, max_size=5)
    ),
    max_leaves=30,
)


@PURE
@given(json_like)
def test_forms_read_any_state_without_raising(state: object) -> None:
    values = submitted_values(state)
    assert set(values) <= BLOCK_IDS
    for kind, form in FORMS.items():
        check_outcome(kind, form(values))
        if isinstance(state, dict):
            # Even fed the raw state, not what submitted_values made of it.
            check_outcome(kind, form(state))
