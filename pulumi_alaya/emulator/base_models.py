"""Base-model deployments in the emulator: what a QuickStart body must hold, and how the API shows one.

``POST /deployment`` and ``PUT /deployment/{serviceId}`` take ``{vksId, namespace, name, servedName[], modelId,
backend, backendVersion, backendArgs[], resource{workers, cpu, mem, gpu{count, gpuType}}}`` (docs/alaya-api.md).
A GET answers the same deployment fields as a LoRA plus ``vksId``, ``mode``, the ``quickStart`` object and
``instance``. Pure functions: the World calls them under its lock.
"""

from __future__ import annotations

import copy
from typing import Any

BACKENDS = ("vllm", "sglang")
# GPUs one deployment may ask for. Asking for more is accepted and then fails (starting -> failed, the docs'
# state diagram), as a cluster that cannot schedule the pods would; the docs name no refusal for it.
DEFAULT_GPU_CAPACITY = 8
BASE_BODY_KEYS = ("vksId", "namespace", "name", "servedName", "modelId", "backend", "backendVersion",
                  "backendArgs", "resource")


def base_problem(body: Any) -> str | None:
    """Why a base-model create/update body is refused (HTTP 400), or None."""
    if not isinstance(body, dict):
        return "body must be a JSON object"
    missing = [k for k in ("vksId", "namespace", "name", "servedName", "modelId", "backend", "resource")
               if not body.get(k)]
    if missing:
        return f"missing fields: {', '.join(missing)}"
    names = body["servedName"]
    if not all(isinstance(body[k], str) for k in ("vksId", "namespace", "name", "modelId")) or not (
            isinstance(names, list) and names and all(isinstance(n, str) and n.strip() for n in names)):
        return "vksId, namespace, name and modelId must be strings and servedName a list of names"
    if body["backend"] not in BACKENDS:
        return f"backend must be one of {', '.join(BACKENDS)}"
    args = body.get("backendArgs", [])
    if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
        return "backendArgs must be a list of strings"
    resource = body["resource"]
    gpu = resource.get("gpu") if isinstance(resource, dict) else None
    count = gpu.get("count") if isinstance(gpu, dict) else None
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        return "resource.gpu.count must be a positive integer"
    workers = resource.get("workers", 1)
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
        return "resource.workers must be a positive integer"
    return None


def base_record(body: dict[str, Any], gpu_capacity: int) -> dict[str, Any]:
    """What the World stores for an accepted body: the API's base fields, QuickStart mode."""
    quick = {key: copy.deepcopy(body[key]) for key in ("backend", "backendVersion", "backendArgs", "resource")
             if key in body}
    return {"vksId": body["vksId"], "namespace": body["namespace"], "name": body["name"],
            "servedName": list(body["servedName"]), "modelId": body["modelId"], "mode": "quickStart",
            "quickStart": quick, "willFail": body["resource"]["gpu"]["count"] > gpu_capacity}


def instances(base: dict[str, Any], loras: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``instance``: one per worker, each naming the LoRA models running on it."""
    workers = (base.get("quickStart") or {}).get("resource", {}).get("workers", 1)
    running = [lora["modelId"] for lora in loras if lora.get("status") == "running"]
    ready = base.get("status") == "running"
    return [{"instanceId": f"{base['serviceId']}-{n}", "loraModels": list(running), "baseModelReady": ready}
            for n in range(workers if isinstance(workers, int) and workers > 0 else 1)]
