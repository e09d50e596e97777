"""The project's own parts as the GitOps tests run them: the emulator with its output logged, and the CLI."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

from pulumi_alaya.emulator import Emulator

from .processes import Process, wait_for


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


def alaya_cli(emulator: Emulator, *args: str) -> subprocess.CompletedProcess[str]:
    """The `alaya` process against the emulator (as a pipeline would run it); output captured, never printed."""
    env = {**emulator.env, "PATH": str(Path(sys.executable).parent)}
    alaya = str(Path(sys.executable).parent / "alaya")
    done = subprocess.run([alaya, *args], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, f"alaya {' '.join(args[:3])} failed ({done.returncode}): {done.stderr.strip()}"
    return done


def alaya_cli_in_process(emulator: Emulator, *args: str) -> str:
    """The CLI's own main() with the emulator's ALAYA_* variables: its stdout, without a process start (each
    `alaya` process costs most of a second on a loaded 2-core machine; the GitOps module runs ~20 of them)."""
    from pulumi_alaya.cli import main

    out = io.StringIO()
    with mock.patch.dict(os.environ, emulator.env), contextlib.redirect_stdout(out):
        code = main(list(args))
    assert code == 0, f"alaya {' '.join(args[:3])} exited {code}"
    return out.getvalue()


@contextlib.contextmanager
def logged_emulator(folder: Path) -> Iterator[LoggedEmulator]:
    """The emulator on a free loopback port, its output in ``folder/emulator.log``; stopped on exit."""
    process = Process("emulator", [sys.executable, "-u", "-m", "pulumi_alaya.emulator", "--port", "0"],
                      folder / "emulator.log")
    try:
        yield LoggedEmulator(process)
    finally:
        process.stop()
