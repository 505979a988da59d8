"""A modal's form changes nothing unless it was valid, and every change leaves an audit row:
any state of the registration, reading, baseline and decision forms, filled well, left empty
or with one odd input, is checked and, if it has no errors, run as the view listener runs it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import event
from hypothesis import given
from hypothesis import strategies as st

from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import MeasurementKind
from bot.services import commands
from bot.services import pilots
from bot.services.actors import Actor
from bot.slack import forms
from bot.slack.blocks.modals import submitted_values
from bot.slack.ids import INPUT
from bot.slack.ids import Block
from storage.unit_of_work import UnitOfWork
from tests.slack.audited_world import ANN
from tests.slack.audited_world import NOW
from tests.slack.audited_world import World
from tests.slack.audited_world import actors
from tests.slack.audited_world import describe
from tests.slack.typed_input import LONG_ID
from tests.slack.typed_input import ON_A_DATABASE
from tests.slack.typed_input import P1
from tests.slack.typed_input import check_outcome
from tests.slack.typed_input import small_text

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
    "registration": [Block.NAME, *forms.REGISTRATION_FIELDS],
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
