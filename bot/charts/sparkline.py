"""A text sparkline for digest lines: cheap, and it never imports matplotlib."""

from __future__ import annotations

import math
from collections.abc import Iterable

BLOCKS = "▁▂▃▄▅▆▇█"
FLAT = BLOCKS[3]
"""A series that never moved is drawn mid-height, so it cannot be read as "fell to the floor"."""

RECENT = 8
"""How many of the latest readings a digest line has room for."""


def sparkline(values: Iterable[float], width: int = RECENT) -> str:
    """The last `width` finite values as block characters, lowest ▁ to highest █.

    Non-finite values (NaN, infinities) are left out before counting; an empty or all
    non-finite series gives "", one value gives one character, and a flat series a flat line.
    """
    if width < 1:
        raise ValueError("a sparkline needs a width of at least 1")
    recent = [value for value in values if math.isfinite(value)][-width:]
    if not recent:
        return ""
    low, high = min(recent), max(recent)
    if low == high:
        return FLAT * len(recent)
    top = len(BLOCKS) - 1
    return "".join(BLOCKS[round(_fraction(value, low, high) * top)] for value in recent)


def _fraction(value: float, low: float, high: float) -> float:
    """Where `value` sits between `low` (0) and `high` (1), for any finite floats, low < high."""
    span = high - low
    if math.isinf(span):
        # Two huge values of opposite sign: halve everything rather than divide by infinity.
        return (value / 2 - low / 2) / (high / 2 - low / 2)
    return (value - low) / span
