"""What the metric's panel and the guardrails' panels share: readings ready to plot and one
time axis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.transforms import Transform

from bot.charts import style
from bot.charts.series import Reading
from bot.charts.series import finite_readings


@dataclass(frozen=True)
class Points:
    """Readings ready to plot: finite, oldest first, times already on the x axis."""

    xs: list[float]
    values: list[float]

    @classmethod
    def of(cls, readings: Sequence[Reading]) -> Points:
        kept = finite_readings(readings)
        return cls(style.as_xs([at for at, _ in kept]), [value for _, value in kept])

    def __bool__(self) -> bool:
        return bool(self.values)


@dataclass(frozen=True)
class Span:
    """The x range and date ticks every panel shares, so a week sits at the same place in each."""

    start: float
    end: float
    ticks: list[float]

    def share(self, x: float) -> float:
        return (x - self.start) / (self.end - self.start)


def nothing_yet(
    axes: Axes, where: tuple[float, float] = (0.5, 0.5), transform: Transform | None = None
) -> None:
    """Said in the middle of an empty panel, over any line that crosses it."""
    axes.text(
        *where,
        "no readings yet",
        transform=transform or axes.transAxes,
        ha="center",
        va="center",
        bbox={"boxstyle": "square,pad=0.15", "fc": "white", "ec": "none"},
        zorder=6,
        **style.text_style(color=style.MUTED),
    )
