"""A base-model deployment as ``GET /deployment/{serviceId}`` describes it: the LoRA record plus BASE_FIELDS.

Every variant a LoRA answer may take is accepted here too (``Deployment.from_raw`` reads the shared fields);
the base fields sit in the object ``mode`` names (``quickStart`` or ``expert``), and when ``mode`` is missing
the one object present is used. ``cpu``/``mem`` may come as numbers, counts as numeric strings.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .errors import AlayaConflictError, AlayaMalformedResponseError, describe_service_id
from .models import BASE_FIELDS, BASE_OUTPUTS, Deployment, OutputField, checked_text

__all__ = ["BaseDeployment", "BaseModelDeployment"]

_MODES = ("quickStart", "expert")


@dataclasses.dataclass(frozen=True)
class BaseModelDeployment(Deployment):
    """A base-model deployment (the service LoRA deployments run on); ``Deployment`` plus its own fields."""

    vks_id: str = ""
    mode: str = ""
    backend: str = ""
    backend_version: str = ""
    backend_args: tuple[str, ...] = ()
    workers: int | None = None
    cpu: str = ""
    mem: str = ""
    gpu_type: str = ""
    gpu_count: int | None = None
    lora_models: tuple[str, ...] = ()
    ready_instances: int = 0

    @classmethod
    def outputs(cls) -> tuple[OutputField, ...]:
        return BASE_OUTPUTS

    @classmethod
    def from_deployment(cls, deployment: Deployment) -> BaseModelDeployment:
        """The base fields read from ``deployment.raw``; a LoRA deployment is refused by name."""
        sid = deployment.service_id
        if deployment.base_service_id:
            raise AlayaConflictError(
                f"serviceId {describe_service_id(sid)} is a LoRA deployment (on base "
                f"{describe_service_id(deployment.base_service_id)}), not a base model. Use the LoRA commands "
                "for it.", service_id=sid)
        raw = deployment.raw
        mode = raw.get("mode") if raw.get("mode") in _MODES else next((m for m in _MODES if m in raw), "")
        settings = raw.get(mode) if mode else None
        settings = settings if isinstance(settings, dict) else {}
        values: dict[str, Any] = {"vks_id": _text(raw.get("vksId"), "vksId", sid), "mode": mode}
        for field in BASE_FIELDS:
            if field.source == "mode":
                values[field.key] = _typed(_at(settings, field.path), field, sid)
        values["lora_models"], values["ready_instances"] = _instances(raw.get("instance"), sid)
        common = {f.name: getattr(deployment, f.name) for f in dataclasses.fields(Deployment)}
        return cls(**common, **values)


def _at(settings: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = settings
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _typed(value: Any, field: OutputField, sid: str) -> Any:
    if field.kind == "integer":
        if value is None or value == "":
            return None
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise _malformed(sid, f"field '{field.api_name}' is not a whole number")
        return value
    if field.kind == "strings":
        if value is None:
            return ()
        if not isinstance(value, list):
            raise _malformed(sid, f"field '{field.api_name}' is not a list of strings")
        return tuple(_text(item, field.api_name, sid) for item in value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:g}"  # cpu: 8 or 0.5 as the docs' examples write numbers
    return _text(value, field.api_name, sid)


def _text(value: Any, key: str, sid: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _malformed(sid, f"field '{key}' is {type(value).__name__}, not a string")
    return checked_text(value, key, sid)  # the same refusals (surrogates, line breaks) as every other text field


def _instances(value: Any, sid: str) -> tuple[tuple[str, ...], int]:
    """Every LoRA model on any instance (first seen first) and the count of instances whose base is ready."""
    if value is None:
        return (), 0
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise _malformed(sid, "field 'instance' is not a list of objects")
    models: dict[str, None] = {}
    for item in value:
        for model in _typed(item.get("loraModels"), BASE_FIELDS[-2], sid):
            models[model] = None
    return tuple(models), sum(1 for item in value if item.get("baseModelReady") is True)


def _malformed(sid: str, what: str) -> AlayaMalformedResponseError:
    return AlayaMalformedResponseError(
        f"Alaya API answered for serviceId {describe_service_id(sid)} with a base-model deployment whose {what}. "
        "Retry later; report it if it persists.", service_id=sid)


BaseDeployment = BaseModelDeployment  # the 0.4 name, kept for one minor release
