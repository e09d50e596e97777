"""The base-model deployment (QuickStart), declared once: ``POST /deployment`` and ``PUT /deployment/{serviceId}``
with ``{vksId, namespace, name, servedName[], modelId, backend, backendVersion, backendArgs[], resource{workers,
cpu, mem, gpu{count, gpuType}}}`` (docs/alaya-api.md); every front end is built from ``BASE_MODEL``."""

from __future__ import annotations

from typing import Any

from .base_model_rules import BACKENDS, CHECKS, CPU, GPU_TYPE, MAX_COUNT, MEM, NAMESPACE, VERSION
from .declaration import REPLACE, UPDATE, Input, Kind
from .kind_record import KindDeployment
from .kind_spec import KindSpec
from .models import BASE_OUTPUTS
from .owner_settings import STORE_API_KEY, WAIT_TIMEOUT, WAIT_UNTIL_RUNNING
from .rules import SERVICE_ID
from .settings import DEFAULT_BASE_WORKERS
from .spec_rules import MODEL_ID, NAME, SERVED_NAME

__all__ = ["BASE_MODEL", "BaseModelDeployment", "BaseModelSpec"]

# Decided here, the docs are silent: a change of cluster or namespace moves the deployment (a new one), every
# other field changes in place (offline: stop, PUT, start again).
_MOVES = " Changing it replaces the deployment (a new one in the new place, then the old one deleted)."
_OFFLINE = " Changing it updates the deployment offline (stopped, updated, started: it and its LoRAs are away)."


def _field(key: str, wire: str, kind: str, text: str, change: str = UPDATE, **rest: Any) -> Input:
    spec_field = "served_name" if key == "served_names" else key
    return Input(key, wire, kind, text + (_MOVES if change == REPLACE else _OFFLINE), change=change,
                 spec_field=spec_field, check=CHECKS[spec_field], summary=text, **rest)


BASE_MODEL = Kind(
    name="base_model",
    title="base-model deployment",
    resource="BaseModelDeployment",
    create_path="/deployment",
    update_path="/deployment/{service_id}",
    description="A base model served on Alaya NeW (QuickStart): the service LoRA deployments run on.",
    outputs=BASE_OUTPUTS,
    name_unique_in=("namespace",),
    where="in namespace {namespace}",
    place="namespace {namespace}",
    away="the base model and every LoRA on it",
    delete_refused="Delete the LoRA deployments on it first.",
    cli_aliases=("base",),
    since=("0.4.0", "0.4.0"),
    inputs=(
        _field("vks_id", "vksId", "string", "The VKS cluster to deploy in.", REPLACE, required=True,
               pattern=SERVICE_ID.pattern, example="vks-1"),
        _field("namespace", "namespace", "string", "The VKS namespace to deploy in.", REPLACE, required=True,
               pattern=NAMESPACE.pattern, flag="--vks-namespace", example="ns-a"),
        _field("name", "name", "string", "Display name, unique in the namespace.", required=True,
               pattern=NAME.pattern, example="qwen-base"),
        _field("served_names", "servedNames", "strings",
               "Names a chat request may put in model (the first is the model output).", required=True,
               pattern=SERVED_NAME.pattern, example=["qwen"]),
        _field("model_id", "modelId", "string", "The base model to deploy.", required=True, pattern=MODEL_ID.pattern,
               example="qwen2-7b"),
        _field("backend", "backend", "string", f"The inference engine: {' or '.join(BACKENDS)}.", required=True,
               choices=BACKENDS, example="vllm"),
        _field("backend_version", "backendVersion", "string", "The inference engine's version.", required=True,
               pattern=VERSION.pattern, example="0.6.3", other_example="0.7.0"),
        _field("backend_args", "backendArgs", "strings", "Extra arguments of the inference engine.",
               flag="--backend-arg"),
        _field("workers", "workers", "integer", "Workers (instances).", default=DEFAULT_BASE_WORKERS, minimum=1,
               maximum=MAX_COUNT, api_path="resource.workers"),
        _field("cpu", "cpu", "string", "CPU per worker: cores (8, 0.5) or millicores (500m).", required=True,
               pattern=CPU.pattern, api_path="resource.cpu", example="8"),
        _field("mem", "mem", "string", "Memory per worker with a Kubernetes unit (32Gi).", required=True,
               pattern=MEM.pattern, api_path="resource.mem", example="32Gi"),
        _field("gpu_type", "gpuType", "string", "The GPU model per worker (A100).", required=True,
               pattern=GPU_TYPE.pattern, api_path="resource.gpu.gpuType", example="A100"),
        _field("gpu_count", "gpuCount", "integer", "GPUs per worker (a positive whole number).", required=True,
               minimum=1, maximum=MAX_COUNT, api_path="resource.gpu.count", example=1),
        WAIT_UNTIL_RUNNING, WAIT_TIMEOUT, STORE_API_KEY,
    ),
)


class BaseModelSpec(KindSpec):
    """A base-model deployment's spec: the one spec (``kind_spec.KindSpec``) bound to ``BASE_MODEL``."""

    kind = BASE_MODEL


class BaseModelDeployment(KindDeployment):
    """A base-model deployment as read: the one record (``kind_record.KindDeployment``) bound to ``BASE_MODEL``."""

    kind = BASE_MODEL
