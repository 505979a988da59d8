"""One way to time: contenders called in alternating rounds, and latencies summarised the
same way in every report."""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from typing import Any


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def percentile(ordered: Sequence[float], share: float) -> float:
    """Nearest rank: the smallest value at or above `share` of the samples."""
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def latencies(seconds: Iterable[float]) -> list[str]:
    """The median, p95 and p99 of the samples, in milliseconds."""
    ordered = sorted(seconds)
    cuts = (statistics.median(ordered), percentile(ordered, 0.95), percentile(ordered, 0.99))
    return [ms(cut) for cut in cuts]


@dataclass
class Timed:
    """One contender's calls: the seconds each took on the wall clock, what a person waiting
    sees, and in CPU time of this process, which other load on the machine moves less; and
    what its last call returned."""

    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    last: Any = None

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_seconds)


def alternate(
    contenders: dict[str, Callable[[], object]], rounds: int, warm_up: int = 0
) -> dict[str, Timed]:
    """Calls every contender once a round, in the reverse order every other round, so that none
    always meets a warm or a cold cache, after `warm_up` untimed rounds (imports and caches,
    paid once per process). Garbage is collected before each call, not inside it."""
    for _ in range(warm_up):
        for call in contenders.values():
            call()
    timed = {name: Timed() for name in contenders}
    order = list(contenders.items())
    for round_ in range(rounds):
        for name, call in order if round_ % 2 == 0 else reversed(order):
            gc.collect()
            started, started_cpu = time.perf_counter(), time.process_time()
            timed[name].last = call()
            timed[name].cpu_seconds.append(time.process_time() - started_cpu)
            timed[name].seconds.append(time.perf_counter() - started)
    return timed
