"""The inputs of a base-model deployment resource, declared once (as ``inputs.py`` does for LoRA): both
Pulumi providers read them, and the plugin's schema and every SDK are generated from them."""

from __future__ import annotations

from typing import Any

from ..client.base_spec import BACKENDS, REPLACED_ON_CHANGE
from ..client.settings import DEFAULT_BASE_WORKERS, DEFAULT_WAIT_TIMEOUT
from .inputs import ResourceInput

__all__ = ["BASE_INPUTS", "BASE_SPEC_INPUTS", "BASE_SPEC_FIELD", "REPLACED_ON_CHANGE", "base_with_defaults"]

_MOVES = " Changing it replaces the deployment (a new one in the new place, then the old one deleted)."
_OFFLINE = " Changing it updates the deployment offline (stopped, updated, started: it and its LoRAs are away)."
BASE_INPUTS = (
    ResourceInput("vks_id", "vksId", "string", "The VKS cluster to deploy in." + _MOVES, required=True),
    ResourceInput("namespace", "namespace", "string", "The VKS namespace to deploy in." + _MOVES, required=True),
    ResourceInput("name", "name", "string", "Display name, unique in the namespace." + _OFFLINE, required=True),
    ResourceInput("served_names", "servedNames", "strings",
                  "Names a chat request may put in model (the first is the model output)." + _OFFLINE,
                  required=True),
    ResourceInput("model_id", "modelId", "string", "The base model to deploy." + _OFFLINE, required=True),
    ResourceInput("backend", "backend", "string", f"The inference engine: {' or '.join(BACKENDS)}." + _OFFLINE,
                  required=True),
    ResourceInput("backend_version", "backendVersion", "string", "The inference engine's version." + _OFFLINE,
                  required=True),
    ResourceInput("backend_args", "backendArgs", "strings", "Extra arguments of the inference engine." + _OFFLINE),
    ResourceInput("workers", "workers", "integer", "Workers (instances)." + _OFFLINE, default=DEFAULT_BASE_WORKERS),
    ResourceInput("cpu", "cpu", "string", "CPU per worker: cores (8, 0.5) or millicores (500m)." + _OFFLINE,
                  required=True),
    ResourceInput("mem", "mem", "string", "Memory per worker with a Kubernetes unit (32Gi)." + _OFFLINE,
                  required=True),
    ResourceInput("gpu_type", "gpuType", "string", "The GPU model per worker (A100)." + _OFFLINE, required=True),
    ResourceInput("gpu_count", "gpuCount", "integer", "GPUs per worker (a positive whole number)." + _OFFLINE,
                  required=True),
    ResourceInput("wait_until_running", "waitUntilRunning", "boolean",
                  "Wait after create and update until it is running, and after delete until it is gone.",
                  default=True),
    ResourceInput("wait_timeout", "waitTimeout", "number",
                  "Seconds each wait may take when the customTimeouts resource option sets none.",
                  default=DEFAULT_WAIT_TIMEOUT),
)
BASE_SPEC_INPUTS = tuple(item.key for item in BASE_INPUTS if item.key not in ("wait_until_running", "wait_timeout"))
# Input key -> BaseSpec field where they differ (a list is plural in Pulumi's convention).
BASE_SPEC_FIELD = {"served_names": "served_name"}


def base_with_defaults(props: dict[str, Any]) -> dict[str, Any]:
    """The inputs with their defaults (each from its declaration above): what an unset input means."""
    inputs: dict[str, Any] = {}
    for item in BASE_INPUTS:
        value = props.get(item.key)
        if item.kind == "boolean":
            inputs[item.key] = value if isinstance(value, bool) else item.default
        elif item.kind == "strings":
            inputs[item.key] = list(value or [])
        elif item.kind == "integer" and isinstance(value, float) and value.is_integer():
            inputs[item.key] = int(value)  # the wire carries every number as a float
        else:
            inputs[item.key] = item.default if value is None else value
    return inputs
