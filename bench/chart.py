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
import gc
import io
import os
import statistics
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bench.common import Report, argument_parser, machine, main, verdict
from bot.charts import style
from bot.charts.examples import year_of_readings
from bot.charts.metric import metric_chart, metric_figure
from bot.charts.series import GuardrailSeries, MetricSeries

MEDIAN_TARGET_MS = 150.0
RATIO_TARGET = 1.5


@dataclass(frozen=True)
class Timings:
    """Per render: `seconds` on the wall clock, what a person waiting for the picture sees,
    and `cpu_seconds` of this process, which other load on the machine moves less."""

    seconds: list[float]
    cpu_seconds: list[float]
    png: bytes

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def cpu_median_ms(self) -> float:
        return statistics.median(self.cpu_seconds) * 1000

    def row(self, name: str) -> tuple[str, ...]:
        ordered = sorted(self.seconds)
        p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
        width, height = struct.unpack(">II", self.png[16:24])
        return (
            name, str(len(self.seconds)), f"{self.median_ms:.1f} ms", f"{p90 * 1000:.1f} ms",
            f"{ordered[-1] * 1000:.1f} ms", f"{self.cpu_median_ms:.1f} ms",
            f"{width}x{height}, {len(self.png) / 1024:.0f} KiB",
        )  # fmt: skip


def bare_plot(
    series: MetricSeries, guardrails: list[GuardrailSeries], size_in: tuple[float, float]
) -> bytes:
    """The reference: every series as a plain line on one Axes, nothing else."""
    figure = Figure(figsize=size_in, dpi=style.DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    for each in (series, *guardrails):
        axes.plot([at for at, _ in each.readings], [value for _, value in each.readings])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=style.DPI)
    return buffer.getvalue()


def measure(renders: int, warm_up: int) -> tuple[Timings, Timings, list[float]]:
    series, guardrails = year_of_readings()
    figure = metric_figure(series, guardrails)
    assert figure is not None
    size = figure.get_size_inches()
    size_in = (float(size[0]), float(size[1]))

    def chart() -> bytes:
        png = metric_chart(series, guardrails)
        assert png is not None
        return png

    def bare() -> bytes:
        return bare_plot(series, guardrails, size_in)

    for _ in range(warm_up):  # fonts, glyph caches and imports, paid once per process
        chart()
        bare()
    wall: dict[str, list[float]] = {"chart": [], "bare": []}
    cpu: dict[str, list[float]] = {"chart": [], "bare": []}
    pngs: dict[str, bytes] = {}
    building: list[float] = []
    for round_ in range(renders):
        # Alternate which goes first, so neither always meets a warm or a cold cache.
        order: list[tuple[str, Callable[[], bytes]]] = [("chart", chart), ("bare", bare)]
        for name, draw in order if round_ % 2 == 0 else reversed(order):
            gc.collect()
            started, started_cpu = time.perf_counter(), time.process_time()
            pngs[name] = draw()
            cpu[name].append(time.process_time() - started_cpu)
            wall[name].append(time.perf_counter() - started)
        gc.collect()
        started = time.perf_counter()
        metric_figure(series, guardrails)
        building.append(time.perf_counter() - started)
    return (
        Timings(wall["chart"], cpu["chart"], pngs["chart"]),
        Timings(wall["bare"], cpu["bare"], pngs["bare"]),
        building,
    )


def run(args: argparse.Namespace) -> Report:
    load_before = os.getloadavg()[0]
    ours, reference, building = measure(args.renders, args.warm_up)
    ratio = ours.median_ms / reference.median_ms
    cpu_ratio = ours.cpu_median_ms / reference.cpu_median_ms
    build_ms = statistics.median(building) * 1000
    return Report(
        chapter="bench.chart",
        kind="memory",
        variant=("", ": metric chart, 52 weekly readings and 3 guardrails"),
        headline=f"chart median {ours.median_ms:.1f} ms, {ratio:.2f}x a bare plot",
        about=[
            f"Machine: {machine(f'matplotlib {matplotlib.__version__}')}; load average "
            f"{load_before:.2f} when the run began, {os.getloadavg()[0]:.2f} when it ended "
            "(other work on the machine slows the wall clock)."
        ],
        rows=[
            ("target", "renders", "median", "p90", "max", "CPU median", "PNG"),
            ours.row("pilotgate chart"),
            reference.row("bare plot"),
        ],
        findings=[
            f"Chart median: {ours.median_ms:.1f} ms (target < {MEDIAN_TARGET_MS:g} ms: "
            f"{verdict(ours.median_ms < MEDIAN_TARGET_MS)}).",
            f"Ratio of medians (chart / bare plot): {ratio:.2f} (target <= {RATIO_TARGET:g}: "
            f"{verdict(ratio <= RATIO_TARGET)}); of CPU time medians, which other load on the "
            f"machine moves less: {cpu_ratio:.2f}.",
            f"Building the figure alone (layout, text measured, artists made, nothing drawn) "
            f"has a median of {build_ms:.1f} ms; the rest of a render is drawing and PNG "
            "encoding.",
        ],
    )


if __name__ == "__main__":
    parser = argument_parser("bench.chart", "The metric chart's render time against a bare plot.")
    parser.add_argument("--renders", type=int, default=50, help="renders of each (default 50)")
    parser.add_argument("--warm-up", type=int, default=5, help="renders of each first, untimed")
    raise SystemExit(main(parser, run))
