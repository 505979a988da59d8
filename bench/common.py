"""What the benchmarks share: processes they start and measure (the fake Slack among them), a
slack_sdk client like pilotgate's, one way to time contenders in alternating rounds, and the
report, printed and recorded.

    python -m bench.common      # the fake Slack process that FakeSlackProcess starts
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import IO
from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler

from tests.fakeslack import FAKE_BOT_TOKEN
from tests.fakeslack import FakeSlack

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
HOST = "127.0.0.1"
TITLES = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "memory": "No database"}
POLL_SECONDS = 0.1


def argument_parser(module: str, description: str) -> argparse.ArgumentParser:
    """The options every benchmark has."""
    parser = argparse.ArgumentParser(prog=f"python -m {module}", description=description)
    about = "a PostgreSQL server to create throwaway databases on (default: SQLite, temporary)"
    parser.add_argument("--database-url", help=about)
    parser.add_argument("--record", action="store_true", help="write docs/benchmarks.md")
    return parser


def main(parser: argparse.ArgumentParser, run: Callable[[argparse.Namespace], Report]) -> int:
    """Runs a benchmark as its command line asks; returns the exit status."""
    args = parser.parse_args()
    return run(args).publish(args.record)


def say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


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
    what each call returned."""

    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    results: list[Any] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_seconds)


def alternate(
    contenders: Mapping[Any, Callable[[], object]],
    rounds: int,
    warm_up: int = 0,
    say_rounds: bool = False,
    before: Callable[[Any], object] = lambda _name: None,
) -> dict[Any, Timed]:
    """Calls every contender once a round, in the reverse order every other round, so that none
    always meets a warm or a cold cache, after `warm_up` untimed rounds (imports and caches,
    paid once per process). `before(name)` readies each call, untimed; garbage is collected
    before each call, not inside it."""
    timed = {name: Timed() for name in contenders}
    order = list(contenders.items())
    for round_ in range(-warm_up, rounds):
        for name, call in order if round_ % 2 == 0 else reversed(order):
            before(name)
            gc.collect()
            started, started_cpu = time.perf_counter(), time.process_time()
            result = call()
            cpu, wall = time.process_time() - started_cpu, time.perf_counter() - started
            if round_ >= 0:
                timed[name].results.append(result)
                timed[name].cpu_seconds.append(cpu)
                timed[name].seconds.append(wall)
        if say_rounds:
            say(f"round {round_ + 1}/{rounds} done{' (warm-up)' if round_ < 0 else ''}")
    return timed


class Process:
    """A process the benchmark started, whose CPU time it can read."""

    def __init__(self, command: list[str], **options: Any) -> None:
        self.process = subprocess.Popen(command, **options)

    def cpu(self) -> float | None:
        """User and system CPU seconds of the process and its threads (Linux; else None)."""
        try:
            stat = Path(f"/proc/{self.process.pid}/stat").read_text()
        except OSError:
            return None
        fields = stat[stat.rindex(")") + 2 :].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM (pilotgate then finishes its work), and a kill after `timeout` seconds."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class CpuClock:
    """The CPU seconds processes spend from the clock's start on."""

    def __init__(self, processes: dict[str, Process]) -> None:
        self._processes = processes
        self._start = {name: process.cpu() for name, process in processes.items()}

    def spent(self) -> dict[str, float]:
        """By process, of those whose CPU time can be read."""
        return {
            name: after - before
            for name, process in self._processes.items()
            if (after := process.cpu()) is not None and (before := self._start[name]) is not None
        }


def serve_fake() -> int:
    """The fake Slack in this process: prints its port, then answers each line read from stdin
    with a line of JSON until stdin closes: `count METHOD`, the calls of METHOD so far;
    `stats`, the calls and the deliveries by method and what the fake refused; `clear`."""
    with FakeSlack() as fake:
        print(fake.port, flush=True)
        for line in sys.stdin:
            command, _, method = line.strip().partition(" ")
            answer: dict[str, Any] = {}
            if command == "count":
                answer = {"count": len(fake.calls(method))}
            elif command == "stats":
                calls, errors = fake.calls(), fake.errors
                plain = [
                    c for c in calls if c.method == "response_url" and not c.args.get("blocks")
                ]
                answer = {
                    "methods": Counter(c.method for c in calls),
                    "delivered": Counter(c.method for c in calls if c.ok),
                    "plain_replies": len(plain),
                    "plain_samples": [str(c.args.get("text", ""))[:160] for c in plain[:3]],
                    "errors": len(errors),
                    "error_samples": errors[:3],
                }
            elif command == "clear":
                fake.clear()
            else:
                answer = {"error": f"unknown command {command!r}"}
            print(json.dumps(answer), flush=True)
    return 0


