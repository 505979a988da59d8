"""The `set` fields: what a person may type for each, and what they hear back when it is off.

Every bad value must be answered with one line that names the field and shows the right form
as a backticked example (`field:value`), as the contract's "one short line saying what was
wrong and the right form" requires.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from bot.errors import InvalidInput
from bot.governance.vocabulary import Better
from bot.governance.vocabulary import Cadence
from bot.slack.fields import FIELDS
from bot.slack.fields import FieldValue
from bot.slack.fields import field_spec
from bot.slack.fields import read_channel
from bot.slack.fields import read_user

# The `set` list of the contract, in its order.
CONTRACT_FIELDS = (
    "owner",
    "sponsor",
    "metric",
    "unit",
    "better",
    "threshold",
    "cadence",
    "decide-by",
    "workflow",
    "eval-size",
    "eval-score",
    "eval-bar",
    "monitoring",
    "rollback",
    "cost-per-unit",
    "value-per-unit",
    "volume",
    "currency",
)
TEXT_FIELDS = ("name", "metric", "unit", "workflow", "monitoring")
NUMBER_FIELDS = (
    "threshold",
    "eval-size",
    "eval-score",
    "eval-bar",
    "cost-per-unit",
    "value-per-unit",
    "volume",
)
SQL_LOOKING = "'; DROP TABLE pilots; --"
EMOJI = "🚀 handle time ✅"


def refusal(field: str, raw: str) -> str:
    """The message a person gets for `set … field:raw`; fails the test if it is accepted."""
    with pytest.raises(InvalidInput) as caught:
        field_spec(field).parse(raw)
    return str(caught.value)


def assert_one_line_naming(message: str, field: str) -> None:
    assert "\n" not in message, message
    assert "\r" not in message, message
    assert f"`{field}`" in message, message


def assert_shows_right_form(message: str, field: str) -> None:
    examples = re.findall(r"`([^`]+)`", message)
    assert any(example.startswith(f"{field}:") for example in examples), message


@pytest.mark.parametrize("name", CONTRACT_FIELDS)
def test_every_contract_field_can_be_set(name: str) -> None:
    assert name in FIELDS
    assert field_spec(name).name == name


@pytest.mark.parametrize(("typed", "name"), [("OWNER", "owner"), ("Decide-By", "decide-by")])
def test_field_names_ignore_case(typed: str, name: str) -> None:
    assert field_spec(typed).name == name


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        ("owner", "<@U123|ann>", "U123"),
        ("owner", "  <@U123>  ", "U123"),
        ("sponsor", "<@W0ABC>", "W0ABC"),
        ("metric", "handle time", "handle time"),
        ("unit", "min", "min"),
        ("better", "LOWER", Better.LOWER),
        ("better", "Higher", Better.HIGHER),
        ("threshold", "9.8", 9.8),
        ("threshold", "-3.5", -3.5),
        ("cadence", "weekly", Cadence.WEEKLY),
        ("cadence", "BiWeekly", Cadence.BIWEEKLY),
        ("cadence", "monthly", Cadence.MONTHLY),
        ("decide-by", "2026-02-28", date(2026, 2, 28)),
        ("decide-by", "2028-02-29", date(2028, 2, 29)),
        ("workflow", "Zendesk", "Zendesk"),
        pytest.param("workflow", "w" * 200, "w" * 200, id="workflow-200-chars"),
        ("eval-size", "150", 150),
        ("eval-size", "1,500", 1500),
        ("eval-score", "96", 96.0),
        ("eval-score", "100", 100.0),
        ("eval-bar", "95%", 95.0),
        ("monitoring", "Grafana", "Grafana"),
        ("monitoring", "none", None),
        ("monitoring", "None", None),
        ("rollback", "yes", True),
        ("rollback", "YES", True),
        ("rollback", "no", False),
        ("cost-per-unit", "$0.42", 0.42),
        ("cost-per-unit", "0", 0.0),
        ("value-per-unit", "€0.90", 0.9),
        ("volume", "100,000", 100000),
        ("volume", "40000", 40000),
        ("currency", "eur", "EUR"),
        ("currency", " GBP ", "GBP"),
    ],
)
def test_good_values_parse_to_typed_values(field: str, raw: str, expected: FieldValue) -> None:
    value = field_spec(field).parse(raw)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("raw", [EMOJI, SQL_LOOKING, "Robert'); DROP TABLE pilots;--"])
def test_odd_text_is_kept_verbatim_where_text_is_allowed(field: str, raw: str) -> None:
    assert field_spec(field).parse(raw) == raw


@pytest.mark.parametrize("field", NUMBER_FIELDS)
@pytest.mark.parametrize("raw", [EMOJI, SQL_LOOKING, "🚀"])
def test_odd_text_is_not_a_number(field: str, raw: str) -> None:
    message = refusal(field, raw)
    assert_one_line_naming(message, field)
    assert_shows_right_form(message, field)


@pytest.mark.parametrize(
    ("field", "raw"),
    [
        ("owner", "@ann"),
        ("owner", "<#C123>"),
        ("owner", "U123"),
        ("owner", ""),
        ("sponsor", "ann"),
        ("threshold", "nine"),
        ("threshold", "1,00"),
        ("threshold", "nan"),
        ("threshold", "inf"),
        ("threshold", "1e9"),
        ("threshold", ""),
        ("volume", "-1"),
        # A pilot that pays at no volume answered no question; a bar of 0% is no bar.
        ("volume", "0"),
        ("volume", "1.5"),
        ("eval-size", "0"),
        ("eval-bar", "0"),
        ("currency", "$"),
        ("currency", "EURO"),
        ("eval-size", "-1"),
        ("eval-size", "12.5"),
        ("eval-score", "101"),
        ("eval-score", "-1"),
        ("eval-bar", "nine"),
        ("cost-per-unit", "nan"),
        ("decide-by", "2026-02-30"),
        ("decide-by", "2026-2-3"),
        ("decide-by", "31/12/2026"),
        ("decide-by", ""),
        ("better", "sideways"),
        ("better", ""),
        ("cadence", "daily"),
        ("rollback", "maybe"),
        ("metric", ""),
        pytest.param("workflow", "w" * 201, id="workflow-201-chars"),
    ],
)
def test_bad_values_get_one_line_with_the_right_form(field: str, raw: str) -> None:
    message = refusal(field, raw)
    assert_one_line_naming(message, field)
    assert_shows_right_form(message, field)


@pytest.mark.parametrize("field", ["threshold", "eval-bar", "volume"])
def test_a_number_too_big_to_hold_is_refused_not_crashed(field: str) -> None:
    # Matches the number pattern but overflows float() to inf.
    message = refusal(field, "1" + "0" * 400)
    assert_one_line_naming(message, field)


@pytest.mark.parametrize("raw", ["1$00", "12£3"])
def test_a_currency_sign_inside_a_number_is_not_dropped_silently(raw: str) -> None:
    message = refusal("threshold", raw)
    assert_one_line_naming(message, "threshold")


def test_a_refused_value_with_a_line_break_still_gets_one_line() -> None:
    message = refusal("threshold", "1\n2")
    assert_one_line_naming(message, "threshold")


def test_an_unknown_field_is_refused_with_the_real_fields() -> None:
    with pytest.raises(InvalidInput) as caught:
        field_spec("colour")
    message = str(caught.value)
    assert "\n" not in message
    assert "`colour`" in message
    for name in CONTRACT_FIELDS:
        assert name in message


@pytest.mark.parametrize(("raw", "expected"), [("<@U123|ann>", "U123"), ("<@W0ABC>", "W0ABC")])
def test_read_user(raw: str, expected: str) -> None:
    assert read_user("owner", raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<#C0123|ai-sponsors>", "C0123"),
        ("<#G0123>", "G0123"),
        (" <#C0123> ", "C0123"),
    ],
)
def test_read_channel(raw: str, expected: str) -> None:
    assert read_channel(raw) == expected


@pytest.mark.parametrize("raw", ["#ai-sponsors", "<@U1>", "ai-sponsors", ""])
def test_read_channel_refuses_what_is_not_a_channel(raw: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        read_channel(raw)
    message = str(caught.value)
    assert "\n" not in message
    assert "channel" in message
    assert "`#ai-sponsors`" in message
