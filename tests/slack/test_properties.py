"""Properties of the `/pilot` surface, over text and modal states no one thought to write down.

- `parse` answers anything with a command or one line of InvalidInput, never another error.
- `submitted_values` and the forms read any JSON-like state without raising.
- A command or form changes nothing unless it was valid, and every change leaves an audit row:
  on a database (SQLite, and PostgreSQL when available), with one pilot P-1 owned by U0ANN,
  whatever is typed is parsed and, if it is a change, run as the listener runs it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, get_args

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import InvalidInput, UserError
from bot.governance.vocabulary import Decision, Field, MeasurementKind, RaciArea, RaciRole
from bot.services import commands, pilots
from bot.services.actors import Actor
from bot.services.subscriptions import subscribe_digest
from bot.slack import forms, grammar
from bot.slack.blocks.modals import submitted_values
from bot.slack.fields import FIELDS
from bot.slack.ids import INPUT, Block
from storage.models import (
    AuditEntry,
    DigestSubscription,
    Measurement,
    Pilot,
    RaciAssignment,
    Workspace,
)
from storage.models import Decision as StoredDecision
from storage.unit_of_work import UnitOfWork

NOW = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
ANN = Actor("T1", "U0ANN")
STRANGER = Actor("T1", "U0XYZ")
OTHER_TEAM = Actor("T2", "U0ANN")
ADMIN = Actor("T1", "U0ADM", is_admin=True)
TIMEZONE = "Europe/Berlin"

PURE = settings(max_examples=200, deadline=None)
ON_A_DATABASE = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
SHORT_REPLY = 400
BLOCK_IDS = frozenset(block.value for block in Block)
CHANGES = (*get_args(commands.Command), grammar.SubscribeDigest)
P1 = commands.PilotKey(1)


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


def parse_or_refuse(text: str) -> grammar.Command | InvalidInput:
    """Anything else `parse` raises propagates and fails the property."""
    try:
        return grammar.parse(text)
    except InvalidInput as refusal:
        return refusal


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


# ---- never a change unless the input was valid ---------------------------------------------

AUDITED = (Workspace, Pilot, Measurement, RaciAssignment, StoredDecision, DigestSubscription)
Snapshot = dict[str, list[tuple[Any, ...]]]


class World:
    """One database holding pilot P-1 of team T1, owned by U0ANN, kept owned by U0ANN."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        with self.uow(ANN) as uow:
            assert pilots.handle(uow, ANN, commands.Register("Support drafting"), NOW).key == "P-1"

    def uow(self, actor: Actor) -> UnitOfWork:
        return UnitOfWork(self.sessions, actor=actor.user_id)

    def snapshot(self) -> tuple[Snapshot, int]:
        """Every audited row, and how many audit entries there are."""
        rows: Snapshot = {}
        with self.sessions() as session:
            for model in AUDITED:
                table = model.__table__
                ordered = select(table).order_by(*table.primary_key.columns)
                rows[table.name] = [tuple(row) for row in session.execute(ordered)]
            audited = session.scalar(select(func.count()).select_from(AuditEntry))
        return rows, int(audited or 0)

    def has_readings(self) -> bool:
        with self.uow(ANN) as uow:
            return pilots.pilot_report(uow, ANN, P1, NOW).facts.first_reading is not None

    def keep_ann_the_owner(self) -> None:
        """A successful `set P-1 owner:…` would lock U0ANN out of every later example."""
        with self.uow(ADMIN) as uow:
            if pilots.pilot_report(uow, ADMIN, P1, NOW).facts.owner != ANN.user_id:
                change = commands.SetFields(P1, {Field.OWNER: ANN.user_id})
                pilots.handle(uow, ADMIN, change, NOW)

    def attempt(self, actor: Actor, change: Callable[[UnitOfWork], object]) -> Outcome:
        """Runs one change and checks what it left behind."""
        before, audited_before = self.snapshot()
        refused: UserError | None = None
        try:
            with self.uow(actor) as uow:
                change(uow)
        except UserError as error:
            refused = error
        after, audited_after = self.snapshot()
        self.keep_ann_the_owner()
        outcome = Outcome(refused, after != before, audited_after - audited_before)
        if refused is not None:
            assert one_line(refused.message), repr(refused.message)
            assert not outcome.changed, f"refused ({refused}) yet something changed"
            assert outcome.audited == 0, f"refused ({refused}) yet audit entries were added"
        elif outcome.changed:
            assert outcome.audited > 0, "a change left no audit entry"
        return outcome