class FakeSlackProcess(Process):
    """The fake Slack of tests/fakeslack/ in a process of its own, so that the calls made to
    it do not compete for the measuring process's interpreter lock."""

    def __init__(self, log: IO[str] | None = None) -> None:
        pipes: dict[str, Any] = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE}
        super().__init__(
            [sys.executable, "-m", "bench.common"], cwd=ROOT, stderr=log, text=True, **pipes
        )
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self._in, self._out = self.process.stdin, self.process.stdout
        line = self._out.readline()
        if not line.strip().isdigit():
            raise RuntimeError(f"the fake Slack did not start (said {line!r})")
        self.url = f"http://{HOST}:{int(line)}/"
        self.api_url = f"{self.url}api/"

    def ask(self, command: str) -> dict[str, Any]:
        self._in.write(command + "\n")
        self._in.flush()
        answer: dict[str, Any] = json.loads(self._out.readline())
        return answer

    def wait_for(self, method: str, count: int, timeout: float) -> float | None:
        """Seconds until `count` calls of `method` had arrived, or None if not in time."""
        started = time.perf_counter()
        while self.ask(f"count {method}")["count"] < count:
            if time.perf_counter() - started > timeout:
                return None
            time.sleep(POLL_SECONDS)
        return time.perf_counter() - started

    def stop(self, timeout: float = 30) -> None:
        self._in.close()  # the fake ends when its stdin does; SIGTERM only if it has not
        with suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=timeout)
        super().stop(timeout)


def web_client(
    api_url: str, retries: int = 2, rate_limits: RateLimitErrorRetryHandler | None = None
) -> WebClient:
    """A client with slack_sdk's retry handlers, as bot.slack.client builds one for Slack."""
    return WebClient(
        token=FAKE_BOT_TOKEN,
        base_url=api_url,
        timeout=10,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=retries),
            rate_limits or RateLimitErrorRetryHandler(max_retry_count=retries),
            ServerErrorRetryHandler(max_retry_count=retries),
        ],
    )


def machine(*more: str) -> str:
    cpus = len(os.sched_getaffinity(0))
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        model = f", {found.group(1).strip()}" if found else ""
    system = f"{platform.system()} {platform.release()}"
    python = f"Python {platform.python_version()}"
    return "; ".join((f"{cpus} CPUs (nproc){model}", system, python, *more))


@dataclass
class Report:
    """What a run found, as the console shows it and docs/benchmarks.md records it."""

    chapter: str  # the benchmark's module, "bench.tick": its chapter of docs/benchmarks.md
    kind: str  # the database ("sqlite", "postgresql"): its section in that chapter
    headline: str  # the console's first line
    about: list[str]  # the section's bullets after the machine's: the conditions
    rows: Sequence[tuple[str, ...]]  # the table, the header first
    findings: list[str]
    variant: tuple[str, str] = ("", "")  # a variant's key suffix and title suffix, if any
    machine_notes: str = ""  # what the section adds to the machine: the database, a library
    console_machine: str = ""  # what follows the machine on its console line
    failed: str = ""  # why the figures must not be recorded: the run did not do its work
    exit_status: int = 0  # 1 when the run went wrong (a missed target is a finding, not that)

    def show(self, out: IO[str]) -> None:
        print(f"\n{self.headline}", file=out)
        print(f"machine: {machine()}{self.console_machine}\n", file=out)
        widths = [max(len(row[i]) for row in self.rows) for i in range(len(self.rows[0]))]
        for row in self.rows:
            cells = [
                c.rjust(w) if i else c.ljust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            ]
            print("  ".join(cells), file=out)
        print(file=out)
        for line in self.findings:
            print(line, file=out)

    def markdown(self) -> str:
        today = datetime.now(UTC).date().isoformat()
        header = self.rows[0]
        lines = [
            f"### {TITLES[self.kind]}{self.variant[1]} ({today})",
            "",
            f"- Machine: {machine(*filter(None, [self.machine_notes]))}.",
            *(f"- {line}" for line in self.about),
            "",
            "| " + " | ".join(header) + " |",
            "|" + "|".join("---:" if i else "---" for i in range(len(header))) + "|",
            *("| " + " | ".join(row) + " |" for row in self.rows[1:]),
            "",
            *(f"- {line}" for line in self.findings),
        ]
        return "\n".join(lines) + "\n"

    def publish(self, record: bool, out: IO[str] = sys.stdout) -> int:
        """Prints it; with `record`, writes it into docs/benchmarks.md too. Returns the exit
        status."""
        self.show(out)
        if record and self.failed:
            say(f"not recorded: {self.failed}")
        elif record:
            record_section(self.chapter, self.kind + self.variant[0], self.markdown())
        return self.exit_status


def record_section(chapter: str, key: str, section: str, doc: Path = DOC) -> None:
    """Replaces the `key` section of `chapter` (a benchmark's module) in docs/benchmarks.md, or
    adds it at the end of the chapter. A chapter missing from the file is started at its end;
    describe the benchmark there by hand."""
    begin, end = f"<!-- {chapter} {key} -->", f"<!-- /{chapter} {key} -->"
    anchor = f"<!-- {chapter}: recorded sections go above this line -->"
    block = f"{begin}\n{section}{end}\n"
    current = doc.read_text() if doc.is_file() else "# Benchmarks\n"
    if anchor not in current:
        current = current.rstrip("\n") + f"\n\n## `python -m {chapter}`\n\n{anchor}\n"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end) + r"\n?", re.DOTALL)
    if pattern.search(current):
        updated = pattern.sub(lambda _match: block, current, count=1)
    else:
        updated = current.replace(anchor, f"{block}\n{anchor}", 1)
    doc.write_text(updated)
    say(f"recorded in {doc.relative_to(ROOT)}")


if __name__ == "__main__":
    raise SystemExit(serve_fake())
