"""The digest's picture: how many pilots had each verdict, week by week, as stacked bars.

`portfolio_figure` builds the figure without rendering it (tests look inside it);
`portfolio_chart` renders it to PNG. Both return None when there is no week with a pilot.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from matplotlib.ticker import MaxNLocator
from matplotlib.ticker import NullLocator

from bot.charts import dates
from bot.charts import style
from bot.charts.series import VERDICT_ORDER
from bot.charts.series import VerdictWeek
from bot.governance.vocabulary import Verdict

VERDICT_COLOURS = {
    Verdict.GO: "#2e7d32",
    Verdict.NOT_READY: "#f2a900",
    Verdict.NO_GO: "#c62828",
    Verdict.STALLED: "#9e9e9e",
}

TOP_IN = 0.12
TITLE_IN = style.LINE_IN * 1.15
LEGEND_IN = style.LINE_IN + 0.1
PLOT_IN = 2.2
DATES_IN = 0.34
BOTTOM_IN = 0.04
HEIGHT_IN = TOP_IN + TITLE_IN + LEGEND_IN + PLOT_IN + DATES_IN + BOTTOM_IN


def portfolio_chart(weeks: Sequence[VerdictWeek]) -> bytes | None:
    """A PNG of the verdict counts per week, or None when no week counts a pilot."""
    figure = portfolio_figure(weeks)
    return None if figure is None else style.render_png(figure)


def portfolio_figure(weeks: Sequence[VerdictWeek]) -> Figure | None:
    """The unrendered figure: one bar container per verdict, labelled with its word.

    Each week has its slot, oldest on the left; a week missing from `weeks` is an empty slot
    rather than closed up, so the time axis never lies.
    """
    ordered = sorted(weeks, key=lambda week: week.week)
    if len({week.week for week in ordered}) != len(ordered):
        raise ValueError("each week may appear once in a portfolio chart")
    if not any(week.total for week in ordered):
        return None

    figure = style.new_figure(HEIGHT_IN)
    x = style.LEFT_TEXT_IN / style.WIDTH_IN
    figure.text(
        x, 1 - TOP_IN / HEIGHT_IN, "Pilots by verdict, week by week", va="top",
        **style.text_style(style.TITLE_PT, bold=True),
    )  # fmt: skip
    left = 0.2 + style.text_width_in(str(max(week.total for week in ordered)))
    # The newest week is always labelled: leave room right of it for half its date.
    axes = style.add_axes(figure, left, DATES_IN + BOTTOM_IN, PLOT_IN, right_in=0.3)

    first = ordered[0].week
    positions = [(week.week - first).days // 7 for week in ordered]
    slots = positions[-1] + 1
    below = [0] * len(ordered)
    for verdict in VERDICT_ORDER:
        counts = [week.count(verdict) for week in ordered]
        axes.bar(
            positions,
            counts,
            bottom=below,
            width=0.72,
            color=VERDICT_COLOURS[verdict],
            label=verdict.label,
            gid=verdict.value,
            linewidth=0,
        )
        below = [done + count for done, count in zip(below, counts, strict=True)]

    axes.set_xlim(-0.6, slots - 0.4)
    axes.set_ylim(0, max(below) * 1.05)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    axes.yaxis.set_minor_locator(NullLocator())
    axes.grid(axis="y", color=style.GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    # About four date labels fit across a phone; label every n-th week, newest always.
    every = -(-slots // 4)
    axes.set_xticks([slot for slot in range(slots) if (slots - 1 - slot) % every == 0])
    axes.xaxis.set_major_formatter(
        FuncFormatter(lambda slot, _pos: dates.day_month(first + timedelta(weeks=round(slot))))
    )
    axes.tick_params(axis="x", length=0)

    axes.legend(
        loc="lower left",
        bbox_to_anchor=(0, 1.02),
        ncols=4,
        frameon=False,
        prop={"family": style.FONT, "size": style.TEXT_PT},
        handlelength=0.9,
        handletextpad=0.35,
        columnspacing=0.9,
        borderaxespad=0,
        borderpad=0,
    )
    return figure
