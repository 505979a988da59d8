"""What people can type into `/pilot` and submit from its modals, as hypothesis strategies,
and the promise every answer keeps: one short line.

Strategies aim mostly at what the grammar knows (commands as the contract spells them, aimed
at P-1), then at what it doesn't (a word swapped, parts drawn from odds and ends), then at
text of any kind.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Mapping
from typing import Any
from typing import get_args

import pytest
from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st

from bot.errors import InvalidInput
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole
from bot.services import commands
from bot.slack import forms
from bot.slack import grammar
from bot.slack.fields import FIELDS
from bot.slack.ids import Block

PURE = settings(max_examples=200, deadline=None)
ON_A_DATABASE = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
SHORT_REPLY = 400
BLOCK_IDS = frozenset(block.value for block in Block)
CHANGES = (*get_args(commands.Command), grammar.SubscribeDigest)
P1 = commands.PilotKey(1)


# A form quoted back in backticks, the way every answer shows the right way to say it.
BACKTICKED = re.compile(r"`[^`\n]+`")
# What a hand-written malformed command must fit in: a phone screen without scrolling.
SHORT_REFUSAL = 200


def one_line(message: str) -> bool:
    """One short line: no line break, and not so long that it scrolls off a phone."""
    return bool(message) and message.splitlines() == [message] and len(message) <= SHORT_REPLY


# ---- the grammar's own vocabulary ----------------------------------------------------------

LONG_ID = "U" + "A" * 40
MENTIONS = [
    "<@U0ANN>",
    "<@U0ANN|ann>",
    "<@U0XYZ|x>",
    "<@U0SPO>",
    "<@W0ENT|ent>",
    f"<@{LONG_ID}>",
    "@ann",
    "<@u1>",
    "<#C1|x>",
    "<!here>",
]
EMOJI = ["🚀", ":rocket:", "👍🏽", "\u200b", "ñ", "🇩🇪"]
# Values that are wrong for most fields, or wrong for the database under them.
ODD_VALUES = [
    "nine",
    "NaN",
    "1e400",
    "99999999999",
    "sideways",
    "daily",
    "2026-02-30",
    "maybe",
    "",
    "x" * 201,
    "nul\x00byte",
    '"two\nlines"',
    *MENTIONS,
    *EMOJI,
]
# For each field of `set`, values it takes.
GOOD_VALUES: dict[str, list[str]] = {
    "name": ['"Legal intake"', "Drafting"],
    "owner": ["<@U0ANN>", "<@U0ANN|ann>", "<@U0XYZ|x>", "<@U0SPO>"],
    "sponsor": ["<@U0SPO|sam>", "<@U0XYZ>", "<@W0ENT|ent>"],
    "metric": ['"handle time"', "tickets", "\u201chandle time\u201d"],
    "unit": ["min", "none", "h"],
    "better": ["lower", "higher", "Higher"],
    "threshold": ["9.8", "-3", "1,250", "$0.42"],
    "cadence": ["weekly", "biweekly", "monthly"],
    "decide-by": ["2026-12-31", "2020-01-01", "2027-02-28"],
    "workflow": ["Zendesk", '"Service Cloud"', "none"],
    "eval-size": ["150", "99", "0"],
    "eval-score": ["96", "95.5%", "100"],
    "eval-bar": ["95", "90%"],
    "monitoring": ["Grafana", "none", "no"],
    "rollback": ["yes", "no", "Y"],
    "cost-per-unit": ["0.12", "$0.12"],
    "value-per-unit": ["0.90", "1€"],
    "volume": ["100000", "100,000"],
}
NUMBERS = ["9", "9.8", "-3", "1,250", "$0.42", "0", "14"]
WORDS = [
    *grammar.FORMS,
    *(area.value for area in RaciArea),
    *(role.value for role in RaciRole),
    *(decision.value for decision in Decision),
    "mon",
    "fri",
    "sunday",
    "16:30",
    "25:00",
    "P-1",
    "p-2",
    "P-99999999999",
    "metric:x",
    *MENTIONS,
    *EMOJI,
]
QUOTINGS = ["{}", "{}", "{}", '"{}"', "\u201c{}\u201d", "\u201e{}\u201c", '"{}', "{}\u201d"]
SEPARATORS = [" ", " ", "  ", "\t", " \n", "\u00a0", "\u3000"]

small_text = st.text(max_size=12)
words = st.sampled_from(WORDS) | small_text
odd = st.sampled_from(ODD_VALUES) | small_text
keys = st.sampled_from(
    ["P-1", "p-1", "P-2", "p-2", "P-9", "P-99999999999", "P-0", "P-", "1", "P1", "🚀"]
) | st.from_regex(r"[Pp]-[0-9]{1,12}", fullmatch=True)


def quoted(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """The inner text as typed: bare, in straight or curly quotes, or with a quote unclosed."""
    return st.tuples(st.sampled_from(QUOTINGS), inner).map(lambda pair: pair[0].format(pair[1]))


def verb(name: str) -> st.SearchStrategy[str]:
    return st.sampled_from([name, name, name.upper(), name.title()])


def tokens(*parts: st.SearchStrategy[Any]) -> st.SearchStrategy[list[str]]:
    """Words in order; a part gives one word or a list of words."""

    def flatten(found: tuple[Any, ...]) -> list[str]:
        result: list[str] = []
        for part in found:
            result.extend(part if isinstance(part, list) else [part])
        return result

    return st.tuples(*parts).map(flatten)


def good_pairs() -> st.SearchStrategy[list[str]]:
    known = sorted(set(GOOD_VALUES) & set(FIELDS))
    fields = st.lists(st.sampled_from(known), min_size=1, max_size=3, unique=True)
    return fields.flatmap(
        lambda names: tokens(
            *(st.sampled_from(GOOD_VALUES[name]).map(f"{name}:{{}}".format) for name in names)
        )
    )


notes = st.lists(st.sampled_from(["measured", "over 4 weeks", "🚀", "14 -> 9"]), max_size=3)
# Commands as the contract spells them, aimed at P-1.
well_formed = st.one_of(
    tokens(verb("new"), st.lists(st.sampled_from(["Legal", "intake", "🚀", "v2"]), max_size=3)),
    tokens(verb("set"), st.just("P-1"), good_pairs()),
    tokens(verb("baseline"), st.just("P-1"), st.sampled_from(NUMBERS), notes),
    tokens(verb("update"), st.just("P-1"), st.sampled_from(NUMBERS), notes),
    tokens(
        verb("raci"),
        st.just("P-1"),
        st.sampled_from([area.value for area in RaciArea]),
        st.sampled_from([role.value for role in RaciRole]),
        st.sampled_from(["<@U0ANN|ann>", "<@U0SPO>", "<@U0XYZ|x>"]),
    ),
    tokens(
        verb("decide"),
        st.just("P-1"),
        st.sampled_from([decision.value for decision in Decision]),
        st.sampled_from(["misses the bar", "14 -> 9 minutes", "ok"]),
    ),
    tokens(
        verb("digest"),
        st.sampled_from(["<#C1|x>", "<#C2>", "<#G1|private>"]),
        st.sampled_from([["daily"], ["daily", "7:00"], ["weekly"], ["weekly", "fri", "16:30"]]),
    ),
)


def mutated(found: tuple[list[str], int, str]) -> list[str]:
    """One word of a well-formed command replaced by an odd one."""
    words_, where, word = found
    changed = list(words_)
    changed[where % len(changed)] = word
    return changed


# Commands with any part wrong: a word swapped, or each part drawn from odds and ends.
ill_formed = st.one_of(
    st.tuples(well_formed, st.integers(0, 8), odd | quoted(words)).map(mutated),
    tokens(verb("new"), st.lists(quoted(words), max_size=4)),
    tokens(verb("new"), st.sampled_from(["x" * 200, "x" * 201, " ", '""'])),
    tokens(
        verb("set"),
        keys,
        st.lists(
            st.tuples(
                st.sampled_from([*FIELDS, "Threshold", "colour", "decide_by", ""]) | quoted(words),
                quoted(odd),
            ).map(":".join),
            max_size=4,
        ),
    ),
    tokens(verb("baseline"), keys, quoted(odd), st.lists(quoted(words), max_size=3)),
    tokens(verb("update"), keys, st.lists(quoted(words), max_size=3)),
    tokens(
        verb("raci"),
        keys,
        st.sampled_from([*(a.value for a in RaciArea), "Incidents", "ops", ""]),
        st.sampled_from(["R", "A", "C", "I", "a", "r", "x", "RACI"]),
        st.lists(st.sampled_from(MENTIONS) | words, max_size=3),
    ),
    tokens(
        verb("decide"),
        keys,
        st.sampled_from(["go", "no-go", "extend", "GO", "nogo", "maybe", ""]),
        st.lists(quoted(words), max_size=4),
    ),
    tokens(
        st.sampled_from([*grammar.FORMS, "frobnicate", "/pilot", ""]) | small_text,
        st.lists(quoted(words), max_size=5),
    ),
)


def spoken(words_: list[str], separator: str, padding: str) -> str:
    return padding + separator.join(words_) + padding


def texts(found: st.SearchStrategy[list[str]]) -> st.SearchStrategy[str]:
    return st.builds(
        spoken, found, st.sampled_from(SEPARATORS), st.sampled_from(["", " ", "\t", "\n"])
    )


# Mostly aimed at what the grammar knows, then at what it doesn't, and text of any kind.
command_texts = st.one_of(
    texts(well_formed), texts(well_formed), texts(well_formed), texts(ill_formed), st.text()
)
any_text = st.one_of(texts(well_formed), texts(ill_formed), st.text(), st.text(max_size=3))


def assert_refused_in_one_line(text: str, words: list[str]) -> None:
    """`text` is refused with one short line holding each of `words` and a `form`."""
    with pytest.raises(InvalidInput) as refused:
        grammar.parse(text)
    message = refused.value.message
    for word in words:
        assert word in message
    assert "\n" not in message
    assert message.splitlines() == [message]
    assert len(message) <= SHORT_REFUSAL
    assert BACKTICKED.search(message), f"no `form` in: {message}"


def parse_or_refuse(text: str) -> grammar.Command | InvalidInput:
    """Anything else `parse` raises propagates and fails the property."""
    try:
        return grammar.parse(text)
    except InvalidInput as refusal:
        return refusal


# What each form reads into when it has no errors.
FORMS: dict[str, Callable[[Mapping[str, str | None]], forms.Checked[Any]]] = {
    "registration": forms.registration,
    "measurement": forms.measurement,
    "decision": forms.decision,
}
FORM_VALUES: dict[str, type[Any]] = {
    "registration": commands.Register,
    "measurement": forms.MeasurementInput,
    "decision": forms.DecisionInput,
}


def check_outcome(kind: str, checked: forms.Checked[Any]) -> None:
    assert set(checked.errors) <= BLOCK_IDS
    assert all(one_line(message) for message in checked.errors.values())
    if checked.errors:
        assert checked.value is None
    else:
        assert isinstance(checked.value, FORM_VALUES[kind])
