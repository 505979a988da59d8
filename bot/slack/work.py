"""Where listeners put what they do after ack(): a small pool of its own.

Bolt answers Slack only when a listener acks, so the listener must return at once. Doing
the database work and the reply on Bolt's own thread would let a burst of commands occupy
every thread and delay the next ack behind them; here the ack path never waits for work.
The work is CPU-bound Python, so two threads finish it as fast as eight would, without
starving the acks. The queue is bounded: past it, new commands are told to try again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.logs import ContextThreadPool
from bot.slack.errors import handle_error

log = logging.getLogger(__name__)
WORKERS = 2
MAX_WAITING = 1000
BUSY = "pilotgate is busy right now; nothing was changed. Try again in a minute."


class Work:
    def __init__(self, workers: int = WORKERS, max_waiting: int = MAX_WAITING) -> None:
        # Its log lines keep the team and request id of the request the work is for.
        self._pool = ContextThreadPool(workers, thread_name_prefix="pilotgate-work")
        self._room = threading.BoundedSemaphore(max_waiting)
        self._max_waiting = max_waiting

    def has_room(self) -> bool:
        if self._room.acquire(blocking=False):
            self._room.release()
            return True
        return False

    def waiting(self) -> int:
        """Work taken and not yet finished (what /metrics reports; MAX_WAITING bounds it).
        The semaphore already counts the room left, so this reads it instead of keeping a
        second count under a second lock."""
        return self._max_waiting - self._room._value

    def submit(
        self,
        task: Callable[[], None],
        *,
        body: dict[str, Any],
        client: WebClient,
        respond: Respond | None = None,
    ) -> None:
        """Runs `task` after the ack; its failures reach the person like any other."""
        if not self._room.acquire(blocking=False):
            log.warning("work queue full; dropping a request")
            handle_error(RuntimeError("work queue full"), body, client, respond)
            return

        def run() -> None:
            try:
                task()
            except Exception as error:  # the boundary for work done after the ack
                handle_error(error, body, client, respond)
            finally:
                self._room.release()

        self._pool.submit(run)

    def shutdown(self) -> None:
        """Lets queued work finish (a SIGTERM does not lose a reply on its way)."""
        self._pool.shutdown(wait=True)
