"""What an unset input means, for every kind (each default from the kind's declaration), and the values the
client is given for a deployment's fields."""

from __future__ import annotations

from typing import Any

from ..client.declaration import Kind

__all__ = ["spec_values", "with_defaults"]


def with_defaults(kind: Kind, props: dict[str, Any]) -> dict[str, Any]:
    """The inputs with their defaults, plus what only an owner knows: whether the name was made up, the prefix an
    auto-name takes (the resource's name) and the serviceId to adopt instead of creating."""
    inputs: dict[str, Any] = {}
    for item in kind.inputs:
        value = props.get(item.key)
        if item.kind == "boolean":
            inputs[item.key] = value if isinstance(value, bool) else item.default
        elif item.kind == "strings":
            inputs[item.key] = list(value or [])
        elif item.kind == "integer" and isinstance(value, float) and value.is_integer():
            inputs[item.key] = int(value)  # the Pulumi wire carries every number as a float
        else:
            inputs[item.key] = item.default if value is None else value
    if kind.auto_named:  # outputs carry the API's name; "auto_named" says the program set none
        inputs["name"] = None if props.get("auto_named") else (props.get("name") or None)
        inputs["name_prefix"] = props.get("name_prefix") or kind.name
    inputs["adopt_service_id"] = props.get("adopt_service_id")
    return inputs


def spec_values(kind: Kind, inputs: dict[str, Any], name: str) -> dict[str, Any]:
    """The deployment's fields by the client's names (``served_names`` -> ``served_name``), ``name`` resolved."""
    values = {item.spec_field: inputs[item.key] for item in kind.spec_inputs}
    values["name"] = name
    return values
