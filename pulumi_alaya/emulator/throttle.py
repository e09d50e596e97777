"""The emulator's rate limit: a token bucket per access key, and a record of every "come back later" it said.

An API gateway in front of Alaya answers ``429`` with ``Retry-After`` (whole seconds, as HTTP defines it) when
a key spends requests faster than its bucket refills. The tests need two more things no gateway tells you:
how many 429s were answered, and whether a client came back *earlier* than it was told. So every
``Retry-After`` given (by the bucket or by an injected 429 fault) is remembered for the request it answered
(key, method, path, body): the same request arriving again before that time is an early arrival. Arrivals of
*other* requests of that key inside a come-back window are counted apart: a client can only have sent those
before it read the 429 (in flight), or because its pool ignores what one of its requests was told.
"""

from __future__ import annotations

import math
import threading
import time
from typing import Any

# Come-back records kept at most (expired ones are dropped first): a bound for a long-running emulator.
_TOLD_LIMIT = 10_000
_EARLY_SHOWN = 20


class Throttle:
    """Thread-safe; ``rate`` 0 means no rate limit (injected 429s are still tracked)."""

    def __init__(self, rate: float = 0.0, burst: float | None = None) -> None:
        self._lock = threading.Lock()
        self._start = (rate, burst)
        self.configure(rate, burst)

    def configure(self, rate: float, burst: float | None = None) -> None:
        """N requests per second per key, bursts of B (default N, at least 1); zeroes the counters."""
        if not math.isfinite(rate) or rate < 0 or (burst is not None and (not math.isfinite(burst) or burst < 1)):
            raise ValueError("rate must be >= 0 and burst >= 1")
        with self._lock:
            self.rate = float(rate)
            self.burst = float(burst) if burst is not None else max(1.0, float(rate))
            self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, when)
            self._told: dict[tuple[str, str, str, bytes], float] = {}  # request -> may come back at
            self._window: dict[str, float] = {}  # key -> end of its latest come-back window
            self.answered_429 = 0
            self.early: list[dict[str, Any]] = []
            self.early_count = 0
            self.inside_window = 0

    def reset(self) -> None:
        """Back to the rate the emulator was started with."""
        self.configure(*self._start)

    def arrive(self, key: str, method: str, path: str, body: bytes) -> int | None:
        """Note one API request of ``key``; None to serve it, else the ``Retry-After`` seconds to answer 429 with."""
        now = time.monotonic()
        request = (key, method, path, body)
        with self._lock:
            due = self._told.get(request)
            if due is not None and now < due:
                self.early_count += 1
                if len(self.early) < _EARLY_SHOWN:
                    self.early.append({"method": method, "path": path, "earlyBy": round(due - now, 4)})
            if now < self._window.get(key, 0.0):
                self.inside_window += 1
            if self.rate <= 0:
                return None
            tokens, then = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - then) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return None
            self._buckets[key] = (tokens, now)
            # Whole seconds until the next token, as a gateway would write it (never 0: that invites a storm).
            return max(1, math.ceil((1.0 - tokens) / self.rate))

    def told(self, key: str, method: str, path: str, body: bytes, seconds: float) -> None:
        """A 429 asking this request to come back after ``seconds`` was answered."""
        now = time.monotonic()
        due = now + seconds
        with self._lock:
            self.answered_429 += 1
            if len(self._told) >= _TOLD_LIMIT:
                self._told = {r: t for r, t in self._told.items() if t > now}
                while len(self._told) >= _TOLD_LIMIT:  # all still pending: forget the oldest
                    del self._told[next(iter(self._told))]
            self._told[(key, method, path, body)] = max(due, self._told.get((key, method, path, body), 0.0))
            self._window[key] = max(due, self._window.get(key, 0.0))

    def report(self) -> dict[str, Any]:
        with self._lock:
            return {"rate": self.rate, "burst": self.burst, "answered429": self.answered_429,
                    "early": self.early_count, "earlyRequests": list(self.early),
                    "insideWindow": self.inside_window}
