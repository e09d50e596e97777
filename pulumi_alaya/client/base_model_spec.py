"""What a base-model deployment is made of, checked before any request: the one place that knows its input rules.

``POST /deployment`` (QuickStart) and ``PUT /deployment/{serviceId}`` take ``{vksId, namespace, name, servedName[],
modelId, backend, backendVersion, backendArgs[], resource{workers, cpu, mem, gpu{count, gpuType}}}``. The docs
name the fields and the backends (vllm, sglang) but no limits, so the rules are conservative: what Kubernetes
accepts for a namespace, CPU and memory, and the LoRA rules for the names (``spec.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, ClassVar

from .errors import AlayaInputError, AlayaWriteUncertainError, Subject, describe_service_id
from .models import CONTROL_CHARACTERS
from .rules import SERVICE_ID
from .settings import DEFAULT_BASE_WORKERS
from .spec import field_problems, validate_model_id, validate_name, validate_served_names

__all__ = ["BACKENDS", "CHECKS", "CPU", "GPU_TYPE", "MAX_COUNT", "MEM", "NAMESPACE", "REPLACED_ON_CHANGE", "VERSION",
           "BaseModelSpec", "BaseSpec"]

BACKENDS = ("vllm", "sglang")  # the docs' two inference engines
# Changing these moves the deployment to another cluster or namespace: a new deployment, not an offline update.
# Every other field changes in place (offline: stop, PUT, start again). Decided here, the docs are silent.
REPLACED_ON_CHANGE = frozenset({"vks_id", "namespace"})
NAMESPACE = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")  # a Kubernetes namespace (DNS label)
VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")
GPU_TYPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
CPU = re.compile(r"(\d+(\.\d+)?|\d+m)")  # cores (8, 0.5) or millicores (500m), as Kubernetes writes them
MEM = re.compile(r"\d+(\.\d+)?(Ki|Mi|Gi|Ti|k|M|G|T)")  # with a unit: bare bytes are almost always a slip
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


# Each field's check, in the API's order: build() and problems() run these, and nothing else.
CHECKS: dict[str, Callable[[Any], Any]] = {
    "vks_id": _vks_id, "namespace": _namespace, "name": validate_name, "served_name": validate_served_names,
    "model_id": validate_model_id, "backend": _backend, "backend_version": _backend_version,
    "backend_args": _backend_args, "workers": _count("workers"), "cpu": _cpu, "mem": _mem, "gpu_type": _gpu_type,
    "gpu_count": _count("gpu_count"),
}


@dataclass(frozen=True)
class BaseModelSpec:
    """What a QuickStart base-model deployment is made of, valid by construction."""

    # The fields a create may leave out, and what they then are (every other field is needed to create).
    DEFAULTS: ClassVar[Mapping[str, Any]] = {"backend_args": (), "workers": DEFAULT_BASE_WORKERS}
    vks_id: str
    namespace: str
    name: str
    served_name: tuple[str, ...]
    model_id: str
    backend: str
    backend_version: str
    backend_args: tuple[str, ...]
    workers: int
    cpu: str
    mem: str
    gpu_type: str
    gpu_count: int

    @classmethod
    def build(cls, **values: Any) -> BaseModelSpec:
        """Every field by name; ``backend_args`` and ``workers`` have defaults. One clear line per refusal."""
        unknown = sorted(set(values) - set(CHECKS))
        if unknown:
            raise AlayaInputError(f"unknown base-model field(s): {', '.join(unknown)}.")
        values = {**cls.DEFAULTS, **{k: v for k, v in values.items() if v is not None}}
        missing = [field for field in CHECKS if field not in values]
        if missing:
            raise AlayaInputError(f"a base-model deployment needs {', '.join(missing)}.")
        return cls(**{field: check(values[field]) for field, check in CHECKS.items()})

    @classmethod
    def updated(cls, current: Any, changes: Mapping[str, Any]) -> BaseModelSpec:
        """``current`` (a ``BaseModelDeployment``) with ``changes`` applied; an unset (None) change keeps the value."""
        values = {f.name: getattr(current, f.name) for f in fields(cls)}
        values["workers"] = values["workers"] or DEFAULT_BASE_WORKERS
        return cls.build(**{**values, **{k: v for k, v in changes.items() if v is not None}})

    @staticmethod
    def problems(**values: Any) -> dict[str, str]:
        """Each given field's refusal, by field name (empty when all are fine): for front ends that point at one."""
        return field_problems(CHECKS, "base-model", values)

    def to_api(self) -> dict[str, Any]:
        return {"vksId": self.vks_id, "namespace": self.namespace, "name": self.name,
                "servedName": list(self.served_name), "modelId": self.model_id, "backend": self.backend,
                "backendVersion": self.backend_version, "backendArgs": list(self.backend_args),
                "resource": {"workers": self.workers, "cpu": self.cpu, "mem": self.mem,
                             "gpu": {"count": self.gpu_count, "gpuType": self.gpu_type}}}

    def differences(self, deployment: Any) -> list[str]:
        """The fields (snake_case) where ``deployment`` (a ``BaseModelDeployment``) does not match this spec."""
        return [f.name for f in fields(self) if getattr(deployment, f.name) != getattr(self, f.name)]

    # -- what a create's errors say (``deployments.Deployments.create``) --

    @property
    def place(self) -> str:
        """Where to look for it in the console."""
        return f"namespace {self.namespace}"

    def create_subject(self) -> Subject:
        return Subject(f"the new base-model deployment {describe_service_id(self.name)} in namespace "
                       f"{describe_service_id(self.namespace)}", None)

    def uncertain(self, why: str) -> AlayaWriteUncertainError:
        return AlayaWriteUncertainError(
            f"Creating base-model deployment {self.name!r} in namespace {self.namespace} may have succeeded: {why}, "
            f"so it was not retried (a retry could deploy it twice). Look for a deployment named {self.name!r} in "
            "the Alaya console before creating it again.", service_id=None)


BaseSpec = BaseModelSpec  # the 0.4 name, kept for one minor release
