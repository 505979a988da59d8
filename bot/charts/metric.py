"""The picture behind `chart <key>`: the go-live metric over time, its guardrails below it.

`metric_figure` builds the matplotlib figure without rendering it (tests look inside it);
`metric_chart` renders it to PNG. Both return None when there is no reading to draw, neither
of the metric nor of a guardrail: the caller then says so in words and uploads nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator
from matplotlib.ticker import FuncFormatter
from matplotlib.ticker import NullLocator

from bot.charts import style
from bot.charts.guardrails import draw_guardrails
from bot.charts.guardrails import guardrail_title
from bot.charts.panels import Points
from bot.charts.panels import Span
from bot.charts.panels import nothing_yet
from bot.charts.series import GuardrailSeries
from bot.charts.series import MetricSeries
from bot.governance.vocabulary import Better

# Heights in inches, top to bottom. The PNG is 780 x 591 px with no guardrail and 1,036 with
# three whose names share a row with their figures (a name too long for that adds 44 px).
TOP_IN = 0.12
HEADER_IN = 2 * style.LINE_IN  # the metric's name; then the latest and which way is better
DECIDE_LABEL_IN = style.LINE_IN + 0.04  # the decide-by label sits above the plot
MAIN_IN = 1.75
DATES_IN = 0.34
BOTTOM_IN = 0.04


def metric_chart(series: MetricSeries, guardrails: Sequence[GuardrailSeries] = ()) -> bytes | None:
    """A PNG of the metric and its guardrails, or None when there is no reading to draw."""
    figure = metric_figure(series, guardrails)
    return None if figure is None else style.render_png(figure)


def metric_figure(
    series: MetricSeries, guardrails: Sequence[GuardrailSeries] = ()
) -> Figure | None:
    """The unrendered figure: the metric's Axes (gid "metric") and, with guardrails, one
    Axes (gid "guardrails") holding a panel for each, top to bottom in the order given.

    Artists carry gids: "readings", "baseline", "threshold", "passing-side", "decide-by";
    in each guardrail panel "readings", "limit", "failing-side" and "outside-limit". Every
    line's data is in the metric's own units, as the readings were.
    """
    points = Points.of(series.readings)
    rails = [(rail, Points.of(rail.readings)) for rail in guardrails]
    if not points and not any(rail_points for _, rail_points in rails):
        return None

    low, high = _value_range(series, points)
    ticks = style.number_ticks(low, high) or [low, high]
    left = _left_margin(ticks, series.unit)
    span = _shared_span(points, [rail_points for _, rail_points in rails], series, left)
    titles = [guardrail_title(rail, rail_points) for rail, rail_points in rails]
    height = TOP_IN + HEADER_IN + DECIDE_LABEL_IN + MAIN_IN + DATES_IN + BOTTOM_IN
    height += sum(title.height for title in titles)
    figure = style.new_figure(height)

    _header(figure, series, points, height)
    bottom = height - TOP_IN - HEADER_IN - DECIDE_LABEL_IN - MAIN_IN
    main = style.add_axes(figure, left, bottom, MAIN_IN)
    main.set_gid("metric")
    _draw_metric(
        figure, main, series, points, (min(low, ticks[0]), max(high, ticks[-1])), ticks, span
    )

    if rails:
        draw_guardrails(figure, rails, titles, left, BOTTOM_IN, span)
    return figure


def _shared_span(
    points: Points, rail_points: list[Points], series: MetricSeries, left: float
) -> Span:
    moments = points.xs + [x for each in rail_points for x in each.xs]
    if series.decide_by is not None:
        moments.append(style.as_x(series.decide_by))
    start, end = min(moments), max(moments)
    # A margin of 4% each side (at least three days) keeps the first and last markers whole.
    margin = max((end - start) * 0.04, timedelta(days=3) / timedelta(days=1))
    start, end = start - margin, end + margin
    width = style.WIDTH_IN - left - style.RIGHT_IN

    def label_fits(x: float) -> bool:
        """Whether the date's label, centred under its tick, stays inside the picture."""
        centre = left + (x - start) / (end - start) * width
        half = style.text_width_in(style.date_label(x)) / 2
        return centre - half >= 0.02 and centre + half <= style.WIDTH_IN - 0.02

    ticks = [x for x in style.date_ticks(start, end) if label_fits(x)]
    return Span(start, end, ticks)


def _value_range(series: MetricSeries, points: Points) -> tuple[float, float]:
    """The readings, baseline and threshold, with room above and below for the line labels."""
    values = points.values + [
        line for line in (series.baseline, series.threshold) if line is not None
    ]
    if not values:
        return 0.0, 1.0
    low, high = min(values), max(values)
    span = high - low or abs(high) * 0.2 or 1.0
    label_share = (style.LINE_IN * 1.1) / MAIN_IN
    pad = span * label_share / (1 - 2 * label_share)
    return low - pad, high + pad


def _left_margin(ticks: list[float], unit: str | None) -> float:
    widest = max(style.text_width_in(style.tick_label(tick)) for tick in ticks)
    unit_room = style.LINE_IN + 0.04 if unit else 0.0
    # 0.14 in: the tick mark, the gap to its label and a little air at the picture's edge;
    # at most a third of the width, whatever numbers come (the plot needs the rest).
    return min(max(0.42, 0.14 + widest + unit_room), style.WIDTH_IN / 3)


