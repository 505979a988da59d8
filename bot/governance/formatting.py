"""How numbers and dates read in sentences people see."""

from __future__ import annotations

from datetime import date


def format_number(value: float) -> str:
    """12000.0 -> '12,000'; 0.4200 -> '0.42'; 9.8 -> '9.8'."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def format_quantity(value: float, unit: str | None) -> str:
    text = format_number(value)
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def format_day(day: date) -> str:
    return day.isoformat()
