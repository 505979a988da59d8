"""Date ticks on a chart's time axis: few, round, and named the way people say them."""

from __future__ import annotations

from datetime import date
from datetime import timedelta
from itertools import pairwise

import pytest
from hypothesis import example
from hypothesis import given
from hypothesis import strategies as st

from bot.charts.dates import day_month
from bot.charts.dates import round_dates
from bot.charts.dates import tick_label


def labels(first: date, last: date) -> list[str]:
    return [tick_label(day) for day in round_dates(first, last)]


def test_a_few_days_are_ticked_day_by_day() -> None:
    assert labels(date(2025, 3, 3), date(2025, 3, 5)) == ["3 Mar", "4 Mar", "5 Mar"]


def test_a_few_weeks_are_ticked_on_mondays() -> None:
    assert labels(date(2025, 3, 1), date(2025, 3, 24)) == ["3 Mar", "10 Mar", "17 Mar", "24 Mar"]


def test_two_months_are_ticked_on_the_first_and_the_fifteenth() -> None:
    assert labels(date(2025, 1, 3), date(2025, 3, 5)) == ["15 Jan", "1 Feb", "15 Feb", "1 Mar"]


def test_a_year_is_ticked_by_quarter_and_new_year_is_named_by_its_year() -> None:
    assert labels(date(2024, 12, 20), date(2025, 12, 31)) == ["2025", "1 Apr", "1 Jul", "1 Oct"]


def test_decades_are_ticked_by_round_years() -> None:
    assert labels(date(2021, 5, 1), date(2039, 5, 1)) == ["2025", "2030", "2035"]


def test_day_and_month_read_the_same_whatever_the_machine_locale() -> None:
    assert [day_month(date(2025, month, 12)) for month in (1, 6, 12)] == [
        "12 Jan",
        "12 Jun",
        "12 Dec",
    ]


def test_asking_for_no_ticks_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        round_dates(date(2025, 1, 1), date(2025, 2, 1), most=0)


@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 1, 1)),
    st.integers(min_value=0, max_value=365 * 150),
    st.integers(min_value=2, max_value=6),
)
# Five days without a Monday, too many for every other day: the Mondays step had nothing.
@example(date(2000, 2, 1), 5, 2)
def test_every_span_gets_a_few_evenly_stepped_dates_inside_it(
    first: date, days: int, most: int
) -> None:
    last = first + timedelta(days=days)
    ticks = round_dates(first, last, most)
    assert 1 <= len(ticks) <= most
    assert all(first <= day <= last for day in ticks)
    assert ticks == sorted(set(ticks))
    if len(ticks) > 1 and {day.day for day in ticks} == {1, 15}:
        assert all(b.toordinal() - a.toordinal() in range(13, 18) for a, b in pairwise(ticks))
    elif len(ticks) > 1 and ticks[0].day == 1 and ticks[1].day == 1:
        months = {(b.year - a.year) * 12 + b.month - a.month for a, b in pairwise(ticks)}
        assert len(months) == 1
    elif len(ticks) > 1:
        assert len({(b - a).days for a, b in pairwise(ticks)}) == 1