def _header(figure: Figure, series: MetricSeries, points: Points, height: float) -> None:
    x = style.LEFT_TEXT_IN / style.WIDTH_IN
    top = 1 - TOP_IN / height
    name = style.fit(
        style.drawable(series.name) or "Go-live metric", style.ROW_IN, style.TITLE_PT, True
    )
    figure.text(x, top, name, va="top", **style.text_style(style.TITLE_PT, bold=True))
    direction = "lower is better ↓" if series.better is Better.LOWER else "higher is better ↑"
    unit = style.drawable(series.unit or "") or None
    # The direction first: it is short and must not be the part a long unit pushes out.
    facts = [direction]
    if points:
        facts.append(f"latest {style.quantity(points.values[-1], unit)}")
    subtitle = style.fit(" · ".join(facts), style.ROW_IN)
    figure.text(
        x, top - HEADER_IN / 2 / height, subtitle, va="top", **style.text_style(color=style.MUTED)
    )


def _draw_metric(
    figure: Figure,
    axes: Axes,
    series: MetricSeries,
    points: Points,
    limits: tuple[float, float],
    ticks: list[float],
    span: Span,
) -> None:
    low, high = limits
    axes.set_xlim(span.start, span.end)
    axes.set_ylim(low, high)
    axes.yaxis.set_major_locator(FixedLocator(ticks))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: style.tick_label(y)))
    axes.yaxis.set_minor_locator(NullLocator())
    style.date_axis(axes, span.ticks)
    unit = style.drawable(series.unit or "") or None
    if unit:
        axes.set_ylabel(style.fit(unit, MAIN_IN), labelpad=4, **style.text_style())

    if series.threshold is not None:
        # The side of the threshold where a reading clears it, as the contract defines it.
        passing = (low, series.threshold) if series.better is Better.LOWER else (
            series.threshold, high)  # fmt: skip
        axes.axhspan(*passing, color=style.PASSING, alpha=0.08, lw=0, gid="passing-side")
    _labelled_lines(axes, series, points, span, unit)
    if series.decide_by is not None:
        _decide_by(figure, axes, series, span)

    if points:
        axes.plot(
            points.xs,
            points.values,
            color=style.LINE,
            lw=1.8,
            marker="o",
            ms=3.6,
            gid="readings",
            zorder=4,
        )
    else:
        nothing_yet(axes)


def _labelled_lines(
    axes: Axes, series: MetricSeries, points: Points, span: Span, unit: str | None
) -> None:
    """Baseline and threshold, each named where the readings are farthest from it.

    The upper label sits above its line and the lower one below, so two lines close together
    never print their labels on top of each other.
    """
    lines = [
        (value, name, colour, dashes)
        for name, value, colour, dashes in (
            ("baseline", series.baseline, style.BASELINE, (0, (1.5, 1.5))),
            ("threshold", series.threshold, style.THRESHOLD, (0, (5, 2))),
        )
        if value is not None
    ]
    lines.sort(key=lambda line: line[0])
    for index, (value, name, colour, dashes) in enumerate(lines):
        axes.axhline(value, color=colour, lw=1.4, ls=dashes, gid=name, zorder=3)
        above = index == len(lines) - 1
        on_left = _left_is_clearer(value, points, span)
        axes.annotate(
            style.fit(f"{name} {style.quantity(value, unit)}", style.ROW_IN * 0.75),
            xy=(0.01 if on_left else 0.99, value),
            xycoords=("axes fraction", "data"),
            xytext=(0, 2 if above else -2),
            textcoords="offset points",
            ha="left" if on_left else "right",
            va="bottom" if above else "top",
            bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
            zorder=5,
            **style.text_style(color=colour),
        )


def _left_is_clearer(line: float, points: Points, span: Span) -> bool:
    """Whether the readings keep farther from the line at the left than at the right."""

    def gap(lowest: float, highest: float) -> float:
        near = [
            abs(value - line)
            for x, value in zip(points.xs, points.values, strict=True)
            if lowest <= span.share(x) <= highest
        ]
        return min(near, default=float("inf"))

    return gap(0.0, 0.4) > gap(0.6, 1.0)


def _decide_by(figure: Figure, axes: Axes, series: MetricSeries, span: Span) -> None:
    assert series.decide_by is not None
    x = style.as_x(series.decide_by)
    axes.axvline(x, color=style.DECIDE_BY, lw=1.3, ls=(0, (4, 2)), gid="decide-by", zorder=2)
    # Named above the plot, centred on the line but moved in where it would run off the picture.
    label = f"decide by {style.full_date(series.decide_by)}"
    width = style.text_width_in(label) / style.WIDTH_IN
    plot = axes.get_position()
    centre = plot.x0 + span.share(x) * plot.width
    lowest, highest = (
        style.LEFT_TEXT_IN / style.WIDTH_IN,
        1 - style.RIGHT_IN / style.WIDTH_IN - width,
    )
    left = min(max(centre - width / 2, lowest), highest)
    above = 0.04 / figure.get_size_inches()[1]
    figure.text(
        left, plot.y1 + above, label, va="bottom", **style.text_style(color=style.DECIDE_BY)
    )
