"""Tables for `pytest.mark.parametrize` whose rows start with their own name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest


def named_rows(
    rows: Sequence[tuple[Any, ...]],
) -> list[Any]:
    """Each row as a test case (a `pytest.param`) called by its first item, the rest its
    arguments."""
    return [pytest.param(*row[1:], id=row[0]) for row in rows]
