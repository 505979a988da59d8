"""A load on a server: the server under test in a process of its own, and Slack's side,
signed requests sent over keep-alive connections in bursts that start together, with the
latencies they took, in alternating rounds. (bench.ack loads pilotgate and a bare Bolt app
this way, bench.api pilotgate's HTTP API and a bare WSGI app.)"""

from __future__ import annotations

import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from slack_bolt import Ack
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from waitress.server import create_server

from bench import common
from bench.common import HOST
from bot.server import THREADS
from tests.slack_requests import SIGNING_SECRET
from tests.slack_requests import sign

EVENTS_PATH = "/slack/events"
READY_TIMEOUT = 60.0


class Server(common.Process):
    """A server under test, on a free port, its output in `workdir`/<first word of name>.log.
    `command` ends with the option that takes the port."""

    def __init__(
        self, name: str, command: list[str], env: dict[str, str], workdir: Path, health: str = ""
    ) -> None:
        """`health`: the path that answers 200 once the server is ready ("": any answer will do)."""
        self.name, self.health = name, health
        with socket.socket() as probe:
            probe.bind((HOST, 0))
            self.port = int(probe.getsockname()[1])
        self.log = workdir / f"{name.split()[0]}.log"
        self._output = self.log.open("w")
        command = [*command, str(self.port)]
        super().__init__(
            command, cwd=workdir, env=env, stdout=self._output, stderr=subprocess.STDOUT
        )

    def wait_ready(self) -> None:
        """Until the server answers (its health path with 200)."""
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = "\n".join(self.log.read_text(errors="replace").splitlines()[-20:])
                raise RuntimeError(f"{self.name} exited at start:\n{tail}")
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=2)
                connection.request("GET", self.health or "/")
                status = connection.getresponse().status
                connection.close()
                if not self.health or status == 200:
                    return
            except OSError:
                pass
            time.sleep(common.POLL_SECONDS)
        raise RuntimeError(f"{self.name} did not answer within {READY_TIMEOUT:g} s")

    def stop(self, timeout: float = 60) -> None:
        super().stop(timeout)
        self._output.close()

    def log_problems(self) -> Counter[str]:
        """Warning and error lines of the log, without their time stamps, counted."""
        self._output.flush()
        wanted = re.compile(r"\b(ERROR|WARNING|CRITICAL|Traceback)\b")
        stamp = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ ")
        lines = self.log.read_text(errors="replace").splitlines()
        return Counter(
            f"{self.name}: {stamp.sub('', line)[:200]}" for line in lines if wanted.search(line)
        )


def environment(settings: dict[str, str]) -> dict[str, str]:
    """This process's environment with `settings`, and the repository first on the path (for
    bench and tests), then whatever the caller had."""
    path = os.pathsep.join(p for p in (str(common.ROOT), os.environ.get("PYTHONPATH")) if p)
    return os.environ | {"PYTHONPATH": path} | settings


def pilotgate(name: str, env: dict[str, str], workdir: Path) -> Server:
    """`pilotgate serve` without its scheduler, in `workdir`: a developer's .env in the
    repository must not leak in."""
    serve = [sys.executable, "-m", "bot", "serve", "--no-scheduler", "--host", HOST, "--port"]
    return Server(name, serve, env, workdir, health="/healthz")


def serve_bare(port: int) -> int:
    """The reference: a Bolt app whose `/pilot` only acks, behind waitress like pilotgate, with
    as many waitress and listener threads as bot.server and bot.cli give pilotgate.

    python -m bench.load PORT   # what bench.ack starts; SLACK_* settings in the environment
    """
    threads = THREADS
    app = App(
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        client=WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"]),
        token_verification_enabled=False,
        listener_executor=ThreadPoolExecutor(threads, thread_name_prefix="bare-listener"),
    )

    @app.command("/pilot")
    def pilot(ack: Ack) -> None:
        ack()

    handler = SlackRequestHandler(app, path=EVENTS_PATH)
    create_server(handler, host=HOST, port=port, threads=threads, ident="bare").run()
    return 0  # not reached: SIGTERM ends it


class Job(NamedTuple):
    """A POST: to Slack's events path, signed as Slack signs, unless `headers` say otherwise."""

    kind: str
    body: bytes
    path: str = EVENTS_PATH
    headers: dict[str, str] | None = None


@dataclass
class Outcome:
    kind: str
    seconds: float
    status: int
    empty: bool  # the answer had no body
    reconnected: bool  # the connection had to be made again to send it

    @property
    def acked_plainly(self) -> bool:
        """HTTP 200 with an empty body: ack() with nothing to say."""
        return self.status == 200 and self.empty


@dataclass
class Segment:
    target: str
    outcomes: list[Outcome]
    wall: float
    drain: float | None = None  # seconds from the last ack to the last follow-up


class Client:
    """One of Slack's concurrent senders: a keep-alive connection to one target."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection(HOST, port, timeout=30)

    def send(self, job: Job) -> Outcome:
        for attempt in (1, 2):
            if self.connection.sock is None:
                self.connection.connect()  # untimed, as Slack's connections are warm
            stamp = int(time.time())
            headers = job.headers or {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Slack-Request-Timestamp": str(stamp),
                "X-Slack-Signature": sign(job.body, stamp, SIGNING_SECRET),
            }
            started = time.perf_counter()
            try:
                self.connection.request("POST", job.path, body=job.body, headers=headers)
                response = self.connection.getresponse()
                payload = response.read()
            except (http.client.HTTPException, OSError):
                self.connection.close()
                if attempt == 2:
                    raise
                continue
            elapsed = time.perf_counter() - started
            if response.will_close:
                self.connection.close()
            return Outcome(job.kind, elapsed, response.status, not payload, attempt == 2)
        raise AssertionError("unreachable")


class Contest:
    """Servers under the same load: each gets `concurrency` keep-alive clients of its own to
    send jobs over (in rounds timed by bench.common.alternate)."""

    def __init__(self, servers: Sequence[Server], concurrency: int) -> None:
        for server in servers:
            server.wait_ready()
        self.clients = {s.name: [Client(s.port) for _ in range(concurrency)] for s in servers}

    def send(self, target: str, jobs: Sequence[Job]) -> Segment:
        """Sends `jobs` to one target, split over its clients, all clients starting together."""
        clients = self.clients[target]
        start = threading.Barrier(len(clients) + 1)

        def work(index: int) -> list[Outcome]:
            start.wait()
            return [clients[index].send(job) for job in jobs[index :: len(clients)]]

        with ThreadPoolExecutor(len(clients)) as pool:
            shares = [pool.submit(work, index) for index in range(len(clients))]
            start.wait()
            began = time.perf_counter()
            try:
                outcomes = [outcome for share in shares for outcome in share.result()]
            except Exception as error:
                raise RuntimeError(f"{target}: a request failed: {error!r}") from error
            wall = time.perf_counter() - began
        return Segment(target, outcomes, wall)

    def close(self) -> None:
        for client in (c for mine in self.clients.values() for c in mine):
            client.connection.close()


def median(segments: Sequence[Segment]) -> float:
    """The median latency of the requests in `segments`."""
    return statistics.median(o.seconds for s in segments for o in s.outcomes)


if __name__ == "__main__":
    raise SystemExit(serve_bare(int(sys.argv[1])))
