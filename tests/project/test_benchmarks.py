"""Every benchmark still runs: each at its smallest size (``--smoke``), no timing asserted.

A benchmark that no longer runs (0.2's ``LoraDeployment(service_id=...)`` in ``pulumi_up.py`` did) turns
the suite red here instead of rotting until someone measures.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
SCRIPTS = sorted(path.name for path in BENCHMARKS.glob("*.py") if not path.name.startswith("_"))
NEEDS_ENGINE = {"pulumi_up.py", "pulumi_grpc.py", "bursts.py", "pulumi_preview.py"}
NEEDS_TOFU = {"tofu_plan.py"}  # and Go, for the baseline provider it builds once


def test_every_benchmark_is_listed_in_its_readme():
    listed = (BENCHMARKS / "README.md").read_text()
    assert [name for name in SCRIPTS if f"`{name}`" not in listed] == []


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_benchmark_runs_at_its_smallest_size(script):
    if script in NEEDS_ENGINE:
        from support.project import engine_or_skip

        engine_or_skip()
    if script in NEEDS_TOFU:
        from support.tofu import tofu_or_skip

        tofu_or_skip()
    # Output to files and a session of its own: a process the benchmark leaves behind (a provider server) can
    # neither hold a pipe open nor outlive the test.
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen([sys.executable, str(BENCHMARKS / script), "--smoke"], stdout=out, stderr=err,
                                   text=True, cwd=BENCHMARKS.parent, start_new_session=True)
        try:
            code = process.wait(timeout=900)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        out.seek(0), err.seek(0)
        stdout, stderr = out.read(), err.read()
    assert code == 0, stdout[-2000:] + stderr[-3000:]
    assert stdout.strip(), "a benchmark prints its measurement"
