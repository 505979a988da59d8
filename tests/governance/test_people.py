"""People named in governance text: a reference no one can type, turned into a mention only
by the surface that shows it."""

from __future__ import annotations

from bot.governance.people import PERSON
from bot.governance.people import PERSON_END
from bot.governance.people import PERSON_START
from bot.governance.people import people_named
from bot.governance.people import person
from bot.governance.people import plain_people
from bot.governance.people import render_people
from bot.governance.people import without_person_marks


def test_a_person_reference_wraps_the_user_id_in_private_use_marks() -> None:
    assert person("U0ANN") == "\ue000U0ANN\ue001"
    assert PERSON.fullmatch(person("W0ORG123"))
    assert "<@" not in person("U0ANN")


def test_a_surface_turns_only_references_into_mentions() -> None:
    sentence = f"stalled: ask {person('U0ANN')} for a reading, not <@U0EVIL> or <!channel>"
    escaped = sentence.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    shown = render_people(escaped, lambda user_id: f"<@{user_id}>")
    assert shown == ("stalled: ask <@U0ANN> for a reading, not &lt;@U0EVIL&gt; or &lt;!channel&gt;")
    assert plain_people(sentence).startswith("stalled: ask @U0ANN for a reading")
    assert people_named(sentence) == ("U0ANN",)


def test_typed_text_loses_the_marks_so_it_cannot_forge_a_reference() -> None:
    typed = f"Invoices {PERSON_START}U0EVIL{PERSON_END}"
    assert without_person_marks(typed) == "Invoices U0EVIL"
    assert people_named(without_person_marks(typed)) == ()


def test_something_that_is_not_a_user_id_is_shown_as_text() -> None:
    assert person("not an id") == "not an id"
    assert person(f"{PERSON_START}U1{PERSON_END}") == "U1"
    assert people_named(person("lower")) == ()
