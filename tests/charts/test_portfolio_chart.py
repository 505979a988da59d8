"""The digest's picture: the portfolio's verdict counts, week by week, as stacked bars."""

from __future__ import annotations

from datetime import date
from datetime import timedelta

import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from bot.charts.examples import twelve_weeks_of_portfolio
from bot.charts.portfolio import portfolio_chart
from bot.charts.portfolio import portfolio_figure
from bot.charts.series import VerdictWeek
from bot.governance.vocabulary import Verdict
from tests.charts.pictures import overlapping_texts
from tests.charts.pictures import png_size
from tests.charts.pictures import texts_outside

MONDAY = date(2025, 1, 6)
COLOURS = {
    Verdict.GO: "#2e7d32",  # green
    Verdict.NOT_READY: "#f2a900",  # amber
    Verdict.NO_GO: "#c62828",  # red
    Verdict.STALLED: "#9e9e9e",  # grey
}


def draw(weeks: list[VerdictWeek]) -> Figure:
    figure = portfolio_figure(weeks)
    assert figure is not None
    return figure


def bars(figure: Figure, verdict: Verdict) -> list[Rectangle]:
    [axes] = figure.axes
    [container] = [c for c in axes.containers if c.get_label() == verdict.label]
    return [bar for bar in container if isinstance(bar, Rectangle)]


def test_the_chart_is_a_png_780_px_wide_for_a_phone() -> None:
    png = portfolio_chart(twelve_weeks_of_portfolio())
    assert png is not None
    width, height = png_size(png)
    assert width == 780
    assert 500 <= height <= 700


def test_the_legend_names_the_verdicts_in_the_words_people_read() -> None:
    [axes] = draw(twelve_weeks_of_portfolio()).axes
    legend = axes.get_legend()
    assert legend is not None
    assert [text.get_text() for text in legend.get_texts()] == [
        "Go",
        "Not ready",
        "No-go",
        "Stalled",
    ]


def test_each_verdict_has_its_colour_in_every_week_and_in_the_legend() -> None:
    figure = draw(twelve_weeks_of_portfolio())
    [axes] = figure.axes
    legend = axes.get_legend()
    assert legend is not None
    legend_colours = [to_hex(handle.get_facecolor()) for handle in legend.legend_handles]  # type: ignore[union-attr]
    assert legend_colours == [COLOURS[v] for v in Verdict]
    for verdict in Verdict:
        assert {to_hex(bar.get_facecolor()) for bar in bars(figure, verdict)} == {COLOURS[verdict]}


def test_bars_stack_the_counts_of_each_week_oldest_week_first() -> None:
    weeks = [
        VerdictWeek(MONDAY + timedelta(weeks=1), go=3, not_ready=4, no_go=1, stalled=2),
        VerdictWeek(MONDAY, go=1, not_ready=6, no_go=0, stalled=3),
    ]
    figure = draw(weeks)
    heights = {v: [bar.get_height() for bar in bars(figure, v)] for v in Verdict}
    assert heights == {
        Verdict.GO: [1, 3],
        Verdict.NOT_READY: [6, 4],
        Verdict.NO_GO: [0, 1],
        Verdict.STALLED: [3, 2],
    }
    tops = [bar.get_y() + bar.get_height() for bar in bars(figure, Verdict.STALLED)]
    assert tops == [10, 10]
    assert [bar.get_y() for bar in bars(figure, Verdict.NOT_READY)] == [1, 3]


def test_a_week_missing_from_the_data_is_an_empty_slot_not_closed_up() -> None:
    weeks = [VerdictWeek(MONDAY, go=1), VerdictWeek(MONDAY + timedelta(weeks=3), go=2)]
    go_bars = bars(draw(weeks), Verdict.GO)
    assert [bar.get_x() + bar.get_width() / 2 for bar in go_bars] == [0, 3]


def test_weeks_are_labelled_by_their_monday_and_the_newest_always() -> None:
    figure = draw(twelve_weeks_of_portfolio())
    [axes] = figure.axes
    labels = [label.get_text() for label in axes.get_xticklabels()]
    assert twelve_weeks_of_portfolio()[-1].week == date(2025, 3, 24)
    assert labels[-1] == "24 Mar"
    assert 3 <= len(labels) <= 4


@pytest.mark.parametrize("count", [1, 2, 5, 12, 26, 52])
def test_no_text_overlaps_another_or_runs_off_the_picture(count: int) -> None:
    weeks = [VerdictWeek(MONDAY + timedelta(weeks=i), go=i, not_ready=120) for i in range(count)]
    figure = draw(weeks)
    assert overlapping_texts(figure) == []
    assert texts_outside(figure) == []


def test_no_pilots_in_any_week_draws_nothing_so_nothing_is_uploaded() -> None:
    assert portfolio_chart([]) is None
    assert portfolio_chart([VerdictWeek(MONDAY), VerdictWeek(MONDAY + timedelta(weeks=1))]) is None


def test_the_same_week_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="once"):
        portfolio_chart([VerdictWeek(MONDAY, go=1), VerdictWeek(MONDAY, go=2)])
