"""One adaptive send rate per client, shared by every thread of its pool (the AWS SDKs' "adaptive" retry mode).

Each attempt to the API takes a slot here before it is sent. A 429 slows the whole client, not only the
request that met it: with ``Retry-After`` nothing is sent before that time (the throttled requests first when
it ends, so none spends its retries alone while its siblings keep the bucket empty), and the rate drops to
``_BETA`` of what was being sent; every answer that is not a 429 lets it grow back along CUBIC's curve
towards the rate last throttled (botocore's ``ClientRateLimiter`` does the same). Until the first 429 a client
sends as fast as its pool allows.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

__all__ = ["ClientRateLimiter"]

_BETA = 0.7  # CUBIC's multiplicative decrease, as in botocore's adaptive mode
_SCALE = 0.4  # CUBIC's C: how fast the rate grows back
_MIN_RATE = 0.5  # sends per second: never slower, so a long throttle cannot starve a call of its budget
_WINDOW = 0.5  # seconds per measurement of the send rate, smoothed as botocore does
_SMOOTH = 0.8


class ClientRateLimiter:
    """Thread-safe. ``clock``/``sleep`` are injectable so the rules can be tested without waiting."""

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._lock = threading.Lock()
        self._clock, self._sleep = clock, sleep
        self.rate: float | None = None  # sends per second; None: unlimited until the first 429
        self.blocked_until = 0.0  # the latest Retry-After's end: nothing is sent before it
        self._next = 0.0  # the next free slot for a first attempt ...
        self._next_retry = 0.0  # ... and for a throttled request's retry, which goes first
        self._generation = 0  # bumped by every 429: first attempts waiting on an older slot queue again
        self._last_max = 0.0
        self._decreased_at = -math.inf
        self._measured = 0.0
        self._window_start = clock()
        self._window_sends = 0

    def acquire(self, deadline: float, *, retry: bool = False) -> float | None:
        """Wait for a send slot; the time it was granted, or None (at once) when none is free before ``deadline``."""
        while True:
            with self._lock:
                now = self._clock()
                slot = max(now, self.blocked_until, self._next_retry if retry else self._next)
                if slot > now and slot >= deadline:
                    return None
                if self.rate is not None:
                    gap = 1.0 / self.rate
                    if retry:
                        self._next_retry = slot + gap
                    self._next = max(self._next, slot + gap) if retry else slot + gap
                generation = self._generation
                if slot <= now:
                    self._count(now)
                    return now
            self._sleep(slot - now)
            with self._lock:
                now = self._clock()
                # A 429 meanwhile voids a first attempt's slot (it queues again behind the throttled retries);
                # a retry keeps its place unless the block was extended past it.
                if now >= self.blocked_until and (retry or generation == self._generation):
                    self._count(now)
                    return now

    def throttled(self, sent_at: float, retry_after: float | None) -> None:
        """A 429 answered the attempt sent at ``sent_at`` (asking to come back after ``retry_after`` seconds)."""
        with self._lock:
            now = self._clock()
            if retry_after is not None:
                self.blocked_until = max(self.blocked_until, now + retry_after)
                # Time held back is not time the client was slow: measure again from the block's end, or each
                # Retry-After would read as a lower send rate and the rate would sink below the server's.
                self._measure(now, close=True)
                self._window_start = self.blocked_until
            self._generation += 1
            self._next = max(now, self.blocked_until)
            # One decrease per episode: attempts sent before the last one slowed us tell nothing new.
            if sent_at > self._decreased_at:
                measured = self._measure(now)
                base = measured if self.rate is None else min(measured, self.rate)
                self._last_max = max(base, _MIN_RATE)
                self.rate = max(_MIN_RATE, base * _BETA)
                self._decreased_at = now

    def succeeded(self) -> None:
        """An answer that was not a 429: the rate grows back (CUBIC), at most twice what is being sent."""
        with self._lock:
            if self.rate is None:
                return
            now = self._clock()
            k = (self._last_max * (1 - _BETA) / _SCALE) ** (1 / 3)
            cubic = _SCALE * (now - self._decreased_at - k) ** 3 + self._last_max
            self.rate = max(self.rate, min(cubic, 2 * self._measure(now)))

    def _count(self, now: float) -> None:
        self._measure(now)
        self._window_sends += 1

    def _measure(self, now: float, close: bool = False) -> float:
        """What is being sent per second: the smoothed rate, or this window's if higher (a burst after a lull)."""
        elapsed = now - self._window_start
        if elapsed >= _WINDOW or (close and elapsed > 0 and self._window_sends):
            current = self._window_sends / max(elapsed, 0.05)
            self._measured = current if self._measured == 0 else _SMOOTH * current + (1 - _SMOOTH) * self._measured
            self._window_start, self._window_sends = now, 0
            elapsed = 0.0
        return max(self._measured, self._window_sends / max(elapsed, 0.05))
