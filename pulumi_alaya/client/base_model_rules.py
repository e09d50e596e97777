"""The rules of a base-model deployment's fields, checked before any request (``base_model_kind.py`` declares its
inputs with them; ``kind_spec.py`` builds the spec).

``POST /deployment`` (QuickStart) and ``PUT /deployment/{serviceId}`` take ``{vksId, namespace, name, servedName[],
modelId, backend, backendVersion, backendArgs[], resource{workers, cpu, mem, gpu{count, gpuType}}}``. The docs
name the fields and the backends (vllm, sglang) but no limits, so the rules are conservative: what Kubernetes
accepts for a namespace, CPU and memory, and the LoRA rules for the names (``spec_rules.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .errors import AlayaInputError, describe_service_id
from .models import CONTROL_CHARACTERS
from .patterns import Pattern
from .rules import SERVICE_ID
from .spec_rules import validate_model_id, validate_name, validate_served_names

__all__ = ["BACKENDS", "CHECKS", "CPU", "GPU_TYPE", "MAX_COUNT", "MEM", "NAMESPACE", "REPLACED_ON_CHANGE", "VERSION"]

BACKENDS = ("vllm", "sglang")  # the docs' two inference engines
# Changing these moves the deployment to another cluster or namespace: a new deployment, not an offline update.
# Every other field changes in place (offline: stop, PUT, start again). Decided here, the docs are silent.
REPLACED_ON_CHANGE = frozenset({"vks_id", "namespace"})
NAMESPACE = Pattern(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")  # a Kubernetes namespace (DNS label)
VERSION = Pattern(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")
GPU_TYPE = Pattern(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
CPU = Pattern(r"(\d+(\.\d+)?|\d+m)")  # cores (8, 0.5) or millicores (500m), as Kubernetes writes them
MEM = Pattern(r"\d+(\.\d+)?(Ki|Mi|Gi|Ti|k|M|G|T)")  # with a unit: bare bytes are almost always a slip
MAX_COUNT = 64


def _vks_id(value: Any) -> str:
    if not isinstance(value, str) or not SERVICE_ID.fullmatch(value):
        raise AlayaInputError(f"vks_id {describe_service_id(value)} is invalid: use the VKS cluster's ID "
                              "(1-128 of A-Z a-z 0-9 . _ -).")
    return value


def _namespace(value: Any) -> str:
    if not isinstance(value, str) or not NAMESPACE.fullmatch(value):
        raise AlayaInputError(f"namespace {describe_service_id(value)} is invalid: use a Kubernetes namespace "
                              "(1-63 of a-z 0-9 -, starting and ending with a letter or digit).")
    return value


def _backend(value: Any) -> str:
    if value not in BACKENDS:
        raise AlayaInputError(f"backend {describe_service_id(value)} is unknown: use {' or '.join(BACKENDS)}.")
    return str(value)


def _backend_version(value: Any) -> str:
    if not isinstance(value, str) or not VERSION.fullmatch(value):
        raise AlayaInputError(f"backend_version {describe_service_id(value)} is invalid: use a version such as "
                              "0.6.3 (1-64 of A-Z a-z 0-9 . _ + -).")
    return value


def _backend_args(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise AlayaInputError("backend_args must be a list of arguments (one string each), such as "
                              "['--max-model-len=4096'].")
    for arg in value:
        if not isinstance(arg, str) or not arg or len(arg) > 512 or CONTROL_CHARACTERS.search(arg):
            raise AlayaInputError(f"backend_args item {describe_service_id(arg)} is invalid: use 1-512 "
                                  "printable characters per argument.")
    return tuple(value)


def _count(what: str) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_COUNT:
            raise AlayaInputError(f"{what} must be a positive whole number (1-{MAX_COUNT}), not {value!r}.")
        return value
    return check


def _cpu(value: Any) -> str:
    text = f"{value:g}" if isinstance(value, (int, float)) and not isinstance(value, bool) else value
    if not isinstance(text, str) or not CPU.fullmatch(text) or float(text.rstrip("m")) <= 0:
        raise AlayaInputError(f"cpu {describe_service_id(value)} is not understood: use cores (8, 0.5) or "
                              "millicores (500m).")
    return text


def _mem(value: Any) -> str:
    if not isinstance(value, str) or not MEM.fullmatch(value) or float(value.rstrip("KMGTik")) <= 0:
        raise AlayaInputError(f"mem {describe_service_id(value)} is not understood: use Kubernetes units "
                              "(32Gi, 512Mi).")
    return value


def _gpu_type(value: Any) -> str:
    if not isinstance(value, str) or not GPU_TYPE.fullmatch(value):
        raise AlayaInputError(f"gpu_type {describe_service_id(value)} is invalid: use the GPU model as the "
                              "console lists it, such as A100 (1-64 of A-Z a-z 0-9 . _ -).")
    return value


# Each field's check, in the API's order (base_model_kind.py declares its inputs with them).
CHECKS: dict[str, Callable[[Any], Any]] = {
    "vks_id": _vks_id, "namespace": _namespace, "name": validate_name, "served_name": validate_served_names,
    "model_id": validate_model_id, "backend": _backend, "backend_version": _backend_version,
    "backend_args": _backend_args, "workers": _count("workers"), "cpu": _cpu, "mem": _mem, "gpu_type": _gpu_type,
    "gpu_count": _count("gpu_count"),
}
