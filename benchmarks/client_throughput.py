"""1000 `get_deployment` calls vs 1000 raw `Session.get` calls of the same URL, in this process's environment
and in a CI-sized one (~140 variables, which requests rescans on every call; goal <= 1.0x).

Run: python benchmarks/client_throughput.py [--calls 1000] [--smoke]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).parent))
from _common import report, timed  # noqa: E402

from pulumi_alaya.client import AlayaClient  # noqa: E402
from pulumi_alaya.emulator import start_emulator  # noqa: E402

SID = "38fbfc3d-6a88-4c35-b8b6-9efc83949d47"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="10 calls, 1 round: just check it runs")
    args = parser.parse_args()
    if args.smoke:
        args.calls, args.rounds = 10, 1
    with start_emulator() as emulator:
        client = AlayaClient(emulator.access_key, emulator.secret_key, emulator.url)
        session = requests.Session()
        url = f"{emulator.url}/api/serverless-infer/v1/deployment/{SID}"
        headers = {"Authorization": f"plain Credential={emulator.access_key},Signature={emulator.secret_key}",
                   "Content-Type": "application/json"}

        def ours() -> None:
            for _ in range(args.calls):
                client.get_deployment(SID)

        def raw() -> None:
            for _ in range(args.calls):
                session.get(url, headers=headers, timeout=30).json()

        ours(), raw()  # warm both connection pools
        for label, extra in (("this environment", {}), ("CI-sized environment", _ci_environment())):
            saved = dict(os.environ)
            os.environ.update(extra)
            try:
                ours_t, raw_t = [], []
                for _ in range(args.rounds):  # interleave so machine noise hits both alike
                    ours_t += timed(ours)
                    raw_t += timed(raw)
            finally:
                os.environ.clear()
                os.environ.update(saved)
            report(f"{args.calls} reads, {label} ({len(os.environ) + len(extra)} variables)", ours_t, raw_t,
                   "<= 1.0x")


def _ci_environment() -> dict[str, str]:
    # What a GitHub-hosted runner sets, roughly: ~140 variables with paths and tokens in them.
    return {f"RUNNER_VARIABLE_{n:03d}": "/home/runner/work/" + "x" * 40 for n in range(140 - len(os.environ))}


if __name__ == "__main__":
    main()
