"""The emulator's world: deployments, their status over time, injected faults and the request log.

Kept apart from the HTTP layer so the rules (what a status becomes, which fault fires) read in one place.
"""

from __future__ import annotations

import copy
import json
import secrets
import threading
import time
import uuid
from importlib import resources
from pathlib import Path
from typing import Any

API_FIELDS = ("serviceId", "status", "serviceUrl", "apiKey", "baseServiceId", "namespace", "modelId", "name",
              "servedName")
DEFAULT_STARTUP_SECONDS = 3.0


def load_seed(path: str | None) -> dict[str, Any]:
    if path and Path(path).exists():
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    else:
        data = json.loads(resources.files("pulumi_alaya.emulator").joinpath("seed.json").read_text("utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("deployments"), list):
        raise SystemExit(f"emulator seed {path or 'seed.json'}: expected an object with a 'deployments' list")
    return data


class World:
    """Thread-safe state shared by all request threads."""

    def __init__(self, seed: dict[str, Any], public_url: str, state_file: str | None = None) -> None:
        self._lock = threading.Lock()
        self._seed = seed
        self.public_url = public_url
        self.state_file = state_file
        self.access_key = str(seed.get("accessKey", "demo-ak"))
        self.secret_key = str(seed.get("secretKey", "demo-sk"))
        self.startup_seconds = float(seed.get("startupSeconds", DEFAULT_STARTUP_SECONDS))
        self.reset()

    # -- admin ------------------------------------------------------------------------------------

    def reset(self) -> None:
        with self._lock:
            self.deployments: dict[str, dict[str, Any]] = {}
            self.faults: dict[str, dict[str, Any]] = {}
            self.log: list[dict[str, Any]] = []
            for raw in copy.deepcopy(self._seed["deployments"]):
                self._add(raw)

    def upsert(self, items: list[dict[str, Any]]) -> list[str]:
        with self._lock:
            return [self._add(copy.deepcopy(item)) for item in items]

    def set_faults(self, faults: dict[str, dict[str, Any]]) -> None:
        with self._lock:
            for service_id, fault in faults.items():
                if fault:
                    self.faults[service_id] = dict(fault)
                else:
                    self.faults.pop(service_id, None)

    def record(self, method: str, path: str) -> dict[str, Any]:
        """Log a request on arrival (so slow or dropped ones count too); the caller fills in ``status``."""
        entry: dict[str, Any] = {"method": method, "path": path, "status": None}
        with self._lock:
            self.log.append(entry)
        return entry

    def requests(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(entry) for entry in self.log]

    def clear_requests(self) -> None:
        with self._lock:
            self.log.clear()

    def _add(self, raw: dict[str, Any]) -> str:
        service_id = str(raw.get("serviceId") or uuid.uuid4())
        raw["serviceId"] = service_id
        raw.setdefault("status", "running")
        raw.setdefault("apiKey", "sk-" + secrets.token_hex(16))
        raw.setdefault("serviceUrl", f"{self.public_url}/svc/{service_id}")
        raw.setdefault("servedName", [raw.get("name") or service_id])
        # "statuses": one status per read, the last one sticks (deterministic transitions for tests);
        # "startupSeconds": starting -> running (or failed, with "willFail") after that long (demo realism).
        if raw.get("status") == "starting" and "statuses" not in raw:
            raw["_readyAt"] = time.monotonic() + float(raw.pop("startupSeconds", self.startup_seconds))
        self.deployments[service_id] = raw
        return service_id

    # -- API view ---------------------------------------------------------------------------------

    def fault(self, service_id: str) -> dict[str, Any]:
        with self._lock:
            return dict(self.faults.get(service_id, {}))

    def take_failure(self, service_id: str) -> dict[str, Any] | None:
        """Consume one injected failure (``times`` counts down; -1 fails forever)."""
        with self._lock:
            fault = self.faults.get(service_id)
            if not fault or not fault.get("times"):
                return None
            if fault["times"] > 0:
                fault["times"] -= 1
            return dict(fault)

    def read(self, service_id: str) -> dict[str, Any] | None:
        """The deployment as the API shows it now, advancing its status timeline by one read."""
        with self._lock:
            dep = self.deployments.get(service_id)
            if dep is None:
                return None
            timeline = dep.get("statuses")
            if timeline:
                dep["status"] = timeline[0]
                if len(timeline) > 1:
                    timeline.pop(0)
            ready_at = dep.get("_readyAt")
            if ready_at is not None and dep["status"] == "starting" and time.monotonic() >= ready_at:
                dep["status"] = "failed" if dep.get("willFail") else "running"
                dep.pop("_readyAt")
            return {key: copy.deepcopy(dep[key]) for key in API_FIELDS if key in dep}

    def chat_target(self, service_id: str) -> dict[str, Any] | None:
        with self._lock:
            dep = self.deployments.get(service_id)
            return copy.deepcopy(dep) if dep else None

    def create_lora(self, body: dict[str, Any]) -> dict[str, Any]:
        fields = ("baseServiceId", "modelId", "name", "servedName", "namespace")
        item: dict[str, Any] = {key: body[key] for key in fields if key in body}
        item["status"] = "starting"
        with self._lock:
            service_id = self._add(item)
        self.persist()
        return self.read(service_id) or {}

    def update_lora(self, service_id: str, body: dict[str, Any]) -> str | None:
        """Offline update: only a stopped deployment may change. Returns an error message or None."""
        with self._lock:
            dep = self.deployments.get(service_id)
            if dep is None:
                return "not found"
            if dep["status"] != "stopped":
                return f"deployment is {dep['status']}; stop it before updating"
            for key in ("baseServiceId", "modelId", "name", "servedName"):
                if key in body:
                    dep[key] = body[key]
            dep["status"] = "starting"
            dep["_readyAt"] = time.monotonic() + self.startup_seconds
        self.persist()
        return None

    def cancel(self, service_id: str) -> bool:
        with self._lock:
            dep = self.deployments.get(service_id)
            if dep is None:
                return False
            dep["status"] = "stopped"
            dep.pop("_readyAt", None)
            dep.pop("statuses", None)
        self.persist()
        return True

    def delete(self, service_id: str) -> bool:
        with self._lock:
            found = self.deployments.pop(service_id, None) is not None
        self.persist()
        return found

    def persist(self) -> None:
        if not self.state_file:
            return
        with self._lock:
            items = [{k: v for k, v in dep.items() if not k.startswith("_")} for dep in self.deployments.values()]
            for item in items:  # our own URLs name this run's port: recompute them on the next start
                if str(item.get("serviceUrl", "")).startswith(self.public_url + "/svc/"):
                    del item["serviceUrl"]
            seed = dict(self._seed, deployments=items)
        Path(self.state_file).write_text(json.dumps(seed, indent=2), encoding="utf-8")
