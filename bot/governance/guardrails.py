"""Guardrails: what must stay on the right side of a limit while the pilot runs.

A pilot is Go only when each guardrail has a current reading (less than one cadence period
old, on the owner's clock, as for the go-live metric) within its limit; each one that has
not is a gap naming it. Once the decide-by date has passed, a guardrail whose latest reading
is outside its limit makes the pilot No-go (bot.governance.readiness).
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.governance import cadence as cadence_rules
from bot.governance.checks import Check
from bot.governance.checks import CheckId
from bot.governance.facts import Guardrail
from bot.governance.facts import PilotFacts
from bot.governance.formatting import format_day
from bot.governance.formatting import format_quantity
from bot.governance.vocabulary import Better

# Short and plain, so `name:1.8` reads as a reading of it in `/pilot update` and the name
# never needs escaping wherever it is shown.
NAME = re.compile(r"[a-z][a-z0-9_-]{0,23}")
NAME_RULE = "a letter, then up to 23 letters, digits, - or _"
# Each guardrail is a panel of the pilot's chart; more would not read on a phone.
MAX_GUARDRAILS = 8


def guardrail_name(text: str) -> str | None:
    """The guardrail name `text` spells (names are lower-case), or None when it spells none."""
    name = text.strip().lower()
    return name if NAME.fullmatch(name) else None


def limit_words(rail: Guardrail) -> str:
    """'2% or lower', '95% or higher'."""
    bound = "or lower" if rail.better is Better.LOWER else "or higher"
    return f"{format_quantity(rail.limit, rail.unit)} {bound}"


def guardrail_checks(facts: PilotFacts, now: datetime, tz: ZoneInfo) -> tuple[Check, ...]:
    """One check per guardrail, in the order they were added."""
    return tuple(_check(facts, rail, now, tz) for rail in facts.guardrails)


def any_outside_limit(facts: PilotFacts) -> bool:
    return any(rail.outside_limit for rail in facts.guardrails)


def _check(facts: PilotFacts, rail: Guardrail, now: datetime, tz: ZoneInfo) -> Check:
    record = f"`/pilot update {facts.key} {rail.name}:<number>`"
    latest = rail.latest
    if latest is None:
        return _gap(f"Guardrail {rail.name} has no reading yet: record one with {record}")
    if rail.outside_limit:
        return _gap(
            f"Guardrail {rail.name} reads {format_quantity(latest.value, rail.unit)}, outside "
            f"its limit of {limit_words(rail)}: bring it back and record it with {record}, or "
            f"agree a new limit with `/pilot guardrail {facts.key} {rail.name} "
            f"{rail.better.value} <limit>`"
        )
    if not cadence_rules.is_current(latest.at, now, facts.cadence, tz):
        day = format_day(cadence_rules.local_date(latest.at, tz))
        return _gap(
            f"The latest reading of guardrail {rail.name} is from {day}, older than the "
            f"{facts.cadence.value} cadence: record a new one with {record}"
        )
    return Check(CheckId.GUARDRAIL, True)


def _gap(text: str) -> Check:
    return Check(CheckId.GUARDRAIL, False, text)
