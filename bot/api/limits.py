"""At most so many requests from one token, or failed authentications from one client
address, in any one second.

A sliding log, not a fixed window: a fixed window lets 20 requests through in a moment that
straddles its edge. The log lives in the process, so each replica of `serve` counts its own
requests; one caller's log holds at most `requests` instants, and callers silent for longer
than the window are forgotten once many are kept (client addresses are not a bounded set).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

# Callers kept before the silent ones are swept out.
SWEEP_ABOVE = 10_000


class RateLimit:
    def __init__(
        self, requests: int = 10, per: float = 1.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.requests = requests
        self._per = per
        self._clock = clock
        self._lock = threading.Lock()
        self._logs: dict[str, deque[float]] = {}
        self._swept_at = -math.inf

    def retry_after(self, who: str) -> int | None:
        """None when `who` may go ahead now (and the request is counted); otherwise the whole
        seconds to wait, at least 1. A refused request is not counted."""
        with self._lock:
            now = self._clock()
            wait = self._wait(who, now)
            if wait is None:
                self._count(who, now)
            return wait

    def waiting(self, who: str) -> int | None:
        """Like retry_after, counting nothing: for limits on what only some requests do."""
        with self._lock:
            return self._wait(who, self._clock())

    def count(self, who: str) -> None:
        with self._lock:
            self._count(who, self._clock())

    def _wait(self, who: str, now: float) -> int | None:
        log = self._logs.get(who)
        if log is not None and len(log) == self.requests and now - log[0] < self._per:
            return max(1, math.ceil(log[0] + self._per - now))
        return None

    def _count(self, who: str, now: float) -> None:
        # At most one sweep a window: callers new within it are all still counted, so a
        # flood of new addresses cannot make every request walk the whole log.
        crowded = who not in self._logs and len(self._logs) >= SWEEP_ABOVE
        if crowded and now - self._swept_at >= self._per:
            self._swept_at = now
            self._sweep(now)
        self._logs.setdefault(who, deque(maxlen=self.requests)).append(now)

    def _sweep(self, now: float) -> None:
        # A caller whose latest instant has left the window has no say in any wait.
        for who in [who for who, log in self._logs.items() if now - log[-1] >= self._per]:
            del self._logs[who]
