"""Shared bits of the benchmarks: each compares two ways of doing the same work in the same run."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timed(fn: Callable[[], object], repeat: int = 1) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def report(name: str, ours: list[float], baseline: list[float], goal: str) -> float:
    ours_median, base_median = statistics.median(ours), statistics.median(baseline)
    ratio = ours_median / base_median
    print(f"{name}: ours {ours_median * 1000:.1f} ms, baseline {base_median * 1000:.1f} ms, "
          f"ratio {ratio:.2f}x (goal {goal})")
    return ratio
