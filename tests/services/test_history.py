"""A pilot's history as a person reads it, on SQLite and PostgreSQL: who changed what, from
what to what and when, newest first, ten to a page; anyone in the workspace may read it."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from freezegun import freeze_time

from bot.errors import NotFound
from bot.governance.people import plain_people
from bot.services import pilots
from bot.services.actors import Actor
from bot.services.history import PAGE_SIZE
from bot.services.history import HistoryPage
from bot.services.history import history
from tests import typed
from tests.services.conftest import ANN
from tests.services.conftest import NOW
from tests.services.conftest import OTHER_TEAM
from tests.services.conftest import SPONSOR
from tests.services.conftest import STRANGER
from tests.services.conftest import Portfolio

WEEK = timedelta(days=7)
START = datetime(2026, 10, 26, 9, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def lived(portfolio: Portfolio) -> str:
    """A pilot's first weeks, one change a minute from START (the log's clock)."""
    with freeze_time(START) as clock:
        steps = [
            (ANN, "register"),
            (ANN, "baseline {key} 12 measured over 4 weeks"),
            (ANN, "update {key} 9"),
            (ANN, "guardrail {key} errors lower 2 %"),
            (ANN, "update {key} 8.5 errors:1.5 after the macro change"),
            (ANN, "raci {key} evaluation A <@U0EVA>"),
            (ANN, "raci {key} evaluation A <@U0ANN>"),
            (ANN, "eval {key} 96% n:150 prompt v3"),
            (SPONSOR, 'set {key} threshold:9 reason:"agreed with finance" '
                      "eval-report:https://eval.example/r/3"),
            (ANN, 'baseline {key} 13 reason:"measured on the full queue"'),
            (SPONSOR, "decide {key} extend until:2027-01-15 one more month"),
            (ANN, "guardrail {key} errors remove"),
        ]  # fmt: skip
        key = ""
        for actor, text in steps:
            if text == "register":
                key = portfolio.register(
                    at=NOW - 3 * WEEK, sponsor="<@U0SPO>", metric="handle time", unit="min",
                    better="lower", threshold="8",
                )  # fmt: skip
            else:
                portfolio.run(actor, text.format(key=key), NOW - 3 * WEEK)
            clock.tick(MINUTE)
    return key


def page(portfolio: Portfolio, key: str, number: int = 1, reader: Actor = STRANGER) -> HistoryPage:
    with portfolio.uow(reader) as uow:
        return history(uow, reader, typed.key(key), number)


def lines(found: HistoryPage) -> list[tuple[str, str, str, str | None, str | None, str | None]]:
    """Each entry as it reads: minute after START, who, what, from, to, note."""
    return [
        (
            f"+{int((entry.at - START) / MINUTE)}",
            entry.who,
            entry.what,
            plain_people(entry.before) if entry.before else None,
            plain_people(entry.after) if entry.after else None,
            entry.note,
        )
        for entry in found.entries
    ]


def test_the_newest_page_first_as_a_person_reads_it(portfolio: Portfolio) -> None:
    key = lived(portfolio)
    first = page(portfolio, key)
    assert (first.key, first.page, first.pages, first.total) == ("P-1", 1, 3, 23)
    assert lines(first) == [
        ("+11", "U0ANN", "guardrail errors", "at most 2%", None, None),
        ("+10", "U0SPO", "decision", None, "extend until 2027-01-15", "one more month"),
        ("+10", "U0SPO", "decide-by", None, "2027-01-15", None),
        ("+10", "U0SPO", "stage", "piloting", "extended", None),
        ("+9", "U0ANN", "baseline", "12 min", "13 min", "measured on the full queue"),
        ("+8", "U0SPO", "eval-report", None, "https://eval.example/r/3", None),
        ("+8", "U0SPO", "threshold", "8 min", "9 min", "agreed with finance"),
        ("+7", "U0ANN", "eval run", None, "96% on 150 examples", "prompt v3"),
        ("+6", "U0ANN", "RACI evaluation A", "@U0EVA", None, None),
        ("+6", "U0ANN", "RACI evaluation A", None, "@U0ANN", None),
    ]


def test_later_pages_reach_back_to_the_registration(portfolio: Portfolio) -> None:
    key = lived(portfolio)
    second, third = page(portfolio, key, 2), page(portfolio, key, 3)
    assert len(second.entries) == PAGE_SIZE == 10
    assert lines(second)[:5] == [
        ("+5", "U0ANN", "RACI evaluation A", None, "@U0EVA", None),
        ("+4", "U0ANN", "errors reading", None, "1.5%", "after the macro change"),
        ("+4", "U0ANN", "reading", "9 min", "8.5 min", "after the macro change"),
        ("+3", "U0ANN", "guardrail errors", None, "at most 2%", None),
        ("+2", "U0ANN", "reading", None, "9 min", None),
    ]
    assert lines(third) == [
        ("+0", "U0ANN", "metric", None, "handle time", None),
        ("+0", "U0ANN", "sponsor", None, "@U0SPO", None),
        ("+0", "U0ANN", "registered", None, "Support drafting", None),
    ]
    # A page past the end shows the last one; page 0 the first.
    assert page(portfolio, key, 9) == third
    assert page(portfolio, key, 0) == page(portfolio, key, 1)


def test_changes_by_an_api_token_read_as_the_token(portfolio: Portfolio) -> None:
    key = portfolio.register()
    with freeze_time(START), portfolio.uow(ANN) as uow:
        uow.session.info["actor"] = "token:7"
        pilots.handle(uow, ANN, typed.command(f"set {key} workflow:Zendesk"), NOW)
    (newest, *_) = page(portfolio, key).entries
    assert (newest.who, newest.what, newest.after) == ("token:7", "workflow", "Zendesk")


def test_one_pilots_history_holds_nothing_of_another(portfolio: Portfolio) -> None:
    first = portfolio.register()
    second = portfolio.register(name="Legal intake")
    portfolio.run(ANN, f"update {second} 4")
    portfolio.run(ANN, f"raci {second} changes R <@U1>")
    portfolio.register(actor=OTHER_TEAM)
    assert [entry.what for entry in page(portfolio, first).entries] == ["registered"]
    with pytest.raises(NotFound):
        page(portfolio, "P-3")
    assert [entry.what for entry in page(portfolio, "P-1", reader=OTHER_TEAM).entries] == [
        "registered"
    ]


def test_a_new_pilots_history_is_its_registration_on_one_page(portfolio: Portfolio) -> None:
    key = portfolio.register()
    found = page(portfolio, key)
    assert (found.page, found.pages, found.total) == (1, 1, 1)
