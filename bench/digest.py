"""What sparklines cost the digest: 500 pilots with eight readings each, digest messages
built with and without the trend, median of alternating runs in one process (docs/benchmarks.md,
"Digest sparklines"). Target: at most 1.2x."""

from __future__ import annotations

import argparse
from dataclasses import replace

from bench import common
from bot.slack.blocks.digest import digest_messages
from tests.slack.blocks.factory import NOW
from tests.slack.blocks.factory import READY
from tests.slack.blocks.factory import UTC_ZONE
from tests.slack.blocks.factory import report_of

PILOTS, RUNS, TARGET = 500, 21, 1.2


def _portfolio(with_trend: bool) -> list[object]:
    values = (14.0, 13.1, 12.4, 11.8, 10.9, 10.2, 9.6, 9.0)
    return [
        report_of(replace(READY, key=f"P-{n}", name=f"Pilot {n} of the portfolio",
                          recent_values=values if with_trend else ()))
        for n in range(1, PILOTS + 1)
    ]  # fmt: skip


def run(_args: argparse.Namespace) -> common.Report:
    plain, trended = _portfolio(False), _portfolio(True)
    timed = common.alternate(
        {
            "without": lambda: digest_messages(plain, NOW, UTC_ZONE),  # type: ignore[arg-type]
            "with": lambda: digest_messages(trended, NOW, UTC_ZONE),  # type: ignore[arg-type]
        },
        RUNS,
    )
    without, with_ = timed["without"].median, timed["with"].median
    ratio = with_ / without
    return common.Report(
        chapter="bench.digest",
        kind="memory",
        headline=f"digest of {PILOTS} pilots: sparklines cost {ratio:.2f}x",
        about=[f"{PILOTS} pilots, 8 readings each; median of {RUNS} runs."],
        rows=[
            ("digest", "median ms"),
            ("without sparklines", f"{without * 1000:.1f}"),
            ("with sparklines", f"{with_ * 1000:.1f}"),
        ],
        findings=[f"{ratio:.2f}x, target at most {TARGET}x: {common.verdict(ratio <= TARGET)}"],
    )


if __name__ == "__main__":
    raise SystemExit(common.main(common.argument_parser("bench.digest", __doc__ or ""), run))
