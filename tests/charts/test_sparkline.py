"""The digest's text sparkline: what it shows for the readings a digest line has room for."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.charts.sparkline import BLOCKS
from bot.charts.sparkline import RECENT
from bot.charts.sparkline import sparkline

any_float = st.floats(allow_nan=True, allow_infinity=True)
finite_float = st.floats(allow_nan=False, allow_infinity=False)


def test_rising_readings_climb_from_the_lowest_block_to_the_highest() -> None:
    assert sparkline([1, 2, 3, 4, 5, 6, 7, 8]) == "▁▂▃▄▅▆▇█"


def test_the_shape_follows_the_readings_up_and_down() -> None:
    assert sparkline([12, 10, 11, 8]) == "█▅▆▁"


def test_only_the_latest_readings_are_shown() -> None:
    assert sparkline([100, 1, 2, 3, 4, 5, 6, 7, 8]) == "▁▂▃▄▅▆▇█"
    assert sparkline([5, 1, 9], width=2) == "▁█"


@pytest.mark.parametrize(
    ("values", "expected"),
    [([], ""), ([7.5], "▄"), ([3, 3, 3], "▄▄▄"), ([-0.0, 0.0], "▄▄")],
)
def test_nothing_one_value_and_a_flat_series(values: list[float], expected: str) -> None:
    assert sparkline(values) == expected


def test_values_that_are_not_numbers_are_left_out() -> None:
    assert sparkline([1, math.nan, 2, math.inf, -math.inf, 3]) == "▁▅█"
    assert sparkline([math.nan, math.inf]) == ""


def test_a_width_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        sparkline([1, 2], width=0)


@given(st.lists(any_float, max_size=40), st.integers(min_value=1, max_value=12))
def test_one_block_for_each_recent_finite_value(values: list[float], width: int) -> None:
    line = sparkline(values, width)
    assert len(line) == min(len([v for v in values if math.isfinite(v)]), width)
    assert set(line) <= set(BLOCKS)


@given(st.lists(finite_float, min_size=2, max_size=RECENT))
def test_higher_readings_never_get_lower_blocks(values: list[float]) -> None:
    heights = [BLOCKS.index(block) for block in sparkline(values)]
    for a, height_a in zip(values, heights, strict=True):
        for b, height_b in zip(values, heights, strict=True):
            if a < b:
                assert height_a <= height_b
    line = sparkline(values)
    if min(values) < max(values):
        assert line[values.index(min(values))] == BLOCKS[0]
        assert line[values.index(max(values))] == BLOCKS[-1]


def test_a_listener_can_use_it_without_loading_the_chart_library() -> None:
    code = (
        "import sys, bot.charts.sparkline, bot.charts.series\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
