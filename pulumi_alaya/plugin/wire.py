"""Between the engine's ``PropertyValue`` maps (camelCase wire names) and the plain snake_case dicts of
``owning.LoraOwner``: the plugin's only translation layer."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from pulumi.provider.experimental.property_value import Computed, PropertyValue
from pulumi.runtime import rpc

from ..client.models import FIELDS
from ..owning import INPUTS

__all__ = ["UNKNOWN", "KEY_FOR", "WIRE_FOR", "plain", "plain_value", "secret_keys", "to_wire", "unknown_keys"]

# The wire name of every key the plugin keeps in state; "autoNamed" says the program set no name.
WIRE_FOR = {**{item.key: item.wire_name for item in INPUTS}, **{field.key: field.api_name for field in FIELDS},
            "auto_named": "autoNamed"}
KEY_FOR = {wire: key for key, wire in WIRE_FOR.items()}
_SECRET_OUTPUTS = frozenset(field.key for field in FIELDS if field.secret)
UNKNOWN: Any = Computed()  # a value only known after an earlier resource exists (preview)


def plain_value(value: PropertyValue) -> Any:
    inner = value.value
    if isinstance(inner, Computed):
        return UNKNOWN
    if isinstance(inner, Mapping):
        return {key: plain_value(item) for key, item in inner.items()}
    if isinstance(inner, Sequence) and not isinstance(inner, str):
        return [plain_value(item) for item in inner]
    return inner


def plain(properties: Mapping[str, PropertyValue]) -> dict[str, Any]:
    """snake_case keys and plain Python values (secrets unwrapped); names the plugin does not know are dropped."""
    return {KEY_FOR[name]: plain_value(value) for name, value in properties.items() if name in KEY_FOR}


def _contains_unknown(value: Any) -> bool:
    return value is UNKNOWN or (isinstance(value, list) and any(_contains_unknown(item) for item in value))


def unknown_keys(values: Mapping[str, Any]) -> set[str]:
    return {key for key, value in values.items() if _contains_unknown(value)}


def secret_keys(properties: Mapping[str, PropertyValue]) -> set[str]:
    """The keys whose value the program marked secret: they stay secret in state and outputs."""
    return {KEY_FOR[name] for name, value in properties.items() if name in KEY_FOR and value.contains_secret()}


def _wire_value(value: Any) -> PropertyValue:
    if value is UNKNOWN:
        # The wire's unknown sentinel: the SDK's PropertyValue.computed() cannot be marshalled (pulumi 3.272).
        return PropertyValue(rpc.UNKNOWN)
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return PropertyValue(value)
    if isinstance(value, (int, float)):
        return PropertyValue(float(value))
    if isinstance(value, (list, tuple)):
        return PropertyValue([_wire_value(item) for item in value])
    raise TypeError(f"no wire form for {type(value).__name__}")


def to_wire(values: Mapping[str, Any], secret: Collection[str] = ()) -> dict[str, PropertyValue]:
    """Wire names and PropertyValues; the apiKey (and whatever the program made secret) as secrets."""
    wired = {}
    for key, value in values.items():
        if key not in WIRE_FOR or value is None:
            continue
        wired[WIRE_FOR[key]] = _wire_value(value).with_secret(key in _SECRET_OUTPUTS or key in secret)
    return wired
