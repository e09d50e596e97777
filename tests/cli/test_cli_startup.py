"""The `alaya` console script, as a pipeline step starts it, imports only what reading needs.

An import-time guard, not a timing assertion (benchmarks/cli_cold_start.py measures the time against a bare
``requests`` GET): the command runs with ``PYTHONPROFILEIMPORTTIME``, which lists every module it imports on
stderr. It covers the entry point too (the package root resolves its names lazily), which
``test_cli.py::test_one_read_imports_only_what_reading_needs`` (``main()`` called in a process) does not.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from support.seed import SUPPORT

# What other commands or other front ends use: the Pulumi SDK and what it brings, the rules of owning, the
# plugin and the dynamic resource, the emulator, threads for several IDs, the rotation, the env output's quoting.
NOT_FOR_ONE_READ = ("pulumi", "grpc", "google.protobuf", "yaml", "concurrent.futures", "pulumi_alaya.owning",
                    "pulumi_alaya.plugin", "pulumi_alaya.dynamic", "pulumi_alaya.emulator", "pulumi_alaya.cli.rotate",
                    "shlex")


def test_one_read_through_the_console_script_imports_nothing_it_does_not_use(emulator):
    alaya = shutil.which("alaya", path=str(Path(sys.executable).parent))
    assert alaya, "pip install -e . puts alaya beside python"
    run = subprocess.run([alaya, "lora", "get", SUPPORT, "-o", "json"], capture_output=True, text=True, timeout=60,
                         env={**os.environ, **emulator.env, "PYTHONPROFILEIMPORTTIME": "1"})
    assert run.returncode == 0 and json.loads(run.stdout)["serviceId"] == SUPPORT
    imported = set(re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)$", run.stderr, flags=re.MULTILINE))
    assert "requests" in imported and "pulumi_alaya.cli.main" in imported  # the guard sees the command's imports
    assert sorted(name for name in imported for prefix in NOT_FOR_ONE_READ
                  if name == prefix or name.startswith(prefix + ".")) == []
