"""Every benchmark still runs: each at its smallest size (``--smoke``), no timing asserted.

A benchmark that no longer runs (0.2's ``LoraDeployment(service_id=...)`` in ``pulumi_up.py`` did) turns
the suite red here instead of rotting until someone measures.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
SCRIPTS = sorted(path.name for path in BENCHMARKS.glob("*.py") if not path.name.startswith("_"))
NEEDS_ENGINE = {"pulumi_up.py", "pulumi_grpc.py", "bursts.py"}


def test_every_benchmark_is_listed_in_its_readme():
    listed = (BENCHMARKS / "README.md").read_text()
    assert [name for name in SCRIPTS if f"`{name}`" not in listed] == []


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_benchmark_runs_at_its_smallest_size(script):
    if script in NEEDS_ENGINE:
        from pulumi_cli import find_cli

        cli_dir, why = find_cli()
        if cli_dir is None:
            if os.environ.get("CI"):
                pytest.fail(f"no Pulumi engine in CI: {why}")
            pytest.skip(f"no Pulumi engine: {why}")
    run = subprocess.run([sys.executable, str(BENCHMARKS / script), "--smoke"], capture_output=True, text=True,
                         timeout=900, cwd=BENCHMARKS.parent)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    assert run.stdout.strip(), "a benchmark prints its measurement"
