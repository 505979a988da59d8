"""What drawing the `chart <key>` picture costs, against a bare matplotlib plot of the same data.

    python -m bench.chart               # 50 renders of each, alternating, then a report
    python -m bench.chart --record      # also writes the report into docs/benchmarks.md

The chart is the metric with 52 weekly readings and 3 guardrails (`bot.charts.examples`),
from plain data to PNG bytes. The reference, measured in the same run and interleaved with it,
is what the least effort would draw: the same figure size and resolution, one `Axes`, one line
per series (metric and guardrails), saved as PNG with matplotlib's defaults. The result is
the ratio of medians and the chart's absolute median; the run never fails on either.
"""

from __future__ import annotations

import argparse
import io
import os
import struct

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bench import common
from bench.common import Timed
from bench.common import ms
from bench.common import percentile
from bench.common import verdict
from bot.charts import style
from bot.charts.examples import year_of_readings
from bot.charts.metric import metric_chart
from bot.charts.metric import metric_figure
from bot.charts.series import GuardrailSeries
from bot.charts.series import MetricSeries

MEDIAN_TARGET_MS = 150.0
RATIO_TARGET = 1.5


def row(name: str, timed: Timed) -> tuple[str, ...]:
    ordered, png = sorted(timed.seconds), timed.results[-1]
    width, height = struct.unpack(">II", png[16:24])
    return (
        name, str(len(ordered)), ms(timed.median), ms(percentile(ordered, 0.9)),
        ms(ordered[-1]), ms(timed.cpu_median), f"{width}x{height}, {len(png) / 1024:.0f} KiB",
    )  # fmt: skip


def bare_plot(
    series: MetricSeries, guardrails: list[GuardrailSeries], size_in: tuple[float, float]
) -> bytes:
    """The reference: every series as a plain line on one Axes, nothing else."""
    figure = Figure(figsize=size_in, dpi=style.DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    lines: list[MetricSeries | GuardrailSeries] = [series, *guardrails]
    for each in lines:  # matplotlib draws datetimes, which its type stubs do not say
        axes.plot([at for at, _ in each.readings], [v for _, v in each.readings])  # type: ignore[arg-type]
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=style.DPI)
    return buffer.getvalue()


def measure(renders: int, warm_up: int) -> dict[str, Timed]:
    """The chart and the bare plot, each drawn to PNG, and the chart's figure built alone."""
    series, guardrails = year_of_readings()
    figure = metric_figure(series, guardrails)
    assert figure is not None
    size = figure.get_size_inches()
    size_in = (float(size[0]), float(size[1]))
    return common.alternate(
        {
            "chart": lambda: metric_chart(series, guardrails),
            "bare": lambda: bare_plot(series, guardrails, size_in),
            "figure": lambda: metric_figure(series, guardrails),
        },
        renders,
        warm_up,
    )


def run(args: argparse.Namespace) -> common.Report:
    load_before = os.getloadavg()[0]
    timed = measure(args.renders, args.warm_up)
    ours, reference = timed["chart"], timed["bare"]
    ratio = ours.median / reference.median
    cpu_ratio = ours.cpu_median / reference.cpu_median
    ours_ms, build_ms = ours.median * 1000, timed["figure"].median * 1000
    return common.Report(
        chapter="bench.chart",
        kind="memory",
        variant=("", ": metric chart, 52 weekly readings and 3 guardrails"),
        headline=f"chart median {ours_ms:.1f} ms, {ratio:.2f}x a bare plot",
        machine_notes=f"matplotlib {matplotlib.__version__}; load average {load_before:.2f} "
        f"when the run began, {os.getloadavg()[0]:.2f} when it ended (other work on the machine "
        "slows the wall clock)",
        about=[],
        rows=[
            ("target", "renders", "median", "p90", "max", "CPU median", "PNG"),
            row("pilotgate chart", ours),
            row("bare plot", reference),
        ],
        findings=[
            f"Chart median: {ours_ms:.1f} ms (target < {MEDIAN_TARGET_MS:g} ms: "
            f"{verdict(ours_ms < MEDIAN_TARGET_MS)}).",
            f"Ratio of medians (chart / bare plot): {ratio:.2f} (target <= {RATIO_TARGET:g}: "
            f"{verdict(ratio <= RATIO_TARGET)}); of CPU time medians, which other load on the "
            f"machine moves less: {cpu_ratio:.2f}.",
            f"Building the figure alone (layout, text measured, artists made, nothing drawn) "
            f"has a median of {build_ms:.1f} ms; the rest of a render is drawing and PNG "
            "encoding.",
        ],
    )


if __name__ == "__main__":
    parser = common.argument_parser(
        "bench.chart", "The metric chart's render time against a bare plot."
    )
    parser.add_argument("--renders", type=int, default=50, help="renders of each (default 50)")
    parser.add_argument("--warm-up", type=int, default=5, help="renders of each first, untimed")
    raise SystemExit(common.main(parser, run))
