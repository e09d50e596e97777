#!/usr/bin/env python3
"""Run the contract matrix (tests/contract) on all five surfaces and print the figures for the README.

Usage: .venv/bin/python scripts/reliability_report.py     (exit 1 if any case fails on any surface)
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from pulumi_alaya.emulator import start_emulator  # noqa: E402

from contract.cases import ALL_CASES, FAULT_CASES, INPUT_CASES, SECRETS, seed  # noqa: E402
from contract.matrix import run_all  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp, "seed.json")
        state.write_text(json.dumps(seed()))
        with start_emulator(state=str(state)) as emulator:
            verdicts = run_all(emulator)
    total = len(ALL_CASES) * len(verdicts)
    held = sum(v.held for v in verdicts)
    bounded = sum(v.bounded for v in verdicts)
    leaks = sum(len(v.leaks) for v in verdicts)
    print(f"{len(ALL_CASES)} cases ({len(FAULT_CASES)} responses/faults, {len(INPUT_CASES)} bad inputs) "
          f"x {len(verdicts)} surfaces ({', '.join(v.surface for v in verdicts)})")
    print(f"held: {held}/{total}   requests within bound: {bounded}/{total}   "
          f"leaks of {len(SECRETS)} sentinel secrets: {leaks}")
    for verdict in verdicts:
        print(f"  {verdict.surface:15} held {verdict.held}/{len(ALL_CASES)}  leaks {len(verdict.leaks)}")
        for problem in verdict.problems:
            print(f"    {problem}")
    return 0 if held == bounded == total and leaks == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
