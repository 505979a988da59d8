"""Tables for `pytest.mark.parametrize` whose rows start with their own name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from _pytest.mark import ParameterSet


def named_rows(rows: Sequence[tuple[Any, ...]]) -> list[ParameterSet]:
    """Each row as a test case called by its first item, the rest its arguments."""
    return [pytest.param(*row[1:], id=row[0]) for row in rows]
