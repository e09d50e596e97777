"""Bursts against the rate-limited emulator: each surface's time against the floor its bucket allows.

The floor is (API requests answered, 429s not counted) / rate: no client can do the same work faster once
the bucket's first burst is spent (the burst lets a run end a little below it). Goal: at most 1.3x, with the
429s answered and the early arrivals (goal 0) beside it. The surfaces are those tests/test_bursts.py holds,
through the same runners (tests/burst_runs.py).

Run: python benchmarks/bursts.py [--smoke]     (--smoke: smallest sizes, a few seconds per surface)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]
from burst_runs import API, add_ids, ansible_creates, check_burst, cli_get, lookup, lora_program, pulumi_creates  # noqa: E402
from pulumi_cli import Engine, find_cli  # noqa: E402

from pulumi_alaya.emulator import start_emulator  # noqa: E402

# surface: (deployments, requests per second, bucket size or None for one second's worth), full and --smoke
SIZES = {
    "cli-get": ((200, 40, None), (20, 10, 5)),
    "lookup-64": ((200, 40, None), (20, 10, 5)),
    "ansible-loop": ((20, 1, 1), (1, 1, 1)),
    "pulumi-up": ((50, 10, None), (2, 1, 1)),
}


def fresh(emulator: Any, rate: float, burst: float | None) -> None:
    emulator.reset()
    emulator.set_timing(0, 0)
    emulator.set_rate_limit(rate, burst)


def measure(emulator: Any, name: str, size: int, rate: float, run: Callable[[], Any], *,
            read: list[str] | None = None, created: int = 0) -> float:
    started = time.perf_counter()
    outcome = run()
    elapsed = time.perf_counter() - started
    if getattr(outcome, "returncode", 0) != 0:
        raise SystemExit(f"bursts: {name} failed: {outcome.stdout[-500:]} {outcome.stderr[-500:]}")
    try:
        throttling = check_burst(emulator, read=read or [], created=created)
    except AssertionError as exc:
        raise SystemExit(f"bursts: {name} did not hold: {exc}") from None
    work = len([r for r in emulator.requests(API) if r["status"] not in (429, None)])
    floor = work / rate
    ratio = elapsed / floor
    print(f"{name}: {size} deployments, {work} requests at {rate:g}/s: {elapsed:.2f} s, floor {floor:.2f} s, "
          f"{ratio:.2f}x (goal <= 1.3x); 429s answered {throttling['answered429']}, early {throttling['early']}",
          flush=True)
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true", help="smallest sizes: checks the benchmark runs")
    parser.add_argument("--skip-pulumi", action="store_true", help="leave out pulumi up (the slowest surface)")
    args = parser.parse_args()
    sizes = {name: smoke if args.smoke else full for name, (full, smoke) in SIZES.items()}
    with start_emulator() as emulator, tempfile.TemporaryDirectory() as tmp:
        size, rate, burst = sizes["cli-get"]
        fresh(emulator, rate, burst)
        ids = add_ids(emulator, "cli", size)
        measure(emulator, "cli-get", size, rate, lambda: cli_get(emulator, ids), read=ids)

        size, rate, burst = sizes["lookup-64"]
        fresh(emulator, rate, burst)
        ids = add_ids(emulator, "look", size)
        measure(emulator, "lookup-64", size, rate, lambda: lookup(emulator, ids, 64, Path(tmp)), read=ids)

        size, rate, burst = sizes["ansible-loop"]
        fresh(emulator, rate, burst)
        measure(emulator, "ansible-loop", size, rate, lambda: ansible_creates(emulator, size, Path(tmp)),
                created=size)

        cli_dir, why = (None, "--skip-pulumi") if args.skip_pulumi else find_cli(build=False)
        if cli_dir is None:
            print(f"pulumi-up: skipped ({why})")
            return
        (Path(tmp) / "engine").mkdir()
        engine = Engine(cli_dir, Path(tmp) / "engine", emulator)
        size, rate, burst = sizes["pulumi-up"]
        fresh(emulator, rate, burst)
        stacks: list[Any] = []
        measure(emulator, "pulumi-up", size, rate,
                lambda: stacks.append(pulumi_creates(engine, "bench-burst", lora_program(size), size)), created=size)
        emulator.set_rate_limit(0)
        stacks[0].destroy()


if __name__ == "__main__":
    main()
