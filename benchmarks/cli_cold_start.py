"""`alaya lora get` cold start vs a bare `python -c` requests GET of the same URL (goal <= 1.5x).

Run: python benchmarks/cli_cold_start.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import report, timed  # noqa: E402

from pulumi_alaya.emulator import start_emulator  # noqa: E402

SID = "38fbfc3d-6a88-4c35-b8b6-9efc83949d47"
BARE = ("import requests, sys; r = requests.get(sys.argv[1], headers={'Authorization': sys.argv[2]}, timeout=30); "
        "r.raise_for_status(); print(r.json()['data']['serviceId'])")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
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
        report("cli cold start", timed(ours, args.runs), timed(bare, args.runs), "<= 1.5x")


if __name__ == "__main__":
    main()
