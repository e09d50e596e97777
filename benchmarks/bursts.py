"""Bursts against the rate-limited emulator: each surface's time against the floor its bucket allows.

The floor is (API requests answered, 429s not counted) / rate: no client can do the same work faster once
the bucket's first burst is spent (the burst lets a run end a little below it). Goal: at most 1.3x, with the
429s answered and the early arrivals (goal 0) beside it. The surfaces are those tests/resilience/test_bursts.py holds,
through the same runners (tests/support/burst_runs.py).

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
from pulumi_alaya.emulator import start_emulator  # noqa: E402

from support.burst_runs import (  # noqa: E402
    API,
    PROVIDERS,
    add_ids,
    ansible_creates,
    check_burst,
    cli_get,
    lookup,
    lora_program,
    pulumi_creates,
)
from support.engine import Engine, find_cli  # noqa: E402

# surface: (deployments, requests per second, bucket size or None for one second's worth), full and --smoke
SIZES = {
    "cli-get": ((200, 40, None), (20, 10, 5)),
    "lookup-64": ((200, 40, None), (20, 10, 5)),
    "ansible-loop": ((20, 1, 1), (1, 4, 1)),
    "pulumi-up": ((50, 10, None), (2, 4, 1)),
}
# pulumi up's rows: (provider, --parallel or None for the engine's default); the native plugin takes as many
# calls at once as the engine sends, so it also runs with every create at once.
PULUMI_ROWS = {"pulumi-up": ("dynamic", None), "pulumi-up-native": ("native", None),
               "pulumi-up-native-64": ("native", 64)}


def fresh(emulator: Any, rate: float, burst: float | None) -> None:
    emulator.reset()
    emulator.set_timing(0, 0)
    emulator.set_rate_limit(rate, burst)


def timed_run(name: str, run: Callable[[], Any]) -> float:
    started = time.perf_counter()
    outcome = run()
    elapsed = time.perf_counter() - started
    if getattr(outcome, "returncode", 0) != 0:
        raise SystemExit(f"bursts: {name} failed: {outcome.stdout[-500:]} {outcome.stderr[-500:]}")
    return elapsed


def measure(emulator: Any, name: str, sizes: tuple[int, float, float | None], run: Callable[[list[str]], Any],
            *, reads: bool = False) -> float:
    """The surface without a rate limit, then under it; prints the time against both floors."""
    size, rate, burst = sizes
    fresh(emulator, 0, None)
    free = timed_run(name, lambda: run(add_ids(emulator, f"{name}-free", size) if reads else []))
    fresh(emulator, rate, burst)
    ids = add_ids(emulator, name, size) if reads else []
    elapsed = timed_run(name, lambda: run(ids))
    try:
        throttling = check_burst(emulator, read=ids, created=0 if reads else size)
    except AssertionError as exc:
        raise SystemExit(f"bursts: {name} did not hold: {exc}") from None
    work = len([r for r in emulator.requests(API) if r["status"] not in (429, None)])
    floor = work / rate
    print(f"{name}: {size} deployments, {work} requests at {rate:g}/s (bucket {burst or rate:g}): {elapsed:.2f} s; "
          f"floor {floor:.2f} s: {elapsed / floor:.2f}x; unthrottled {free:.2f} s: "
          f"{elapsed / max(floor, free):.2f}x the larger (goal <= 1.3x); 429s answered {throttling['answered429']}, "
          f"early {throttling['early']}", flush=True)
    return elapsed / floor


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true", help="smallest sizes: checks the benchmark runs")
    parser.add_argument("--skip-pulumi", action="store_true", help="leave out pulumi up (the slowest surface)")
    args = parser.parse_args()
    sizes = {name: smoke if args.smoke else full for name, (full, smoke) in SIZES.items()}
    with start_emulator() as emulator, tempfile.TemporaryDirectory() as tmp:
        measure(emulator, "cli-get", sizes["cli-get"], lambda ids: cli_get(emulator, ids), reads=True)
        measure(emulator, "lookup-64", sizes["lookup-64"], lambda ids: lookup(emulator, ids, 64, Path(tmp)),
                reads=True)
        count = sizes["ansible-loop"][0]
        measure(emulator, "ansible-loop", sizes["ansible-loop"], lambda _: ansible_creates(emulator, count, Path(tmp)))
        cli_dir, why = (None, "--skip-pulumi") if args.skip_pulumi else find_cli(build=False)
        if cli_dir is None:
            print(f"pulumi-up: skipped ({why})")
            return
        (Path(tmp) / "engine").mkdir()
        engine = Engine(cli_dir, Path(tmp) / "engine", emulator)
        count = sizes["pulumi-up"][0]
        stacks: list[Any] = []
        for name, (provider, parallel) in PULUMI_ROWS.items():
            measure(emulator, name, sizes["pulumi-up"], lambda _, provider=provider, parallel=parallel: stacks.append(
                pulumi_creates(engine, f"bench-burst-{len(stacks)}", lora_program(count, provider=provider), count,
                               PROVIDERS[provider][1], parallel)))
        emulator.set_rate_limit(0)
        for stack in stacks:
            stack.destroy()


if __name__ == "__main__":
    main()
