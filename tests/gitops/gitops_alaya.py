"""The project's own parts as the GitOps tests run them: the emulator with its output logged, and the CLI."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from gitops_processes import Process, wait_for

from pulumi_alaya.emulator import Emulator


class LoggedEmulator(Emulator):
    """The project's emulator process, its stdout and stderr in a log file (scanned for secrets)."""

    def __init__(self, process: Process) -> None:
        self.logged = process
        first = wait_for(lambda: _listening(process), "the emulator's 'listening on' line", 30, process.tail)
        super().__init__(process.popen, first)  # type: ignore[arg-type]

    def stop(self) -> None:
        self.logged.stop()


def _listening(process: Process) -> str:
    if not process.alive():
        raise AssertionError(f"emulator exited: {process.tail()}")
    match = re.search(r"listening on (http://\S+)", process.log.read_text(errors="replace"))
    return match.group(1) if match else ""


def alaya_cli(emulator: Emulator, *args: str, secret_key: str | None = None) -> subprocess.CompletedProcess[str]:
    """The project's CLI against the emulator (as a pipeline would run it); output captured, never printed."""
    env = {**emulator.env, "PATH": str(Path(sys.executable).parent)}
    if secret_key:
        env["ALAYA_SECRET_KEY"] = secret_key
    alaya = str(Path(sys.executable).parent / "alaya")
    done = subprocess.run([alaya, *args], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, f"alaya {' '.join(args[:3])} failed ({done.returncode}): {done.stderr.strip()}"
    return done
