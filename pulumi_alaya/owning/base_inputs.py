"""The inputs of a base-model deployment resource (declared in ``client/base_model_kind.py``) as both Pulumi
providers take them: ``base_with_defaults`` says what an unset input means."""

from __future__ import annotations

from typing import Any

from ..client.base_model_kind import BASE_MODEL
from ..client.base_spec import REPLACED_ON_CHANGE

__all__ = ["BASE_INPUTS", "BASE_SPEC_INPUTS", "BASE_SPEC_FIELD", "REPLACED_ON_CHANGE", "base_with_defaults"]

BASE_INPUTS = BASE_MODEL.inputs
BASE_SPEC_INPUTS = tuple(item.key for item in BASE_MODEL.spec_inputs)
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