@dataclass(frozen=True)
class Outcome:
    refused: UserError | None
    changed: bool
    audited: int


def describe(outcome: Outcome) -> str:
    if outcome.refused is not None:
        return f"refused ({type(outcome.refused).__name__})"
    return "changed" if outcome.changed else "no change"


@pytest.fixture
def world(sessions: sessionmaker[Session]) -> World:
    return World(sessions)


def run(uow: UnitOfWork, actor: Actor, command: grammar.Command) -> object:
    """What the listener does with a parsed change (bot.slack.commands.execute)."""
    if isinstance(command, grammar.SubscribeDigest):
        return subscribe_digest(uow, actor, command.channel_id, command.schedule, TIMEZONE, NOW)
    assert isinstance(command, get_args(commands.Command))
    return pilots.handle(uow, actor, command, NOW)


actors = st.sampled_from([ANN, ANN, ANN, ANN, STRANGER, OTHER_TEAM])


@ON_A_DATABASE
@given(text=command_texts, actor=actors, times=st.sampled_from([1, 2]))
def test_a_command_changes_nothing_unless_it_was_valid(
    world: World, text: str, actor: Actor, times: int
) -> None:
    """`times` 2 sends the same text again, as a person does when unsure it went through."""
    try:
        command = grammar.parse(text)
    except InvalidInput:
        return
    if not isinstance(command, CHANGES):
        return
    # Setting a field to the value it has, giving a role to whoever holds it, or subscribing
    # a channel to the schedule it has may change no row, so leave nothing to audit; a new
    # pilot, measurement or decision always adds rows.
    no_op_allowed = isinstance(
        command, commands.SetFields | commands.AssignRaci | grammar.SubscribeDigest
    )
    for turn in range(times):
        outcome = world.attempt(actor, lambda uow: run(uow, actor, command))
        event(f"{type(command).__name__}: {describe(outcome)}{' again' if turn else ''}")
        if outcome.refused is None and not no_op_allowed:
            assert outcome.changed, f"{command!r} changed nothing"
            assert outcome.audited > 0, f"{command!r} left no audit entry"


# Odd inputs the properties might take a while to stumble on, tried every run.
EDGE_CASES: dict[str, tuple[str, ...]] = {
    "field-name-with-newline": ('set P-1 "col\nour":x',),
    "field-name-very-long": (f"set P-1 {'c' * 300}:x",),
    "nul-in-name": ("new nul\x00byte",),
    "nul-in-metric": ('set P-1 metric:"nul\x00byte"',),
    "nul-in-note": ("update P-1 9 nul\x00byte",),
    "nul-in-rationale": ("decide P-1 extend nul\x00byte",),
    "user-id-of-41": (f"set P-1 sponsor:<@{LONG_ID}>",),
    "raci-user-id-of-41": (f"raci P-1 changes R <@{LONG_ID}>",),
    "channel-id-of-41": (f"digest <#C{'A' * 40}> daily",),
    "eval-size-past-32-bits": ("set P-1 eval-size:99999999999",),
    "volume-near-the-limit": ("set P-1 volume:999999999999999",),
    "threshold-at-the-limit": ("set P-1 threshold:1000000000000000",),
    "name-of-200": (f"new {'n' * 200}",),
    "name-of-201": (f"new {'n' * 201}",),
    "decide-by-in-the-past": ("set P-1 decide-by:2020-01-01",),
    "same-field-set-twice": ("set P-1 unit:min", "set P-1 unit:min"),
    "raci-assigned-twice": ("raci P-1 incidents R <@U0ANN|ann>",) * 2,
    "raci-holder-kept": ("raci P-1 changes C <@U1>", "raci P-1 changes C <@U1> <@U2>"),
    "accountable-assigned-twice": ("raci P-1 reporting A <@U0SPO>",) * 2,
    "digest-subscribed-twice": ("digest <#C1|x> weekly fri 16:30",) * 2,
}


