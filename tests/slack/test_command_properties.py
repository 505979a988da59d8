"""A `/pilot` command changes nothing unless it was valid, and every change leaves an audit
row: on a database (SQLite, and PostgreSQL when available) with one pilot P-1 owned by U0ANN,
whatever is typed is parsed and, if it is a change, run as the listener runs it.
"""

from __future__ import annotations

import pytest
from hypothesis import event
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import InvalidInput
from bot.services import commands
from bot.services.actors import Actor
from bot.slack import grammar
from tests.slack.audited_world import ANN
from tests.slack.audited_world import World
from tests.slack.audited_world import actors
from tests.slack.audited_world import describe
from tests.slack.audited_world import run
from tests.slack.typed_input import CHANGES
from tests.slack.typed_input import LONG_ID
from tests.slack.typed_input import ON_A_DATABASE
from tests.slack.typed_input import command_texts
from tests.slack.typed_input import one_line
from tests.slack.typed_input import parse_or_refuse


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
