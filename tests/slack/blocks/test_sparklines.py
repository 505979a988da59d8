"""Digest and list lines carry a text sparkline of the latest readings."""

from __future__ import annotations

from dataclasses import replace

from bot.slack.blocks.digest_lines import digest_line
from bot.slack.blocks.pilot_list import pilot_line
from tests.slack.blocks.factory import NOW
from tests.slack.blocks.factory import READY
from tests.slack.blocks.factory import UTC_ZONE
from tests.slack.blocks.factory import report_of

FALLING = (14.0, 12.5, 11.0, 10.2, 9.0)


def test_a_pilot_with_readings_shows_their_trend_on_its_lines() -> None:
    report = report_of(replace(READY, recent_values=FALLING))
    assert "█▆▄▃▁" in digest_line(report, NOW, UTC_ZONE)
    assert "█▆▄▃▁" in pilot_line(report)


def test_one_reading_or_none_draws_no_line() -> None:
    for values in ((), (9.0,)):
        report = report_of(replace(READY, recent_values=values))
        line = digest_line(report, NOW, UTC_ZONE) + pilot_line(report)
        assert not set("▁▂▃▄▅▆▇█") & set(line)