@pytest.mark.parametrize("texts", list(EDGE_CASES.values()), ids=list(EDGE_CASES))
def test_an_edge_case_changes_nothing_unless_it_was_valid(
    world: World, texts: tuple[str, ...]
) -> None:
    """Each command in turn, as U0ANN; a repeat may change nothing, but must not fail. Values
    that can never be stored are refused as they are read, before anything is touched."""
    for turn, text in enumerate(texts):
        before = world.snapshot()
        command = parse_or_refuse(text)
        if isinstance(command, InvalidInput):
            assert one_line(command.message), repr(command.message)
            assert world.snapshot() == before
            continue
        assert isinstance(command, CHANGES)
        outcome = world.attempt(ANN, lambda uow, command=command: run(uow, ANN, command))
        if outcome.refused is None and turn == 0:
            assert outcome.changed
            assert outcome.audited > 0


# What a person can put in each input of the modals, and what no one should be able to.
GOOD_INPUTS: dict[Block, list[str]] = {
    Block.NAME: ["Support drafting", "x" * 200, "🚀 launch", "  padded  "],
    Block.OWNER: ["U0ANN", "U0XYZ", "W0ENT"],
    Block.SPONSOR: ["U0SPO", "U0XYZ"],
    Block.WORKFLOW: ["Zendesk", "none", "w" * 200],
    Block.METRIC: ["handle time", "tickets"],
    Block.UNIT: ["min", "none", "-"],
    Block.BETTER: ["lower", "higher"],
    Block.THRESHOLD: ["9.8", "-3", "1,250"],
    Block.DECIDE_BY: ["2026-12-15", "2020-01-01"],
    Block.CADENCE: ["weekly", "biweekly", "monthly"],
    Block.VALUE: ["9", "9.8", "-3", "1,250", "$0.42"],
    Block.NOTE: ["measured over 4 weeks", "n" * 2000],
    Block.REASON: ["re-measured on the full queue", "r" * 2000],
    Block.DECISION: [decision.value for decision in Decision],
    Block.RATIONALE: ["14 -> 9 minutes", "r" * 2000],
    Block.UNTIL: ["2026-11-17", "2030-01-31"],
}
ODD_INPUTS: dict[Block, list[str]] = {
    Block.NAME: ["x" * 201, "  ", "nul\x00byte"],
    Block.OWNER: [LONG_ID, "ann", "<@U0ANN>", "u0ann"],
    Block.SPONSOR: [LONG_ID, "@sam"],
    Block.WORKFLOW: ["w" * 201, "nul\x00byte"],
    Block.METRIC: ["m" * 201, "two\nlines"],
    Block.UNIT: ["u" * 201],
    Block.BETTER: ["sideways", "LOWER"],
    Block.THRESHOLD: ["nine", "1e400", "NaN", "1e15"],
    Block.DECIDE_BY: ["2026-02-30", "31/12/2026", "2026-1-5"],
    Block.CADENCE: ["daily", "Weekly"],
    Block.VALUE: ["nine", "NaN", "1e400", "9 min"],
    Block.NOTE: ["n" * 2001, "nul\x00byte"],
    Block.REASON: [" ", "r" * 2001, "nul\x00byte"],
    Block.DECISION: ["GO", "maybe", "no_go"],
    Block.RATIONALE: [" ", "r" * 2001, "nul\x00byte"],
    Block.UNTIL: ["2026-11-16", "2020-01-01", "2026-02-30", "soon"],
}
ELEMENT_OF: dict[Block, str] = {
    Block.OWNER: "users_select",
    Block.SPONSOR: "users_select",
    Block.BETTER: "static_select",
    Block.CADENCE: "static_select",
    Block.DECISION: "radio_buttons",
    Block.DECIDE_BY: "datepicker",
    Block.UNTIL: "datepicker",
    Block.THRESHOLD: "number_input",
    Block.VALUE: "number_input",
}
FORM_BLOCKS = {
    "registration": [
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
    ],
    "reading": [Block.VALUE, Block.NOTE],
    "baseline": [Block.VALUE, Block.NOTE, Block.REASON],
    "decision": [Block.DECISION, Block.RATIONALE, Block.UNTIL],
}


def element(block: Block, value: str | None) -> dict[str, Any]:
    """The element Slack sends back for that input, holding `value` (None: left empty)."""
    kind = ELEMENT_OF.get(block, "plain_text_input")
    if kind == "users_select":
        return {"type": kind, "selected_user": value}
    if kind in ("static_select", "radio_buttons"):
        label = {"type": "plain_text", "text": "x"}
        chosen = None if value is None else {"text": label, "value": value}
        return {"type": kind, "selected_option": chosen}
    if kind == "datepicker":
        return {"type": kind, "selected_date": value}
    return {"type": kind, "value": value}


