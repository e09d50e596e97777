"""`alaya lora get` cold start vs a bare `python -c` requests GET of the same URL (goal <= 1.10x).

Run: python benchmarks/cli_cold_start.py [--runs 15] [--smoke]

Samples alternate (ours, bare, ours, ...) so load that comes and goes hits both alike. Wall time is reported as
usual; CPU time (user + sys of the child) is reported too, because on a shared machine it moves far less. The
package is byte-compiled first: a pip install does that, while an editable checkout under
PYTHONDONTWRITEBYTECODE=1 would compile our sources on every run (and only ours: requests is installed).
To see where the time goes: python -X importtime -m pulumi_alaya.cli lora get ID 2> imports.txt
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import report, timed  # noqa: E402

import pulumi_alaya  # noqa: E402
from pulumi_alaya.emulator import start_emulator  # noqa: E402

SID = "38fbfc3d-6a88-4c35-b8b6-9efc83949d47"
BARE = ("import requests, sys; r = requests.get(sys.argv[1], headers={'Authorization': sys.argv[2]}, timeout=30); "
        "r.raise_for_status(); print(r.json()['data']['serviceId'])")


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def alternate(ours: Callable[[], object], bare: Callable[[], object], runs: int) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {"ours wall": [], "bare wall": [], "ours cpu": [], "bare cpu": []}
    for _ in range(runs):
        for name, run in (("ours", ours), ("bare", bare)):
            before = _cpu_of_children()
            samples[f"{name} wall"] += timed(run)
            samples[f"{name} cpu"].append(_cpu_of_children() - before)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--smoke", action="store_true", help="2 runs: checks the benchmark works, not a measurement")
    args = parser.parse_args()
    runs = 2 if args.smoke else args.runs
    compileall.compile_dir(Path(pulumi_alaya.__file__).parent, quiet=1)
    alaya = shutil.which("alaya", path=str(Path(sys.executable).parent)) or "alaya"
    with start_emulator() as emulator:
        env = {**os.environ, **emulator.env}
        url = f"{emulator.url}/api/serverless-infer/v1/deployment/{SID}"
        auth = f"plain Credential={emulator.access_key},Signature={emulator.secret_key}"

        def ours() -> None:
            subprocess.run([alaya, "lora", "get", SID, "-o", "json"], env=env, check=True, capture_output=True)

        def bare() -> None:
            subprocess.run([sys.executable, "-c", BARE, url, auth], env=env, check=True, capture_output=True)

        ours(), bare()  # warm the OS file cache for both
        samples = alternate(ours, bare, runs)
        report("cli cold start (wall)", samples["ours wall"], samples["bare wall"], "<= 1.10x")
        report("cli cold start (cpu)", samples["ours cpu"], samples["bare cpu"], "<= 1.10x")


if __name__ == "__main__":
    main()
