"""Processes for the GitOps tests: each in its own session, its output in a log file, its group killed on stop.

The log files are kept so a test can scan them for secrets (test_logs_carry_no_secret).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def free_port() -> int:
    """A free loopback port, chosen now (the kernel picks it; it is released for the process to bind)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(condition: Callable[[], Any], what: str, timeout: float, describe: Callable[[], str] | None = None,
             every: float = 0.1) -> Any:
    """Poll ``condition`` until it returns something truthy (which is returned) or ``timeout`` passes.

    On time-out the error names what was awaited and the last observed state (``describe()``, which must not
    print secret values).
    """
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            state = describe() if describe else repr(result)
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}; last state: {state}")
        time.sleep(every)  # the polling period of a bounded wait, not a synchronisation


class Process:
    """A started command: stdout and stderr go to ``log``; ``stop()`` ends its whole process group."""

    def __init__(self, name: str, argv: list[str], log: Path, env: dict[str, str] | None = None) -> None:
        self.name = name
        self.log = log
        self._out = log.open("wb")
        self.popen = subprocess.Popen(argv, stdout=self._out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                      env=env, start_new_session=True)

    def alive(self) -> bool:
        return self.popen.poll() is None

    def tail(self, lines: int = 15) -> str:
        text = self.log.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def stop(self) -> None:
        if self.popen.poll() is None:
            for sig, grace in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 10.0)):
                try:
                    os.killpg(self.popen.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.popen.wait(timeout=grace)
                    break
                except subprocess.TimeoutExpired:
                    continue
        else:  # the leader is gone; children it left in the group are not
            try:
                os.killpg(self.popen.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self._out.close()
