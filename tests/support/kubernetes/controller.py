"""`alaya controller` as the tests run it: a real process against the test control plane and the emulator, its
log (at debug level) kept to be scanned for keys."""

from __future__ import annotations

import functools
import itertools
import json
import sys
from pathlib import Path
from typing import Any

from .alaya import LoggedEmulator
from .cluster import Cluster
from .processes import Process, wait_for

_RUNS = itertools.count(1)
_PROBES = itertools.count(1)


class Controller:
    """One replica; ``start()`` again after ``kill()``/``stop()`` is a restart (a new log file)."""

    def __init__(self, cluster: Cluster, api: LoggedEmulator, folder: Path, *flags: str,
                 env: dict[str, str] | None = None) -> None:
        self.cluster, self.api, self.folder, self.flags = cluster, api, folder, flags
        self.env = {**cluster.env, **api.env, **(env or {})}
        self.process: Process | None = None
        self.logs: list[Path] = []

    def start(self, wait_acting: bool = True) -> Controller:
        alaya = str(Path(sys.executable).parent / "alaya")
        log = self.folder / f"controller-{next(_RUNS)}.log"
        self.logs.append(log)
        self.process = Process("controller", [alaya, "controller", "--verbose", "--lease-duration", "2",
                                              *self.flags], log, env=self.env)
        if wait_acting:
            self.wait_acting()
        return self

    def wait_acting(self, timeout: float = 30) -> None:
        wait_for(lambda: self._acting(), "the controller to hold the Lease and start", timeout, self.tail)
        self._wait_watching_new_namespaces()

    def _wait_watching_new_namespaces(self) -> None:
        """A namespace made right after a start is watched: the tests make theirs then, as Argo CD may. kopf
        alone misses one made between its first two listings of namespaces (controller/namespace_watch.py mends
        it), so one probe, never a second try. Only for a --namespace pattern (kopf watches named namespaces
        without observing)."""
        patterns = [flag for flag in self.flags if "*" in flag]
        if not patterns:
            return
        name = f"{patterns[0].split('*', 1)[0]}probe-{next(_PROBES)}"
        self.cluster.kubectl("create", "namespace", name)
        assert self.process is not None
        wait_for(functools.partial(_logged, self.process.log, f"in '{name}'"),
                 f"the controller to watch namespace {name}, made just after its start", 30.0, self.tail)

    def _acting(self) -> bool:
        assert self.process is not None
        if not self.process.alive():
            raise AssertionError(f"the controller exited: {self.tail()}")
        return _logged(self.process.log, "holds the Lease")

    def acting(self) -> bool:
        return self.process is not None and self.process.alive() and self._acting()

    def tail(self, lines: int = 15) -> str:
        return self.process.tail(lines) if self.process else ""

    def kill(self) -> None:
        """``kill -9`` of the whole process group: no shutdown code runs."""
        import os
        import signal

        assert self.process is not None
        os.killpg(self.process.popen.pid, signal.SIGKILL)
        self.process.popen.wait(timeout=10)
        self.process.stop()

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()

    def log_text(self) -> str:
        return "".join(path.read_text(errors="replace") for path in self.logs if path.exists())


def _logged(log: Path, text: str) -> bool:
    return text in log.read_text(errors="replace")


def apply(cluster: Cluster, *docs: dict[str, Any]) -> None:
    cluster.kubectl("apply", "-f", "-", input=json.dumps({"apiVersion": "v1", "kind": "List", "items": list(docs)}))
