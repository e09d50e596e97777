"""Start the emulator as a real process and steer it through its ``/_emulator/`` hooks.

Shared by the tests, the demo and the benchmarks, so all three exercise the same server the CLI runs.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

DEMO_ACCESS_KEY = "demo-ak"
DEMO_SECRET_KEY = "demo-sk"


class Emulator:
    def __init__(self, process: subprocess.Popen[str], url: str, access_key: str = DEMO_ACCESS_KEY,
                 secret_key: str = DEMO_SECRET_KEY) -> None:
        self.process = process
        self.url = url
        self.access_key = access_key
        self.secret_key = secret_key

    @property
    def env(self) -> dict[str, str]:
        """The ``ALAYA_*`` variables that point a client, the CLI or Ansible at this emulator."""
        return {"ALAYA_BASE_URL": self.url, "ALAYA_ACCESS_KEY": self.access_key,
                "ALAYA_SECRET_KEY": self.secret_key}

    def _hook(self, method: str, what: str, payload: Any = None) -> Any:
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(f"{self.url}/_emulator/{what}", data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read())

    def reset(self) -> None:
        """Back to the seed: deployments, no faults, empty request log."""
        self._hook("POST", "reset", {})

    def add_deployments(self, *items: dict[str, Any]) -> list[str]:
        return list(self._hook("POST", "deployments", list(items))["serviceIds"])

    def set_faults(self, faults: dict[str, dict[str, Any]]) -> None:
        self._hook("POST", "faults", faults)

    def set_timing(self, startup_seconds: float, delete_seconds: float, *, base_startup_seconds: float | None = None,
                   gpu_capacity: int | None = None) -> None:
        """How long new/updated deployments take to start and deleted ones to go, until the next reset.

        Base models start in ``base_startup_seconds`` (default: ``startup_seconds``); one asking for more
        than ``gpu_capacity`` GPUs fails while starting."""
        settings: dict[str, Any] = {"startupSeconds": startup_seconds, "deleteSeconds": delete_seconds}
        if base_startup_seconds is not None:
            settings["baseStartupSeconds"] = base_startup_seconds
        if gpu_capacity is not None:
            settings["gpuCapacity"] = gpu_capacity
        self._hook("POST", "timing", settings)

    def requests(self, contains: str = "", method: str = "") -> list[dict[str, Any]]:
        """The request log (method, path, status; the newest 10,000), filtered by the emulator itself."""
        query = urllib.parse.urlencode({"contains": contains, "method": method})
        return list(self._hook("GET", "requests?" + query))

    def clear_requests(self) -> None:
        self._hook("DELETE", "requests")

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def deployments(self) -> list[dict[str, Any]]:
        """Every deployment the emulator knows (serviceId, name, status), as a console would list them."""
        return list(self._hook("GET", "deployments"))

    def kill(self) -> None:
        """``kill -9``: no shutdown code runs, as when a machine or a container dies."""
        self.process.kill()
        self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()

    def set_rate_limit(self, rate: float, burst: float | None = None) -> None:
        """A token bucket per access key (``rate`` per second, ``burst`` deep; 0: off) until the next reset."""
        self._hook("POST", "rate-limit", {"rate": rate, "burst": burst})

    def throttling(self) -> dict[str, Any]:
        """429s answered (``answered429``), requests back before their Retry-After (``early``, ``earlyRequests``)
        and other requests of a key inside its come-back window (``insideWindow``), since the last reset."""
        return dict(self._hook("GET", "throttling"))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()

    def __enter__(self) -> Emulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_emulator(state: str | None = None, python: str | None = None, port: int = 0,
                   rate_limit: float = 0.0) -> Emulator:
    """Start ``python -m pulumi_alaya.emulator`` on a loopback port (0: a free one); returns once it listens.

    With ``state``, the emulator loads that seed file, and the handle takes the keys it names. A restart is
    ``start_emulator(state=same_file, port=old.port)``: the same address and the same deployments.
    ``rate_limit`` starts it with ``--rate-limit`` (what ``reset`` returns to).
    """
    keys = {}
    if state and Path(state).exists():
        seed = json.loads(Path(state).read_text(encoding="utf-8"))
        keys = {"access_key": seed.get("accessKey", DEMO_ACCESS_KEY), "secret_key": seed.get("secretKey",
                                                                                             DEMO_SECRET_KEY)}
    command = [python or sys.executable, "-u", "-m", "pulumi_alaya.emulator", "--port", str(port)]
    if state:
        command += ["--state", state]
    if rate_limit:
        command += ["--rate-limit", str(rate_limit)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    first = process.stdout.readline()  # blocks until the server is bound and listening
    if "listening on " not in first:
        process.kill()
        raise RuntimeError(f"emulator did not start: {first!r}")
    return Emulator(process, first.rsplit("listening on ", 1)[1].strip(), **keys)
