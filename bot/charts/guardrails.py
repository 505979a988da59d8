"""The guardrails' panels under the metric: each guardrail's readings against its limit.

All of them are bands of one Axes whose y axis is inches from its bottom. An Axes apiece
looked the same and cost a third of the whole render (each is dozens of artists before
anything is drawn); here each band's artists carry a transform from the guardrail's own
units into the band, so their data stays in those units.
"""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.transforms import Affine2D

from bot.charts import style
from bot.charts.panels import Points
from bot.charts.panels import Span
from bot.charts.panels import nothing_yet
from bot.charts.series import GuardrailSeries
from bot.governance.vocabulary import Better

GAP_IN = 0.1  # above each guardrail's title
TITLE_IN = style.LINE_IN
PANEL_IN = 0.42


@dataclass(frozen=True)
class GuardrailTitle:
    name: str
    facts: str
    facts_colour: str
    one_row: bool

    @property
    def height(self) -> float:
        """The whole panel's height: gap, title row(s) and plot."""
        rows = 1 if self.one_row else 2
        return GAP_IN + rows * TITLE_IN + PANEL_IN


def guardrail_title(rail: GuardrailSeries, points: Points) -> GuardrailTitle:
    """'Escalation rate', then the limit and the latest (red when outside the limit): on one
    row when both fit, else the figures go on a row of their own under the name.
    """
    unit = style.drawable(rail.unit or "") or None
    sign = "≤" if rail.better is Better.LOWER else "≥"
    facts = f"limit {sign} {style.quantity(rail.limit, unit)}"
    colour = style.INK
    if points:
        latest = points.values[-1]
        facts += f" · latest {style.quantity(latest, unit)}"
        colour = style.INK if rail.within_limit(latest) else style.FAILING
    facts = style.fit(facts, style.ROW_IN)
    name = style.drawable(rail.name) or "Guardrail"
    room = style.ROW_IN - style.text_width_in(facts) - 0.15
    if style.text_width_in(name, bold=True) <= room:
        return GuardrailTitle(name, facts, colour, one_row=True)
    return GuardrailTitle(style.fit(name, style.ROW_IN, bold=True), facts, colour, one_row=False)


def draw_guardrails(
    figure: Figure,
    rails: list[tuple[GuardrailSeries, Points]],
    titles: list[GuardrailTitle],
    left: float,
    bottom: float,
    span: Span,
) -> None:
    """Every guardrail's panel, top to bottom, above `bottom` inches of the figure."""
    height = figure.get_size_inches()[1]
    top = sum(title.height for title in titles)
    axes = figure.add_axes(
        (
            left / style.WIDTH_IN,
            bottom / height,
            (style.WIDTH_IN - left - style.RIGHT_IN) / style.WIDTH_IN,
            top / height,
        )
    )
    axes.set_gid("guardrails")
    axes.set_axis_off()
    axes.set_autoscale_on(False)
    axes.set_xlim(span.start, span.end)
    axes.set_ylim(0, top)
    band_bottom = top
    for (rail, points), title in zip(rails, titles, strict=True):
        band_bottom -= title.height  # the gap and the title rows are above the band
        title_at = (bottom + band_bottom + PANEL_IN) / height
        _draw_guardrail_title(figure, title, title_at, height)
        _draw_guardrail(axes, rail, points, span, band_bottom)


def _draw_guardrail_title(figure: Figure, title: GuardrailTitle, y: float, height: float) -> None:
    left = style.LEFT_TEXT_IN / style.WIDTH_IN
    right = 1 - style.RIGHT_IN / style.WIDTH_IN
    name_style = style.text_style(bold=True)
    facts_style = style.text_style(color=title.facts_colour)
    if title.one_row:
        figure.text(left, y, title.name, va="bottom", **name_style)
        figure.text(right, y, title.facts, ha="right", va="bottom", **facts_style)
    else:
        figure.text(left, y + TITLE_IN / height, title.name, va="bottom", **name_style)
        figure.text(left, y, title.facts, va="bottom", **facts_style)


def _draw_guardrail(
    axes: Axes, rail: GuardrailSeries, points: Points, span: Span, bottom: float
) -> None:
    values = [*points.values, rail.limit]
    low, high = min(values), max(values)
    pad = (high - low or abs(high) * 0.2 or 1.0) * 0.18
    low, high = low - pad, high + pad
    # From (time, value in the guardrail's unit) to (time, inches up the shared Axes).
    scale = PANEL_IN / (high - low)
    band = Affine2D().scale(1, scale).translate(0, bottom - low * scale) + axes.transData

    top = bottom + PANEL_IN
    axes.vlines(span.ticks, bottom, top, color=style.GRID, lw=0.8, zorder=0)
    axes.plot([span.start, span.start, span.end], [top, bottom, bottom], color=style.AXIS,
              lw=0.8, zorder=1)  # fmt: skip
    failing = (rail.limit, high) if rail.better is Better.LOWER else (low, rail.limit)
    axes.add_patch(
        Rectangle(
            (span.start, failing[0]),
            span.end - span.start,
            failing[1] - failing[0],
            transform=band,
            color=style.FAILING,
            alpha=0.07,
            lw=0,
            gid="failing-side",
        )
    )
    axes.plot(
        [span.start, span.end],
        [rail.limit, rail.limit],
        transform=band,
        color=style.FAILING,
        lw=1.2,
        ls=(0, (4, 2)),
        gid="limit",
        zorder=3,
    )
    if not points:
        nothing_yet(axes, ((span.start + span.end) / 2, (bottom + top) / 2), axes.transData)
        return
    axes.plot(
        points.xs, points.values, transform=band, color=style.MUTED, lw=1.4, gid="readings",
        zorder=4,
    )  # fmt: skip
    outside = [
        (x, value)
        for x, value in zip(points.xs, points.values, strict=True)
        if not rail.within_limit(value)
    ]
    if outside:
        axes.plot(
            [x for x, _ in outside],
            [value for _, value in outside],
            transform=band,
            ls="none",
            marker="o",
            ms=5,
            color=style.FAILING,
            gid="outside-limit",
            zorder=5,
        )