def form_state(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    """A view.state.values of that form: inputs filled well or left empty, then maybe one
    filled with something odd."""
    blocks = FORM_BLOCKS[kind]
    good = st.fixed_dictionaries(
        {block: st.none() | st.sampled_from(GOOD_INPUTS[block]) for block in blocks[:1]},
        optional={block: st.none() | st.sampled_from(GOOD_INPUTS[block]) for block in blocks[1:]},
    )
    odd_one = st.none() | st.sampled_from(blocks).flatmap(
        lambda block: st.tuples(st.just(block), st.sampled_from(ODD_INPUTS[block]) | small_text)
    )

    def build(found: tuple[dict[Block, str | None], tuple[Block, str] | None]) -> dict[str, Any]:
        inputs, swap = found
        if swap is not None:
            inputs = {**inputs, swap[0]: swap[1]}
        return {block.value: {INPUT: element(block, value)} for block, value in inputs.items()}

    return st.tuples(good, odd_one).map(build)


submissions = st.sampled_from(list(FORM_BLOCKS)).flatmap(
    lambda kind: st.tuples(st.just(kind), form_state(kind))
)
FORM_OF = {
    "registration": forms.registration,
    "reading": forms.measurement,
    "baseline": forms.measurement,
    "decision": forms.decision,
}


def submit(kind: str, value: Any, actor: Actor) -> Callable[[UnitOfWork], object]:
    """What the view listeners do with a form that has no errors."""
    command: commands.Command
    if kind == "registration":
        command = value
    elif kind == "decision":
        command = commands.Decide(P1, value.decision, value.rationale, value.until)
    else:
        command = commands.RecordMeasurement(
            P1, MeasurementKind(kind), value.value, value.note, value.reason
        )
    return lambda uow: pilots.handle(uow, actor, command, NOW)


@ON_A_DATABASE
@given(submission=submissions, actor=actors)
def test_a_form_changes_nothing_unless_it_was_valid(
    world: World, submission: tuple[str, dict[str, Any]], actor: Actor
) -> None:
    kind, state = submission
    values = submitted_values(state)
    if kind == "baseline":
        # The form asks why when the pilot it was opened on had readings (the opener knows).
        checked = forms.measurement(values, reason_needed=world.has_readings())
    elif kind == "decision":
        checked = forms.decision(values, today=NOW.date())  # the owner reads UTC here
    else:
        checked = FORM_OF[kind](values)
    check_outcome("measurement" if kind in ("reading", "baseline") else kind, checked)
    if checked.errors:
        event(f"{kind}: errors in the form")
        return
    outcome = world.attempt(actor, submit(kind, checked.value, actor))
    event(f"{kind}: {describe(outcome)}")
    if actor == ANN:
        # The owner is never told off, after the modal closed, for what the form let through.
        assert outcome.refused is None, f"{kind} accepted {checked.value!r}: {outcome.refused}"
    if outcome.refused is None:
        assert outcome.changed
        assert outcome.audited > 0


FORM_EDGE_CASES: dict[str, tuple[str, dict[str, str]]] = {
    "owner-id-of-41": ("registration", {"name": "Drafting", "owner": LONG_ID}),
    "nul-in-name": ("registration", {"name": "nul\x00byte"}),
    "nul-in-workflow": ("registration", {"name": "Drafting", "workflow": "nul\x00byte"}),
    "nul-in-note": ("reading", {"value": "9", "note": "nul\x00byte"}),
    "nul-in-rationale": ("decision", {"decision": "go", "rationale": "nul\x00byte"}),
}


@pytest.mark.parametrize(
    ("kind", "values"), list(FORM_EDGE_CASES.values()), ids=list(FORM_EDGE_CASES)
)
def test_an_edge_case_form_changes_nothing_unless_it_was_valid(
    world: World, kind: str, values: dict[str, str]
) -> None:
    checked = FORM_OF[kind](values)
    if checked.errors:
        return
    outcome = world.attempt(ANN, submit(kind, checked.value, ANN))
    assert outcome.refused is None, f"{kind} accepted {checked.value!r}: {outcome.refused}"
    assert outcome.changed
    assert outcome.audited > 0
