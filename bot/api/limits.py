"""At most 10 requests from one token in any one second.

A sliding log, not a fixed window: a fixed window lets 20 requests through in a moment that
straddles its edge. The log lives in the process, so each replica of `serve` counts its own
requests; one token's log holds at most `requests` instants.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable


class RateLimit:
    def __init__(
        self, requests: int = 10, per: float = 1.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._requests = requests
        self._per = per
        self._clock = clock
        self._lock = threading.Lock()
        self._logs: dict[str, deque[float]] = {}

    def retry_after(self, who: str) -> int | None:
        """None when `who` may go ahead now (and the request is counted); otherwise the whole
        seconds to wait, at least 1. A refused request is not counted."""
        now = self._clock()
        with self._lock:
            log = self._logs.setdefault(who, deque(maxlen=self._requests))
            if len(log) == self._requests and now - log[0] < self._per:
                return max(1, math.ceil(log[0] + self._per - now))
            log.append(now)
            return None
