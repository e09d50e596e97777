"""The emulator's world: deployments, their status over time, injected faults and the request log.

Kept apart from the HTTP layer so the rules (what a status becomes, which fault fires) read in one place.
"""

from __future__ import annotations

import copy
import json
import os
import secrets
import tempfile
import threading
import time
import uuid
from collections import deque
from importlib import resources
from pathlib import Path
from typing import Any

from .base_models import DEFAULT_GPU_CAPACITY, base_problem, base_record, instances

API_FIELDS = ("serviceId", "status", "serviceUrl", "apiKey", "baseServiceId", "namespace", "modelId", "name",
              "servedName", "vksId", "mode", "quickStart", "expert")
DEFAULT_STARTUP_SECONDS = 3.0
DEFAULT_DELETE_SECONDS = 1.0
REQUEST_LOG_LIMIT = 10_000


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
        # Held across snapshot and write, so writes land in snapshot order: the file never goes back to an
        # older world than an answer already given.
        self._persist_lock = threading.Lock()
        self._seed = seed
        self.public_url = public_url
        self.state_file = state_file
        self.access_key = str(seed.get("accessKey", "demo-ak"))
        self.secret_key = str(seed.get("secretKey", "demo-sk"))
        self.reset()

    # -- admin ------------------------------------------------------------------------------------

    def reset(self) -> None:
        self.timing(self._seed)
        with self._lock:
            self.deployments: dict[str, dict[str, Any]] = {}
            self.faults: dict[str, dict[str, Any]] = {}
            # Bounded: a long-running test double must not grow without limit (750k requests were 176 MB).
            self.log: deque[dict[str, Any]] = deque(maxlen=REQUEST_LOG_LIMIT)
            for raw in copy.deepcopy(self._seed["deployments"]):
                self._add(raw)

    def timing(self, settings: dict[str, Any]) -> None:
        """How long a new or updated deployment starts and a deleted one stops (seconds)."""
        self.startup_seconds = float(settings.get("startupSeconds", DEFAULT_STARTUP_SECONDS))
        self.delete_seconds = float(settings.get("deleteSeconds", DEFAULT_DELETE_SECONDS))
        # Base-model startup is slower than a LoRA's (weights load); tests and benchmarks set both.
        self.base_startup_seconds = float(settings.get("baseStartupSeconds", self.startup_seconds))
        self.gpu_capacity = int(settings.get("gpuCapacity", DEFAULT_GPU_CAPACITY))

    def upsert(self, items: list[dict[str, Any]]) -> list[str]:
        with self._lock:
            return [self._add(copy.deepcopy(item)) for item in items]

    def listing(self) -> list[dict[str, Any]]:
        """What a console would list: every known deployment, including those still being deleted."""
        with self._lock:
            return [{key: dep.get(key) for key in ("serviceId", "name", "status")} for dep in self.deployments.values()]

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

    def requests(self, contains: str = "", method: str = "") -> list[dict[str, Any]]:
        """The newest logged requests, filtered here so a caller never copies the whole log under the lock."""
        with self._lock:
            return [dict(entry) for entry in self.log
                    if contains in entry["path"] and (not method or entry["method"] == method)]

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
            if dep is not None and dep.get("_deletedAt") is not None and time.monotonic() >= dep["_deletedAt"]:
                del self.deployments[service_id]
                dep = None
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
            view = {key: copy.deepcopy(dep[key]) for key in API_FIELDS if key in dep}
            if not dep.get("baseServiceId"):
                view["instance"] = instances(dep, self._loras_on(service_id))
            return view

    def _loras_on(self, service_id: str) -> list[dict[str, Any]]:
        """The live LoRA deployments on a base (call with the lock held)."""
        return [dep for dep in self.deployments.values()
                if dep.get("baseServiceId") == service_id and dep.get("_deletedAt") is None]

    def chat_target(self, service_id: str) -> dict[str, Any] | None:
        with self._lock:
            dep = self.deployments.get(service_id)
            return copy.deepcopy(dep) if dep else None

    def _forget_deleted(self) -> None:
        """Drop deployments whose deletion has finished (call with the lock held). Reads did this one by one,
        so a deployment deleted and never read again stayed forever (a soak grew ~10 MiB per 100k requests)."""
        now = time.monotonic()
        for service_id in [sid for sid, dep in self.deployments.items()
                           if dep.get("_deletedAt") is not None and now >= dep["_deletedAt"]]:
            del self.deployments[service_id]

    def _live(self, service_id: str) -> dict[str, Any] | None:
        """The deployment, unless it is unknown or already being deleted (call with the lock held)."""
        dep = self.deployments.get(service_id)
        return dep if dep is not None and dep.get("_deletedAt") is None else None

    def _lora_problem(self, body: Any, service_id: str | None = None) -> str | None:
        """Why a create/update body is refused, as strictly as the docs, or None (call with the lock held)."""
        if not isinstance(body, dict):
            return "body must be a JSON object"
        missing = [k for k in ("baseServiceId", "modelId", "name", "servedName") if not body.get(k)]
        if missing:
            return f"missing fields: {', '.join(missing)}"
        names = body["servedName"]
        if not all(isinstance(body[k], str) for k in ("baseServiceId", "modelId", "name")) or not (
                isinstance(names, list) and names and all(isinstance(n, str) and n.strip() for n in names)):
            return "baseServiceId, modelId and name must be strings and servedName a list of names"
        base = self.deployments.get(body["baseServiceId"])
        if base is None or base.get("baseServiceId"):
            return f"base service {body['baseServiceId']} not found"
        if base.get("status") != "running":
            return f"base service {body['baseServiceId']} is {base.get('status')}, not running"
        namespace = base.get("namespace")
        for other in self.deployments.values():
            if (other["serviceId"] != service_id and other.get("name") == body["name"]
                    and other.get("namespace") == namespace and other.get("baseServiceId")):
                return f"name {body['name']} is already taken in namespace {namespace}"
        return None

    def create_lora(self, body: Any, will_fail: bool = False) -> tuple[str | None, dict[str, Any]]:
        """(why it is refused, or None; the API's data). Checked and made under one lock: two creates of one
        name at once cannot both pass."""
        with self._lock:
            self._forget_deleted()
            problem = self._lora_problem(body)
            if problem:
                return problem, {}
            item: dict[str, Any] = {key: body[key] for key in ("baseServiceId", "modelId", "name", "servedName")}
            item.update(status="starting", willFail=will_fail,
                        namespace=self.deployments[body["baseServiceId"]].get("namespace"))
            service_id = self._add(item)
        self.persist()
        return None, {"serviceId": service_id}

    def update_lora(self, service_id: str, body: Any) -> str | None:
        """Offline update: only a stopped deployment may change. Returns an error message or None."""
        with self._lock:
            dep = self._live(service_id)
            if dep is None:
                return "not found"
            if dep["status"] != "stopped":
                return f"deployment is {dep['status']}; stop it before updating"
            problem = self._lora_problem(body, service_id)
            if problem:
                return problem
            for key in ("baseServiceId", "modelId", "name", "servedName"):
                dep[key] = body[key]
            dep["status"] = "starting"
            dep.pop("statuses", None)
            dep["_readyAt"] = time.monotonic() + self.startup_seconds
        self.persist()
        return None

    def create_base(self, body: Any) -> tuple[str | None, dict[str, Any]]:
        """(why it is refused, or None; the API's data): ``POST /deployment``, QuickStart."""
        with self._lock:
            self._forget_deleted()
            problem = base_problem(body) or self._base_name_taken(body)
            if problem:
                return problem, {}
            item = base_record(body, self.gpu_capacity)
            item.update(status="starting", startupSeconds=self.base_startup_seconds)
            service_id = self._add(item)
        self.persist()
        return None, {"serviceId": service_id}

    def update_base(self, service_id: str, body: Any) -> str | None:
        """``PUT /deployment/{serviceId}``: offline, as for a LoRA. Returns an error message or None."""
        with self._lock:
            dep = self._live(service_id)
            if dep is None or dep.get("baseServiceId"):
                return "not found"
            if dep["status"] != "stopped":
                return f"deployment is {dep['status']}; stop it before updating"
            problem = base_problem(body) or self._base_name_taken(body, service_id)
            if problem:
                return problem
            dep.update(base_record(body, self.gpu_capacity), status="starting")
            dep.pop("statuses", None)
            dep["_readyAt"] = time.monotonic() + self.base_startup_seconds
        self.persist()
        return None

    def _base_name_taken(self, body: dict[str, Any], service_id: str | None = None) -> str | None:
        for other in self.deployments.values():
            if (other["serviceId"] != service_id and not other.get("baseServiceId") and other.get("_deletedAt") is None
                    and other.get("name") == body["name"] and other.get("namespace") == body["namespace"]):
                return f"name {body['name']} is already taken in namespace {body['namespace']}"
        return None

    def cancel(self, service_id: str) -> bool:
        with self._lock:
            dep = self._live(service_id)
            if dep is None:
                return False
            dep["status"] = "stopped"
            dep.pop("_readyAt", None)
            dep.pop("statuses", None)
        self.persist()
        return True

    def delete(self, service_id: str) -> bool | str:
        """A deployment being deleted shows ``stopping`` for ``deleteSeconds``, then is gone (404).

        A base that still carries LoRA deployments is refused (the message says which): the docs are silent,
        and deleting the base under them would leave LoRAs that can never run again.
        """
        with self._lock:
            self._forget_deleted()
            dep = self._live(service_id)
            if dep is None:
                return service_id in self.deployments  # already stopping: still known, so not an error
            carried = sorted(lora["serviceId"] for lora in self._loras_on(service_id))
            if carried:
                return (f"base service {service_id} still carries {len(carried)} LoRA deployment(s): "
                        f"{', '.join(carried)}; delete them first")
            dep["status"] = "stopping"
            dep.pop("_readyAt", None)
            dep.pop("statuses", None)
            dep["_deletedAt"] = time.monotonic() + self.delete_seconds
        self.persist()
        return True

    def persist(self) -> None:
        if not self.state_file:
            return
        with self._persist_lock:
            with self._lock:
                # A deployment being deleted is gone as far as the next start is concerned.
                items = [{k: v for k, v in dep.items() if not k.startswith("_")}
                         for dep in self.deployments.values() if dep.get("_deletedAt") is None]
                for item in items:  # our own URLs name this run's port: recompute them on the next start
                    if str(item.get("serviceUrl", "")).startswith(self.public_url + "/svc/"):
                        del item["serviceUrl"]
                seed = dict(self._seed, deployments=items)
            write_atomically(Path(self.state_file), json.dumps(seed, indent=2))


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` so that a ``kill -9`` at any moment leaves the old file or the new one, never a part.

    A temp file in the same folder (``os.replace`` is atomic only within one file system), flushed and fsynced
    before the rename, then the folder fsynced so the rename itself survives a crash of the machine.
    """
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
