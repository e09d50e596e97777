"""An emulator that restarts (``kill -9``, then the same port and state file) while a surface is waiting.

The surface's own client log (``log_forward/``) says when its wait has been answered by the first emulator
and when it has met a refused connection, so the restart happens exactly in between, with no sleeps.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from collections.abc import Callable
from pathlib import Path

from pulumi_alaya.emulator import Emulator, start_emulator
from pulumi_alaya.emulator.state import load_seed

LOG_FORWARD = Path(__file__).resolve().parent / "log_forward"


class ClientLog:
    """The client's debug lines from this process and every process started with ``env``."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(60)
        self.port = self.sock.getsockname()[1]
        self.seen: list[str] = []
        self._handler: logging.Handler | None = None

    @property
    def env(self) -> dict[str, str]:
        path = os.pathsep.join(p for p in (str(LOG_FORWARD), os.environ.get("PYTHONPATH", "")) if p)
        return {"PYTHONPATH": path, "ALAYA_TEST_LOG_PORT": str(self.port)}

    def in_this_process(self) -> None:
        import importlib.util

        spec = importlib.util.spec_from_file_location("_log_forward", LOG_FORWARD / "sitecustomize.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        self._handler = module.install(self.port)

    def until(self, wanted: Callable[[str], bool], what: str) -> str:
        """Block until a line matches (at most the socket timeout: then the test fails saying what it awaited)."""
        while True:
            try:
                line = self.sock.recv(65536).decode()
            except TimeoutError:
                raise AssertionError(f"no client log line {what}; seen: {self.seen[-5:]}") from None
            self.seen.append(line)
            if wanted(line):
                return line

    def close(self) -> None:
        if self._handler is not None:
            logging.getLogger("pulumi_alaya").removeHandler(self._handler)
        self.sock.close()


def state_file(folder: Path, startup_seconds: float = 0.5) -> Path:
    """The bundled seed as a ``--state`` file; deployments made later start this fast after a restart."""
    path = folder / "state.json"
    path.write_text(json.dumps({**load_seed(None), "startupSeconds": startup_seconds}), encoding="utf-8")
    return path


def restart_while_waiting(first: Emulator, state: Path, log: ClientLog) -> Emulator:
    """Once the wait was answered by ``first``: kill it, and start again from ``state`` on the same port once the
    wait has outlived a request that failed with every retry refused (its next poll's first retry is logged).

    So the outage is longer than one request's retries: only the wait polling on can get through it.
    """
    log.until(lambda line: line.startswith("GET ") and "-> HTTP 200" in line, "answered by the first emulator")
    first.kill()
    for what in ("refused after the kill", "refused again on the wait's next poll"):
        log.until(lambda line: line.startswith("refused GET ") and ", retry 1 in " in line, what)
    return start_emulator(state=str(state), port=first.port)
