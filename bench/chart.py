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
import platform
import re
import statistics
import struct
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.charts import style
from bot.charts.examples import year_of_readings
from bot.charts.metric import metric_chart, metric_figure
from bot.charts.series import GuardrailSeries, MetricSeries

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench.chart -->", "<!-- /bench.chart -->"
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

    def quantile_ms(self, share: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] * 1000


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


def png_size(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])
    return width, height


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


def machine() -> str:
    cpus = len(os.sched_getaffinity(0))
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        model = f", {found.group(1).strip()}" if found else ""
    return (
        f"{cpus} CPUs (nproc){model}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; matplotlib {matplotlib.__version__}"
    )


def report(
    ours: Timings, reference: Timings, building: list[float], loads: tuple[float, float]
) -> str:
    ratio = ours.median_ms / reference.median_ms
    width, height = png_size(ours.png)
    bare_width, bare_height = png_size(reference.png)
    build_ms = statistics.median(building) * 1000
    rows = [
        ("target", "renders", "median", "p90", "max", "CPU median", "PNG"),
        ("---", "---:", "---:", "---:", "---:", "---:", "---:"),
    ]
    for name, timings, (w, h) in (
        ("pilotgate chart", ours, (width, height)),
        ("bare plot", reference, (bare_width, bare_height)),
    ):
        rows.append((
            name,
            str(len(timings.seconds)),
            f"{timings.median_ms:.1f} ms",
            f"{timings.quantile_ms(0.9):.1f} ms",
            f"{max(timings.seconds) * 1000:.1f} ms",
            f"{timings.cpu_median_ms:.1f} ms",
            f"{w}x{h}, {len(timings.png) / 1024:.0f} KiB",
        ))  # fmt: skip
    met_median = ours.median_ms < MEDIAN_TARGET_MS
    met_ratio = ratio <= RATIO_TARGET
    lines = [
        f"### Metric chart, 52 weekly readings and 3 guardrails ({datetime.now(UTC).date()})",
        "",
        f"- Machine: {machine()}; load average {loads[0]:.2f} when the run began, "
        f"{loads[1]:.2f} when it ended (other work on the machine slows the wall clock).",
        "",
        *("| " + " | ".join(row) + " |" for row in rows),
        "",
        f"- Chart median: {ours.median_ms:.1f} ms (target < {MEDIAN_TARGET_MS:g} ms: "
        f"{'met' if met_median else 'MISSED'}).",
        f"- Ratio of medians (chart / bare plot): {ratio:.2f} (target <= {RATIO_TARGET:g}: "
        f"{'met' if met_ratio else 'MISSED'}); of CPU time medians, which other load on the "
        f"machine moves less: {ours.cpu_median_ms / reference.cpu_median_ms:.2f}.",
        f"- Building the figure alone (layout, text measured, artists made, nothing drawn) has "
        f"a median of {build_ms:.1f} ms; the rest of a render is drawing and PNG encoding.",
        "",
    ]
    return "\n".join(lines)


def record(section: str, doc: Path = DOC) -> None:
    """Replaces this benchmark's section of docs/benchmarks.md, or appends it at the end."""
    block = f"{BEGIN}\n{section}{END}\n"
    current = doc.read_text() if doc.is_file() else "# Benchmarks\n"
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END) + r"\n?", re.DOTALL)
    if pattern.search(current):
        updated = pattern.sub(lambda _match: block, current, count=1)
    else:
        updated = current.rstrip("\n") + "\n\n" + block
    doc.write_text(updated)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.chart",
        description="The metric chart's render time against a bare matplotlib plot.",
    )
    parser.add_argument("--renders", type=int, default=50, help="renders of each (default 50)")
    parser.add_argument("--warm-up", type=int, default=5, help="renders of each first, untimed")
    parser.add_argument("--record", action="store_true", help="write into docs/benchmarks.md")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    ours, reference, building = measure(args.renders, args.warm_up)
    section = report(ours, reference, building, (load_before, os.getloadavg()[0]))
    print(section)
    if args.record:
        record(section)
        print(f"recorded in {DOC.name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
